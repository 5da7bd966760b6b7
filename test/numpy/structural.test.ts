// Reversal and dynamic windows at the numpy/lax level: flip, fliplr, flipud, rot90
// against index-mapping references over shapes and dtypes; lax.dynamicSlice and
// dynamicUpdateSlice (negative indices count from the end, then the window is clamped)
// against host references; gradients, vmap and the error messages.
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { ArgumentError, DTypeError, ShapeError, lax, numpy as np } from "../../src/index.js";
import type { DType } from "../../src/core/index.js";
import { checkGrads } from "../../src/testing/index.js";
import type { Array as NdArray } from "../../src/trace/array.js";
import { RUNS, at, checkVmap, det, expectClose, fromFn, host } from "./helpers.js";
import { arrayArb, axisArgArb, axesOf, smallShape } from "./values.js";

const EXACT = { rtol: 0, atol: 0 };
const DTYPES: DType[] = ["float32", "float64", "int32", "bool"];
const withArray = (minRank: number) =>
  fc.tuple(smallShape({ minRank, maxRank: 4, maxDim: 3 }), fc.constantFrom(...DTYPES)).chain(([s, d]) => arrayArb(s, d, { specials: true }));

/** out[idx] = x[idx with each axis in `axes` mirrored]. */
const flipHost = (x: NdArray, axes: readonly number[]) => {
  const h = host(x);
  return fromFn(h.shape, (idx) => at(h, idx.map((i, d) => (axes.includes(d) ? h.shape[d]! - 1 - i : i))));
};

describe("flip, fliplr, flipud, rot90", () => {
  test("flip mirrors exactly the named axes (all when null)", () => {
    fc.assert(
      fc.property(withArray(0).chain((x) => fc.tuple(fc.constant(x), axisArgArb(x.ndim))), ([x, axis]) => {
        expectClose(np.flip(x, axis), flipHost(x, axesOf(axis, x.ndim)), EXACT);
      }),
      RUNS,
    );
  });

  test("fliplr and flipud mirror axes 1 and 0", () => {
    fc.assert(
      fc.property(withArray(2), (x) => {
        expectClose(np.fliplr(x), flipHost(x, [1]), EXACT);
        expectClose(np.flipud(x), flipHost(x, [0]), EXACT);
      }),
      RUNS,
    );
  });

  test("rot90 once maps out[i, j] = x[j, n-1-i] in the plane; k counts turns modulo 4", () => {
    fc.assert(
      fc.property(withArray(2), fc.integer({ min: -5, max: 6 }), fc.boolean(), (x, k, swap) => {
        const axes: [number, number] = swap ? [x.ndim - 1, 0] : [0, x.ndim - 1];
        const [p, q] = axes;
        let want = x;
        for (let t = 0; t < ((k % 4) + 4) % 4; t++) {
          const h = host(want);
          const shape = h.shape.map((n, d) => (d === p ? h.shape[q]! : d === q ? h.shape[p]! : n));
          const turned = fromFn(shape, (idx) => {
            const src = [...idx];
            src[p] = idx[q]!;
            src[q] = h.shape[q]! - 1 - idx[p]!;
            return at(h, src);
          });
          want = np.array(turned.data, { dtype: x.dtype }).reshape(turned.shape);
        }
        expectClose(np.rot90(x, k, axes), host(want), EXACT);
      }),
      RUNS,
    );
  });

  test("gradients and vmap", () => {
    const x = det([2, 3, 2], 3);
    checkGrads((a: NdArray) => np.rot90(np.flip(a, [0, 2]).mul(a), 1, [1, 2]), [x], { order: 2, modes: ["fwd", "rev"] });
    checkVmap((a: NdArray) => np.rot90(np.fliplr(a), 3), [det([4, 2, 3], 1)]);
  });

  test("errors name the function and the fix", () => {
    expect(() => np.flip(det([2, 3]), 2)).toThrow(/flip: axis 2 is out of range for an array of shape \[2,3\] \(rank 2\)/);
    expect(() => np.fliplr(det([3]))).toThrow(ShapeError);
    expect(() => np.fliplr(det([3]))).toThrow(/fliplr: needs an array of rank >= 2, got f64\[3\]/);
    expect(() => np.rot90(det([2, 2]), 1, [1, 1])).toThrow(ArgumentError);
    expect(() => np.rot90(det([2, 2]), 1, [1, -1])).toThrow(/rot90: axes \(1, -1\) name the same axis twice/);
    expect(() => lax.rev(det([2, 2]), [2])).toThrow(/rev: axis 2 is out of range for operand f64\[2,2\]/);
  });
});

