/**
 * Elementwise primitives: unary math, binary arithmetic, comparisons, integer_pow.
 *
 * Operands of a binary primitive have equal dtypes and equal shapes up to the
 * broadcasting abstract evaluation allows (rank-0 operands, size-1 axes). Every result is rounded to its dtype by storing it into
 * the output TypedArray: floats are computed in f64 with `Math.*` and float32 stores
 * round to nearest even; int32 and uint32 arithmetic wraps modulo 2^32.
 */
import { type DType, type ShapedArray, type TypedArray, ArgumentError, isFloat } from "../../core/index.js";
import { Prim } from "../../trace/prim.js";
import {
  type ImplRule,
  INT32_MIN,
  UINT32_MAX,
  allocate,
  first,
  operandOffsets,
  requireDtype,
  requireFloat,
  requireNumeric,
} from "./common.js";
import * as special from "./special.js";

type Fn1 = (x: number) => number;
type Fn2 = (x: number, y: number) => number;

function map1(x: TypedArray, dtype: DType, f: Fn1): TypedArray {
  const out = allocate(dtype, x.length);
  for (let i = 0; i < x.length; i++) out[i] = f(x[i]!);
  return out;
}

/**
 * Applies `f` pairwise. Operands have the output's shape up to broadcasting: a
 * rank-0 operand stands for every element and size-1 axes repeat (abstract
 * evaluation allows `mul b 2.0:f32[]` and `add d:f32[4,16] e:f32[1,16]`).
 */
function map2(
  inputs: readonly TypedArray[],
  inAvals: readonly ShapedArray[],
  outAvals: readonly ShapedArray[],
  f: Fn2,
): TypedArray {
  const x = inputs[0]!;
  const y = inputs[1]!;
  const outAval = first(outAvals);
  const xAt = operandOffsets(inAvals[0]!.shape, outAval.shape);
  const yAt = operandOffsets(inAvals[1]!.shape, outAval.shape);
  const out = allocate(outAval.dtype, outAval.size);
  for (let i = 0; i < out.length; i++) {
    out[i] = f(x[xAt ? xAt[i]! : i]!, y[yAt ? yAt[i]! : i]!);
  }
  return out;
}

// --- Unary --------------------------------------------------------------------------

/** A float-only unary op computed in f64 and rounded to the operand's dtype. */
function floatUnary<P extends Prim>(prim: P, f: Fn1): ImplRule<P> {
  return (inputs, inAvals) => {
    const dtype = first(inAvals).dtype;
    requireFloat(prim, dtype);
    return [map1(first(inputs), dtype, f)];
  };
}

/** A numeric unary op with one scalar function per numeric dtype. */
function numericUnary<P extends Prim>(
  prim: P,
  fns: { float: Fn1; int32: Fn1; uint32: Fn1 },
): ImplRule<P> {
  return (inputs, inAvals) => {
    const dtype = first(inAvals).dtype;
    requireNumeric(prim, dtype);
    const f = isFloat(dtype) ? fns.float : dtype === "int32" ? fns.int32 : fns.uint32;
    return [map1(first(inputs), dtype, f)];
  };
}

export const logistic: Fn1 = (x) => 1 / (1 + Math.exp(-x));

/** IEEE sign: ±1 for nonzero numbers, and ±0 and NaN are returned as they are. */
const floatSign: Fn1 = (x) => (x > 0 ? 1 : x < 0 ? -1 : x);

export const unaryRules = {
  [Prim.Neg]: numericUnary(Prim.Neg, {
    float: (x) => -x,
    int32: (x) => -x | 0, // -INT32_MIN wraps to INT32_MIN
    uint32: (x) => -x >>> 0,
  }),
  [Prim.Exp]: floatUnary(Prim.Exp, Math.exp),
  [Prim.Log]: floatUnary(Prim.Log, Math.log),
  [Prim.Sin]: floatUnary(Prim.Sin, Math.sin),
  [Prim.Cos]: floatUnary(Prim.Cos, Math.cos),
  [Prim.Tanh]: floatUnary(Prim.Tanh, Math.tanh),
  [Prim.Sqrt]: floatUnary(Prim.Sqrt, Math.sqrt),
  [Prim.Logistic]: floatUnary(Prim.Logistic, logistic),
  [Prim.Abs]: numericUnary(Prim.Abs, {
    float: Math.abs,
    int32: (x) => Math.abs(x) | 0, // |INT32_MIN| wraps to INT32_MIN
    uint32: (x) => x,
  }),
  [Prim.Sign]: numericUnary(Prim.Sign, {
    float: floatSign,
    int32: (x) => (x > 0 ? 1 : x < 0 ? -1 : 0),
    uint32: (x) => (x > 0 ? 1 : 0),
  }),
} satisfies { [P in Prim]?: ImplRule<P> };

