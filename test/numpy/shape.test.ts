// Shape functions: axis moves (moveaxis, swapaxes, rollaxis, permuteDims,
// matrixTranspose, ravel, atleast*d, broadcastArrays), joining and splitting, and
// repetition (tile, repeat, roll, resize): values against index-mapping references
// over shapes and dtypes, gradients (all linear: order 1 checks the transposes), vmap, errors.
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { ArgumentError, ShapeError, numpy as np } from "../../src/index.js";
import type { DType } from "../../src/core/index.js";
import { checkGrads } from "../../src/testing/index.js";
import type { Array as NdArray } from "../../src/trace/array.js";
import { type Host, RUNS, at, batchOf, checkVmap, det, expectClose, fromFn, host } from "./helpers.js";
import { arrayArb, broadcastIndex, broadcastPair, smallShape } from "./values.js";

const EXACT = { rtol: 0, atol: 0 };
const DTYPES: DType[] = ["float32", "float64", "int32", "bool"];
const withArray = (shape: fc.Arbitrary<number[]>) =>
  fc.tuple(shape, fc.constantFrom(...DTYPES)).chain(([s, d]) => arrayArb(s, d, { specials: true }));
const rankAtLeast = (r: number) => withArray(smallShape({ minRank: r, maxRank: 4, maxDim: 3 }));

/** out[idx] = in[j] where j[perm[k]] = idx[k] (numpy transpose semantics). */
function transposeHost(h: Host, perm: readonly number[]): Host {
  return fromFn(
    perm.map((p) => h.shape[p]!),
    (idx) => {
      const j = new Array<number>(perm.length);
      perm.forEach((p, k) => (j[p] = idx[k]!));
      return at(h, j);
    },
  );
}

describe("axis moves", () => {
  test("moveaxis: output axis dst[k] is input axis src[k]; the rest keep their order", () => {
    const arb = rankAtLeast(1).chain((x) =>
      fc.integer({ min: 1, max: x.ndim }).chain((k) =>
        fc.tuple(fc.constant(x), fc.shuffledSubarray([...Array(x.ndim).keys()], { minLength: k, maxLength: k }), fc.shuffledSubarray([...Array(x.ndim).keys()], { minLength: k, maxLength: k }), fc.boolean()),
      ),
    );
    fc.assert(
      fc.property(arb, ([x, src, dst, negative]) => {
        const perm = new Array<number>(x.ndim).fill(-1);
        src.forEach((s, k) => (perm[dst[k]!] = s));
        const rest = [...Array(x.ndim).keys()].filter((i) => !src.includes(i));
        for (let i = 0; i < perm.length; i++) if (perm[i] === -1) perm[i] = rest.shift()!;
        const d = negative ? dst.map((v) => v - x.ndim) : dst;
        const y = np.moveaxis(x, src, d);
        expect(y.dtype).toBe(x.dtype);
        expectClose(y, transposeHost(host(x), perm), EXACT);
      }),
      RUNS,
    );
  });

  test("swapaxes, rollaxis, permuteDims, matrixTranspose, ravel", () => {
    fc.assert(
      fc.property(rankAtLeast(2), fc.nat(), fc.nat(), (x, i0, j0) => {
        const n = x.ndim;
        const [i, j] = [i0 % n, j0 % n];
        const sw = [...Array(n).keys()].map((k) => (k === i ? j : k === j ? i : k));
        expectClose(np.swapaxes(x, i, j - n), transposeHost(host(x), sw), EXACT);
        const mt = [...Array(n).keys()].map((k) => (k === n - 1 ? n - 2 : k === n - 2 ? n - 1 : k));
        expectClose(np.matrixTranspose(x), transposeHost(host(x), mt), EXACT);
        const rev = [...Array(n).keys()].reverse();
        expectClose(np.permuteDims(x, rev), transposeHost(host(x), rev), EXACT);
        // rollaxis(x, i, 0) brings axis i to the front.
        const roll = [i, ...[...Array(n).keys()].filter((k) => k !== i)];
        expectClose(np.rollaxis(x, i), transposeHost(host(x), roll), EXACT);
        expect(np.rollaxis(x, 0, n).shape).toEqual([...x.shape.slice(1), x.shape[0]]);
        expect(host(np.ravel(x)).data).toEqual(host(x).data);
      }),
      RUNS,
    );
  });

  test("atleast1d/2d/3d, broadcastArrays, broadcastShapes, ndim/shape/size", () => {
    const s = np.array(5);
    const v = np.array([1, 2, 3]);
    const m = np.ones([2, 3]);
    expect(np.atleast1d(s).shape).toEqual([1]);
    expect(np.atleast2d(s).shape).toEqual([1, 1]);
    expect(np.atleast2d(v).shape).toEqual([1, 3]);
    expect(np.atleast3d(v).shape).toEqual([1, 3, 1]);
    expect(np.atleast3d(m).shape).toEqual([2, 3, 1]);
    expect(np.atleast3d(s).shape).toEqual([1, 1, 1]);
    expect(np.atleast1d(s, v, m).map((a) => a.shape)).toEqual([[1], [3], [2, 3]]);
    expect(np.broadcastShapes([2, 1], [3], [])).toEqual([2, 3]);
    expect([np.ndim(m), np.shape(m), np.size(m), np.size(m, -1)]).toEqual([2, [2, 3], 6, 3]);
    fc.assert(
      fc.property(broadcastPair().chain(([a, b]) => fc.tuple(arrayArb(a, "int32"), arrayArb(b, "float32"))), ([a, b]) => {
        const [x, y] = np.broadcastArrays(a, b);
        const shape = np.broadcastShapes(a.shape, b.shape);
        expect([x!.dtype, y!.dtype]).toEqual(["int32", "float32"]);
        expectClose(x!, fromFn(shape, (idx) => at(host(a), broadcastIndex(idx, a.shape))), EXACT);
        expectClose(y!, fromFn(shape, (idx) => at(host(b), broadcastIndex(idx, b.shape))), EXACT);
      }),
      RUNS,
    );
  });
});

