/**
 * oneHot (jax.nn.one_hot): compares each element of x with 0..numClasses-1 along a new
 * axis (default last). Values outside [0, numClasses) (and non-integral floats) give a
 * row of zeros, as in JAX.
 */
import { ArgumentError, type DType, normalizeAxis, parseDType } from "../core/index.js";
import type { Array } from "../trace/array.js";
import { type ArrayLike, asArray } from "../trace/array-ops.js";
import { broadcastedIota } from "../lax/shape.js";
import { equal, expandDims } from "../numpy/index.js";
import { tidy } from "../trace/memory.js";

export interface OneHotOptions {
  /** The result's dtype (default float32). */
  readonly dtype?: DType | string;
  /** Where the new axis of size numClasses goes in the result (default -1, the last). */
  readonly axis?: number;
}

/** An array with a new axis of size `numClasses` holding 1 where the index equals the element of `x`, else 0. */
export function oneHot(x: ArrayLike, numClasses: number, opts: OneHotOptions = {}): Array {
  const op = "oneHot";
  if (typeof numClasses !== "number" || !Number.isInteger(numClasses) || numClasses < 0) {
    throw new ArgumentError(`${op}: numClasses must be a non-negative integer (a JS number known when tracing), got ${typeof numClasses === "number" ? numClasses : typeof numClasses}.`);
  }
  for (const k of Object.keys(opts)) {
    if (k !== "dtype" && k !== "axis") throw new ArgumentError(`${op}: unknown option "${k}"; the options are: dtype, axis.`);
  }
  const dtype = parseDType(opts.dtype ?? "float32", op);
  return tidy(() => {
    let a = asArray(x, op);
    if (a.dtype === "bool") a = a.astype("int32");
    const axis = normalizeAxis(opts.axis ?? -1, a.ndim + 1, op);
    const shape = globalThis.Array.from({ length: a.ndim + 1 }, (_, i) => (i === axis ? numClasses : 1));
    return equal(expandDims(a, axis), broadcastedIota(a.dtype, shape, axis)).astype(dtype);
  });
}
