/**
 * Statistical reductions composed from sum/max/min: var and std (with ddof),
 * logsumexp (stable, with weights `b` and `returnSign`), countNonzero, average (with
 * weights) and ptp. Each takes `(x, axis?, options?)` or `(x, { axis, ...options })`.
 */
import { ArgumentError, ShapeError, broadcastShapes, fmtShape, normalizeAxis, shapeEqual } from "../core/index.js";
import type { Array } from "../trace/array.js";
import {
  type ArrayLike,
  type AxisArg,
  type ReduceOptions,
  abs,
  asArray,
  broadcastTo,
  div,
  exp,
  log,
  max,
  mean,
  min,
  mul,
  notEqual,
  promote,
  sign,
  sqrt,
  square,
  squeeze,
  sub,
  sum,
  where,
} from "../trace/array-ops.js";
import { stopGradient } from "../lax/autodiff.js";
import { isfinite } from "./logic.js";
import { checkNonEmpty, keepDims, reduceMaxRaw, reducedAxes, reducedCount, splitReduceArgs, toInexact } from "./internal.js";
import { tidy } from "../trace/memory.js";

export interface VarOptions extends ReduceOptions {
  /** Delta degrees of freedom: the divisor is N - ddof (default 0). */
  readonly ddof?: number;
  /** The array API's name for ddof. */
  readonly correction?: number;
}

function ddofOf(op: string, opts: VarOptions): number {
  if (opts.ddof !== undefined && opts.correction !== undefined) {
    throw new ArgumentError(`${op}: ddof and correction are the same option; pass only one.`);
  }
  const d = opts.ddof ?? opts.correction ?? 0;
  if (typeof d !== "number" || !Number.isFinite(d)) throw new ArgumentError(`${op}: ddof must be a number, got ${String(d)}.`);
  return d;
}

/** The variance along `axis`: mean((x - mean(x))²) · N / (N - ddof). Exported as `var`. */
export function variance(x: ArrayLike, axisOrOpts?: AxisArg | VarOptions, options?: VarOptions): Array {
  return tidy<Array>(() => {
    const { axis, opts } = splitReduceArgs<VarOptions>("var", axisOrOpts, options, ["keepdims", "ddof", "correction"]);
    const ddof = ddofOf("var", opts);
    const a = toInexact(x, "var");
    const axes = reducedAxes(axis, a.shape, "var");
    const centered = sub(a, mean(a, axes, { keepdims: true }));
    const ss = sum(square(centered), axes, { keepdims: opts.keepdims ?? false });
    return div(ss, Math.max(reducedCount(a, axes) - ddof, 0));
  });
}

/** The standard deviation along `axis`: sqrt(var). */
export function std(x: ArrayLike, axisOrOpts?: AxisArg | VarOptions, options?: VarOptions): Array {
  return tidy<Array>(() => sqrt(variance(x, axisOrOpts, options)));
}

export interface LogsumexpOptions extends ReduceOptions {
  /** Weights: computes log(sum(b · exp(a))); broadcast against `a`. */
  readonly b?: ArrayLike | null;
  /** Return `[log|sum|, sign(sum)]` instead of NaN for negative weighted sums. */
  readonly returnSign?: boolean;
}
type SignOpts = LogsumexpOptions & { readonly returnSign: true };

/**
 * log(sum(exp(a))) along `axis`, shifted by the (finite) maximum so that it neither
 * overflows nor underflows; -inf for empty axes.
 */
export function logsumexp(a: ArrayLike, axisOrOpts?: AxisArg | (LogsumexpOptions & { readonly returnSign?: false }), options?: LogsumexpOptions & { readonly returnSign?: false }): Array;
export function logsumexp(a: ArrayLike, axisOrOpts: SignOpts): [Array, Array];
export function logsumexp(a: ArrayLike, axisOrOpts: AxisArg | undefined, options: SignOpts): [Array, Array];
export function logsumexp(a: ArrayLike, axisOrOpts?: AxisArg | LogsumexpOptions, options?: LogsumexpOptions): Array | [Array, Array] {
  return tidy<Array | [Array, Array]>(() => {
    const op = "logsumexp";
    const { axis, opts } = splitReduceArgs<LogsumexpOptions>(op, axisOrOpts, options, ["keepdims", "b", "returnSign"]);
    let x = toInexact(a, op);
    let b: Array | null = null;
    if (opts.b !== undefined && opts.b !== null) {
      [x, b] = promote(op, x, opts.b) as [Array, Array];
      [x, b] = [toInexact(x, op), toInexact(b, op)];
      const shape = broadcastShapes(op, x.shape, b.shape);
      x = broadcastTo(where(notEqual(b, 0), x, -Infinity), shape);
      b = broadcastTo(b, shape);
    }
    const axes = reducedAxes(axis, x.shape, op);
    const keepdims = opts.keepdims ?? false;
    const mRaw = keepDims(reduceMaxRaw(x, axes), x.shape, axes);
    const m = stopGradient(where(isfinite(mRaw), mRaw, 0));
    let e = exp(sub(x, m));
    if (b) e = mul(e, b);
    let s = sum(e, axes, { keepdims });
    const sgn = sign(s);
    if (b || opts.returnSign) s = abs(s);
    const shiftOut = keepdims ? m : squeeze(m, axes);
    const out = log(s).add(shiftOut);
    if (opts.returnSign) return [out, sgn];
    return b ? where(sgn.lt(0), NaN, out) : out;
  });
}