// --- integer_pow --------------------------------------------------------------------

/** x^n for an integer n ≥ 0 by binary exponentiation with the given multiply. */
function powBySquaring(x: number, n: number, mul: Fn2): number {
  let result = 1;
  let base = x;
  let e = n;
  while (e > 0) {
    if (e % 2 === 1) result = mul(result, base);
    e = Math.floor(e / 2);
    if (e > 0) base = mul(base, base);
  }
  return result;
}

/**
 * Floats: x^|y| by squaring in f64, then 1/that for negative y, rounded once to the
 * dtype (x^0 = 1, also for NaN). int32/uint32: wrapping multiplication; y must be ≥ 0.
 */
export const integerPowRule: ImplRule<Prim.IntegerPow> = (inputs, inAvals, { y }) => {
  const dtype = first(inAvals).dtype;
  requireNumeric(Prim.IntegerPow, dtype);
  if (!Number.isInteger(y)) {
    throw new ArgumentError(`integer_pow: exponent y must be an integer, got ${y}.`);
  }
  if (isFloat(dtype)) {
    const n = Math.abs(y);
    const f: Fn1 = (x) => {
      const p = powBySquaring(x, n, (a, b) => a * b);
      return y < 0 ? 1 / p : p;
    };
    return [map1(first(inputs), dtype, f)];
  }
  if (y < 0) {
    throw new ArgumentError(
      `integer_pow: a negative exponent (${y}) needs a float operand, got ${dtype}; ` +
        `convert to float first.`,
    );
  }
  const wrap: Fn1 = dtype === "int32" ? (v) => v | 0 : (v) => v >>> 0;
  return [map1(first(inputs), dtype, (x) => wrap(powBySquaring(x, y, Math.imul)))];
};

// --- Binary -------------------------------------------------------------------------

/**
 * C99/IEEE-754 `pow`, which Rust's `powf` and XLA follow. It differs from JS
 * `Math.pow` in two places: pow(1, y) = 1 for every y (also NaN), and
 * pow(-1, ±Infinity) = 1.
 */
export const ieeePow: Fn2 = (x, y) => {
  if (x === 1) return 1;
  if (x === -1 && (y === Infinity || y === -Infinity)) return 1;
  return Math.pow(x, y);
};

/** Truncating int32 division; x/0 = -1 and INT32_MIN/-1 = INT32_MIN (XLA's semantics). */
export const divInt32: Fn2 = (x, y) => {
  if (y === 0) return -1;
  if (x === INT32_MIN && y === -1) return INT32_MIN;
  return Math.trunc(x / y) | 0;
};

/** Truncating uint32 division; x/0 = 0xFFFFFFFF. */
export const divUint32: Fn2 = (x, y) => (y === 0 ? UINT32_MAX : Math.floor(x / y) >>> 0);

function numericBinary<P extends Prim>(
  prim: P,
  fns: { float: Fn2; int32: Fn2; uint32: Fn2 },
): ImplRule<P> {
  return (inputs, inAvals, _params, outAvals) => {
    const dtype = first(inAvals).dtype;
    requireNumeric(prim, dtype);
    const f = isFloat(dtype) ? fns.float : dtype === "int32" ? fns.int32 : fns.uint32;
    return [map2(inputs, inAvals, outAvals, f)];
  };
}

/** max/min on every dtype (bool: or/and). Math.max/min propagate NaN and order -0 < +0. */
function anyBinary<P extends Prim>(f: Fn2): ImplRule<P> {
  return (inputs, inAvals, _params, outAvals) => [map2(inputs, inAvals, outAvals, f)];
}

export const binaryRules = {
  [Prim.Add]: numericBinary(Prim.Add, {
    float: (x, y) => x + y,
    int32: (x, y) => (x + y) | 0,
    uint32: (x, y) => (x + y) >>> 0,
  }),
  [Prim.Sub]: numericBinary(Prim.Sub, {
    float: (x, y) => x - y,
    int32: (x, y) => (x - y) | 0,
    uint32: (x, y) => (x - y) >>> 0,
  }),
  [Prim.Mul]: numericBinary(Prim.Mul, {
    float: (x, y) => x * y,
    int32: Math.imul,
    uint32: (x, y) => Math.imul(x, y) >>> 0,
  }),
  [Prim.Div]: numericBinary(Prim.Div, {
    float: (x, y) => x / y,
    int32: divInt32,
    uint32: divUint32,
  }),
  [Prim.Max]: anyBinary<Prim.Max>(Math.max),
  [Prim.Min]: anyBinary<Prim.Min>(Math.min),
  [Prim.Pow]: ((inputs, inAvals, _params, outAvals) => {
    requireFloat(Prim.Pow, first(inAvals).dtype);
    return [map2(inputs, inAvals, outAvals, ieeePow)];
  }) as ImplRule<Prim.Pow>,
} satisfies { [P in Prim]?: ImplRule<P> };

