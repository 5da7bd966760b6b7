/**
 * The NaN-ignoring reductions: nansum, nanprod, nanmean, nanvar, nanstd, nanmax,
 * nanmin, nanargmax, nanargmin. NaNs are replaced by the reduction's identity (or
 * excluded from the count); integer and bool inputs reduce as the plain versions.
 */
import { ArgumentError, normalizeAxis } from "../core/index.js";
import type { Array } from "../trace/array.js";
import {
  type ArrayLike,
  type AxisArg,
  type ReduceOptions,
  argmax,
  argmin,
  asArray,
  div,
  max,
  min,
  prod,
  sqrt,
  square,
  sub,
  sum,
  where,
} from "../trace/array-ops.js";
import { all, isnan, logicalNot } from "./logic.js";
import { checkNonEmpty, reducedAxes, splitReduceArgs, toInexact } from "./internal.js";
import type { VarOptions } from "./reductions.js";
import { tidy } from "../trace/memory.js";

type Reducer = (x: ArrayLike, axis?: AxisArg | ReduceOptions, opts?: ReduceOptions) => Array;

function withFill(op: string, reduce: Reducer, fill: number) {
  return (x: ArrayLike, axisOrOpts?: AxisArg | ReduceOptions, options?: ReduceOptions): Array => {
    return tidy(() => {
      const { axis, opts } = splitReduceArgs<ReduceOptions>(op, axisOrOpts, options, ["keepdims"]);
      const a = asArray(x, op);
      const axes = reducedAxes(axis, a.shape, op);
      const filled = a.dtype === "float32" || a.dtype === "float64" ? where(isnan(a), fill, a) : a;
      return reduce(filled, { axis: axes, keepdims: opts.keepdims ?? false });
    });
  };
}

/** The sum along `axis`, treating NaN as 0. */
export const nansum = withFill("nansum", sum, 0);
/** The product along `axis`, treating NaN as 1. */
export const nanprod = withFill("nanprod", prod, 1);

/** The mean of the non-NaN elements along `axis` (NaN where all are NaN). */
export function nanmean(x: ArrayLike, axisOrOpts?: AxisArg | ReduceOptions, options?: ReduceOptions): Array {
  return tidy<Array>(() => {
    const { axis, opts } = splitReduceArgs<ReduceOptions>("nanmean", axisOrOpts, options, ["keepdims"]);
    const a = toInexact(x, "nanmean");
    const o = { axis: reducedAxes(axis, a.shape, "nanmean"), keepdims: opts.keepdims ?? false };
    return div(nansum(a, o), sum(logicalNot(isnan(a)), o));
  });
}

/** The variance of the non-NaN elements along `axis`; NaN where fewer than ddof + 1 remain. */
export function nanvar(x: ArrayLike, axisOrOpts?: AxisArg | VarOptions, options?: VarOptions): Array {
  return tidy<Array>(() => {
    const { axis, opts } = splitReduceArgs<VarOptions>("nanvar", axisOrOpts, options, ["keepdims", "ddof", "correction"]);
    const a = toInexact(x, "nanvar");
    const ddof = opts.ddof ?? opts.correction ?? 0;
    const keepdims = opts.keepdims ?? false;
    const axes = reducedAxes(axis, a.shape, "nanvar");
    const nan = isnan(a);
    const centered = where(nan, 0, sub(a, nanmean(a, axes, { keepdims: true })));
    const ss = sum(square(centered), axes, { keepdims });
    const n = sub(sum(logicalNot(nan), axes, { keepdims }), ddof);
    const empty = n.le(0);
    return where(empty, NaN, div(ss, where(empty, 1, n)));
  });
}

/** The standard deviation of the non-NaN elements: sqrt(nanvar). */
export const nanstd = (x: ArrayLike, axisOrOpts?: AxisArg | VarOptions, options?: VarOptions): Array => tidy<Array>(() =>
  sqrt(nanvar(x, axisOrOpts, options)));

function nanExtreme(op: string, isMax: boolean) {
  return (x: ArrayLike, axisOrOpts?: AxisArg | ReduceOptions, options?: ReduceOptions): Array => {
    return tidy(() => {
      const { axis, opts } = splitReduceArgs<ReduceOptions>(op, axisOrOpts, options, ["keepdims"]);
      const a = asArray(x, op);
      const o = { axis: reducedAxes(axis, a.shape, op), keepdims: opts.keepdims ?? false };
      checkNonEmpty(op, a, o.axis);
      if (a.dtype !== "float32" && a.dtype !== "float64") return isMax ? max(a, o) : min(a, o);
      const nan = isnan(a);
      const out = isMax ? max(where(nan, -Infinity, a), o) : min(where(nan, Infinity, a), o);
      return where(all(nan, o), NaN, out);
    });
  };
}

/** The maximum along `axis`, ignoring NaN (NaN where all are NaN). */
export const nanmax = nanExtreme("nanmax", true);
/** The minimum along `axis`, ignoring NaN (NaN where all are NaN). */
export const nanmin = nanExtreme("nanmin", false);

function nanArg(op: string, isMax: boolean) {
  return (x: ArrayLike, axisOrOpts?: number | null | ReduceOptions, options?: ReduceOptions): Array => {
    return tidy(() => {
      const { axis, opts } = splitReduceArgs<ReduceOptions>(op, axisOrOpts as AxisArg | ReduceOptions, options, ["keepdims"]);
      const a = asArray(x, op);
      const ax = axis === undefined || axis === null ? null : (axis as number);
      if (ax !== null) {
        if (typeof ax !== "number") throw new ArgumentError(`${op}: axis must be a single integer or null, got ${JSON.stringify(ax)}.`);
        normalizeAxis(ax, a.shape, op);
      }
      const o = { axis: ax, keepdims: opts.keepdims ?? false };
      const arg = isMax ? argmax : argmin;
      if (a.dtype !== "float32" && a.dtype !== "float64") return arg(a, o as ReduceOptions);
      const nan = isnan(a);
      const res = arg(where(nan, isMax ? -Infinity : Infinity, a), o as ReduceOptions);
      return where(all(nan, o), -1, res);
    });
  };
}

/** The index of the maximum along `axis`, ignoring NaN; -1 where all are NaN. */
export const nanargmax = nanArg("nanargmax", true);
/** The index of the minimum along `axis`, ignoring NaN; -1 where all are NaN. */
export const nanargmin = nanArg("nanargmin", false);
