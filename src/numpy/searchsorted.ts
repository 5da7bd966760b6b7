/**
 * jnp.searchsorted with JAX's default method ("scan"): a binary search of every query
 * at once, unrolled to ceil(log2(n + 1)) rounds of gather + compare. The order is the
 * sort order (NaN after every number, -0 = +0), so NaN queries land after the numbers.
 */
import { ArgumentError, ShapeError } from "../core/index.js";
import type { Array } from "../trace/array.js";
import { type ArrayLike, add, asArray, broadcastTo, less, scalar, where } from "../trace/array-ops.js";
import { div } from "../lax/elementwise.js";
import { checkOptions } from "./internal.js";
import { isnan, logicalAnd, logicalNot, logicalOr } from "./logic.js";
import { take } from "./take.js";
import { tidy } from "../trace/memory.js";

export interface SearchsortedOptions {
  /** "left" (default): the first index i with v <= a[i]; "right": the first with v < a[i]. */
  readonly side?: "left" | "right";
  /** int32 indices that sort `a` (as argsort gives); `a` itself need not be sorted then. */
  readonly sorter?: ArrayLike;
}

/** x before y in sort order: x < y, or y is NaN and x is not (NaN last). */
function sortsBefore(x: Array, y: Array): Array {
  const lt = less(x, y);
  if (x.dtype !== "float32" && x.dtype !== "float64" && y.dtype !== "float32" && y.dtype !== "float64") return lt;
  return logicalOr(lt, logicalAnd(isnan(y), logicalNot(isnan(x))));
}

/** int32 positions where `v`'s entries would be inserted into the sorted 1-D `a` to keep it sorted. */
export function searchsorted(a: ArrayLike, v: ArrayLike, opts: SearchsortedOptions = {}): Array {
  return tidy<Array>(() => {
    checkOptions("searchsorted", opts, ["side", "sorter"]);
    let s = asArray(a, "searchsorted");
    const q = asArray(v, "searchsorted");
    if (s.ndim !== 1) {
      throw new ShapeError(`searchsorted: a has shape [${s.shape.join(", ")}], but it must be 1-D; ravel it, or vmap searchsorted over its rows.`);
    }
    const side = opts.side ?? "left";
    if (side !== "left" && side !== "right") throw new ArgumentError(`searchsorted: side must be "left" or "right", got ${JSON.stringify(side)}.`);
    if (opts.sorter !== undefined) s = take(s, opts.sorter);
    const n = s.shape[0]!;
    // The answer stays in [low, high]: high only moves down to a mid the answer does not
    // exceed, low only up to a mid it does; ceil(log2(n + 1)) halvings leave high the answer.
    let low = broadcastTo(scalar(0, "int32"), q.shape);
    let high = broadcastTo(scalar(n, "int32"), q.shape);
    for (let level = 0; level < Math.ceil(Math.log2(n + 1)); level++) {
      const mid = div(add(low, high), scalar(2, "int32"));
      const at = take(s, mid, null, { mode: "promise_in_bounds" });
      // left: go left when v <= a[mid], i.e. a[mid] does not sort before v; right: when v sorts before a[mid].
      const goLeft = side === "left" ? logicalNot(sortsBefore(at, q)) : sortsBefore(q, at);
      low = where(goLeft, low, mid);
      high = where(goLeft, mid, high);
    }
    return high;
  });
}
