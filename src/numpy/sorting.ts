/**
 * Sorting (jnp.sort, argsort, lexsort) on lax's sort primitive: ascending with NaN
 * last, always stable; `descending` sorts the reversed lines and reverses back, so
 * ties keep their input order and NaN comes first. -0.0 and +0.0 are equal keys.
 * axis null sorts the flattened array. Indices are int32.
 */
import { ArgumentError } from "../core/index.js";
import { broadcastedIota } from "../lax/shape.js";
import { checkSameShapes, sortDescending, sortDimension, sortOperands } from "../lax/sort.js";
import type { Array } from "../trace/array.js";
import { type ArrayLike, asArray, reshape } from "../trace/array-ops.js";
import { checkOptions, sliceAxis } from "./internal.js";
import { tidy } from "../trace/memory.js";

export interface SortOptions {
  /** Largest first (NaN first; ties keep their input order). Default false. */
  readonly descending?: boolean;
  /** Keep ties in input order; ferrax's sort always does (accepted for JAX's signature). Default true. */
  readonly stable?: boolean;
}

/** The operand (flattened for axis null) and the normalized axis to sort along. */
function along(op: string, x: ArrayLike, axis: number | null, opts: SortOptions): [Array, number] {
  checkOptions(op, opts, ["descending", "stable"]);
  const a = asArray(x, op);
  if (axis === null) return [reshape(a, [a.size]), 0];
  return [a, sortDimension(op, a, axis, "axis")];
}

/** Sorted copy along `axis` (default -1; null: flattened), ascending with NaN last. */
export function sort(a: ArrayLike, axis: number | null = -1, opts: SortOptions = {}): Array {
  return tidy<Array>(() => {
    const [x, d] = along("sort", a, axis, opts);
    return (opts.descending ? sortDescending("sort", [x], d) : sortOperands("sort", [x], d, opts.stable ?? true, 1))[0]!;
  });
}

/** int32 indices that sort `a` along `axis` (default -1; null: flattened); stable. */
export function argsort(a: ArrayLike, axis: number | null = -1, opts: SortOptions = {}): Array {
  return tidy<Array>(() => {
    const [x, d] = along("argsort", a, axis, opts);
    const positions = broadcastedIota("int32", x.shape, d);
    return (opts.descending ? sortDescending("argsort", [x, positions], d) : sortOperands("argsort", [x, positions], d, true, 1))[1]!;
  });
}

/**
 * int32 indices that sort by several keys along `axis` (default -1): the last key is
 * the primary one (numpy's lexsort); `keys` is a list of arrays of one shape, or an
 * array whose rows (axis 0) are the keys.
 */
export function lexsort(keys: readonly ArrayLike[] | Array, axis = -1): Array {
  return tidy<Array>(() => {
    const list = globalThis.Array.isArray(keys) ? (keys as readonly ArrayLike[]).map((k) => asArray(k, "lexsort")) : rows(keys as Array);
    if (list.length === 0) throw new ArgumentError("lexsort: got no keys; pass at least one key array.");
    checkSameShapes("lexsort", list);
    const d = sortDimension("lexsort", list[0]!, axis, "axis");
    const positions = broadcastedIota("int32", list[0]!.shape, d);
    return sortOperands("lexsort", [...[...list].reverse(), positions], d, true, list.length).at(-1)!;
  });
}

/** The rows of `x` along axis 0, each an array of x's other axes. */
function rows(x: Array): Array[] {
  if (x.ndim === 0) throw new ArgumentError("lexsort: keys is a scalar (shape []); pass a list of key arrays or an array of rank >= 1 whose rows are keys.");
  const rest = x.shape.slice(1);
  return globalThis.Array.from({ length: x.shape[0]! }, (_, i) => reshape(sliceAxis(x, 0, i, i + 1), rest));
}

/** `kth` checked against the length of the partitioned axis. */
function kthIn(op: string, x: Array, kth: number, axis: number): void {
  const n = x.shape[axis]!;
  if (!Number.isInteger(kth) || kth < -n || kth >= n) {
    throw new ArgumentError(`${op}: kth ${kth} is out of range for axis ${axis} of shape [${x.shape.join(", ")}]; pass an integer in [${-n}, ${n - 1}].`);
  }
}

/**
 * A copy with the element that would be at position `kth` of the sorted axis moved
 * there, smaller ones before it and larger ones after (numpy's partition; ferrax
 * returns the fully sorted axis, one such arrangement).
 */
export function partition(a: ArrayLike, kth: number, axis = -1): Array {
  return tidy<Array>(() => {
    const [x, d] = along("partition", a, axis, {});
    kthIn("partition", x, kth, d);
    return sortOperands("partition", [x], d, true, 1)[0]!;
  });
}

/** int32 indices that partition `a` around position `kth` along `axis` (numpy's argpartition; here a stable argsort). */
export function argpartition(a: ArrayLike, kth: number, axis = -1): Array {
  return tidy<Array>(() => {
    const [x, d] = along("argpartition", a, axis, {});
    kthIn("argpartition", x, kth, d);
    return sortOperands("argpartition", [x, broadcastedIota("int32", x.shape, d)], d, true, 1)[1]!;
  });
}
