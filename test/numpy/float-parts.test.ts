// frexp, ldexp, modf, unwrap and bitwiseCount: against plain-JS references (exact
// where the result is exact), special values, fast-check over values and dtypes,
// gradients against finite differences, vmap against a loop, jit against eager.
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { DTypeError } from "../../src/core/index.js";
import { grad, jit, numpy as np, vmap } from "../../src/index.js";
import { checkGrads } from "../../src/testing/index.js";
import type { Array as NdArray } from "../../src/trace/array.js";

const vals = (x: NdArray) => Array.from(x.dataSync(), Number);

/** numpy.frexp on a JS double (the value as it is; for f32 inputs it is already an f32). */
function frexpRef(x: number): [number, number] {
  if (x === 0 || !Number.isFinite(x)) return [x, 0];
  let e = Math.floor(Math.log2(Math.abs(x))) + 1;
  let m = x / 2 ** (e - Math.trunc(e / 2)) / 2 ** Math.trunc(e / 2); // 2^1024 is not a double
  if (Math.abs(m) >= 1) (m /= 2), e++;
  if (Math.abs(m) < 0.5) (m *= 2), e--;
  return [m, e];
}

const finite32 = fc.float({ noNaN: true, noDefaultInfinity: true });
const finite64 = fc.double({ noNaN: true, noDefaultInfinity: true });

describe("frexp and ldexp", () => {
  test("frexp: mantissa in [0.5, 1) with x's sign, exact; specials keep x and exponent 0 (f32 and f64, subnormals too)", () => {
    for (const [dtype, arb] of [["float32", finite32], ["float64", finite64]] as const) {
      fc.assert(
        fc.property(fc.array(arb, { minLength: 1, maxLength: 20 }), (xs) => {
          const x = np.array(xs, { dtype });
          const [m, e] = np.frexp(x);
          expect(m.dtype).toBe(dtype);
          expect(e.dtype).toBe("int32");
          const want = vals(x).map(frexpRef);
          expect(vals(m)).toEqual(want.map((w) => w[0]));
          expect(vals(e)).toEqual(want.map((w) => w[1]));
        }),
        { numRuns: 40 },
      );
    }
    const [m, e] = np.frexp(np.array([0, -0, Infinity, -Infinity, NaN, 8, -0.75, 1e-45, -3.4e38], { dtype: "float32" }));
    expect(vals(m).map((v) => (Object.is(v, -0) ? "-0" : v))).toEqual([0, "-0", Infinity, -Infinity, NaN, 0.5, -0.75, 0.5, Math.fround(-3.4e38) / 2 ** 128]);
    expect(vals(e)).toEqual([0, 0, 0, 0, 0, 4, 0, -148, 128]);
  });

  test("ldexp inverts frexp exactly, without early overflow or underflow; exponents must be integers", () => {
    fc.assert(
      fc.property(fc.array(finite64, { minLength: 1, maxLength: 20 }), (xs) => {
        const x = np.array(xs, { dtype: "float64" });
        const [m, e] = np.frexp(x);
        expect(vals(np.ldexp(m, e))).toEqual(vals(x));
      }),
      { numRuns: 40 },
    );
    // 2^-140 · 2^260 = 2^120: the exponent alone would overflow float32.
    expect(vals(np.ldexp(np.array([2 ** -140, 3], { dtype: "float32" }), np.array([260, -2], { dtype: "int32" })))).toEqual([2 ** 120, 0.75]);
    expect(() => np.ldexp(np.array([1.5]), np.array([1.5]))).toThrow(DTypeError);
    expect(() => np.ldexp(np.array([1.5]), np.array([1.5]))).toThrow(/ldexp: the exponent must be an integer array, got f32\[1\]; cast it/);
  });

  test("gradients: d ldexp/dx = 2^n; frexp's mantissa has slope 2^-e", () => {
    const n = np.array([3, -2, 0], { dtype: "int32" });
    checkGrads((x: NdArray) => np.ldexp(x, n), [np.array([0.3, -1.7, 2.2], { dtype: "float64" })], { order: 2, modes: ["fwd", "rev"] });
    const g = grad((x: NdArray) => np.sum(np.frexp(x)[0]))(np.array([3, -0.3, 40], { dtype: "float64" })) as NdArray;
    expect(vals(g)).toEqual([0.25, 2, 1 / 64]); // frexp(-0.3) = (-0.6, -1)
  });
});

