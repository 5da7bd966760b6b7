// Products and linalg compositions: vdot, inner, outer, tensordot, vecdot, kron,
// cross, linalg.norm / vectorNorm / matrixNorm, multiDot, matrixPower: values against
// plain-JS references over shapes and dtypes, gradients, vmap, errors.
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { ArgumentError, ShapeError, numpy as np } from "../../src/index.js";
import { type DType, shapeSize } from "../../src/core/index.js";
import { checkGrads } from "../../src/testing/index.js";
import type { Array as NdArray } from "../../src/trace/array.js";
import { RUNS, at, batchOf, checkVmap, det, expectClose, fromFn, host, reduceHost, tolFor, unravel } from "./helpers.js";
import { arrayArb, axesOf, broadcastIndex, smallShape } from "./values.js";

const DTYPES: DType[] = ["float32", "float64", "int32", "bool"];
const dims = (n: number) => fc.array(fc.integer({ min: 0, max: 3 }), { minLength: n, maxLength: n });
const tolOf = (d: DType) => (d === "float32" ? { rtol: 1e-5, atol: 1e-3 } : tolFor(d));
const boolish = (d: DType, v: number): number => (d === "bool" ? +(v !== 0) : d === "int32" ? v | 0 : v);

/** Σ over the contracted multi-index (sizes `k`) of f(t). */
const sumOver = (k: readonly number[], f: (t: number[]) => number): number => {
  let s = 0;
  for (let i = 0; i < shapeSize(k); i++) s += f(unravel(i, k));
  return s;
};