describe("joining and splitting", () => {
  test("stack / unstack along any axis", () => {
    const arb = fc
      .tuple(smallShape({ maxRank: 3, maxDim: 3 }), fc.integer({ min: 1, max: 3 }), fc.constantFrom(...DTYPES))
      .chain(([s, k, d]) => fc.tuple(fc.array(arrayArb(s, d), { minLength: k, maxLength: k }), fc.integer({ min: -s.length - 1, max: s.length })));
    fc.assert(
      fc.property(arb, ([xs, axis]) => {
        const y = np.stack(xs, axis);
        const ax = axis < 0 ? axis + xs[0]!.ndim + 1 : axis;
        const hs = xs.map(host);
        const shape = [...xs[0]!.shape.slice(0, ax), xs.length, ...xs[0]!.shape.slice(ax)];
        expectClose(y, fromFn(shape, (idx) => at(hs[idx[ax]!]!, idx.filter((_, k) => k !== ax))), EXACT);
        np.unstack(y, axis).forEach((p, i) => expectClose(p, hs[i]!, EXACT));
        expectClose(np.stack(y, 0), host(np.moveaxis(y, 0, 0)), EXACT);
      }),
      RUNS,
    );
  });

  test("hstack, vstack, dstack, columnStack, concat", () => {
    const a = np.array([1, 2]);
    const b = np.array([3, 4]);
    expect(np.hstack([a, b]).tolist()).toEqual([1, 2, 3, 4]);
    expect(np.vstack([a, b]).tolist()).toEqual([[1, 2], [3, 4]]);
    expect(np.dstack([a, b]).tolist()).toEqual([[[1, 3], [2, 4]]]);
    expect(np.columnStack([a, b]).tolist()).toEqual([[1, 3], [2, 4]]);
    expect(np.hstack([np.ones([2, 1]), np.zeros([2, 2])]).tolist()).toEqual([[1, 0, 0], [1, 0, 0]]);
    expect(np.vstack([np.ones([1, 2]), a]).shape).toEqual([2, 2]);
    expect(np.hstack([1, 2.5]).tolist()).toEqual([1, 2.5]);
    expect(np.concat([np.ones([2, 2]), np.zeros([1, 2])]).shape).toEqual([3, 2]);
    expect(np.concat([np.ones([2, 2]), np.zeros([3])], null).shape).toEqual([7]);
    expect(np.vstack(np.ones([3, 2])).shape).toEqual([3, 2]);
  });

  test("split and arraySplit: sections and indices (numpy slice semantics)", () => {
    const arb = fc.tuple(smallShape({ minRank: 1, maxRank: 3, maxDim: 6 }), fc.constantFrom(...DTYPES)).chain(([s, d]) =>
      fc.tuple(
        arrayArb(s, d),
        fc.integer({ min: -s.length, max: s.length - 1 }),
        fc.oneof(fc.integer({ min: 1, max: 4 }), fc.array(fc.integer({ min: -7, max: 7 }), { maxLength: 3 })),
      ),
    );
    fc.assert(
      fc.property(arb, ([x, axis, spec]) => {
        const ax = axis < 0 ? axis + x.ndim : axis;
        const n = x.shape[ax]!;
        const pyIdx = (i: number): number => Math.min(n, Math.max(0, i < 0 ? i + n : i));
        let bounds: [number, number][];
        if (typeof spec === "number") {
          const q = Math.floor(n / spec);
          const r = n % spec;
          let s0 = 0;
          bounds = [...Array(spec).keys()].map((i) => [s0, (s0 += q + (i < r ? 1 : 0))] as [number, number]);
          if (n % spec !== 0) expect(() => np.split(x, spec, axis)).toThrow(ShapeError);
          else expect(np.split(x, spec, axis).map((p) => p.shape[ax])).toEqual(bounds.map(([a, b]) => b - a));
        } else {
          const pts = [0, ...spec, n];
          bounds = pts.slice(1).map((e, i) => [pyIdx(pts[i]!), Math.max(pyIdx(pts[i]!), pyIdx(e))]);
        }
        const parts = np.arraySplit(x, spec, axis);
        expect(parts.length).toBe(bounds.length);
        const hx = host(x);
        parts.forEach((p, i) => {
          const [s0, e0] = bounds[i]!;
          const shape = x.shape.map((d, k) => (k === ax ? e0 - s0 : d));
          expectClose(p, fromFn(shape, (idx) => at(hx, idx.map((v, k) => (k === ax ? v + s0 : v)))), EXACT);
        });
      }),
      RUNS,
    );
    const m = np.arange(24).reshape([2, 3, 4]);
    expect(np.hsplit(m, 3).map((p) => p.shape)).toEqual([[2, 1, 4], [2, 1, 4], [2, 1, 4]]);
    expect(np.vsplit(m, [1]).map((p) => p.shape)).toEqual([[1, 3, 4], [1, 3, 4]]);
    const rows = m.tolist() as number[][][];
    expect(np.dsplit(m, 2).map((p) => p.tolist())).toEqual([rows.map((r) => r.map((c) => c.slice(0, 2))), rows.map((r) => r.map((c) => c.slice(2)))]);
    expect(np.hsplit(np.arange(4), 2).map((p) => p.tolist())).toEqual([[0, 1], [2, 3]]);
  });
});

