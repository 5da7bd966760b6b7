/**
 * Linear algebra on the trailing two axes of row-major data; leading axes are a
 * batch. Every matrix is computed in float64 (one Float64Array per matrix) and
 * rounded once to the output dtype. Algorithms are the textbook ones, chosen to be
 * plainly right: Cholesky–Banachiewicz, substitution, Doolittle LU with partial
 * pivoting, Householder QR, cyclic Jacobi (eigh) and one-sided Jacobi (svd).
 */
import { type TypedArray, shapeSize } from "../../core/index.js";
import { type LinalgPrim, Prim, type PrimParams } from "../../trace/prim.js";
import { type ImplRule, allocate } from "./common.js";

/** A dense row-major float64 matrix. */
class Mat {
  readonly d: Float64Array;
  constructor(readonly rows: number, readonly cols: number, d?: Float64Array) {
    this.d = d ?? new Float64Array(rows * cols);
  }
  get(i: number, j: number): number {
    return this.d[i * this.cols + j]!;
  }
  set(i: number, j: number, v: number): void {
    this.d[i * this.cols + j] = v;
  }
  static eye(n: number): Mat {
    const m = new Mat(n, n);
    for (let i = 0; i < n; i++) m.set(i, i, 1);
    return m;
  }
  transposed(): Mat {
    const t = new Mat(this.cols, this.rows);
    for (let i = 0; i < this.rows; i++) for (let j = 0; j < this.cols; j++) t.set(j, i, this.get(i, j));
    return t;
  }
  /** The first `cols` columns. */
  leftColumns(cols: number): Mat {
    const t = new Mat(this.rows, cols);
    for (let i = 0; i < this.rows; i++) for (let j = 0; j < cols; j++) t.set(i, j, this.get(i, j));
    return t;
  }
  topRows(rows: number): Mat {
    return new Mat(rows, this.cols, this.d.slice(0, rows * this.cols));
  }
}

/** Matrix `b` of a batch of [rows, cols] matrices stored in `x`, as float64. */
const matrixAt = (x: TypedArray, b: number, rows: number, cols: number): Mat =>
  new Mat(rows, cols, Float64Array.from(x.subarray(b * rows * cols, (b + 1) * rows * cols) as ArrayLike<number>));

/** Lower Cholesky factor from the lower triangle of `a`; all NaN if `a` is not positive definite. */
function cholesky(a: Mat): Mat {
  const n = a.rows;
  const l = new Mat(n, n);
  for (let j = 0; j < n; j++) {
    let d = a.get(j, j);
    for (let k = 0; k < j; k++) d -= l.get(j, k) * l.get(j, k);
    if (!(d > 0)) return new Mat(n, n, new Float64Array(n * n).fill(NaN));
    const ljj = Math.sqrt(d);
    l.set(j, j, ljj);
    for (let i = j + 1; i < n; i++) {
      let s = a.get(i, j);
      for (let k = 0; k < j; k++) s -= l.get(i, k) * l.get(j, k);
      l.set(i, j, s / ljj);
    }
  }
  return l;
}

/** Solves t·x = b for a triangular t (lower or upper), column by column. */
function substitute(t: Mat, lower: boolean, b: Mat): Mat {
  const n = t.rows;
  const x = new Mat(b.rows, b.cols, b.d.slice());
  for (let c = 0; c < b.cols; c++) {
    for (let s = 0; s < n; s++) {
      const i = lower ? s : n - 1 - s;
      let v = x.get(i, c);
      for (let r = 0; r < s; r++) {
        const j = lower ? r : n - 1 - r;
        v -= t.get(i, j) * x.get(j, c);
      }
      x.set(i, c, v / t.get(i, i));
    }
  }
  return x;
}

/** triangular_solve on one matrix: op(a)·x = b or x·op(a) = b, reading one triangle of a. */
function triangularSolve(a: Mat, b: Mat, p: PrimParams<Prim.TriangularSolve>): Mat {
  const n = a.rows;
  // The triangle of a that is read, with the unit diagonal applied.
  const t = new Mat(n, n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const inside = p.lower ? j < i : j > i;
      if (inside) t.set(i, j, a.get(i, j));
    }
    t.set(i, i, p.unitDiagonal ? 1 : a.get(i, i));
  }
  const op = p.transposeA ? t.transposed() : t;
  const opLower = p.lower !== p.transposeA;
  // x·op = b  ⇔  opᵀ·xᵀ = bᵀ, and opᵀ has the other triangle.
  if (p.leftSide) return substitute(op, opLower, b);
  return substitute(op.transposed(), !opLower, b.transposed()).transposed();
}

