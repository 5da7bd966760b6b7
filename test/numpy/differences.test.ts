// diff, ediff1d, gradient, trapezoid: values against JS references over shapes,
// axes and dtypes; gradients (all linear: order 1), vmap, errors.
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { ArgumentError, ShapeError, numpy as np } from "../../src/index.js";
import type { DType } from "../../src/core/index.js";
import { checkGrads } from "../../src/testing/index.js";
import type { Array as NdArray } from "../../src/trace/array.js";
import { type Host, RUNS, at, batchOf, checkVmap, det, expectClose, fromFn, host, tolFor } from "./helpers.js";
import { arrayArb, smallShape } from "./values.js";

/** One first difference along `ax` on the host. */
function diffHost(h: Host, ax: number, bool: boolean): Host {
  const shape = h.shape.map((d, k) => (k === ax ? Math.max(0, d - 1) : d));
  return fromFn(shape, (idx) => {
    const hi = at(h, idx.map((v, k) => (k === ax ? v + 1 : v)));
    const lo = at(h, idx);
    return bool ? +(hi !== lo) : hi - lo;
  });
}

describe("values", () => {
  test("diff: n-th order along any axis, with prepend/append; bools use !=", () => {
    const arb = fc
      .tuple(smallShape({ minRank: 1, maxRank: 3, maxDim: 4 }), fc.constantFrom<DType>("float32", "float64", "int32", "bool"))
      .chain(([s, d]) => fc.tuple(arrayArb(s, d, { lim: 10 }), fc.integer({ min: 0, max: 3 }), fc.integer({ min: -s.length, max: s.length - 1 }), fc.boolean()));
    fc.assert(
      fc.property(arb, ([x, n, axis, edges]) => {
        const ax = axis < 0 ? axis + x.ndim : axis;
        const bool = x.dtype === "bool";
        let h = host(x);
        if (edges) {
          // prepend a scalar 1 (broadcast to one slice), append x's first slice
          const first = np.split(x, [1], ax)[0]!;
          const slab = x.shape.map((d, k) => (k === ax ? 1 : d));
          const withEdges = np.concatenate([np.ones(slab, { dtype: x.dtype }), x, first], ax);
          h = host(withEdges);
        }
        for (let k = 0; k < n && h.shape[ax]! > 0; k++) h = diffHost(h, ax, bool);
        const y = edges ? np.diff(x, n, axis, { prepend: x.dtype === "bool" ? true : 1, append: np.split(x, [1], ax)[0]! }) : np.diff(x, n, axis);
        expect(y.dtype).toBe(x.dtype);
        expectClose(y, h, { rtol: 0, atol: x.dtype === "float32" ? 1e-3 : 0 });
      }),
      RUNS,
    );
    expect(np.ediff1d(np.array([[1, 2], [4, 7]]), { toBegin: -1, toEnd: np.array([9, 9]) }).tolist()).toEqual([-1, 1, 2, 3, 9, 9]);
  });

  test("gradient: central inside, one-sided at the ends, per-axis spacing", () => {
    const arb = fc
      .tuple(smallShape({ minRank: 1, maxRank: 3, minDim: 2, maxDim: 4 }), fc.constantFrom<DType>("float32", "float64", "int32"))
      .chain(([s, d]) => fc.tuple(arrayArb(s, d, { lim: 10 }), fc.array(fc.constantFrom(0.5, 1, 2), { minLength: s.length, maxLength: s.length })));
    fc.assert(
      fc.property(arb, ([x, hs]) => {
        const hx = host(x);
        const out = np.gradient(x, hs);
        const outs = Array.isArray(out) ? out : [out];
        outs.forEach((g, ax) => {
          const n = x.shape[ax]!;
          const h = hs[ax]!;
          const shift = (idx: number[], d: number): number => at(hx, idx.map((v, k) => (k === ax ? v + d : v)));
          const want = fromFn(x.shape, (idx) => {
            const i = idx[ax]!;
            if (i === 0) return (shift(idx, 1) - shift(idx, 0)) / h;
            if (i === n - 1) return (shift(idx, 0) - shift(idx, -1)) / h;
            return (shift(idx, 1) - shift(idx, -1)) / (2 * h);
          });
          expect(g.dtype).toBe(x.dtype === "float64" ? "float64" : "float32");
          expectClose(g, want, tolFor(g.dtype));
        });
      }),
      RUNS,
    );
    expect((np.gradient(np.array([1, 4, 9, 16]), 1, { axis: 0 }) as NdArray).tolist()).toEqual([3, 4, 6, 7]);
  });

  test("trapezoid with dx, with 1-D sample points, with full-shape sample points", () => {
    const y = np.array([[1, 2, 4], [0, 3, 3]]);
    expectClose(np.trapezoid(y), { shape: [2], data: [4.5, 4.5] });
    expectClose(np.trapezoid(y, { dx: 2, axis: 0 }), { shape: [3], data: [1, 5, 7] });
    expectClose(np.trapezoid(y, { x: np.array([0, 1, 3]) }), { shape: [2], data: [1.5 + 6, 1.5 + 6] });
    expectClose(np.trapezoid(y, { x: np.array([[0, 1, 2], [0, 2, 4]]) }), { shape: [2], data: [4.5, 9] });
    expectClose(np.trapezoid(np.ones([2, 1])), { shape: [2], data: [0, 0] });
  });
});

describe("gradients (order 1) and vmap", () => {
  const x = det([3, 4], 1);
  test.each([
    ["diff", (a: NdArray) => np.diff(a, 2, 0)],
    ["diff prepend", (a: NdArray) => np.diff(a, 1, -1, { prepend: 0.5, append: a })],
    ["gradient", (a: NdArray) => np.stack(np.gradient(a, [1, 0.5]) as NdArray[])],
    ["trapezoid", (a: NdArray) => np.trapezoid(a, { x: np.array([0, 1, 3, 4], { dtype: "float64" }) })],
  ])("gradient %s", (_, f) => checkGrads(f as never, [x], { order: 1 }));

  const xs = batchOf(3, [3, 4], 1);
  test.each([
    ["diff", (a: NdArray) => np.diff(a, 1, 0, { append: 1 })],
    ["ediff1d", (a: NdArray) => np.ediff1d(a, { toBegin: a.sum() })],
    ["gradient", (a: NdArray) => np.gradient(a, 2) as NdArray[]],
    ["trapezoid", (a: NdArray) => np.trapezoid(a, { x: a.mul(0).add(np.arange(4)) })],
  ])("vmap %s", (_, f) => checkVmap(f as (a: NdArray) => NdArray, [xs], { rtol: 1e-12, atol: 1e-12 }));
});

describe("errors", () => {
  test("axes, sizes, options", () => {
    expect(() => np.diff(np.ones([2, 3]), 1, 2)).toThrow("diff: axis 2 is out of range for an array of shape [2,3] (rank 2); use an integer in [-2, 1].");
    expect(() => np.diff(np.ones([2]), -1)).toThrow("diff: n must be a non-negative integer, got -1.");
    expect(() => np.diff(np.ones([]))).toThrow(ShapeError);
    expect(() => np.gradient(np.ones([1, 3]))).toThrow("gradient: axis 0 of f32[1,3] has 1 sample(s); it needs at least 2.");
    expect(() => np.gradient(np.ones([2, 3]), [1, 2, 3])).toThrow(ArgumentError);
    expect(() => np.trapezoid(np.ones([2, 3]), { x: np.ones([2]) })).toThrow("trapezoid: x f32[2] must have one point per sample of axis 1 of y (3).");
  });
});