// --- Comparisons --------------------------------------------------------------------

/** A comparison on any dtype, producing bool (0/1). NaN compares unequal to everything. */
function compare<P extends Prim>(test: (x: number, y: number) => boolean): ImplRule<P> {
  return (inputs, inAvals, _params, outAvals) => [
    map2(inputs, inAvals, outAvals, (x, y) => (test(x, y) ? 1 : 0)),
  ];
}

export const compareRules = {
  [Prim.Eq]: compare<Prim.Eq>((x, y) => x === y),
  [Prim.Ne]: compare<Prim.Ne>((x, y) => x !== y),
  [Prim.Lt]: compare<Prim.Lt>((x, y) => x < y),
  [Prim.Le]: compare<Prim.Le>((x, y) => x <= y),
  [Prim.Gt]: compare<Prim.Gt>((x, y) => x > y),
  [Prim.Ge]: compare<Prim.Ge>((x, y) => x >= y),
} satisfies { [P in Prim]?: ImplRule<P> };

// --- rounding, bitwise, transcendentals ----------------------------------------

/** Rounds halves away from zero; |x| - floor(|x|) is exact, so there is no double rounding. */
export const roundAway: Fn1 = (x) => {
  const a = Math.abs(x);
  const f = Math.floor(a);
  const r = a - f >= 0.5 ? f + 1 : f;
  return x < 0 || Object.is(x, -0) ? -r : r;
};

/** Rounds halves to even (Math.round takes halves up; move odd ties back down). */
export const roundEven: Fn1 = (x) => {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
};

/** A unary rule for integer dtypes (and bool where given). */
function intUnary<P extends Prim>(prim: P, fns: { int32: Fn1; uint32: Fn1; bool?: Fn1 }): ImplRule<P> {
  return (inputs, inAvals) => {
    const dtype = first(inAvals).dtype;
    const f = dtype === "int32" ? fns.int32 : dtype === "uint32" ? fns.uint32 : dtype === "bool" ? fns.bool : undefined;
    requireDtype(prim, dtype, () => f !== undefined, fns.bool ? "int32, uint32 and bool" : "int32 and uint32");
    return [map1(first(inputs), dtype, f!)];
  };
}

/** A binary rule for integer dtypes (and bool where given). */
function intBinary<P extends Prim>(prim: P, fns: { int32: Fn2; uint32: Fn2; bool?: Fn2 }): ImplRule<P> {
  return (inputs, inAvals, _params, outAvals) => {
    const dtype = first(inAvals).dtype;
    const f = dtype === "int32" ? fns.int32 : dtype === "uint32" ? fns.uint32 : dtype === "bool" ? fns.bool : undefined;
    requireDtype(prim, dtype, () => f !== undefined, fns.bool ? "int32, uint32 and bool" : "int32 and uint32");
    return [map2(inputs, inAvals, outAvals, f!)];
  };
}

const popcount32: Fn1 = (x) => {
  let v = x >>> 0;
  let n = 0;
  while (v !== 0) {
    v &= v - 1;
    n++;
  }
  return n;
};

/**
 * Shifts as XLA defines them: an amount outside [0, 32) (read as unsigned) shifts
 * every bit out, leaving 0, or the sign fill for the arithmetic right shift.
 */
const inRange = (y: number): boolean => y >>> 0 < 32;
const shl: Fn2 = (x, y) => (inRange(y) ? x << y : 0);
const shrLogical: Fn2 = (x, y) => (inRange(y) ? x >>> y : 0);
const shrArith: Fn2 = (x, y) => (x | 0) >> (inRange(y) ? y : 31);

