/**
 * `linalg.norm`, `vectorNorm` and `matrixNorm`, composed from reductions. Vector
 * orders: 2 (default), 1, ±Infinity, 0 (count of non-zeros) and any other p.
 * Matrix orders: "fro" (default), 1, -1, Infinity, -Infinity, and the spectral
 * orders 2, -2 and "nuc" (from the singular values).
 */
import { ArgumentError, normalizeAxis } from "../../core/index.js";
import type { Array } from "../../trace/array.js";
import { type ArrayLike, abs, max, min, notEqual, pow, sqrt, square, sum } from "../../trace/array-ops.js";
import { moveaxis } from "../axes.js";
import { keepDims, toInexact } from "../internal.js";
import { svdvals } from "./decompositions.js";
import { tidy } from "../../trace/memory.js";

export type NormOrder = number | "fro" | "nuc" | null;

export interface NormOptions {
  readonly ord?: NormOrder;
  /** One axis (vector norm), two axes (matrix norm), or null: all axes (2-norm), or the vector/matrix norm of a 1-D/2-D input. */
  readonly axis?: number | readonly [number, number] | readonly number[] | null;
  readonly keepdims?: boolean;
}

function vectorNormAxes(x: Array, ord: number, axes: number[], keepdims: boolean): Array {
  const o = { axis: axes, keepdims };
  if (ord === 2) return sqrt(sum(square(abs(x)), o));
  if (ord === Infinity) return max(abs(x), o);
  if (ord === -Infinity) return min(abs(x), o);
  if (ord === 0) return sum(notEqual(x, 0), o).astype(x.dtype);
  if (ord === 1) return sum(abs(x), o);
  return pow(sum(pow(abs(x), ord), o), 1 / ord);
}

function matrixNormAxes(x: Array, ord: NormOrder, rowAxis: number, colAxis: number, keepdims: boolean): Array {
  if (ord === null || ord === "fro") {
    const out = sqrt(sum(square(abs(x)), { axis: [rowAxis, colAxis], keepdims }));
    return out;
  }
  if (ord === 1 || ord === -1 || ord === Infinity || ord === -Infinity) {
    // 1: max over columns of the column sums; inf: max over rows of the row sums.
    const [sumAxis, reduceAxis] = ord === 1 || ord === -1 ? [rowAxis, colAxis] : [colAxis, rowAxis];
    const sums = sum(abs(x), { axis: sumAxis, keepdims: true });
    const f = ord > 0 ? max : min;
    const out = f(sums, { axis: [sumAxis, reduceAxis], keepdims: true });
    return keepdims ? out : out.reshape(x.shape.filter((_, i) => i !== rowAxis && i !== colAxis));
  }
  if (ord === 2 || ord === -2 || ord === "nuc") {
    // The spectral norms: the largest / smallest / sum of the singular values.
    const s = svdvals(moveaxis(x, [rowAxis, colAxis], [-2, -1]));
    const out = ord === 2 ? max(s, -1) : ord === -2 ? min(s, -1) : sum(s, -1);
    return keepdims ? keepDims(out, x.shape, [rowAxis, colAxis].sort((p, q) => p - q)) : out;
  }
  throw new ArgumentError(`linalg.norm: invalid matrix norm order ${JSON.stringify(ord)}; use "fro", "nuc", 1, -1, 2, -2, Infinity or -Infinity.`);
}

/**
 * The norm of `x`: `norm(x)`, `norm(x, ord)`, `norm(x, ord, { axis, keepdims })` or
 * `norm(x, { ord, axis, keepdims })`, as jnp.linalg.norm.
 */
export function norm(x: ArrayLike, ordOrOpts?: NormOrder | NormOptions, options?: NormOptions): Array {
  return tidy<Array>(() => {
    const opts: NormOptions =
      ordOrOpts !== null && typeof ordOrOpts === "object" ? ordOrOpts : { ...options, ord: ordOrOpts ?? options?.ord ?? null };
    for (const k of Object.keys(opts)) {
      if (!["ord", "axis", "keepdims"].includes(k)) throw new ArgumentError(`linalg.norm: unknown option "${k}"; the options are: ord, axis, keepdims.`);
    }
    const a = toInexact(x, "linalg.norm");
    const ord = opts.ord ?? null;
    const keepdims = opts.keepdims ?? false;
    const all = a.shape.map((_, i) => i);
    const axisArg = opts.axis ?? null;
    if (axisArg === null) {
      if (ord === null) return sqrt(sum(square(abs(a)), { axis: all, keepdims }));
      if (a.ndim === 1) return vectorNormAxes(a, checkVectorOrd(ord), [0], keepdims);
      if (a.ndim === 2) return matrixNormAxes(a, ord, 0, 1, keepdims);
      throw new ArgumentError(
        `linalg.norm: with an ord and no axis the input must be 1-D or 2-D, got ${a.aval.strShort()}; pass axis (one axis or two).`,
      );
    }
    const axes = (typeof axisArg === "number" ? [axisArg] : [...axisArg]).map((i) => normalizeAxis(i, a.shape, "linalg.norm"));
    if (axes.length === 1) return vectorNormAxes(a, checkVectorOrd(ord ?? 2), axes, keepdims);
    if (axes.length === 2) {
      if (axes[0] === axes[1]) throw new ArgumentError(`linalg.norm: the two axes of a matrix norm must differ, got (${axes.join(", ")}).`);
      return matrixNormAxes(a, ord, axes[0]!, axes[1]!, keepdims);
    }
    throw new ArgumentError(`linalg.norm: axis must name one axis (vector norm) or two (matrix norm), got (${axes.join(", ")}).`);
  });
}

function checkVectorOrd(ord: NormOrder): number {
  if (ord === null) return 2;
  if (typeof ord !== "number" || Number.isNaN(ord)) {
    throw new ArgumentError(`linalg.norm: invalid vector norm order ${JSON.stringify(ord)}; use a number, Infinity or -Infinity.`);
  }
  return ord;
}

/** The array API's vector_norm: over `axis` (default all axes, flattened), ord 2 by default. */
export function vectorNorm(x: ArrayLike, opts: { readonly ord?: number; readonly axis?: number | readonly number[] | null; readonly keepdims?: boolean } = {}): Array {
  return tidy<Array>(() => {
    const a = toInexact(x, "linalg.vectorNorm");
    const axes = opts.axis === undefined || opts.axis === null ? a.shape.map((_, i) => i) : (typeof opts.axis === "number" ? [opts.axis] : [...opts.axis]).map((i) => normalizeAxis(i, a.shape, "linalg.vectorNorm"));
    const out = vectorNormAxes(a, checkVectorOrd(opts.ord ?? 2), axes, false);
    return opts.keepdims ? keepDims(out, a.shape, [...new Set(axes)].sort((p, q) => p - q)) : out;
  });
}

/** The array API's matrix_norm: over the last two axes, "fro" by default. */
export function matrixNorm(x: ArrayLike, opts: { readonly ord?: NormOrder; readonly keepdims?: boolean } = {}): Array {
  return tidy<Array>(() => {
    const a = toInexact(x, "linalg.matrixNorm");
    if (a.ndim < 2) throw new ArgumentError(`linalg.matrixNorm: needs an array of rank >= 2, got ${a.aval.strShort()}.`);
    return matrixNormAxes(a, opts.ord ?? "fro", a.ndim - 2, a.ndim - 1, opts.keepdims ?? false);
  });
}
