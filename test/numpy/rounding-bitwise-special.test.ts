// numpy-level values of the rounding, division, bitwise, transcendental and special
// functions built on the rounding, bitwise and special-function primitives: closed forms and numpy's documented
// results, special values included, on the default (WASM) backend; properties
// against plain-JS references over random inputs.
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { DTypeError } from "../../src/core/index.js";
import { lax, numpy as np, special } from "../../src/index.js";
import type { Array as NdArray } from "../../src/trace/array.js";

const f64 = (xs: number[]) => np.array(xs, { dtype: "float64" });
const f32 = (xs: number[]) => np.array(xs, { dtype: "float32" });
const i32 = (xs: number[]) => np.array(xs, { dtype: "int32" });
const u32 = (xs: number[]) => np.array(xs, { dtype: "uint32" });
const vals = (x: NdArray) => Array.from(x.dataSync(), Number);
/** Elementwise closeness with NaN == NaN and exact infinities and signed zeros. */
function expectValues(x: NdArray, want: number[], rtol = 0) {
  const got = vals(x);
  expect(got.length).toBe(want.length);
  got.forEach((g, i) => {
    const w = want[i]!;
    if (Number.isNaN(w) || !Number.isFinite(w) || w === 0 || rtol === 0) expect(g, `element ${i}`).toBe(w);
    else expect(Math.abs(g - w) / Math.abs(w), `element ${i}: ${g} vs ${w}`).toBeLessThanOrEqual(rtol);
  });
}

describe("rounding", () => {
  const xs = [-2.5, -1.5, -0.5, -0.3, 0, 0.5, 1.5, 2.5, 2.7, Infinity, -Infinity, NaN];
  test("floor, ceil, trunc, fix", () => {
    expectValues(np.floor(f64(xs)), [-3, -2, -1, -1, 0, 0, 1, 2, 2, Infinity, -Infinity, NaN]);
    expectValues(np.ceil(f64(xs)), [-2, -1, -0, -0, 0, 1, 2, 3, 3, Infinity, -Infinity, NaN]);
    expectValues(np.trunc(f64(xs)), [-2, -1, -0, -0, 0, 0, 1, 2, 2, Infinity, -Infinity, NaN]);
    expectValues(np.fix(f32(xs)), [-2, -1, -0, -0, 0, 0, 1, 2, 2, Infinity, -Infinity, NaN]);
  });
  test("round and rint take halves to even; lax.round defaults to away from zero", () => {
    expectValues(np.round(f64(xs)), [-2, -2, -0, -0, 0, 0, 2, 2, 3, Infinity, -Infinity, NaN]);
    expectValues(np.rint(f32(xs)), [-2, -2, -0, -0, 0, 0, 2, 2, 3, Infinity, -Infinity, NaN]);
    expectValues(lax.round(f64(xs)), [-3, -2, -1, -0, 0, 1, 2, 3, 3, Infinity, -Infinity, NaN]);
    expectValues(np.around(f64([1.234, -5.675, 0.125]), 2), [1.23, -5.68, 0.12], 1e-15);
    expect(vals(np.round(i32([7, -3])))).toEqual([7, -3]);
    expect(np.rint(i32([7])).dtype).toBe("float32");
  });
  test("integers pass through floor and ceil unchanged", () => {
    const a = i32([-3, 4]);
    expect(np.floor(a)).toBe(a);
    expect(np.ceil(a)).toBe(a);
  });
});

