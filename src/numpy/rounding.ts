/**
 * Rounding and integer division with numpy's conventions, on the floor, ceil,
 * round and rem primitives. Integer (and bool) inputs of the rounding functions
 * are returned as they are, as jnp does (rint alone promotes them to float).
 * Division functions: fmod's result takes the dividend's sign (C fmod, lax.rem);
 * mod/remainder's takes the divisor's; floorDivide rounds the quotient down.
 */
import { DTypeError, isFloat } from "../core/index.js";
import type { Array } from "../trace/array.js";
import {
  type ArrayLike,
  add,
  asArray,
  binary,
  convert,
  div,
  equal,
  less,
  mul,
  notEqual,
  promote,
  sub,
  where,
} from "../trace/array-ops.js";
import { Prim, RoundingMethod } from "../trace/prim.js";
import { bind1 } from "../trace/trace.js";
import { checkBroadcast, isFloatArray, toInexact } from "./internal.js";
import { logicalAnd, signbitNoNan } from "./logic.js";
import { tidy } from "../trace/memory.js";

const floatOnly = (prim: Prim.Floor | Prim.Ceil, op: string) => (x: ArrayLike): Array => {
  const a = asArray(x, op);
  return isFloatArray(a) ? bind1(prim, [a], {}) : a;
};

/** The largest integer <= x (integers and bools pass through). */
export const floor = floatOnly(Prim.Floor, "floor");
/** The smallest integer >= x (integers and bools pass through). */
export const ceil = floatOnly(Prim.Ceil, "ceil");

const roundEven = (a: Array): Array => bind1(Prim.Round, [a], { roundingMethod: RoundingMethod.ToNearestEven });

/** Rounds toward zero (integers and bools pass through). */
export function trunc(x: ArrayLike): Array {
  return tidy<Array>(() => {
    const a = asArray(x, "trunc");
    if (!isFloatArray(a)) return a;
    return where(less(a, 0), ceil(a), floor(a));
  });
}
/** numpy.fix: rounds toward zero, as trunc. */
export const fix = trunc;

/**
 * Rounds to `decimals` decimal places, halves to even (as numpy and jnp.round):
 * round(x · 10^decimals) / 10^decimals. Integers pass through for decimals >= 0.
 */
export function round(x: ArrayLike, decimals = 0): Array {
  return tidy<Array>(() => {
    if (!Number.isInteger(decimals)) throw new DTypeError(`round: decimals must be an integer, got ${decimals}.`);
    const a = asArray(x, "round");
    if (!isFloatArray(a)) {
      if (decimals >= 0) return a;
      return convert(round(convert(a, "float64"), decimals), a.dtype);
    }
    if (decimals === 0) return roundEven(a);
    const factor = 10 ** decimals;
    return div(roundEven(mul(a, factor)), factor);
  });
}
export const around = round;

/** Rounds to the nearest integer, halves to even; integers and bools become float (jnp.rint). */
export const rint = (x: ArrayLike): Array => tidy<Array>(() => roundEven(toInexact(x, "rint")));

/**
 * Promoted operands for the division family (bool refused) and the divisor to divide
 * by: integer division by zero divides by 1 instead, and the callers give 0 there
 * (numpy's results for integer x // 0 and x % 0).
 */
function divisionOperands(op: string, x1: ArrayLike, x2: ArrayLike): { a: Array; b: Array; safe: Array; zero: Array | null } {
  checkBroadcast(op, x1, x2);
  const [a, b] = promote(op, x1, x2) as [Array, Array];
  if (a.dtype === "bool") {
    throw new DTypeError(`${op}: got bool operands; cast them first with .astype('int32') or .astype('float32').`);
  }
  if (isFloat(b.dtype)) return { a, b, safe: b, zero: null };
  const zero = equal(b, 0);
  return { a, b, safe: where(zero, 1, b), zero };
}

/** Where the truncated remainder r must move by one divisor to take the divisor's sign. */
const needsFixup = (r: Array, b: Array): Array => logicalAnd(notEqual(r, 0), notEqual(less(r, 0), less(b, 0)));

/** The remainder of truncated division, with the dividend's sign (C fmod; lax.rem); integer x % 0 is 0. */
export function fmod(x1: ArrayLike, x2: ArrayLike): Array {
  return tidy<Array>(() => {
    const { a, safe } = divisionOperands("fmod", x1, x2);
    return binary(Prim.Rem, "fmod", a, safe);
  });
}

/** The remainder of floor division, with the divisor's sign (Python's %, numpy.remainder). */
export const remainder = (x1: ArrayLike, x2: ArrayLike): Array => tidy(() => divmod(x1, x2)[1]);
export const mod = remainder;

/** The floor of x1 / x2 (numpy's //); integer x // 0 is 0, float x // 0 is ±inf or NaN. */
export const floorDivide = (x1: ArrayLike, x2: ArrayLike): Array => tidy(() => divmod(x1, x2)[0]);

/** [floorDivide(x1, x2), remainder(x1, x2)], computed together as numpy's divmod. */
export function divmod(x1: ArrayLike, x2: ArrayLike): [Array, Array] {
  return tidy<[Array, Array]>(() => {
    const { a, b, safe, zero } = divisionOperands("divmod", x1, x2);
    const r = binary(Prim.Rem, "divmod", a, safe);
    const fixup = needsFixup(r, b);
    const m = where(fixup, add(r, b), r);
    if (zero) {
      // Truncated quotient, one less where the remainder moved; 0 where dividing by zero.
      const q = binary(Prim.Div, "divmod", a, safe);
      return [where(zero, 0, where(fixup, sub(q, 1), q)), m];
    }
    // A zero remainder takes the divisor's sign too (numpy: -6 % 3 is 0, 6 % -3 is -0).
    const mf = where(equal(m, 0), where(less(b, 0), -0, 0), m);
    // (x1 - fmod) / x2 is an integer up to rounding: fix it up, then round it.
    const q = div(sub(a, r), b);
    const qf = bind1(Prim.Round, [where(fixup, sub(q, 1), q)], { roundingMethod: RoundingMethod.AwayFromZero });
    return [where(equal(b, 0), div(a, b), qf), mf];
  });
}

/** True where the sign bit is set: x < 0 or x is -0 (a NaN's sign bit is not visible; NaN gives false). */
export function signbit(x: ArrayLike): Array {
  return tidy<Array>(() => {
    const a = asArray(x, "signbit");
    if (a.dtype === "bool") throw new DTypeError("signbit: got a bool array; signbit needs a numeric dtype, cast with .astype('int32').");
    return signbitNoNan(a);
  });
}
