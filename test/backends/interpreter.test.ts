/**
 * The interpreter backend, part 1: the Backend contract, elementwise primitives,
 * convert_element_type and select_n. Hand-computed values per dtype, the edge
 * semantics (wrapping, division by zero, NaN, -0, saturating casts), and properties
 * against independent computations (BigInt for integer arithmetic).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ArgumentError,
  type DType,
  DTypeError,
  DisposedArrayError,
  ShapeError,
  ShapedArray,
} from "../../src/core/index.js";
import {
  KERNEL_PRIMS,
  type KernelPrim,
  Prim,
  type PrimParams,
} from "../../src/trace/prim.js";
import { InterpreterBackend, implRules } from "../../src/backends/interpreter/index.js";
import { type Host, h, run } from "../helpers/interpreter-run.js";
import { convertValue } from "../../src/backends/interpreter/convert.js";

// --- helpers --------------------------------------------------------------------------


/** A 1-D host array. */
const v = (dtype: DType, values: readonly number[]): Host => h(dtype, [values.length], values);


const f32 = (xs: readonly number[]): number[] => Array.from(Float32Array.from(xs));
const I32_MIN = -2147483648;
const I32_MAX = 2147483647;
const U32_MAX = 4294967295;
const NONE = {} as Record<string, never>;

const un = (prim: KernelPrim, dtype: DType, xs: readonly number[]): number[] =>
  run(prim, [v(dtype, xs)], NONE as PrimParams<typeof prim>, [dtype, [xs.length]]);
const bin = (prim: KernelPrim, dtype: DType, xs: readonly number[], ys: readonly number[], outDtype = dtype) =>
  run(prim, [v(dtype, xs), v(dtype, ys)], NONE as PrimParams<typeof prim>, [outDtype, [xs.length]]);

const i32 = fc.integer({ min: I32_MIN, max: I32_MAX });
const u32 = fc.integer({ min: 0, max: U32_MAX });

// --- the Backend contract ----------------------------------------------------------------

describe("InterpreterBackend contract", () => {
  it("has an impl rule for every primitive", () => {
    for (const p of KERNEL_PRIMS) expect(typeof implRules[p]).toBe("function");
    expect(Object.keys(implRules).sort()).toEqual([...KERNEL_PRIMS].sort());
  });

  it("copies on fromHost and on readSync", () => {
    const B = new InterpreterBackend();
    const aval = new ShapedArray([3], "float32");
    const src = new Float32Array([1, 2, 3]);
    const d = B.fromHost(src, aval);
    src[0] = 99;
    const out = B.readSync(d, aval);
    expect(Array.from(out)).toEqual([1, 2, 3]);
    out[1] = 77;
    expect(Array.from(B.readSync(d, aval))).toEqual([1, 2, 3]);
    B.release(d);
  });

  it("counts live buffers and bytes, and frees them on release", () => {
    const B = new InterpreterBackend();
    expect(B.memoryStats()).toEqual({ liveBuffers: 0, liveBytes: 0, reservedBytes: 0 });
    const a = B.fromHost(new Float64Array(4), new ShapedArray([2, 2], "float64"));
    const b = B.fromHost(new Uint8Array(3), new ShapedArray([3], "bool"));
    expect(B.memoryStats()).toEqual({ liveBuffers: 2, liveBytes: 35, reservedBytes: 35 });
    const aval = new ShapedArray([2, 2], "float64");
    const [c] = B.execute(Prim.Exp, [a], [aval], NONE, [aval]);
    expect(B.memoryStats()).toEqual({ liveBuffers: 3, liveBytes: 67, reservedBytes: 67 });
    B.release(a);
    expect(B.memoryStats().liveBuffers).toBe(2);
    expect(Array.from(B.readSync(c!, aval))).toEqual([1, 1, 1, 1]);
    B.release(b);
    B.release(c!);
    expect(B.memoryStats()).toEqual({ liveBuffers: 0, liveBytes: 0, reservedBytes: 0 });
  });

  it("rejects use and release after release", () => {
    const B = new InterpreterBackend();
    const aval = new ShapedArray([1], "int32");
    const d = B.fromHost(new Int32Array([5]), aval);
    B.release(d);
    expect(() => B.readSync(d, aval)).toThrow(DisposedArrayError);
    expect(() => B.release(d)).toThrow(DisposedArrayError);
    expect(() => B.execute(Prim.Neg, [d], [aval], NONE, [aval])).toThrow(DisposedArrayError);
    expect(B.memoryStats().liveBuffers).toBe(0);
  });

  it("checks the host values against the aval", () => {
    const B = new InterpreterBackend();
    expect(() => B.fromHost(new Float64Array(2), new ShapedArray([2], "float32"))).toThrow(DTypeError);
    expect(() => B.fromHost(new Float32Array(3), new ShapedArray([2], "float32"))).toThrow(ShapeError);
    expect(() => B.readSync({ __backendData: true }, new ShapedArray([], "float32"))).toThrow(ArgumentError);
    expect(B.memoryStats().liveBuffers).toBe(0);
  });

  it("stores bool as 0/1", () => {
    const B = new InterpreterBackend();
    const aval = new ShapedArray([3], "bool");
    const d = B.fromHost(new Uint8Array([0, 7, 255]), aval);
    expect(Array.from(B.readSync(d, aval))).toEqual([0, 1, 1]);
    B.release(d);
  });
});

