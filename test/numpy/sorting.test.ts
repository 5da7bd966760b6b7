/**
 * numpy's sorting and searching: sort/argsort (ascending and descending, axis null),
 * lexsort, searchsorted (both sides, sorter, NaN), and nonzero/argwhere/flatnonzero
 * (eager without size; static size with fillValue under jit and vmap), against
 * plain-JS references, plus the errors.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ArgumentError, ConcretizationError, ShapeError, jit, numpy as np, vmap } from "../../src/index.js";
import { DTYPES, type DType } from "../../src/core/index.js";
import type { Array as NdArray } from "../../src/trace/array.js";
import { type HostArray, hostArb, shapeArb } from "../helpers/arbitraries.js";
import { before, bits, stableOrder } from "../helpers/host-sort.js";
import { checkVmap, device, unravel } from "./helpers.js";

const values = (x: NdArray): number[] => Array.from(x.dataSync(), Number);
/** Stable argsort of a list by a strict "before" relation on its values. */
const hostArgsort = (line: readonly number[], first: (a: number, b: number) => boolean): number[] =>
  stableOrder(line.length, (p, q) => first(line[p]!, line[q]!));

/** Applies `f` to every line along the last axis of row-major data with `n` per line. */
const perLine = (data: readonly number[], n: number, f: (line: number[]) => number[]): number[] =>
  n === 0 ? [] : Array.from({ length: data.length / n }, (_, r) => f(data.slice(r * n, (r + 1) * n))).flat();

const arrayOf = (h: HostArray): NdArray => device({ shape: [...h.shape], data: Array.from(h.values) }, h.dtype);
const anyArray = (opts: { minRank?: number } = {}) =>
  shapeArb({ minRank: opts.minRank ?? 1, maxRank: 3, maxDim: 5 }).chain((s) => fc.constantFrom<DType>(...DTYPES).chain((d) => hostArb(d, s, { small: true })));

describe("sort and argsort", () => {
  it("along the last axis, ascending and descending, equal host sorts (stable; NaN last, or first when descending)", () => {
    fc.assert(
      fc.property(anyArray(), fc.boolean(), (h, descending) => {
        const n = h.shape.at(-1)!;
        const data = Array.from(h.values);
        const first = descending ? (a: number, b: number) => before(b, a) : before;
        const order = perLine(data, n, (line) => hostArgsort(line, first));
        const x = arrayOf(h);
        const sorted = np.sort(x, -1, { descending });
        const idx = np.argsort(x, -1, { descending });
        expect(idx.dtype).toBe("int32");
        expect(values(idx)).toEqual(order);
        expect(bits(values(sorted))).toEqual(bits(order.map((j, k) => data[Math.floor(k / n) * n + j]!)));
      }),
      { numRuns: 80 },
    );
  });

  it("axis null sorts the flattened array; another axis moves along that axis", () => {
    const x = np.array([[3, 1], [2, 0]], { dtype: "float32" });
    expect(values(np.sort(x, null))).toEqual([0, 1, 2, 3]);
    expect(values(np.argsort(x, null))).toEqual([3, 1, 2, 0]);
    expect(values(np.sort(x, 0))).toEqual([2, 0, 3, 1]);
    expect(values(np.argsort(x, 0))).toEqual([1, 1, 0, 0]);
    expect(values(np.sort(np.array([1, 3, 2]), -1, { stable: false }))).toEqual([1, 2, 3]);
  });

  it("lexsort: the last key is primary, ties broken by the earlier keys, then by position", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 8 }), fc.integer({ min: 1, max: 3 }), fc.nat(), (n, nkeys, seed) => {
        const keys = Array.from({ length: nkeys }, (_, k) => Array.from({ length: n }, (_, i) => ((seed + 7 * i + 13 * k * i) % 3) - 1));
        const want = Array.from({ length: n }, (_, i) => i);
        want.sort((p, q) => {
          for (let k = nkeys - 1; k >= 0; k--) if (keys[k]![p] !== keys[k]![q]) return keys[k]![p]! - keys[k]![q]!;
          return p - q;
        });
        const arrays = keys.map((k) => np.array(k, { dtype: "int32" }));
        expect(values(np.lexsort(arrays))).toEqual(want);
        if (n > 0) expect(values(np.lexsort(np.stack(arrays)))).toEqual(want);
      }),
      { numRuns: 40 },
    );
  });
});

