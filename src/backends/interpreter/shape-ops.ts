/**
 * Shape and movement primitives. Each output element is read from one source
 * offset: `out[i] = x[base + Σ idx[d]·srcStrides[d]]`, with per-output-dimension
 * source strides chosen by the op (0 for a broadcast dimension, permuted for a
 * transpose, scaled for a strided slice). reshape and squeeze keep row-major order
 * and are copies. Every output is a fresh buffer (the interpreter has no views).
 */
import type { Shape, ShapedArray, TypedArray } from "../../core/index.js";
import { Prim } from "../../trace/prim.js";
import {
  type ImplRule,
  allocate,
  first,
  gather,
  stridedOffsets,
  stridesOf,
} from "./common.js";

/** An operand dimension of size 1 is repeated (stride 0); otherwise it maps straight through. */
export const broadcastInDimRule: ImplRule<Prim.BroadcastInDim> = (
  inputs,
  inAvals,
  { shape, broadcastDimensions },
  outAvals,
) => {
  const inShape = first(inAvals).shape;
  const inStrides = stridesOf(inShape);
  const srcStrides = new Array<number>(shape.length).fill(0);
  broadcastDimensions.forEach((outDim, i) => {
    if (inShape[i] !== 1) srcStrides[outDim] = inStrides[i]!;
  });
  return [gather(first(inputs), stridedOffsets(shape, srcStrides), first(outAvals).dtype)];
};

/** Row-major order is unchanged: a copy. */
const copyRule = <P extends Prim.Reshape | Prim.Squeeze>(): ImplRule<P> => (inputs) => [
  first(inputs).slice(),
];

/** out.shape[i] = in.shape[perm[i]], so output dimension i steps by the input's stride perm[i]. */
export const transposeRule: ImplRule<Prim.Transpose> = (inputs, inAvals, { permutation }) => {
  const aval = first(inAvals);
  const inStrides = stridesOf(aval.shape);
  const outShape = permutation.map((p) => aval.shape[p]!);
  const srcStrides = permutation.map((p) => inStrides[p]!);
  return [gather(first(inputs), stridedOffsets(outShape, srcStrides), aval.dtype)];
};

/** Output dimension d has ceil((limit - start) / stride) elements, from start by stride. */
export const sliceRule: ImplRule<Prim.Slice> = (
  inputs,
  inAvals,
  { startIndices, limitIndices, strides },
) => {
  const aval = first(inAvals);
  const inStrides = stridesOf(aval.shape);
  const steps = strides ?? startIndices.map(() => 1);
  const outShape = startIndices.map((s, d) =>
    Math.max(0, Math.ceil((limitIndices[d]! - s) / steps[d]!)),
  );
  const base = startIndices.reduce((acc, s, d) => acc + s * inStrides[d]!, 0);
  const srcStrides = steps.map((st, d) => st * inStrides[d]!);
  return [gather(first(inputs), stridedOffsets(outShape, srcStrides, base), aval.dtype)];
};

/** Each operand is written into the output at its running offset along `dimension`. */
export const concatenateRule: ImplRule<Prim.Concatenate> = (
  inputs,
  inAvals,
  { dimension },
  outAvals,
) => {
  const outAval = first(outAvals);
  const out = allocate(outAval.dtype, outAval.size);
  const outStrides = stridesOf(outAval.shape);
  let start = 0;
  inputs.forEach((x, n) => {
    const shape = inAvals[n]!.shape;
    const dst = stridedOffsets(shape, outStrides, start * outStrides[dimension]!);
    for (let i = 0; i < dst.length; i++) out[dst[i]!] = x[i]!;
    start += shape[dimension]!;
  });
  return [out];
};

/** A reversed axis is walked from its last element with a negated stride. */
export const revRule: ImplRule<Prim.Rev> = (inputs, inAvals, { dimensions }) => {
  const aval = first(inAvals);
  const inStrides = stridesOf(aval.shape);
  const flip = (d: number) => dimensions.includes(d) && aval.shape[d]! > 0;
  const base = aval.shape.reduce((acc, n, d) => acc + (flip(d) ? (n - 1) * inStrides[d]! : 0), 0);
  const srcStrides = inStrides.map((st, d) => (flip(d) ? -st : st));
  return [gather(first(inputs), stridedOffsets(aval.shape, srcStrides, base), aval.dtype)];
};

/**
 * The start of a dynamic window on each axis: the index operand clamped into
 * [0, size - window], as XLA's DynamicSlice clamps it.
 */
export function clampedStarts(indices: readonly TypedArray[], shape: Shape, window: Shape): number[] {
  return shape.map((n, d) => Math.min(Math.max(Number(indices[d]![0]), 0), n - window[d]!));
}

export const dynamicSliceRule: ImplRule<Prim.DynamicSlice> = ([x, ...indices], inAvals, { sliceSizes }) => {
  const aval = first(inAvals);
  const inStrides = stridesOf(aval.shape);
  const starts = clampedStarts(indices, aval.shape, sliceSizes);
  const base = starts.reduce((acc, s, d) => acc + s * inStrides[d]!, 0);
  return [gather(x!, stridedOffsets(sliceSizes, inStrides, base), aval.dtype)];
};

export const dynamicUpdateSliceRule: ImplRule<Prim.DynamicUpdateSlice> = ([x, update, ...indices], inAvals) => {
  const [aval, uAval] = inAvals as [ShapedArray, ShapedArray];
  const strides = stridesOf(aval.shape);
  const starts = clampedStarts(indices, aval.shape, uAval.shape);
  const base = starts.reduce((acc, s, d) => acc + s * strides[d]!, 0);
  const out = x!.slice();
  stridedOffsets(uAval.shape, strides, base).forEach((o, i) => (out[o] = update![i]!));
  return [out];
};

export const shapeRules = {
  [Prim.BroadcastInDim]: broadcastInDimRule,
  [Prim.Reshape]: copyRule<Prim.Reshape>(),
  [Prim.Transpose]: transposeRule,
  [Prim.Squeeze]: copyRule<Prim.Squeeze>(),
  [Prim.Slice]: sliceRule,
  [Prim.Concatenate]: concatenateRule,
  [Prim.Rev]: revRule,
  [Prim.DynamicSlice]: dynamicSliceRule,
  [Prim.DynamicUpdateSlice]: dynamicUpdateSliceRule,
} satisfies { [P in Prim]?: ImplRule<P> };