// --- unary -----------------------------------------------------------------------------------

describe("unary elementwise", () => {
  it("neg on every numeric dtype, wrapping integers", () => {
    expect(un(Prim.Neg, "float32", [1.5, -0, 0, NaN, Infinity])).toEqual([-1.5, 0, -0, NaN, -Infinity]);
    expect(un(Prim.Neg, "float64", [0.1, -2])).toEqual([-0.1, 2]);
    expect(un(Prim.Neg, "int32", [1, -2, 0, I32_MIN, I32_MAX])).toEqual([-1, 2, 0, I32_MIN, -I32_MAX]);
    expect(un(Prim.Neg, "uint32", [0, 1, U32_MAX, 2 ** 31])).toEqual([0, U32_MAX, 1, 2 ** 31]);
    expect(() => un(Prim.Neg, "bool", [1])).toThrow(DTypeError);
  });

  it("abs, with |INT32_MIN| wrapping and uint32 unchanged", () => {
    expect(un(Prim.Abs, "float32", [-1.5, -0, NaN, -Infinity, 2])).toEqual([1.5, 0, NaN, Infinity, 2]);
    expect(un(Prim.Abs, "float64", [-1e300])).toEqual([1e300]);
    expect(un(Prim.Abs, "int32", [-3, 3, 0, I32_MIN, -I32_MAX])).toEqual([3, 3, 0, I32_MIN, I32_MAX]);
    expect(un(Prim.Abs, "uint32", [0, U32_MAX])).toEqual([0, U32_MAX]);
    expect(() => un(Prim.Abs, "bool", [0])).toThrow(DTypeError);
  });

  it("sign keeps -0, +0 and NaN; uint32 gives 0/1", () => {
    expect(un(Prim.Sign, "float32", [-2, 3, 0, -0, NaN, -Infinity, 1e-45])).toEqual([-1, 1, 0, -0, NaN, -1, 1]);
    expect(un(Prim.Sign, "float64", [-1e-300, 5e-324])).toEqual([-1, 1]);
    expect(un(Prim.Sign, "int32", [-7, 0, 9, I32_MIN])).toEqual([-1, 0, 1, -1]);
    expect(un(Prim.Sign, "uint32", [0, 5, U32_MAX])).toEqual([0, 1, 1]);
    expect(() => un(Prim.Sign, "bool", [1])).toThrow(DTypeError);
  });

  it("float math: exact values and IEEE edge cases in float64", () => {
    expect(un(Prim.Exp, "float64", [0, -Infinity, Infinity, NaN, 1])).toEqual([1, 0, Infinity, NaN, Math.E]);
    expect(un(Prim.Log, "float64", [1, 0, -0, -1, Infinity, Math.E])).toEqual([0, -Infinity, -Infinity, NaN, Infinity, 1]);
    expect(un(Prim.Sin, "float64", [0, -0, Infinity])).toEqual([0, -0, NaN]);
    expect(un(Prim.Cos, "float64", [0, Math.PI])).toEqual([1, -1]);
    expect(un(Prim.Tanh, "float64", [0, -0, Infinity, -Infinity, 100])).toEqual([0, -0, 1, -1, 1]);
    expect(un(Prim.Sqrt, "float64", [4, 2, -0, -1, Infinity])).toEqual([2, Math.SQRT2, -0, NaN, Infinity]);
    expect(un(Prim.Logistic, "float64", [0, -Infinity, Infinity, -1000, 1000, NaN])).toEqual([0.5, 0, 1, 0, 1, NaN]);
    expect(un(Prim.Logistic, "float64", [2])[0]).toBeCloseTo(0.8807970779778823, 15);
  });

  it("float math in float32 is computed in f64 and rounded once", () => {
    expect(un(Prim.Exp, "float32", [1])).toEqual([Math.fround(Math.E)]);
    expect(un(Prim.Sqrt, "float32", [2, 9])).toEqual([Math.fround(Math.SQRT2), 3]);
    expect(un(Prim.Log, "float32", [10])).toEqual([Math.fround(Math.LN10)]);
    expect(un(Prim.Sin, "float32", [0.5])[0]).toBeCloseTo(0.479425538604203, 7);
    expect(un(Prim.Cos, "float32", [0.5])[0]).toBeCloseTo(0.8775825618903728, 7);
    expect(un(Prim.Tanh, "float32", [0.5])[0]).toBeCloseTo(0.46211715726000974, 7);
    expect(un(Prim.Logistic, "float32", [-2])[0]).toBeCloseTo(0.11920292202211755, 7);
    // exp(100) overflows float32 but not float64
    expect(un(Prim.Exp, "float32", [100])).toEqual([Infinity]);
  });

  it.each<KernelPrim>([Prim.Exp, Prim.Log, Prim.Sin, Prim.Cos, Prim.Tanh, Prim.Sqrt, Prim.Logistic])(
    "%s rejects integer and bool operands",
    (prim) => {
      expect(() => un(prim, "int32", [1])).toThrow(DTypeError);
      expect(() => un(prim, "uint32", [1])).toThrow(DTypeError);
      expect(() => un(prim, "bool", [1])).toThrow(DTypeError);
    },
  );

  it("float results are float32-representable and match f64-then-round", () => {
    const prims = [Prim.Exp, Prim.Log, Prim.Sin, Prim.Cos, Prim.Tanh, Prim.Sqrt] as const;
    const ref: Record<(typeof prims)[number], (x: number) => number> = {
      [Prim.Exp]: Math.exp, [Prim.Log]: Math.log, [Prim.Sin]: Math.sin,
      [Prim.Cos]: Math.cos, [Prim.Tanh]: Math.tanh, [Prim.Sqrt]: Math.sqrt,
    };
    fc.assert(
      fc.property(fc.constantFrom(...prims), fc.array(fc.float(), { maxLength: 8 }), (prim, xs) => {
        expect(un(prim, "float32", xs)).toEqual(xs.map((x) => Math.fround(ref[prim](x))));
      }),
    );
  });
});

