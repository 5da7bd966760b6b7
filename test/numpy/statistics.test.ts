// cov and corrcoef (numpy-computed examples plus a JS reference over shapes), isin,
// the log-spaced creation functions, and the static index helpers; gradients, vmap, errors.
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { ArgumentError, ShapeError, numpy as np } from "../../src/index.js";
import { checkGrads } from "../../src/testing/index.js";
import type { Array as NdArray } from "../../src/trace/array.js";
import { RUNS, at, batchOf, checkVmap, det, expectClose, fromFn, host } from "./helpers.js";
import { arrayArb, smallShape } from "./values.js";

const x = np.array([[0, 1, 2, 4], [2, 1, 0.5, -1], [1, 1, 3, 2]], { dtype: "float64" });
const flat = (rows: number[][]) => ({ shape: [rows.length, rows[0]!.length], data: rows.flat() });
const TOL = { rtol: 1e-10, atol: 1e-11 };

describe("cov, corrcoef", () => {
  test("match numpy: rowvar, bias, fweights, aweights, ddof, a second variable set", () => {
    // np.cov(x) and friends, computed with numpy.
    expectClose(np.cov(x), flat([[2.916666666667, -2.125, 0.916666666667], [-2.125, 1.5625, -0.625], [0.916666666667, -0.625, 0.916666666667]]), TOL);
    expectClose(
      np.cov(x, null, { rowvar: false, bias: true }),
      flat([[0.666666666667, 0, -0.5, -1.666666666667], [0, 0, 0, 0], [-0.5, 0, 1.055555555556, 1.444444444444], [-1.666666666667, 0, 1.444444444444, 4.222222222222]]),
      TOL,
    );
    expectClose(np.cov(x, null, { fweights: np.array([1, 2, 1, 3]) }), flat([[2.904761904762, -2.071428571429, 0.761904761905], [-2.071428571429, 1.488095238095, -0.511904761905], [0.761904761905, -0.511904761905, 0.571428571429]]), TOL);
    expectClose(np.cov(x, null, { aweights: np.array([0.5, 1, 2, 1]) }), flat([[2.25, -1.607142857143, 0.642857142857], [-1.607142857143, 1.160714285714, -0.392857142857], [0.642857142857, -0.392857142857, 1.107142857143]]), TOL);
    expectClose(
      np.cov(x, null, { fweights: np.array([1, 2, 1, 3]), aweights: np.array([0.5, 1, 2, 1]), ddof: 0 }),
      flat([[1.973333333333, -1.386666666667, 0.426666666667], [-1.386666666667, 0.982222222222, -0.257777777778], [0.426666666667, -0.257777777778, 0.595555555556]]),
      TOL,
    );
    const [r0, r1] = np.split(x, 3, 0);
    expectClose(np.cov(r0!.reshape([-1]), r1!.reshape([-1])), flat([[2.916666666667, -2.125], [-2.125, 1.5625]]), TOL);
    expectClose(np.cov(r0!.reshape([-1])), { shape: [], data: [2.916666666667] }, TOL);
    expectClose(np.corrcoef(x), flat([[1, -0.995418074408, 0.560611910581], [-0.995418074408, 1, -0.522232967867], [0.560611910581, -0.522232967867, 1]]), TOL);
    expect(np.corrcoef(np.array([1, 2, 3])).item()).toBe(1);
  });

  test("cov against a JS reference over shapes", () => {
    const arb = fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 2, max: 5 })).chain(([v, n]) => arrayArb([v, n], "float64", { lim: 5 }));
    fc.assert(
      fc.property(arb, (m) => {
        const h = host(m);
        const [v, n] = m.shape as [number, number];
        const mean = (i: number): number => [...Array(n).keys()].reduce((s, t) => s + at(h, [i, t]), 0) / n;
        const want = fromFn([v, v], ([i, j]) => [...Array(n).keys()].reduce((s, t) => s + (at(h, [i!, t]) - mean(i!)) * (at(h, [j!, t]) - mean(j!)), 0) / (n - 1));
        const got = np.cov(m);
        expectClose(v === 1 ? got.reshape([1, 1]) : got, want, { rtol: 1e-9, atol: 1e-9 });
        expectClose(np.cov(m.T, null, { rowvar: false }), host(got), { rtol: 1e-12, atol: 1e-12 });
      }),
      RUNS,
    );
  });

  test("gradients (order 2) and vmap", () => {
    const m = det([3, 5], 1);
    const w = det([5], 2).abs().add(0.5);
    checkGrads(((a: NdArray) => np.cov(a)) as never, [m], { order: 2, atol: 1e-6, rtol: 1e-5 });
    checkGrads(((a: NdArray, b: NdArray) => np.cov(a, null, { aweights: b })) as never, [m, w], { order: 1, atol: 1e-6, rtol: 1e-5 });
    checkGrads(((a: NdArray) => np.corrcoef(a)) as never, [m], { order: 1, atol: 1e-6, rtol: 1e-5 });
    checkVmap((a: NdArray) => np.cov(a), [batchOf(3, [2, 4])], { rtol: 1e-12, atol: 1e-12 });
    checkVmap((a: NdArray) => np.corrcoef(a, null, { rowvar: false }), [batchOf(3, [4, 2])], { rtol: 1e-12, atol: 1e-12 });
  });

  test("errors", () => {
    expect(() => np.cov(np.ones([2, 2, 2]))).toThrow("cov: inputs must be 1-D or 2-D, got f32[2,2,2].");
    expect(() => np.cov(np.ones([2, 3]), null, { fweights: np.ones([2]) })).toThrow("cov: fweights must be 1-D with one weight per observation (3), got f32[2].");
    expect(() => np.cov(np.ones([2, 3]), null, { weights: 1 } as never)).toThrow(ArgumentError);
  });
});

