// Elementwise numpy functions composed from primitives: values against plain-JS
// references over broadcastable shapes and dtypes (with NaN/±inf/±0 mixed in),
// result dtypes under promotion, finite-difference gradients, vmap, and errors.
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { ArgumentError, ShapeError, numpy as np } from "../../src/index.js";
import { type DType, isFloat } from "../../src/core/index.js";
import { checkGrads } from "../../src/testing/index.js";
import type { Array as NdArray } from "../../src/trace/array.js";
import { RUNS, at, batchOf, checkVmap, det, expectClose, fromFn, host, tolFor } from "./helpers.js";
import { type ValueRange, arrayArb, broadcastIndex, broadcastPair, smallShape } from "./values.js";

const inexact = (d: DType): DType => (isFloat(d) ? d : "float32");
const same = (d: DType): DType => d;
const bool = (): DType => "bool";
const FLOATS: DType[] = ["float32", "float64"];
const NUMERIC: DType[] = ["float32", "float64", "int32"];
const ALL: DType[] = ["float32", "float64", "int32", "bool"];

const log1pExp = (d: number): number => Math.log1p(Math.exp(-Math.abs(d)));
function lae(a: number, b: number, base2 = false): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return NaN;
  const m = Math.max(a, b);
  if (!Number.isFinite(m)) return m;
  return base2 ? m + Math.log2(1 + 2 ** -Math.abs(a - b)) : m + log1pExp(a - b);
}
const isNeg = (b: number): boolean => b < 0 || Object.is(b, -0);
const truth = (v: number): boolean => v !== 0;
function close(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return 0;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return a === b ? 1 : 0;
  return Math.abs(a - b) <= 1e-8 + 1e-5 * Math.abs(b) ? 1 : 0;
}

interface BinaryCase {
  readonly f: (a: NdArray, b: NdArray) => NdArray;
  readonly ref: (a: number, b: number) => number;
  readonly dtypes: DType[];
  readonly out: (d: DType) => DType;
  readonly range?: ValueRange;
}

const BINARY: Record<string, BinaryCase> = {
  copysign: { f: np.copysign, ref: (a, b) => (isNeg(b) ? -Math.abs(a) : Math.abs(a)), dtypes: NUMERIC, out: inexact, range: { specials: true } },
  hypot: { f: np.hypot, ref: Math.hypot, dtypes: NUMERIC, out: inexact, range: { specials: true } },
  logaddexp: { f: np.logaddexp, ref: (a, b) => lae(a, b), dtypes: NUMERIC, out: inexact, range: { specials: true } },
  logaddexp2: { f: np.logaddexp2, ref: (a, b) => lae(a, b, true), dtypes: NUMERIC, out: inexact, range: { specials: true } },
  fmax: { f: np.fmax, ref: (a, b) => (Number.isNaN(b) ? a : Number.isNaN(a) ? b : Math.max(a, b)), dtypes: NUMERIC, out: same, range: { specials: true } },
  fmin: { f: np.fmin, ref: (a, b) => (Number.isNaN(b) ? a : Number.isNaN(a) ? b : Math.min(a, b)), dtypes: NUMERIC, out: same, range: { specials: true } },
  heaviside: { f: np.heaviside, ref: (a, b) => (a < 0 ? 0 : a > 0 ? 1 : b), dtypes: NUMERIC, out: inexact, range: { specials: true } },
  floatPower: { f: np.floatPower, ref: Math.pow, dtypes: FLOATS, out: same, range: { lim: 3 } },
  logicalAnd: { f: np.logicalAnd, ref: (a, b) => +(truth(a) && truth(b)), dtypes: ALL, out: bool, range: { specials: true, lim: 2 } },
  logicalOr: { f: np.logicalOr, ref: (a, b) => +(truth(a) || truth(b)), dtypes: ALL, out: bool, range: { specials: true, lim: 2 } },
  logicalXor: { f: np.logicalXor, ref: (a, b) => +(truth(a) !== truth(b)), dtypes: ALL, out: bool, range: { specials: true, lim: 2 } },
  isclose: { f: (a, b) => np.isclose(a, b), ref: close, dtypes: FLOATS, out: bool, range: { specials: true, lim: 1 } },
  clip: { f: (a, b) => np.clip(a, b, 2), ref: (a, b) => Math.min(2, Math.max(b, a)), dtypes: NUMERIC, out: same, range: { specials: true, lim: 4 } },
};

