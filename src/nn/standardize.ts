/**
 * standardize (jax.nn.standardize): (x - mean) / sqrt(variance + epsilon) over `axis`
 * (default -1), the normalization of layer norm. As in JAX, the variance defaults to
 * mean(x²) - mean(x)² (one pass over x, not numpy's mean((x - mean)²)); `mean` and
 * `variance` may be given instead (broadcast against x), and `where` restricts the
 * statistics to the masked-in elements. Wrapped in jit, as JAX's is: called eagerly it
 * runs as one cached fused program; under a transform jit traces inline.
 */
import type { Array } from "../trace/array.js";
import { type ArrayLike, type AxisArg, asArray } from "../trace/array-ops.js";
import { rsqrt } from "../lax/elementwise.js";
import { add, divide as div, mean as meanOf, multiply as mul, square, subtract as sub, sum, where } from "../numpy/index.js";
import { splitReduceArgs, reducedAxes, toInexact } from "../numpy/internal.js";
import { tidy } from "../trace/memory.js";
import { jit } from "../transforms/jit.js";
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
    const given = (v: ArrayLike | null | undefined, convert: (v: ArrayLike, op: string) => Array): Array | null =>
      v === undefined || v === null ? null : convert(v, op);
    const [m, variance] = [given(opts.mean, asArray), given(opts.variance, toInexact)];
    // A number epsilon stays a weak constant of the program (rounded to x's dtype, not to float32).
    const epsilon = opts.epsilon ?? 1e-5;
    const numeric = typeof epsilon === "number";
    const operands = [a, ...[numeric ? null : asArray(epsilon, op), m, variance, mask].filter((v): v is Array => v !== null)];
    const layout = { axes, epsilon: numeric ? epsilon : null, mean: m !== null, variance: variance !== null, masked: mask !== null };
    return compiledStandardize(operands, layout);
  });
}

interface Layout {
  readonly axes: readonly number[];
  /** epsilon when it is a number; null when it is an array operand (after x). */
  readonly epsilon: number | null;
  /** Which optional operands follow, in this order. */
  readonly mean: boolean;
  readonly variance: boolean;
  readonly masked: boolean;
}

/** The body over [x, epsilon?, mean?, variance?, mask?]: one jit program per layout, shapes and dtypes. */
const compiledStandardize = jit((operands: readonly Array[], layout: Layout): Array => {
  const [x, ...rest] = operands;
  const { axes, mean, variance, masked } = layout;
  const next = (present: boolean): Array | null => (present ? rest.shift()! : null);
  const epsilon = next(layout.epsilon === null) ?? layout.epsilon!;
  const [givenMean, givenVariance, mask] = [next(mean), next(variance), next(masked)];
  // The mean over the masked-in elements (all of them without a mask), keepdims.
  const average = (v: Array): Array =>
    mask ? div(sum(where(mask, v, 0), axes, { keepdims: true }), sum(mask, axes, { keepdims: true })) : meanOf(v, axes, { keepdims: true });
  const m = givenMean ?? average(x!);
  const v = givenVariance ?? sub(average(square(x!)), square(m));
  return mul(sub(x!, m), rsqrt(add(v, epsilon)));
}, { staticArgnums: [1] });
