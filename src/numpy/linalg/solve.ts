/**
 * np.linalg's solvers and the functions built on the factorisations, as jnp.linalg:
 * det and slogdet (from lu), solve and inv (lu and two triangular solves), lstsq,
 * pinv, matrixRank and cond (from the svd). Leading axes are batch axes.
 */
import { ArgumentError, ShapeError, broadcastShapes } from "../../core/index.js";
import * as lax from "../../lax/index.js";
import { bmm, diagOf, eyeBatched, matrixT, permutationMatrix } from "../../lax/linalg.js";
import type { Array } from "../../trace/array.js";
import {
  type ArrayLike,
  abs,
  broadcastTo,
  div,
  expandDims,
  greater,
  greaterEqual,
  log,
  matmul,
  max,
  mul,
  prod,
  scalar,
  sign,
  square,
  squeeze,
  sub,
  sum,
  where,
} from "../../trace/array-ops.js";
import { any } from "../logic.js";
import { finfoEps, toInexact } from "../internal.js";
import { matrixInput, svd, svdvals } from "./decompositions.js";
import { norm, type NormOrder } from "./norm.js";
import { tidy } from "../../trace/memory.js";

/** The sign of each row permutation that lu's pivots apply: (-1)^(number of real swaps). */
function pivotParity(pivots: Array, dtype: Array["dtype"]): Array {
  const steps = lax.broadcastedIota("int32", pivots.shape, pivots.ndim - 1);
  const flips = where(lax.ne(pivots, steps), scalar(-1, dtype), scalar(1, dtype));
  return prod(flips, -1);
}

/** The determinant, from the LU factorisation (differentiable where a is invertible). */
export function det(a: ArrayLike): Array {
  return tidy<Array>(() => {
    const x = matrixInput("linalg.det", a, true);
    const [lu, pivots] = lax.lu(x);
    return mul(pivotParity(pivots, x.dtype), prod(diagOf(lu), -1));
  });
}

/** [sign, log|det|] of the determinant, from the LU factorisation. */
export function slogdet(a: ArrayLike): [Array, Array] {
  return tidy<[Array, Array]>(() => {
    const x = matrixInput("linalg.slogdet", a, true);
    const [lu, pivots] = lax.lu(x);
    const d = diagOf(lu);
    return [mul(pivotParity(pivots, x.dtype), prod(sign(d), -1)), sum(log(abs(d)), -1)];
  });
}

/** x with a·x = b for matrices b (batch axes already equal), through a's LU factors. */
function luSolve(a: Array, b: Array): Array {
  const [lu, , perm] = lax.lu(a);
  const pb = bmm(permutationMatrix(perm, a.dtype), b);
  const y = lax.triangularSolve(lu, pb, { leftSide: true, lower: true, unitDiagonal: true });
  return lax.triangularSolve(lu, y, { leftSide: true, lower: false });
}

/**
 * Solves a·x = b. As jnp.linalg.solve: a 1-D b is one vector (for every matrix of
 * the batch); otherwise b is [..., n, k] and the batch axes of a and b broadcast.
 */
export function solve(a: ArrayLike, b: ArrayLike): Array {
  return tidy<Array>(() => {
    let x = matrixInput("linalg.solve", a, true);
    let y = toInexact(b, "linalg.solve");
    const common = x.dtype === "float64" || y.dtype === "float64" ? "float64" : "float32";
    [x, y] = [x.astype(common), y.astype(common)];
    const n = x.shape.at(-1)!;
    const vector = y.ndim === 1;
    if (vector) {
      if (y.shape[0] !== n) throw new ShapeError(`linalg.solve: b ${y.aval.strShort()} must have length ${n} to match a ${x.aval.strShort()}.`);
      y = broadcastTo(expandDims(y, 1), [...x.shape.slice(0, -2), n, 1]);
    } else if (y.shape.at(-2) !== n) {
      throw new ShapeError(
        `linalg.solve: b ${y.aval.strShort()} must have ${n} rows (axis -2) to match a ${x.aval.strShort()}; for a vector pass a 1-D b.`,
      );
    }
    const batch = broadcastShapes("linalg.solve", x.shape.slice(0, -2), y.shape.slice(0, -2));
    const out = luSolve(broadcastTo(x, [...batch, n, n]), broadcastTo(y, [...batch, ...y.shape.slice(-2)]));
    return vector ? squeeze(out, -1) : out;
  });
}

/** The inverse of square matrices (solve against the identity). */
export function inv(a: ArrayLike): Array {
  return tidy<Array>(() => {
    const x = matrixInput("linalg.inv", a, true);
    const n = x.shape.at(-1)!;
    return luSolve(x, eyeBatched(x.dtype, x.shape.slice(0, -2), n, n));
  });
}

/**
 * Least squares through the svd: [x, residuals, rank, s] as jnp.linalg.lstsq, with
 * singular values below rcond·s_max (default eps·max(m, n)) treated as zero.
 * Residuals are always returned (zeros where numpy returns none).
 */