/** The number of non-zero (true) elements along `axis`, as int32. */
export function countNonzero(x: ArrayLike, axisOrOpts?: AxisArg | ReduceOptions, options?: ReduceOptions): Array {
  return tidy<Array>(() => {
    const { axis, opts } = splitReduceArgs<ReduceOptions>("countNonzero", axisOrOpts, options, ["keepdims"]);
    const a = asArray(x, "countNonzero");
    return sum(notEqual(a, 0), reducedAxes(axis, a.shape, "countNonzero"), { keepdims: opts.keepdims ?? false });
  });
}

export interface AverageOptions extends ReduceOptions {
  /** Weights, of a's shape or 1-D along a single `axis`. */
  readonly weights?: ArrayLike | null;
  /** Also return the sum of the weights (broadcast to the result's shape). */
  readonly returned?: boolean;
}
type ReturnedOpts = AverageOptions & { readonly returned: true };

/** The weighted mean along `axis` (the plain mean without weights). */
export function average(a: ArrayLike, axisOrOpts?: AxisArg | (AverageOptions & { readonly returned?: false }), options?: AverageOptions & { readonly returned?: false }): Array;
export function average(a: ArrayLike, axisOrOpts: ReturnedOpts): [Array, Array];
export function average(a: ArrayLike, axisOrOpts: AxisArg | undefined, options: ReturnedOpts): [Array, Array];
export function average(a: ArrayLike, axisOrOpts?: AxisArg | AverageOptions, options?: AverageOptions): Array | [Array, Array] {
  return tidy<Array | [Array, Array]>(() => {
    const op = "average";
    const { axis, opts } = splitReduceArgs<AverageOptions>(op, axisOrOpts, options, ["keepdims", "weights", "returned"]);
    const keepdims = opts.keepdims ?? false;
    let x = toInexact(a, op);
    let avg: Array;
    let wsum: Array;
    if (opts.weights === undefined || opts.weights === null) {
      const axes = reducedAxes(axis, x.shape, op);
      avg = mean(x, axes, { keepdims });
      wsum = broadcastTo(asArray(reducedCount(x, axes), op).astype(avg.dtype), avg.shape);
    } else {
      let w: Array;
      [x, w] = promote(op, x, opts.weights) as [Array, Array];
      [x, w] = [toInexact(x, op), toInexact(w, op)];
      if (!shapeEqual(x.shape, w.shape)) w = alignWeights(x, w, axis);
      const axes = reducedAxes(axis, x.shape, op);
      wsum = sum(w, axes, { keepdims });
      avg = div(sum(mul(x, w), axes, { keepdims }), wsum);
    }
    if (!opts.returned) return avg;
    return [avg, shapeEqual(wsum.shape, avg.shape) ? wsum : broadcastTo(wsum, avg.shape)];
  });
}

/** 1-D weights along one axis, broadcast to x's shape (numpy's rule when the shapes differ). */
function alignWeights(x: Array, w: Array, axis: AxisArg | undefined): Array {
  const shapes = `a ${fmtShape(x.shape)} and weights ${fmtShape(w.shape)}`;
  if (typeof axis !== "number") {
    throw new ShapeError(`average: ${shapes} differ in shape, so axis must be a single integer naming the axis the 1-D weights run along.`);
  }
  const ax = normalizeAxis(axis, x.shape, "average");
  if (w.ndim !== 1 || w.shape[0] !== x.shape[ax]) {
    throw new ShapeError(
      `average: ${shapes} differ in shape; weights must then be 1-D with length ${x.shape[ax]} (the size of axis ${axis}).`,
    );
  }
  const others = x.shape.map((_, i) => i).filter((i) => i !== ax);
  return broadcastTo(keepDims(w, x.shape, others), x.shape);
}

/** The range (max - min) along `axis`. */
export function ptp(x: ArrayLike, axisOrOpts?: AxisArg | ReduceOptions, options?: ReduceOptions): Array {
  return tidy<Array>(() => {
    const { axis, opts } = splitReduceArgs<ReduceOptions>("ptp", axisOrOpts, options, ["keepdims"]);
    const a = asArray(x, "ptp");
    const o = { axis: reducedAxes(axis, a.shape, "ptp"), keepdims: opts.keepdims ?? false };
    checkNonEmpty("ptp", a, o.axis);
    return sub(max(a, o), min(a, o));
  });
}
