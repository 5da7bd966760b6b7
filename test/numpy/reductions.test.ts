// Reductions composed from primitives (var, std, logsumexp, all, any, countNonzero,
// average, ptp, and the nan-variants): values against plain-JS references over
// shapes, axis arguments, keepdims and dtypes; gradients; vmap; errors.
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { ArgumentError, ShapeError, memoryStats, numpy as np } from "../../src/index.js";
import type { DType } from "../../src/core/index.js";
import { checkGrads } from "../../src/testing/index.js";
import type { Array as NdArray } from "../../src/trace/array.js";
import { RUNS, batchOf, checkVmap, det, device, expectClose, host, reduceHost } from "./helpers.js";
import { type ValueRange, arrayArb, axesOf, axisArgArb, smallShape } from "./values.js";

type Axis = number | number[] | null;
const sumOf = (v: number[]): number => v.reduce((a, b) => a + b, 0);
const meanOf = (v: number[]): number => sumOf(v) / v.length;
const varOf = (ddof: number) => (v: number[]): number => {
  const m = meanOf(v);
  return sumOf(v.map((x) => (x - m) ** 2)) / Math.max(v.length - ddof, 0);
};
const finite = (v: number[]): number[] => v.filter((x) => !Number.isNaN(x));
function lseOf(v: number[]): number {
  const m = Math.max(...v);
  if (!Number.isFinite(m)) return m;
  return m + Math.log(sumOf(v.map((x) => Math.exp(x - m))));
}
function nanArg(v: number[], max: boolean): number {
  let best = -1;
  v.forEach((x, i) => {
    if (!Number.isNaN(x) && (best < 0 || (max ? x > v[best]! : x < v[best]!))) best = i;
  });
  return best;
}

interface ReduceCase {
  readonly f: (x: NdArray, axis: Axis, keepdims: boolean) => NdArray;
  readonly ref: (v: number[]) => number;
  readonly dtypes: DType[];
  readonly out: (d: DType) => DType;
  readonly range?: ValueRange;
  /** Reduced axes must be non-empty (max/min-like). */
  readonly nonEmpty?: boolean;
  readonly tol?: { rtol: number; atol: number };
}

const inexact = (d: DType): DType => (d === "float64" ? "float64" : "float32");
const FLOATS: DType[] = ["float32", "float64"];
const NUMERIC: DType[] = ["float32", "float64", "int32"];
const ALL: DType[] = ["float32", "float64", "int32", "bool"];
const loose = { rtol: 1e-4, atol: 1e-3 };

