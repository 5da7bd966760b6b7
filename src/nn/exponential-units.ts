/**
 * Exponential linear units, as jax.nn defines them: elu, celu, selu. The negative side
 * uses expm1 so it is accurate near 0; elu evaluates expm1 only on min(x, 0)-like inputs
 * (a `where` first), so large positive x cannot overflow into its unused branch.
 */
import type { Array } from "../trace/array.js";
import type { ArrayLike } from "../trace/array-ops.js";
import { add, divide as div, expm1, greater, maximum, minimum, multiply as mul, where } from "../numpy/index.js";
import { toInexact } from "../numpy/internal.js";
import { tidy } from "../trace/memory.js";

/** x for x > 0, alpha·(exp(x) - 1) otherwise (default alpha 1). */
export function elu(x: ArrayLike, alpha: ArrayLike = 1): Array {
  return tidy(() => {
    const a = toInexact(x, "elu");
    const pos = greater(a, 0);
    return where(pos, a, mul(alpha, expm1(where(pos, 0, a))));
  });
}

/** max(x, 0) + alpha·(exp(min(x, 0)/alpha) - 1): continuously differentiable (default alpha 1). */
export function celu(x: ArrayLike, alpha: ArrayLike = 1): Array {
  return tidy(() => {
    const a = toInexact(x, "celu");
    return add(maximum(a, 0), mul(alpha, expm1(div(minimum(a, 0), alpha))));
  });
}

/** SELU's constants (Klambauer et al. 2017). */
const SELU_ALPHA = 1.6732632423543772848170429916717;
const SELU_SCALE = 1.0507009873554804934193349852946;

/** scale · elu(x, alpha) with the self-normalizing constants alpha ≈ 1.6733, scale ≈ 1.0507. */
export function selu(x: ArrayLike): Array {
  return tidy(() => mul(SELU_SCALE, elu(x, SELU_ALPHA)));
}
