/**
 * Helpers for the numpy tests: host-side n-d arrays (shape + row-major numbers) for
 * plain-JS references, index arithmetic, comparisons (NaN equals NaN, ±inf must
 * match), and the vmap check: `vmap(f)(xs)` equals stacking `f(x_i)`.
 */
import fc from "fast-check";
import { expect } from "vitest";
import { type DType, ShapedArray, TYPED_ARRAY, shapeSize } from "../../src/core/index.js";
import { lax, vmap } from "../../src/index.js";
import { arrays } from "../../src/testing/index.js";
import type { Array as NdArray } from "../../src/trace/array.js";
import { concreteFromValues } from "../../src/trace/concrete.js";

export interface Host {
  readonly shape: readonly number[];
  readonly data: readonly number[];
}

export const RUNS = { numRuns: 20 } as const;

export const host = (x: NdArray): Host => ({ shape: [...x.shape], data: Array.from(x.dataSync(), Number) });

export const device = (h: Host, dtype: DType = "float32"): NdArray =>
  concreteFromValues(TYPED_ARRAY[dtype].from(h.data), new ShapedArray([...h.shape], dtype));

export function unravel(i: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length);
  for (let k = shape.length - 1; k >= 0; k--) {
    idx[k] = i % shape[k]!;
    i = Math.floor(i / shape[k]!);
  }
  return idx;
}

export const ravelIndex = (idx: readonly number[], shape: readonly number[]): number =>
  idx.reduce((acc, v, k) => acc * shape[k]! + v, 0);

/** A host array whose element at each index is f(index). */
export function fromFn(shape: readonly number[], f: (idx: number[]) => number): Host {
  return { shape: [...shape], data: Array.from({ length: shapeSize(shape) }, (_, i) => f(unravel(i, shape))) };
}

/** Element of h at a (full) index. */
export const at = (h: Host, idx: readonly number[]): number => h.data[ravelIndex(idx, h.shape)]!;

/** Reduces `axes` of h with f over the list of values (row-major order within each group). */
export function reduceHost(h: Host, axes: readonly number[], f: (vals: number[]) => number, keepdims = false): Host {
  const outShape = h.shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const groups: number[][] = Array.from({ length: shapeSize(outShape) }, () => []);
  h.data.forEach((v, i) => {
    const idx = unravel(i, h.shape).map((d, k) => (axes.includes(k) ? 0 : d));
    groups[ravelIndex(idx, outShape)]!.push(v);
  });
  const shape = keepdims ? outShape : h.shape.filter((_, i) => !axes.includes(i));
  return { shape, data: groups.map(f) };
}

export interface Tol {
  readonly rtol?: number;
  readonly atol?: number;
}

/** Compares values (NaN equals NaN; infinities must match exactly). */
export function expectClose(actual: NdArray | Host, expected: Host, tol: Tol = {}, what = ""): void {
  const a: Host = typeof actual.data === "function" ? host(actual as NdArray) : (actual as Host);
  expect(a.shape, `${what} shape`).toEqual([...expected.shape]);
  const rtol = tol.rtol ?? 1e-5;
  const atol = tol.atol ?? 1e-6;
  a.data.forEach((v, i) => {
    const w = expected.data[i]!;
    const ok = Number.isNaN(w) ? Number.isNaN(v) : !Number.isFinite(w) ? v === w : Math.abs(v - w) <= atol + rtol * Math.abs(w);
    if (!ok) expect(v, `${what} element ${i} (index ${unravel(i, a.shape)}): got ${v}, want ${w}`).toBe(w);
  });
}

/** Float tolerance for a dtype (float32 results vs float64 references). */
export const tolFor = (dtype: DType): Tol => (dtype === "float64" ? { rtol: 1e-10, atol: 1e-12 } : { rtol: 2e-5, atol: 1e-5 });

/** x[i] along axis 0, as an eager array. */
export function index0(x: NdArray, i: number): NdArray {
  const start = x.shape.map((_, k) => (k === 0 ? i : 0));
  const limit = x.shape.map((d, k) => (k === 0 ? i + 1 : d));
  return lax.reshape(lax.slice(x, start, limit), x.shape.slice(1));
}

/**
 * vmap(f) over axis 0 of every input equals f applied to each slice: each output
 * leaf's i-th slice equals f(x_i)'s leaf (compared with `tol`, exactly by default).
 */
export function checkVmap(f: (...xs: NdArray[]) => NdArray | NdArray[], xs: readonly NdArray[], tol: Tol = { rtol: 0, atol: 0 }): void {
  const batched = vmap(f as (...a: NdArray[]) => NdArray)(...xs) as NdArray | NdArray[];
  const outs = Array.isArray(batched) ? batched : [batched];
  const n = xs[0]!.shape[0]!;
  for (let i = 0; i < n; i++) {
    const single = f(...xs.map((x) => index0(x, i)));
    const singles = Array.isArray(single) ? single : [single];
    expect(singles.length).toBe(outs.length);
    singles.forEach((s, k) => {
      expect(outs[k]!.dtype, "vmap dtype").toBe(s.dtype);
      expectClose(index0(outs[k]!, i), host(s), tol, `vmap output ${k}, example ${i}`);
    });
  }
}

/** Arrays of a shape drawn from small shapes, float32 or float64, values in [-lim, lim]. */
export const floatArrays = (shape: fc.Arbitrary<number[]>, lim = 10): fc.Arbitrary<NdArray> =>
  arrays({ shape, dtype: fc.constantFrom<DType>("float32", "float64"), min: -lim, max: lim });

/** A batch of `n` float64 arrays of `shape` (for vmap checks). */
export const batchOf = (n: number, shape: readonly number[], seed = 1, dtype: DType = "float64"): NdArray =>
  device(fromFn([n, ...shape], (idx) => Math.sin(seed + 1.7 * ravelIndex(idx, [n, ...shape])) * 3), dtype);

/** A deterministic float64 array of `shape` (values sin(seed + 1.3·i)·2). */
export const det = (shape: readonly number[], seed = 0, dtype: DType = "float64"): NdArray =>
  device(fromFn(shape, (idx) => Math.sin(seed + 1.3 * ravelIndex(idx, shape)) * 2), dtype);
