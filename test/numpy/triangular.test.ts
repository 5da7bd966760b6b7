// Triangles, diagonals and grids: tri, tril, triu, diag, diagflat, diagonal, trace,
// identity, meshgrid, indices: values against index references over shapes,
// offsets and dtypes; gradients (linear), vmap, errors.
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { ArgumentError, ShapeError, numpy as np } from "../../src/index.js";
import type { DType } from "../../src/core/index.js";
import { checkGrads } from "../../src/testing/index.js";
import type { Array as NdArray } from "../../src/trace/array.js";
import { RUNS, at, batchOf, checkVmap, det, expectClose, fromFn, host, reduceHost } from "./helpers.js";
import { arrayArb, smallShape } from "./values.js";

const EXACT = { rtol: 0, atol: 0 };
const DTYPES: DType[] = ["float32", "float64", "int32", "bool"];
const arr = (minRank: number, maxRank: number) =>
  fc.tuple(smallShape({ minRank, maxRank, maxDim: 4 }), fc.constantFrom(...DTYPES)).chain(([s, d]) => arrayArb(s, d, { specials: true }));

describe("values", () => {
  test("tril, triu: masks of the last two axes", () => {
    fc.assert(
      fc.property(arr(2, 4), fc.integer({ min: -4, max: 4 }), (x, k) => {
        const hx = host(x);
        const n = x.ndim;
        const pick = (lower: boolean) => fromFn(x.shape, (idx) => ((lower ? idx[n - 1]! <= idx[n - 2]! + k : idx[n - 1]! >= idx[n - 2]! + k) ? at(hx, idx) : 0));
        expect(np.tril(x, k).dtype).toBe(x.dtype);
        expectClose(np.tril(x, k), pick(true), EXACT);
        expectClose(np.triu(x, k), pick(false), EXACT);
      }),
      RUNS,
    );
    expect(np.tri(2, 3, 1).tolist()).toEqual([[1, 1, 0], [1, 1, 1]]);
    expect(np.tri(2, null, 0, { dtype: "bool" }).tolist()).toEqual([[true, false], [true, true]]);
  });

  test("diagonal with offset and any axis pair; trace", () => {
    const arb = arr(2, 4).chain((x) =>
      fc.tuple(fc.constant(x), fc.integer({ min: -5, max: 5 }), fc.shuffledSubarray([...Array(x.ndim).keys()], { minLength: 2, maxLength: 2 })),
    );
    fc.assert(
      fc.property(arb, ([x, offset, [a1, a2]]) => {
        const hx = host(x);
        const n = x.shape[a1!]!;
        const m = x.shape[a2!]!;
        const len = Math.max(0, offset >= 0 ? Math.min(n, m - offset) : Math.min(n + offset, m));
        const rest = [...Array(x.ndim).keys()].filter((k) => k !== a1 && k !== a2);
        const shape = [...rest.map((k) => x.shape[k]!), len];
        const want = fromFn(shape, (idx) => {
          const full = new Array<number>(x.ndim);
          rest.forEach((k, i) => (full[k] = idx[i]!));
          const t = idx[idx.length - 1]!;
          full[a1!] = offset >= 0 ? t : t - offset;
          full[a2!] = offset >= 0 ? t + offset : t;
          return at(hx, full);
        });
        const d = np.diagonal(x, offset, a1, a2! - x.ndim);
        expect(d.dtype).toBe(x.dtype);
        expectClose(d, want, EXACT);
        if (x.dtype !== "bool") {
          const tr = np.trace(x, offset, a1, a2);
          expectClose(tr, reduceHost(want, [want.shape.length - 1], (v) => v.reduce((p, q) => p + q, 0)), { rtol: 1e-5, atol: 1e-4 });
        }
      }),
      RUNS,
    );
  });

  test("diag: 1-D to a matrix with diagonal k, 2-D to its diagonal; diagflat", () => {
    fc.assert(
      fc.property(arr(1, 1), fc.integer({ min: -3, max: 3 }), (v, k) => {
        const hv = host(v);
        const n = v.shape[0]! + Math.abs(k);
        const m = np.diag(v, k);
        expect(m.dtype).toBe(v.dtype);
        expectClose(m, fromFn([n, n], ([r, c]) => (c! - r! === k ? at(hv, [k >= 0 ? r! : c!]) : 0)), EXACT);
        expectClose(np.diag(m, k), hv, EXACT);
      }),
      RUNS,
    );
    expect(np.diagflat(np.array([[1, 2]]), 1).tolist()).toEqual([[0, 1, 0], [0, 0, 2], [0, 0, 0]]);
    expect(np.identity(2, { dtype: "int32" }).tolist()).toEqual([[1, 0], [0, 1]]);
  });

  test("meshgrid xy/ij, dense/sparse; indices", () => {
    const x = np.array([1, 2, 3]);
    const y = np.array([10, 20]);
    const z = np.array([5]);
    const [a, b] = np.meshgrid(x, y);
    expect(a!.tolist()).toEqual([[1, 2, 3], [1, 2, 3]]);
    expect(b!.tolist()).toEqual([[10, 10, 10], [20, 20, 20]]);
    const [c, d] = np.meshgrid(x, y, { indexing: "ij" });
    expect(c!.tolist()).toEqual([[1, 1], [2, 2], [3, 3]]);
    expect(d!.tolist()).toEqual([[10, 20], [10, 20], [10, 20]]);
    expect(np.meshgrid(x, y, z).map((g) => g.shape)).toEqual([[2, 3, 1], [2, 3, 1], [2, 3, 1]]);
    expect(np.meshgrid(x, y, z, { sparse: true }).map((g) => g.shape)).toEqual([[1, 3, 1], [2, 1, 1], [1, 1, 1]]);
    expect(np.meshgrid(x, y, z, { sparse: true, indexing: "ij" }).map((g) => g.shape)).toEqual([[3, 1, 1], [1, 2, 1], [1, 1, 1]]);
    expect(np.meshgrid(x).map((g) => g.tolist())).toEqual([[1, 2, 3]]);
    expect(np.indices([2, 3]).tolist()).toEqual([[[0, 0, 0], [1, 1, 1]], [[0, 1, 2], [0, 1, 2]]]);
    expect(np.indices([2, 3], { sparse: true }).map((g) => g.shape)).toEqual([[2, 1], [1, 3]]);
    expect(np.indices([]).shape).toEqual([0]);
  });
});