// --- integer_pow -------------------------------------------------------------------------------

describe("integer_pow", () => {
  const ipow = (dtype: DType, xs: readonly number[], y: number) =>
    run(Prim.IntegerPow, [v(dtype, xs)], { y }, [dtype, [xs.length]]);

  it("floats: any integer exponent, x^0 = 1 even for NaN", () => {
    expect(ipow("float32", [2, -3, 0.5, NaN], 3)).toEqual([8, -27, 0.125, NaN]);
    expect(ipow("float32", [2, NaN, 0, Infinity], 0)).toEqual([1, 1, 1, 1]);
    expect(ipow("float32", [2, -3, 0.5, 0, -0], -2)).toEqual(f32([0.25, 1 / 9, 4, Infinity, Infinity]));
    expect(ipow("float64", [0, -0, 2], -1)).toEqual([Infinity, -Infinity, 0.5]);
    expect(ipow("float64", [1.5], 1)).toEqual([1.5]);
    expect(ipow("float32", [1e20], 2)).toEqual([Infinity]);
    expect(ipow("float64", [1e20], 2)).toEqual([1e40]);
  });

  it("int32 and uint32 wrap", () => {
    expect(ipow("int32", [2, -3, 1291, 0], 3)).toEqual([8, -27, 1291 ** 3 - 2 ** 32, 0]);
    expect(ipow("int32", [-2], 31)).toEqual([I32_MIN]);
    expect(ipow("uint32", [65536, 3, 0], 2)).toEqual([0, 9, 0]);
    expect(ipow("int32", [0, 5], 0)).toEqual([1, 1]);
  });

  it("rejects negative exponents on integers, and bool", () => {
    expect(() => ipow("int32", [2], -1)).toThrow(ArgumentError);
    expect(() => ipow("uint32", [2], -2)).toThrow(ArgumentError);
    expect(() => ipow("bool", [1], 2)).toThrow(DTypeError);
  });

  it("integer results agree with BigInt arithmetic mod 2^32", () => {
    fc.assert(
      fc.property(i32, u32, fc.integer({ min: 0, max: 40 }), (a, b, y) => {
        expect(ipow("int32", [a], y)).toEqual([Number(BigInt.asIntN(32, BigInt(a) ** BigInt(y)))]);
        expect(ipow("uint32", [b], y)).toEqual([Number(BigInt.asUintN(32, BigInt(b) ** BigInt(y)))]);
      }),
    );
  });

  it("float64 results agree with Math.pow to a few ulp", () => {
    fc.assert(
      fc.property(fc.double({ min: 0.5, max: 2, noNaN: true }), fc.integer({ min: -30, max: 30 }), (x, y) => {
        const got = ipow("float64", [x], y)[0]!;
        expect(Math.abs(got - x ** y)).toBeLessThanOrEqual(Math.abs(x ** y) * 1e-14);
      }),
    );
  });
});