describe("repetition", () => {
  test("tile: out[idx] = x[idx mod shape], reps aligned from the right", () => {
    const arb = fc.tuple(withArray(smallShape({ maxRank: 3, maxDim: 3 })), fc.oneof(fc.integer({ min: 0, max: 3 }), fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 4 })));
    fc.assert(
      fc.property(arb, ([x, reps]) => {
        const r = typeof reps === "number" ? [reps] : reps;
        const rank = Math.max(r.length, x.ndim);
        const s = [...Array(rank - x.ndim).fill(1), ...x.shape];
        const rr = [...Array(rank - r.length).fill(1), ...r];
        const hx = { shape: s, data: host(x).data };
        const y = np.tile(x, reps);
        expect(y.dtype).toBe(x.dtype);
        expectClose(y, fromFn(s.map((d, i) => d * rr[i]), (idx) => at(hx, idx.map((v, k) => v % s[k]))), EXACT);
      }),
      RUNS,
    );
  });

  test("repeat: a count or one count per element, along an axis or flattened", () => {
    const arb = withArray(smallShape({ minRank: 1, maxRank: 3, maxDim: 3 })).chain((x) =>
      fc.tuple(
        fc.constant(x),
        fc.oneof(fc.constant(null), fc.integer({ min: -x.ndim, max: x.ndim - 1 })),
        fc.boolean(),
        fc.array(fc.integer({ min: 0, max: 3 }), { minLength: x.size + 4, maxLength: x.size + 4 }),
      ),
    );
    fc.assert(
      fc.property(arb, ([x, axis, perElement, counts0]) => {
        const flat = axis === null;
        const src = flat ? { shape: [x.size], data: host(x).data } : host(x);
        const ax = flat ? 0 : axis < 0 ? axis + x.ndim : axis;
        const n = src.shape[ax]!;
        const counts = perElement ? counts0.slice(0, n) : [counts0[0] ?? 2];
        const per = counts.length === 1 ? Array(n).fill(counts[0]) : counts;
        const index = per.flatMap((c, i) => Array(c).fill(i));
        const y = np.repeat(x, counts.length === 1 ? counts[0]! : counts, axis);
        const shape = src.shape.map((d, k) => (k === ax ? index.length : d));
        expectClose(y, fromFn(shape, (idx) => at(src, idx.map((v, k) => (k === ax ? index[v]! : v)))), EXACT);
      }),
      RUNS,
    );
  });

  test("roll: out[i] = x[(i - shift) mod n] along each axis; flattened without axis", () => {
    const arb = withArray(smallShape({ minRank: 1, maxRank: 3, maxDim: 4 })).chain((x) =>
      fc.tuple(fc.constant(x), fc.integer({ min: -7, max: 7 }), fc.integer({ min: -7, max: 7 }), fc.nat(x.ndim - 1)),
    );
    fc.assert(
      fc.property(arb, ([x, s1, s2, axis]) => {
        const hx = host(x);
        const mod = (a: number, m: number): number => ((a % m) + m) % m;
        const y = np.roll(x, [s1, s2], [axis, 0]);
        const shift = x.shape.map((_, k) => (k === axis ? s1 : 0) + (k === 0 ? s2 : 0));
        expectClose(y, fromFn(x.shape, (idx) => at(hx, idx.map((v, k) => mod(v - shift[k]!, x.shape[k]!)))), EXACT);
        const flat = np.roll(x, s1);
        expectClose(np.ravel(flat), fromFn([x.size], ([i]) => hx.data[mod(i! - s1, x.size)]!), EXACT);
      }),
      RUNS,
    );
  });

  test("resize", () => {
    expect(np.resize(np.array([1, 2, 3]), [2, 4]).tolist()).toEqual([[1, 2, 3, 1], [2, 3, 1, 2]]);
    expect(np.resize(np.array([[1, 2], [3, 4]]), 3).tolist()).toEqual([1, 2, 3]);
    expect(np.resize(np.zeros([0]), [2]).tolist()).toEqual([0, 0]);
  });
});