export const roundingBitwiseSpecialUnaryRules = {
  [Prim.Floor]: floatUnary(Prim.Floor, Math.floor),
  [Prim.Ceil]: floatUnary(Prim.Ceil, Math.ceil),
  [Prim.Not]: intUnary(Prim.Not, { int32: (x) => ~x, uint32: (x) => ~x >>> 0, bool: (x) => (x ? 0 : 1) }),
  [Prim.PopulationCount]: intUnary(Prim.PopulationCount, { int32: popcount32, uint32: popcount32 }),
  [Prim.Clz]: intUnary(Prim.Clz, { int32: Math.clz32, uint32: Math.clz32 }),
  [Prim.Tan]: floatUnary(Prim.Tan, Math.tan),
  [Prim.Asin]: floatUnary(Prim.Asin, Math.asin),
  [Prim.Acos]: floatUnary(Prim.Acos, Math.acos),
  [Prim.Atan]: floatUnary(Prim.Atan, Math.atan),
  [Prim.Sinh]: floatUnary(Prim.Sinh, Math.sinh),
  [Prim.Cosh]: floatUnary(Prim.Cosh, Math.cosh),
  [Prim.Asinh]: floatUnary(Prim.Asinh, Math.asinh),
  [Prim.Acosh]: floatUnary(Prim.Acosh, Math.acosh),
  [Prim.Atanh]: floatUnary(Prim.Atanh, Math.atanh),
  [Prim.Exp2]: floatUnary(Prim.Exp2, (x) => Math.pow(2, x)),
  [Prim.Expm1]: floatUnary(Prim.Expm1, Math.expm1),
  [Prim.Log1p]: floatUnary(Prim.Log1p, Math.log1p),
  [Prim.Cbrt]: floatUnary(Prim.Cbrt, Math.cbrt),
  [Prim.Rsqrt]: floatUnary(Prim.Rsqrt, (x) => 1 / Math.sqrt(x)),
  [Prim.Erf]: floatUnary(Prim.Erf, special.erf),
  [Prim.Erfc]: floatUnary(Prim.Erfc, special.erfc),
  [Prim.ErfInv]: floatUnary(Prim.ErfInv, special.erfInv),
  [Prim.Lgamma]: floatUnary(Prim.Lgamma, special.lgamma),
  [Prim.Digamma]: floatUnary(Prim.Digamma, special.digamma),
} satisfies { [P in Prim]?: ImplRule<P> };

export const roundingBitwiseOtherRules = {
  [Prim.Round]: ((inputs, inAvals, { roundingMethod }) => {
    const dtype = first(inAvals).dtype;
    requireFloat(Prim.Round, dtype);
    return [map1(first(inputs), dtype, roundingMethod === 0 ? roundAway : roundEven)];
  }) as ImplRule<Prim.Round>,
  [Prim.IsFinite]: ((inputs, inAvals) => {
    requireFloat(Prim.IsFinite, first(inAvals).dtype);
    return [map1(first(inputs), "bool", (x) => (Number.isFinite(x) ? 1 : 0))];
  }) as ImplRule<Prim.IsFinite>,
  // C fmod for floats (JS % is fmod); integers truncate, x rem 0 = x and INT32_MIN rem -1 = 0, as XLA.
  [Prim.Rem]: numericBinary(Prim.Rem, {
    float: (x, y) => x % y,
    int32: (x, y) => (y === 0 ? x : (x % y) | 0),
    uint32: (x, y) => (y === 0 ? x : x % y),
  }),
  [Prim.And]: intBinary(Prim.And, { int32: (x, y) => x & y, uint32: (x, y) => (x & y) >>> 0, bool: (x, y) => x & y }),
  [Prim.Or]: intBinary(Prim.Or, { int32: (x, y) => x | y, uint32: (x, y) => (x | y) >>> 0, bool: (x, y) => x | y }),
  [Prim.Xor]: intBinary(Prim.Xor, { int32: (x, y) => x ^ y, uint32: (x, y) => (x ^ y) >>> 0, bool: (x, y) => x ^ y }),
  [Prim.ShiftLeft]: intBinary(Prim.ShiftLeft, { int32: (x, y) => shl(x, y) | 0, uint32: (x, y) => shl(x, y) >>> 0 }),
  [Prim.ShiftRightLogical]: intBinary(Prim.ShiftRightLogical, {
    int32: (x, y) => shrLogical(x, y) | 0,
    uint32: (x, y) => shrLogical(x, y) >>> 0,
  }),
  [Prim.ShiftRightArithmetic]: intBinary(Prim.ShiftRightArithmetic, {
    int32: shrArith,
    uint32: (x, y) => shrArith(x, y) >>> 0,
  }),
  [Prim.Atan2]: ((inputs, inAvals, _params, outAvals) => {
    requireFloat(Prim.Atan2, first(inAvals).dtype);
    return [map2(inputs, inAvals, outAvals, Math.atan2)];
  }) as ImplRule<Prim.Atan2>,
} satisfies { [P in Prim]?: ImplRule<P> };