/** Doolittle LU with partial pivoting (first largest |pivot|); a zero pivot skips elimination. */
function lu(a: Mat): { lu: Mat; pivots: number[]; perm: number[] } {
  const { rows: m, cols: n } = a;
  const x = new Mat(m, n, a.d.slice());
  const perm = Array.from({ length: m }, (_, i) => i);
  const pivots: number[] = [];
  for (let j = 0; j < Math.min(m, n); j++) {
    let p = j;
    for (let i = j + 1; i < m; i++) if (Math.abs(x.get(i, j)) > Math.abs(x.get(p, j))) p = i;
    pivots.push(p);
    if (p !== j) {
      for (let c = 0; c < n; c++) {
        const tmp = x.get(j, c);
        x.set(j, c, x.get(p, c));
        x.set(p, c, tmp);
      }
      [perm[j], perm[p]] = [perm[p]!, perm[j]!];
    }
    const pivot = x.get(j, j);
    if (pivot === 0) continue;
    for (let i = j + 1; i < m; i++) {
      const f = x.get(i, j) / pivot;
      x.set(i, j, f);
      for (let c = j + 1; c < n; c++) x.set(i, c, x.get(i, c) - f * x.get(j, c));
    }
  }
  return { lu: x, pivots, perm };
}

/**
 * Householder QR: reflector j maps column j below the diagonal onto alpha·e_j with
 * alpha = -sign(x_j)·‖x‖ (sign(0) = +1); a column already zero below the diagonal
 * gets no reflector (as LAPACK's tau = 0). Returns the full Q (m×m) and R (m×n).
 */
function qr(a: Mat): { q: Mat; r: Mat } {
  const { rows: m, cols: n } = a;
  const r = new Mat(m, n, a.d.slice());
  const q = Mat.eye(m);
  const v = new Float64Array(m);
  for (let j = 0; j < Math.min(m - 1, n); j++) {
    let sigma = 0;
    for (let i = j + 1; i < m; i++) sigma += r.get(i, j) * r.get(i, j);
    if (sigma === 0) continue;
    const x0 = r.get(j, j);
    const mu = Math.sqrt(x0 * x0 + sigma);
    const alpha = x0 >= 0 ? -mu : mu;
    v[j] = x0 - alpha;
    for (let i = j + 1; i < m; i++) v[i] = r.get(i, j);
    const beta = 2 / (v[j]! * v[j]! + sigma);
    for (let c = j; c < n; c++) {
      let s = 0;
      for (let i = j; i < m; i++) s += v[i]! * r.get(i, c);
      for (let i = j; i < m; i++) r.set(i, c, r.get(i, c) - beta * s * v[i]!);
    }
    r.set(j, j, alpha);
    for (let i = j + 1; i < m; i++) r.set(i, j, 0);
    for (let row = 0; row < m; row++) {
      let s = 0;
      for (let i = j; i < m; i++) s += q.get(row, i) * v[i]!;
      for (let i = j; i < m; i++) q.set(row, i, q.get(row, i) - beta * s * v[i]!);
    }
  }
  return { q, r };
}

const MAX_SWEEPS = 100;

/**
 * A Jacobi rotation (c, s) zeroing the off-diagonal of [[app, apq], [apq, aqq]]
 * (Golub & Van Loan's sym.schur2): t = sign(τ)/(|τ| + √(1+τ²)), τ = (aqq − app)/2apq.
 */
function rotation(app: number, aqq: number, apq: number): [number, number] {
  const tau = (aqq - app) / (2 * apq);
  const t = Math.abs(tau) > 1e150 ? 1 / (2 * tau) : (tau >= 0 ? 1 : -1) / (Math.abs(tau) + Math.sqrt(1 + tau * tau));
  const c = 1 / Math.sqrt(1 + t * t);
  return [c, t * c];
}

/** Rotates columns p, q of m: (x_p, x_q) ← (c·x_p − s·x_q, s·x_p + c·x_q). */
function rotateColumns(m: Mat, p: number, q: number, c: number, s: number): void {
  for (let k = 0; k < m.rows; k++) {
    const xp = m.get(k, p);
    const xq = m.get(k, q);
    m.set(k, p, c * xp - s * xq);
    m.set(k, q, s * xp + c * xq);
  }
}