// --- binary -----------------------------------------------------------------------------------

describe("binary arithmetic", () => {
  it("add/sub/mul round float32 results", () => {
    expect(bin(Prim.Add, "float32", [1e8, 0.1], [1, 0.2])).toEqual([1e8, Math.fround(Math.fround(0.1) + Math.fround(0.2))]);
    expect(bin(Prim.Add, "float64", [0.1, -0], [0.2, -0])).toEqual([0.1 + 0.2, -0]);
    expect(bin(Prim.Sub, "float32", [1, 0], [1e-10, 0])).toEqual([1, 0]);
    expect(bin(Prim.Sub, "float64", [Infinity], [Infinity])).toEqual([NaN]);
    expect(bin(Prim.Mul, "float32", [3e38, -0, 16777217], [10, 5, 1])).toEqual([Infinity, -0, 16777216]);
    expect(bin(Prim.Mul, "float64", [0], [Infinity])).toEqual([NaN]);
  });

  it("add/sub/mul wrap int32 and uint32", () => {
    expect(bin(Prim.Add, "int32", [I32_MAX, -5], [1, 3])).toEqual([I32_MIN, -2]);
    expect(bin(Prim.Add, "uint32", [U32_MAX, 5], [2, 3])).toEqual([1, 8]);
    expect(bin(Prim.Sub, "int32", [I32_MIN, 3], [1, 5])).toEqual([I32_MAX, -2]);
    expect(bin(Prim.Sub, "uint32", [0, 5], [1, 3])).toEqual([U32_MAX, 2]);
    expect(bin(Prim.Mul, "int32", [65536, 46341, -3], [65536, 46341, 7])).toEqual([0, 46341 * 46341 - 2 ** 32, -21]);
    expect(bin(Prim.Mul, "uint32", [U32_MAX, 65536, 3], [U32_MAX, 65537, 5])).toEqual([1, 65536, 15]);
  });

  it("div: floats follow IEEE; integers truncate, x/0 and INT32_MIN/-1 are defined", () => {
    expect(bin(Prim.Div, "float64", [1, -1, 0, 1, 7], [0, 0, 0, -0, 2])).toEqual([Infinity, -Infinity, NaN, -Infinity, 3.5]);
    expect(bin(Prim.Div, "float32", [1], [3])).toEqual([Math.fround(1 / 3)]);
    expect(bin(Prim.Div, "int32", [7, -7, 7, -7, 5, -5, 0, I32_MIN, I32_MIN], [2, 2, -2, -2, 0, 0, 0, -1, 1]))
      .toEqual([3, -3, -3, 3, -1, -1, -1, I32_MIN, I32_MIN]);
    expect(bin(Prim.Div, "uint32", [7, 5, 0, U32_MAX], [2, 0, 0, 2])).toEqual([3, U32_MAX, U32_MAX, 2 ** 31 - 1]);
  });

  it("add/sub/mul/div reject bool", () => {
    for (const p of [Prim.Add, Prim.Sub, Prim.Mul, Prim.Div] as const) {
      expect(() => bin(p, "bool", [1], [1])).toThrow(DTypeError);
    }
  });

  it("integer arithmetic agrees with BigInt mod 2^32", () => {
    const ref = (op: string, a: bigint, b: bigint): bigint =>
      op === "add" ? a + b : op === "sub" ? a - b : op === "mul" ? a * b : a / b;
    fc.assert(
      fc.property(fc.constantFrom(Prim.Add, Prim.Sub, Prim.Mul, Prim.Div), i32, i32, u32, u32, (p, a, b, c, d) => {
        const sDiv = p === Prim.Div && b === 0 ? -1n : ref(p, BigInt(a), BigInt(b));
        const uDiv = p === Prim.Div && d === 0 ? BigInt(U32_MAX) : ref(p, BigInt(c), BigInt(d));
        expect(bin(p, "int32", [a], [b])).toEqual([Number(BigInt.asIntN(32, sDiv))]);
        expect(bin(p, "uint32", [c], [d])).toEqual([Number(BigInt.asUintN(32, uDiv))]);
      }),
    );
  });

  it("max/min propagate NaN and order -0 below +0", () => {
    expect(bin(Prim.Max, "float32", [NaN, 1, -0, 0, 2], [1, NaN, 0, -0, -3])).toEqual([NaN, NaN, 0, 0, 2]);
    expect(bin(Prim.Min, "float64", [NaN, 1, -0, 0, 2], [1, NaN, 0, -0, -3])).toEqual([NaN, NaN, -0, -0, -3]);
    expect(bin(Prim.Max, "int32", [I32_MIN, -1], [0, -2])).toEqual([0, -1]);
    expect(bin(Prim.Min, "uint32", [U32_MAX, 1], [1, 0])).toEqual([1, 0]);
    expect(bin(Prim.Max, "uint32", [U32_MAX], [1])).toEqual([U32_MAX]);
    expect(bin(Prim.Max, "bool", [0, 0, 1, 1], [0, 1, 0, 1])).toEqual([0, 1, 1, 1]);
    expect(bin(Prim.Min, "bool", [0, 0, 1, 1], [0, 1, 0, 1])).toEqual([0, 0, 0, 1]);
  });

  it("pow follows C99 pow, computed in f64", () => {
    expect(bin(Prim.Pow, "float64", [2, 2, 1, -1, NaN, 0, -8, -0, 4], [10, -1, NaN, Infinity, 0, -1, 1 / 3, -3, 0.5]))
      .toEqual([1024, 0.5, 1, 1, 1, Infinity, NaN, -Infinity, 2]);
    expect(bin(Prim.Pow, "float32", [2, 10], [0.5, 39])).toEqual([Math.fround(Math.SQRT2), Infinity]);
    expect(() => bin(Prim.Pow, "int32", [2], [2])).toThrow(DTypeError);
  });
});