const CASES: Record<string, ReduceCase> = {
  var: { f: (x, axis, keepdims) => np.var(x, axis, { keepdims }), ref: varOf(0), dtypes: NUMERIC, out: inexact, tol: loose },
  "var ddof=1": { f: (x, axis, keepdims) => np.var(x, { axis, keepdims, ddof: 1 }), ref: varOf(1), dtypes: NUMERIC, out: inexact, tol: loose },
  std: { f: (x, axis, keepdims) => np.std(x, axis, { keepdims }), ref: (v) => Math.sqrt(varOf(0)(v)), dtypes: NUMERIC, out: inexact, tol: loose },
  logsumexp: { f: (x, axis, keepdims) => np.logsumexp(x, axis, { keepdims }), ref: lseOf, dtypes: NUMERIC, out: inexact, tol: loose },
  all: { f: (x, axis, keepdims) => np.all(x, axis, { keepdims }), ref: (v) => +v.every((x) => x !== 0), dtypes: ALL, out: () => "bool", range: { specials: true, lim: 1 } },
  any: { f: (x, axis, keepdims) => np.any(x, { axis, keepdims }), ref: (v) => +v.some((x) => x !== 0), dtypes: ALL, out: () => "bool", range: { specials: true, lim: 1 } },
  countNonzero: { f: (x, axis, keepdims) => np.countNonzero(x, axis, { keepdims }), ref: (v) => v.filter((x) => x !== 0).length, dtypes: ALL, out: () => "int32", range: { specials: true, lim: 1 } },
  average: { f: (x, axis, keepdims) => np.average(x, axis, { keepdims }), ref: meanOf, dtypes: NUMERIC, out: inexact, tol: loose },
  ptp: { f: (x, axis, keepdims) => np.ptp(x, axis, { keepdims }), ref: (v) => Math.max(...v) - Math.min(...v), dtypes: NUMERIC, out: (d) => d, nonEmpty: true },
  nansum: { f: (x, axis, keepdims) => np.nansum(x, axis, { keepdims }), ref: (v) => sumOf(finite(v)), dtypes: NUMERIC, out: (d) => d, range: { specials: "nan" }, tol: loose },
  nanprod: { f: (x, axis, keepdims) => np.nanprod(x, axis, { keepdims }), ref: (v) => finite(v).reduce((a, b) => a * b, 1), dtypes: FLOATS, out: (d) => d, range: { specials: "nan", lim: 2 }, tol: loose },
  nanmean: { f: (x, axis, keepdims) => np.nanmean(x, axis, { keepdims }), ref: (v) => meanOf(finite(v)), dtypes: NUMERIC, out: inexact, range: { specials: "nan" }, tol: loose },
  nanvar: { f: (x, axis, keepdims) => np.nanvar(x, axis, { keepdims, ddof: 1 }), ref: (v) => (finite(v).length <= 1 ? NaN : varOf(1)(finite(v))), dtypes: FLOATS, out: inexact, range: { specials: "nan" }, tol: loose },
  nanstd: { f: (x, axis, keepdims) => np.nanstd(x, { axis, keepdims }), ref: (v) => (finite(v).length === 0 ? NaN : Math.sqrt(varOf(0)(finite(v)))), dtypes: FLOATS, out: inexact, range: { specials: "nan" }, tol: loose },
  nanmax: { f: (x, axis, keepdims) => np.nanmax(x, axis, { keepdims }), ref: (v) => (finite(v).length ? Math.max(...finite(v)) : NaN), dtypes: NUMERIC, out: (d) => d, range: { specials: "nan" }, nonEmpty: true },
  nanmin: { f: (x, axis, keepdims) => np.nanmin(x, axis, { keepdims }), ref: (v) => (finite(v).length ? Math.min(...finite(v)) : NaN), dtypes: NUMERIC, out: (d) => d, range: { specials: "nan" }, nonEmpty: true },
};

describe("reductions: values against JS references over shapes, axes, keepdims and dtypes", () => {
  for (const [name, c] of Object.entries(CASES)) {
    test(name, () => {
      const arb = fc
        .tuple(smallShape({ minDim: c.nonEmpty ? 1 : 0 }), fc.constantFrom(...c.dtypes), fc.boolean())
        .chain(([s, d, keepdims]) => fc.tuple(arrayArb(s, d, c.range), axisArgArb(s.length), fc.constant(keepdims), fc.constant(d)));
      fc.assert(
        fc.property(arb, ([x, axis, keepdims, d]) => {
          const y = c.f(x, axis, keepdims);
          expect(y.dtype).toBe(c.out(d));
          const want = reduceHost(host(x), axesOf(axis, x.ndim), c.ref, keepdims);
          expectClose(y, want, d === "float64" ? { rtol: 1e-9, atol: 1e-9 } : (c.tol ?? { rtol: 2e-5, atol: 1e-5 }), name);
        }),
        RUNS,
      );
    });
  }

  test("nanargmax, nanargmin: one axis or all, -1 where everything is NaN", () => {
    const arb = fc
      .tuple(smallShape({ minRank: 1, minDim: 1 }), fc.constantFrom<DType>("float32", "float64", "int32"), fc.boolean())
      .chain(([s, d, keepdims]) =>
        fc.tuple(arrayArb(s, d, { specials: "nan", lim: 3 }), fc.oneof(fc.constant(null), fc.integer({ min: -s.length, max: s.length - 1 })), fc.constant(keepdims)),
      );
    fc.assert(
      fc.property(arb, ([x, axis, keepdims]) => {
        for (const max of [true, false]) {
          const y = (max ? np.nanargmax : np.nanargmin)(x, { axis, keepdims });
          expect(y.dtype).toBe("int32");
          const h = host(x);
          const want = axis === null ? { shape: keepdims ? h.shape.map(() => 1) : [], data: [nanArg(h.data as number[], max)] } : reduceHost(h, axesOf(axis, x.ndim), (v) => nanArg(v, max), keepdims);
          expectClose(y, want, { rtol: 0, atol: 0 });
        }
      }),
      RUNS,
    );
  });
});