describe("lax.dynamicSlice and dynamicUpdateSlice", () => {
  /** Start of a window of w on an axis of n: negative from the end, then clamped into [0, n - w]. */
  const start = (i: number, n: number, w: number) => Math.min(Math.max(i < 0 ? i + n : i, 0), n - w);
  const windowArb = fc
    .tuple(smallShape({ minRank: 1, maxRank: 3, minDim: 1, maxDim: 4 }), fc.constantFrom(...DTYPES))
    .chain(([s, d]) =>
      fc.tuple(
        arrayArb(s, d, { specials: true }),
        fc.tuple(...s.map((n) => fc.tuple(fc.integer({ min: -n - 2, max: n + 2 }), fc.integer({ min: 0, max: n })))),
        fc.boolean(),
      ),
    );

  test("values: the clamped window, read or overwritten; indices as numbers or int32 arrays", () => {
    fc.assert(
      fc.property(windowArb, ([x, spec, asArrays]) => {
        const sizes = spec.map(([, w]) => w);
        const idx = spec.map(([i]) => (asArrays ? np.array(i, { dtype: "int32" }) : i));
        const starts = spec.map(([i, w], d) => start(i, x.shape[d]!, w));
        const h = host(x);
        expectClose(lax.dynamicSlice(x, idx, sizes), fromFn(sizes, (k) => at(h, k.map((v, d) => v + starts[d]!))), EXACT);
        const u = np.zeros(sizes, { dtype: x.dtype });
        const inWindow = (k: number[]) => k.every((v, d) => v >= starts[d]! && v < starts[d]! + sizes[d]!);
        expectClose(lax.dynamicUpdateSlice(x, u, idx), fromFn(x.shape, (k) => (inWindow(k) ? 0 : at(h, k))), EXACT);
      }),
      RUNS,
    );
  });

  test("dynamicIndexInDim, dynamicSliceInDim and dynamicUpdateSliceInDim", () => {
    const x = det([3, 4], 2);
    expectClose(lax.dynamicIndexInDim(x, -1, 0, false), { shape: [4], data: host(x).data.slice(8) }, EXACT);
    expectClose(lax.dynamicIndexInDim(x, 7, 1), fromFn([3, 1], ([r]) => at(host(x), [r!, 3])), EXACT);
    expectClose(lax.dynamicSliceInDim(x, np.array(3, { dtype: "int32" }), 2, 1), host(lax.slice(x, [0, 2], [3, 4])), EXACT);
    const y = lax.dynamicUpdateSliceInDim(x, np.zeros([1, 4], { dtype: "float64" }), 1, 0);
    expectClose(y, fromFn([3, 4], (k) => (k[0] === 1 ? 0 : at(host(x), k))), EXACT);
  });

  test("gradients at traced indices, and vmap over data and indices", () => {
    const x = det([3, 4], 1);
    const i = np.array(1, { dtype: "int32" });
    checkGrads((a: NdArray, b: NdArray) => lax.dynamicUpdateSlice(a.mul(a), lax.dynamicSlice(b, [i, 2], [2, 2]).sin(), [2, i]), [x, det([3, 4], 4)], {
      order: 2,
      modes: ["fwd", "rev"],
    });
    const idx = np.array([0, 2, -1, 5], { dtype: "int32" });
    checkVmap((a: NdArray, j: NdArray) => lax.dynamicSlice(a, [j, 1], [2, 2]), [det([4, 3, 4], 2), idx]);
    checkVmap((a: NdArray, j: NdArray) => lax.dynamicUpdateSlice(a, np.ones([1, 2], { dtype: "float64" }), [j, j]), [det([4, 3, 4], 2), idx]);
  });

  test("errors name the operation, the operands and the fix", () => {
    const x = det([2, 3]);
    expect(() => lax.dynamicSlice(x, [0], [1, 1])).toThrow(/dynamic_slice: got 1 start indices for an operand of shape \[2, 3\]; pass one per axis/);
    expect(() => lax.dynamicSlice(x, [0, 0], [3, 1])).toThrow(ShapeError);
    expect(() => lax.dynamicSlice(x, [0, 0], [3, 1])).toThrow(/slice_sizes \(3, 1\) do not fit operand f64\[2,3\]/);
    expect(() => lax.dynamicSlice(x, [np.array(0.5), 0], [1, 1])).toThrow(DTypeError);
    expect(() => lax.dynamicSlice(x, [np.array(0.5), 0], [1, 1])).toThrow(/start indices must be scalars of one integer dtype/);
    expect(() => lax.dynamicSlice(x, [np.array([0, 1], { dtype: "int32" }), 0], [1, 1])).toThrow(/cast them with \.astype\('int32'\)/);
    expect(() => lax.dynamicUpdateSlice(x, det([3, 1]), [0, 0])).toThrow(/update f64\[3,1\] must have the operand's rank and fit inside operand f64\[2,3\]/);
    expect(() => lax.dynamicUpdateSlice(x, np.zeros([1, 1], { dtype: "float32" }), [0, 0])).toThrow(/must have equal dtypes; cast with \.astype\(\)/);
  });
});

describe("lax.gather and lax.scatter* errors", () => {
  const x = det([3, 4]);
  const i = np.array([[0], [2]], { dtype: "int32" });
  const take = { offsetDims: [1], collapsedSliceDims: [0], startIndexMap: [0], operandBatchingDims: [], startIndicesBatchingDims: [] };
  const put = { updateWindowDims: [1], insertedWindowDims: [0], scatterDimsToOperandDims: [0], operandBatchingDims: [], scatterIndicesBatchingDims: [] };

  test("each names the operation, the offending shapes or dims, and what they must be", () => {
    expect(() => lax.gather(x, i.astype("float32"), take, [1, 4])).toThrow(DTypeError);
    expect(() => lax.gather(x, i.astype("float32"), take, [1, 4])).toThrow(/gather: indices must be int32 or uint32, got float32; cast them with \.astype\('int32'\)/);
    expect(() => lax.gather(x, np.zeros([2, 2], { dtype: "int32" }), take, [1, 4])).toThrow(
      /the index vector \(last axis of indices \[2,2\]\) has 2 components but start_index_map \(0\) names 1 operand axes/,
    );
    expect(() => lax.gather(x, i, take, [1, 5])).toThrow(/slice_sizes \(1, 5\) do not fit operand \[3,4\]/);
    expect(() => lax.gather(x, i, take, [2, 4])).toThrow(/collapsed_slice_dims \(0\).* must be distinct operand axes with slice size 1/);
    expect(() => lax.gather(x, i, { ...take, offsetDims: [0, 1] }, [1, 4])).toThrow(/offset_dims \(0, 1\) must be 1 increasing axes of the rank-2 output/);
    expect(() => lax.gather(x, i, take, [1, 4], { mode: "wrap" as never })).toThrow(/mode must be "clip", "fill" or "promise_in_bounds", got "wrap"/);
    expect(() => lax.scatterAdd(x, i, det([2, 5]), put)).toThrow(ShapeError);
    expect(() => lax.scatterAdd(x, i, det([2, 5]), put)).toThrow(/scatter-add: the update window \(1, 5\) does not fit operand \[3,4\]/);
    expect(() => lax.scatterAdd(x, i, det([3, 4]), put)).toThrow(/updates \[3,4\] axis 0 must match indices \[2,1\] batch axis 0 \(size 2\)/);
    expect(() => lax.scatter(x, i, det([2, 4]).astype("float32"), put)).toThrow(/scatter: updates f32\[2,4\] and operand f64\[3,4\] must have equal dtypes/);
    expect(() => lax.scatterMul(x.astype("bool"), i, det([2, 4]).astype("bool"), put)).toThrow(/scatter-mul: .* needs a numeric dtype/);
  });
});