describe("division family follows numpy's sign conventions", () => {
  const pairs: [number, number][] = [[7, 3], [-7, 3], [7, -3], [-7, -3], [6, 3], [-6, 3], [0, 5]];
  const a = pairs.map((p) => p[0]);
  const b = pairs.map((p) => p[1]);
  const pyMod = (x: number, y: number) => x - Math.floor(x / y) * y;
  for (const [name, make] of [["int32", i32], ["float64", f64]] as const) {
    test(`${name}: fmod has the dividend's sign, mod/remainder the divisor's, floorDivide rounds down`, () => {
      // C fmod keeps the dividend's sign, also on a zero result (-6 fmod 3 = -0 for floats).
      expectValues(np.fmod(make(a), make(b)), pairs.map(([x, y]) => (name === "int32" ? (x % y) + 0 : x % y)));
      expectValues(np.remainder(make(a), make(b)), pairs.map(([x, y]) => pyMod(x, y) + 0));
      expectValues(np.mod(make(a), make(b)), pairs.map(([x, y]) => pyMod(x, y) + 0));
      expectValues(np.floorDivide(make(a), make(b)), pairs.map(([x, y]) => Math.floor(x / y)));
      const [q, r] = np.divmod(make(a), make(b));
      expectValues(q, pairs.map(([x, y]) => Math.floor(x / y)));
      expectValues(r, pairs.map(([x, y]) => pyMod(x, y) + 0));
    });
  }
  test("random floats: q * y + r == x and r has the divisor's sign, as a property", () => {
    const num = fc.double({ min: -1e3, max: 1e3, noNaN: true });
    const den = fc.double({ min: 0.1, max: 50, noNaN: true }).chain((v) => fc.constantFrom(v, -v));
    fc.assert(
      fc.property(num, den, (x, y) => {
        const [q, r] = np.divmod(f64([x]), f64([y]));
        const [qv, rv] = [vals(q)[0]!, vals(r)[0]!];
        expect(Number.isInteger(qv)).toBe(true);
        expect(Math.abs(qv * y + rv - x)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(x)));
        expect(Math.abs(rv)).toBeLessThanOrEqual(Math.abs(y));
        if (rv !== 0) expect(Math.sign(rv)).toBe(Math.sign(y));
        expect(vals(np.fmod(f64([x]), f64([y])))[0] === x % y).toBe(true);
      }),
      { numRuns: 60 },
    );
  });
  test("integer division by zero gives 0 (numpy), float gives inf/NaN, lax.rem(x, 0) = x for ints", () => {
    expect(vals(np.floorDivide(i32([5, -5]), i32([0, 0])))).toEqual([0, 0]);
    expect(vals(np.remainder(i32([5, -5]), i32([0, 0])))).toEqual([0, 0]);
    expectValues(np.floorDivide(f64([1, -1]), f64([0, 0])), [Infinity, -Infinity]);
    expectValues(np.remainder(f64([1]), f64([0])), [NaN]);
    expect(vals(lax.rem(i32([5, -2147483648]), i32([0, -1])))).toEqual([5, 0]);
  });
  test("bool operands are refused with the fix", () => {
    expect(() => np.mod(np.array([true]), np.array([true]))).toThrow(/divmod: got bool operands; cast them first/);
  });
});

describe("predicates and signs", () => {
  test("isfinite, isnan, isinf, signbit, copysign, nanToNum, heaviside", () => {
    const x = f32([1, -0, 0, -2, Infinity, -Infinity, NaN]);
    expect(vals(np.isfinite(x))).toEqual([1, 1, 1, 1, 0, 0, 0]);
    expect(vals(lax.isFinite(x))).toEqual([1, 1, 1, 1, 0, 0, 0]);
    expect(vals(np.signbit(x))).toEqual([0, 1, 0, 1, 0, 1, 0]);
    expectValues(np.copysign(f32([2, 2, 2]), f32([-0, 0, -5])), [-2, 2, -2]);
    expectValues(np.nanToNum(f64([NaN, Infinity, -Infinity, 3])), [0, Number.MAX_VALUE, -Number.MAX_VALUE, 3]);
    expectValues(np.heaviside(f64([-1, 0, 2]), 0.5), [0, 0.5, 1]);
    expect(vals(np.isfinite(i32([3])))).toEqual([1]);
  });
});

describe("bitwise", () => {
  test("and, or, xor, invert on ints and bools", () => {
    expect(vals(np.bitwiseAnd(i32([12, -1]), i32([10, 7])))).toEqual([8, 7]);
    expect(vals(np.bitwiseOr(u32([12, 0xf0000000]), u32([3, 1])))).toEqual([15, 0xf0000001]);
    expect(vals(np.bitwiseXor(i32([12]), 10))).toEqual([6]);
    expect(vals(np.invert(i32([0, 5])))).toEqual([-1, -6]);
    expect(vals(np.invert(u32([0])))).toEqual([0xffffffff]);
    expect(vals(np.invert(np.array([true, false])))).toEqual([0, 1]);
    expect(vals(np.bitwiseAnd(np.array([true, true, false]), np.array([true, false, false])))).toEqual([1, 0, 0]);
    expect(vals(np.logicalXor(f32([0, 2, 3]), f32([0, 0, 1])))).toEqual([0, 1, 0]);
    expect(vals(np.logicalNot(np.array([true, false])))).toEqual([0, 1]);
  });
  test("shifts: right shift is arithmetic on int32, logical on uint32; out-of-range amounts shift everything out", () => {
    expect(vals(np.leftShift(i32([1, 1, 1, 3]), i32([0, 31, 32, -1])))).toEqual([1, -2147483648, 0, 0]);
    expect(vals(np.rightShift(i32([-8, -8, 8]), i32([1, 40, 40])))).toEqual([-4, -1, 0]);
    expect(vals(np.rightShift(u32([0x80000000, 8]), u32([1, 32])))).toEqual([0x40000000, 0]);
    expect(vals(lax.shiftRightLogical(i32([-8]), i32([28])))).toEqual([15]);
    expect(vals(lax.populationCount(i32([0, 7, -1])))).toEqual([0, 3, 32]);
    expect(vals(lax.clz(u32([0, 1, 0x80000000])))).toEqual([32, 31, 0]);
  });
  test("random int32 pairs match JS's bitwise operators", () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer(), fc.integer({ min: 0, max: 31 }), (x, y, s) => {
        expect(vals(np.bitwiseAnd(i32([x]), i32([y])))[0]).toBe(x & y);
        expect(vals(np.bitwiseOr(i32([x]), i32([y])))[0]).toBe(x | y);
        expect(vals(np.bitwiseXor(i32([x]), i32([y])))[0]).toBe(x ^ y);
        expect(vals(np.leftShift(i32([x]), i32([s])))[0]).toBe(x << s);
        expect(vals(np.rightShift(i32([x]), i32([s])))[0]).toBe(x >> s);
        expect(vals(np.rightShift(u32([x >>> 0]), u32([s])))[0]).toBe((x >>> 0) >>> s);
      }),
      { numRuns: 50 },
    );
  });
  test("floats are refused, naming the operation and the fix", () => {
    expect(() => np.bitwiseAnd(f32([1]), f32([1]))).toThrow(DTypeError);
    expect(() => np.bitwiseAnd(f32([1]), f32([1]))).toThrow(/bitwise_and: .*needs integer or bool operands; cast with .astype\('int32'\)/);
    expect(() => lax.bitwiseAnd(f32([1]), f32([1]))).toThrow(/and: got an operand of type f32\[1\].*integer or bool dtype/);
    expect(() => np.leftShift(f32([1]), 1)).toThrow(/left_shift: .*needs integer operands/);
    expect(() => lax.tan(i32([1]))).toThrow(/tan: .*needs a floating dtype/);
  });
});