describe("binary elementwise: values against JS references", () => {
  for (const [name, c] of Object.entries(BINARY)) {
    test(name, () => {
      const arb = fc
        .tuple(broadcastPair(), fc.constantFrom(...c.dtypes))
        .chain(([[sa, sb], d]) => fc.tuple(arrayArb(sa, d, c.range), arrayArb(sb, d, c.range), fc.constant(d)));
      fc.assert(
        fc.property(arb, ([a, b, d]) => {
          const y = c.f(a, b);
          expect(y.dtype).toBe(c.out(d));
          const shape = np.broadcastShapes(a.shape, b.shape);
          const ha = host(a);
          const hb = host(b);
          const want = fromFn(shape, (idx) => c.ref(at(ha, broadcastIndex(idx, a.shape)), at(hb, broadcastIndex(idx, b.shape))));
          expectClose(y, want, tolFor(c.out(d)), name);
        }),
        RUNS,
      );
    });
  }
});

interface UnaryCase {
  readonly f: (a: NdArray) => NdArray;
  readonly ref: (a: number) => number;
  readonly dtypes: DType[];
  readonly out: (d: DType) => DType;
  readonly range?: ValueRange;
}

const nanToNumRef = (d: DType) => (v: number): number => {
  const big = d === "float64" ? Number.MAX_VALUE : 3.4028234663852886e38;
  return Number.isNaN(v) ? 0 : v === Infinity ? big : v === -Infinity ? -big : v;
};

const UNARY: Record<string, UnaryCase> = {
  reciprocal: { f: np.reciprocal, ref: (a) => 1 / a, dtypes: NUMERIC, out: inexact, range: { specials: true } },
  log2: { f: np.log2, ref: Math.log2, dtypes: NUMERIC, out: inexact, range: { specials: true } },
  log10: { f: np.log10, ref: Math.log10, dtypes: NUMERIC, out: inexact, range: { specials: true } },
  exp2: { f: np.exp2, ref: (a) => 2 ** a, dtypes: NUMERIC, out: inexact, range: { specials: true } },
  deg2rad: { f: np.deg2rad, ref: (a) => (a * Math.PI) / 180, dtypes: NUMERIC, out: inexact, range: { specials: true } },
  rad2deg: { f: np.rad2deg, ref: (a) => (a * 180) / Math.PI, dtypes: NUMERIC, out: inexact, range: { specials: true } },
  fabs: { f: np.fabs, ref: Math.abs, dtypes: NUMERIC, out: inexact, range: { specials: true } },
  positive: { f: np.positive, ref: (a) => a, dtypes: ALL, out: same, range: { specials: true } },
  isnan: { f: np.isnan, ref: (a) => +Number.isNaN(a), dtypes: ALL, out: bool, range: { specials: true } },
  isinf: { f: np.isinf, ref: (a) => +(Math.abs(a) === Infinity), dtypes: ALL, out: bool, range: { specials: true } },
  isposinf: { f: np.isposinf, ref: (a) => +(a === Infinity), dtypes: ALL, out: bool, range: { specials: true } },
  isneginf: { f: np.isneginf, ref: (a) => +(a === -Infinity), dtypes: ALL, out: bool, range: { specials: true } },
  isfinite: { f: np.isfinite, ref: (a) => +Number.isFinite(a), dtypes: ALL, out: bool, range: { specials: true } },
  logicalNot: { f: np.logicalNot, ref: (a) => +(a === 0), dtypes: ALL, out: bool, range: { specials: true, lim: 2 } },
  real: { f: np.real, ref: (a) => a, dtypes: ALL, out: same, range: { specials: true } },
  imag: { f: np.imag, ref: () => 0, dtypes: ALL, out: same, range: { specials: true } },
};