describe("modf", () => {
  test("fractional and integral parts carry x's sign; ±inf gives [±0, ±inf]; NaN gives NaN", () => {
    const [f, i] = np.modf(np.array([3.25, -3.25, -2, 0.5, Infinity, -Infinity, NaN, -0], { dtype: "float64" }));
    const signed = (v: number) => (Object.is(v, -0) ? "-0" : v);
    expect(vals(f).map(signed)).toEqual([0.25, -0.25, "-0", 0.5, 0, "-0", NaN, "-0"]);
    expect(vals(i).map(signed)).toEqual([3, -3, -2, 0, Infinity, -Infinity, NaN, "-0"]);
  });

  test("x = fractional + integral, |fractional| < 1, integral is an integer (fast-check, f32 and f64)", () => {
    for (const [dtype, arb] of [["float32", finite32], ["float64", finite64]] as const) {
      fc.assert(
        fc.property(fc.array(arb, { minLength: 1, maxLength: 20 }), (xs) => {
          const x = np.array(xs, { dtype });
          const [f, i] = np.modf(x);
          vals(x).forEach((v, k) => {
            expect(vals(f)[k]! + vals(i)[k]!).toBe(v);
            expect(Math.abs(vals(f)[k]!)).toBeLessThan(1);
            expect(Number.isInteger(vals(i)[k]!)).toBe(true);
          });
        }),
        { numRuns: 40 },
      );
    }
  });
});

/** numpy.unwrap along a 1-D list (discont = period / 2). */
function unwrapRef(p: number[], period: number): number[] {
  const out = [p[0]!];
  let correction = 0;
  for (let k = 1; k < p.length; k++) {
    const dd = p[k]! - p[k - 1]!;
    let folded = ((((dd + period / 2) % period) + period) % period) - period / 2;
    if (folded === -period / 2 && dd > 0) folded = period / 2;
    if (Math.abs(dd) >= period / 2) correction += folded - dd;
    out.push(p[k]! + correction);
  }
  return out;
}

describe("unwrap", () => {
  test("a wrapped phase ramp becomes the ramp again", () => {
    const ramp = Array.from({ length: 40 }, (_, k) => 0.4 * k);
    const wrapped = ramp.map((v) => ((v + Math.PI) % (2 * Math.PI)) - Math.PI);
    vals(np.unwrap(np.array(wrapped, { dtype: "float64" }))).forEach((v, k) => expect(v).toBeCloseTo(ramp[k]! - ramp[0]! + wrapped[0]!, 12));
  });

  test("equals numpy's algorithm over random sequences, periods and axes; vmap is a loop; jit equals eager", () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.double({ min: -20, max: 20, noNaN: true }), { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 6 }),
        fc.constantFrom(2 * Math.PI, 360, 4),
        (rows, period) => {
          const x = np.array(rows, { dtype: "float64" });
          const want = rows.map((r) => unwrapRef(r, period));
          const got = np.unwrap(x, { period }).tolist() as number[][];
          got.forEach((r, i) => r.forEach((v, j) => expect(v).toBeCloseTo(want[i]![j]!, 9)));
          const byColumns = np.unwrap(x.T, { period, axis: 0 }).T.tolist() as number[][];
          byColumns.forEach((r, i) => r.forEach((v, j) => expect(v).toBeCloseTo(want[i]![j]!, 9)));
          const batched = vmap((r: NdArray) => np.unwrap(r, { period }))(x).tolist() as number[][];
          batched.forEach((r, i) => r.forEach((v, j) => expect(v).toBeCloseTo(want[i]![j]!, 9)));
          const jitted = (jit((r: NdArray) => np.unwrap(r, { period }))(x) as NdArray).tolist() as number[][];
          jitted.forEach((r, i) => r.forEach((v, j) => expect(v).toBeCloseTo(want[i]![j]!, 9)));
        },
      ),
      { numRuns: 30 },
    );
  });

  test("gradient: the corrections are piecewise constant, so d unwrap/dp is the identity away from the jumps", () => {
    checkGrads((p: NdArray) => np.unwrap(p), [np.array([0.1, 2.9, -2.8, -0.2, 3.0], { dtype: "float64" })], { order: 1, modes: ["fwd", "rev"] });
    expect(() => np.unwrap(np.array(1))).toThrow(/unwrap: needs an array of rank >= 1/);
  });
});

describe("bitwiseCount", () => {
  test("counts the 1 bits of |x| (numpy.bitwise_count) for int32, uint32 and bool; floats are refused", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -(2 ** 31) + 1, max: 2 ** 31 - 1 }), { minLength: 1, maxLength: 20 }), (xs) => {
        const pop = (v: number) => v.toString(2).split("").filter((c) => c === "1").length;
        expect(vals(np.bitwiseCount(np.array(xs, { dtype: "int32" })))).toEqual(xs.map((v) => pop(Math.abs(v))));
        const us = xs.map((v) => v >>> 0);
        expect(vals(np.bitwiseCount(np.array(us, { dtype: "uint32" })))).toEqual(us.map(pop));
      }),
      { numRuns: 40 },
    );
    expect(vals(np.bitwiseCount(np.array([true, false])))).toEqual([1, 0]);
    expect(() => np.bitwiseCount(np.array([1.5]))).toThrow(DTypeError);
  });
});
