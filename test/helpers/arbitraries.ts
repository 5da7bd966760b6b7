/**
 * fast-check arbitraries for ferrax tests: shapes (with zero-size dims), shape pairs
 * that broadcast (numpy's rule and lax's narrower one), dtypes, and row-major data
 * for a dtype. Data is host-side (`HostArray`); `test/helpers/parity.ts` places the
 * same host data on each backend.
 */
import fc from "fast-check";
import { type DType, DTYPES, TYPED_ARRAY, type TypedArray, shapeSize } from "../../src/core/index.js";

export type Shape = readonly number[];

/** Row-major host values of one dtype and shape (bool as 0/1). */
export interface HostArray {
  readonly dtype: DType;
  readonly shape: Shape;
  readonly values: TypedArray;
}

// --- dtypes -------------------------------------------------------------------------

export const FLOAT_DTYPES: readonly DType[] = ["float32", "float64"];
export const INT_DTYPES: readonly DType[] = ["int32", "uint32"];
export const NUMERIC_DTYPES: readonly DType[] = [...FLOAT_DTYPES, ...INT_DTYPES];
export const INT_BOOL_DTYPES: readonly DType[] = [...INT_DTYPES, "bool"];
export const ALL_DTYPES: readonly DType[] = DTYPES;

export const dtypeArb = (dtypes: readonly DType[] = ALL_DTYPES): fc.Arbitrary<DType> =>
  fc.constantFrom(...dtypes);

// --- shapes -------------------------------------------------------------------------

export interface ShapeOptions {
  readonly minRank?: number;
  readonly maxRank?: number;
  readonly maxDim?: number;
  /** Allow size-0 dims (default true): about one dim in nine is 0. */
  readonly zeroSize?: boolean;
  /** Smallest dim when zero-size dims are off (default 1). */
  readonly minDim?: number;
}

/** One dimension: 0 sometimes, 1 often (broadcasting's special case), else 2..maxDim. */
export function dimArb(opts: ShapeOptions = {}): fc.Arbitrary<number> {
  const maxDim = opts.maxDim ?? 5;
  const minDim = opts.zeroSize === false ? Math.max(1, opts.minDim ?? 1) : 0;
  const arms: fc.WeightedArbitrary<number>[] = [];
  if (minDim === 0) arms.push({ arbitrary: fc.constant(0), weight: 1 });
  if (minDim <= 1) arms.push({ arbitrary: fc.constant(1), weight: 2 });
  if (maxDim >= Math.max(2, minDim)) {
    arms.push({ arbitrary: fc.integer({ min: Math.max(2, minDim), max: maxDim }), weight: 6 });
  }
  return fc.oneof(...arms);
}

export function shapeArb(opts: ShapeOptions = {}): fc.Arbitrary<number[]> {
  return fc.array(dimArb(opts), { minLength: opts.minRank ?? 0, maxLength: opts.maxRank ?? 4 });
}

/** An operand shape that numpy-broadcasts to `out`: a suffix of it with some dims set to 1. */
export function broadcastableTo(out: Shape): fc.Arbitrary<number[]> {
  return fc.integer({ min: 0, max: out.length }).chain((rank) =>
    fc
      .array(fc.boolean(), { minLength: rank, maxLength: rank })
      .map((ones) => out.slice(out.length - rank).map((d, i) => (ones[i] ? 1 : d))),
  );
}

/** Two shapes that broadcast together under numpy's rule (ranks may differ). */
export function broadcastPairArb(opts: ShapeOptions = {}): fc.Arbitrary<[number[], number[]]> {
  return shapeArb(opts).chain((out) => fc.tuple(broadcastableTo(out), broadcastableTo(out)));
}

/**
 * Shapes that lax's elementwise rule accepts together: all of one rank with some
 * dims 1, or rank 0 (abstract-eval.ts `elementwiseShape`).
 */
export function laxShapesArb(count: number, opts: ShapeOptions = {}): fc.Arbitrary<number[][]> {
  const operand = (out: Shape): fc.Arbitrary<number[]> =>
    fc.oneof(
      { arbitrary: fc.constant<number[]>([...out]), weight: 4 },
      {
        arbitrary: fc
          .array(fc.boolean(), { minLength: out.length, maxLength: out.length })
          .map((ones) => out.map((d, i) => (ones[i] ? 1 : d))),
        weight: 2,
      },
      { arbitrary: fc.constant<number[]>([]), weight: 1 },
    );
  return shapeArb(opts).chain((out) => fc.tuple(...Array.from({ length: count }, () => operand(out))));
}

/** A sorted subset of the axes of a rank-`ndim` array. */
export const axesArb = (ndim: number): fc.Arbitrary<number[]> =>
  fc.subarray(Array.from({ length: ndim }, (_, i) => i));