describe("options", () => {
  const x = np.array([[1, 2, 3], [4, 5, 9]]);
  test("logsumexp with weights b, returnSign, and -inf / empty inputs", () => {
    const b = np.array([1, -1, 2]);
    const [v, s] = np.logsumexp(x, { axis: 1, b, returnSign: true });
    const raw = [Math.exp(1) - Math.exp(2) + 2 * Math.exp(3), Math.exp(4) - Math.exp(5) + 2 * Math.exp(9)];
    expectClose(v, { shape: [2], data: raw.map((r) => Math.log(Math.abs(r))) });
    expect(s.tolist()).toEqual([1, 1]);
    const neg = np.logsumexp(np.array([0, 0]), { b: np.array([1, -2]) });
    expect(Number.isNaN(neg.item() as number)).toBe(true);
    const [, sn] = np.logsumexp(np.array([0, 0]), undefined, { b: np.array([1, -2]), returnSign: true });
    expect(sn.item()).toBe(-1);
    expect(np.logsumexp(np.array([-Infinity, -Infinity])).item()).toBe(-Infinity);
    expect(np.logsumexp(np.zeros([0])).item()).toBe(-Infinity);
    expect(np.logsumexp(np.array([1000, 1000])).item()).toBeCloseTo(1000 + Math.LN2, 3);
  });
  test("average with weights: same shape, 1-D along an axis, returned", () => {
    const w = np.array([[1, 0, 1], [2, 2, 0]]);
    expectClose(np.average(x, { weights: w }), { shape: [], data: [(1 + 3 + 8 + 10) / 6] });
    const [avg, ws] = np.average(x, 1, { weights: np.array([1, 2, 3]), returned: true });
    expectClose(avg, { shape: [2], data: [(1 + 4 + 9) / 6, (4 + 10 + 27) / 6] });
    expectClose(ws, { shape: [2], data: [6, 6] });
    const [, counts] = np.average(x, { axis: 0, returned: true });
    expectClose(counts, { shape: [3], data: [2, 2, 2] });
  });
  test("var: ddof, correction, ddof >= N", () => {
    expectClose(np.var(x, { axis: 1, correction: 1 }), { shape: [2], data: [1, 7] });
    expect(np.var(np.array([3]), { ddof: 1 }).item()).toBeNaN();
    expect(np.std(np.ones([2, 0]), 1).shape).toEqual([2]);
  });
});

describe("gradients (finite differences, float64)", () => {
  const x = det([3, 4], 1);
  const w = det([3, 4], 2).abs().add(0.5);
  const g = (f: (...a: NdArray[]) => NdArray, args: NdArray[], order = 2) => checkGrads(f as never, args, { order, atol: 1e-6, rtol: 1e-5 });
  test("var, std (order 2)", () => {
    g((a: NdArray) => np.var(a, 1, { ddof: 1 }), [x]);
    g((a: NdArray) => np.std(a, { axis: 0, keepdims: true }), [x]);
  });
  test("logsumexp with keepdims and weights (order 2)", () => {
    g((a: NdArray) => np.logsumexp(a, 1, { keepdims: true }), [x]);
    g((a: NdArray, b: NdArray) => np.logsumexp(a, { axis: 0, b }), [x, w]);
  });
  test("average with weights, ptp, nan-reductions (order 1)", () => {
    g((a: NdArray, b: NdArray) => np.average(a, 1, { weights: b }), [x, w], 1);
    g((a: NdArray) => np.ptp(a, 0), [x], 1);
    const withNan = device({ shape: [2, 3], data: [1, NaN, 0.5, -2, 0.25, NaN] }, "float64");
    g((a: NdArray) => np.nansum(a, 1), [withNan], 1);
    g((a: NdArray) => np.nanmean(a, 1), [withNan], 1);
    g((a: NdArray) => np.nanmax(a, 1), [withNan], 1);
    g((a: NdArray) => np.nanvar(a, 1), [withNan], 1);
  });
});

