/**
 * lax elementwise primitives: exact, no promotion or broadcasting (operands must
 * already agree in shape and dtype; JS numbers are converted to the other operand's
 * dtype, as JAX's lax does with Python scalars).
 */
import { ArgumentError, type DType, parseDType } from "../core/index.js";
import { Array } from "../trace/array.js";
import { asArray, convert, scalar, type ArrayLike } from "../trace/array-ops.js";
import { Prim, RoundingMethod, type BinaryPrim, type ComparePrim, type UnaryPrim } from "../trace/prim.js";
import { bind1 } from "../trace/trace.js";

/** Converts JS numbers to the dtype of the array operand(s), weakly typed. */
function operands(op: string, xs: readonly ArrayLike[]): Array[] {
  const ref = xs.find((x): x is Array => x instanceof Array);
  return xs.map((x) => (x instanceof Array ? x : ref ? scalar(x, ref.dtype, true) : asArray(x, op)));
}

const unary = (prim: UnaryPrim) => (x: ArrayLike): Array => bind1(prim, operands(prim, [x]), {});
const binary =
  (prim: BinaryPrim | ComparePrim) =>
  (x: ArrayLike, y: ArrayLike): Array =>
    bind1(prim, operands(prim, [x, y]), {});

export const neg = unary(Prim.Neg);
export const exp = unary(Prim.Exp);
export const log = unary(Prim.Log);
export const sin = unary(Prim.Sin);
export const cos = unary(Prim.Cos);
export const tanh = unary(Prim.Tanh);
export const sqrt = unary(Prim.Sqrt);
export const logistic = unary(Prim.Logistic);
export const abs = unary(Prim.Abs);
export const sign = unary(Prim.Sign);

export const add = binary(Prim.Add);
export const sub = binary(Prim.Sub);
export const mul = binary(Prim.Mul);
export const div = binary(Prim.Div);
export const max = binary(Prim.Max);
export const min = binary(Prim.Min);
export const pow = binary(Prim.Pow);
export const eq = binary(Prim.Eq);
export const ne = binary(Prim.Ne);
export const lt = binary(Prim.Lt);
export const le = binary(Prim.Le);
export const gt = binary(Prim.Gt);
export const ge = binary(Prim.Ge);

export function integerPow(x: ArrayLike, y: number): Array {
  if (!Number.isInteger(y)) throw new ArgumentError(`integer_pow: exponent ${y} must be an integer; use lax.pow for real exponents.`);
  return bind1(Prim.IntegerPow, operands("integer_pow", [x]), { y });
}

/** `selectN(which, ...cases)`: cases[which] elementwise; a bool `which` picks cases[0] when false. */
export function selectN(which: ArrayLike, ...cases: ArrayLike[]): Array {
  return bind1(Prim.SelectN, [asArray(which, "select_n"), ...operands("select_n", cases)], {});
}

export function convertElementType(x: ArrayLike, dtype: DType | string): Array {
  return convert(asArray(x, "convert_element_type"), parseDType(dtype, "convert_element_type"));
}

// --- rounding, bitwise, transcendentals ----------------------------------------

export const floor = unary(Prim.Floor);
export const ceil = unary(Prim.Ceil);
/** lax.round: halves go away from zero by default (JAX's default), or to even with ToNearestEven. */
export function round(x: ArrayLike, roundingMethod: RoundingMethod = RoundingMethod.AwayFromZero): Array {
  return bind1(Prim.Round, operands("round", [x]), { roundingMethod });
}
export { RoundingMethod };
/** True where x is neither infinite nor NaN (float operands only). */
export const isFinite = (x: ArrayLike): Array => bind1(Prim.IsFinite, operands("is_finite", [x]), {});
/** Remainder with the dividend's sign (C fmod; integers truncate, x rem 0 = x as XLA). */
export const rem = binary(Prim.Rem);

export const bitwiseAnd = binary(Prim.And);
export const bitwiseOr = binary(Prim.Or);
export const bitwiseXor = binary(Prim.Xor);
export const bitwiseNot = unary(Prim.Not);
export const shiftLeft = binary(Prim.ShiftLeft);
export const shiftRightArithmetic = binary(Prim.ShiftRightArithmetic);
export const shiftRightLogical = binary(Prim.ShiftRightLogical);
export const populationCount = unary(Prim.PopulationCount);
export const clz = unary(Prim.Clz);

export const tan = unary(Prim.Tan);
export const asin = unary(Prim.Asin);
export const acos = unary(Prim.Acos);
export const atan = unary(Prim.Atan);
export const atan2 = binary(Prim.Atan2);
export const sinh = unary(Prim.Sinh);
export const cosh = unary(Prim.Cosh);
export const asinh = unary(Prim.Asinh);
export const acosh = unary(Prim.Acosh);
export const atanh = unary(Prim.Atanh);
export const exp2 = unary(Prim.Exp2);
export const expm1 = unary(Prim.Expm1);
export const log1p = unary(Prim.Log1p);
export const cbrt = unary(Prim.Cbrt);
export const rsqrt = unary(Prim.Rsqrt);
export const erf = unary(Prim.Erf);
export const erfc = unary(Prim.Erfc);
export const erfInv = unary(Prim.ErfInv);
export const lgamma = unary(Prim.Lgamma);
export const digamma = unary(Prim.Digamma);
