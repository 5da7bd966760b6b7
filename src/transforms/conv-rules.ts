/**
 * JVP and transpose rules of conv_general_dilated and reduce_window_{sum,max,min}
 * (batching rules: conv-vmap.ts); the rule tables refer to them.
 *
 * Feature groups and batch groups are group-major: with q groups, feature (or batch)
 * index j of an operand belongs to group ⌊j / (size / q)⌋. The rules move axes in
 * and out of these grouped dims with `splitAxis` / `mergeAxis`, as JAX's
 * _reshape_axis_out_of / _reshape_axis_into do.
 */
import { isFloat } from "../core/index.js";
import * as lax from "../lax/index.js";
import { rev } from "../lax/structural.js";
import type { Array } from "../trace/array.js";
import { broadcastTo, scalar } from "../trace/array-ops.js";
import { vjpLhsPadding, vjpRhsPadding } from "../trace/conv-shape.js";
import { ConvDimensionNumbers, Prim, type PrimParams, type ReduceWindowParams, type ReduceWindowPrim } from "../trace/prim.js";
import { bind1 } from "../trace/trace.js";
import type { JvpRule } from "./jvp-rules.js";
import type { TransposeRule } from "./transpose-rules.js";
import { UndefinedPrimal } from "./transpose.js";
import { Zero, isZero, zerosLikeAval, type Tangent } from "./zero.js";

type ConvParams = PrimParams<Prim.ConvGeneralDilated>;

/** Splits axis `axis` of size outer·inner into [outer, inner] (outer at `axis`). */
export function splitAxis(x: Array, axis: number, outer: number): Array {
  const shape = [...x.shape];
  shape.splice(axis, 1, outer, x.shape[axis]! / outer);
  return lax.reshape(x, shape);
}

/**
 * Merges axis `src` into axis `dst` (an index among the other axes) as its major part:
 * the result has rank one less, with the merged axis at `dst`.
 */
export function mergeAxis(x: Array, src: number, dst: number): Array {
  const rest = x.shape.map((_, i) => i).filter((i) => i !== src);
  const perm = [...rest.slice(0, dst), src, ...rest.slice(dst)];
  const moved = perm.every((p, i) => p === i) ? x : lax.transpose(x, perm);
  const shape = rest.map((a) => x.shape[a]!);
  shape[dst] = shape[dst]! * x.shape[src]!;
  return lax.reshape(moved, shape);
}

const spatialOf = (shape: readonly number[], spec: readonly number[]): number[] => spec.slice(2).map((d) => shape[d]!);
const swapFirstTwo = (spec: readonly number[]): number[] => [spec[1]!, spec[0]!, ...spec.slice(2)];
const conv = (l: Array, r: Array, p: ConvParams): Array => bind1(Prim.ConvGeneralDilated, [l, r], p);

/** conv_general_dilated is bilinear: d conv(l, r) = conv(dl, r) + conv(l, dr). */
export const convJvp: JvpRule<Prim.ConvGeneralDilated> = ([l, r], tangents, params) => {
  const ans = conv(l!, r!, params);
  const [tl, tr] = tangents as [Tangent, Tangent];
  const parts: Array[] = [];
  if (!isZero(tl)) parts.push(conv(tl, r!, params));
  if (!isZero(tr)) parts.push(conv(l!, tr, params));
  return [[ans], [parts.length ? parts.reduce((a, b) => lax.add(a, b)) : new Zero(ans.aval)]];
};

/** A cotangent in the operands' dtype (a preferred_element_type output is cast back). */
const asOperandDtype = (ct: Array, like: { dtype: Array["dtype"] }): Array =>
  ct.dtype === like.dtype ? ct : lax.convertElementType(ct, like.dtype);

/**
 * The lhs cotangent (JAX's _conv_general_dilated_transpose_lhs): the cotangent
 * convolved with the spatially reversed kernel whose in/out feature roles are swapped,
 * sliding with the forward lhs dilation as stride over the cotangent dilated by the
 * forward strides. Groups move from the kernel's output features into its input features.
 */
function convTransposeLhs(ct: Array, lhs: UndefinedPrimal, rhs: Array, p: ConvParams): Array {
  const { lhsSpec, rhsSpec, outSpec } = p.dimensionNumbers;
  const G = p.featureGroupCount;
  const B = p.batchGroupCount;
  let w = rhs;
  if (G > 1 || B > 1) w = mergeAxis(splitAxis(w, rhsSpec[0]!, Math.max(G, B)), rhsSpec[0]!, rhsSpec[1]!);
  const padding = vjpLhsPadding(
    spatialOf(lhs.aval.shape, lhsSpec), spatialOf(w.shape, rhsSpec), p.windowStrides, spatialOf(ct.shape, outSpec),
    p.padding, p.lhsDilation, p.rhsDilation,
  );
  let out = conv(asOperandDtype(ct, rhs), rev(w, rhsSpec.slice(2)), {
    ...p,
    windowStrides: p.lhsDilation,
    padding,
    lhsDilation: p.windowStrides,
    dimensionNumbers: new ConvDimensionNumbers(outSpec, swapFirstTwo(rhsSpec), lhsSpec),
    featureGroupCount: Math.max(G, B),
    batchGroupCount: 1,
    preferredElementType: null,
  });
  if (B > 1) out = mergeAxis(splitAxis(out, lhsSpec[1]!, B), lhsSpec[1]!, lhsSpec[0]!);
  return out;
}

/**
 * The rhs cotangent (JAX's _conv_general_dilated_transpose_rhs): the lhs, with batch
 * and feature roles swapped, convolved with the cotangent as the kernel; feature
 * groups become batch groups and vice versa.
 */