describe("gradients (order 1: these are linear) and vmap", () => {
  const x = det([3, 4], 1);
  test.each([
    ["tril", (a: NdArray) => np.tril(a, -1)],
    ["triu", (a: NdArray) => np.triu(a, 1)],
    ["diagonal", (a: NdArray) => np.diagonal(a, 1)],
    ["diagonal transposed", (a: NdArray) => np.diagonal(a, -1, 1, 0)],
    ["trace", (a: NdArray) => np.trace(a)],
    ["diag of vector", (a: NdArray) => np.diag(np.ravel(a), 2)],
    ["meshgrid", (a: NdArray) => np.stack(np.meshgrid(np.ravel(a).mul(1), np.ravel(a).mul(2)).map((g) => g.sum(0)))],
  ])("gradient %s", (_, f) => checkGrads(f as never, [x], { order: 1 }));

  const xs = batchOf(3, [3, 4], 1);
  test.each([
    ["tril", (a: NdArray) => np.tril(a)],
    ["triu", (a: NdArray) => np.triu(a, 2)],
    ["diagonal", (a: NdArray) => np.diagonal(a, -1)],
    ["diagonal axes", (a: NdArray) => np.diagonal(a, 0, 1, 0)],
    ["trace", (a: NdArray) => np.trace(a, 1)],
    ["diag", (a: NdArray) => np.diag(np.ravel(a), -1)],
    ["meshgrid", (a: NdArray) => np.meshgrid(np.ravel(a), np.ones([2]))],
  ])("vmap %s", (_, f) => checkVmap(f, [xs]));
});

describe("errors", () => {
  test("ranks and axes", () => {
    expect(() => np.tril(np.ones([3]))).toThrow("tril: needs an array of rank >= 2, got f32[3]; for a vector, use diag first.");
    expect(() => np.diagonal(np.ones([2, 2]), 0, 0, 0)).toThrow(ArgumentError);
    expect(() => np.diagonal(np.ones([2, 2]), 0, 0, 0)).toThrow("diagonal: axis1 and axis2 must be different axes, got 0 and 0 of f32[2,2].");
    expect(() => np.diagonal(np.ones([2, 2]), 0, 0, 2)).toThrow("diagonal: axis 2 is out of range for an array of shape [2,2] (rank 2); use an integer in [-2, 1].");
    expect(() => np.diag(np.ones([2, 2, 2]))).toThrow(ShapeError);
    expect(() => np.trace(np.ones([2]))).toThrow(/^diagonal: needs an array of rank >= 2/);
    expect(() => np.meshgrid(np.ones([2]), { indexing: "xx" as never })).toThrow('meshgrid: indexing must be "xy" or "ij", got "xx".');
    expect(() => np.tri(-1)).toThrow("tri: N must be a non-negative integer, got -1.");
  });
});