describe("searchsorted", () => {
  it("equals counting (left: entries sorting before v; right: entries not after v), NaN and ties included", () => {
    fc.assert(
      fc.property(
        fc.constantFrom<DType>("float32", "float64", "int32", "uint32"),
        fc.integer({ min: 0, max: 9 }),
        shapeArb({ maxRank: 2, maxDim: 4 }),
        fc.constantFrom<"left" | "right">("left", "right"),
        (dtype, n, qshape, side) =>
          fc.assert(
            fc.property(hostArb(dtype, [n], { small: true }), hostArb(dtype, qshape, { small: true }), (a, v) => {
              const sorted = hostArgsort(Array.from(a.values), before).map((j) => a.values[j]!);
              const queries = Array.from(v.values);
              const want = queries.map((q) => sorted.filter((s) => (side === "left" ? before(s, q) : !before(q, s))).length);
              const got = np.searchsorted(device({ shape: [n], data: sorted }, dtype), arrayOf(v), { side });
              expect(got.dtype).toBe("int32");
              expect(got.shape).toEqual(qshape);
              expect(values(got)).toEqual(want);
            }),
            { numRuns: 3 },
          ),
      ),
      { numRuns: 40 },
    );
  });

  it("sorter indexes an unsorted a; jit and vmap agree with eager", () => {
    const a = np.array([3, 1, 2, 5], { dtype: "float32" });
    const v = np.array([0, 2, 4, 6], { dtype: "float32" });
    expect(values(np.searchsorted(a, v, { sorter: np.argsort(a) }))).toEqual([0, 1, 3, 4]);
    expect(values(np.searchsorted(np.array([1, 2, 2, 3]), np.array([2]), { side: "right" }))).toEqual([3]);
    const f = (s: NdArray, q: NdArray) => np.searchsorted(s, q, { side: "right" });
    const s = np.array([-1, 0, 0, 2, 7], { dtype: "float64" });
    const q = np.array([[-2, 0, 1], [7, 8, 0]], { dtype: "float64" });
    expect(values(jit(f)(s, q) as NdArray)).toEqual(values(f(s, q)));
    checkVmap((qq: NdArray) => f(s, qq), [q]);
    checkVmap((ss: NdArray) => f(ss, np.array([0.5, 2])), [np.sort(np.array([[3, 1, 2], [0, 9, 4]], { dtype: "float32" }))]);
  });
});

describe("nonzero, argwhere, flatnonzero", () => {
  /** The row-major multi-indices of nonzero entries (NaN counts as nonzero). */
  const hostNonzero = (shape: readonly number[], data: readonly number[]): number[][] =>
    data.flatMap((v, i) => (v !== 0 ? [unravel(i, shape)] : []));

  it("eagerly (no size) the count comes from the data; with size the result is cut or padded with fillValue", () => {
    fc.assert(
      fc.property(anyArray(), fc.integer({ min: 0, max: 6 }), fc.integer({ min: -3, max: 3 }), (h, size, fill) => {
        const x = arrayOf(h);
        const idx = hostNonzero(h.shape, Array.from(h.values));
        const flat = idx.map((m) => m.reduce((acc, v, k) => acc * h.shape[k]! + v, 0));
        const nz = np.nonzero(x);
        expect(nz.length).toBe(h.shape.length);
        nz.forEach((c, d) => expect(values(c)).toEqual(idx.map((m) => m[d]!)));
        expect(values(np.flatnonzero(x))).toEqual(flat);
        const aw = np.argwhere(x);
        expect(aw.shape).toEqual([idx.length, h.shape.length]);
        expect(values(aw)).toEqual(idx.flat());
        const padded = (xs: number[]) => Array.from({ length: size }, (_, k) => (k < xs.length ? xs[k]! : fill));
        np.nonzero(x, { size, fillValue: fill }).forEach((c, d) => expect(values(c)).toEqual(padded(idx.map((m) => m[d]!))));
        expect(values(np.flatnonzero(x, { size, fillValue: fill }))).toEqual(padded(flat));
        const rows = values(np.argwhere(x, { size, fillValue: fill }));
        expect(rows).toEqual(Array.from({ length: size }, (_, k) => (k < idx.length ? idx[k]! : h.shape.map(() => fill))).flat());
      }),
      { numRuns: 60 },
    );
  });

  it("per-axis fill values, a rank-0 argwhere, and an empty array", () => {
    const x = np.array([[0, 5], [0, 0]], { dtype: "int32" });
    const [r, c] = np.nonzero(x, { size: 3, fillValue: [-1, -2] });
    expect([values(r!), values(c!)]).toEqual([[0, -1, -1], [1, -2, -2]]);
    expect(np.argwhere(np.array(3)).shape).toEqual([1, 0]);
    expect(np.argwhere(np.array(0)).shape).toEqual([0, 0]);
    expect(values(np.flatnonzero(np.zeros([0, 3]), { size: 2, fillValue: 7 }))).toEqual([7, 7]);
    expect(np.nonzero(np.zeros([2, 0])).map((a) => a.shape)).toEqual([[0], [0]]);
  });

  it("under jit and vmap a static size works and equals eager", () => {
    const x = np.array([[0, 1.5, 0], [NaN, 0, -2]], { dtype: "float32" });
    const f = (a: NdArray) => np.argwhere(a, { size: 4, fillValue: -1 });
    expect(values(jit(f)(x) as NdArray)).toEqual(values(f(x)));
    expect(values(f(x))).toEqual([0, 1, 1, 0, 1, 2, -1, -1]);
    checkVmap((a: NdArray) => np.flatnonzero(a, { size: 2 }), [x]);
    checkVmap((a: NdArray) => np.nonzero(a, { size: 3, fillValue: 9 }), [np.array([[1, 0, 2], [0, 0, 0]])]);
  });
});

