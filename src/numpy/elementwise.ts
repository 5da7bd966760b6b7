/**
 * Elementwise math composed from the existing primitives, with jnp's promotion:
 * the float-only functions promote integer and bool inputs to float32 first
 * (JAX's promote_args_inexact); binary functions broadcast as numpy does.
 */
import type { Array } from "../trace/array.js";
import {
  type ArrayLike,
  abs,
  add,
  asArray,
  binary,
  broadcastTo,
  div,
  equal,
  exp,
  greater,
  less,
  log,
  maximum,
  minimum,
  mul,
  neg,
  pow,
  promote,
  scalar,
  sqrt,
  square,
  sub,
  sin,
  unaryFloat,
  where,
} from "../trace/array-ops.js";
import { Prim } from "../trace/prim.js";
import { bind1 } from "../trace/trace.js";
import { stopGradient } from "../lax/autodiff.js";
import { checkBroadcast, checkOptions, finfoMax, isFloatArray, toInexact } from "./internal.js";
import { isfinite, isinf, isnan, isneginf, isposinf, logicalOr, signbitNoNan } from "./logic.js";
import { tidy } from "../trace/memory.js";

/** Both operands promoted together, then to float (jnp's promote_args_inexact). */
function inexactPair(op: string, x: ArrayLike, y: ArrayLike): [Array, Array] {
  checkBroadcast(op, x, y);
  const [a, b] = promote(op, x, y) as [Array, Array];
  return [toInexact(a, op), toInexact(b, op)];
}

/** The identity (jnp.positive): returns `x` as an Array. */
export const positive = (x: ArrayLike): Array => asArray(x, "positive");

/** |x| as a float (jnp.fabs promotes integers to float). */
export function fabs(x: ArrayLike): Array {
  const a = asArray(x, "fabs");
  return isFloatArray(a) ? abs(a) : tidy(() => abs(toInexact(a, "fabs")));
}

/** 1/x, as integer_pow(x, -1); integers are promoted to float first. */
export function reciprocal(x: ArrayLike): Array {
  const a = asArray(x, "reciprocal");
  // An integer or bool input is cast first; the scope frees the cast.
  return isFloatArray(a) ? bind1(Prim.IntegerPow, [a], { y: -1 }) : tidy(() => bind1(Prim.IntegerPow, [toInexact(a, "reciprocal")], { y: -1 }));
}

/** Base-2 logarithm: log(x) / log(2). */
export const log2 = (x: ArrayLike): Array => tidy<Array>(() => div(log(toInexact(x, "log2")), Math.LN2));

/** Base-10 logarithm: log(x) / log(10). */
export const log10 = (x: ArrayLike): Array => tidy<Array>(() => div(log(toInexact(x, "log10")), Math.LN10));

/** 2**x (the exp2 primitive). */
export const exp2 = unaryFloat(Prim.Exp2, "exp2");

// Trigonometric, hyperbolic and their inverses; exp(x) - 1, log(1 + x), cube root.
export const tan = unaryFloat(Prim.Tan, "tan");
export const arcsin = unaryFloat(Prim.Asin, "arcsin");
export const arccos = unaryFloat(Prim.Acos, "arccos");
export const arctan = unaryFloat(Prim.Atan, "arctan");
export const sinh = unaryFloat(Prim.Sinh, "sinh");
export const cosh = unaryFloat(Prim.Cosh, "cosh");
export const arcsinh = unaryFloat(Prim.Asinh, "arcsinh");
export const arccosh = unaryFloat(Prim.Acosh, "arccosh");
export const arctanh = unaryFloat(Prim.Atanh, "arctanh");
export const expm1 = unaryFloat(Prim.Expm1, "expm1");
export const log1p = unaryFloat(Prim.Log1p, "log1p");
export const cbrt = unaryFloat(Prim.Cbrt, "cbrt");
// numpy 2's names.
export { arcsin as asin, arccos as acos, arctan as atan, arcsinh as asinh, arccosh as acosh, arctanh as atanh };

/** The angle of the point (x2, x1) from the positive x2 axis, in (-pi, pi]. */
export function arctan2(x1: ArrayLike, x2: ArrayLike): Array {
  return tidy<Array>(() => {
    const [a, b] = inexactPair("arctan2", x1, x2);
    return binary(Prim.Atan2, "arctan2", a, b);
  });
}
export const atan2 = arctan2;

/**
 * The normalized sinc, sin(pi x) / (pi x), and 1 at 0. Its derivative at 0 is 0
 * (exact); higher derivatives at exactly 0 are not (jnp.sinc has a custom rule there).
 */
export function sinc(x: ArrayLike): Array {
  return tidy<Array>(() => {
    const a = toInexact(x, "sinc");
    const zero = equal(a, 0);
    const px = mul(where(zero, 1, a), Math.PI);
    return where(zero, 1, div(sin(px), px));
  });
}

/** Degrees to radians. */
export const deg2rad = (x: ArrayLike): Array => tidy<Array>(() => mul(toInexact(x, "deg2rad"), Math.PI / 180));
/** Radians to degrees. */
export const rad2deg = (x: ArrayLike): Array => tidy<Array>(() => mul(toInexact(x, "rad2deg"), 180 / Math.PI));
export const radians = deg2rad;
export const degrees = rad2deg;

/**
 * The magnitude of `x1` with the sign of `x2`. The sign of -0 counts as negative; the
 * sign bit of a NaN `x2` is not visible without a bitcast primitive, so NaN counts as positive.
 */
