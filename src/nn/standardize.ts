/**
 * standardize (jax.nn.standardize): (x - mean) / sqrt(variance + epsilon) over `axis`
 * (default -1), the normalization of layer norm. As in JAX, the variance defaults to
 * mean(x²) - mean(x)² (one pass over x, not numpy's mean((x - mean)²)); `mean` and
 * `variance` may be given instead (broadcast against x), and `where` restricts the
 * statistics to the masked-in elements.
 */
import type { Array } from "../trace/array.js";
import { type ArrayLike, type AxisArg, asArray } from "../trace/array-ops.js";
import { rsqrt } from "../lax/elementwise.js";
import { add, divide as div, mean as meanOf, multiply as mul, square, subtract as sub, sum, where } from "../numpy/index.js";
import { splitReduceArgs, reducedAxes, toInexact } from "../numpy/internal.js";
import { tidy } from "../trace/memory.js";
import { whereMask } from "./where-mask.js";

export interface StandardizeOptions {
  /** The axis or axes to normalize over (default -1; null for all). */
  readonly axis?: AxisArg;
  /** The mean to subtract (default: the mean of x over `axis`, keepdims). */
  readonly mean?: ArrayLike | null;
  /** The variance to divide by (default: mean(x²) - mean², over `axis`, keepdims). */
  readonly variance?: ArrayLike | null;
  /** Added to the variance under the square root (default 1e-5). */
  readonly epsilon?: ArrayLike;
  /** Elements the mean and variance are taken over (broadcast to x's shape). */
  readonly where?: ArrayLike | null;
}

/**
 * (x - mean) / sqrt(variance + epsilon) over `axis` (default -1), with JAX's variance mean(x²) - mean².
 * Called as `(x, axis?, options?)` or `(x, { axis, mean, variance, epsilon, where })`.
 */
export function standardize(x: ArrayLike, axisOrOpts?: AxisArg | StandardizeOptions, options?: StandardizeOptions): Array {
  const op = "standardize";
  const { axis, opts } = splitReduceArgs<StandardizeOptions>(op, axisOrOpts, options, ["mean", "variance", "epsilon", "where"]);
  return tidy(() => {
    const a = toInexact(x, op);
    const axes = reducedAxes(axis === undefined ? -1 : axis, a.shape, op);
    const mask = whereMask(op, opts.where, a);
    // The mean over the masked-in elements (all of them without a mask), keepdims.
    const average = (v: Array): Array =>
      mask ? div(sum(where(mask, v, 0), axes, { keepdims: true }), sum(mask, axes, { keepdims: true })) : meanOf(v, axes, { keepdims: true });
    const m = opts.mean !== undefined && opts.mean !== null ? asArray(opts.mean, op) : average(a);
    const variance = opts.variance !== undefined && opts.variance !== null ? toInexact(opts.variance, op) : sub(average(square(a)), square(m));
    return mul(sub(a, m), rsqrt(add(variance, opts.epsilon ?? 1e-5)));
  });
}
