/**
 * Positions of the nonzero entries (jnp.nonzero, argwhere, flatnonzero), int32, in
 * row-major order. The result's length is the number of nonzero entries, which only
 * the values determine: eagerly it is counted from the data; inside a trace (jit,
 * vmap, grad) a static `size` is required, and the first `size` positions are
 * returned, padded with `fillValue` (default 0), as JAX does.
 *
 * The k-th nonzero entry is the first position where the running count of nonzero
 * entries reaches k + 1: a searchsorted of 1..size into that cumulative count.
 */
import { ArgumentError, ConcretizationError, ShapeError, contiguousStrides } from "../core/index.js";
import { cumsum } from "../lax/cumulative.js";
import { div, rem } from "../lax/elementwise.js";
import { iota } from "../lax/shape.js";
import type { Array } from "../trace/array.js";
import { ConcreteArray } from "../trace/concrete.js";
import { type ArrayLike, add, asArray, astype, broadcastTo, less, notEqual, reshape, scalar, where } from "../trace/array-ops.js";
import { checkOptions } from "./internal.js";
import { stack } from "./joining.js";
import { searchsorted } from "./searchsorted.js";
import { tidy } from "../trace/memory.js";

export interface NonzeroOptions {
  /** The result's static length: the first `size` positions, padded with `fillValue`. Required inside jit/vmap/grad. */
  readonly size?: number;
  /** Padding past the last nonzero entry (default 0); nonzero and argwhere also take one value per axis. */
  readonly fillValue?: number | readonly number[];
}

/** The first `size` flat positions of nonzero entries of `a` (int32 [size]) and which of them exist. */
function flatPositions(op: string, a: Array, opts: NonzeroOptions): [Array, Array] {
  checkOptions(op, opts, ["size", "fillValue"]);
  const flat = reshape(a, [a.size]);
  const mask = astype(a.dtype === "bool" ? flat : notEqual(flat, 0), "int32");
  const size = opts.size ?? countOf(op, a, mask);
  if (!Number.isInteger(size) || size < 0) throw new ArgumentError(`${op}: size must be a non-negative integer, got ${size}.`);
  const running = cumsum(mask, 0);
  const positions = searchsorted(running, add(iota("int32", size), scalar(1, "int32")));
  return [positions, less(positions, scalar(a.size, "int32"))];
}

/** The number of nonzero entries, read from the data; a clear error inside a trace. */
function countOf(op: string, a: Array, mask: Array): number {
  if (!(mask instanceof ConcreteArray)) {
    throw new ConcretizationError(
      `${op}: the number of nonzero entries of an array of shape [${a.shape.join(", ")}] depends on its values, which are unknown inside a trace ` +
        `(jit, vmap, grad); pass a static size, e.g. np.${op}(x, { size: ${a.size}, fillValue: 0 }) (positions past the count get fillValue).`,
    );
  }
  let count = 0;
  for (const m of mask.dataSync()) count += Number(m);
  return count;
}

/** One fill value per axis, from a scalar or a list of `ndim` values. */
function fillsOf(op: string, fill: number | readonly number[] | undefined, ndim: number): number[] {
  if (fill === undefined || typeof fill === "number") return globalThis.Array<number>(ndim).fill(fill ?? 0);
  if (fill.length !== ndim) {
    throw new ShapeError(`${op}: fillValue has ${fill.length} entries for an array of rank ${ndim}; pass one number, or one per axis.`);
  }
  return [...fill];
}

/** Per-axis int32 coordinates of the first `size` nonzero entries (padded with fillValue); the array must have rank >= 1. */
export function nonzero(a: ArrayLike, opts: NonzeroOptions = {}): Array[] {
  return tidy<Array[]>(() => {
    const x = asArray(a, "nonzero");
    if (x.ndim === 0) throw new ShapeError("nonzero: the operand is a scalar (shape []); pass an array of rank >= 1 (atleast1d(x)), or use argwhere.");
    return coordinates("nonzero", x, opts);
  });
}

function coordinates(op: string, x: Array, opts: NonzeroOptions): Array[] {
  const [positions, found] = flatPositions(op, x, opts);
  const fills = fillsOf(op, opts.fillValue, x.ndim);
  const strides = contiguousStrides(x.shape);
  return x.shape.map((n, d) => {
    const fill = scalar(fills[d]!, "int32");
    // An empty array has no nonzero entries: everything is padding (and no division by a zero extent).
    if (x.size === 0) return broadcastTo(fill, positions.shape);
    return where(found, rem(div(positions, scalar(strides[d]!, "int32")), scalar(n, "int32")), fill);
  });
}

/** int32 [count, ndim] coordinates of the nonzero entries, one row each (first `size` rows, padded, when given). */
export function argwhere(a: ArrayLike, opts: NonzeroOptions = {}): Array {
  return tidy<Array>(() => {
    const x = asArray(a, "argwhere");
    if (x.ndim === 0) {
      const [positions] = flatPositions("argwhere", reshape(x, [1]), opts);
      return broadcastTo(scalar(0, "int32"), [positions.shape[0]!, 0]);
    }
    return stack(coordinates("argwhere", x, opts), 1);
  });
}

/** int32 positions of the nonzero entries of the flattened array (first `size`, padded, when given). */
export function flatnonzero(a: ArrayLike, opts: NonzeroOptions = {}): Array {
  return tidy<Array>(() => {
    const x = asArray(a, "flatnonzero");
    if (opts.fillValue !== undefined && typeof opts.fillValue !== "number") {
      throw new ArgumentError("flatnonzero: fillValue must be one number (the result has one axis).");
    }
    const [positions, found] = flatPositions("flatnonzero", x, opts);
    return where(found, positions, scalar(opts.fillValue ?? 0, "int32"));
  });
}
