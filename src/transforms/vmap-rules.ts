/**
 * Batching rules for every primitive (JAX's batching.primitive_batchers), typed
 * exhaustively. A rule gets operand values with their batch dims (null: not batched)
 * and returns outputs with theirs. Factories cover elementwise ops (batch axes
 * aligned, unbatched operands given a size-1 axis rather than broadcast), reductions
 * and shape ops; dot_general turns batch dims into its own batch or free dims.
 */
import { broadcastShapes } from "../core/index.js";
import * as lax from "../lax/index.js";
import type { Array } from "../trace/array.js";
import { broadcastTo, scalar } from "../trace/array-ops.js";
import { LINALG_PRIMS, Prim, type DotDimensionNumbers, type LinalgPrim, type PrimParams } from "../trace/prim.js";
import { bind, bind1 } from "../trace/trace.js";
import { cumulativeVmap } from "./cumulative-rules.js";
import { gatherVmap, scatterVmap } from "./gather-rules.js";
import { convVmap, reduceWindowVmap } from "./conv-vmap.js";
import { checkpointVmap, customJvpCallVmap, customLinVmap, customVjpCallVmap } from "./vmap-higher-order.js";
import { sortVmap } from "./sort-rules.js";

export type BatchDim = number | null;

export type VmapRule<P extends Prim> = (
  vals: readonly Array[],
  dims: readonly BatchDim[],
  params: PrimParams<P>,
  axisSize: number,
) => [Array[], BatchDim[]];

/**
 * Moves a batch axis from `from` to `to`; an unbatched value is broadcast along a new
 * axis `to` (or, with `keepUnbatched`, returned as it is).
 */
export function moveBatchAxis(x: Array, from: BatchDim, to: number, axisSize: number, keepUnbatched = false): Array {
  if (from === null && keepUnbatched) return x;
  if (from === null) {
    const shape = [...x.shape];
    shape.splice(to, 0, axisSize);
    return lax.broadcastInDim(x, shape, x.shape.map((_, i) => (i < to ? i : i + 1)));
  }
  if (from === to) return x;
  const perm = x.shape.map((_, i) => i).filter((i) => i !== from);
  perm.splice(to, 0, from);
  return lax.transpose(x, perm);
}

/**
 * Elementwise primitives (JAX's broadcast_batcher). lax elementwise operands share a
 * rank r (size-1 axes broadcast) or are rank 0. Batched operands get the batch axis
 * first (a batched scalar also gets r size-1 axes); unbatched operands keep rank 0 or
 * get a size-1 leading axis, so nothing is broadcast to the batch size.
 */
const elementwise =
  <P extends Prim>(prim: P): VmapRule<P> =>
  (vals, dims, params, axisSize) => {
    const rank = Math.max(...vals.map((v, i) => v.ndim - (dims[i] === null ? 0 : 1)));
    const moved = vals.map((v, i) => {
      const d = dims[i]!;
      if (d === null) return v.ndim === 0 ? v : lax.broadcastInDim(v, [1, ...v.shape], v.shape.map((_, k) => k + 1));
      const x = moveBatchAxis(v, d, 0, axisSize);
      return x.ndim - 1 < rank ? lax.reshape(x, [axisSize, ...globalThis.Array<number>(rank).fill(1)]) : x;
    });
    return [bind(prim, moved, params), [0]];
  };

/** select_n needs cases of one shape: everything but a scalar predicate goes to [B, ...shape]. */
const selectNVmap: VmapRule<Prim.SelectN> = (vals, dims, params, axisSize) => {
  const logical = (v: Array, d: BatchDim): number[] => v.shape.filter((_, k) => k !== d);
  const caseShape = broadcastShapes("select_n", ...vals.slice(1).map((v, i) => logical(v, dims[i + 1]!)));
  const full = (v: Array, d: BatchDim): Array => {
    if (d === null) return moveBatchAxis(broadcastTo(v, caseShape), null, 0, axisSize);
    // Batch axis first, then the example's axes aligned with the case shape from the right.
    const x = moveBatchAxis(v, d, 0, axisSize);
    const lead = caseShape.length - (x.ndim - 1);
    return lax.broadcastInDim(x, [axisSize, ...caseShape], [0, ...x.shape.slice(1).map((_, k) => 1 + lead + k)]);
  };
  const [pred, ...cases] = vals;
  const p = dims[0] === null && pred!.ndim === 0 ? pred! : full(pred!, dims[0]!);
  return [[bind1(Prim.SelectN, [p, ...cases.map((c, i) => full(c, dims[i + 1]!))], params)], [0]];
};

