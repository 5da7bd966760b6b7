// applyAlongAxis, applyOverAxes, fromfunction (vmap-built), append, and the dtype
// queries finfo/iinfo/promoteTypes/resultType/isscalar: values against host loops and
// numpy's documented results, the one-trace property of the vmap form, errors.
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { DTypeError, ShapeError, makeJaxpr, numpy as np } from "../../src/index.js";
import type { Array as NdArray } from "../../src/trace/array.js";
import { RUNS, at, expectClose, fromFn, host } from "./helpers.js";
import { arrayArb, smallShape } from "./values.js";

describe("applyAlongAxis / applyOverAxes / fromfunction", () => {
  test("applyAlongAxis equals a host loop over the 1-D slices (scalar and vector outputs)", () => {
    const arb = smallShape({ minRank: 1, maxRank: 3, minDim: 1, maxDim: 4 }).chain((s) =>
      fc.tuple(arrayArb(s, "float64", { lim: 5 }), fc.integer({ min: -s.length, max: s.length - 1 })),
    );
    fc.assert(
      fc.property(arb, ([x, axis]) => {
        const ax = axis < 0 ? axis + x.ndim : axis;
        const h = host(x);
        const n = x.shape[ax]!;
        // f(v) = [sum(v * w), max(v)] with weights w_i = i + 1: output axis replaces `ax`.
        const f = (v: NdArray) => np.stack([np.sum(v.mul(np.arange(1, n + 1, 1, { dtype: "float64" }))), np.max(v)]);
        const outShape = x.shape.map((d, k) => (k === ax ? 2 : d));
        const want = fromFn(outShape, (idx) => {
          const vals = Array.from({ length: n }, (_, i) => at(h, idx.map((v, k) => (k === ax ? i : v))));
          return idx[ax] === 0 ? vals.reduce((s, v, i) => s + v * (i + 1), 0) : Math.max(...vals);
        });
        expectClose(np.applyAlongAxis(f, axis, x), want, { rtol: 1e-12, atol: 1e-12 });
      }),
      RUNS,
    );
  });

  test("applyAlongAxis traces func1d once: a matmul inside stays one dot_general", () => {
    const w = np.ones([3, 2]);
    const jaxpr = makeJaxpr((x: NdArray) => np.applyAlongAxis((v) => np.matmul(v, w), 1, x))(np.ones([5, 3])).toString();
    expect(jaxpr.match(/dot_general/g)?.length).toBe(1);
  });

  test("applyOverAxes keeps reduced axes as size 1, as numpy's apply_over_axes", () => {
    const a = np.arange(24, undefined, 1, { dtype: "float32" }).reshape([2, 3, 4]);
    const r = np.applyOverAxes((x, axis) => np.sum(x, axis), a, [0, 2]);
    expect(r.shape).toEqual([1, 3, 1]);
    expect(r.ravel().tolist()).toEqual([60, 92, 124]);
    expect(() => np.applyOverAxes(() => np.zeros([]), a, 0)).toThrow(
      "applyOverAxes: func(a, 0) returned f32[] for a of f32[2,3,4]; it must keep the rank or drop one axis.",
    );
  });

  test("fromfunction calls fn with scalar indices (vmapped), leading axis = first index", () => {
    const f = np.fromfunction((i, j) => i.mul(10).add(j), [3, 4]);
    expect(f.dtype).toBe("int32");
    expect(f.tolist()).toEqual([[0, 1, 2, 3], [10, 11, 12, 13], [20, 21, 22, 23]]);
    const g = np.fromfunction((i, j, k) => i.sub(j).mul(k), [2, 3, 2], { dtype: "float32" });
    expectClose(g, fromFn([2, 3, 2], ([i, j, k]) => (i! - j!) * k!), { rtol: 0, atol: 0 });
    expect(np.fromfunction((i) => i.mul(i), [0]).shape).toEqual([0]);
  });
});

describe("append", () => {
  test("flattens without an axis; concatenates along one with it", () => {
    expect(np.append(np.array([[1, 2], [3, 4]]), np.array([5, 6])).tolist()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(np.append(np.array([[1, 2]]), np.array([[3, 4]]), 0).tolist()).toEqual([[1, 2], [3, 4]]);
    expect(np.append(np.array([1, 2], { dtype: "int32" }), 2.5).dtype).toBe("float32");
    expect(() => np.append(np.array([[1, 2]]), np.array([3, 4]), 0)).toThrow(ShapeError);
  });
});

describe("dtype queries", () => {
  test("finfo / iinfo give numpy's limits", () => {
    const f32 = np.finfo("float32");
    expect(f32.eps).toBe(Math.fround(1.1920929e-7));
    expect(f32.max).toBe(Math.fround(3.4028235e38));
    expect(f32.tiny).toBe(2 ** -126);
    expect(f32.smallestSubnormal).toBe(Math.fround(1.4e-45));
    expect(Math.fround(1 + f32.eps)).toBeGreaterThan(1);
    expect(Math.fround(1 + f32.eps / 2)).toBe(1);
    const f64 = np.finfo(np.zeros([2], { dtype: "float64" }));
    expect(f64.eps).toBe(Number.EPSILON);
    expect(f64.max).toBe(Number.MAX_VALUE);
    expect(np.iinfo("int32")).toEqual({ dtype: "int32", bits: 32, min: -2147483648, max: 2147483647 });
    expect(np.iinfo("uint32").max).toBe(4294967295);
    expect(() => np.finfo("int32")).toThrow(DTypeError);
    expect(() => np.finfo("int32")).toThrow("finfo: int32 is not a float dtype; use iinfo for integers.");
    expect(() => np.iinfo("float32")).toThrow("iinfo: float32 is not an integer dtype; use finfo for floats.");
  });

  test("promoteTypes and resultType follow JAX's lattice (JS numbers are weak)", () => {
    expect(np.promoteTypes("int32", "float32")).toBe("float32");
    expect(np.promoteTypes("float32", "float64")).toBe("float64");
    expect(np.promoteTypes("bool", "uint32")).toBe("uint32");
    expect(np.resultType(np.zeros([1], { dtype: "int32" }), 1.5)).toBe("float32");
    expect(np.resultType(np.zeros([1], { dtype: "float32" }), "float64")).toBe("float64");
    expect(np.resultType(1, 2)).toBe("int32");
    expect(np.resultType(true, false)).toBe("bool");
    expect(() => np.promoteTypes("int64" as never, "float32")).toThrow(DTypeError);
  });

  test("isscalar: JS numbers, booleans and rank-0 arrays", () => {
    expect(np.isscalar(1)).toBe(true);
    expect(np.isscalar(false)).toBe(true);
    expect(np.isscalar(np.array(2))).toBe(true);
    expect(np.isscalar(np.array([2]))).toBe(false);
    expect(np.isscalar("a")).toBe(false);
  });
});