describe("comparisons", () => {
  const cmp = (p: KernelPrim, dtype: DType, xs: number[], ys: number[]) => bin(p, dtype, xs, ys, "bool");
  const xs = [1, 2, 3, NaN, -0, -Infinity];
  const ys = [2, 2, 2, NaN, 0, -Infinity];

  it("on floats, NaN is unordered and -0 equals +0", () => {
    expect(cmp(Prim.Eq, "float32", xs, ys)).toEqual([0, 1, 0, 0, 1, 1]);
    expect(cmp(Prim.Ne, "float32", xs, ys)).toEqual([1, 0, 1, 1, 0, 0]);
    expect(cmp(Prim.Lt, "float64", xs, ys)).toEqual([1, 0, 0, 0, 0, 0]);
    expect(cmp(Prim.Le, "float64", xs, ys)).toEqual([1, 1, 0, 0, 1, 1]);
    expect(cmp(Prim.Gt, "float32", xs, ys)).toEqual([0, 0, 1, 0, 0, 0]);
    expect(cmp(Prim.Ge, "float32", xs, ys)).toEqual([0, 1, 1, 0, 1, 1]);
  });

  it("on integers, uint32 compares as unsigned", () => {
    expect(cmp(Prim.Lt, "int32", [-1, I32_MIN, 5], [0, I32_MAX, 5])).toEqual([1, 1, 0]);
    expect(cmp(Prim.Gt, "uint32", [U32_MAX, 0, 2 ** 31], [1, 0, 2 ** 31 - 1])).toEqual([1, 0, 1]);
    expect(cmp(Prim.Ge, "uint32", [0], [U32_MAX])).toEqual([0]);
    expect(cmp(Prim.Eq, "int32", [-1, 3], [-1, 4])).toEqual([1, 0]);
  });

  it("on bool, false < true", () => {
    expect(cmp(Prim.Lt, "bool", [0, 0, 1, 1], [0, 1, 0, 1])).toEqual([0, 1, 0, 0]);
    expect(cmp(Prim.Ne, "bool", [0, 0, 1, 1], [0, 1, 0, 1])).toEqual([0, 1, 1, 0]);
    expect(cmp(Prim.Le, "bool", [0, 0, 1, 1], [0, 1, 0, 1])).toEqual([1, 1, 0, 1]);
  });

  it("Lt/Gt/Eq are consistent with each other on int32", () => {
    fc.assert(
      fc.property(i32, i32, (a, b) => {
        const [lt, gt, eq] = ([Prim.Lt, Prim.Gt, Prim.Eq] as const).map((p) => cmp(p, "int32", [a], [b])[0]);
        expect(lt! + gt! + eq!).toBe(1);
        expect(lt).toBe(a < b ? 1 : 0);
      }),
    );
  });
});

