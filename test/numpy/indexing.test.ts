// Integer-array indexing: np.take, np.takeAlongAxis and x.at(idx).get/set/add/mul/min/max
// against host references (negative indices wrap; out-of-range reads clamp or fill,
// out-of-range updates are dropped), gradients (gather <-> scatter-add), vmap, jit, errors.
// numpy's full index through x.at (slices, None, ellipsis, masks) is in basic-indexing.test.ts.
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { DTypeError, ShapeError, jit, numpy as np } from "../../src/index.js";
import type { DType } from "../../src/core/index.js";
import { checkGrads } from "../../src/testing/index.js";
import type { Array as NdArray } from "../../src/trace/array.js";
import { RUNS, at, checkVmap, det, expectClose, fromFn, host } from "./helpers.js";
import { arrayArb, smallShape } from "./values.js";

const EXACT = { rtol: 0, atol: 0 };
const DTYPES: DType[] = ["float32", "float64", "int32", "bool"];
const i32 = (v: number[] | number, shape?: number[]) => {
  const a = np.array(v, { dtype: "int32" });
  return shape ? a.reshape(shape) : a;
};
const wrap = (i: number, n: number) => (i < 0 ? i + n : i);

/** An array of rank >= 1 with nonzero dims, and integer indices into `axis` (some out of range). */
const caseArb = fc
  .tuple(smallShape({ minRank: 1, maxRank: 3, minDim: 1, maxDim: 3 }), fc.constantFrom(...DTYPES))
  .chain(([s, d]) =>
    fc.nat(s.length - 1).chain((axis) =>
      fc.tuple(
        arrayArb(s, d, { specials: true }),
        fc.constant(axis),
        smallShape({ maxRank: 2, maxDim: 3 }).chain((is) =>
          fc.array(fc.integer({ min: -s[axis]!, max: s[axis]! - 1 }), { minLength: is.reduce((a, b) => a * b, 1), maxLength: is.reduce((a, b) => a * b, 1) }).map((v) => i32(v, is)),
        ),
      ),
    ),
  );

describe("np.take and np.takeAlongAxis", () => {
  test("take: out[a..., i..., b...] = x[a..., idx[i...], b...] (negatives from the end)", () => {
    fc.assert(
      fc.property(caseArb, ([x, axis, idx]) => {
        const h = host(x);
        const ih = host(idx);
        const shape = [...x.shape.slice(0, axis), ...idx.shape, ...x.shape.slice(axis + 1)];
        const want = fromFn(shape, (k) => {
          const j = at(ih, k.slice(axis, axis + idx.ndim));
          return at(h, [...k.slice(0, axis), wrap(j, x.shape[axis]!), ...k.slice(axis + idx.ndim)]);
        });
        expectClose(np.take(x, idx, axis), want, EXACT);
      }),
      RUNS,
    );
  });

  test("take: axis null flattens; out-of-range gives NaN (fill) or clamps (clip)", () => {
    const x = np.array([[1, 2], [3, 4]]);
    expectClose(np.take(x, i32([3, -1, 0])), { shape: [3], data: [4, 4, 1] }, EXACT);
    expectClose(np.take(x, i32([5, 1]), 1), { shape: [2, 2], data: [NaN, 2, NaN, 4] }, EXACT);
    expectClose(np.take(x, i32([5, 1]), 1, { mode: "clip" }), { shape: [2, 2], data: [2, 2, 4, 4] }, EXACT);
  });

  test("takeAlongAxis: out[..., i, ...] = x[..., idx[..., i, ...], ...], other axes broadcast", () => {
    fc.assert(
      fc.property(caseArb, fc.integer({ min: 1, max: 3 }), ([x, axis], m) => {
        const n = x.shape[axis]!;
        const ishape = x.shape.map((d, k) => (k === axis ? m : d));
        const vals = Array.from({ length: ishape.reduce((a, b) => a * b, 1) }, (_, k) => ((k * 7) % (2 * n)) - n);
        const idx = i32(vals, ishape);
        const h = host(x);
        const ih = host(idx);
        const want = fromFn(ishape, (k) => at(h, k.map((v, d) => (d === axis ? wrap(at(ih, k), n) : v))));
        expectClose(np.takeAlongAxis(x, idx, axis), want, EXACT);
      }),
      RUNS,
    );
  });

  test("argsort-style use: takeAlongAxis of argmax indices picks the maxima", () => {
    const x = det([3, 4], 5);
    const am = np.expandDims(np.argmax(x, 1), 1);
    expectClose(np.takeAlongAxis(x, am, 1), host(np.max(x, 1, { keepdims: true })), EXACT);
  });
});