describe("values", () => {
  test("tensordot with a count N, and with axis lists (inner, vdot as special cases)", () => {
    const arb = fc
      .tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 }), fc.constantFrom(...DTYPES))
      .chain(([na, nc, nb, d]) => fc.tuple(dims(na), dims(nc), dims(nb), fc.constant(d)))
      .chain(([fa, c, fb, d]) => fc.tuple(arrayArb([...fa, ...c], d, { lim: 4 }), arrayArb([...c, ...fb], d, { lim: 4 }), fc.constant(c.length)));
    fc.assert(
      fc.property(arb, ([a, b, n]) => {
        const ha = host(a);
        const hb = host(b);
        const fa = a.shape.slice(0, a.ndim - n);
        const c = a.shape.slice(a.ndim - n);
        const fb = b.shape.slice(n);
        const want = fromFn([...fa, ...fb], (idx) =>
          boolish(a.dtype, sumOver(c, (t) => at(ha, [...idx.slice(0, fa.length), ...t]) * at(hb, [...t, ...idx.slice(fa.length)]))),
        );
        const y = np.tensordot(a, b, n);
        expect(y.dtype).toBe(a.dtype);
        expectClose(y, want, tolOf(a.dtype));
        // The same contraction with explicit axis lists, b's axes moved to the end.
        const bt = np.moveaxis(b, [...Array(n).keys()], [...Array(n).keys()].map((i) => b.ndim - n + i));
        const axesA = [...Array(n).keys()].map((i) => a.ndim - n + i);
        const axesB = [...Array(n).keys()].map((i) => bt.ndim - n + i);
        expectClose(np.tensordot(a, bt, [axesA, axesB]), want, tolOf(a.dtype));
        if (n === 1) expectClose(np.inner(a, bt), want, tolOf(a.dtype));
        if (a.size === b.size && a.ndim === b.ndim && a.shape.every((s, i) => s === b.shape[i])) {
          expectClose(np.vdot(a, b), { shape: [], data: [boolish(a.dtype, sumOver([a.size], ([t]) => ha.data[t!]! * hb.data[t!]!))] }, tolOf(a.dtype));
        }
      }),
      RUNS,
    );
  });

  test("outer, kron", () => {
    const arb = fc.constantFrom(...DTYPES).chain((d) => fc.tuple(arrayArb([2, 3], d, { lim: 4 }), arrayArb([3], d, { lim: 4 }), arrayArb([2, 1, 2], d, { lim: 4 })));
    fc.assert(
      fc.property(arb, ([a, v, b]) => {
        const [ha, hv, hb] = [a, v, b].map(host);
        const mulD = (p: number, q: number): number => boolish(a.dtype, p * q);
        expectClose(np.outer(a, v), fromFn([6, 3], ([i, j]) => mulD(ha!.data[i!]!, hv!.data[j!]!)), tolOf(a.dtype));
        // kron(a [2,3] -> [1,2,3], b [2,1,2]): out[i] = a[i // bshape] * b[i % bshape]
        const as = [1, 2, 3];
        const bs = [2, 1, 2];
        const want = fromFn([2, 2, 6], (idx) => mulD(at({ shape: as, data: ha!.data }, idx.map((v0, k) => Math.floor(v0 / bs[k]!))), at(hb!, idx.map((v0, k) => v0 % bs[k]!))));
        expectClose(np.kron(a, b), want, tolOf(a.dtype));
      }),
      RUNS,
    );
  });

  test("vecdot broadcasts batch axes; cross of 3- and 2-vectors", () => {
    const arb = fc.constantFrom<DType>("float32", "float64", "int32").chain((d) =>
      fc.tuple(arrayArb([2, 1, 3], d, { lim: 4 }), arrayArb([4, 3], d, { lim: 4 }), arrayArb([3, 2], d, { lim: 4 }), arrayArb([2], d, { lim: 4 })),
    );
    fc.assert(
      fc.property(arb, ([a, b, c, e]) => {
        const [ha, hb] = [host(a), host(b)];
        const want = fromFn([2, 4], ([i, j]) => sumOver([3], ([t]) => at(ha, [i!, 0, t!]) * at(hb, [j!, t!])));
        expectClose(np.vecdot(a, b), want, tolOf(a.dtype));
        // cross along axis 0 of c ([3, 2]) with b's rows ([4, 3] against [3, 1] after broadcasting).
        const hc = host(c);
        const y = np.cross(b.reshape([4, 1, 3]), c, { axisa: -1, axisb: 0, axisc: 0 });
        const comp = (u: number[], w: number[]) => [u[1]! * w[2]! - u[2]! * w[1]!, u[2]! * w[0]! - u[0]! * w[2]!, u[0]! * w[1]! - u[1]! * w[0]!];
        const want2 = fromFn([3, 4, 2], ([k, i, j]) => comp([0, 1, 2].map((t) => at(hb, [i!, t])), [0, 1, 2].map((t) => at(hc, [t, j!])))[k!]!);
        expectClose(y, want2, tolOf(a.dtype));
        const he = host(e);
        expectClose(np.cross(e, e.mul(2).add(1)), { shape: [], data: [he.data[0]! * (2 * he.data[1]! + 1) - he.data[1]! * (2 * he.data[0]! + 1)] }, tolOf(a.dtype));
      }),
      RUNS,
    );
  });

  test("linalg.norm: vector orders over an axis, matrix orders over two, keepdims", () => {
    const vectorOrd = fc.constantFrom<number | null>(null, 2, 1, Infinity, -Infinity, 0, 3, -1, 0.5);
    const matrixOrd = fc.constantFrom<number | "fro" | null>(null, "fro", 1, -1, Infinity, -Infinity);
    const arb = fc.tuple(smallShape({ minRank: 2, maxRank: 3, minDim: 1, maxDim: 3 }), fc.constantFrom<DType>("float32", "float64", "int32"), fc.boolean()).chain(([s, d, kd]) =>
      fc.tuple(arrayArb(s, d, { lim: 4 }), vectorOrd, matrixOrd, fc.integer({ min: -s.length, max: s.length - 1 }), fc.shuffledSubarray([...s.keys()], { minLength: 2, maxLength: 2 }), fc.constant(kd)),
    );
    const vec = (ord: number) => (v: number[]): number => {
      const a = v.map(Math.abs);
      if (ord === Infinity) return Math.max(...a);
      if (ord === -Infinity) return Math.min(...a);
      if (ord === 0) return a.filter((x) => x !== 0).length;
      return a.reduce((p, q) => p + q ** ord, 0) ** (1 / ord);
    };
    fc.assert(
      fc.property(arb, ([x, vo, mo, axis, [r, c], keepdims]) => {
        const hx = host(x);
        const tol = { rtol: x.dtype === "float64" ? 1e-10 : 1e-5, atol: 1e-5 };
        const out = x.dtype === "float64" ? "float64" : "float32";
        const y = np.linalg.norm(x, vo, { axis, keepdims });
        expect(y.dtype).toBe(out);
        expectClose(y, reduceHost(hx, axesOf(axis, x.ndim), vec(vo ?? 2), keepdims), tol);
        expectClose(np.linalg.norm(x), { shape: [], data: [vec(2)(hx.data as number[])] }, tol);
        // Matrix norm over (r, c): reduce r first (column sums for ord ±1), then c.
        const m = np.linalg.norm(x, { ord: mo, axis: [r!, c!], keepdims });
        let want;
        if (mo === null || mo === "fro") want = reduceHost(hx, [r!, c!].sort(), vec(2), keepdims);
        else {
          const first = Math.abs(mo) === 1 ? r! : c!;
          const sums = reduceHost({ shape: hx.shape, data: hx.data.map(Math.abs) }, [first], (v) => v.reduce((p, q) => p + q, 0), true);
          want = reduceHost(sums, [r!, c!].sort(), (v) => (mo > 0 ? Math.max(...v) : Math.min(...v)), keepdims);
        }
        expectClose(m, want, tol);
      }),
      RUNS,
    );
    const v = np.array([3, -4]);
    expect(np.linalg.vectorNorm(v).item()).toBe(5);
    expect(np.linalg.vectorNorm(np.ones([2, 2]), { ord: 1, axis: 1, keepdims: true }).tolist()).toEqual([[2], [2]]);
    expect(np.linalg.matrixNorm(np.array([[1, -2], [3, 4]]), { ord: Infinity }).item()).toBe(7);
  });

  test("multiDot, matrixPower, and the array-API linalg helpers", () => {
    const a = det([3], 1);
    const b = det([3, 5], 2);
    const c = det([5, 2], 3);
    const d = det([2], 4);
    const want = np.matmul(np.matmul(np.matmul(a, b), c), d);
    expectClose(np.linalg.multiDot([a, b, c, d]), host(want), { rtol: 1e-12, atol: 1e-12 });
    expectClose(np.linalg.multiDot([b, c]), host(np.matmul(b, c)), { rtol: 1e-12, atol: 1e-12 });
    const m = det([2, 3, 3], 5);
    expectClose(np.linalg.matrixPower(m, 5), host(np.matmul(m, np.matmul(m, np.matmul(m, np.matmul(m, m))))), { rtol: 1e-12, atol: 1e-12 });
    expect(np.linalg.matrixPower(m, 0).tolist()).toEqual([np.eye(3).tolist(), np.eye(3).tolist()]);
    expect(np.linalg.diagonal(np.arange(8).reshape([2, 2, 2])).tolist()).toEqual([[0, 3], [4, 7]]);
    expect(np.linalg.trace(np.arange(8).reshape([2, 2, 2]), { offset: 1 }).tolist()).toEqual([1, 5]);
    expect(np.linalg.outer(np.array([1, 2]), np.array([3])).tolist()).toEqual([[3], [6]]);
    expect(np.linalg.cross(np.array([0, 1, 0]), np.array([0, 0, 1])).tolist()).toEqual([1, 0, 0]);
    expect(np.linalg.vecdot(np.ones([2, 3]), np.ones([3])).tolist()).toEqual([3, 3]);
    expect(np.linalg.matrixTranspose(np.ones([1, 2, 3])).shape).toEqual([1, 3, 2]);
    const mats = det([2, 1, 3, 4], 6);
    const vecs = det([5, 4], 7);
    expectClose(np.matvec(mats, vecs), host(np.einsum("abmn,bn->abm", mats, vecs)), { rtol: 1e-12, atol: 1e-12 });
    expectClose(np.vecmat(det([5, 3], 8), mats), host(np.einsum("bn,abnm->abm", det([5, 3], 8), mats)), { rtol: 1e-12, atol: 1e-12 });
  });
});