export function lstsq(a: ArrayLike, b: ArrayLike, opts: { readonly rcond?: number | null } = {}): [Array, Array, Array, Array] {
  return tidy<[Array, Array, Array, Array]>(() => {
    const x = matrixInput("linalg.lstsq", a, false);
    if (x.ndim !== 2) throw new ShapeError(`linalg.lstsq: a must be 2-D, got ${x.aval.strShort()}.`);
    let y = toInexact(b, "linalg.lstsq").astype(x.dtype);
    const [m, n] = x.shape as [number, number];
    const vector = y.ndim === 1;
    if (vector) y = expandDims(y, 1);
    if (y.ndim !== 2 || y.shape[0] !== m) {
      throw new ShapeError(`linalg.lstsq: b ${y.aval.strShort()} must be [${m}] or [${m}, k] to match a ${x.aval.strShort()}.`);
    }
    const rcond = opts.rcond ?? finfoEps(x.dtype) * Math.max(m, n);
    const [u, s, vt] = svd(x, { fullMatrices: false });
    const k = s.shape[0]!;
    const mask = k === 0 ? s : greaterEqual(s, mul(scalar(rcond, x.dtype), lax.slice(s, [0], [1])));
    const rank = sum(mask, null).astype("int32");
    const safe = where(mask, s, scalar(1, x.dtype));
    const sInv = expandDims(where(mask, div(1, safe), scalar(0, x.dtype)), 1);
    let sol = matmul(matrixT(vt), mul(sInv, matmul(matrixT(u), y)));
    const resid = square(norm(sub(y, matmul(x, sol)), null, { axis: 0 }));
    if (vector) sol = squeeze(sol, 1);
    return [sol, resid, rank, s];
  });
}

/** The Moore–Penrose pseudo-inverse; singular values <= rtol·s_max (default 10·max(m, n)·eps) count as zero. */
export function pinv(a: ArrayLike, opts: { readonly rtol?: number | null } = {}): Array {
  return tidy<Array>(() => {
    const x = matrixInput("linalg.pinv", a, false);
    const [m, n] = x.shape.slice(-2) as [number, number];
    if (Math.min(m, n) === 0) return broadcastTo(scalar(0, x.dtype), [...x.shape.slice(0, -2), n, m]);
    const rtol = opts.rtol ?? 10 * Math.max(m, n) * finfoEps(x.dtype);
    const [u, s, vt] = svd(x, { fullMatrices: false });
    const cutoff = mul(scalar(rtol, x.dtype), lax.slice(s, s.shape.map(() => 0), [...s.shape.slice(0, -1), 1]));
    // Dividing by +inf zeroes the discarded directions (as jnp.linalg.pinv does).
    const kept = where(greater(s, cutoff), s, scalar(Infinity, x.dtype));
    return matmul(matrixT(vt), div(matrixT(u), expandDims(kept, -1)));
  });
}

/** The number of singular values above tol (default s_max·max(m, n)·eps); a vector has rank 1 unless all zero. */
export function matrixRank(a: ArrayLike, opts: { readonly rtol?: number | null; readonly tol?: number | null } = {}): Array {
  return tidy<Array>(() => {
    const x = toInexact(a, "linalg.matrixRank");
    if (x.ndim < 2) return any(lax.ne(x, scalar(0, x.dtype))).astype("int32");
    const s = svdvals(x);
    const [m, n] = x.shape.slice(-2) as [number, number];
    const rtol = opts.rtol ?? Math.max(m, n) * finfoEps(x.dtype);
    const tol = opts.tol === undefined || opts.tol === null ? mul(max(s, { axis: -1, keepdims: true }), scalar(rtol, x.dtype)) : scalar(opts.tol, x.dtype);
    return sum(greater(s, tol), -1).astype("int32");
  });
}

/** The condition number: s_max/s_min for p = null or 2 (s_min/s_max for -2), else ‖x‖_p·‖x⁻¹‖_p. */
export function cond(a: ArrayLike, p: NormOrder = null): Array {
  return tidy<Array>(() => {
    const x = matrixInput("linalg.cond", a, false);
    if (p === null || p === 2 || p === -2) {
      const s = svdvals(x);
      const k = s.shape.at(-1)!;
      if (k === 0) throw new ShapeError(`linalg.cond: needs non-empty matrices, got ${x.aval.strShort()}.`);
      const first = lax.squeeze(lax.slice(s, s.shape.map(() => 0), [...s.shape.slice(0, -1), 1]), [s.ndim - 1]);
      const last = lax.squeeze(lax.slice(s, [...s.shape.slice(0, -1).map(() => 0), k - 1], s.shape), [s.ndim - 1]);
      return p === -2 ? div(last, first) : div(first, last);
    }
    if (x.shape.at(-1) !== x.shape.at(-2)) {
      throw new ArgumentError(`linalg.cond: p=${JSON.stringify(p)} needs square matrices, got ${x.aval.strShort()}; use p = null, 2 or -2.`);
    }
    const axis = [x.ndim - 2, x.ndim - 1] as const;
    return mul(norm(x, p, { axis }), norm(inv(x), p, { axis }));
  });
}