describe("unary elementwise: values against JS references", () => {
  for (const [name, c] of Object.entries(UNARY)) {
    test(name, () => {
      const arb = fc.tuple(smallShape(), fc.constantFrom(...c.dtypes)).chain(([s, d]) => fc.tuple(arrayArb(s, d, c.range), fc.constant(d)));
      fc.assert(
        fc.property(arb, ([a, d]) => {
          const y = c.f(a);
          expect(y.dtype).toBe(c.out(d));
          const h = host(a);
          expectClose(y, { shape: h.shape, data: h.data.map(c.ref) }, tolFor(c.out(d)), name);
        }),
        RUNS,
      );
    });
  }

  test("nanToNum", () => {
    const arb = fc.tuple(smallShape(), fc.constantFrom<DType>("float32", "float64", "int32")).chain(([s, d]) => fc.tuple(arrayArb(s, d, { specials: true }), fc.constant(d)));
    fc.assert(
      fc.property(arb, ([a, d]) => {
        const h = host(a);
        expect(np.nanToNum(a).dtype).toBe(d);
        expectClose(np.nanToNum(a), { shape: h.shape, data: h.data.map(nanToNumRef(d)) }, { rtol: 0, atol: 0 });
        const custom = np.nanToNum(a, { nan: -1, posinf: 7, neginf: -7 });
        expectClose(custom, { shape: h.shape, data: h.data.map((v) => (Number.isNaN(v) ? -1 : v === Infinity ? 7 : v === -Infinity ? -7 : v)) });
      }),
      RUNS,
    );
  });
});

describe("promotion", () => {
  test("float-only functions promote ints and bools to float32; JS scalars are weak", () => {
    const i = np.arange(4);
    expect(np.log2(i).dtype).toBe("float32");
    expect(np.reciprocal(np.array([true, false])).dtype).toBe("float32");
    expect(np.hypot(np.ones([2], { dtype: "float64" }), 3).dtype).toBe("float64");
    expect(np.logaddexp(np.ones([2]), 1.5).dtype).toBe("float32");
    expect(np.logaddexp(np.ones([2]), np.ones([2], { dtype: "float64" })).dtype).toBe("float64");
    expect(np.copysign(i, np.ones([4])).dtype).toBe("float32");
    expect(np.fmax(i, i).dtype).toBe("int32");
    expect(np.fmax(i, 2.5).dtype).toBe("float32");
    expect(np.clip(i, 1, 2).tolist()).toEqual([1, 1, 2, 2]);
    expect(np.clip(np.array([-3, 0, 3]), null, 1).tolist()).toEqual([-3, 0, 1]);
    expect(np.isclose(np.array([1, 2]), np.array([1, 3])).tolist()).toEqual([true, false]);
    expect(np.isclose(np.array([NaN, 1]), np.array([NaN, 1.05]), { equalNan: true, rtol: 0.1 }).tolist()).toEqual([true, true]);
    expect(np.allclose(np.array([1, 2]), np.array([1, 2.000001])).item()).toBe(true);
    expect(np.arrayEqual(np.array([1, 2]), np.array([1, 2])).item()).toBe(true);
    expect(np.arrayEqual(np.array([1, 2]), np.array([[1, 2]])).item()).toBe(false);
    expect(np.arrayEqual(np.array([NaN]), np.array([NaN]), { equalNan: true }).item()).toBe(true);
    expect(np.arrayEquiv(np.array([1, 1]), np.array([[1]])).item()).toBe(true);
    expect(np.arrayEquiv(np.array([1, 1]), np.array([1, 1, 1])).item()).toBe(false);
  });

  test("select: the first true condition wins, else the default", () => {
    fc.assert(
      fc.property(broadcastPair().chain(([a, b]) => fc.tuple(arrayArb(a, "float32", { lim: 3 }), arrayArb(b, "int32", { lim: 3 }))), ([a, b]) => {
        const y = np.select([a.gt(0), b.lt(0)], [a, b], -9);
        expect(y.dtype).toBe("float32");
        const shape = np.broadcastShapes(a.shape, b.shape);
        const [ha, hb] = [host(a), host(b)];
        const want = fromFn(shape, (idx) => {
          const [u, v] = [at(ha, broadcastIndex(idx, a.shape)), at(hb, broadcastIndex(idx, b.shape))];
          return u > 0 ? u : v < 0 ? v : -9;
        });
        expectClose(y, want, { rtol: 0, atol: 0 });
      }),
      RUNS,
    );
  });
});