describe("gradients (finite differences, float64)", () => {
  const a = det([2, 3], 1);
  const b = det([3, 4], 2);
  const v = det([3], 3);
  const g = (f: (...x: NdArray[]) => NdArray, args: NdArray[], order = 2) => checkGrads(f as never, args, { order, atol: 1e-6, rtol: 1e-5 });
  test("bilinear products (order 2)", () => {
    g(np.vdot, [a, a.mul(2)]);
    g(np.inner, [a, b.T]);
    g(np.outer, [a, v]);
    g((x: NdArray, y: NdArray) => np.tensordot(x, y, 1), [a, b]);
    g((x: NdArray, y: NdArray) => np.tensordot(x, y, [[0, 1], [1, 0]]), [a, a.T]);
    g((x: NdArray, y: NdArray) => np.vecdot(x, y), [a, v]);
    g(np.kron, [a, v]);
    g(np.matvec, [b.T, v]);
    g(np.vecmat, [v, b]);
    g((x: NdArray, y: NdArray) => np.cross(x, y), [a, a.add(1)]);
    g((x: NdArray, y: NdArray) => np.linalg.multiDot([x, y, b.T]), [a, b]);
    g((x: NdArray) => np.linalg.matrixPower(x, 3), [det([3, 3], 4).mul(0.5)]);
  });
  test("norms (order 2 for smooth orders, order 1 for max/abs-based ones)", () => {
    g((x: NdArray) => np.linalg.norm(x), [a]);
    g((x: NdArray) => np.linalg.norm(x, 3, { axis: 1 }), [a]);
    g((x: NdArray) => np.linalg.norm(x, "fro", { axis: [1, 0], keepdims: true }), [a]);
    g((x: NdArray) => np.linalg.norm(x, 1, { axis: 0 }), [a], 1);
    g((x: NdArray) => np.linalg.norm(x, Infinity), [a], 1);
    g((x: NdArray) => np.linalg.norm(x, -Infinity, { axis: 1 }), [a], 1);
    g((x: NdArray) => np.linalg.norm(x, 1), [a], 1);
  });
});

