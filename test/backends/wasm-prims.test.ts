/**
 * The WASM backend, primitive by primitive: hand-computed values for each dtype,
 * including the edge semantics (wrapping, division by zero, NaN, -0, saturating
 * casts, empty reductions), with inputs given contiguous and as strided views.
 * Every call checks that inputs are unchanged and that nothing leaks.
 */
import { describe, expect, it } from "vitest";
import { type DType, DTypeError, ShapedArray, TYPED_ARRAY } from "../../src/core/index.js";
import { WasmBackend } from "../../src/backends/wasm/index.js";
import { type KernelPrim, Prim, type PrimParams } from "../../src/trace/prim.js";

const B = new WasmBackend();
type Host = { dtype: DType; shape: number[]; values: number[] };
const h = (dtype: DType, shape: number[], values: number[]): Host => ({ dtype, shape, values });
const v = (dtype: DType, values: number[]): Host => h(dtype, [values.length], values);
const NONE = {} as Record<string, never>;

/** Runs one primitive and returns its single output's values; checks inputs and leaks. */
function run<P extends KernelPrim>(prim: P, args: Host[], params: PrimParams<P>, out: [DType, number[]]): number[] {
  const before = B.memoryStats().liveBuffers;
  const avals = args.map((a) => new ShapedArray(a.shape, a.dtype));
  const hostIn = args.map((a) => TYPED_ARRAY[a.dtype].from(a.values));
  const datas = args.map((_, i) => B.fromHost(hostIn[i]!, avals[i]!));
  try {
    const outAval = new ShapedArray(out[1], out[0]);
    const [r] = B.execute(prim, datas, avals, params, [outAval]);
    const got = B.readSync(r!, outAval);
    expect(got).toBeInstanceOf(TYPED_ARRAY[out[0]]);
    expect(got.length).toBe(outAval.size);
    datas.forEach((d, i) => expect(B.readSync(d, avals[i]!)).toEqual(hostIn[i]));
    B.release(r!);
    return Array.from(got);
  } finally {
    datas.forEach((d) => B.release(d));
    expect(B.memoryStats().liveBuffers).toBe(before);
  }
}
const un = (p: KernelPrim, d: DType, xs: number[]) => run(p, [v(d, xs)], NONE as never, [d, [xs.length]]);
const bin = (p: KernelPrim, d: DType, xs: number[], ys: number[], od: DType = d) =>
  run(p, [v(d, xs), v(d, ys)], NONE as never, [od, [xs.length]]);
const f32 = (xs: number[]) => Array.from(Float32Array.from(xs));
const I32_MIN = -2147483648;
const I32_MAX = 2147483647;
const U32_MAX = 4294967295;
/** Within `n` ulps of `want` (computed in f64, rounded to the dtype). */
function close(got: number[], want: number[], dtype: DType, n = 3) {
  got.forEach((g, i) => {
    const w = dtype === "float32" ? Math.fround(want[i]!) : want[i]!;
    if (Number.isNaN(w) || !Number.isFinite(w)) return expect(g).toBe(w);
    const ulp = dtype === "float32" ? 2 ** (Math.floor(Math.log2(Math.max(Math.abs(w), 2 ** -126))) - 23)
      : 2 ** (Math.floor(Math.log2(Math.max(Math.abs(w), 2 ** -1022))) - 52);
    expect(Math.abs(g - w), `${i}: ${g} vs ${w}`).toBeLessThanOrEqual(n * ulp);
  });
}

