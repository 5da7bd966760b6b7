/**
 * customVjp (JAX's jax.custom_vjp): a function with user-written forward and backward
 * passes. Under differentiation its forward pass runs and a `custom_lin` equation
 * stands for the linear map; transposing custom_lin calls the user's backward pass.
 */
import { ArgumentError, FerraxError, shapeEqual } from "../core/index.js";
import { flatten, unflatten, type TreeDef } from "../core/pytree.js";
import type { Array } from "../trace/array.js";
import { asArray } from "../trace/array-ops.js";
import { Prim, type PrimParams } from "../trace/prim.js";
import { bind } from "../trace/trace.js";
import { checkNoClosedOverTangents, flattenLike, splitArgs, traceForPrimitive, type CustomOptions } from "./custom-jvp.js";
import type { TransposeInput } from "./transpose.js";
import { Zero, instantiate, isZero, type Tangent } from "./zero.js";

type Fn = (...args: never[]) => unknown;
const call = (f: Fn, args: readonly unknown[]): unknown => (f as (...a: unknown[]) => unknown)(...args);

export type CustomVjpFunction<F extends Fn> = F & {
  /**
   * Sets `fwd(...args) → [output, residuals]` and `bwd(...nondiffArgs, residuals, ct) →
   * [ct per differentiable argument]` (null for a zero cotangent), and returns the function.
   */
  defVjp(fwd: Fn, bwd: Fn): CustomVjpFunction<F>;
};

export function customVjp<F extends Fn>(f: F, opts: CustomOptions = {}): CustomVjpFunction<F> {
  let rules: { fwd: Fn; bwd: Fn } | null = null;
  const name = f.name || "fun";
  const g = ((...args: unknown[]) => {
    if (!rules) throw new FerraxError(`customVjp: ${name} has no VJP rule; call .defVjp(fwd, bwd) before calling it.`);
    const { fwd: userFwd, bwd: userBwd } = rules;
    const { leaves, inDef, nondiffArgs, withLeaves } = splitArgs("customVjp", args, opts);
    const { jaxpr, consts, outDef } = traceForPrimitive("customVjp", (xs) => call(f, withLeaves(xs)), leaves);
    let resDef: TreeDef | null = null;
    const fwd = (primals: Array[]): [Array[], Array[]] => {
      const result = call(userFwd, withLeaves(primals));
      if (!globalThis.Array.isArray(result) || result.length !== 2) {
        throw new ArgumentError(`customVjp: ${name}'s fwd must return [output, residuals].`);
      }
      const [res, def] = flatten(result[1]);
      resDef = def;
      return [flattenLike("customVjp", "fwd's output", result[0], outDef), res.map((r) => asArray(r as Array, "customVjp"))];
    };
    const bwd = (residuals: Array[], cts: Array[]): (Array | null)[] => {
      const out = call(userBwd, [...nondiffArgs, unflatten(resDef!, residuals), unflatten(outDef, cts)]);
      const argDefs = inDef.children;
      if (!globalThis.Array.isArray(out) || out.length !== argDefs.length) {
        throw new ArgumentError(
          `customVjp: ${name}'s bwd must return a list with one cotangent per differentiable argument (${argDefs.length}), ` +
            `got ${globalThis.Array.isArray(out) ? `${out.length}` : typeof out}.`,
        );
      }
      // One entry per argument: a pytree like the argument, or null for zeros.
      const flatCts = out.flatMap((c, k) => {
        if (c === null || c === undefined) return globalThis.Array<Array | null>(argDefs[k]!.numLeaves).fill(null);
        return flattenLike("customVjp", `bwd's cotangent for argument ${k}`, c, argDefs[k]!);
      });
      return flatCts.map((a, i) => {
        if (a && (!shapeEqual(a.shape, leaves[i]!.shape) || a.dtype !== leaves[i]!.dtype)) {
          throw new ArgumentError(
            `customVjp: ${name}'s bwd returned a cotangent ${a.aval.strShort()} for an input of type ${leaves[i]!.aval.strShort()}; they must match.`,
          );
        }
        return a;
      });
    };
    const outs = bind(Prim.CustomVjpCall, [...consts, ...leaves], {
      name,
      callJaxpr: jaxpr,
      fwd,
      bwd,
      numConsts: consts.length,
      symbolicZeros: false,
    });
    return unflatten(outDef, outs);
  }) as unknown as CustomVjpFunction<F>;
  g.defVjp = (fwd: Fn, bwd: Fn) => {
    rules = { fwd, bwd };
    return g;
  };
  return g;
}

/** JVP of custom_vjp_call: run fwd now; the tangent map is a custom_lin over the residuals. */
export function customVjpCallJvp(
  primals: readonly Array[],
  tangents: readonly Tangent[],
  params: PrimParams<Prim.CustomVjpCall>,
): [Array[], Tangent[]] {
  const n = params.numConsts;
  checkNoClosedOverTangents("customVjp", tangents, n);
  const [outs, res] = params.fwd(primals.slice(n));
  const outAvals = params.callJaxpr.outAvals;
  if (tangents.slice(n).every((t) => isZero(t))) return [outs, outAvals.map((a) => new Zero(a))];
  const touts = bind(Prim.CustomLin, [...res, ...tangents.slice(n).map(instantiate)], {
    numRes: res.length,
    bwd: params.bwd,
    outAvals,
    symbolicZeros: false,
  });
  return [outs, touts];
}

/** custom_lin is linear in its non-residual operands; its transpose is the user's bwd. */
export function customLinTranspose(
  cts: readonly Tangent[],
  inputs: readonly TransposeInput[],
  params: PrimParams<Prim.CustomLin>,
): (Tangent | null)[] {
  const res = inputs.slice(0, params.numRes) as Array[];
  const ctsIn = params.bwd(res, cts.map(instantiate));
  return [...res.map(() => null), ...ctsIn];
}

/** Forward mode through a customVjp function's linear map is not defined (as in JAX). */
export function customLinJvp(): never {
  throw new FerraxError(
    "custom_lin: can't apply forward-mode autodiff (jvp) to a customVjp function; use reverse mode, or a customJvp rule.",
  );
}
