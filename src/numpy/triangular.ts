/**
 * Triangles and diagonals: tri, tril, triu (iota masks and select), diag, diagflat,
 * diagonal (a strided slice of the flattened matrix axes), trace, identity.
 */
import { ArgumentError, ShapeError, normalizeAxis, parseDType } from "../core/index.js";
import type { Array } from "../trace/array.js";
import { type ArrayLike, asArray, broadcastTo, concatenate, convert, equal, reshape, scalar, sum, sub, where } from "../trace/array-ops.js";
import { Prim } from "../trace/prim.js";
import { bind1 } from "../trace/trace.js";
import { triangleMask } from "../lax/linalg.js";
import { moveaxis, ravel } from "./axes.js";
import { type DTypeOption, eye } from "./creation.js";
import { checkCount, checkOptions, sliceAxis } from "./internal.js";
import { tidy } from "../trace/memory.js";

const iota2 = (n: number, m: number, dimension: number): Array =>
  bind1(Prim.Iota, [], { dtype: "int32", shape: [n, m], dimension, sharding: null });

/** Bool [n, m]: column <= row + k (lower) or column >= row + k (upper). */
function triMask(n: number, m: number, k: number, lower: boolean): Array {
  if (!Number.isInteger(k)) throw new ArgumentError(`tri: the diagonal offset k must be an integer, got ${k}.`);
  return triangleMask(n, m, k, lower);
}

/** [n, m] with ones at and below the k-th diagonal (float32 unless `dtype`). */
export function tri(n: number, m: number | null = null, k = 0, opts: DTypeOption = {}): Array {
  return tidy<Array>(() => {
    checkOptions("tri", opts, ["dtype"]);
    const rows = checkCount("tri", "N", n);
    const cols = checkCount("tri", "M", m ?? n);
    return convert(triMask(rows, cols, k, true), opts.dtype === undefined ? "float32" : parseDType(opts.dtype, "tri"));
  });
}

function triangle(op: string, x: ArrayLike, k: number, lower: boolean): Array {
  return tidy<Array>(() => {
    const a = asArray(x, op);
    if (a.ndim < 2) throw new ShapeError(`${op}: needs an array of rank >= 2, got ${a.aval.strShort()}; for a vector, use diag first.`);
    const nd = a.ndim;
    const mask = bind1(Prim.BroadcastInDim, [triMask(a.shape[nd - 2]!, a.shape[nd - 1]!, k, lower)], {
      shape: [...a.shape],
      broadcastDimensions: [nd - 2, nd - 1],
      sharding: null,
    });
    return where(mask, a, scalar(0, a.dtype, a.weakType));
  });
}

/** The lower triangle of the last two axes (at and below diagonal k); zeros elsewhere. */
export const tril = (x: ArrayLike, k = 0): Array => triangle("tril", x, k, true);
/** The upper triangle of the last two axes (at and above diagonal k); zeros elsewhere. */
export const triu = (x: ArrayLike, k = 0): Array => triangle("triu", x, k, false);

/**
 * The diagonal with `offset` of the axes `axis1`, `axis2`, appended as the last
 * axis (the other axes keep their order).
 */
export function diagonal(x: ArrayLike, offset = 0, axis1 = 0, axis2 = 1): Array {
  return tidy<Array>(() => {
    const a = asArray(x, "diagonal");
    if (a.ndim < 2) throw new ShapeError(`diagonal: needs an array of rank >= 2, got ${a.aval.strShort()}.`);
    if (!Number.isInteger(offset)) throw new ArgumentError(`diagonal: offset must be an integer, got ${offset}.`);
    const i = normalizeAxis(axis1, a.shape, "diagonal");
    const j = normalizeAxis(axis2, a.shape, "diagonal");
    if (i === j) throw new ArgumentError(`diagonal: axis1 and axis2 must be different axes, got ${axis1} and ${axis2} of ${a.aval.strShort()}.`);
    const moved = moveaxis(a, [i, j], [-2, -1]);
    const lead = moved.shape.slice(0, -2);
    const n = moved.shape[a.ndim - 2]!;
    const m = moved.shape[a.ndim - 1]!;
    const len = Math.max(0, offset >= 0 ? Math.min(n, m - offset) : Math.min(n + offset, m));
    const flat = reshape(moved, [...lead, n * m]);
    if (len === 0) return sliceAxis(flat, lead.length, 0, 0);
    const start = offset >= 0 ? offset : -offset * m;
    return sliceAxis(flat, lead.length, start, start + (len - 1) * (m + 1) + 1, m + 1);
  });
}

/** The sum along a diagonal (see diagonal); bools count as int32. */
export const trace = (x: ArrayLike, offset = 0, axis1 = 0, axis2 = 1): Array => tidy<Array>(() => sum(diagonal(x, offset, axis1, axis2), -1));

/**
 * A 1-D input becomes a square matrix with it on diagonal k; a 2-D input gives its
 * k-th diagonal.
 */
export function diag(v: ArrayLike, k = 0): Array {
  return tidy<Array>(() => {
    const a = asArray(v, "diag");
    if (a.ndim === 2) return diagonal(a, k);
    if (a.ndim !== 1) throw new ShapeError(`diag: input must be 1-D or 2-D, got ${a.aval.strShort()}; use diagonal for higher ranks.`);
    if (!Number.isInteger(k)) throw new ArgumentError(`diag: k must be an integer, got ${k}.`);
    const zero = scalar(0, a.dtype, a.weakType);
    const pad = Math.abs(k);
    const n = a.shape[0]! + pad;
    const padded = pad === 0 ? a : concatenate([a, broadcastTo(zero, [pad])], 0);
    // Row r holds padded[r] (k >= 0); column c holds padded[c] (k < 0).
    const values = bind1(Prim.BroadcastInDim, [padded], { shape: [n, n], broadcastDimensions: [k >= 0 ? 0 : 1], sharding: null });
    return where(equal(sub(iota2(n, n, 1), iota2(n, n, 0)), k), values, zero);
  });
}

/** diag of the flattened input. */
export const diagflat = (v: ArrayLike, k = 0): Array => tidy<Array>(() => diag(ravel(v), k));

/** The n×n identity matrix. */
export const identity = (n: number, opts: DTypeOption = {}): Array => eye(n, n, 0, opts);