describe("isin", () => {
  test("against a JS reference", () => {
    const arb = fc.tuple(smallShape({ maxDim: 3 }), smallShape({ maxDim: 3 })).chain(([a, b]) => fc.tuple(arrayArb(a, "int32", { lim: 4 }), arrayArb(b, "float32", { lim: 4 }), fc.boolean()));
    fc.assert(
      fc.property(arb, ([e, t, invert]) => {
        const tv = new Set(host(t).data);
        const he = host(e);
        const y = np.isin(e, t, { invert });
        expect(y.dtype).toBe("bool");
        expectClose(y, { shape: he.shape, data: he.data.map((v) => +(tv.has(v) !== invert)) }, { rtol: 0, atol: 0 });
      }),
      RUNS,
    );
    checkVmap((a: NdArray) => np.isin(a.gt(0).astype("int32"), np.array([1])), [batchOf(3, [2, 2])]);
  });
});

describe("creation: logspace, geomspace, empty, copy; static index helpers", () => {
  test("values match numpy", () => {
    expect(np.logspace(0, 3, 4, { base: 2 }).tolist()).toEqual([1, 2, 4, 8]);
    expectClose(np.logspace(0, 2, 3, { dtype: "float64" }), { shape: [3], data: [1, 10, 100] }, TOL);
    expectClose(np.geomspace(-1, -1000, 4, { dtype: "float64" }), { shape: [4], data: [-1, -10, -100, -1000] }, TOL);
    expectClose(
      np.geomspace(1, 256, 9, { endpoint: false, dtype: "float64" }),
      { shape: [9], data: [1, 1.851749424574581, 3.4289759314122916, 6.349604207872799, 11.757875938204792, 21.77264000279003, 40.317473596635956, 74.65785853287149, 138.2476465782152] },
      TOL,
    );
    expect(() => np.geomspace(0, 1)).toThrow("geomspace: start 0 and stop 1 must be non-zero and of the same sign.");
    expect(np.empty([2], { dtype: "int32" }).tolist()).toEqual([0, 0]);
    expect(np.emptyLike(np.ones([1, 2])).shape).toEqual([1, 2]);
    expect(np.copy(np.array([1, 2])).tolist()).toEqual([1, 2]);
  });
  test("triu/tril/diag indices", () => {
    expect(np.triuIndices(3, 1, 4).map((a) => a.tolist())).toEqual([[0, 0, 0, 1, 1, 2], [1, 2, 3, 2, 3, 3]]);
    expect(np.trilIndices(3, -1).map((a) => a.tolist())).toEqual([[1, 2, 2], [0, 0, 1]]);
    expect(np.triuIndicesFrom(np.ones([2, 3])).map((a) => a.tolist())).toEqual([[0, 0, 0, 1, 1], [0, 1, 2, 1, 2]]);
    expect(np.trilIndicesFrom(np.ones([2, 2]), 0).map((a) => a.dtype)).toEqual(["int32", "int32"]);
    expect(np.diagIndices(3, 3).map((a) => a.tolist())).toEqual([[0, 1, 2], [0, 1, 2], [0, 1, 2]]);
    expect(np.diagIndicesFrom(np.ones([2, 2])).length).toBe(2);
    expect(() => np.diagIndicesFrom(np.ones([2, 3]))).toThrow(ShapeError);
    expect(() => np.triuIndicesFrom(np.ones([2]))).toThrow("triuIndicesFrom: needs a 2-D array, got f32[2].");
  });
});