describe("gradients of the linear shape functions (finite differences, order 1)", () => {
  const x = det([2, 3], 1);
  const g = (f: (a: NdArray) => NdArray) => checkGrads(f as never, [x], { order: 1 });
  test.each([
    ["moveaxis", (a: NdArray) => np.moveaxis(a, 0, -1)],
    ["stack", (a: NdArray) => np.stack([a, a.mul(2)], 1)],
    ["hstack", (a: NdArray) => np.hstack([a, a])],
    ["split", (a: NdArray) => np.arraySplit(a, 2, 1)[0]!.mul(np.arraySplit(a, 2, 1)[1]!.sum())],
    ["tile", (a: NdArray) => np.tile(a, [2, 1, 2])],
    ["repeat", (a: NdArray) => np.repeat(a, [1, 0, 3], 1)],
    ["roll", (a: NdArray) => np.roll(a, [1, 2], [0, 1])],
    ["resize", (a: NdArray) => np.resize(a, [4, 4])],
  ])("%s", (_, f) => g(f));
});

describe("vmap equals stacking per-example results", () => {
  const xs = batchOf(3, [2, 3], 1);
  test.each([
    ["moveaxis", (a: NdArray) => np.moveaxis(a, 0, 1)],
    ["swapaxes", (a: NdArray) => np.swapaxes(a, 0, -1)],
    ["stack", (a: NdArray) => np.stack([a, a.mul(2)], -1)],
    ["vstack", (a: NdArray) => np.vstack([a, a])],
    ["split", (a: NdArray) => np.split(a, [1], 1)],
    ["tile", (a: NdArray) => np.tile(a, 2)],
    ["repeat", (a: NdArray) => np.repeat(a, [2, 1], 0)],
    ["repeat flat", (a: NdArray) => np.repeat(a, 2)],
    ["roll", (a: NdArray) => np.roll(a, 1, 1)],
    ["roll flat", (a: NdArray) => np.roll(a, 2)],
    ["broadcastArrays", (a: NdArray) => np.broadcastArrays(a, np.ones([4, 1, 1]))],
    ["atleast3d", (a: NdArray) => np.atleast3d(a)],
  ])("%s", (_, f) => checkVmap(f, [xs]));
});

