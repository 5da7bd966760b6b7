// np.pad: the index-mapping modes (edge, wrap, reflect, symmetric) and constant
// against references that bounce or clamp indices axis by axis; the statistic and
// ramp modes against numpy-computed examples; gradients (linear), vmap, errors.
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { ArgumentError, ShapeError, numpy as np } from "../../src/index.js";
import type { DType } from "../../src/core/index.js";
import { checkGrads } from "../../src/testing/index.js";
import type { Array as NdArray } from "../../src/trace/array.js";
import { RUNS, at, batchOf, checkVmap, det, expectClose, fromFn, host } from "./helpers.js";
import { arrayArb, smallShape } from "./values.js";

const EXACT = { rtol: 0, atol: 0 };
const DTYPES: DType[] = ["float32", "float64", "int32", "bool"];

/** The source index of padded position p (may be outside [0, n)), by bouncing off the ends. */
function bounce(mode: string, p: number, n: number): number {
  if (mode === "edge") return Math.min(n - 1, Math.max(0, p));
  if (mode === "wrap") return ((p % n) + n) % n;
  let i = p;
  if (mode === "reflect") {
    if (n === 1) return 0;
    while (i < 0 || i > n - 1) i = i < 0 ? -i : 2 * (n - 1) - i;
  } else {
    while (i < 0 || i > n - 1) i = i < 0 ? -i - 1 : 2 * n - 1 - i;
  }
  return i;
}

describe("pad: values", () => {
  test("edge, wrap, reflect, symmetric, constant over shapes, widths and dtypes", () => {
    const arb = fc
      .tuple(smallShape({ maxRank: 3, minDim: 1, maxDim: 4 }), fc.constantFrom(...DTYPES), fc.constantFrom("edge", "wrap", "reflect", "symmetric", "constant"))
      .chain(([s, d, mode]) =>
        fc.tuple(arrayArb(s, d), fc.array(fc.tuple(fc.nat(6), fc.nat(6)), { minLength: s.length, maxLength: s.length }), fc.constant(mode)),
      );
    fc.assert(
      fc.property(arb, ([x, widths, mode]) => {
        const hx = host(x);
        const shape = x.shape.map((d, k) => d + widths[k]![0] + widths[k]![1]);
        const y = np.pad(x, widths as [number, number][], mode as "edge");
        expect(y.dtype).toBe(x.dtype);
        const want = fromFn(shape, (idx) => {
          const p = idx.map((v, k) => v - widths[k]![0]);
          if (mode === "constant") return p.every((v, k) => v >= 0 && v < x.shape[k]!) ? at(hx, p) : 0;
          return at(hx, p.map((v, k) => bounce(mode, v, x.shape[k]!)));
        });
        expectClose(y, want, EXACT);
      }),
      RUNS,
    );
  });

  test("constant values per axis and side: later axes fill the corners", () => {
    const y = np.pad(np.ones([2, 2]), [[1, 0], [0, 2]], { constantValues: [[5, 6], [7, 8]] });
    expect(y.tolist()).toEqual([[5, 5, 8, 8], [1, 1, 8, 8], [1, 1, 8, 8]]);
    expect(np.pad(np.array([1, 2]), 1, "constant", { constantValues: np.array(9) }).tolist()).toEqual([9, 1, 2, 9]);
    expect(np.pad(np.array([true]), [0, 2], { constantValues: true }).tolist()).toEqual([true, true, true]);
    expect(np.pad(np.array([1, 2]), 1, "empty").tolist()).toEqual([0, 1, 2, 0]);
    expect(np.pad(np.ones([2, 0]), 1).shape).toEqual([4, 2]);
  });

  test("maximum, minimum, mean (with statLength) and linear_ramp match numpy", () => {
    const x = np.array([[1, 5, 2], [7, 3, 4]]);
    // np.pad(x, 1, 'maximum'), np.pad(x, (1, 2), 'minimum', stat_length=2), np.pad(x, (0, 1), 'mean')
    expect(np.pad(x, 1, "maximum").tolist()).toEqual([[7, 7, 5, 4, 7], [5, 1, 5, 2, 5], [7, 7, 3, 4, 7], [7, 7, 5, 4, 7]]);
    expect(np.pad(np.array([4, 1, 3, 0]), [1, 2], "minimum", { statLength: 2 }).tolist()).toEqual([1, 4, 1, 3, 0, 0, 0]);
    expectClose(np.pad(x, [0, 1], "mean"), { shape: [3, 4], data: [1, 5, 2, 8 / 3, 7, 3, 4, 14 / 3, 4, 4, 3, 11 / 3] });
    // np.pad(np.arange(4.), (3, 2), 'linear_ramp', end_values=(10, -4))
    expectClose(np.pad(np.arange(4).astype("float32"), [3, 2], { mode: "linear_ramp", endValues: [10, -4] }), {
      shape: [9],
      data: [10, 20 / 3, 10 / 3, 0, 1, 2, 3, -0.5, -4],
    });
  });
});

describe("pad: gradients, vmap", () => {
  const x = det([2, 3], 1);
  test.each(["constant", "edge", "wrap", "reflect", "symmetric", "maximum", "mean", "linear_ramp"] as const)("gradient, mode %s (order 1)", (mode) => {
    checkGrads(((a: NdArray) => np.pad(a, [[1, 2], [4, 1]], mode)) as never, [x], { order: 1 });
  });
  test.each(["constant", "edge", "wrap", "reflect", "symmetric", "minimum", "linear_ramp"] as const)("vmap, mode %s", (mode) => {
    checkVmap((a: NdArray) => np.pad(a, [[2, 1], [0, 3]], mode), [batchOf(3, [2, 3])]);
  });
});

describe("pad: errors", () => {
  const x = np.ones([2, 3]);
  test("bad widths, modes and options", () => {
    expect(() => np.pad(x, -1)).toThrow("pad: pad widths must be non-negative integers, got -1.");
    expect(() => np.pad(x, [[1, 1], [1, 1], [1, 1]])).toThrow(ArgumentError);
    expect(() => np.pad(x, [[1, 1], [1, 1], [1, 1]])).toThrow(/pad: padWidth must be a value, a \[before, after\] pair, or one pair per axis \(2 axes\)/);
    expect(() => np.pad(x, 1, "nearest" as never)).toThrow(/pad: unknown mode "nearest"; the modes are: constant, empty, edge/);
    expect(() => np.pad(x, 1, { fill: 1 } as never)).toThrow('pad: unknown option "fill"');
    expect(() => np.pad(x, 1, { mode: "reflect", reflectType: "odd" as never })).toThrow(/reflectType "odd" is not supported/);
    expect(() => np.pad(np.ones([0, 2]), 1, "edge")).toThrow(ShapeError);
    expect(() => np.pad(np.ones([0, 2]), 1, "edge")).toThrow('pad: cannot extend the empty axis 0 of f32[0,2] with mode "edge"; only "constant" and "empty" can.');
    expect(() => np.pad(np.arange(3), 1, "mean")).toThrow(/pad: mode "mean" on i32\[3\] would need rounding/);
  });
});