// --- convert_element_type ------------------------------------------------------------------------

describe("convert_element_type", () => {
  const cvt = (from: DType, to: DType, xs: readonly number[]) =>
    run(Prim.ConvertElementType, [v(from, xs)], { newDtype: to, weakType: false, sharding: null }, [to, [xs.length]]);

  it("float → int32 truncates toward zero, saturates, NaN → 0", () => {
    expect(cvt("float32", "int32", [1.9, -1.9, NaN, Infinity, -Infinity, 3e9, -3e9, -0.5, 2147483520]))
      .toEqual([1, -1, 0, I32_MAX, I32_MIN, I32_MAX, I32_MIN, 0, 2147483520]);
    expect(cvt("float64", "int32", [2147483647.9, -2147483648.9, 2147483648])).toEqual([I32_MAX, I32_MIN, I32_MAX]);
  });

  it("float → uint32 truncates, saturates at 0 and 2^32-1, NaN → 0", () => {
    expect(cvt("float64", "uint32", [1.9, -1.9, NaN, Infinity, -Infinity, 5e9, 4294967295.5, -0.9]))
      .toEqual([1, 0, 0, U32_MAX, 0, U32_MAX, U32_MAX, 0]);
    expect(cvt("float32", "uint32", [3e9, 4294967296])).toEqual([3e9, U32_MAX]);
  });

  it("anything → bool is x != 0, NaN → true", () => {
    expect(cvt("float32", "bool", [0, -0, NaN, 0.1, -Infinity, 1e-45])).toEqual([0, 0, 1, 1, 1, 1]);
    expect(cvt("float64", "bool", [5e-324])).toEqual([1]);
    expect(cvt("int32", "bool", [0, -5, I32_MIN])).toEqual([0, 1, 1]);
    expect(cvt("uint32", "bool", [0, U32_MAX, 256])).toEqual([0, 1, 1]);
    expect(cvt("bool", "bool", [0, 1])).toEqual([0, 1]);
  });

  it("int32 ↔ uint32 reinterpret the bits", () => {
    expect(cvt("int32", "uint32", [-1, I32_MIN, 5, 0])).toEqual([U32_MAX, 2 ** 31, 5, 0]);
    expect(cvt("uint32", "int32", [U32_MAX, 2 ** 31, 5])).toEqual([-1, I32_MIN, 5]);
  });

  it("→ float32 rounds to nearest even", () => {
    const tieDown = 1 + 2 ** -24; // halfway between 1 and 1+2^-23: even is 1
    const tieUp = 1 + 3 * 2 ** -24; // halfway between 1+2^-23 and 1+2^-22: even is 1+2^-22
    expect(cvt("float64", "float32", [0.1, tieDown, tieUp, 1e39, -1e39, 1e-50, -1e-50, NaN]))
      .toEqual([Math.fround(0.1), 1, 1 + 2 ** -22, Infinity, -Infinity, 0, -0, NaN]);
    expect(cvt("int32", "float32", [16777217, 16777219, -16777217, I32_MAX])).toEqual([16777216, 16777220, -16777216, 2 ** 31]);
    expect(cvt("uint32", "float32", [U32_MAX])).toEqual([2 ** 32]);
    expect(cvt("float32", "float64", [Math.fround(0.1)])).toEqual([Math.fround(0.1)]);
  });

  it("bool → numbers is 0/1; ints → float64 are exact", () => {
    for (const to of ["float32", "float64", "int32", "uint32"] as const) {
      expect(cvt("bool", to, [0, 1, 1])).toEqual([0, 1, 1]);
    }
    expect(cvt("int32", "float64", [I32_MIN, I32_MAX])).toEqual([I32_MIN, I32_MAX]);
    expect(cvt("uint32", "float64", [U32_MAX])).toEqual([U32_MAX]);
  });

  it("round trips: int32→uint32→int32, int32→float64→int32, float32→float64→float32", () => {
    fc.assert(
      fc.property(i32, fc.float(), (a, x) => {
        expect(cvt("uint32", "int32", cvt("int32", "uint32", [a]))).toEqual([a]);
        expect(cvt("float64", "int32", cvt("int32", "float64", [a]))).toEqual([a]);
        expect(cvt("float64", "float32", cvt("float32", "float64", [x]))).toEqual([x]);
      }),
    );
  });

  it("convertValue returns the stored number itself (NaN → 0 before any TypedArray)", () => {
    expect(convertValue(NaN, "float32", "int32")).toBe(0);
    expect(convertValue(NaN, "float64", "uint32")).toBe(0);
    expect(convertValue(-1, "int32", "uint32")).toBe(U32_MAX);
    expect(convertValue(0.1, "float64", "float32")).toBe(Math.fround(0.1));
  });

  it("float → int32 lies between trunc and the saturation bounds", () => {
    fc.assert(
      fc.property(fc.double(), (x) => {
        const got = cvt("float64", "int32", [x])[0]!;
        const want = Number.isNaN(x) ? 0 : Math.max(I32_MIN, Math.min(I32_MAX, Math.trunc(x)));
        expect(got).toBe(want === 0 ? 0 : want);
      }),
    );
  });
});