/** Rotates rows p, q of m: (r_p, r_q) ← (c·r_p − s·r_q, s·r_p + c·r_q). */
function rotateRows(m: Mat, p: number, q: number, c: number, s: number): void {
  for (let k = 0; k < m.cols; k++) {
    const xp = m.get(p, k);
    const xq = m.get(q, k);
    m.set(p, k, c * xp - s * xq);
    m.set(q, k, s * xp + c * xq);
  }
}

/** Indices of `xs` sorted by `key` (stable). */
const order = (n: number, key: (i: number) => number): number[] =>
  Array.from({ length: n }, (_, i) => i).sort((i, j) => key(i) - key(j) || i - j);

/**
 * Cyclic Jacobi on the symmetric matrix built from one triangle of `a`: each
 * rotation Jᵀ·S·J sets s_pq to exactly 0. A rotation is skipped when
 * |s_pq| <= 1e-17·(|s_pp| + |s_qq|); sweeps stop when one rotates nothing.
 * Eigenvalues ascending, eigenvectors the matching columns of v.
 */
function eigh(a: Mat, lower: boolean): { v: Mat; w: number[] } {
  const n = a.rows;
  const s = new Mat(n, n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      const x = lower ? a.get(i, j) : a.get(j, i);
      s.set(i, j, x);
      s.set(j, i, x);
    }
  }
  const v = Mat.eye(n);
  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    let rotated = false;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = s.get(p, q);
        if (!(Math.abs(apq) > 1e-17 * (Math.abs(s.get(p, p)) + Math.abs(s.get(q, q))))) continue;
        const [c, sn] = rotation(s.get(p, p), s.get(q, q), apq);
        rotateColumns(s, p, q, c, sn);
        rotateRows(s, p, q, c, sn);
        s.set(p, q, 0);
        s.set(q, p, 0);
        rotateColumns(v, p, q, c, sn);
        rotated = true;
      }
    }
    if (!rotated) break;
  }
  const idx = order(n, (i) => s.get(i, i));
  const sorted = new Mat(n, n);
  idx.forEach((from, to) => {
    for (let k = 0; k < n; k++) sorted.set(k, to, v.get(k, from));
  });
  return { v: sorted, w: idx.map((i) => s.get(i, i)) };
}

/**
 * Extends the orthonormal columns `basis` (rows×k) to `cols` columns: each new
 * column is the standard basis vector with the largest residual after two rounds of
 * Gram–Schmidt against the columns so far, normalised.
 */
function complete(basis: Mat, cols: number): Mat {
  const n = basis.rows;
  const out = new Mat(n, cols);
  for (let i = 0; i < n; i++) for (let j = 0; j < basis.cols; j++) out.set(i, j, basis.get(i, j));
  for (let j = basis.cols; j < cols; j++) {
    let best: Float64Array | null = null;
    let bestNorm = -1;
    for (let e = 0; e < n; e++) {
      const x = new Float64Array(n);
      x[e] = 1;
      for (let round = 0; round < 2; round++) {
        for (let k = 0; k < j; k++) {
          let d = 0;
          for (let i = 0; i < n; i++) d += out.get(i, k) * x[i]!;
          for (let i = 0; i < n; i++) x[i] = x[i]! - d * out.get(i, k);
        }
      }
      let norm = 0;
      for (let i = 0; i < n; i++) norm += x[i]! * x[i]!;
      if (norm > bestNorm) [best, bestNorm] = [x, norm];
    }
    const scale = 1 / Math.sqrt(bestNorm);
    for (let i = 0; i < n; i++) out.set(i, j, best![i]! * scale);
  }
  return out;
}

/**
 * One-sided Jacobi SVD of a tall matrix b (rows >= cols): columns p, q of U = B·V are
 * rotated until pairwise orthogonal (|u_p·u_q| <= rows·ε·‖u_p‖‖u_q‖, ε = 2⁻⁵²). Returns s
 * descending, U with orthonormal columns (zero singular values get completed
 * columns) and V.
 */