function convTransposeRhs(ct: Array, lhs: Array, rhs: UndefinedPrimal, p: ConvParams): Array {
  const { lhsSpec, rhsSpec, outSpec } = p.dimensionNumbers;
  const padding = vjpRhsPadding(
    spatialOf(lhs.shape, lhsSpec), spatialOf(rhs.aval.shape, rhsSpec), p.windowStrides, spatialOf(ct.shape, outSpec),
    p.padding, p.lhsDilation, p.rhsDilation,
  );
  return conv(lhs, asOperandDtype(ct, lhs), {
    ...p,
    windowStrides: p.rhsDilation,
    padding,
    rhsDilation: p.windowStrides,
    dimensionNumbers: new ConvDimensionNumbers(swapFirstTwo(lhsSpec), swapFirstTwo(outSpec), swapFirstTwo(rhsSpec)),
    featureGroupCount: p.batchGroupCount,
    batchGroupCount: p.featureGroupCount,
    preferredElementType: null,
  });
}

export const convGeneralDilatedTranspose: TransposeRule<Prim.ConvGeneralDilated> = (ct, [l, r], params) => {
  const zeroIfEmpty = (x: UndefinedPrimal, f: () => Array): Tangent => (ct.size === 0 ? zerosLikeAval(x.aval) : f());
  if (l instanceof UndefinedPrimal) return [zeroIfEmpty(l, () => convTransposeLhs(ct, l, r as Array, params)), null];
  const rhs = r as UndefinedPrimal;
  return [null, zeroIfEmpty(rhs, () => convTransposeRhs(ct, l as Array, rhs, params))];
};

// --- reduce_window -------------------------------------------------------------------

const windowOp = (prim: ReduceWindowPrim, x: Array, p: ReduceWindowParams): Array => bind1(prim, [x], p);

/**
 * reduce_window_sum is linear; its transpose (JAX's _reduce_window_sum_transpose_rule)
 * sums the cotangent back over every window that read each operand position: a
 * reduce_window_sum of the cotangent dilated by the strides, padded so the window
 * reaches each position from every output that covered it.
 */
export const reduceWindowSumTranspose: TransposeRule<Prim.ReduceWindowSum> = (ct, [x], p) => {
  const shape = (x as UndefinedPrimal).aval.shape;
  const padding = vjpLhsPadding(shape, p.windowDimensions, p.windowStrides, ct.shape, p.padding, p.baseDilation, p.windowDilation);
  return [
    windowOp(Prim.ReduceWindowSum, ct, {
      windowDimensions: p.windowDimensions,
      windowStrides: p.baseDilation,
      padding,
      baseDilation: p.windowStrides,
      windowDilation: p.windowDilation,
    }),
  ];
};

/**
 * The window's taps as one-tap windows: tap k of output o reads the dilated operand
 * at o·stride − lo + k·winDil, which a window of size 1 with low padding
 * lo − k·winDil reads too (high padding chosen so the output count matches).
 * Padding reads the monoid's identity, so a tap outside the operand reads −inf
 * (max), +inf (min) or 0 (sum).
 */
function tapParams(p: ReduceWindowParams, inShape: readonly number[], outShape: readonly number[]): ReduceWindowParams[] {
  const taps: number[][] = [[]];
  for (const w of p.windowDimensions) {
    const next: number[][] = [];
    for (const t of taps) for (let k = 0; k < w; k++) next.push([...t, k]);
    taps.splice(0, taps.length, ...next);
  }
  const ones = inShape.map(() => 1);
  return taps.map((k) => ({
    windowDimensions: ones,
    windowStrides: p.windowStrides,
    padding: inShape.map((n, d): [number, number] => {
      const lo = p.padding[d]![0] - k[d]! * p.windowDilation[d]!;
      const dilated = n === 0 ? 0 : 1 + p.baseDilation[d]! * (n - 1);
      return [lo, (outShape[d]! - 1) * p.windowStrides[d]! + 1 - dilated - lo];
    }),
    baseDilation: p.baseDilation,
    windowDilation: ones,
  }));
}

/**
 * reduce_window_max / _min JVP. JAX uses select_and_gather_add; ferrax instead reads
 * each tap of every window with a one-tap reduce_window (exact values, identity on
 * padding), picks per output the first tap holding the extreme (argmax / argmin over
 * the stacked taps), and gathers the tangent at that tap, read the same way with the
 * (linear) one-tap reduce_window_sum. The tangent of a window is the tangent of its
 * first extreme element; ties do not share it.
 */
const chooserWindowJvp =
  <P extends Prim.ReduceWindowMax | Prim.ReduceWindowMin>(prim: P): JvpRule<P> =>
  ([x], [t], p) => {
    const ans = windowOp(prim, x!, p);
    if (isZero(t!) || !isFloat(x!.dtype) || ans.size === 0) return [[ans], [new Zero(ans.aval)]];
    const taps = tapParams(p, x!.shape, ans.shape);
    const stacked = lax.concatenate(taps.map((tp) => lax.reshape(windowOp(prim, x!, tp), [1, ...ans.shape])), 0);
    const best = prim === Prim.ReduceWindowMax ? lax.argmax(stacked, 0) : lax.argmin(stacked, 0);
    const zero = broadcastTo(scalar(0, x!.dtype), ans.shape);
    const pieces = taps.map((tp, k) =>
      lax.selectN(lax.eq(best, broadcastTo(scalar(k, "int32"), ans.shape)), zero, windowOp(Prim.ReduceWindowSum, t as Array, tp)),
    );
    return [[ans], [pieces.reduce((a, b) => lax.add(a, b))]];
  };

export const reduceWindowMaxJvp = chooserWindowJvp(Prim.ReduceWindowMax);
export const reduceWindowMinJvp = chooserWindowJvp(Prim.ReduceWindowMin);
