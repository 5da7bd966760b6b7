/**
 * lax elementwise primitives: exact, no promotion or broadcasting (operands must
 * already agree in shape and dtype; JS numbers are converted to the other operand's
 * dtype, as JAX's lax does with Python scalars).
 */
import { ArgumentError, type DType, parseDType } from "../core/index.js";
import { Array } from "../trace/array.js";
import { asArray, convert, scalar, type ArrayLike } from "../trace/array-ops.js";
import { Prim, type BinaryPrim, type ComparePrim, type UnaryPrim } from "../trace/prim.js";
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