describe("gradients (finite differences, float64)", () => {
  const pos = det([2, 3], 1).mul(0.3).exp();
  const x = det([2, 3], 2);
  const y = det([2, 3], 3).add(0.37);
  const g = (f: (...a: NdArray[]) => NdArray, args: NdArray[], order = 2) => checkGrads(f as never, args, { order, atol: 1e-6, rtol: 1e-5 });
  test("reciprocal, log2, log10, exp2, deg2rad (order 2)", () => {
    g(np.reciprocal, [pos]);
    g(np.log2, [pos]);
    g(np.log10, [pos]);
    g(np.exp2, [x]);
    g(np.deg2rad, [x]);
  });
  test("logaddexp, logaddexp2, hypot (order 2), ties included", () => {
    g(np.logaddexp, [x, y]);
    g(np.logaddexp2, [x, y]);
    g(np.logaddexp, [x, x]);
    g(np.hypot, [x, y]);
  });
  test("copysign, fmax, fmin, clip, nanToNum (order 1, away from kinks)", () => {
    g((a: NdArray) => np.copysign(a, y), [x], 1);
    g(np.fmax, [x, y], 1);
    g(np.fmin, [x, y], 1);
    g((a: NdArray) => np.clip(a, -1.01, 1.03), [x], 1);
    g((a: NdArray) => np.nanToNum(a), [x], 1);
    g((a: NdArray, b: NdArray) => np.select([a.gt(0), b.gt(0)], [a.mul(b), b], a), [x, y], 1);
  });
});

describe("vmap equals stacking per-example results", () => {
  const xs = batchOf(3, [2, 2], 1);
  const ys = batchOf(3, [2, 2], 2);
  test.each([
    ["hypot", (a: NdArray, b: NdArray) => np.hypot(a, b)],
    ["logaddexp", (a: NdArray, b: NdArray) => np.logaddexp(a, b)],
    ["copysign", (a: NdArray, b: NdArray) => np.copysign(a, b)],
    ["fmax", (a: NdArray, b: NdArray) => np.fmax(a, b)],
    ["logicalXor", (a: NdArray, b: NdArray) => np.logicalXor(a.gt(0), b)],
    ["isclose", (a: NdArray, b: NdArray) => np.isclose(a, b.mul(0).add(a))],
    ["clip", (a: NdArray, b: NdArray) => np.clip(a, b, 1)],
    ["select", (a: NdArray, b: NdArray) => np.select([a.gt(b), b.gt(0)], [a, b.mul(2)])],
  ])("%s", (_, f) => checkVmap(f, [xs, ys], { rtol: 1e-12, atol: 1e-12 }));
  test.each([
    ["log2", (a: NdArray) => np.log2(np.abs(a))],
    ["exp2", (a: NdArray) => np.exp2(a)],
    ["isnan", (a: NdArray) => np.isnan(np.log(a))],
    ["nanToNum", (a: NdArray) => np.nanToNum(np.log(a))],
    ["reciprocal", (a: NdArray) => np.reciprocal(a)],
  ])("%s", (_, f) => checkVmap(f, [xs], { rtol: 1e-12, atol: 1e-12 }));
});

describe("errors", () => {
  test("shapes that do not broadcast name the numpy function", () => {
    expect(() => np.hypot(np.ones([2]), np.ones([3]))).toThrow(ShapeError);
    expect(() => np.hypot(np.ones([2]), np.ones([3]))).toThrow("hypot: shapes [2], [3] cannot be broadcast together");
    expect(() => np.logicalAnd(np.ones([2, 2]), np.ones([3]))).toThrow(/^logical_and: shapes \[2,2\], \[3\] cannot be broadcast/);
    expect(() => np.fmax(np.ones([2]), np.ones([3]))).toThrow(/^fmax: shapes/);
    expect(() => np.isclose(np.ones([2]), np.ones([3]))).toThrow(/^isclose: shapes/);
    expect(() => np.select([np.ones([2]).gt(0)], [np.ones([3])])).toThrow(/^select: shapes \[2\], \[3\], \[\] cannot be broadcast/);
    expect(() => np.select([np.ones([2])], [np.ones([2])])).toThrow("select: conditions must be bool arrays, got f32[2]; compare first (e.g. x.gt(0)).");
    expect(() => np.select([], [np.ones([2])])).toThrow("select: got 0 conditions but 1 choices; pass one choice per condition.");
  });
  test("unknown options", () => {
    expect(() => np.nanToNum(np.ones([2]), { nans: 1 } as never)).toThrow(ArgumentError);
    expect(() => np.nanToNum(np.ones([2]), { nans: 1 } as never)).toThrow('nanToNum: unknown option "nans"; the options are: nan, posinf, neginf.');
    expect(() => np.isclose(1, 2, { tol: 1 } as never)).toThrow('isclose: unknown option "tol"');
  });
});
