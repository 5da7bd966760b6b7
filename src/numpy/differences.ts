/**
 * Finite differences from static slices: diff (n-th order, with prepend/append),
 * ediff1d, gradient (central differences inside, one-sided at the edges, uniform
 * spacings) and trapezoid (the trapezoidal rule, with sample points or a spacing).
 */
import { ArgumentError, ShapeError, normalizeAxis, normalizeAxes } from "../core/index.js";
import type { Array } from "../trace/array.js";
import { type ArrayLike, add, asArray, broadcastTo, concatenate, div, mul, notEqual, promote, reshape, sub, sum } from "../trace/array-ops.js";
import { ravel } from "./axes.js";
import { checkCount, checkOptions, sliceAxis, toInexact } from "./internal.js";
import { tidy } from "../trace/memory.js";

export interface DiffOptions {
  /** Values placed before the array along `axis` first (a scalar is broadcast to one slice). */
  readonly prepend?: ArrayLike | null;
  /** Values placed after the array along `axis` first. */
  readonly append?: ArrayLike | null;
}

/** A scalar becomes one slice along `axis` of x's shape; arrays must already fit. */
function asSlab(v: ArrayLike, x: Array, axis: number): Array {
  const a = asArray(v, "diff");
  return a.ndim === 0 ? broadcastTo(a, x.shape.map((d, i) => (i === axis ? 1 : d))) : a;
}

/** The n-th discrete difference along `axis` (default: last): x[1:] - x[:-1], n times; bools use !=. */
export function diff(x: ArrayLike, n = 1, axis = -1, opts: DiffOptions = {}): Array {
  return tidy<Array>(() => {
    checkOptions("diff", opts, ["prepend", "append"]);
    let a = asArray(x, "diff");
    checkCount("diff", "n", n);
    if (a.ndim === 0) throw new ShapeError(`diff: needs an array of rank >= 1, got ${a.aval.strShort()}.`);
    const ax = normalizeAxis(axis, a.shape, "diff");
    const parts: ArrayLike[] = [];
    if (opts.prepend !== undefined && opts.prepend !== null) parts.push(asSlab(opts.prepend, a, ax));
    parts.push(a);
    if (opts.append !== undefined && opts.append !== null) parts.push(asSlab(opts.append, a, ax));
    if (parts.length > 1) a = concatenate(parts, ax);
    for (let k = 0; k < n; k++) {
      const len = a.shape[ax]!;
      if (len === 0) break;
      const hi = sliceAxis(a, ax, 1, len);
      const lo = sliceAxis(a, ax, 0, len - 1);
      a = a.dtype === "bool" ? notEqual(hi, lo) : sub(hi, lo);
    }
    return a;
  });
}

/** Differences of the flattened array, with optional values before and after (flattened too). */
export function ediff1d(x: ArrayLike, opts: { readonly toEnd?: ArrayLike | null; readonly toBegin?: ArrayLike | null } = {}): Array {
  return tidy<Array>(() => {
    checkOptions("ediff1d", opts, ["toEnd", "toBegin"]);
    const d = diff(ravel(asArray(x, "ediff1d")));
    const parts: ArrayLike[] = [];
    if (opts.toBegin !== undefined && opts.toBegin !== null) parts.push(ravel(opts.toBegin));
    parts.push(d);
    if (opts.toEnd !== undefined && opts.toEnd !== null) parts.push(ravel(opts.toEnd));
    return parts.length === 1 ? d : concatenate(parts, 0);
  });
}

export interface GradientOptions {
  /** The axes to differentiate along (default all). */
  readonly axis?: number | readonly number[] | null;
}

/**
 * The gradient of sampled values: central differences (f[i+1] - f[i-1]) / 2h inside,
 * one-sided first differences at the two ends. `spacing` is one number or one per
 * axis (uniform spacings; coordinate arrays are not supported). One axis gives an
 * Array, several a list.
 */
export function gradient(f: ArrayLike, spacing: number | readonly number[] = 1, opts: GradientOptions = {}): Array | Array[] {
  return tidy<Array | Array[]>(() => {
    checkOptions("gradient", opts, ["axis"]);
    const a = toInexact(f, "gradient");
    const axes = opts.axis === undefined || opts.axis === null ? a.shape.map((_, i) => i) : typeof opts.axis === "number" ? [normalizeAxis(opts.axis, a.shape, "gradient")] : normalizeAxes(opts.axis, a.shape, "gradient");
    const hs = typeof spacing === "number" ? axes.map(() => spacing) : [...spacing];
    if (hs.length !== axes.length || hs.some((h) => typeof h !== "number")) {
      throw new ArgumentError(`gradient: give one spacing or one per differentiated axis (${axes.length}); got ${JSON.stringify(spacing)}. Coordinate arrays are not supported.`);
    }
    const out = axes.map((ax, k) => {
      const n = a.shape[ax]!;
      if (n < 2) throw new ShapeError(`gradient: axis ${ax} of ${a.aval.strShort()} has ${n} sample(s); it needs at least 2.`);
      const h = hs[k]!;
      const first = div(sub(sliceAxis(a, ax, 1, 2), sliceAxis(a, ax, 0, 1)), h);
      const last = div(sub(sliceAxis(a, ax, n - 1, n), sliceAxis(a, ax, n - 2, n - 1)), h);
      if (n === 2) return concatenate([first, last], ax);
      const mid = div(sub(sliceAxis(a, ax, 2, n), sliceAxis(a, ax, 0, n - 2)), 2 * h);
      return concatenate([first, mid, last], ax);
    });
    return out.length === 1 ? out[0]! : out;
  });
}

/**
 * The integral of y along `axis` by the trapezoidal rule, at sample points `x` (1-D
 * along the axis, or y's shape) or with spacing `dx` (default 1).
 */
export function trapezoid(y: ArrayLike, opts: { readonly x?: ArrayLike | null; readonly dx?: number; readonly axis?: number } = {}): Array {
  return tidy<Array>(() => {
    checkOptions("trapezoid", opts, ["x", "dx", "axis"]);
    let a = toInexact(y, "trapezoid");
    if (a.ndim === 0) throw new ShapeError(`trapezoid: needs an array of rank >= 1, got ${a.aval.strShort()}.`);
    const ax = normalizeAxis(opts.axis ?? -1, a.shape, "trapezoid");
    const n = a.shape[ax]!;
    const mids = n < 2 ? sliceAxis(a, ax, 0, 0) : div(add(sliceAxis(a, ax, 1, n), sliceAxis(a, ax, 0, n - 1)), 2);
    if (opts.x === undefined || opts.x === null) return mul(sum(mids, ax), opts.dx ?? 1);
    let x: Array;
    [a, x] = promote("trapezoid", a, opts.x) as [Array, Array];
    if (x.ndim === 1) {
      if (x.shape[0] !== n) throw new ShapeError(`trapezoid: x ${x.aval.strShort()} must have one point per sample of axis ${ax} of y (${n}).`);
      x = reshape(x, a.shape.map((d, i) => (i === ax ? d : 1)));
    }
    return sum(mul(diff(x, 1, ax), mids), ax);
  });
}