describe("vmap equals stacking per-example results", () => {
  const xs = batchOf(3, [2, 3], 1);
  const ys = batchOf(3, [3, 3], 2);
  const tol = { rtol: 1e-12, atol: 1e-12 };
  test.each([
    ["vdot", (x: NdArray, y: NdArray) => np.vdot(x, y.reshape([-1]).mul(1).reshape([3, 3]).sum(0).reshape([1, 3]).add(x))],
    ["inner", (x: NdArray, y: NdArray) => np.inner(x, y)],
    ["outer", (x: NdArray, y: NdArray) => np.outer(x, y)],
    ["tensordot", (x: NdArray, y: NdArray) => np.tensordot(x, y, 1)],
    ["tensordot lists", (x: NdArray, y: NdArray) => np.tensordot(y, x, [[1], [1]])],
    ["vecdot", (x: NdArray, y: NdArray) => np.vecdot(x, y.sum(0))],
    ["kron", (x: NdArray, y: NdArray) => np.kron(x, y)],
    ["cross", (x: NdArray, y: NdArray) => np.cross(x, y.sum(0))],
    ["norm", (x: NdArray, y: NdArray) => np.linalg.norm(x, 1, { axis: 1 }).sum().add(np.linalg.norm(y, Infinity))],
    ["matrixPower", (_: NdArray, y: NdArray) => np.linalg.matrixPower(y, 3)],
    ["multiDot", (x: NdArray, y: NdArray) => np.linalg.multiDot([x, y, y])],
  ])("%s", (_, f) => checkVmap(f, [xs, ys], tol));
});

