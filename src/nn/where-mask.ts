/** The `where` option of jax.nn's reductions: a mask broadcast to the input's shape. */
import { ArgumentError } from "../core/index.js";
import type { Array } from "../trace/array.js";
import { type ArrayLike, asArray, broadcastTo } from "../trace/array-ops.js";
import { notEqual } from "../numpy/index.js";

/** `where` as a bool mask of `x`'s shape (nonzero is true), or null when absent. */
export function whereMask(op: string, where: ArrayLike | null | undefined, x: Array): Array | null {
  if (where === undefined || where === null) return null;
  const w = asArray(where, op);
  try {
    return broadcastTo(w.dtype === "bool" ? w : notEqual(w, 0), x.shape);
  } catch {
    throw new ArgumentError(`${op}: the where mask ${w.aval.strShort()} does not broadcast to the input ${x.aval.strShort()}.`);
  }
}
