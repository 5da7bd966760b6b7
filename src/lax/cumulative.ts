/**
 * lax's cumulative reductions (JAX's lax.cumsum / cumprod / cummax / cummin): a running
 * sum, product, maximum or minimum along one axis, from the end when `reverse`.
 */
import { ArgumentError } from "../core/index.js";
import type { Array } from "../trace/array.js";
import { asArray, type ArrayLike } from "../trace/array-ops.js";
import { type CumulativePrim, Prim } from "../trace/prim.js";
import { bind1 } from "../trace/trace.js";

const cumulative =
  (prim: CumulativePrim) =>
  (x: ArrayLike, axis = 0, reverse = false): Array => {
    const a = asArray(x, prim);
    if (!Number.isInteger(axis) || axis < -a.ndim || axis >= a.ndim) {
      const fix = a.ndim === 0 ? "reshape it to rank 1 first" : `pass an axis in [${-a.ndim}, ${a.ndim - 1}]`;
      throw new ArgumentError(`${prim}: axis ${axis} is out of range for an operand of shape [${a.shape.join(", ")}]; ${fix}.`);
    }
    return bind1(prim, [a], { axis: axis < 0 ? axis + a.ndim : axis, reverse });
  };

/** Running sum along `axis` (default 0), from the end when `reverse`. */
export const cumsum = cumulative(Prim.Cumsum);
/** Running product along `axis` (default 0), from the end when `reverse`. */
export const cumprod = cumulative(Prim.Cumprod);
/** Running maximum along `axis` (default 0), from the end when `reverse`; NaN propagates. */
export const cummax = cumulative(Prim.Cummax);
/** Running minimum along `axis` (default 0), from the end when `reverse`; NaN propagates. */
export const cummin = cumulative(Prim.Cummin);