describe("unary", () => {
  const xs = [-2.5, -1, -0, 0, 0.5, 1, 3, NaN, Infinity, -Infinity];
  for (const d of ["float32", "float64"] as const) {
    it(`neg/abs/sign/sqrt on ${d}`, () => {
      expect(un(Prim.Neg, d, xs)).toEqual([2.5, 1, 0, -0, -0.5, -1, -3, NaN, -Infinity, Infinity]);
      expect(un(Prim.Abs, d, xs)).toEqual([2.5, 1, 0, 0, 0.5, 1, 3, NaN, Infinity, Infinity]);
      const s = un(Prim.Sign, d, xs);
      expect(s).toEqual([-1, -1, -0, 0, 1, 1, 1, NaN, 1, -1]);
      expect(Object.is(s[2], -0)).toBe(true);
      expect(un(Prim.Sqrt, d, [4, 2, 0, -1])).toEqual([2, d === "float32" ? Math.fround(Math.SQRT2) : Math.SQRT2, 0, NaN]);
    });
    it(`transcendentals on ${d} match Math within a few ulps`, () => {
      const ys = [-20, -3.5, -1, -0.25, 0, 1e-5, 0.5, 1, 2.75, 10, 80];
      for (const [p, f] of [
        [Prim.Exp, Math.exp], [Prim.Sin, Math.sin], [Prim.Cos, Math.cos], [Prim.Tanh, Math.tanh],
        [Prim.Logistic, (x: number) => 1 / (1 + Math.exp(-x))],
      ] as const) {
        const inputs = d === "float32" ? f32(ys) : ys;
        close(un(p, d, inputs), inputs.map(f), d);
      }
      const pos = d === "float32" ? f32([1e-30, 0.1, 1, 2, 1e10]) : [1e-300, 0.1, 1, 2, 1e300];
      close(un(Prim.Log, d, pos), pos.map(Math.log), d);
      expect(un(Prim.Log, d, [0, -1, Infinity, NaN])).toEqual([-Infinity, NaN, Infinity, NaN]);
      expect(un(Prim.Exp, d, [-Infinity, Infinity, NaN, 0])).toEqual([0, Infinity, NaN, 1]);
    });
  }
  it("neg/abs/sign wrap on int32; uint32 wraps neg and has sign 0/1", () => {
    expect(un(Prim.Neg, "int32", [5, -3, 0, I32_MIN])).toEqual([-5, 3, 0, I32_MIN]);
    expect(un(Prim.Abs, "int32", [5, -3, 0, I32_MIN])).toEqual([5, 3, 0, I32_MIN]);
    expect(un(Prim.Sign, "int32", [5, -3, 0, I32_MIN])).toEqual([1, -1, 0, -1]);
    expect(un(Prim.Neg, "uint32", [1, 0, U32_MAX])).toEqual([U32_MAX, 0, 1]);
    expect(un(Prim.Abs, "uint32", [1, 0, U32_MAX])).toEqual([1, 0, U32_MAX]);
    expect(un(Prim.Sign, "uint32", [7, 0, U32_MAX])).toEqual([1, 0, 1]);
  });
  it("rejects transcendentals on ints and anything on bool", () => {
    expect(() => un(Prim.Exp, "int32", [1])).toThrow(DTypeError);
    expect(() => un(Prim.Neg, "bool", [1])).toThrow(DTypeError);
  });
  it("integer_pow follows square-and-multiply, negative powers for floats", () => {
    const ip = (d: DType, xs: number[], y: number) => run(Prim.IntegerPow, [v(d, xs)], { y }, [d, [xs.length]]);
    expect(ip("float32", [2, -3, 0.5], 3)).toEqual([8, -27, 0.125]);
    expect(ip("float64", [2, -4, 0], -2)).toEqual([0.25, 0.0625, Infinity]);
    expect(ip("float64", [5, NaN], 0)).toEqual([1, 1]);
    expect(ip("int32", [3, -2, 65536], 2)).toEqual([9, 4, 0]);
    expect(ip("uint32", [3, 65537], 2)).toEqual([9, 131073]);
    expect(() => ip("int32", [2], -1)).toThrow(DTypeError);
  });
});