function tallSvd(b: Mat): { s: number[]; u: Mat; v: Mat } {
  const { rows: m, cols: n } = b;
  const u = new Mat(m, n, b.d.slice());
  const v = Mat.eye(n);
  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    let rotated = false;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        let alpha = 0;
        let beta = 0;
        let gamma = 0;
        for (let i = 0; i < m; i++) {
          alpha += u.get(i, p) * u.get(i, p);
          beta += u.get(i, q) * u.get(i, q);
          gamma += u.get(i, p) * u.get(i, q);
        }
        if (!(Math.abs(gamma) > m * Number.EPSILON * Math.sqrt(alpha * beta))) continue;
        const [c, s] = rotation(alpha, beta, gamma);
        rotateColumns(u, p, q, c, s);
        rotateColumns(v, p, q, c, s);
        rotated = true;
      }
    }
    if (!rotated) break;
  }
  const norms = Array.from({ length: n }, (_, j) => {
    let t = 0;
    for (let i = 0; i < m; i++) t += u.get(i, j) * u.get(i, j);
    return Math.sqrt(t);
  });
  const idx = order(n, (j) => -norms[j]!);
  const rank = idx.filter((j) => norms[j]! > 0).length;
  const uo = new Mat(m, rank);
  const vo = new Mat(n, n);
  idx.forEach((from, to) => {
    if (to < rank) for (let i = 0; i < m; i++) uo.set(i, to, u.get(i, from) / norms[from]!);
    for (let i = 0; i < n; i++) vo.set(i, to, v.get(i, from));
  });
  return { s: idx.map((j) => norms[j]!), u: complete(uo, n), v: vo };
}

/** svd of any matrix: s descending, u (m×ku) and vᵀ (kv×n). */
function svd(a: Mat, full: boolean): { s: number[]; u: Mat; vt: Mat } {
  const { rows: m, cols: n } = a;
  if (m >= n) {
    const r = tallSvd(a);
    return { s: r.s, u: full ? complete(r.u, m) : r.u, vt: r.v.transposed() };
  }
  // A = (Aᵀ)ᵀ = (U' S V'ᵀ)ᵀ = V' S U'ᵀ
  const r = tallSvd(a.transposed());
  return { s: r.s, u: r.v, vt: (full ? complete(r.u, n) : r.u).transposed() };
}

/** Runs `f` on every matrix of the batch, writing its results into fresh outputs. */
function batched(
  inAvals: Parameters<ImplRule<Prim>>[1],
  outAvals: Parameters<ImplRule<Prim>>[3],
  f: (b: number, write: (out: number, values: ArrayLike<number>) => void) => void,
): TypedArray[] {
  const a = inAvals[0]!;
  const batch = shapeSize(a.shape.slice(0, -2));
  const outs = outAvals.map((o) => allocate(o.dtype, o.size));
  for (let b = 0; b < batch; b++) {
    f(b, (k, values) => {
      const per = outAvals[k]!.size / batch;
      outs[k]!.set(values, b * per);
    });
  }
  return outs;
}

const dims = (shape: readonly number[]): [number, number] => [shape.at(-2)!, shape.at(-1)!];

export const linalgRules: { readonly [P in LinalgPrim]: ImplRule<P> } = {
  [Prim.Cholesky]: ([x], [a], _p, outs) =>
    batched([a!], outs, (b, write) => {
      const [n] = dims(a!.shape);
      write(0, cholesky(matrixAt(x!, b, n, n)).d);
    }),
  [Prim.TriangularSolve]: ([xa, xb], [a, bv], p, outs) =>
    batched([a!], outs, (b, write) => {
      const [n] = dims(a!.shape);
      const [m, k] = dims(bv!.shape);
      write(0, triangularSolve(matrixAt(xa!, b, n, n), matrixAt(xb!, b, m, k), p).d);
    }),
  [Prim.Lu]: ([x], [a], _p, outs) =>
    batched([a!], outs, (b, write) => {
      const [m, n] = dims(a!.shape);
      const r = lu(matrixAt(x!, b, m, n));
      write(0, r.lu.d);
      write(1, r.pivots);
      write(2, r.perm);
    }),
  [Prim.Qr]: ([x], [a], { fullMatrices }, outs) =>
    batched([a!], outs, (b, write) => {
      const [m, n] = dims(a!.shape);
      const { q, r } = qr(matrixAt(x!, b, m, n));
      const k = fullMatrices ? m : Math.min(m, n);
      write(0, q.leftColumns(k).d);
      write(1, r.topRows(k).d);
    }),
  [Prim.Eigh]: ([x], [a], { lower }, outs) =>
    batched([a!], outs, (b, write) => {
      const [n] = dims(a!.shape);
      const { v, w } = eigh(matrixAt(x!, b, n, n), lower);
      write(0, v.d);
      write(1, w);
    }),
  [Prim.Svd]: ([x], [a], { fullMatrices, computeUv }, outs) =>
    batched([a!], outs, (b, write) => {
      const [m, n] = dims(a!.shape);
      const { s, u, vt } = svd(matrixAt(x!, b, m, n), fullMatrices);
      write(0, s);
      if (computeUv) {
        write(1, u.d);
        write(2, vt.d);
      }
    }),
};
