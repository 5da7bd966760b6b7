/**
 * Autodiff and batching rules of the linear-algebra primitives, following JAX's
 * jax/_src/lax/linalg.py rules (real dtypes: conjugation is the identity).
 */
import { ArgumentError } from "../core/index.js";
import * as lax from "../lax/index.js";
import {
  bmm,
  colsOf,
  diagMatrix,
  diagOf,
  eyeBatched,
  matrixT,
  permutationMatrix,
  rowsOf,
  tril,
  triu,
} from "../lax/linalg.js";
import type { Array } from "../trace/array.js";
import { broadcastTo, scalar } from "../trace/array-ops.js";
import { Prim, type LinalgPrim, type PrimParams } from "../trace/prim.js";
import { bind, bind1 } from "../trace/trace.js";
import type { JvpRule } from "./jvp-rules.js";
import { Zero, isZero } from "./zero.js";

const full = (like: Array, value: number): Array => broadcastTo(scalar(value, like.dtype), like.shape);
const batchOf = (x: Array): number[] => x.shape.slice(0, -2);

const solve = (a: Array, b: Array, p: Partial<PrimParams<Prim.TriangularSolve>>): Array =>
  bind1(Prim.TriangularSolve, [a, b], {
    leftSide: p.leftSide ?? false,
    lower: p.lower ?? false,
    transposeA: p.transposeA ?? false,
    conjugateA: p.conjugateA ?? false,
    unitDiagonal: p.unitDiagonal ?? false,
  });

/** JAX's _cholesky_jvp_rule: L̇ = L·Φ(L⁻¹ Ȧ L⁻ᵀ), Φ taking the lower triangle with a halved diagonal. */
const choleskyJvp: JvpRule<Prim.Cholesky> = ([x], [t]) => {
  const l = bind1(Prim.Cholesky, [x!], {});
  if (isZero(t!)) return [[l], [new Zero(l.aval)]];
  const n = l.shape.at(-1)!;
  const tmp = solve(l, t!, { leftSide: false, transposeA: true, lower: true });
  const inner = solve(l, tmp, { leftSide: true, transposeA: false, lower: true });
  const halfDiag = lax.sub(full(inner, 1), lax.mul(eyeBatched(l.dtype, batchOf(l), n, n), scalar(0.5, l.dtype, true)));
  return [[l], [bmm(l, lax.mul(tril(inner), halfDiag))]];
};

/**
 * JAX's _triangular_solve_jvp_rule_a for a (ẋ = −op(a)⁻¹ op(ȧ) x on the left,
 * −x op(ȧ) op(a)⁻¹ on the right, ordered as the cheaper product), and linearity in b.
 */
const triangularSolveJvp: JvpRule<Prim.TriangularSolve> = ([a, b], [ta, tb], p) => {
  const ans = bind1(Prim.TriangularSolve, [a!, b!], p);
  const parts: Array[] = [];
  if (!isZero(tb!)) parts.push(bind1(Prim.TriangularSolve, [a!, tb!], p));
  if (!isZero(ta!)) {
    const [m, n] = b!.shape.slice(-2) as [number, number];
    const k = p.unitDiagonal ? 1 : 0;
    let g = p.lower ? tril(ta!, -k) : triu(ta!, k);
    g = lax.neg(g);
    if (p.transposeA) g = matrixT(g);
    const inv = (rhs: Array): Array => bind1(Prim.TriangularSolve, [a!, rhs], p);
    if (p.leftSide) parts.push(m > n ? inv(bmm(g, ans)) : bmm(inv(g), ans));
    else parts.push(m < n ? inv(bmm(ans, g)) : bmm(ans, inv(g)));
  }
  if (parts.length === 0) return [[ans], [new Zero(ans.aval)]];
  return [[ans], [parts.reduce((x, y) => lax.add(x, y))]];
};

/** Pads the last two axes with zero rows/columns at the end, up to [rows, cols]. */
function padTo(x: Array, rows: number, cols: number): Array {
  let out = x;
  const [r, c] = x.shape.slice(-2) as [number, number];
  if (r < rows) out = lax.concatenate([out, broadcastTo(scalar(0, x.dtype), [...batchOf(x), rows - r, c])], x.ndim - 2);
  if (c < cols) out = lax.concatenate([out, broadcastTo(scalar(0, x.dtype), [...batchOf(x), rows, cols - c])], x.ndim - 1);
  return out;
}

/** JAX's _lu_jvp_rule (differentiation of the triangular factorisation): L̇ and U̇ packed like lu. */
const luJvp: JvpRule<Prim.Lu> = ([a], [t]) => {
  const [lu, pivots, perm] = bind(Prim.Lu, [a!], {}) as [Array, Array, Array];
  const zeros = [new Zero(pivots.aval), new Zero(perm.aval)];
  if (isZero(t!)) return [[lu, pivots, perm], [new Zero(lu.aval), ...zeros]];
  const [m, n] = a!.shape.slice(-2) as [number, number];
  const k = Math.min(m, n);
  const batch = batchOf(a!);
  const x = bmm(permutationMatrix(perm, a!.dtype), t!);
  const lStart = a!.shape.map(() => 0);
  const l0 = lax.slice(lu, lStart, [...batch, m, k]);
  const l = lax.add(padTo(tril(l0, -1), m, m), eyeBatched(a!.dtype, batch, m, m));
  const u0 = lax.slice(lu, lStart, [...batch, k, n]);
  const u = lax.add(padTo(triu(u0), n, n), eyeBatched(a!.dtype, batch, n, n, k));
  const la = solve(l, x, { leftSide: true, lower: true, unitDiagonal: true });
  const lau = solve(u, la, { leftSide: false, lower: false });
  const luDot = lax.add(bmm(l, tril(lau, -1)), bmm(triu(lau), u));
  return [[lu, pivots, perm], [luDot, ...zeros]];
};

