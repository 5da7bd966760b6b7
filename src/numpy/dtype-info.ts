/**
 * dtype queries: finfo and iinfo (machine limits, as numpy's), promoteTypes and
 * resultType (JAX's promotion lattice), and isscalar.
 */
import { DTypeError, type DType, isFloat, parseDType, promoteTypes as promote, scalarType } from "../core/index.js";
import { Array } from "../trace/array.js";

/** Machine limits of a float dtype (numpy's finfo; `tiny` = smallestNormal). */
export interface FInfo {
  readonly dtype: DType;
  readonly bits: number;
  /** The gap between 1 and the next larger number. */
  readonly eps: number;
  /** The gap between 1 and the next smaller number. */
  readonly epsneg: number;
  readonly max: number;
  readonly min: number;
  readonly tiny: number;
  readonly smallestNormal: number;
  readonly smallestSubnormal: number;
  /** Decimal digits of precision, and 10^-precision. */
  readonly precision: number;
  readonly resolution: number;
  /** Mantissa bits (excluding the implicit one) and exponent bits. */
  readonly nmant: number;
  readonly nexp: number;
}

const F32: FInfo = {
  dtype: "float32", bits: 32, eps: 2 ** -23, epsneg: 2 ** -24, max: 3.4028234663852886e38, min: -3.4028234663852886e38,
  tiny: 2 ** -126, smallestNormal: 2 ** -126, smallestSubnormal: 2 ** -149, precision: 6, resolution: 1e-6, nmant: 23, nexp: 8,
};
const F64: FInfo = {
  dtype: "float64", bits: 64, eps: Number.EPSILON, epsneg: 2 ** -53, max: Number.MAX_VALUE, min: -Number.MAX_VALUE,
  tiny: 2 ** -1022, smallestNormal: 2 ** -1022, smallestSubnormal: Number.MIN_VALUE, precision: 15, resolution: 1e-15, nmant: 52, nexp: 11,
};

const dtypeOf = (x: DType | Array, op: string): DType => (x instanceof Array ? x.dtype : parseDType(x, op));

/** Machine limits of a float dtype (or of an array's dtype). */
export function finfo(dtype: DType | Array): FInfo {
  const d = dtypeOf(dtype, "finfo");
  if (!isFloat(d)) throw new DTypeError(`finfo: ${d} is not a float dtype; use iinfo for integers.`);
  return d === "float32" ? F32 : F64;
}

/** Limits of an integer dtype (numpy's iinfo). */
export interface IInfo {
  readonly dtype: DType;
  readonly bits: number;
  readonly min: number;
  readonly max: number;
}

/** Limits of an integer dtype (or of an array's dtype). */
export function iinfo(dtype: DType | Array): IInfo {
  const d = dtypeOf(dtype, "iinfo");
  if (d === "int32") return { dtype: d, bits: 32, min: -(2 ** 31), max: 2 ** 31 - 1 };
  if (d === "uint32") return { dtype: d, bits: 32, min: 0, max: 2 ** 32 - 1 };
  throw new DTypeError(`iinfo: ${d} is not an integer dtype; use finfo for floats.`);
}

type DTypeLike = DType | Array | number | boolean;

const typeOfArg = (x: DTypeLike, op: string) =>
  x instanceof Array ? { dtype: x.dtype, weakType: x.weakType } : typeof x === "number" || typeof x === "boolean" ? scalarType(x) : { dtype: parseDType(x, op), weakType: false };

/** The dtype two dtypes promote to under JAX's lattice (dtype names only: no weak types). */
export function promoteTypes(a: DType, b: DType): DType {
  return promote({ dtype: parseDType(a, "promoteTypes"), weakType: false }, { dtype: parseDType(b, "promoteTypes"), weakType: false }).dtype;
}

/** The dtype an operation on these arrays, dtypes and JS scalars computes in (JAX's result_type; JS numbers are weak). */
export function resultType(...args: DTypeLike[]): DType {
  return promote(...args.map((a) => typeOfArg(a, "resultType"))).dtype;
}

/** True for JS numbers and booleans and for rank-0 arrays (as jnp.isscalar). */
export const isscalar = (x: unknown): boolean =>
  typeof x === "number" || typeof x === "boolean" || (x instanceof Array && x.ndim === 0);
