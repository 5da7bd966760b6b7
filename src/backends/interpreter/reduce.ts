/**
 * Reductions over any set of axes (reduce_sum/max/min/prod) and argmax/argmin over one.
 *
 * The reduced axes are removed from the shape. Empty reductions give the identity:
 * sum 0, prod 1, max -inf / INT32_MIN / 0 / false, min +inf / INT32_MAX / 0xFFFFFFFF /
 * true. Floats (float32 too) accumulate in f64 in row-major order and are rounded
 * once at the end; int32/uint32 wrap. max/min propagate NaN and order -0 below +0.
 */
import { type DType, ArgumentError, isFloat } from "../../core/index.js";
import { Prim } from "../../trace/prim.js";
import {
  type ImplRule,
  INT32_MAX,
  INT32_MIN,
  UINT32_MAX,
  allocate,
  first,
  requireNumeric,
  stridedOffsets,
  stridesOf,
} from "./common.js";

type Combine = (acc: number, x: number) => number;

interface Monoid {
  identity: number;
  combine: Combine;
}

export type MonoidFor = (dtype: DType) => Monoid;

export const sumMonoid: MonoidFor = (dtype) => {
  if (isFloat(dtype)) return { identity: 0, combine: (a, x) => a + x };
  if (dtype === "int32") return { identity: 0, combine: (a, x) => (a + x) | 0 };
  return { identity: 0, combine: (a, x) => (a + x) >>> 0 };
};

export const prodMonoid: MonoidFor = (dtype) => {
  if (isFloat(dtype)) return { identity: 1, combine: (a, x) => a * x };
  if (dtype === "int32") return { identity: 1, combine: Math.imul };
  return { identity: 1, combine: (a, x) => Math.imul(a, x) >>> 0 };
};

const MAX_IDENTITY: Readonly<Record<DType, number>> = {
  float32: -Infinity,
  float64: -Infinity,
  int32: INT32_MIN,
  uint32: 0,
  bool: 0,
};

const MIN_IDENTITY: Readonly<Record<DType, number>> = {
  float32: Infinity,
  float64: Infinity,
  int32: INT32_MAX,
  uint32: UINT32_MAX,
  bool: 1,
};

export const maxMonoid: MonoidFor = (dtype) => ({ identity: MAX_IDENTITY[dtype], combine: Math.max });
export const minMonoid: MonoidFor = (dtype) => ({ identity: MIN_IDENTITY[dtype], combine: Math.min });

/**
 * For each input element (row-major), the flat offset of the output element it
 * reduces into: output strides on kept axes, 0 on reduced ones.
 */
function outputOffsets(inShape: readonly number[], axes: readonly number[]): number[] {
  const kept = inShape.filter((_, d) => !axes.includes(d));
  const keptStrides = stridesOf(kept);
  let k = 0;
  const strides = inShape.map((_, d) => (axes.includes(d) ? 0 : keptStrides[k++]!));
  return stridedOffsets(inShape, strides);
}

function reducer<P extends Prim.ReduceSum | Prim.ReduceMax | Prim.ReduceMin | Prim.ReduceProd>(
  prim: P,
  monoidFor: MonoidFor,
  allowBool: boolean,
): ImplRule<P> {
  return (inputs, inAvals, params, outAvals) => {
    const aval = first(inAvals);
    if (!allowBool) requireNumeric(prim, aval.dtype);
    const { identity, combine } = monoidFor(aval.dtype);
    const outAval = first(outAvals);
    const acc = new Array<number>(outAval.size).fill(identity);
    const x = first(inputs);
    const offsets = outputOffsets(aval.shape, params.axes);
    for (let i = 0; i < x.length; i++) {
      const o = offsets[i]!;
      acc[o] = combine(acc[o]!, x[i]!);
    }
    const out = allocate(outAval.dtype, outAval.size);
    for (let o = 0; o < acc.length; o++) out[o] = acc[o]!;
    return [out];
  };
}

/**
 * argmax/argmin along one axis: the first index of the extreme value, where NaN
 * counts as the extreme (the first NaN wins). Over an empty axis the index is 0.
 */
function argReducer<P extends Prim.Argmax | Prim.Argmin>(
  prim: P,
  better: (x: number, best: number) => boolean,
): ImplRule<P> {
  return (inputs, inAvals, params, outAvals) => {
    if (params.axes.length !== 1) {
      throw new ArgumentError(`${prim}: expects exactly one axis, got [${params.axes.join(", ")}].`);
    }
    const axis = params.axes[0]!;
    const aval = first(inAvals);
    const x = first(inputs);
    const inStrides = stridesOf(aval.shape);
    const len = aval.shape[axis]!;
    const step = inStrides[axis]!;
    const keptShape = aval.shape.filter((_, d) => d !== axis);
    const keptStrides = inStrides.filter((_, d) => d !== axis);
    const bases = stridedOffsets(keptShape, keptStrides);
    const outAval = first(outAvals);
    const out = allocate(outAval.dtype, outAval.size);
    for (let o = 0; o < bases.length; o++) {
      let bestIndex = 0;
      let best = len > 0 ? x[bases[o]!]! : NaN;
      for (let k = 1; k < len && !Number.isNaN(best); k++) {
        const v = x[bases[o]! + k * step]!;
        if (Number.isNaN(v) || better(v, best)) {
          best = v;
          bestIndex = k;
        }
      }
      out[o] = bestIndex;
    }
    return [out];
  };
}

export const reduceRules = {
  [Prim.ReduceSum]: reducer(Prim.ReduceSum, sumMonoid, false),
  [Prim.ReduceProd]: reducer(Prim.ReduceProd, prodMonoid, false),
  [Prim.ReduceMax]: reducer(Prim.ReduceMax, maxMonoid, true),
  [Prim.ReduceMin]: reducer(Prim.ReduceMin, minMonoid, true),
  [Prim.Argmax]: argReducer(Prim.Argmax, (v, best) => v > best),
  [Prim.Argmin]: argReducer(Prim.Argmin, (v, best) => v < best),
} satisfies { [P in Prim]?: ImplRule<P> };
