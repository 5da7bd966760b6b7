// Polynomials (polyval, polyadd, polysub, polymul, polyder, polyint, vander) and window
// functions: values against plain-JS float64 references, gradients by finite
// differences, vmap against per-example calls, errors.
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { ArgumentError, ShapeError, numpy as np } from "../../src/index.js";
import type { DType } from "../../src/core/index.js";
import { checkGrads } from "../../src/testing/index.js";
import { type Host, RUNS, batchOf, checkVmap, det, expectClose, fromFn, host, tolFor } from "./helpers.js";
import { arrayArb } from "./values.js";

const coeffArb = (dtype: DType, maxLen = 5) =>
  fc.integer({ min: 1, max: maxLen }).chain((n) => arrayArb([n], dtype, { lim: 4 }));
const floatDType = fc.constantFrom<DType>("float32", "float64");

const hornerHost = (p: readonly number[], x: number): number => p.reduce((acc, c) => acc * x + c, 0);
const convolveHost = (a: readonly number[], b: readonly number[]): number[] =>
  Array.from({ length: a.length + b.length - 1 }, (_, k) => a.reduce((s, ai, i) => (k - i >= 0 && k - i < b.length ? s + ai * b[k - i]! : s), 0));
const padFront = (a: readonly number[], n: number): number[] => [...new Array<number>(n - a.length).fill(0), ...a];

describe("polynomial values", () => {
  test("polyval is Horner's rule, elementwise over x", () => {
    fc.assert(
      fc.property(floatDType.chain((d) => fc.tuple(coeffArb(d), arrayArb([3, 2], d, { lim: 2 }))), ([p, x]) => {
        const hp = host(p).data;
        const want: Host = { shape: [3, 2], data: host(x).data.map((v) => hornerHost(hp, v)) };
        expectClose(np.polyval(p, x), want, { rtol: 1e-4, atol: 1e-4 });
      }),
      RUNS,
    );
    expect(np.polyval(np.array([3, 0, 1]), 5).item()).toBe(76);
  });

  test("polymul is the full convolution; polyadd/polysub pad the shorter at the front", () => {
    const dtypes = fc.constantFrom<DType>("float32", "float64", "int32");
    fc.assert(
      fc.property(dtypes.chain((d) => fc.tuple(coeffArb(d, 6), coeffArb(d, 6))), ([a, b]) => {
        const ha = host(a).data;
        const hb = host(b).data;
        const n = Math.max(ha.length, hb.length);
        const tol = a.dtype === "int32" ? { rtol: 0, atol: 0 } : { rtol: 1e-5, atol: 1e-5 };
        const prod = np.polymul(a, b);
        expect(prod.dtype).toBe(a.dtype);
        expectClose(prod, { shape: [ha.length + hb.length - 1], data: convolveHost(ha, hb) }, tol);
        expectClose(np.polyadd(a, b), { shape: [n], data: padFront(ha, n).map((v, i) => v + padFront(hb, n)[i]!) }, tol);
        expectClose(np.polysub(a, b), { shape: [n], data: padFront(ha, n).map((v, i) => v - padFront(hb, n)[i]!) }, tol);
      }),
      RUNS,
    );
    expect(np.polymul(np.array([1, 1]), np.array([1, -1])).tolist()).toEqual([1, 0, -1]);
  });

  test("polyder and polyint: closed forms, and polyder undoes polyint", () => {
    // p = 2x^3 + 3x^2 - x + 5: p' = 6x^2 + 6x - 1, p'' = 12x + 6
    expect(np.polyder(np.array([2, 3, -1, 5])).tolist()).toEqual([6, 6, -1]);
    expect(np.polyder(np.array([2, 3, -1, 5]), 2).tolist()).toEqual([12, 6]);
    expect(np.polyder(np.array([7]), 1).shape).toEqual([0]);
    expect(np.polyint(np.array([3, 2, 1])).tolist()).toEqual([1, 1, 1, 0]);
    expect(np.polyint(np.array([6]), 2, { k: [1, 2] }).tolist()).toEqual([3, 1, 2]);
    fc.assert(
      fc.property(floatDType.chain((d) => fc.tuple(coeffArb(d), fc.integer({ min: 1, max: 3 }))), ([p, m]) => {
        expectClose(np.polyder(np.polyint(p, m, { k: 1.5 }), m), host(p), tolFor(p.dtype));
      }),
      RUNS,
    );
  });

  test("vander: powers decreasing by default, increasing on request, any N", () => {
    fc.assert(
      fc.property(
        fc.constantFrom<DType>("float32", "float64", "int32").chain((d) =>
          fc.tuple(fc.integer({ min: 0, max: 4 }).chain((n) => arrayArb([n], d, { lim: 3 })), fc.integer({ min: 0, max: 5 }), fc.boolean()),
        ),
        ([x, N, increasing]) => {
          const hx = host(x).data;
          const want = fromFn([hx.length, N], ([i, j]) => hx[i!]! ** (increasing ? j! : N - 1 - j!));
          const v = np.vander(x, N, { increasing });
          expect(v.dtype).toBe(x.dtype);
          expectClose(v, want, tolFor(x.dtype));
        },
      ),
      RUNS,
    );
    expect(np.vander(np.array([1, 2, 3])).tolist()).toEqual([[1, 1, 1], [4, 2, 1], [9, 3, 1]]);
  });
});

