/** numpy functions composed from the primitives (more arrive with the numpy issue). */
import { ArgumentError } from "../core/index.js";
import type { Array } from "../trace/array.js";
import { asArray, concatenate, expandDims, maximum, minimum, promote, type ArrayLike } from "../trace/array-ops.js";

/** Stacks arrays of equal shape along a new axis. */
export function stack(xs: readonly ArrayLike[], axis = 0): Array {
  if (xs.length === 0) throw new ArgumentError("stack: needs at least one array.");
  const arrays = promote("stack", ...xs);
  return concatenate(arrays.map((x) => expandDims(x, axis < 0 ? axis + x.ndim + 1 : axis)), axis < 0 ? axis + arrays[0]!.ndim + 1 : axis);
}

/** Flattens to 1-D. */
export const ravel = (x: ArrayLike): Array => asArray(x, "ravel").reshape([-1]);

/** Limits values to [min, max] (either bound may be null), as jnp.clip. */
export function clip(x: ArrayLike, min: ArrayLike | null = null, max: ArrayLike | null = null): Array {
  let out = asArray(x, "clip");
  if (min !== null) out = maximum(out, min);
  if (max !== null) out = minimum(out, max);
  return out;
}