// --- select_n -----------------------------------------------------------------------------------------

describe("select_n", () => {
  it("bool predicate picks cases[0] on false and cases[1] on true", () => {
    const got = run(Prim.SelectN, [v("bool", [1, 0, 1]), v("float32", [10, 20, 30]), v("float32", [1, 2, 3])], NONE, ["float32", [3]]);
    expect(got).toEqual([1, 20, 3]);
  });

  it("a scalar predicate selects whole arrays", () => {
    const cases = [h("int32", [2, 2], [1, 2, 3, 4]), h("int32", [2, 2], [5, 6, 7, 8])];
    expect(run(Prim.SelectN, [h("bool", [], [1]), ...cases], NONE, ["int32", [2, 2]])).toEqual([5, 6, 7, 8]);
    expect(run(Prim.SelectN, [h("bool", [], [0]), ...cases], NONE, ["int32", [2, 2]])).toEqual([1, 2, 3, 4]);
  });

  it("an int32 predicate indexes n cases; out-of-range indices clamp", () => {
    const cases = [v("float64", [0, 0, 0, 0, 0]), v("float64", [1, 1, 1, 1, 1]), v("float64", [2, 2, 2, 2, 2])];
    expect(run(Prim.SelectN, [v("int32", [2, 0, 1, -1, 5]), ...cases], NONE, ["float64", [5]])).toEqual([2, 0, 1, 0, 2]);
  });

  it("works on bool and uint32 cases, and with one case", () => {
    expect(run(Prim.SelectN, [v("bool", [0, 1]), v("bool", [1, 1]), v("bool", [0, 0])], NONE, ["bool", [2]])).toEqual([1, 0]);
    expect(run(Prim.SelectN, [v("int32", [0, 0]), v("uint32", [U32_MAX, 7])], NONE, ["uint32", [2]])).toEqual([U32_MAX, 7]);
  });

  it("rejects a float predicate", () => {
    expect(() => run(Prim.SelectN, [v("float32", [1]), v("float32", [1]), v("float32", [2])], NONE, ["float32", [1]])).toThrow(DTypeError);
  });

  it("agrees with an elementwise choice", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }).chain((n) =>
          fc.tuple(
            fc.array(fc.integer({ min: -2, max: 6 }), { minLength: 0, maxLength: 6 }),
            fc.constant(n),
          ),
        ),
        ([which, n]) => {
          const cases = Array.from({ length: n }, (_, k) => v("int32", which.map((_, i) => 100 * k + i)));
          const got = run(Prim.SelectN, [v("int32", which), ...cases], NONE, ["int32", [which.length]]);
          expect(got).toEqual(which.map((w, i) => 100 * Math.min(n - 1, Math.max(0, w)) + i));
        },
      ),
    );
  });
});

// --- elementwise on zero-size and higher-rank arrays -----------------------------------------------------