export function copysign(x1: ArrayLike, x2: ArrayLike): Array {
  return tidy<Array>(() => {
    const [a, b] = inexactPair("copysign", x1, x2);
    const m = abs(a);
    return where(signbitNoNan(b), neg(m), m);
  });
}

/** sqrt(x1² + x2²) without intermediate overflow or underflow; inf if either is infinite. */
export function hypot(x1: ArrayLike, x2: ArrayLike): Array {
  return tidy<Array>(() => {
    const [a0, b0] = inexactPair("hypot", x1, x2);
    const a = abs(a0);
    const b = abs(b0);
    const hi = maximum(a, b);
    const lo = minimum(a, b);
    const zero = equal(hi, 0);
    const ratio = div(lo, where(zero, 1, hi));
    const r = where(zero, 0, mul(hi, sqrt(add(square(ratio), 1))));
    return where(logicalOr(isinf(a), isinf(b)), Infinity, r);
  });
}

/** log(exp(x1) + exp(x2)), computed stably around max(x1, x2). */
export function logaddexp(x1: ArrayLike, x2: ArrayLike): Array {
  return tidy<Array>(() => {
    const [a, b] = inexactPair("logaddexp", x1, x2);
    const m = shift(maximum(a, b));
    return add(log(add(exp(sub(a, m)), exp(sub(b, m)))), m);
  });
}

/** log2(2**x1 + 2**x2), computed stably around max(x1, x2). */
export function logaddexp2(x1: ArrayLike, x2: ArrayLike): Array {
  return tidy<Array>(() => {
    const [a, b] = inexactPair("logaddexp2", x1, x2);
    const m = shift(maximum(a, b));
    const p2 = (v: Array): Array => exp(mul(sub(v, m), Math.LN2));
    return add(div(log(add(p2(a), p2(b))), Math.LN2), m);
  });
}

/** The stabilising shift: max where finite, else 0, with no derivative (it cancels). */
const shift = (m: Array): Array => stopGradient(where(isfinite(m), m, 0));

/** Elementwise maximum that ignores NaN (returns the other operand); NaN only if both are. */
export function fmax(x1: ArrayLike, x2: ArrayLike): Array {
  return tidy<Array>(() => {
    checkBroadcast("fmax", x1, x2);
    const [a, b] = promote("fmax", x1, x2) as [Array, Array];
    return where(logicalOr(greater(a, b), isnan(b)), a, b);
  });
}

/** Elementwise minimum that ignores NaN (returns the other operand); NaN only if both are. */
export function fmin(x1: ArrayLike, x2: ArrayLike): Array {
  return tidy<Array>(() => {
    checkBroadcast("fmin", x1, x2);
    const [a, b] = promote("fmin", x1, x2) as [Array, Array];
    return where(logicalOr(less(a, b), isnan(b)), a, b);
  });
}

/** 0 where x1 < 0, 1 where x1 > 0, else x2 (also for NaN x1, as jnp.heaviside). */
export function heaviside(x1: ArrayLike, x2: ArrayLike): Array {
  return tidy<Array>(() => {
    const [a, b] = inexactPair("heaviside", x1, x2);
    return where(less(a, 0), 0, where(greater(a, 0), 1, b));
  });
}

/** x1 ** x2 with both promoted to float (jnp.float_power computes in the widest float). */
export function floatPower(x1: ArrayLike, x2: ArrayLike): Array {
  return tidy<Array>(() => {
    const [a, b] = inexactPair("float_power", x1, x2);
    return pow(a, b);
  });
}

/** Limits values to [min, max] (either bound may be null), as jnp.clip: maximum then minimum. */
export function clip(x: ArrayLike, min: ArrayLike | null = null, max: ArrayLike | null = null): Array {
  return tidy<Array>(() => {
    let out = asArray(x, "clip");
    if (min !== null) out = maximum(min, out);
    if (max !== null) out = minimum(max, out);
    return out;
  });
}

export interface NanToNumOptions {
  /** Replaces NaN (default 0). */
  readonly nan?: number;
  /** Replaces +inf (default: the dtype's largest finite value). */
  readonly posinf?: number | null;
  /** Replaces -inf (default: the dtype's most negative finite value). */
  readonly neginf?: number | null;
}

/** Replaces NaN and ±inf by finite numbers; integer and bool arrays pass through. */
export function nanToNum(x: ArrayLike, opts: NanToNumOptions = {}): Array {
  return tidy<Array>(() => {
    checkOptions("nanToNum", opts, ["nan", "posinf", "neginf"]);
    const a = asArray(x, "nanToNum");
    if (!isFloatArray(a)) return a;
    const big = finfoMax(a.dtype);
    let out = where(isnan(a), opts.nan ?? 0, a);
    out = where(isposinf(out), opts.posinf ?? big, out);
    return where(isneginf(out), opts.neginf ?? -big, out);
  });
}

/** The real part: the identity for ferrax's real dtypes. */
export const real = (x: ArrayLike): Array => asArray(x, "real");
/** The imaginary part: zeros for real dtypes. */
export function imag(x: ArrayLike): Array {
  const a = asArray(x, "imag");
  return broadcastTo(scalar(0, a.dtype, a.weakType), a.shape);
}
/** The complex conjugate: the identity for real dtypes. */
export const conj = (x: ArrayLike): Array => asArray(x, "conj");
export const conjugate = conj;
