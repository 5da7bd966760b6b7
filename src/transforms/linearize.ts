/**
 * linearize = jvp + partial evaluation (JAX's ad.linearize): the primal outputs are
 * computed now; the tangent computation becomes a linear jaxpr whose constvars are
 * the residuals it needs from the primal computation.
 */
import { ArgumentError } from "../core/index.js";
import { flatten, unflatten, type TreeDef } from "../core/pytree.js";
import type { Array } from "../trace/array.js";
import { asArray } from "../trace/array-ops.js";
import { evalJaxpr, type ClosedJaxpr } from "../trace/jaxpr.js";
import { currentTrace, withTrace } from "../trace/trace.js";
import { JVPTrace, toArrayLeaves, unzipOutputs } from "./jvp.js";
import { PartialEvalTrace } from "./partial-eval.js";
import { Zero, instantiate, isDifferentiable, tangentAval } from "./zero.js";

export interface Linearized {
  /** The primal outputs, in the caller's trace. */
  readonly primalsOut: Array[];
  /** The linear map from input tangents to output tangents, closed over the residuals. */
  readonly linearJaxpr: ClosedJaxpr;
}

export function linearizeFlat(f: (...xs: Array[]) => Array[], primals: readonly Array[], kind: string): Linearized {
  const pe = new PartialEvalTrace(currentTrace(), kind);
  const tangentsIn = primals.map((p) => pe.newArg(tangentAval(p.aval)));
  const jvpTrace = new JVPTrace(pe, kind);
  const ins = primals.map((p, i) => (isDifferentiable(p.aval) ? jvpTrace.wrap(p, tangentsIn[i]!) : p));
  const outs = withTrace(jvpTrace, () => f(...ins));
  const [primalsOut, tangentsOut] = unzipOutputs(jvpTrace, outs);
  // Symbolic zeros become literal zeros (bound in `pe`, so they are known constants).
  const tangentArrays = withTrace(pe, () => tangentsOut.map((t) => (t instanceof Zero ? instantiate(t) : t)));
  return { primalsOut, linearJaxpr: pe.finish(tangentArrays) };
}

/**
 * `linearize(f, ...primals)` → `[out, fJvp]`: f's outputs, and the linear map
 * `fJvp(...tangents)` of its JVP at `primals` (JAX's jax.linearize). The primal work
 * is done once; `fJvp` replays only the tangent computation.
 */
export function linearize<Out>(f: (...args: never[]) => Out, ...primals: unknown[]): [Out, (...tangents: unknown[]) => Out] {
  const [ps, inDef] = toArrayLeaves(primals, "linearize");
  let outDef: TreeDef | null = null;
  const flat = (...xs: Array[]): Array[] => {
    const [leaves, def] = flatten(((f as (...a: unknown[]) => Out)(...unflatten<unknown[]>(inDef, xs))));
    outDef = def;
    return leaves.map((l) => asArray(l as Array, "linearize"));
  };
  const { primalsOut, linearJaxpr } = linearizeFlat(flat, ps, "linearize");
  const fJvp = (...tangents: unknown[]): Out => {
    const [ts, tDef] = toArrayLeaves(tangents, "linearize");
    if (!tDef.equals(inDef)) {
      throw new ArgumentError(`linearize: tangents have structure ${tDef} but the primals have ${inDef}; they must match.`);
    }
    return unflatten<Out>(outDef!, evalJaxpr(linearJaxpr.jaxpr, linearJaxpr.consts, ts));
  };
  return [unflatten<Out>(outDef!, primalsOut), fJvp];
}
