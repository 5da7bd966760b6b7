/**
 * Functional helpers that JAX builds from vmap: applyAlongAxis, applyOverAxes and
 * fromfunction. Because they are vmaps (not Python-style loops), the function runs
 * once, traced, and a batched matmul inside stays one dot_general.
 */
import { ShapeError, normalizeAxis, type DType } from "../core/index.js";
import type { Array } from "../trace/array.js";
import { type ArrayLike, asArray, expandDims } from "../trace/array-ops.js";
import { tidy } from "../trace/memory.js";
import { vmap } from "../transforms/vmap.js";
import { arange } from "./creation.js";
import { checkCount } from "./internal.js";

/**
 * `func1d` applied to every 1-D slice of `arr` along `axis`; its output's axes take the
 * place of `axis` (as jnp.apply_along_axis: vmap over the axes after, then before, it).
 */
export function applyAlongAxis(func1d: (slice: Array) => ArrayLike, axis: number, arr: ArrayLike): Array {
  const a = asArray(arr, "applyAlongAxis");
  const ax = normalizeAxis(axis, a.shape, "applyAlongAxis");
  let f = (x: Array): Array => asArray(func1d(x), "applyAlongAxis");
  for (let k = 0; k < a.ndim - ax - 1; k++) f = vmap(f, { inAxes: -1, outAxes: -1 });
  for (let k = 0; k < ax; k++) f = vmap(f, { inAxes: 0, outAxes: 0 });
  return f(a);
}

/**
 * `func(a, axis)` applied for each axis in turn; a result with one axis fewer gets it
 * back as size 1 (so reductions keep their dims), as numpy's apply_over_axes.
 */
export function applyOverAxes(func: (a: Array, axis: number) => ArrayLike, a: ArrayLike, axes: number | readonly number[]): Array {
  let x = asArray(a, "applyOverAxes");
  for (const axis of typeof axes === "number" ? [axes] : axes) {
    const ax = normalizeAxis(axis, x.shape, "applyOverAxes");
    const y = asArray(func(x, ax), "applyOverAxes");
    if (y.ndim === x.ndim - 1) x = expandDims(y, ax);
    else if (y.ndim === x.ndim) x = y;
    else {
      throw new ShapeError(
        `applyOverAxes: func(a, ${ax}) returned ${y.aval.strShort()} for a of ${x.aval.strShort()}; it must keep the rank or drop one axis.`,
      );
    }
  }
  return x;
}

export interface FromfunctionOptions {
  /** The dtype of the index arguments (default int32). */
  readonly dtype?: DType;
}

/**
 * The array whose element at (i0, i1, ...) is `fn(i0, i1, ...)`. As jnp.fromfunction,
 * `fn` is vmapped over scalar indices (numpy instead passes whole index grids); outputs
 * may be a pytree.
 */
export function fromfunction<T>(fn: (...indices: Array[]) => T, shape: readonly number[], opts: FromfunctionOptions = {}): T {
  shape.forEach((d) => checkCount("fromfunction", "each dimension of shape", d));
  const nd = shape.length;
  let f = fn as (...xs: Array[]) => T;
  // Innermost vmap maps the last index; the outermost maps the first (the leading axis).
  for (let i = 0; i < nd; i++) {
    const inAxes = shape.map((_, j) => (j === nd - 1 - i ? 0 : null));
    f = vmap(f, { inAxes });
  }
  // A scope frees the index vectors; fn itself runs traced (under vmap), so it cannot keep concrete arrays.
  return tidy(() => f(...shape.map((d) => arange(0, d, 1, { dtype: opts.dtype ?? "int32" }))));
}
