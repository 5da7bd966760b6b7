/**
 * lax's sorting (JAX's lax.sort, sort_key_val, top_k): operands of one shape sorted
 * together along one dimension, ordered by the first `numKeys` of them
 * lexicographically. The order is ascending with NaN last; -0.0 and +0.0 are equal
 * (they keep their input order, as in JAX, which canonicalizes -0 for comparison);
 * sorting is always stable. Descending orders are ascending sorts of the reversed
 * line, reversed back, so ties still keep their input order and NaN comes first.
 */
import { ArgumentError, ShapeError, shapeEqual } from "../core/index.js";
import type { Array } from "../trace/array.js";
import { asArray, type ArrayLike } from "../trace/array-ops.js";
import { Prim } from "../trace/prim.js";
import { bind } from "../trace/trace.js";
import { broadcastedIota, slice } from "./shape.js";
import { rev } from "./structural.js";
import { tidy } from "../trace/memory.js";

/** `dimension` normalized against `x` (negatives count from the end), or a clear error naming `op` (and numpy's word, "axis"). */
export function sortDimension(op: string, x: Array, dimension: number, word = "dimension"): number {
  if (!Number.isInteger(dimension) || dimension < -x.ndim || dimension >= x.ndim) {
    const fix = x.ndim === 0 ? "reshape it to rank 1 first" : `pass ${word === "axis" ? "an" : "a"} ${word} in [${-x.ndim}, ${x.ndim - 1}]`;
    throw new ArgumentError(`${op}: ${word} ${dimension} is out of range for an operand of shape [${x.shape.join(", ")}]; ${fix}.`);
  }
  return dimension < 0 ? dimension + x.ndim : dimension;
}

/** Throws unless every array has the first one's shape (sort's operands and numpy's keys). */
export function checkSameShapes(op: string, xs: readonly Array[]): void {
  if (xs.some((x) => !shapeEqual(x.shape, xs[0]!.shape))) {
    throw new ShapeError(
      `${op}: operands of shapes ${xs.map((x) => `[${x.shape.join(", ")}]`).join(", ")} differ; every operand must have one shape (broadcast them first).`,
    );
  }
}

/** Binds sort after checking shapes, dimension and numKeys with errors naming `op`. */
export function sortOperands(op: string, xs: readonly Array[], dimension: number, isStable: boolean, numKeys: number): Array[] {
  if (xs.length === 0) throw new ArgumentError(`${op}: got no operands; pass at least one array to sort.`);
  checkSameShapes(op, xs);
  if (!Number.isInteger(numKeys) || numKeys < 1 || numKeys > xs.length) {
    throw new ArgumentError(`${op}: numKeys ${numKeys} does not fit ${xs.length} operand(s); pass numKeys in [1, ${xs.length}].`);
  }
  const d = sortDimension(op, xs[0]!, dimension);
  return bind(Prim.Sort, xs, { dimension: d, isStable, numKeys });
}

/**
 * Sorts `operands` together along `dimension` in descending order of the keys (NaN
 * first; ties keep their input order): the ascending sort of the reversed lines, reversed.
 */
export function sortDescending(op: string, xs: readonly Array[], dimension: number, numKeys = 1): Array[] {
  return tidy<Array[]>(() => {
    const d = sortDimension(op, xs[0]!, dimension);
    return sortOperands(op, xs.map((x) => rev(x, [d])), d, true, numKeys).map((y) => rev(y, [d]));
  });
}

/** Sorts one array along `dimension` (default -1), ascending with NaN last (JAX's lax.sort). */
export function sort(operand: ArrayLike, dimension?: number, isStable?: boolean, numKeys?: number): Array;
/** Sorts several arrays of one shape together along `dimension`, by the first `numKeys` lexicographically. */
export function sort(operands: readonly ArrayLike[], dimension?: number, isStable?: boolean, numKeys?: number): Array[];
/** Sorts one array, or several arrays together by their first `numKeys`, along `dimension` (JAX's lax.sort). */
export function sort(operands: ArrayLike | readonly ArrayLike[], dimension = -1, isStable = true, numKeys = 1): Array | Array[] {
  return tidy<Array | Array[]>(() => {
    if (globalThis.Array.isArray(operands)) {
      return sortOperands("sort", (operands as readonly ArrayLike[]).map((x) => asArray(x, "sort")), dimension, isStable, numKeys);
    }
    return sortOperands("sort", [asArray(operands as ArrayLike, "sort")], dimension, isStable, numKeys)[0]!;
  });
}

/** Sorts `keys` along `dimension` and permutes `values` the same way (JAX's lax.sort_key_val). */
export function sortKeyVal(keys: ArrayLike, values: ArrayLike, dimension = -1, isStable = true): [Array, Array] {
  const [k, v] = sortOperands("sortKeyVal", [asArray(keys, "sortKeyVal"), asArray(values, "sortKeyVal")], dimension, isStable, 1);
  return [k!, v!];
}

/**
 * The `k` largest entries along the last axis, largest first, and their int32 indices
 * (JAX's lax.top_k: ties give the lower index first; NaN counts as the largest).
 */
export function topK(operand: ArrayLike, k: number): [Array, Array] {
  return tidy<[Array, Array]>(() => {
    const x = asArray(operand, "topK");
    if (x.ndim === 0) throw new ArgumentError("topK: the operand is a scalar (shape []); topK works along the last axis of an array of rank >= 1.");
    const last = x.ndim - 1;
    const n = x.shape[last]!;
    if (!Number.isInteger(k) || k < 0 || k > n) {
      throw new ArgumentError(`topK: k = ${k} is out of range for an operand of shape [${x.shape.join(", ")}]; pass an integer k in [0, ${n}] (the last axis' size).`);
    }
    const [values, indices] = sortDescending("topK", [x, broadcastedIota("int32", x.shape, last)], last);
    const end = x.shape.map((d, i) => (i === last ? k : d));
    const start = x.shape.map(() => 0);
    return [slice(values!, start, end), slice(indices!, start, end)];
  });
}