describe("polynomial transforms", () => {
  test("gradients of polyval, polymul, polyint and vander match finite differences", () => {
    const p = det([4], 1);
    const x = det([3], 2);
    checkGrads((c: ReturnType<typeof det>, v: ReturnType<typeof det>) => np.polyval(c, v), [p, x], { order: 2 });
    checkGrads((a: ReturnType<typeof det>, b: ReturnType<typeof det>) => np.polymul(a, b), [p, x], { order: 2 });
    checkGrads((a: ReturnType<typeof det>) => np.polyint(a, 2), [p], { order: 1 });
    checkGrads((v: ReturnType<typeof det>) => np.vander(v, 4), [x], { order: 2 });
  });

  test("vmap matches per-example calls", () => {
    checkVmap((a, b) => np.polymul(a!, b!), [batchOf(3, [4], 1), batchOf(3, [2], 2)], { rtol: 1e-12, atol: 1e-12 });
    checkVmap((a, b) => np.polyval(a!, b!), [batchOf(3, [4], 3), batchOf(3, [2], 4)], { rtol: 1e-12, atol: 1e-12 });
    checkVmap((a) => np.vander(a!, 3), [batchOf(2, [3], 5)], { rtol: 1e-12, atol: 1e-12 });
  });

  test("errors name the function and the shape", () => {
    expect(() => np.polyval(np.array([[1, 2]]), 3)).toThrow(ShapeError);
    expect(() => np.polyval(np.array([[1, 2]]), 3)).toThrow("polyval: coefficients must be a rank-1 array (highest degree first), got f32[1,2]");
    expect(() => np.polyint(np.array([1, 2]), 2, { k: [1] })).toThrow("polyint: k has 1 constants for m = 2 integrations; give m of them (or one number).");
    expect(() => np.polyder(np.array([1, 2]), -1)).toThrow(ArgumentError);
    expect(() => np.vander(np.array([[1]]))).toThrow("vander: x must be rank 1, got f32[1,1].");
  });
});

describe("windows", () => {
  const closed: Record<string, (n: number, M: number) => number> = {
    hanning: (n, M) => 0.5 - 0.5 * Math.cos((2 * Math.PI * n) / (M - 1)),
    hamming: (n, M) => 0.54 - 0.46 * Math.cos((2 * Math.PI * n) / (M - 1)),
    blackman: (n, M) => 0.42 - 0.5 * Math.cos((2 * Math.PI * n) / (M - 1)) + 0.08 * Math.cos((4 * Math.PI * n) / (M - 1)),
    bartlett: (n, M) => 1 - Math.abs((2 * n) / (M - 1) - 1),
  };
  test.each(Object.keys(closed))("%s equals its closed form for M = 0..12", (name) => {
    const fn = (np as unknown as Record<string, (M: number, o?: { dtype?: DType }) => ReturnType<typeof det>>)[name]!;
    for (let M = 0; M <= 12; M++) {
      const want: Host = { shape: [M], data: M === 1 ? [1] : Array.from({ length: M }, (_, n) => closed[name]!(n, M)) };
      expectClose(fn(M, { dtype: "float64" }), want, { rtol: 1e-12, atol: 1e-12 });
      const w32 = fn(M);
      expect(w32.dtype).toBe("float32");
      expectClose(w32, want, { rtol: 1e-5, atol: 1e-6 });
    }
    expect(np.hann).toBe(np.hanning);
  });
});