/** Reductions over `axes`: batch axis first, reduced axes shifted past it. */
const reducer =
  <P extends Prim.ReduceSum | Prim.ReduceMax | Prim.ReduceMin | Prim.ReduceProd | Prim.Argmax | Prim.Argmin>(prim: P): VmapRule<P> =>
  ([x], [d], params, axisSize) => {
    const moved = moveBatchAxis(x!, d!, 0, axisSize);
    const p = { ...params, axes: params.axes.map((a) => a + 1) } as PrimParams<P>;
    return [[bind1(prim, [moved], p)], [0]];
  };

/** Unary shape ops: batch axis first, then the op with its dims shifted by one. */
const shapeOp =
  <P extends Prim>(prim: P, shift: (p: PrimParams<P>, axisSize: number) => PrimParams<P>): VmapRule<P> =>
  ([x], [d], params, axisSize) => [[bind1(prim, [moveBatchAxis(x!, d!, 0, axisSize)], shift(params, axisSize))], [0]];

const inc = (xs: readonly number[]): number[] => xs.map((a) => a + 1);

/** dot_general: batch dims on both sides become a new batch dim; on one side, a free dim. */
const dotGeneralVmap: VmapRule<Prim.DotGeneral> = ([lhs, rhs], [lhsDim, rhsDim], params, axisSize) => {
  const [[lc, rc], [lb, rb]] = params.dimensionNumbers;
  const ld = lhsDim ?? null;
  const rd = rhsDim ?? null;
  const l = moveBatchAxis(lhs!, ld, 0, axisSize, true);
  const r = moveBatchAxis(rhs!, rd, 0, axisSize, true);
  const lShift = ld === null ? (xs: readonly number[]) => [...xs] : inc;
  const rShift = rd === null ? (xs: readonly number[]) => [...xs] : inc;
  const both = ld !== null && rd !== null;
  const dimensionNumbers: DotDimensionNumbers = [
    [lShift(lc), rShift(rc)],
    both ? [[0, ...inc(lb)], [0, ...inc(rb)]] : [lShift(lb), rShift(rb)],
  ];
  const out = bind1(Prim.DotGeneral, [l, r], { ...params, dimensionNumbers });
  // Output dims: batch dims, then lhs free dims, then rhs free dims (each in order).
  const lhsFree = lhs!.ndim - lc.length - lb.length - (ld === null ? 0 : 1);
  const outDim = both ? 0 : ld !== null ? lb.length : lb.length + lhsFree;
  return [[out], [outDim]];
};

const concatenateVmap: VmapRule<Prim.Concatenate> = (vals, dims, params, axisSize) => [
  [bind1(Prim.Concatenate, vals.map((v, i) => moveBatchAxis(v, dims[i]!, 0, axisSize)), { dimension: params.dimension + 1 })],
  [0],
];

const range = (from: number, n: number): number[] => globalThis.Array.from({ length: n }, (_, i) => from + i);

/**
 * dynamic_slice / dynamic_update_slice. Unbatched indices: the batch axis becomes a
 * leading axis of the window, starting at 0. Batched indices select a different
 * window per example: as JAX does, a gather (or a scatter) with the batch axis as
 * operand/indices batching dim and the start indices stacked as index vectors, in
 * clip mode (which clamps windows exactly as dynamic_slice does).
 */
const dynamicWindowVmap =
  <P extends Prim.DynamicSlice | Prim.DynamicUpdateSlice>(prim: P, nArrays: number, widen: (p: PrimParams<P>, n: number) => PrimParams<P>): VmapRule<P> =>
  (vals, dims, params, axisSize) => {
    const arrays = vals.slice(0, nArrays).map((v, i) => moveBatchAxis(v, dims[i]!, 0, axisSize));
    const indices = vals.slice(nArrays);
    const idxDims = dims.slice(nArrays);
    if (idxDims.every((d) => d === null)) {
      const zero = scalar(0, indices[0]?.dtype ?? "int32");
      return [[bind1(prim, [...arrays, zero, ...indices], widen(params, axisSize))], [0]];
    }
    const x = arrays[0]!;
    const nd = x.ndim - 1;
    const outShape = prim === Prim.DynamicSlice ? (params as PrimParams<Prim.DynamicSlice>).sliceSizes : x.shape.slice(1);
    // An empty batch: the batching dim would need a window of 1 on an axis of size 0.
    if (axisSize === 0) return [[broadcastTo(scalar(0, x.dtype, x.weakType), [0, ...outShape])], [0]];
    const columns = indices.map((v, i) => lax.reshape(moveBatchAxis(v, idxDims[i]!, 0, axisSize), [axisSize, 1]));
    const starts = columns.length ? lax.concatenate(columns, 1) : broadcastTo(scalar(0, "int32"), [axisSize, 0]);
    const common = { indicesAreSorted: false, uniqueIndices: false, mode: "clip" as const };
    if (prim === Prim.DynamicSlice) {
      const dimensionNumbers = { offsetDims: range(1, nd), collapsedSliceDims: [], startIndexMap: range(1, nd), operandBatchingDims: [0], startIndicesBatchingDims: [0] };
      return [[bind1(Prim.Gather, [x, starts], { ...common, dimensionNumbers, sliceSizes: [1, ...outShape], fillValue: null })], [0]];
    }
    const dimensionNumbers = {
      updateWindowDims: range(1, nd), insertedWindowDims: [], scatterDimsToOperandDims: range(1, nd), operandBatchingDims: [0], scatterIndicesBatchingDims: [0],
    };
    return [[bind1(Prim.Scatter, [x, starts, arrays[1]!], { ...common, dimensionNumbers, updateJaxpr: null, updateConsts: [] })], [0]];
  };