/** A permutation of 0..n-1. */
export const permutationArb = (n: number): fc.Arbitrary<number[]> =>
  fc.shuffledSubarray(Array.from({ length: n }, (_, i) => i), { minLength: n, maxLength: n });

// --- values -------------------------------------------------------------------------

export interface ValueOptions {
  /** No NaN or ±Infinity (floats). */
  readonly finite?: boolean;
  /** Range of the finite values (floats and ints; clipped to the dtype's range). */
  readonly min?: number;
  readonly max?: number;
  /** Floats: nonzero finite values smaller than this in magnitude are raised to it (keeping the sign). */
  readonly minAbs?: number;
  /** Mostly draw from a small pool (ties, equal operands, zeros are then common). */
  readonly small?: boolean;
}

const INT_RANGE: Partial<Record<DType, [number, number]>> = {
  int32: [-2147483648, 2147483647],
  uint32: [0, 4294967295],
};

const FLOAT_SPECIALS = [NaN, Infinity, -Infinity, 0, -0];
const SMALL_FLOATS = [-2, -1.5, -1, -0.5, -0, 0, 0.5, 1, 2, 3];

/** One value of `dtype` (as the number a typed array of that dtype stores). */
export function valueArb(dtype: DType, opts: ValueOptions = {}): fc.Arbitrary<number> {
  if (dtype === "bool") return fc.boolean().map((b) => (b ? 1 : 0));
  const intRange = INT_RANGE[dtype];
  if (intRange) {
    const lo = Math.max(intRange[0], Math.ceil(opts.min ?? -Infinity));
    const hi = Math.min(intRange[1], Math.floor(opts.max ?? Infinity));
    const wide = fc.integer({ min: lo, max: hi });
    const narrow = fc.integer({ min: Math.max(lo, Math.min(hi, -3)), max: Math.min(hi, Math.max(lo, 4)) });
    return opts.small
      ? fc.oneof({ arbitrary: narrow, weight: 6 }, { arbitrary: wide, weight: 1 })
      : fc.oneof({ arbitrary: wide, weight: 3 }, { arbitrary: narrow, weight: 1 });
  }
  const f32 = dtype === "float32";
  const range = { min: opts.min ?? -Number.MAX_VALUE, max: opts.max ?? Number.MAX_VALUE };
  const raw = f32
    ? fc.float({
        min: Math.fround(Math.max(range.min, -3.4028234663852886e38)),
        max: Math.fround(Math.min(range.max, 3.4028234663852886e38)),
        noNaN: true,
        noDefaultInfinity: true,
      })
    : fc.double({ min: range.min, max: range.max, noNaN: true, noDefaultInfinity: true });
  const minAbs = opts.minAbs ?? 0;
  const round = f32 ? Math.fround : (v: number): number => v;
  const finite = minAbs > 0 ? raw.map((v) => (v !== 0 && Math.abs(v) < minAbs ? round(Math.sign(v) * minAbs) : v)) : raw;
  const inRange = (v: number): boolean => v >= range.min && v <= range.max;
  const pool = SMALL_FLOATS.filter((v) => inRange(v) && (v === 0 || Math.abs(v) >= minAbs));
  const arms: fc.WeightedArbitrary<number>[] = [{ arbitrary: finite, weight: opts.small ? 1 : 8 }];
  if (pool.length) arms.push({ arbitrary: fc.constantFrom(...pool), weight: opts.small ? 6 : 1 });
  if (!opts.finite) arms.push({ arbitrary: fc.constantFrom(...FLOAT_SPECIALS), weight: 1 });
  return fc.oneof(...arms);
}

/** `size` values of `dtype` in a typed array of that dtype. */
export function valuesArb(dtype: DType, size: number, opts: ValueOptions = {}): fc.Arbitrary<TypedArray> {
  return fc
    .array(valueArb(dtype, opts), { minLength: size, maxLength: size })
    .map((vs) => TYPED_ARRAY[dtype].from(vs));
}

/** Host data of a given dtype and shape. */
export function hostArb(dtype: DType, shape: Shape, opts: ValueOptions = {}): fc.Arbitrary<HostArray> {
  return valuesArb(dtype, shapeSize(shape), opts).map((values) => ({ dtype, shape: [...shape], values }));
}

/** Host data of a given dtype and a random shape. */
export function arrayArb(dtype: DType, shape: ShapeOptions = {}, values: ValueOptions = {}): fc.Arbitrary<HostArray> {
  return shapeArb(shape).chain((s) => hostArb(dtype, s, values));
}

/** Renders host data for failure messages. */
export function showHost(h: HostArray): string {
  const vs = Array.from(h.values, (v) => (Object.is(v, -0) ? "-0" : String(v)));
  return `${h.dtype}[${h.shape.join(",")}] [${vs.join(", ")}]`;
}
