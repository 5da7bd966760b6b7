/**
 * Value arbitraries for the numpy tests: numbers exactly representable in float32
 * (k/8), optionally mixed with NaN, ±inf and ±0; integers for int dtypes; 0/1 for bool.
 */
import fc from "fast-check";
import { type DType, shapeSize } from "../../src/core/index.js";
import type { Array as NdArray } from "../../src/trace/array.js";
import { device } from "./helpers.js";
import { broadcastableShapes } from "../../src/testing/arbitraries.js";

export interface ValueRange {
  /** Magnitude bound (default 50). */
  readonly lim?: number;
  /** Mix NaN, ±inf, ±0 into float data (or only NaN). */
  readonly specials?: boolean | "nan";
  /** Smallest magnitude for non-zero floats (e.g. to stay away from a kink). */
  readonly min?: number;
}

export function valueArb(dtype: DType, r: ValueRange = {}): fc.Arbitrary<number> {
  const lim = r.lim ?? 50;
  if (dtype === "bool") return fc.constantFrom(0, 1);
  if (dtype === "int32") return fc.integer({ min: -Math.floor(lim), max: Math.floor(lim) });
  if (dtype === "uint32") return fc.integer({ min: 0, max: Math.floor(lim) });
  const finite = fc.integer({ min: Math.ceil(-lim * 8), max: Math.floor(lim * 8) }).map((k) => k / 8);
  const base = r.min === undefined ? finite : finite.filter((v) => Math.abs(v) >= r.min!);
  if (!r.specials) return base;
  const specials = r.specials === "nan" ? fc.constant(NaN) : fc.constantFrom(NaN, Infinity, -Infinity, 0, -0);
  return fc.oneof({ arbitrary: base, weight: 4 }, { arbitrary: specials, weight: 1 });
}

/** A device array of `shape` and `dtype` with values from valueArb. */
export function arrayArb(shape: readonly number[], dtype: DType, r: ValueRange = {}): fc.Arbitrary<NdArray> {
  const n = shapeSize(shape);
  return fc.array(valueArb(dtype, r), { minLength: n, maxLength: n }).map((data) => device({ shape, data }, dtype));
}

/** Small shapes: rank 0-3, dims 0-4. */
export const smallShape = (opts: { minRank?: number; maxRank?: number; minDim?: number; maxDim?: number } = {}): fc.Arbitrary<number[]> =>
  fc.array(fc.integer({ min: opts.minDim ?? 0, max: opts.maxDim ?? 4 }), { minLength: opts.minRank ?? 0, maxLength: opts.maxRank ?? 3 });

/** Two shapes that broadcast together (the public `broadcastableShapes`, with these tests' small defaults). */
export const broadcastPair = (opts: { maxRank?: number; maxDim?: number } = {}): fc.Arbitrary<[number[], number[]]> =>
  broadcastableShapes({ maxRank: opts.maxRank ?? 3, maxDim: opts.maxDim ?? 3 });

/** The index into an operand of `shape` for an index of the broadcast output. */
export const broadcastIndex = (idx: readonly number[], shape: readonly number[]): number[] =>
  shape.map((d, k) => (d === 1 ? 0 : idx[idx.length - shape.length + k]!));

/** An axis argument for rank `r`: null, one axis (maybe negative), or a subset of axes. */
export const axisArgArb = (r: number): fc.Arbitrary<number | number[] | null> => {
  const arms: fc.Arbitrary<number | number[] | null>[] = [fc.constant(null), fc.subarray(Array.from({ length: r }, (_, i) => i))];
  if (r > 0) arms.push(fc.integer({ min: -r, max: r - 1 }));
  return fc.oneof(...arms);
};

/** The sorted non-negative axes an axis argument names. */
export const axesOf = (axis: number | readonly number[] | null, r: number): number[] =>
  axis === null ? Array.from({ length: r }, (_, i) => i) : (typeof axis === "number" ? [axis] : [...axis]).map((a) => (a < 0 ? a + r : a)).sort((a, b) => a - b);