describe("binary and comparisons", () => {
  it("float arithmetic, max/min propagate NaN, pow with C semantics", () => {
    for (const d of ["float32", "float64"] as const) {
      expect(bin(Prim.Add, d, [1, 0.5, Infinity], [2, -0.5, -Infinity])).toEqual([3, 0, NaN]);
      expect(bin(Prim.Sub, d, [1, -0], [2, 0])).toEqual([-1, -0]);
      expect(bin(Prim.Mul, d, [3, -0, 1e30], [4, 5, 1e30])).toEqual([12, -0, d === "float32" ? Infinity : 1e30 * 1e30]);
      expect(bin(Prim.Div, d, [1, 1, 0], [4, 0, 0])).toEqual([0.25, Infinity, NaN]);
      expect(bin(Prim.Max, d, [1, NaN, -0], [2, 1, 0])).toEqual([2, NaN, 0]);
      expect(bin(Prim.Min, d, [1, 3, 0], [2, NaN, -0])).toEqual([1, NaN, -0]);
      expect(bin(Prim.Pow, d, [2, 9, 1, -8], [10, 0.5, NaN, 1 / 3])).toEqual([1024, 3, 1, NaN]);
    }
    expect(bin(Prim.Add, "float32", [0.1], [0.2])).toEqual(f32([Math.fround(0.1) + Math.fround(0.2)]));
  });
  it("int32 wraps; division truncates, x/0 = -1, INT_MIN/-1 = INT_MIN", () => {
    expect(bin(Prim.Add, "int32", [I32_MAX, 1], [1, -2])).toEqual([I32_MIN, -1]);
    expect(bin(Prim.Sub, "int32", [I32_MIN], [1])).toEqual([I32_MAX]);
    expect(bin(Prim.Mul, "int32", [65536, -3], [65536, 7])).toEqual([0, -21]);
    expect(bin(Prim.Div, "int32", [7, -7, 7, 5, I32_MIN], [2, 2, -2, 0, -1])).toEqual([3, -3, -3, -1, I32_MIN]);
    expect(bin(Prim.Max, "int32", [-5, 3], [2, -9])).toEqual([2, 3]);
    expect(bin(Prim.Min, "int32", [-5, 3], [2, -9])).toEqual([-5, -9]);
  });
  it("uint32 wraps; x/0 = 0xFFFFFFFF; max/min are unsigned", () => {
    expect(bin(Prim.Add, "uint32", [U32_MAX], [2])).toEqual([1]);
    expect(bin(Prim.Sub, "uint32", [0], [1])).toEqual([U32_MAX]);
    expect(bin(Prim.Mul, "uint32", [65536, 3], [65536, 5])).toEqual([0, 15]);
    expect(bin(Prim.Div, "uint32", [7, 5, U32_MAX], [2, 0, 2])).toEqual([3, U32_MAX, 2147483647]);
    expect(bin(Prim.Max, "uint32", [U32_MAX, 1], [0, 2])).toEqual([U32_MAX, 2]);
    expect(bin(Prim.Min, "uint32", [U32_MAX, 1], [0, 2])).toEqual([0, 1]);
  });
  it("bool max/min are or/and; arithmetic on bool is rejected", () => {
    expect(bin(Prim.Max, "bool", [0, 0, 1, 1], [0, 1, 0, 1])).toEqual([0, 1, 1, 1]);
    expect(bin(Prim.Min, "bool", [0, 0, 1, 1], [0, 1, 0, 1])).toEqual([0, 0, 0, 1]);
    expect(() => bin(Prim.Add, "bool", [1], [1])).toThrow(DTypeError);
  });
  it("comparisons on every dtype (NaN unordered, unsigned order for uint32)", () => {
    const cmp = (p: KernelPrim, d: DType, a: number[], b: number[]) => bin(p, d, a, b, "bool");
    for (const d of ["float32", "float64"] as const) {
      const a = [1, 2, NaN, -0], b = [2, 2, NaN, 0];
      expect(cmp(Prim.Eq, d, a, b)).toEqual([0, 1, 0, 1]);
      expect(cmp(Prim.Ne, d, a, b)).toEqual([1, 0, 1, 0]);
      expect(cmp(Prim.Lt, d, a, b)).toEqual([1, 0, 0, 0]);
      expect(cmp(Prim.Le, d, a, b)).toEqual([1, 1, 0, 1]);
      expect(cmp(Prim.Gt, d, a, b)).toEqual([0, 0, 0, 0]);
      expect(cmp(Prim.Ge, d, a, b)).toEqual([0, 1, 0, 1]);
    }
    expect(cmp(Prim.Lt, "int32", [-1, 5, I32_MIN], [0, 5, I32_MAX])).toEqual([1, 0, 1]);
    expect(cmp(Prim.Lt, "uint32", [U32_MAX, 5, 0], [0, 5, 1])).toEqual([0, 0, 1]);
    expect(cmp(Prim.Ge, "uint32", [U32_MAX, 5, 0], [0, 5, 1])).toEqual([1, 1, 0]);
    expect(cmp(Prim.Gt, "bool", [1, 0, 1], [0, 1, 1])).toEqual([1, 0, 0]);
    expect(cmp(Prim.Eq, "bool", [1, 0, 1], [0, 0, 1])).toEqual([0, 1, 1]);
    // 40 elements: the 16-wide SIMD blocks and a ragged tail.
    const n = Array.from({ length: 40 }, (_, i) => i % 7);
    expect(cmp(Prim.Le, "float64", n, n.map(() => 3))).toEqual(n.map((x) => (x <= 3 ? 1 : 0)));
  });
});