describe("errors", () => {
  test("incompatible shapes", () => {
    expect(() => np.vdot(np.ones([2, 3]), np.ones([5]))).toThrow("vdot: f32[2,3] and f32[5] must have the same number of elements (6 vs 5).");
    expect(() => np.inner(np.ones([2, 3]), np.ones([4]))).toThrow(ShapeError);
    expect(() => np.inner(np.ones([2, 3]), np.ones([4]))).toThrow(/^inner: the last axes of f32\[2,3\] and f32\[4\] differ in size \(3 vs 4\)/);
    expect(() => np.tensordot(np.ones([2, 3]), np.ones([4, 3]), 1)).toThrow(
      "tensordot: axis 1 of f32[2,3] (size 3) is paired with axis 0 of f32[4,3] (size 4); contracted axes must have equal sizes.",
    );
    expect(() => np.tensordot(np.ones([2, 3]), np.ones([3]), 2)).toThrow(/^tensordot: axes=2 must be an integer between 0 and the smaller rank/);
    expect(() => np.tensordot(np.ones([2, 3]), np.ones([3]), [[2], [0]])).toThrow("tensordot: axis 2 is out of range for an array of shape [2,3] (rank 2); use an integer in [-2, 1].");
    expect(() => np.vecdot(np.ones([2, 3]), np.ones([2]))).toThrow(/^vecdot: axis -1 of f32\[2,3\] and f32\[2\] differ in size/);
    expect(() => np.matvec(np.ones([2, 3]), np.ones([2]))).toThrow("matvec: needs matrices [..., m, n] and vectors [..., n], got f32[2,3] and f32[2].");
    expect(() => np.cross(np.ones([2, 3]), np.ones([4, 3]))).toThrow(/^cross: shapes \[2\], \[4\] cannot be broadcast together/);
    expect(() => np.cross(np.ones([4]), np.ones([3]))).toThrow("cross: the vector axes of f32[4] and f32[3] must have size 2 or 3, got 4 and 3.");
    expect(() => np.linalg.multiDot([np.ones([2, 3]), np.ones([2, 3])])).toThrow(/linalg.multiDot: array 0 \(f32\[2,3\]\) and array 1 \(f32\[2,3\]\) do not chain \(3 vs 2\)/);
  });
  test("norm orders and axes", () => {
    // The spectral orders come from the singular values of ones(2, 2): 2 and 0.
    expect(np.linalg.norm(np.ones([2, 2]), "nuc").item()).toBeCloseTo(2, 6);
    expect(np.linalg.norm(np.ones([2, 2]), 2).item()).toBeCloseTo(2, 6);
    expect(() => np.linalg.norm(np.ones([2, 2]), 3)).toThrow(ArgumentError);
    expect(() => np.linalg.norm(np.ones([2, 2]), 3)).toThrow(/linalg.norm: invalid matrix norm order 3; use "fro", "nuc", 1, -1, 2, -2/);
    expect(() => np.linalg.norm(np.ones([2, 2, 2]), 1)).toThrow(/linalg.norm: with an ord and no axis the input must be 1-D or 2-D, got f32\[2,2,2\]/);
    expect(() => np.linalg.norm(np.ones([2]), { axis: 1 })).toThrow("linalg.norm: axis 1 is out of range for an array of shape [2] (rank 1); use an integer in [-1, 0].");
    expect(() => np.linalg.norm(np.ones([2]), "fro", { axis: 0 })).toThrow(/invalid vector norm order "fro"/);
    expect(() => np.linalg.matrixPower(np.ones([2, 2]), 1.5)).toThrow(/linalg.matrixPower: the exponent must be an integer, got 1.5/);
    expect(() => np.linalg.matrixPower(np.ones([2, 3]), 2)).toThrow("linalg.matrixPower: needs square matrices in the last two axes, got f32[2,3].");
  });
});

void broadcastIndex;