describe("errors", () => {
  const x = np.ones([2, 3]);
  test("out-of-range and repeated axes", () => {
    expect(() => np.moveaxis(x, 2, 0)).toThrow("moveaxis: axis 2 is out of range for an array of shape [2,3] (rank 2); use an integer in [-2, 1].");
    expect(() => np.moveaxis(x, [0, 1], [0])).toThrow(ArgumentError);
    expect(() => np.moveaxis(x, [0, 0], [0, 1])).toThrow(/moveaxis: repeated axis/);
    expect(() => np.swapaxes(x, 0, -3)).toThrow(/^swapaxes: axis -3 is out of range/);
    expect(() => np.stack([x, x], 3)).toThrow(/^stack: axis 3 is out of range for an array of rank 3/);
    expect(() => np.split(x, 2, 2)).toThrow(/^split: axis 2 is out of range/);
    expect(() => np.roll(x, 1, 5)).toThrow(/^roll: axis 5 is out of range/);
    expect(() => np.permuteDims(x, [0])).toThrow("permuteDims: axes (0) must list each of the 2 axes of f32[2,3] once.");
    expect(() => np.matrixTranspose(np.ones([3]))).toThrow(ShapeError);
  });
  test("incompatible shapes and counts", () => {
    expect(() => np.stack([x, np.ones([3, 2])])).toThrow("stack: all arrays must have the same shape, got f32[2,3], f32[3,2]; reshape or broadcastTo them first.");
    expect(() => np.split(x, 2, 1)).toThrow(
      "split: axis 1 of f32[2,3] has size 3, which 2 sections do not divide evenly; use arraySplit for unequal parts, or pass the split indices.",
    );
    expect(() => np.split(x, 0)).toThrow("split: the number of sections must be a positive integer, got 0.");
    expect(() => np.repeat(x, [1, 2], 1)).toThrow("repeat: got 2 repeat counts for axis 1 of f32[2,3] (size 3); pass one count per element, or a single count.");
    expect(() => np.repeat(x, -1)).toThrow("repeat: each repeat count must be a non-negative integer, got -1.");
    expect(() => np.tile(x, [1, -2])).toThrow(ArgumentError);
    expect(() => np.vsplit(np.ones([3]), 3)).toThrow("vsplit: needs an array of rank >= 2, got f32[3].");
    expect(() => np.roll(x, [1, 2, 3], [0, 1])).toThrow(/roll: shift \[1, 2, 3\] and axis \[0, 1\] must have the same length/);
    expect(() => np.stack([])).toThrow("stack: needs at least one array.");
  });
});
