/**
 * Transpose rules of the linear primitives (JAX's ad.primitive_transposes). A rule
 * gets the output cotangent and the operands — `UndefinedPrimal` for the linear ones —
 * and returns a cotangent per operand (null for the non-linear ones). Only linear
 * primitives have rules, so the table is Partial.
 */
import { FerraxError } from "../core/index.js";
import * as lax from "../lax/index.js";
import type { Array } from "../trace/array.js";
import { broadcastTo, scalar } from "../trace/array-ops.js";
import { Prim, type PrimParams } from "../trace/prim.js";
import { bind1 } from "../trace/trace.js";
import { checkpointTranspose } from "./checkpoint.js";
import { convGeneralDilatedTranspose, reduceWindowSumTranspose } from "./conv-rules.js";
import { cumsumTranspose } from "./cumulative-rules.js";
import { customLinTranspose } from "./custom-vjp.js";
import { gatherT, scatterAddT } from "./gather-rules.js";
import { UndefinedPrimal, type TransposeInput } from "./transpose.js";
import { Zero, type Tangent } from "./zero.js";

export type TransposeRule<P extends Prim> = (
  ct: Array,
  inputs: readonly TransposeInput[],
  params: PrimParams<P>,
) => (Tangent | null)[];

/** For primitives with several outputs: all output cotangents (Zero where none arrived). */
export type MultiTransposeRule<P extends Prim> = (
  cts: readonly Tangent[],
  inputs: readonly TransposeInput[],
  params: PrimParams<P>,
) => (Tangent | null)[];

export const isLinear = (x: TransposeInput | undefined): x is UndefinedPrimal => x instanceof UndefinedPrimal;
const zerosOf = (shape: readonly number[], like: Array): Array => broadcastTo(scalar(0, like.dtype, like.weakType), shape);

/**
 * Sums a cotangent over the axes along which an operand of type `aval` was broadcast
 * by a lax elementwise op (rank-0 operands and size-1 axes), JAX's _unbroadcast.
 */
function unbroadcast(ct: Array, target: UndefinedPrimal): Array {
  const shape = target.aval.shape;
  if (shape.length === 0) return ct.ndim === 0 ? ct : lax.reduceSum(ct, ct.shape.map((_, i) => i));
  const axes = shape.flatMap((d, i) => (d === 1 && ct.shape[i] !== 1 ? [i] : []));
  if (axes.length === 0) return ct;
  return lax.reshape(lax.reduceSum(ct, axes), shape);
}

/** An elementwise op linear in every operand with the given signs (add, sub). */
const addLike =
  (signs: readonly number[]) =>
  (ct: Array, inputs: readonly TransposeInput[]): (Tangent | null)[] =>
    inputs.map((x, i) => (isLinear(x) ? unbroadcast(signs[i]! < 0 ? lax.neg(ct) : ct, x) : null));

/** JAX's _reduce_sum_transpose_rule: broadcast back over the reduced axes. */
const reduceSumT: TransposeRule<Prim.ReduceSum> = (ct, [x], { axes }) => {
  const shape = (x as UndefinedPrimal).aval.shape;
  const kept = shape.map((_, i) => i).filter((i) => !axes.includes(i));
  return [lax.broadcastInDim(ct, shape, kept)];
};

/** JAX's _broadcast_in_dim_transpose_rule: sum over new axes and expanded size-1 axes. */
const broadcastInDimT: TransposeRule<Prim.BroadcastInDim> = (ct, [x], { shape, broadcastDimensions }) => {
  const operand = (x as UndefinedPrimal).aval.shape;
  const unitDims = operand.flatMap((d, i) => (d === 1 ? [i] : []));
  const bdims = broadcastDimensions.filter((_, i) => !unitDims.includes(i));
  const axes = shape.map((_, i) => i).filter((i) => !bdims.includes(i));
  const summed = axes.length ? lax.reduceSum(ct, axes) : ct;
  return [unitDims.length ? lax.reshape(summed, operand) : summed];
};

/**
 * Zero padding: `lo` and `hi` zeros at the ends of each axis and `interior` zeros
 * between elements — the transpose of a strided slice.
 */
