/**
 * Bitwise functions on integer and bool arrays (bool: logical), on the and/or/xor/not
 * and shift primitives, with numpy promotion and broadcasting. rightShift is
 * arithmetic on signed integers and logical on unsigned ones, as numpy's >>.
 * Shift amounts outside [0, 32) shift every bit out (XLA's semantics).
 */
import { DTypeError, isFloat } from "../core/index.js";
import type { Array } from "../trace/array.js";
import { type ArrayLike, abs, asArray, binary, convert, promote } from "../trace/array-ops.js";
import { Prim } from "../trace/prim.js";
import { bind1 } from "../trace/trace.js";
import { checkBroadcast } from "./internal.js";
import { tidy } from "../trace/memory.js";

function refuse(op: string, a: Array, what: string, cast: string): never {
  throw new DTypeError(`${op}: got an operand of type ${a.aval.strShort()}, but ${op} needs ${what}; cast with ${cast}.`);
}

function bitwise(prim: Prim.And | Prim.Or | Prim.Xor, op: string) {
  return (x1: ArrayLike, x2: ArrayLike): Array => {
    return tidy(() => {
      checkBroadcast(op, x1, x2);
      const [a, b] = promote(op, x1, x2) as [Array, Array];
      if (isFloat(a.dtype)) refuse(op, a, "integer or bool operands", ".astype('int32')");
      return binary(prim, op, a, b);
    });
  };
}

export const bitwiseAnd = bitwise(Prim.And, "bitwise_and");
export const bitwiseOr = bitwise(Prim.Or, "bitwise_or");
export const bitwiseXor = bitwise(Prim.Xor, "bitwise_xor");

/** Bitwise NOT (logical NOT on bool). */
export function invert(x: ArrayLike): Array {
  const a = asArray(x, "invert");
  if (isFloat(a.dtype)) refuse("invert", a, "an integer or bool operand", ".astype('int32')");
  return bind1(Prim.Not, [a], {});
}
export const bitwiseNot = invert;
export const bitwiseInvert = invert;

function shift(op: string, pick: (signed: boolean) => Prim.ShiftLeft | Prim.ShiftRightArithmetic | Prim.ShiftRightLogical) {
  return (x1: ArrayLike, x2: ArrayLike): Array => {
    return tidy(() => {
      checkBroadcast(op, x1, x2);
      const [a, b] = promote(op, x1, x2) as [Array, Array];
      if (a.dtype !== "int32" && a.dtype !== "uint32") refuse(op, a, "integer operands", ".astype('int32')");
      return binary(pick(a.dtype === "int32"), op, a, b);
    });
  };
}

/** x1 << x2. */
export const leftShift = shift("left_shift", () => Prim.ShiftLeft);
/** x1 >> x2: arithmetic for int32, logical for uint32. */
export const rightShift = shift("right_shift", (signed) => (signed ? Prim.ShiftRightArithmetic : Prim.ShiftRightLogical));
export const bitwiseLeftShift = leftShift;
export const bitwiseRightShift = rightShift;

/** The number of 1 bits in |x| (numpy.bitwise_count; bool counts as 0/1 in int32). */
export function bitwiseCount(x: ArrayLike): Array {
  const a0 = asArray(x, "bitwise_count");
  if (isFloat(a0.dtype)) refuse("bitwise_count", a0, "an integer or bool operand", ".astype('int32')");
  const a = a0.dtype === "bool" ? convert(a0, "int32") : a0;
  return bind1(Prim.PopulationCount, [a.dtype === "int32" ? abs(a) : a], {});
}
