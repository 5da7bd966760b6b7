/**
 * A float's parts: frexp (mantissa and exponent), ldexp (its inverse), modf
 * (fractional and integral parts), composed of exact operations: products and
 * quotients by powers of two (pow(2, k) is exact for integer k) and trunc.
 */
import { DTypeError, isFloat } from "../core/index.js";
import type { Array } from "../trace/array.js";
import { type ArrayLike, abs, add, asArray, convert, div, equal, greaterEqual, less, log, mul, pow, sub, where } from "../trace/array-ops.js";
import { copysign } from "./elementwise.js";
import { isfinite, isinf, logicalNot, logicalOr } from "./logic.js";
import { floor, trunc } from "./rounding.js";
import { checkBroadcast, toInexact } from "./internal.js";
import { tidy } from "../trace/memory.js";

/** 2^k for an integer-valued float array k (of the result's dtype). */
const pow2 = (k: Array): Array => pow(2, k);

/**
 * [mantissa, exponent] with x = mantissa · 2^exponent, 0.5 <= |mantissa| < 1 (int32
 * exponent; 0, ±inf and NaN give [x, 0]), as numpy.frexp.
 */
export function frexp(x: ArrayLike): [Array, Array] {
  return tidy<[Array, Array]>(() => {
    const a = toInexact(x, "frexp");
    const special = logicalOr(equal(a, 0), logicalNot(isfinite(a)));
    const safe = where(special, 1, abs(a));
    // floor(log2|x|) is right to within one; the two corrections below make it exact.
    let e = add(floor(div(log(safe), Math.LN2)), 1);
    let m = scale(a, e, -1);
    const big = greaterEqual(abs(m), 1);
    m = where(big, div(m, 2), m);
    e = where(big, add(e, 1), e);
    const small = less(abs(m), 0.5);
    m = where(small, mul(m, 2), m);
    e = where(small, sub(e, 1), e);
    return [where(special, a, m), where(special, 0, convert(e, "int32"))];
  });
}

/** x1 · 2^x2 for integer x2 (in steps, so it neither overflows nor underflows early), as numpy.ldexp. */
export function ldexp(x1: ArrayLike, x2: ArrayLike): Array {
  return tidy<Array>(() => {
    checkBroadcast("ldexp", x1, x2);
    const a = toInexact(x1, "ldexp");
    const n = asArray(x2, "ldexp");
    if (isFloat(n.dtype) || n.dtype === "bool") {
      throw new DTypeError(`ldexp: the exponent must be an integer array, got ${n.aval.strShort()}; cast it with .astype('int32').`);
    }
    return scale(a, convert(n, a.dtype), 1);
  });
}

/**
 * x · 2^(sign·k) in four steps of 2^q (q = floor(k/4)) and one of the rest, so that no
 * power of two overflows or underflows on its own while the result is representable
 * (2^260 is not an f32; 2^-140 · 2^260 is). Exact unless the result is subnormal.
 */
function scale(x: Array, k: Array, sign: 1 | -1): Array {
  const q = floor(div(k, 4));
  const by = (v: Array, p: Array) => (sign === 1 ? mul(v, pow2(p)) : div(v, pow2(p)));
  return by(by(by(by(x, q), q), q), sub(k, mul(q, 3)));
}

/** [fractional, integral] parts of x, both with x's sign (±inf: [±0, ±inf]), as numpy.modf. */
export function modf(x: ArrayLike): [Array, Array] {
  return tidy<[Array, Array]>(() => {
    const a = toInexact(x, "modf");
    const whole = trunc(a);
    const frac = where(isinf(a), 0, sub(a, whole));
    return [copysign(frac, a), whole];
  });
}