describe("transcendentals and special functions", () => {
  test("against JS's Math in float64", () => {
    const x = [-0.9, -0.3, 0, 0.2, 0.7];
    const cases: [string, (a: NdArray) => NdArray, (v: number) => number][] = [
      ["tan", np.tan, Math.tan], ["arcsin", np.arcsin, Math.asin], ["arccos", np.arccos, Math.acos],
      ["arctan", np.arctan, Math.atan], ["sinh", np.sinh, Math.sinh], ["cosh", np.cosh, Math.cosh],
      ["arcsinh", np.arcsinh, Math.asinh], ["arctanh", np.arctanh, Math.atanh], ["expm1", np.expm1, Math.expm1],
      ["log1p", np.log1p, Math.log1p], ["cbrt", np.cbrt, Math.cbrt], ["exp2", np.exp2, (v) => 2 ** v],
    ];
    for (const [, f, ref] of cases) expectValues(f(f64(x)), x.map(ref), 2e-15);
    expectValues(np.arccosh(f64([1, 2, 10])), [0, Math.acosh(2), Math.acosh(10)], 1e-15);
    expectValues(np.arctan2(f64([1, -1, 0, 0]), f64([-1, -1, 1, -1])), [3 * Math.PI / 4, -3 * Math.PI / 4, 0, Math.PI], 1e-15);
    expectValues(np.sinc(f64([0, 0.5, -1.5])), [1, 2 / Math.PI, -2 / (3 * Math.PI)], 1e-15);
    expect(Math.abs(vals(np.sinc(f64([1])))[0]!)).toBeLessThan(1e-15); // sin(pi) is not exactly 0
  });
  test("special functions: known values and identities", () => {
    expectValues(special.erf(f64([0, 0.5, -1, Infinity])), [0, 0.5204998778130465, -0.8427007929497149, 1], 2e-15);
    expectValues(special.erfc(f64([0, 2, 5, -Infinity])), [1, 0.004677734981047266, 1.5374597944280349e-12, 2], 2e-14);
    expectValues(special.erfinv(f64([0, 0.5, 1, -1, 2])), [0, 0.4769362762044699, Infinity, -Infinity, NaN], 2e-15);
    expectValues(special.gammaln(f64([1, 2, 0.5, 10, 0, -1])), [0, 0, 0.5 * Math.log(Math.PI), Math.log(362880), Infinity, Infinity], 1e-14);
    const gamma = 0.5772156649015329;
    expectValues(special.digamma(f64([1, 0.5, 0, -2])), [-gamma, -gamma - 2 * Math.LN2, NaN, NaN], 2e-15);
    // float32 results are the float64 values rounded once.
    const x = f32([0.1, 0.3, 0.6, 0.9]);
    const wide = (f: (a: NdArray) => NdArray) => vals(f(x.astype("float64"))).map((v) => Math.fround(v));
    for (const f of [special.erf, special.erfc, special.gammaln, special.digamma, special.erfinv]) {
      vals(f(x)).forEach((v, i) => expect(Math.abs(v - wide(f)[i]!)).toBeLessThanOrEqual(Math.abs(wide(f)[i]!) * 2 ** -22));
    }
  });
  test("integers promote to float32", () => {
    expect(np.tan(i32([1])).dtype).toBe("float32");
    expect(special.erf(i32([1])).dtype).toBe("float32");
  });
});