describe("select_n and convert_element_type", () => {
  it("select_n with a bool or int32 predicate, elementwise or scalar", () => {
    for (const d of ["float32", "float64", "int32", "uint32", "bool"] as const) {
      const c0 = [0, 1, 0, 1, 1], c1 = [1, 1, 0, 0, 1];
      const got = run(Prim.SelectN, [v("bool", [1, 0, 0, 1, 1]), v(d, c0), v(d, c1)], NONE, [d, [5]]);
      expect(got).toEqual([1, 1, 0, 0, 1]);
    }
    const cases = [v("float32", [1, 2, 3]), v("float32", [10, 20, 30]), v("float32", [100, 200, 300])];
    expect(run(Prim.SelectN, [v("int32", [2, 0, 1]), ...cases], NONE, ["float32", [3]])).toEqual([100, 2, 30]);
    expect(run(Prim.SelectN, [h("bool", [], [1]), ...cases.slice(0, 2)], NONE, ["float32", [3]])).toEqual([10, 20, 30]);
    expect(run(Prim.SelectN, [h("int32", [], [0]), ...cases], NONE, ["float32", [3]])).toEqual([1, 2, 3]);
  });
  it("casts between every pair with saturation, NaN -> 0, != 0 for bool", () => {
    const cv = (from: DType, to: DType, xs: number[]) =>
      run(Prim.ConvertElementType, [v(from, xs)], { newDtype: to, weakType: false, sharding: null }, [to, [xs.length]]);
    const fx = [NaN, -1.7, 2.9, 3e9, -3e9, -0, Infinity];
    expect(cv("float32", "int32", fx)).toEqual([0, -1, 2, I32_MAX, I32_MIN, 0, I32_MAX]);
    expect(cv("float64", "uint32", fx)).toEqual([0, 0, 2, 3e9, 0, 0, U32_MAX]);
    expect(cv("float64", "bool", fx)).toEqual([1, 1, 1, 1, 1, 0, 1]);
    expect(cv("float64", "float32", [0.1, 1e300, -1e-50])).toEqual([Math.fround(0.1), Infinity, -0]);
    expect(cv("float32", "float64", f32([0.1]))).toEqual([Math.fround(0.1)]);
    expect(cv("int32", "uint32", [-1, 5])).toEqual([U32_MAX, 5]);
    expect(cv("uint32", "int32", [U32_MAX, 5])).toEqual([-1, 5]);
    expect(cv("int32", "float32", [16777217, -3])).toEqual([16777216, -3]);
    expect(cv("uint32", "float64", [U32_MAX])).toEqual([U32_MAX]);
    expect(cv("int32", "bool", [0, -4, 9])).toEqual([0, 1, 1]);
    for (const to of ["float32", "float64", "int32", "uint32", "bool"] as const) {
      expect(cv("bool", to, [1, 0, 1])).toEqual([1, 0, 1]);
    }
    expect(cv("float32", "float32", [1.5])).toEqual([1.5]);
  });
});

