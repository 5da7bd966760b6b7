/**
 * softmax and logSoftmax over one or more axes (default the last), as jax.nn defines
 * them, with an optional `where` mask of the elements that take part.
 *
 * Both subtract the maximum along the axes first, so exp never overflows. softmax has
 * JAX's custom JVP rule ẏ = y·(ẋ - Σ y·ẋ), so no derivative flows through the maximum;
 * logSoftmax wraps the maximum in stopGradient, as JAX does. Masked-out elements come
 * out as 0 (softmax) or -inf (logSoftmax); a fully masked row gives 0 / -inf too.
 * Both are wrapped in jit (static axes), as JAX's are: called eagerly each runs as one
 * cached fused program; under a transform jit traces inline.
 */
import type { Array } from "../trace/array.js";
import type { ArrayLike, AxisArg } from "../trace/array-ops.js";
import { stopGradient } from "../lax/autodiff.js";
import { divide as div, exp, log, max, multiply as mul, subtract as sub, sum, where } from "../numpy/index.js";
import { splitReduceArgs, reducedAxes, toInexact } from "../numpy/internal.js";
import { tidy } from "../trace/memory.js";
import { jit } from "../transforms/jit.js";
import { withCustomJvp } from "./custom-jvp.js";
import { whereMask } from "./where-mask.js";

export interface SoftmaxOptions {
  /** The axis or axes to normalize over (default -1; null for all). */
  readonly axis?: AxisArg;
  /** Elements to include (broadcast to x's shape); the others get 0 (softmax) or -inf (logSoftmax). */
  readonly where?: ArrayLike | null;
}

interface Parsed {
  readonly x: Array;
  readonly axes: number[];
  readonly mask: Array | null;
  /** True when a normalized axis has size 0: the result is empty, nothing to reduce. */
  readonly empty: boolean;
}

function parse(op: string, x: ArrayLike, axisOrOpts: AxisArg | SoftmaxOptions | undefined, options: SoftmaxOptions | undefined): Parsed {
  const { axis, opts } = splitReduceArgs<SoftmaxOptions>(op, axisOrOpts, options, ["where"]);
  const a = toInexact(x, op);
  const axes = reducedAxes(axis === undefined ? -1 : axis, a.shape, op);
  const mask = whereMask(op, opts.where, a);
  return { x: a, axes, mask, empty: axes.some((i) => a.shape[i] === 0) };
}

/** x with the masked-out elements replaced by -inf (they then add nothing to the maximum or the sum). */
const masked = (x: Array, mask: Array | null): Array => (mask ? where(mask, x, -Infinity) : x);

/** The body of softmax; customSoftmax binds it with JAX's JVP rule. */
const customSoftmax: (x: Array, axes: readonly number[], mask: Array | null) => Array = withCustomJvp(
  // Called inside softmax's tidy (eagerly) or while tracing (where tidy frees nothing).
  function softmax(x: Array, axes: readonly number[], mask: Array | null): Array {
    const safe = masked(x, mask);
    const unnormalized = exp(sub(safe, max(safe, axes, { keepdims: true })));
    const y = div(unnormalized, sum(unnormalized, axes, { keepdims: true }));
    return mask ? where(mask, y, 0) : y;
  },
  (axes: readonly number[], [x, mask]: [Array, Array | null], [t]: [Array]): [Array, Array] => {
    const y: Array = customSoftmax(x, axes, mask);
    return [y, mul(y, sub(t, sum(mul(y, t), axes, { keepdims: true })))];
  },
  { nondiffArgnums: [1] },
);

/**
 * exp(x) / Σ exp(x) along `axis` (default -1; a list, or null for all axes), computed
 * as exp(x - max) / Σ exp(x - max). `(x, axis?, { where }?)` or `(x, { axis, where })`.
 */
export function softmax(x: ArrayLike, axisOrOpts?: AxisArg | SoftmaxOptions, options?: SoftmaxOptions): Array {
  return tidy(() => {
    const p = parse("softmax", x, axisOrOpts, options);
    return p.empty ? p.x.mul(0) : compiledSoftmax(p.mask ? [p.x, p.mask] : [p.x], p.axes);
  });
}

/** softmax over `axes` of [x] or [x, mask]: one jit program per axes, mask presence, shapes and dtypes. */
const compiledSoftmax = jit(([x, mask]: readonly Array[], axes: readonly number[]) => customSoftmax(x!, axes, mask ?? null), { staticArgnums: [1] });

/**
 * log(softmax(x)) along `axis` (default -1), computed as (x - m) - log Σ exp(x - m) with
 * m = stopGradient(max x): accurate where softmax underflows to 0.
 */
export function logSoftmax(x: ArrayLike, axisOrOpts?: AxisArg | SoftmaxOptions, options?: SoftmaxOptions): Array {
  return tidy(() => {
    const { x: a, axes, mask, empty } = parse("logSoftmax", x, axisOrOpts, options);
    return empty ? a.mul(0) : compiledLogSoftmax(mask ? [a, mask] : [a], axes);
  });
}

/** logSoftmax over `axes` of [x] or [x, mask]: one jit program per axes, mask presence, shapes and dtypes. */
const compiledLogSoftmax = jit(
  ([x, mask]: readonly Array[], axes: readonly number[]): Array => {
    const safe = masked(x!, mask ?? null);
    const shifted = sub(safe, stopGradient(max(safe, axes, { keepdims: true })));
    const y = sub(shifted, log(sum(exp(shifted), axes, { keepdims: true })));
    return mask ? where(mask, y, -Infinity) : y;
  },
  { staticArgnums: [1] },
);