function padWithZeros(x: Array, lo: readonly number[], hi: readonly number[], interior: readonly number[]): Array {
  let out = x;
  for (let a = 0; a < x.ndim; a++) {
    const k = interior[a]!;
    const n = out.shape[a]!;
    if (k > 0 && n > 1) {
      const spread = [...out.shape.slice(0, a + 1), 1, ...out.shape.slice(a + 1)];
      const col = lax.reshape(out, spread);
      const gapShape = [...spread];
      gapShape[a + 1] = k;
      const joined = lax.concatenate([col, zerosOf(gapShape, out)], a + 1);
      const flatShape = [...out.shape];
      flatShape[a] = n * (k + 1);
      const flat = lax.reshape(joined, flatShape);
      const limit = [...flatShape];
      limit[a] = n * (k + 1) - k;
      out = lax.slice(flat, flatShape.map(() => 0), limit);
    }
    const parts: Array[] = [];
    const edge = (size: number): Array => {
      const s = [...out.shape];
      s[a] = size;
      return zerosOf(s, out);
    };
    if (lo[a]! > 0) parts.push(edge(lo[a]!));
    parts.push(out);
    if (hi[a]! > 0) parts.push(edge(hi[a]!));
    if (parts.length > 1) out = lax.concatenate(parts, a);
  }
  return out;
}

const sliceT: TransposeRule<Prim.Slice> = (ct, [x], { startIndices, limitIndices, strides }) => {
  const shape = (x as UndefinedPrimal).aval.shape;
  const st = strides ?? shape.map(() => 1);
  // The last element the slice reads on each axis, then the zeros after it.
  const realLimit = shape.map((_, i) => (ct.shape[i] === 0 ? startIndices[i]! : startIndices[i]! + (ct.shape[i]! - 1) * st[i]! + 1));
  const hi = shape.map((d, i) => d - realLimit[i]!);
  if (ct.size === 0) return [zerosOf(shape, ct)];
  void limitIndices;
  return [padWithZeros(ct, startIndices, hi, st.map((s) => s - 1))];
};

const concatenateT: TransposeRule<Prim.Concatenate> = (ct, inputs, { dimension }) => {
  let offset = 0;
  return inputs.map((x) => {
    const shape = isLinear(x) ? x.aval.shape : (x as Array).shape;
    const start = ct.shape.map((_, i) => (i === dimension ? offset : 0));
    const limit = ct.shape.map((d, i) => (i === dimension ? offset + shape[i]! : d));
    offset += shape[dimension]!;
    return isLinear(x) ? lax.slice(ct, start, limit) : null;
  });
};

const selectNT: TransposeRule<Prim.SelectN> = (ct, inputs) => {
  const which = inputs[0] as Array;
  const cases = inputs.slice(1);
  const zeros = zerosOf(ct.shape, ct);
  return [
    null,
    ...cases.map((c, i) =>
      isLinear(c) ? bind1(Prim.SelectN, [which, ...cases.map((_, j) => (j === i ? ct : zeros))], {}) : null,
    ),
  ];
};

/** Consecutive index ranges for lists of the given lengths (JAX's ranges_like). */
function rangesLike(...lists: (readonly number[])[]): number[][] {
  let start = 0;
  return lists.map((l) => {
    const r = l.map((_, i) => start + i);
    start += l.length;
    return r;
  });
}

const argsort = (xs: readonly number[]): number[] => xs.map((_, i) => i).sort((a, b) => xs[a]! - xs[b]!);

/** JAX's _dot_general_transpose_lhs: the cotangent of the lhs, given the rhs. */
function dotTransposeLhs(
  ct: Array,
  xAval: UndefinedPrimal,
  y: Array,
  params: PrimParams<Prim.DotGeneral>,
  swapAns: boolean,
): Array {
  const [[xContract, yContract], [xBatch, yBatch]] = params.dimensionNumbers;
  const xNdim = xAval.aval.ndim;
  const xKept = [...globalThis.Array(xNdim).keys()].filter((i) => !xContract.includes(i) && !xBatch.includes(i));
  const yKept = [...globalThis.Array(y.ndim).keys()].filter((i) => !yContract.includes(i) && !yBatch.includes(i));
  const [ansBatch, ansY] = swapAns
    ? (([b, yk]) => [b!, yk!])(rangesLike(xBatch, yKept, xKept))
    : (([b, , yk]) => [b!, yk!])(rangesLike(xBatch, xKept, yKept));
  const dims = [[ansY, yKept], [ansBatch, yBatch]] as const;
  const xContractSortedByY = argsort(yContract).map((i) => xContract[i]!);
  const outAxes = argsort([...xBatch, ...xKept, ...xContractSortedByY]);
  const prod = bind1(Prim.DotGeneral, [ct, y], {
    dimensionNumbers: dims,
    precision: null,
    preferredElementType: xAval.aval.dtype,
    outSharding: null,
  });
  return lax.transpose(prod, outAxes);
}

