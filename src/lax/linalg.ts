/**
 * lax.linalg: the decomposition primitives with JAX's signatures (camelCase options),
 * and the matrix helpers their autodiff rules and np.linalg are written with. All
 * work on the trailing two axes; leading axes are batch axes.
 */
import type { Array } from "../trace/array.js";
import { asArray, broadcastTo, convert, matmul, scalar, type ArrayLike } from "../trace/array-ops.js";
import { Prim, type PrimParams } from "../trace/prim.js";
import { bind, bind1 } from "../trace/trace.js";
import { add, div, eq, ge, le, mul, selectN } from "./elementwise.js";
import { reduceSum } from "./reduce.js";
import { broadcastInDim, broadcastedIota, transpose } from "./shape.js";
import { tidy } from "../trace/memory.js";

/** Swaps the last two axes (JAX's _T / _H for real dtypes). */
export function matrixT(x: Array): Array {
  const perm = x.shape.map((_, i) => i);
  perm.splice(-2, 2, x.ndim - 1, x.ndim - 2);
  return transpose(x, perm);
}

/** Batched matrix product of operands with equal batch axes. */
export const bmm = (a: Array, b: Array): Array => matmul(a, b);

/** Bool [rows, cols]: column <= row + k (lower) or column >= row + k (upper). */
export function triangleMask(rows: number, cols: number, k: number, lower: boolean): Array {
  return tidy<Array>(() => {
    const row = broadcastedIota("int32", [rows, cols], 0);
    const col = broadcastedIota("int32", [rows, cols], 1);
    const shifted = add(row, scalar(k, "int32"));
    return lower ? le(col, shifted) : ge(col, shifted);
  });
}

/** triangleMask over the last two axes of `shape`, broadcast to it. */
const triMask = (shape: readonly number[], k: number, lower: boolean): Array =>
  broadcastInDim(triangleMask(shape.at(-2)!, shape.at(-1)!, k, lower), shape, [shape.length - 2, shape.length - 1]);

const zerosLike = (x: Array): Array => broadcastTo(scalar(0, x.dtype), x.shape);

/** The lower triangle (at and below diagonal k) of the last two axes; zeros elsewhere. */
export const tril = (x: Array, k = 0): Array => tidy<Array>(() => selectN(triMask(x.shape, k, true), zerosLike(x), x));
/** The upper triangle (at and above diagonal k) of the last two axes; zeros elsewhere. */
export const triu = (x: Array, k = 0): Array => tidy<Array>(() => selectN(triMask(x.shape, k, false), zerosLike(x), x));

/**
 * [...batch, rows, cols] of `dtype`, 1 where column == row and row >= from, else 0
 * (from = 0: the identity; rows == cols not required).
 */
export function eyeBatched(dtype: Array["dtype"], batch: readonly number[], rows: number, cols: number, from = 0): Array {
  return tidy<Array>(() => {
    const r = broadcastedIota("int32", [rows, cols], 0);
    const c = broadcastedIota("int32", [rows, cols], 1);
    let onDiag = eq(r, c);
    if (from > 0) onDiag = selectN(ge(r, scalar(from, "int32")), broadcastTo(scalar(false, "bool"), [rows, cols]), onDiag);
    const e = convert(onDiag, dtype);
    return broadcastInDim(e, [...batch, rows, cols], [batch.length, batch.length + 1]);
  });
}

/** The main diagonal of the last two axes, as the last axis (min(m, n) entries). */
export function diagOf(x: Array): Array {
  return tidy<Array>(() => {
    const [m, n] = x.shape.slice(-2) as [number, number];
    const masked = mul(x, eyeBatched(x.dtype, x.shape.slice(0, -2), m, n));
    return reduceSum(masked, [m <= n ? x.ndim - 1 : x.ndim - 2]);
  });
}

/** Diagonal matrices [..., k, k] from vectors [..., k]. */
export function diagMatrix(v: Array): Array {
  return tidy<Array>(() => {
    const k = v.shape.at(-1)!;
    const batch = v.shape.slice(0, -1);
    return mul(eyeBatched(v.dtype, batch, k, k), broadcastInDim(v, [...batch, k, k], [...batch.map((_, i) => i), batch.length + 1]));
  });
}

/** v[..., None, :] broadcast to [..., rows, k] (each row a copy of v). */
export const rowsOf = (v: Array, rows: number): Array =>
  broadcastInDim(v, [...v.shape.slice(0, -1), rows, v.shape.at(-1)!], [...v.shape.slice(0, -1).map((_, i) => i), v.ndim]);