describe("errors name the op, the shapes and the fix", () => {
  it("nonzero-style ops without size inside a trace", () => {
    const x = np.array([0, 1, 2]);
    expect(() => jit((a: NdArray) => np.nonzero(a)[0]!)(x)).toThrow(ConcretizationError);
    expect(() => jit((a: NdArray) => np.flatnonzero(a))(x)).toThrow(
      /flatnonzero: the number of nonzero entries of an array of shape \[3\] depends on its values.*pass a static size, e\.g\. np\.flatnonzero\(x, \{ size: 3, fillValue: 0 \}\)/,
    );
    expect(() => vmap((a: NdArray) => np.argwhere(a))(np.zeros([2, 3]))).toThrow(/argwhere: .*shape \[3\].*pass a static size/);
  });

  it("bad axes, shapes and options", () => {
    expect(() => np.sort(np.zeros([2, 3]), 2)).toThrow(/sort: axis 2 is out of range for an operand of shape \[2, 3\]; pass an axis in \[-2, 1\]/);
    expect(() => np.argsort(np.array(1))).toThrow(/argsort: axis -1 is out of range for an operand of shape \[\]; reshape it to rank 1 first/);
    expect(() => np.sort(np.zeros([2]), -1, { kind: "heap" } as never)).toThrow(/sort: unknown option "kind"/);
    expect(() => np.searchsorted(np.zeros([2, 2]), 1)).toThrow(ShapeError);
    expect(() => np.searchsorted(np.zeros([2, 2]), 1)).toThrow(/searchsorted: a has shape \[2, 2\], but it must be 1-D/);
    expect(() => np.searchsorted(np.zeros([2]), 1, { side: "middle" as never })).toThrow(ArgumentError);
    expect(() => np.nonzero(np.array(1))).toThrow(/nonzero: the operand is a scalar \(shape \[\]\)/);
    expect(() => np.nonzero(np.zeros([2, 2]), { size: 1, fillValue: [1, 2, 3] })).toThrow(/nonzero: fillValue has 3 entries for an array of rank 2/);
    expect(() => np.flatnonzero(np.zeros([2]), { size: -1 })).toThrow(/flatnonzero: size must be a non-negative integer, got -1/);
    expect(() => np.lexsort([np.zeros([2]), np.zeros([3])])).toThrow(/lexsort: operands of shapes \[2\], \[3\] differ/);
    expect(() => np.lexsort([])).toThrow(/lexsort: got no keys/);
  });
});

describe("partition and argpartition", () => {
  it("the kth element is in its sorted place, nothing larger before it, nothing smaller after it", () => {
    fc.assert(
      fc.property(
        shapeArb({ minRank: 1, maxRank: 3, zeroSize: false, maxDim: 5 }).chain((s) =>
          fc.tuple(fc.constantFrom<DType>(...DTYPES).chain((d) => hostArb(d, s, { small: true })), fc.integer({ min: -s.at(-1)!, max: s.at(-1)! - 1 })),
        ),
        ([h, kth]) => {
          const x = arrayOf(h);
          const n = h.shape.at(-1)!;
          const k = kth < 0 ? kth + n : kth;
          const data = Array.from(h.values);
          const sortedLines = perLine(data, n, (line) => hostArgsort(line, before).map((j) => line[j]!));
          const p = values(np.partition(x, kth));
          const ip = values(np.argpartition(x, kth));
          for (let r = 0; r < data.length / n; r++) {
            const line = p.slice(r * n, (r + 1) * n);
            const pivot = sortedLines[r * n + k]!;
            expect(bits([line[k]!])).toEqual(bits([pivot]));
            line.slice(0, k).forEach((v) => expect(before(pivot, v)).toBe(false));
            line.slice(k + 1).forEach((v) => expect(before(v, pivot)).toBe(false));
            // argpartition's indices pick out a partitioned line too
            const picked = ip.slice(r * n, (r + 1) * n).map((j) => data[r * n + j]!);
            expect(bits([picked[k]!])).toEqual(bits([pivot]));
            expect([...ip.slice(r * n, (r + 1) * n)].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, j) => j));
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it("kth out of range is an error naming the axis and shape", () => {
    expect(() => np.partition(np.zeros([2, 3]), 3)).toThrow(/partition: kth 3 is out of range for axis 1 of shape \[2, 3\]; pass an integer in \[-3, 2\]/);
    expect(() => np.argpartition(np.zeros([2, 3]), 0, 2)).toThrow(/argpartition: axis 2 is out of range/);
  });
});