/**
 * Linear algebra works on the trailing two axes, so every operand gets its batch axis
 * first (unbatched ones are broadcast) and every output is batched at 0.
 */
const batchFirst =
  <P extends LinalgPrim>(prim: P): VmapRule<P> =>
  (vals, dims, params, axisSize) => {
    const outs = bind(prim, vals.map((v, i) => moveBatchAxis(v, dims[i]!, 0, axisSize)), params);
    return [outs, outs.map(() => 0)];
  };
const linalgVmapRules = Object.fromEntries(LINALG_PRIMS.map((p) => [p, batchFirst(p)])) as { [P in LinalgPrim]: VmapRule<P> };

export const vmapRules: { [P in Prim]: VmapRule<P> } = {
  [Prim.Neg]: elementwise(Prim.Neg),
  [Prim.Exp]: elementwise(Prim.Exp),
  [Prim.Log]: elementwise(Prim.Log),
  [Prim.Sin]: elementwise(Prim.Sin),
  [Prim.Cos]: elementwise(Prim.Cos),
  [Prim.Tanh]: elementwise(Prim.Tanh),
  [Prim.Sqrt]: elementwise(Prim.Sqrt),
  [Prim.Logistic]: elementwise(Prim.Logistic),
  [Prim.Abs]: elementwise(Prim.Abs),
  [Prim.Sign]: elementwise(Prim.Sign),
  [Prim.IntegerPow]: elementwise(Prim.IntegerPow),
  [Prim.ConvertElementType]: elementwise(Prim.ConvertElementType),
  [Prim.StopGradient]: elementwise(Prim.StopGradient),
  [Prim.Add]: elementwise(Prim.Add),
  [Prim.Sub]: elementwise(Prim.Sub),
  [Prim.Mul]: elementwise(Prim.Mul),
  [Prim.Div]: elementwise(Prim.Div),
  [Prim.Max]: elementwise(Prim.Max),
  [Prim.Min]: elementwise(Prim.Min),
  [Prim.Pow]: elementwise(Prim.Pow),
  [Prim.Eq]: elementwise(Prim.Eq),
  [Prim.Ne]: elementwise(Prim.Ne),
  [Prim.Lt]: elementwise(Prim.Lt),
  [Prim.Le]: elementwise(Prim.Le),
  [Prim.Gt]: elementwise(Prim.Gt),
  [Prim.Ge]: elementwise(Prim.Ge),
  [Prim.SelectN]: selectNVmap,
  [Prim.ReduceSum]: reducer(Prim.ReduceSum),
  [Prim.ReduceMax]: reducer(Prim.ReduceMax),
  [Prim.ReduceMin]: reducer(Prim.ReduceMin),
  [Prim.ReduceProd]: reducer(Prim.ReduceProd),
  [Prim.Argmax]: reducer(Prim.Argmax),
  [Prim.Argmin]: reducer(Prim.Argmin),
  [Prim.BroadcastInDim]: shapeOp(Prim.BroadcastInDim, (p, n) => ({
    ...p,
    shape: [n, ...p.shape],
    broadcastDimensions: [0, ...inc(p.broadcastDimensions)],
  })),
  [Prim.Reshape]: shapeOp(Prim.Reshape, (p, n) => ({ ...p, newSizes: [n, ...p.newSizes] })),
  [Prim.Transpose]: shapeOp(Prim.Transpose, (p) => ({ permutation: [0, ...inc(p.permutation)] })),
  [Prim.Squeeze]: shapeOp(Prim.Squeeze, (p) => ({ dimensions: inc(p.dimensions) })),
  [Prim.Slice]: shapeOp(Prim.Slice, (p, n) => ({
    startIndices: [0, ...p.startIndices],
    limitIndices: [n, ...p.limitIndices],
    strides: p.strides ? [1, ...p.strides] : null,
  })),
  [Prim.Concatenate]: concatenateVmap,
  [Prim.Rev]: shapeOp(Prim.Rev, (p) => ({ dimensions: inc(p.dimensions) })),
  [Prim.DynamicSlice]: dynamicWindowVmap(Prim.DynamicSlice, 1, (p, n) => ({ sliceSizes: [n, ...p.sliceSizes] })),
  [Prim.DynamicUpdateSlice]: dynamicWindowVmap(Prim.DynamicUpdateSlice, 2, (p) => p),
  [Prim.Gather]: gatherVmap,
  [Prim.Scatter]: scatterVmap(Prim.Scatter),
  [Prim.ScatterAdd]: scatterVmap(Prim.ScatterAdd),
  [Prim.ScatterMul]: scatterVmap(Prim.ScatterMul),
  [Prim.ScatterMin]: scatterVmap(Prim.ScatterMin),
  [Prim.ScatterMax]: scatterVmap(Prim.ScatterMax),
  [Prim.DotGeneral]: dotGeneralVmap,
  // iota has no operands, so it is never batched (the trace binds it unbatched).
  [Prim.Iota]: (vals, _dims, params) => [[bind1(Prim.Iota, vals, params)], [null]],
  ...linalgVmapRules,
  // convolution and windowed reductions (conv-rules.ts)
  [Prim.ConvGeneralDilated]: convVmap,
  [Prim.ReduceWindowSum]: reduceWindowVmap(Prim.ReduceWindowSum),
  [Prim.ReduceWindowMax]: reduceWindowVmap(Prim.ReduceWindowMax),
  [Prim.ReduceWindowMin]: reduceWindowVmap(Prim.ReduceWindowMin),
  [Prim.CustomJvpCall]: customJvpCallVmap,
  [Prim.CustomVjpCall]: customVjpCallVmap,
  [Prim.CustomLin]: customLinVmap,
  [Prim.Checkpoint]: checkpointVmap,
  // --- elementwise additions ---
  [Prim.Floor]: elementwise(Prim.Floor),
  [Prim.Ceil]: elementwise(Prim.Ceil),
  [Prim.Round]: elementwise(Prim.Round),
  [Prim.IsFinite]: elementwise(Prim.IsFinite),
  [Prim.Rem]: elementwise(Prim.Rem),
  [Prim.And]: elementwise(Prim.And),
  [Prim.Or]: elementwise(Prim.Or),
  [Prim.Xor]: elementwise(Prim.Xor),
  [Prim.Not]: elementwise(Prim.Not),
  [Prim.ShiftLeft]: elementwise(Prim.ShiftLeft),
  [Prim.ShiftRightArithmetic]: elementwise(Prim.ShiftRightArithmetic),
  [Prim.ShiftRightLogical]: elementwise(Prim.ShiftRightLogical),
  [Prim.PopulationCount]: elementwise(Prim.PopulationCount),
  [Prim.Clz]: elementwise(Prim.Clz),
  [Prim.Tan]: elementwise(Prim.Tan),
  [Prim.Asin]: elementwise(Prim.Asin),
  [Prim.Acos]: elementwise(Prim.Acos),
  [Prim.Atan]: elementwise(Prim.Atan),
  [Prim.Atan2]: elementwise(Prim.Atan2),
  [Prim.Sinh]: elementwise(Prim.Sinh),
  [Prim.Cosh]: elementwise(Prim.Cosh),
  [Prim.Asinh]: elementwise(Prim.Asinh),
  [Prim.Acosh]: elementwise(Prim.Acosh),
  [Prim.Atanh]: elementwise(Prim.Atanh),
  [Prim.Exp2]: elementwise(Prim.Exp2),
  [Prim.Expm1]: elementwise(Prim.Expm1),
  [Prim.Log1p]: elementwise(Prim.Log1p),
  [Prim.Cbrt]: elementwise(Prim.Cbrt),
  [Prim.Rsqrt]: elementwise(Prim.Rsqrt),
  [Prim.Erf]: elementwise(Prim.Erf),
  [Prim.Erfc]: elementwise(Prim.Erfc),
  [Prim.ErfInv]: elementwise(Prim.ErfInv),
  [Prim.Lgamma]: elementwise(Prim.Lgamma),
  [Prim.Digamma]: elementwise(Prim.Digamma),
  [Prim.Cumsum]: cumulativeVmap(Prim.Cumsum),
  [Prim.Cumprod]: cumulativeVmap(Prim.Cumprod),
  [Prim.Cummax]: cumulativeVmap(Prim.Cummax),
  [Prim.Cummin]: cumulativeVmap(Prim.Cummin),
  [Prim.Sort]: sortVmap,
};
