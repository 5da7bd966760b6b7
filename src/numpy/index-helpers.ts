/**
 * Static index arrays (computed on the host from static sizes, as jnp does at trace
 * time): diagIndices, trilIndices, triuIndices and their *From forms.
 */
import { ArgumentError, ShapeError } from "../core/index.js";
import type { Array } from "../trace/array.js";
import { type ArrayLike, asArray } from "../trace/array-ops.js";
import { array } from "./creation.js";
import { checkCount } from "./internal.js";
import { tidy } from "../trace/memory.js";

/** The indices of the main diagonal of an n × ... × n array of rank `ndim`: ndim copies of [0, n). */
export function diagIndices(n: number, ndim = 2): Array[] {
  return tidy<Array[]>(() => {
    const size = checkCount("diagIndices", "n", n);
    const idx = array(globalThis.Array.from({ length: size }, (_, i) => i), { dtype: "int32" });
    return globalThis.Array.from({ length: checkCount("diagIndices", "ndim", ndim) }, () => idx);
  });
}

/** diagIndices for a square array (every axis the same length, rank >= 2). */
export function diagIndicesFrom(x: ArrayLike): Array[] {
  return tidy<Array[]>(() => {
    const a = asArray(x, "diagIndicesFrom");
    if (a.ndim < 2 || a.shape.some((d) => d !== a.shape[0])) {
      throw new ShapeError(`diagIndicesFrom: needs an array of rank >= 2 with all axes of equal length, got ${a.aval.strShort()}.`);
    }
    return diagIndices(a.shape[0]!, a.ndim);
  });
}

function triangleIndices(op: string, n: number, k: number, m: number | null, lower: boolean): [Array, Array] {
  return tidy<[Array, Array]>(() => {
    const rows = checkCount(op, "n", n);
    const cols = checkCount(op, "m", m ?? n);
    if (!Number.isInteger(k)) throw new ArgumentError(`${op}: k must be an integer, got ${k}.`);
    const r: number[] = [];
    const c: number[] = [];
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) {
        if (lower ? j <= i + k : j >= i + k) (r.push(i), c.push(j));
      }
    }
    return [array(r, { dtype: "int32" }), array(c, { dtype: "int32" })];
  });
}

/** Row and column indices of the lower triangle (at and below diagonal k) of an n × m matrix, row-major. */
export const trilIndices = (n: number, k = 0, m: number | null = null): [Array, Array] => triangleIndices("trilIndices", n, k, m, true);
/** Row and column indices of the upper triangle (at and above diagonal k) of an n × m matrix, row-major. */
export const triuIndices = (n: number, k = 0, m: number | null = null): [Array, Array] => triangleIndices("triuIndices", n, k, m, false);

function fromMatrix(op: string, x: ArrayLike): [number, number] {
  const a = asArray(x, op);
  if (a.ndim !== 2) throw new ShapeError(`${op}: needs a 2-D array, got ${a.aval.strShort()}.`);
  return [a.shape[0]!, a.shape[1]!];
}
/** trilIndices for the shape of a 2-D array. */
export function trilIndicesFrom(x: ArrayLike, k = 0): [Array, Array] {
  const [n, m] = fromMatrix("trilIndicesFrom", x);
  return trilIndices(n, k, m);
}
/** triuIndices for the shape of a 2-D array. */
export function triuIndicesFrom(x: ArrayLike, k = 0): [Array, Array] {
  const [n, m] = fromMatrix("triuIndicesFrom", x);
  return triuIndices(n, k, m);
}