describe("reductions", () => {
  const red = (p: KernelPrim, d: DType, shape: number[], xs: number[], axes: number[], out: number[]) =>
    run(p, [h(d, shape, xs)], { axes, outSharding: null } as never, [d, out]);
  const x23 = [1, 2, 3, 4, 5, 6];
  it("sum/prod/max/min over each axis and all axes, on every numeric dtype", () => {
    for (const d of ["float32", "float64", "int32", "uint32"] as const) {
      expect(red(Prim.ReduceSum, d, [2, 3], x23, [0], [3])).toEqual([5, 7, 9]);
      expect(red(Prim.ReduceSum, d, [2, 3], x23, [1], [2])).toEqual([6, 15]);
      expect(red(Prim.ReduceSum, d, [2, 3], x23, [0, 1], [])).toEqual([21]);
      expect(red(Prim.ReduceProd, d, [2, 3], x23, [1], [2])).toEqual([6, 120]);
      expect(red(Prim.ReduceMax, d, [2, 3], x23, [0], [3])).toEqual([4, 5, 6]);
      expect(red(Prim.ReduceMin, d, [2, 3], x23, [1], [2])).toEqual([1, 4]);
      expect(red(Prim.ReduceSum, d, [2, 3], x23, [], [2, 3])).toEqual(x23);
    }
    expect(red(Prim.ReduceMax, "int32", [3], [-5, -2, -9], [0], [])).toEqual([-2]);
    expect(red(Prim.ReduceMax, "uint32", [2], [U32_MAX, 3], [0], [])).toEqual([U32_MAX]);
    expect(red(Prim.ReduceSum, "int32", [2], [I32_MAX, 1], [0], [])).toEqual([I32_MIN]);
  });
  it("identities on empty axes; NaN propagates through max/min", () => {
    expect(red(Prim.ReduceSum, "float32", [2, 0], [], [1], [2])).toEqual([0, 0]);
    expect(red(Prim.ReduceProd, "int32", [0], [], [0], [])).toEqual([1]);
    expect(red(Prim.ReduceMax, "float64", [0], [], [0], [])).toEqual([-Infinity]);
    expect(red(Prim.ReduceMin, "float32", [0], [], [0], [])).toEqual([Infinity]);
    expect(red(Prim.ReduceMax, "int32", [0], [], [0], [])).toEqual([I32_MIN]);
    expect(red(Prim.ReduceMin, "uint32", [0], [], [0], [])).toEqual([U32_MAX]);
    expect(red(Prim.ReduceMax, "float32", [3], [1, NaN, 2], [0], [])).toEqual([NaN]);
    expect(red(Prim.ReduceMin, "float64", [3], [1, NaN, 2], [0], [])).toEqual([NaN]);
  });
  it("bool reductions: max/sum are any, min/prod are all", () => {
    expect(red(Prim.ReduceMax, "bool", [2, 2], [0, 1, 0, 0], [1], [2])).toEqual([1, 0]);
    expect(red(Prim.ReduceSum, "bool", [2, 2], [0, 1, 0, 0], [1], [2])).toEqual([1, 0]);
    expect(red(Prim.ReduceMin, "bool", [2, 2], [1, 1, 0, 1], [1], [2])).toEqual([1, 0]);
    expect(red(Prim.ReduceProd, "bool", [2, 2], [1, 1, 0, 1], [0], [2])).toEqual([0, 1]);
  });
  it("long float sums are pairwise-accurate", () => {
    const n = 100_000;
    const got = red(Prim.ReduceSum, "float32", [n], Array(n).fill(0.1), [0], [])[0]!;
    expect(Math.abs(got - n * Math.fround(0.1)) / (n * 0.1)).toBeLessThan(1e-6);
    // Column sums (reduced axis outer) too.
    const cols = red(Prim.ReduceSum, "float32", [n / 4, 4], Array(n).fill(0.1), [0], [4]);
    cols.forEach((c) => expect(Math.abs(c - (n / 4) * Math.fround(0.1)) / (n / 40)).toBeLessThan(1e-6));
  });
  it("argmax/argmin: first extreme, NaN wins, per axis", () => {
    const arg = (p: KernelPrim, d: DType, shape: number[], xs: number[], axis: number, out: number[]) =>
      run(p, [h(d, shape, xs)], { axes: [axis], indexDtype: "int32" } as never, ["int32", out]);
    const m = [5, 1, 9, 2, 8, 9];
    for (const d of ["float32", "float64", "int32", "uint32"] as const) {
      expect(arg(Prim.Argmax, d, [2, 3], m, 0, [3])).toEqual([0, 1, 0]);
      expect(arg(Prim.Argmax, d, [2, 3], m, 1, [2])).toEqual([2, 2]);
      expect(arg(Prim.Argmin, d, [2, 3], m, 1, [2])).toEqual([1, 0]);
    }
    expect(arg(Prim.Argmax, "float32", [5], [1, NaN, 3, NaN, 0], 0, [])).toEqual([1]);
    expect(arg(Prim.Argmin, "float64", [3], [1, -Infinity, NaN], 0, [])).toEqual([2]);
    expect(arg(Prim.Argmax, "bool", [3], [0, 1, 1], 0, [])).toEqual([1]);
  });
});