/** JAX's qr_jvp_rule (m >= n, reduced factors; full only when square). */
const qrJvp: JvpRule<Prim.Qr> = ([x], [t], p) => {
  const [m, n] = x!.shape.slice(-2) as [number, number];
  if (isZero(t!)) {
    const outs = bind(Prim.Qr, [x!], p);
    return [outs, outs.map((o) => new Zero(o.aval))];
  }
  if (m < n || (p.fullMatrices && m !== n)) {
    throw new ArgumentError(
      `qr: the derivative is implemented for m >= n with reduced factors (or square matrices), got ${x!.aval.strShort()} ` +
        `with full_matrices=${p.fullMatrices ? "True" : "False"}; use fullMatrices: false (np.linalg.qr mode "reduced").`,
    );
  }
  const [q, r] = bind(Prim.Qr, [x!], { ...p, fullMatrices: false }) as [Array, Array];
  const dxRinv = solve(r, t!, { leftSide: false, lower: false });
  const qtDxRinv = bmm(matrixT(q), dxRinv);
  const low = tril(qtDxRinv, -1);
  const dO = lax.sub(low, matrixT(low));
  const dq = lax.add(bmm(q, lax.sub(dO, qtDxRinv)), dxRinv);
  const dr = bmm(lax.sub(qtDxRinv, dO), r);
  return [[q, r], [dq, dr]];
};

/** JAX's _eigh_jvp_rule: ẇ = diag(vᵀȦv), v̇ = v·(F ∘ vᵀȦv) with F_ij = 1/(w_j − w_i) off the diagonal. */
const eighJvp: JvpRule<Prim.Eigh> = ([a], [t], p) => {
  const [v, w] = bind(Prim.Eigh, [a!], p) as [Array, Array];
  if (isZero(t!)) return [[v, w], [new Zero(v.aval), new Zero(w.aval)]];
  const n = a!.shape.at(-1)!;
  const eye = eyeBatched(a!.dtype, batchOf(a!), n, n);
  const fmat = lax.sub(lax.integerPow(lax.add(eye, lax.sub(rowsOf(w, n), colsOf(w, n))), -1), eye);
  const vtAv = bmm(bmm(matrixT(v), t!), v);
  return [[v, w], [bmm(v, lax.mul(fmat, vtAv)), diagOf(vtAv)]];
};

/** JAX's _svd_jvp_rule (reduced factors; full only when square). */
const svdJvp: JvpRule<Prim.Svd> = ([a], [t], p) => {
  if (isZero(t!)) {
    const outs = bind(Prim.Svd, [a!], p);
    return [outs, outs.map((o) => new Zero(o.aval))];
  }
  const [m, n] = a!.shape.slice(-2) as [number, number];
  if (p.computeUv && p.fullMatrices && m !== n) {
    throw new ArgumentError(
      `svd: the derivative with full_matrices=True is implemented only for square matrices, got ${a!.aval.strShort()}; ` +
        `use fullMatrices: false.`,
    );
  }
  const [s, u, vt] = bind(Prim.Svd, [a!], { ...p, fullMatrices: false, computeUv: true }) as [Array, Array, Array];
  const dA = t!;
  const ut = matrixT(u);
  const v = matrixT(vt);
  const dS = bmm(bmm(ut, dA), v);
  const ds = diagOf(dS);
  if (!p.computeUv) return [[s], [ds]];
  const k = s.shape.at(-1)!;
  const sRow = rowsOf(s, k); // s_dim: s[..., None, :]
  const sCol = matrixT(sRow);
  const sDiffs = lax.mul(lax.add(sRow, sCol), lax.sub(sRow, sCol));
  const eye = eyeBatched(s.dtype, s.shape.slice(0, -1), k, k);
  const f = lax.sub(lax.div(full(sDiffs, 1), lax.add(sDiffs, eye)), eye);
  const dSS = lax.mul(sRow, dS);
  const SdS = lax.mul(sCol, dS);
  const sZeros = lax.convertElementType(lax.eq(s, full(s, 0)), s.dtype);
  const sInv = lax.sub(lax.div(full(s, 1), lax.add(s, sZeros)), sZeros);
  const dUdVdiag = lax.mul(lax.mul(lax.sub(dS, matrixT(dS)), diagMatrix(sInv)), scalar(0.5, s.dtype, true));
  let dU = bmm(u, lax.add(lax.mul(f, lax.add(dSS, matrixT(dSS))), dUdVdiag));
  let dV = bmm(v, lax.mul(f, lax.add(SdS, matrixT(SdS))));
  if (m > n) {
    const dAV = bmm(dA, v);
    dU = lax.add(dU, lax.div(lax.sub(dAV, bmm(u, bmm(ut, dAV))), rowsOf(s, m)));
  }
  if (n > m) {
    const dAHU = bmm(matrixT(dA), u);
    dV = lax.add(dV, lax.div(lax.sub(dAHU, bmm(v, bmm(vt, dAHU))), rowsOf(s, n)));
  }
  return [[s, u, vt], [ds, dU, matrixT(dV)]];
};

export const linalgJvpRules: { [P in LinalgPrim]: JvpRule<P> } = {
  [Prim.Cholesky]: choleskyJvp,
  [Prim.TriangularSolve]: triangularSolveJvp,
  [Prim.Lu]: luJvp,
  [Prim.Qr]: qrJvp,
  [Prim.Eigh]: eighJvp,
  [Prim.Svd]: svdJvp,
};
