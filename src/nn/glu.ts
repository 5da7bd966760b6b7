/** The gated linear unit (jax.nn.glu): split an axis in two halves a, b and return a · sigmoid(b). */
import { ArgumentError, fmtShape, normalizeAxis } from "../core/index.js";
import type { Array } from "../trace/array.js";
import type { ArrayLike } from "../trace/array-ops.js";
import { multiply as mul, split } from "../numpy/index.js";
import { toInexact } from "../numpy/internal.js";
import { tidy } from "../trace/memory.js";
import { sigmoid } from "./smooth.js";

/** a · sigmoid(b), where a and b are the first and second halves of `axis` (default -1), whose size must be even. */
export function glu(x: ArrayLike, axis = -1): Array {
  return tidy(() => {
    const a = toInexact(x, "glu");
    const ax = normalizeAxis(axis, a.shape, "glu");
    const n = a.shape[ax]!;
    if (n % 2 !== 0) {
      throw new ArgumentError(`glu: axis ${axis} of the input ${fmtShape(a.shape)} has size ${n}; glu splits it into two halves, so it must be even.`);
    }
    const [first, second] = split(a, 2, ax);
    return mul(first!, sigmoid(second!));
  });
}
