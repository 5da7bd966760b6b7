/**
 * Autodiff and batching rules of the cumulative reductions (cumsum, cumprod, cummax,
 * cummin). cumsum is linear (its jvp rule is in jvp-rules.ts); a reverse scan is
 * differentiated as the forward scan of the reversed operand, reversed back.
 */
import { isFloat } from "../core/index.js";
import * as lax from "../lax/index.js";
import type { Array } from "../trace/array.js";
import { broadcastTo, scalar } from "../trace/array-ops.js";
import { type CumulativePrim, Prim } from "../trace/prim.js";
import { bind1 } from "../trace/trace.js";
import type { JvpRule } from "./jvp-rules.js";
import type { TransposeRule } from "./transpose-rules.js";
import type { VmapRule } from "./vmap-rules.js";
import { Zero, isZero } from "./zero.js";

/** `v` moved `d` (0 < d < n) places up along `axis`: the first `d` entries are `fill`, the last `d` drop off. */
function shiftAlong(v: Array, axis: number, d: number, fill: number): Array {
  const n = v.shape[axis]!;
  const head = broadcastTo(scalar(fill, v.dtype, v.weakType), v.shape.map((s, i) => (i === axis ? d : s)));
  const kept = lax.slice(v, v.shape.map(() => 0), v.shape.map((s, i) => (i === axis ? n - d : s)));
  return lax.concatenate([head, kept], axis);
}

/** out[..., i, ...] = v[..., k[..., i, ...], ...] along `axis`, for in-range int32 indices `k` shaped like `v`. */
export function takeAlong(v: Array, k: Array, axis: number): Array {
  const batch = v.shape.map((_, i) => i).filter((i) => i !== axis);
  const dn = { offsetDims: [], collapsedSliceDims: [axis], startIndexMap: [axis], operandBatchingDims: batch, startIndicesBatchingDims: batch };
  return lax.gather(v, lax.reshape(k, [...k.shape, 1]), dn, v.shape.map(() => 1), { mode: "promise_in_bounds" });
}

/** Applies a forward-scan tangent rule, reversing operand and result for a reverse scan. */
const oriented =
  (forward: (x: Array, t: Array, axis: number) => Array) =>
  (x: Array, t: Array, axis: number, reverse: boolean): Array =>
    reverse ? lax.rev(forward(lax.rev(x, [axis]), lax.rev(t, [axis]), axis), [axis]) : forward(x, t, axis);

/**
 * cummax / cummin: each output takes the tangent of the element that set its running
 * extreme, the first one in scan order when values tie (JAX differentiates its
 * associative-scan form, which also picks one tied element). A running max of the
 * positions where the running extreme changes gives, for every output, the index to read.
 */
const extremeTangent = (prim: Prim.Cummax | Prim.Cummin) =>
  oriented((x, t, axis) => {
    const ans = bind1(prim, [x], { axis, reverse: false });
    const n = x.shape[axis]!;
    // Nothing to select from: one element per scan, or no elements at all (the gather
    // below needs size-1 slices, which a zero-size axis cannot give).
    if (n <= 1 || x.size === 0) return t;
    // Where the running extreme differs from its predecessor (the identity before the
    // first element; position 0 reads index 0 either way).
    const changes = lax.ne(ans, shiftAlong(ans, axis, 1, prim === Prim.Cummax ? -Infinity : Infinity));
    const position = lax.broadcastedIota("int32", x.shape, axis);
    const source = bind1(Prim.Cummax, [lax.selectN(changes, broadcastTo(scalar(0, "int32"), x.shape), position)], { axis, reverse: false });
    return takeAlong(t, source, axis);
  });

/**
 * cumprod: the tangent of the product scan computed as a scan itself, over pairs
 * (p, t) combined by the product rule (p1, t1)·(p2, t2) = (p1 p2, t1 p2 + p1 t2),
 * in ⌈log2 n⌉ doubling steps (Hillis–Steele). Built from mul/add/slice only, it is
 * exact where x has zeros and differentiable to any order, as JAX's jvp of its
 * associative-scan cumprod is (docs/decisions.md).
 */
const prodTangent = oriented((x, t0, axis) => {
  const n = x.shape[axis]!;
  let p = x;
  let t = t0;
  for (let d = 1; d < n; d *= 2) {
    const pBefore = shiftAlong(p, axis, d, 1);
    t = lax.add(lax.mul(shiftAlong(t, axis, d, 0), p), lax.mul(pBefore, t));
    p = lax.mul(pBefore, p);
  }
  return t;
});

/** The jvp of a non-linear cumulative reduction from its tangent map; integer operands have no tangent. */
const cumulativeJvp =
  <P extends Prim.Cumprod | Prim.Cummax | Prim.Cummin>(prim: P, tangentOf: (x: Array, t: Array, axis: number, reverse: boolean) => Array): JvpRule<P> =>
  ([x], [t], params) => {
    const ans = bind1(prim, [x!], params);
    if (isZero(t!) || !isFloat(x!.dtype)) return [[ans], [new Zero(ans.aval)]];
    return [[ans], [tangentOf(x!, t!, params.axis, params.reverse)]];
  };

export const cumprodJvp = cumulativeJvp(Prim.Cumprod, prodTangent);
export const cummaxJvp = cumulativeJvp(Prim.Cummax, extremeTangent(Prim.Cummax));
export const cumminJvp = cumulativeJvp(Prim.Cummin, extremeTangent(Prim.Cummin));

/** JAX: cumsum's transpose is cumsum of the cotangent in the other direction. */
export const cumsumTranspose: TransposeRule<Prim.Cumsum> = (ct, _x, { axis, reverse }) => [
  bind1(Prim.Cumsum, [ct], { axis, reverse: !reverse }),
];

/** The batch axis stays where it is; the scanned axis moves past it if it was at or after it. */
export const cumulativeVmap =
  <P extends CumulativePrim>(prim: P): VmapRule<P> =>
  ([x], [d], params) => {
    const axis = params.axis >= d! ? params.axis + 1 : params.axis;
    return [[bind1(prim, [x!], { ...params, axis })], [d!]];
  };