describe("x.at(idx)", () => {
  const x = np.array([[1, 2, 3], [4, 5, 6]]);

  test("get: rows, elements by an index list, broadcast index arrays, negatives, clamping", () => {
    expectClose(x.at(1).get(), { shape: [3], data: [4, 5, 6] }, EXACT);
    expectClose(x.at(i32([1, 0, -1])).get(), { shape: [3, 3], data: [4, 5, 6, 1, 2, 3, 4, 5, 6] }, EXACT);
    expectClose(x.at([i32([0, 1]), i32([2, -3])]).get(), { shape: [2], data: [3, 4] }, EXACT);
    expectClose(x.at([i32([0, 1], [2, 1]), i32([0, 2])]).get(), { shape: [2, 2], data: [1, 3, 4, 6] }, EXACT);
    expectClose(x.at(i32(7)).get(), { shape: [3], data: [4, 5, 6] }, EXACT);
    expectClose(x.at(i32(7)).get({ mode: "fill", fillValue: 0 }), { shape: [3], data: [0, 0, 0] }, EXACT);
  });

  test("updates: set (last wins), add (repeats accumulate), mul, min, max; out-of-range dropped", () => {
    const idx = i32([0, 0, 9]);
    const y = np.array([10, 20, 30]);
    const v = np.array([1, 2, 3, 4, 5, 6]);
    expectClose(v.at(idx).set(y), { shape: [6], data: [20, 2, 3, 4, 5, 6] }, EXACT);
    expectClose(v.at(idx).add(y), { shape: [6], data: [31, 2, 3, 4, 5, 6] }, EXACT);
    expectClose(v.at(i32([1, 1, 9])).mul(3), { shape: [6], data: [1, 18, 3, 4, 5, 6] }, EXACT);
    expectClose(v.at(i32([2, -1])).min(0), { shape: [6], data: [1, 2, 0, 4, 5, 0] }, EXACT);
    expectClose(v.at(i32([2, -1])).max(np.array([7, 1])), { shape: [6], data: [1, 2, 7, 4, 5, 6] }, EXACT);
    expectClose(x.at(1).set(0), { shape: [2, 3], data: [1, 2, 3, 0, 0, 0] }, EXACT);
    expectClose(x.at(i32([9, 0])).add(1, { mode: "clip" }), { shape: [2, 3], data: [2, 3, 4, 5, 6, 7] }, EXACT);
    expectClose(np.array([1, 2, 3], { dtype: "int32" }).at(0).set(2.7), { shape: [3], data: [2, 2, 3] }, EXACT);
  });

  test("gradients: get is a gather (its transpose scatter-adds), add/set differentiate in x and y", () => {
    const a = det([4, 3], 2);
    const idx = i32([3, 0, 3, -2]);
    checkGrads((p: NdArray) => p.at(idx).get().sin().sum(), [a], { order: 2, modes: ["fwd", "rev"] });
    checkGrads((p: NdArray, q: NdArray) => p.at(idx).add(q.mul(q)).sin(), [a, det([4, 3], 3)], { order: 2, modes: ["fwd", "rev"] });
    checkGrads((p: NdArray, q: NdArray) => p.at(idx).set(q.sin()).mul(p), [a, det([4, 3], 4)], { order: 2, modes: ["fwd", "rev"] });
    checkGrads((p: NdArray) => np.take(p, idx, 1, { mode: "clip" }).square(), [a], { order: 2, modes: ["fwd", "rev"] });
  });

  test("vmap over the array and over the indices; jit equals eager", () => {
    const xs = det([5, 4, 3], 1);
    checkVmap((p: NdArray) => p.at(i32([2, 0])).get(), [xs]);
    checkVmap((p: NdArray, i: NdArray) => p.at(i).add(1), [xs, i32([0, 3, -1, 2, 7])]);
    checkVmap((p: NdArray, i: NdArray) => np.takeAlongAxis(p, np.broadcastTo(i, [4, 1]), 1), [xs, i32([0, 2, -1, 1, 5]).reshape([5, 1, 1])]);
    const f = (p: NdArray, i: NdArray) => [p.at(i).get(), p.at(i).mul(2), np.take(p, i, 1)];
    const args: [NdArray, NdArray] = [det([4, 3], 2), i32([3, -1, 9, 0])];
    const eager = f(...args);
    jit(f)(...args).forEach((o, k) => expectClose(o, host(eager[k]!), EXACT));
  });

  test("errors name the operation and the fix", () => {
    expect(() => x.at(np.array([0.5])).get()).toThrow(DTypeError);
    expect(() => x.at(np.array([0.5])).get()).toThrow(/indices must be integers \(cast with \.astype\('int32'\)\)/);
    expect(() => x.at([0, 1, 2]).get()).toThrow(ShapeError);
    expect(() => x.at([0, 1, 2]).get()).toThrow(/too many indices for an array of shape \[2, 3\]/);
    expect(() => np.take(x, np.array([1.5]))).toThrow(/take: indices must be integers, got float32/);
    expect(() => np.takeAlongAxis(x, i32([0]), 1)).toThrow(/indices of shape \[1\] must have the rank of x \[2, 3\]/);
  });
});

describe("x.at(...).mul with uniqueIndices", () => {
  test("the gradient with respect to the values needs the promise of unique indices (as in JAX), then matches finite differences", () => {
    const x = np.array([[1.5, -2, 0.5], [3, 0.25, -1]], { dtype: "float64" });
    const v = np.array([2, -0.5], { dtype: "float64" });
    const rows = np.array([1, 0], { dtype: "int32" });
    checkGrads((a: NdArray, b: NdArray) => a.at(rows, 2).mul(b, { uniqueIndices: true }), [x, v], { order: 1, modes: ["fwd", "rev"] });
    expect(() => checkGrads((a: NdArray, b: NdArray) => a.at(rows, 2).mul(b), [x, v], { order: 1, modes: ["rev"] })).toThrow(/pass uniqueIndices: true/);
    // The promise changes nothing about the values.
    expect(x.at(rows, 2).mul(v, { uniqueIndices: true }).tolist()).toEqual(x.at(rows, 2).mul(v).tolist());
  });
});