const dotGeneralT: TransposeRule<Prim.DotGeneral> = (ct, [x, y], params) => {
  const [[xc, yc], [xb, yb]] = params.dimensionNumbers;
  if (isLinear(x)) return [dotTransposeLhs(ct, x, y as Array, params, false), null];
  const swapped = { ...params, dimensionNumbers: [[yc, xc], [yb, xb]] as const };
  return [null, dotTransposeLhs(ct, y as UndefinedPrimal, x as Array, swapped, true)];
};

/** JAX's _dynamic_slice_transpose_rule: the cotangent written into zeros at the same window. */
const dynamicSliceT: TransposeRule<Prim.DynamicSlice> = (ct, [x, ...indices]) => {
  const zeros = zerosOf((x as UndefinedPrimal).aval.shape, ct);
  return [bind1(Prim.DynamicUpdateSlice, [zeros, ct, ...(indices as Array[])], {}), ...indices.map(() => null)];
};

/**
 * JAX's _dynamic_update_slice_transpose_rule: the operand gets the cotangent with
 * the window zeroed, the update gets the window.
 */
const dynamicUpdateSliceT: TransposeRule<Prim.DynamicUpdateSlice> = (ct, [x, u, ...indices]) => {
  const idx = indices as Array[];
  const uShape = isLinear(u) ? u.aval.shape : (u as Array).shape;
  return [
    isLinear(x) ? bind1(Prim.DynamicUpdateSlice, [ct, zerosOf(uShape, ct), ...idx], {}) : null,
    isLinear(u) ? bind1(Prim.DynamicSlice, [ct, ...idx], { sliceSizes: [...uShape] }) : null,
    ...idx.map(() => null),
  ];
};

/** JAX's _triangular_solve_transpose_rule: linear in b only; b's cotangent solves with op(a)ᵀ. */
const triangularSolveT: TransposeRule<Prim.TriangularSolve> = (ct, [a, b], p) => {
  if (isLinear(a) || !isLinear(b)) throw new FerraxError("triangular_solve: transposable only in b, with a known (internal error).");
  return [null, bind1(Prim.TriangularSolve, [a as Array, ct], { ...p, transposeA: !p.transposeA })];
};

export const transposeRules: Partial<{ [P in Prim]: TransposeRule<P> }> = {
  [Prim.Neg]: (ct) => [lax.neg(ct)],
  [Prim.Add]: addLike([1, 1]),
  [Prim.Sub]: addLike([1, -1]),
  [Prim.Mul]: (ct, [x, y]) => [
    isLinear(x) ? unbroadcast(lax.mul(ct, y as Array), x) : null,
    isLinear(y) ? unbroadcast(lax.mul(x as Array, ct), y) : null,
  ],
  [Prim.Div]: (ct, [x, y]) => [isLinear(x) ? unbroadcast(lax.div(ct, y as Array), x) : null, null],
  [Prim.ConvertElementType]: (ct, [x]) => {
    const aval = (x as UndefinedPrimal).aval;
    return [bind1(Prim.ConvertElementType, [ct], { newDtype: aval.dtype, weakType: aval.weakType, sharding: null })];
  },
  [Prim.ReduceSum]: reduceSumT,
  [Prim.BroadcastInDim]: broadcastInDimT,
  [Prim.Reshape]: (ct, [x]) => [lax.reshape(ct, (x as UndefinedPrimal).aval.shape)],
  [Prim.Transpose]: (ct, _x, { permutation }) => [lax.transpose(ct, argsort(permutation))],
  [Prim.Squeeze]: (ct, [x]) => [lax.reshape(ct, (x as UndefinedPrimal).aval.shape)],
  [Prim.Slice]: sliceT,
  [Prim.Concatenate]: concatenateT,
  [Prim.Rev]: (ct, _x, { dimensions }) => [lax.rev(ct, dimensions)],
  [Prim.DynamicSlice]: dynamicSliceT,
  [Prim.DynamicUpdateSlice]: dynamicUpdateSliceT,
  [Prim.Gather]: gatherT,
  [Prim.ScatterAdd]: scatterAddT,
  [Prim.SelectN]: selectNT,
  [Prim.DotGeneral]: dotGeneralT,
  // linear algebra
  [Prim.TriangularSolve]: triangularSolveT,
  // convolution and windowed reductions (conv-rules.ts)
  [Prim.ConvGeneralDilated]: convGeneralDilatedTranspose,
  [Prim.ReduceWindowSum]: reduceWindowSumTranspose,
  [Prim.Cumsum]: cumsumTranspose,
};

/** Multi-output linear primitives; their rules live with their transforms. */
export const multiOutputTransposeRules: Partial<{ [P in Prim]: MultiTransposeRule<P> }> = {
  [Prim.CustomLin]: customLinTranspose,
  [Prim.Checkpoint]: checkpointTranspose,
};

export { Zero };