describe("elementwise shapes", () => {
  it("zero-size operands give zero-size results", () => {
    const e = h("float32", [2, 0, 3], []);
    expect(run(Prim.Add, [e, e], NONE, ["float32", [2, 0, 3]])).toEqual([]);
    expect(run(Prim.Sin, [e], NONE, ["float32", [2, 0, 3]])).toEqual([]);
    expect(run(Prim.Lt, [e, e], NONE, ["bool", [2, 0, 3]])).toEqual([]);
    expect(run(Prim.SelectN, [h("bool", [], [1]), e, e], NONE, ["float32", [2, 0, 3]])).toEqual([]);
  });

  it("a rank-0 operand stands for every element (as abstract evaluation allows)", () => {
    const m = h("float32", [2, 2], [1, 2, 3, 4]);
    const two = h("float32", [], [2]);
    expect(run(Prim.Mul, [m, two], NONE, ["float32", [2, 2]])).toEqual([2, 4, 6, 8]);
    expect(run(Prim.Sub, [two, m], NONE, ["float32", [2, 2]])).toEqual([1, 0, -1, -2]);
    expect(run(Prim.Pow, [m, two], NONE, ["float32", [2, 2]])).toEqual([1, 4, 9, 16]);
    expect(run(Prim.Ge, [m, two], NONE, ["bool", [2, 2]])).toEqual([0, 1, 1, 1]);
    expect(run(Prim.Div, [h("int32", [], [7]), h("int32", [3], [2, 0, -7])], NONE, ["int32", [3]])).toEqual([3, -1, -1]);
    expect(run(Prim.Add, [h("float32", [0], []), two], NONE, ["float32", [0]])).toEqual([]);
    // select_n: scalar cases with a shaped predicate, and a mix of scalar and shaped cases
    expect(run(Prim.SelectN, [v("bool", [1, 0, 1]), h("int32", [], [5]), h("int32", [], [9])], NONE, ["int32", [3]]))
      .toEqual([9, 5, 9]);
    expect(run(Prim.SelectN, [v("int32", [0, 1, 0]), h("int32", [], [5]), v("int32", [1, 2, 3])], NONE, ["int32", [3]]))
      .toEqual([5, 2, 5]);
  });

  it("size-1 axes of equal-rank operands repeat (as abstract evaluation allows)", () => {
    const col = h("int32", [2, 1], [10, 20]);
    const row = h("int32", [1, 3], [1, 2, 3]);
    expect(run(Prim.Add, [col, row], NONE, ["int32", [2, 3]])).toEqual([11, 12, 13, 21, 22, 23]);
    expect(run(Prim.Lt, [row, col], NONE, ["bool", [2, 3]])).toEqual([1, 1, 1, 1, 1, 1]);
    expect(run(Prim.Max, [h("float32", [2, 2], [0, 5, 0, 5]), h("float32", [1, 2], [3, NaN])], NONE, ["float32", [2, 2]]))
      .toEqual([3, NaN, 3, NaN]);
    expect(run(Prim.Mul, [h("float32", [0, 1], []), h("float32", [1, 3], [1, 2, 3])], NONE, ["float32", [0, 3]])).toEqual([]);
    expect(run(Prim.SelectN, [h("bool", [2, 1], [0, 1]), row, h("int32", [2, 3], [7, 7, 7, 8, 8, 8])], NONE, ["int32", [2, 3]]))
      .toEqual([1, 2, 3, 8, 8, 8]);
  });

  it("broadcast binary ops read each operand at the broadcast coordinate", () => {
    const arb = fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 2 })), { maxLength: 3 });
    fc.assert(
      fc.property(arb, fc.boolean(), (dims, scalarY) => {
        // each axis: 0 → both full, 1 → x has size 1, 2 → y has size 1
        const out = dims.map(([n]) => n);
        const xs = dims.map(([n, k]) => (k === 1 ? 1 : n));
        const ys = scalarY ? [] : dims.map(([n, k]) => (k === 2 ? 1 : n));
        const size = (s: number[]) => s.reduce((a, b) => a * b, 1);
        const x = Array.from({ length: size(xs) }, (_, i) => i);
        const y = Array.from({ length: size(ys) }, (_, i) => 1000 * i);
        const got = run(Prim.Add, [h("float64", xs, x), h("float64", ys, y)], NONE, ["float64", out]);
        const at = (flat: number, shape: number[]) => {
          // coordinate in `out` → row-major offset in `shape` (right-aligned, size-1 axes fixed at 0)
          let rem = flat;
          const idx = out.map(() => 0);
          for (let d = out.length - 1; d >= 0; d--) ((idx[d] = rem % out[d]!), (rem = Math.floor(rem / out[d]!)));
          const lead = out.length - shape.length;
          return shape.reduce((acc, s, k) => acc * s + (s === 1 ? 0 : idx[k + lead]!), 0);
        };
        expect(got).toEqual(Array.from({ length: size(out) }, (_, i) => x[at(i, xs)]! + y[at(i, ys)]!));
      }),
    );
  });

  it("rank-0 and rank-2 operands work elementwise in row-major order", () => {
    expect(run(Prim.Mul, [h("int32", [], [6]), h("int32", [], [7])], NONE, ["int32", []])).toEqual([42]);
    expect(run(Prim.Sub, [h("float64", [2, 2], [1, 2, 3, 4]), h("float64", [2, 2], [4, 3, 2, 1])], NONE, ["float64", [2, 2]]))
      .toEqual([-3, -1, 1, 3]);
  });
});