/** v[..., :, None] broadcast to [..., k, cols] (each column a copy of v). */
export const colsOf = (v: Array, cols: number): Array =>
  broadcastInDim(v, [...v.shape, cols], v.shape.map((_, i) => i));

/** One-hot [..., m, m] matrices P of `dtype` with P[i, j] = (perm[i] == j), so P·x = x[perm] (rows). */
export function permutationMatrix(perm: Array, dtype: Array["dtype"]): Array {
  return tidy<Array>(() => {
    const m = perm.shape.at(-1)!;
    const cols = broadcastedIota("int32", [...perm.shape, m], perm.ndim);
    return convert(eq(colsOf(perm, m), cols), dtype);
  });
}

/** (x + xᵀ) / 2 over the last two axes (JAX's symmetrize). */
export const symmetrize = (x: Array): Array => tidy<Array>(() => div(add(x, matrixT(x)), scalar(2, x.dtype)));

/** The lower Cholesky factor; NaNs where the matrix is not positive definite. */
export function cholesky(x: ArrayLike, opts: { readonly symmetrizeInput?: boolean } = {}): Array {
  return tidy<Array>(() => {
    let a = asArray(x, "cholesky");
    if (opts.symmetrizeInput ?? true) a = symmetrize(a);
    return bind1(Prim.Cholesky, [a], {});
  });
}

export type TriangularSolveOptions = Partial<PrimParams<Prim.TriangularSolve>>;

/** Solves op(a)·x = b (leftSide) or x·op(a) = b for x, with a triangular; JAX's defaults (right side, upper). */
export function triangularSolve(a: ArrayLike, b: ArrayLike, opts: TriangularSolveOptions = {}): Array {
  return bind1(Prim.TriangularSolve, [asArray(a, "triangular_solve"), asArray(b, "triangular_solve")], {
    leftSide: opts.leftSide ?? false,
    lower: opts.lower ?? false,
    transposeA: opts.transposeA ?? false,
    conjugateA: opts.conjugateA ?? false,
    unitDiagonal: opts.unitDiagonal ?? false,
  });
}

/** LU with partial pivoting: [lu, pivots, permutation] with a[permutation] = L·U (L unit lower, U upper, packed in lu). */
export function lu(x: ArrayLike): [Array, Array, Array] {
  return bind(Prim.Lu, [asArray(x, "lu")], {}) as [Array, Array, Array];
}

/** Householder QR: [q, r] with q·r = x; fullMatrices (default true, as JAX) gives a square q. */
export function qr(x: ArrayLike, opts: { readonly fullMatrices?: boolean } = {}): [Array, Array] {
  return bind(Prim.Qr, [asArray(x, "qr")], { fullMatrices: opts.fullMatrices ?? true, pivoting: false, useMagma: null }) as [Array, Array];
}

/** Symmetric eigendecomposition: [v, w], eigenvectors as columns of v, eigenvalues w ascending. */
export function eigh(x: ArrayLike, opts: { readonly lower?: boolean; readonly symmetrizeInput?: boolean } = {}): [Array, Array] {
  return tidy<[Array, Array]>(() => {
    let a = asArray(x, "eigh");
    if (opts.symmetrizeInput ?? true) a = symmetrize(a);
    return bind(Prim.Eigh, [a], { lower: opts.lower ?? true, sortEigenvalues: true, subsetByIndex: null, algorithm: null }) as [Array, Array];
  });
}

export interface SvdOptions {
  readonly fullMatrices?: boolean;
  readonly computeUv?: boolean;
}

/** Singular values (descending), and with computeUv (default) [s, u, vt]; JAX's defaults. */
export function svd(x: ArrayLike, opts: SvdOptions & { readonly computeUv: false }): Array;
export function svd(x: ArrayLike, opts?: SvdOptions): [Array, Array, Array];
export function svd(x: ArrayLike, opts: SvdOptions = {}): Array | [Array, Array, Array] {
  const computeUv = opts.computeUv ?? true;
  const outs = bind(Prim.Svd, [asArray(x, "svd")], {
    fullMatrices: opts.fullMatrices ?? true,
    computeUv,
    subsetByIndex: null,
    algorithm: null,
  });
  return computeUv ? (outs as [Array, Array, Array]) : outs[0]!;
}
