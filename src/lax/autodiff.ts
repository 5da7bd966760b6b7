/** lax.stopGradient: the identity on values whose derivative is zero (JAX's stop_gradient). */
import { isFloat } from "../core/index.js";
import { map } from "../core/pytree.js";
import { Array } from "../trace/array.js";
import { asArray } from "../trace/array-ops.js";
import { Prim } from "../trace/prim.js";
import { bind1 } from "../trace/trace.js";

/** Applies to every leaf of a pytree; integer and bool arrays pass through unchanged. */
export function stopGradient<T>(x: T): T {
  return map((leaf: unknown) => {
    const a = asArray(leaf as Array, "stopGradient");
    return isFloat(a.dtype) ? bind1(Prim.StopGradient, [a], {}) : a;
  }, x);
}
