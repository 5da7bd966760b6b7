/**
 * Shared pieces of the interpreter backend: the shape of an impl rule, allocation,
 * dtype guards, and the one indexing helper everything else is written with.
 *
 * The interpreter favours being obviously right over being fast: every movement op
 * is "compute the source offset of each output element, then gather", and every
 * reduction is "compute the output offset of each input element, then accumulate".
 */
import {
  type DType,
  type Shape,
  type ShapedArray,
  type TypedArray,
  DTypeError,
  TYPED_ARRAY,
  contiguousStrides,
  isFloat,
  shapeEqual,
  shapeSize,
} from "../../core/index.js";
import type { Prim, PrimParams } from "../../trace/prim.js";

/**
 * Computes one primitive on host values. `inputs[i]` is the row-major data of
 * `inAvals[i]`; the result holds one row-major array per entry of `outAvals`, each
 * a fresh TypedArray of that aval's dtype. Inputs are never mutated.
 */
export type ImplRule<P extends Prim> = (
  inputs: readonly TypedArray[],
  inAvals: readonly ShapedArray[],
  params: PrimParams<P>,
  outAvals: readonly ShapedArray[],
) => TypedArray[];

export const INT32_MIN = -2147483648;
export const INT32_MAX = 2147483647;
export const UINT32_MAX = 4294967295;

/** A zero-filled row-major buffer for `size` elements of `dtype`. */
export function allocate(dtype: DType, size: number): TypedArray {
  return new TYPED_ARRAY[dtype](size);
}

/** Throws a DTypeError naming the op unless `dtype` satisfies `ok`. */
export function requireDtype(
  op: string,
  dtype: DType,
  ok: (d: DType) => boolean,
  accepted: string,
): void {
  if (!ok(dtype)) {
    throw new DTypeError(
      `${op}: the interpreter backend does not accept dtype ${dtype}; ` +
        `it accepts ${accepted}. Cast the operand with convert_element_type first.`,
    );
  }
}

export const requireFloat = (op: string, dtype: DType): void =>
  requireDtype(op, dtype, isFloat, "float32 and float64");

export const requireNumeric = (op: string, dtype: DType): void =>
  requireDtype(op, dtype, (d) => d !== "bool", "float32, float64, int32 and uint32");

/** Row-major strides of `shape`, in elements (re-exported for the rule files). */
export const stridesOf = (shape: Shape): number[] => contiguousStrides(shape);

/**
 * For every index of `shape`, in row-major order, the offset `base + Σ idx[d]·strides[d]`.
 * Each flat index is unravelled from scratch: slow, and plainly correct. A shape with
 * a zero-size dimension yields no offsets; a rank-0 shape yields `[base]`.
 */
export function stridedOffsets(shape: Shape, strides: readonly number[], base = 0): number[] {
  const n = shapeSize(shape);
  const out = new Array<number>(n);
  for (let flat = 0; flat < n; flat++) {
    let rem = flat;
    let off = base;
    for (let ax = shape.length - 1; ax >= 0; ax--) {
      const size = shape[ax]!;
      const coord = rem % size;
      rem = (rem - coord) / size;
      off += coord * strides[ax]!;
    }
    out[flat] = off;
  }
  return out;
}

/**
 * Where an elementwise operand of shape `inShape` is read for each element of the
 * output, or null when it has the output's shape (read element i at i). Operands
 * broadcast as abstract evaluation allows: rank-0 operands stand for every element,
 * and size-1 axes repeat (numpy's right-aligned rule, which covers both).
 */
export function operandOffsets(inShape: Shape, outShape: Shape): readonly number[] | null {
  if (shapeEqual(inShape, outShape)) return null;
  const inStrides = stridesOf(inShape);
  const lead = outShape.length - inShape.length;
  const strides = outShape.map((_, d) => {
    const k = d - lead;
    return k < 0 || inShape[k] === 1 ? 0 : inStrides[k]!;
  });
  return stridedOffsets(outShape, strides);
}

/** A fresh array of `dtype` holding `src[offsets[i]]` at position i. */
export function gather(src: TypedArray, offsets: readonly number[], dtype: DType): TypedArray {
  const out = allocate(dtype, offsets.length);
  for (let i = 0; i < offsets.length; i++) out[i] = src[offsets[i]!]!;
  return out;
}

/** The first input, which every rule with at least one operand has. */
export function first<T>(xs: readonly T[]): T {
  return xs[0] as T;
}
