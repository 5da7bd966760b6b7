/**
 * checkpoint (JAX's jax.checkpoint / remat): under differentiation, save only the
 * inputs of `f` and recompute its intermediates in the backward pass. The JVP of a
 * checkpoint is a checkpoint of the JVP; partial evaluation splits it so the known
 * (primal) part keeps no residuals and the unknown (tangent) part recomputes the
 * primal values it needs; transposition runs the backward pass of that part.
 */
import { ArgumentError } from "../core/index.js";
import { unflatten } from "../core/pytree.js";
import type { Array } from "../trace/array.js";
import { ClosedJaxpr, Jaxpr, evalJaxpr } from "../trace/jaxpr.js";
import { closureConvert, dceJaxpr, outputsDependingOn } from "../trace/jaxpr-utils.js";
import { tidy } from "../trace/memory.js";
import { Prim, type PrimParams } from "../trace/prim.js";
import { StagingTrace, traceToJaxpr } from "../trace/staging.js";
import { bind, withTrace } from "../trace/trace.js";
import { traceForPrimitive } from "./custom-jvp.js";
import { jvpFlat, toArrayLeaves } from "./jvp.js";
import { UndefinedPrimal, backwardPass, type TransposeInput } from "./transpose.js";
import { Zero, instantiate, isZero, type Tangent } from "./zero.js";

type Fn = (...args: never[]) => unknown;

export interface CheckpointOptions {
  /** Which intermediates may be saved; only `null` (save nothing but the inputs) is supported. */
  readonly policy?: null;
  /** JAX's prevent_cse; recorded in the jaxpr. Default true. */
  readonly preventCse?: boolean;
}

export function checkpoint<F extends Fn>(f: F, opts: CheckpointOptions = {}): F {
  for (const k of Object.keys(opts)) {
    if (k !== "policy" && k !== "preventCse") throw new ArgumentError(`checkpoint: unknown option "${k}"; the options are: policy, preventCse.`);
  }
  if (opts.policy !== undefined && opts.policy !== null) {
    throw new ArgumentError("checkpoint: only policy null (save only the inputs) is supported.");
  }
  return ((...args: unknown[]) => {
    const [leaves, inDef] = toArrayLeaves(args, "checkpoint");
    const body = f as unknown as (...a: unknown[]) => unknown;
    const { jaxpr, consts, outDef } = traceForPrimitive("checkpoint", (xs) => body(...unflatten<unknown[]>(inDef, xs)), leaves);
    const outs = bind(Prim.Checkpoint, [...consts, ...leaves], {
      jaxpr,
      preventCse: opts.preventCse ?? true,
      differentiated: false,
      policy: null,
    });
    return unflatten(outDef, outs);
  }) as unknown as F;
}

/** JVP of checkpoint: a checkpoint of the JVP jaxpr, taking primals and nonzero tangents. */
export function checkpointJvp(
  primals: readonly Array[],
  tangents: readonly Tangent[],
  params: PrimParams<Prim.Checkpoint>,
): [Array[], Tangent[]] {
  const nonzero = tangents.map((t) => !isZero(t));
  const given = tangents.filter((t): t is Array => !isZero(t));
  const n = primals.length;
  const body = (...xs: Array[]): Array[] => {
    let k = n;
    const ts = primals.map((p, i) => (nonzero[i] ? xs[k++]! : new Zero(p.aval)));
    const run = (...a: Array[]): Array[] => evalJaxpr(params.jaxpr.jaxpr, params.jaxpr.consts, a);
    const [po, to] = jvpFlat(run, xs.slice(0, n), ts, "checkpoint");
    return [...po, ...to.map(instantiate)];
  };
  const { jaxpr, consts } = closureConvert(traceToJaxpr(body, [...primals, ...given], "checkpoint").closedJaxpr);
  const outs = bind(Prim.Checkpoint, [...consts, ...primals, ...given], { ...params, jaxpr, differentiated: true });
  const m = params.jaxpr.outAvals.length;
  return [outs.slice(0, m), outs.slice(m)];
}

/**
 * Partial evaluation of checkpoint (JAX's remat_partial_eval): outputs that depend
 * only on known inputs are computed now by a checkpoint of just that part (keeping
 * no intermediates); the rest is staged as a checkpoint over all inputs, so the
 * residuals are the inputs themselves and the primal work is redone when needed.
 */
export function checkpointPartialEval(
  trace: StagingTrace,
  stage: (args: readonly Array[], params: PrimParams<Prim.Checkpoint>) => Array[],
  args: readonly Array[],
  params: PrimParams<Prim.Checkpoint>,
): Array[] {
  const jaxpr = params.jaxpr.jaxpr;
  const known = args.map((a) => !trace.owns(a));
  const unknownOut = outputsDependingOn(jaxpr, known.map((k) => !k));
  const knownPart = dceJaxpr(jaxpr, unknownOut.map((u) => !u));
  const knownJaxpr = new Jaxpr([], knownPart.invars.filter((_, i) => known[i]), knownPart.eqns, knownPart.outvars);
  const knownOuts = withTrace(trace.parent!, () =>
    bind(Prim.Checkpoint, args.filter((_, i) => known[i]), { ...params, jaxpr: new ClosedJaxpr(knownJaxpr, params.jaxpr.consts) }),
  );
  const unknownOuts = stage(args, { ...params, jaxpr: new ClosedJaxpr(dceJaxpr(jaxpr, unknownOut), params.jaxpr.consts) });
  let k = 0;
  let u = 0;
  return unknownOut.map((isUnknown) => (isUnknown ? unknownOuts[u++]! : knownOuts[k++]!));
}

/** Transpose of a (linear in some inputs) checkpoint: its backward pass, recomputing primal values. */
export function checkpointTranspose(
  cts: readonly Tangent[],
  inputs: readonly TransposeInput[],
  params: PrimParams<Prim.Checkpoint>,
): (Tangent | null)[] {
  // Eagerly, the recomputed intermediates are freed as soon as the cotangents are out.
  const ctsIn = tidy(() => backwardPass(params.jaxpr.jaxpr, params.jaxpr.consts, inputs, cts));
  return ctsIn.map((c, i) => (inputs[i] instanceof UndefinedPrimal ? c : null));
}
