/**
 * Helpers shared by the numpy modules (not exported from `np`): argument parsing for
 * reductions, float promotion, static slicing along one axis, and option checks.
 */
import { ArgumentError, type DType, ShapeError, broadcastShapes, isFloat, normalizeAxes } from "../core/index.js";
import type { Array } from "../trace/array.js";
import { type ArrayLike, type AxisArg, type AxisOrOptions, asArray, convert } from "../trace/array-ops.js";
import { Prim } from "../trace/prim.js";
import { bind1 } from "../trace/trace.js";

/** Promotes integers and bools to float32 (JAX's promote_to_inexact); floats pass through. */
export function toInexact(x: ArrayLike, op: string): Array {
  const a = asArray(x, op);
  return isFloat(a.dtype) ? a : convert(a, "float32", a.weakType);
}

export const isFloatArray = (x: Array): boolean => isFloat(x.dtype);

/** The largest finite value of a float dtype (numpy's finfo(dtype).max). */
export function finfoMax(dtype: DType): number {
  return dtype === "float64" ? Number.MAX_VALUE : 3.4028234663852886e38;
}

/** The machine epsilon of a float dtype (numpy's finfo(dtype).eps). */
export function finfoEps(dtype: DType): number {
  return dtype === "float64" ? Number.EPSILON : 1.1920928955078125e-7;
}

/** Throws on option keys that are not in `known`. */
export function checkOptions(op: string, opts: object | undefined, known: readonly string[]): void {
  for (const k of Object.keys(opts ?? {})) {
    if (!known.includes(k)) {
      throw new ArgumentError(`${op}: unknown option "${k}"; the options are: ${known.join(", ")}.`);
    }
  }
}

/**
 * Splits a reduction's `(axis | options, options?)` arguments, as the core reductions
 * do: `f(x, 1)`, `f(x, [0, 1], { keepdims })` and `f(x, { axis, keepdims, ... })`.
 */
export function splitReduceArgs<O extends { readonly axis?: AxisArg }>(
  op: string,
  axisOrOpts: AxisArg | O | undefined,
  options: O | undefined,
  known: readonly string[],
): { axis: AxisArg | undefined; opts: O } {
  if (axisOrOpts !== null && typeof axisOrOpts === "object" && !globalThis.Array.isArray(axisOrOpts)) {
    const o = axisOrOpts as O;
    checkOptions(op, o, ["axis", ...known]);
    return { axis: o.axis, opts: o };
  }
  checkOptions(op, options, known);
  return { axis: axisOrOpts as AxisArg | undefined, opts: (options ?? {}) as O };
}

/** The reduced axes (sorted, non-negative) for an axis argument. */
export const reducedAxes = (axis: AxisArg | undefined, shape: readonly number[], op: string): number[] =>
  normalizeAxes(axis, shape, op);

/** Number of elements reduced over `axes`. */
export const reducedCount = (x: Array, axes: readonly number[]): number => axes.reduce((k, i) => k * x.shape[i]!, 1);

/** Re-inserts reduced axes as size 1 (keepdims), for a value reduced over `axes`. */
export function keepDims(out: Array, inShape: readonly number[], axes: readonly number[]): Array {
  const shape = inShape.map((d, i) => (axes.includes(i) ? 1 : d));
  const kept = inShape.map((_, i) => i).filter((i) => !axes.includes(i));
  return bind1(Prim.BroadcastInDim, [out], { shape, broadcastDimensions: kept, sharding: null });
}

/** `x[start:stop:step]` along `axis` (static, non-negative, stop clamped by the caller). */
export function sliceAxis(x: Array, axis: number, start: number, stop: number, step = 1): Array {
  if (start === 0 && stop === x.shape[axis] && step === 1) return x;
  const starts = x.shape.map((_, i) => (i === axis ? start : 0));
  const limits = x.shape.map((d, i) => (i === axis ? stop : d));
  const strides = step === 1 ? null : x.shape.map((_, i) => (i === axis ? step : 1));
  return bind1(Prim.Slice, [x], { startIndices: starts, limitIndices: limits, strides });
}

/** reduce_max / reduce_min bound directly (zero-size axes give the identity, -inf / +inf / false / true). */
export const reduceMaxRaw = (x: Array, axes: readonly number[]): Array =>
  bind1(Prim.ReduceMax, [x], { axes: [...axes], outSharding: null });
export const reduceMinRaw = (x: Array, axes: readonly number[]): Array =>
  bind1(Prim.ReduceMin, [x], { axes: [...axes], outSharding: null });

/** A non-negative integer static argument, or an ArgumentError naming the op. */
export function checkCount(op: string, what: string, n: unknown): number {
  if (typeof n !== "number" || !Number.isInteger(n) || n < 0) {
    throw new ArgumentError(`${op}: ${what} must be a non-negative integer, got ${String(n)}.`);
  }
  return n;
}

/** Checks that operands broadcast together, so that the error names `op` (not an inner primitive). */
export function checkBroadcast(op: string, ...xs: readonly ArrayLike[]): void {
  broadcastShapes(op, ...xs.map((x) => (typeof x === "object" ? x.shape : [])));
}

/** max/min-like reductions have no identity: reduced axes must be non-empty. */
export function checkNonEmpty(op: string, a: Array, axes: readonly number[]): void {
  if (axes.some((i) => a.shape[i] === 0)) {
    throw new ShapeError(
      `${op}: zero-size array ${a.aval.strShort()} has no ${op} along axes (${axes.join(", ")}); reduce over non-empty axes.`,
    );
  }
}

/** Arrays' types for messages: "f32[2,3], i32[4]". */
export const fmtArrays = (xs: readonly Array[]): string => xs.map((x) => x.aval.strShort()).join(", ");

export type { ArrayLike, AxisArg, AxisOrOptions };