describe("vmap equals stacking per-example results", () => {
  const xs = batchOf(3, [2, 4], 1);
  const ws = batchOf(3, [4], 2).abs().add(0.5);
  test.each([
    ["var", (a: NdArray) => np.var(a, 1, { ddof: 1 })],
    ["std", (a: NdArray) => np.std(a)],
    ["logsumexp", (a: NdArray) => np.logsumexp(a, 0, { keepdims: true })],
    ["all/any", (a: NdArray) => np.all(a.gt(0), 1).astype("int32").add(np.any(a.gt(1), 1).astype("int32"))],
    ["countNonzero", (a: NdArray) => np.countNonzero(a.gt(0), 0)],
    ["nanmax", (a: NdArray) => np.nanmax(np.log(a), 1)],
    ["nanargmin", (a: NdArray) => np.nanargmin(np.log(a), 1)],
    ["ptp", (a: NdArray) => np.ptp(a, -1)],
  ])("%s", (_, f) => checkVmap(f, [xs], { rtol: 1e-12, atol: 1e-12 }));
  test("average with weights", () => checkVmap((a: NdArray, b: NdArray) => np.average(a, 1, { weights: b }), [xs, ws], { rtol: 1e-12, atol: 1e-12 }));
});

describe("errors", () => {
  const x = np.ones([2, 3]);
  test("out-of-range axes", () => {
    expect(() => np.var(x, 2)).toThrow(ArgumentError);
    expect(() => np.var(x, 2)).toThrow("var: axis 2 is out of range for an array of shape [2,3] (rank 2); use an integer in [-2, 1].");
    expect(() => np.logsumexp(x, -3)).toThrow("logsumexp: axis -3 is out of range");
    expect(() => np.all(x, [0, 0])).toThrow("all: repeated axis in [0,0]; list each axis once.");
    expect(() => np.nanmean(x, 5)).toThrow(/^nanmean: axis 5 is out of range/);
  });
  test("bad options and weights", () => {
    expect(() => np.var(x, { ddof: 1, correction: 1 })).toThrow("var: ddof and correction are the same option; pass only one.");
    expect(() => np.var(x, { dof: 1 } as never)).toThrow('var: unknown option "dof"; the options are: axis, keepdims, ddof, correction.');
    expect(() => np.average(x, 1, { weights: np.ones([2]) })).toThrow(ShapeError);
    expect(() => np.average(x, 1, { weights: np.ones([2]) })).toThrow(
      "average: a [2,3] and weights [2] differ in shape; weights must then be 1-D with length 3 (the size of axis 1).",
    );
    expect(() => np.average(x, { weights: np.ones([3]) })).toThrow(/average: a \[2,3\] and weights \[3\] differ in shape, so axis must be a single integer/);
    expect(() => np.nanmax(np.ones([0, 2]), 0)).toThrow("nanmax: zero-size array f32[0,2] has no nanmax along axes (0); reduce over non-empty axes.");
    expect(() => np.ptp(np.ones([0, 2]))).toThrow(/^ptp: zero-size array/);
    expect(() => np.nanargmax(x, [0] as never)).toThrow("nanargmax: axis must be a single integer or null, got [0].");
  });
});

describe("memory", () => {
  test("mean frees its intermediates eagerly (the sum, an integer input's cast)", () => {
    for (const dtype of ["float32", "int32"] as const) {
      const x = np.ones([4, 3], { dtype });
      const before = memoryStats().liveArrays;
      const m = np.mean(x, 0);
      expect(memoryStats().liveArrays).toBe(before + 1);
      m.dispose();
      x.dispose();
    }
  });
});
