//! Jacobi methods on f64 matrices: cyclic two-sided Jacobi for the symmetric
//! eigenproblem and one-sided (Hestenes) Jacobi for the SVD. Both sweep over all
//! pairs (p < q) in order until a sweep rotates nothing (at most MAX_SWEEPS).
use crate::linalg::Mat;

pub const MAX_SWEEPS: usize = 100;

/// The rotation (c, s) diagonalising [[app, apq], [apq, aqq]] (Golub & Van Loan's
/// sym.schur2): t = sign(tau) / (|tau| + sqrt(1 + tau^2)), tau = (aqq - app) / 2apq.
fn rotation(app: f64, aqq: f64, apq: f64) -> (f64, f64) {
    let tau = (aqq - app) / (2.0 * apq);
    let t = if tau.abs() > 1e150 {
        1.0 / (2.0 * tau)
    } else {
        (if tau >= 0.0 { 1.0 } else { -1.0 }) / (tau.abs() + (1.0 + tau * tau).sqrt())
    };
    let c = 1.0 / (1.0 + t * t).sqrt();
    (c, t * c)
}

/// Indices 0..n sorted by `key` ascending, ties by index.
fn order(n: usize, key: impl Fn(usize) -> f64) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..n).collect();
    idx.sort_by(|&i, &j| key(i).partial_cmp(&key(j)).unwrap_or(core::cmp::Ordering::Equal).then(i.cmp(&j)));
    idx
}

/// Eigenvalues ascending and eigenvectors (columns) of the symmetric matrix
/// built from the lower (or upper) triangle of `a`. Each rotation J^T S J sets
/// s_pq to exactly 0; one is skipped when |s_pq| <= 1e-17 (|s_pp| + |s_qq|).
pub fn eigh(a: &Mat, lower: bool) -> (Mat, Vec<f64>) {
    let n = a.rows;
    let mut s = Mat::zeros(n, n);
    for i in 0..n {
        for j in 0..=i {
            let x = if lower { a.at(i, j) } else { a.at(j, i) };
            s.set(i, j, x);
            s.set(j, i, x);
        }
    }
    let mut v = Mat::eye(n);
    for _ in 0..MAX_SWEEPS {
        let mut rotated = false;
        for p in 0..n {
            for q in p + 1..n {
                let apq = s.at(p, q);
                if !(apq.abs() > 1e-17 * (s.at(p, p).abs() + s.at(q, q).abs())) {
                    continue;
                }
                let (c, sn) = rotation(s.at(p, p), s.at(q, q), apq);
                s.rotate_columns(p, q, c, sn);
                s.rotate_rows(p, q, c, sn);
                s.set(p, q, 0.0);
                s.set(q, p, 0.0);
                v.rotate_columns(p, q, c, sn);
                rotated = true;
            }
        }
        if !rotated {
            break;
        }
    }
    let idx = order(n, |i| s.at(i, i));
    let mut sorted = Mat::zeros(n, n);
    for (to, &from) in idx.iter().enumerate() {
        for k in 0..n {
            sorted.set(k, to, v.at(k, from));
        }
    }
    (sorted, idx.iter().map(|&i| s.at(i, i)).collect())
}

/// Extends orthonormal columns to `cols` columns: each new one is the standard
/// basis vector with the largest residual after two Gram-Schmidt rounds, normalised.
fn complete(basis: &Mat, cols: usize) -> Mat {
    let n = basis.rows;
    let mut out = Mat::zeros(n, cols);
    for i in 0..n {
        for j in 0..basis.cols {
            out.set(i, j, basis.at(i, j));
        }
    }
    for j in basis.cols..cols {
        let mut best = vec![0.0; n];
        let mut best_norm = -1.0;
        for e in 0..n {
            let mut x = vec![0.0; n];
            x[e] = 1.0;
            for _ in 0..2 {
                for k in 0..j {
                    let mut d = 0.0;
                    for i in 0..n {
                        d += out.at(i, k) * x[i];
                    }
                    for i in 0..n {
                        x[i] -= d * out.at(i, k);
                    }
                }
            }
            let mut norm = 0.0;
            for i in 0..n {
                norm += x[i] * x[i];
            }
            if norm > best_norm {
                best = x;
                best_norm = norm;
            }
        }
        let scale = 1.0 / best_norm.sqrt();
        for i in 0..n {
            out.set(i, j, best[i] * scale);
        }
    }
    out
}

/// One-sided Jacobi on a tall `b` (rows >= cols): (s descending, U with
/// orthonormal columns, V). A pair is rotated while |u_p.u_q| > rows eps |u_p||u_q|.
fn tall_svd(b: &Mat) -> (Vec<f64>, Mat, Mat) {
    let (m, n) = (b.rows, b.cols);
    let mut u = b.clone();
    let mut v = Mat::eye(n);
    for _ in 0..MAX_SWEEPS {
        let mut rotated = false;
        for p in 0..n {
            for q in p + 1..n {
                let (mut alpha, mut beta, mut gamma) = (0.0, 0.0, 0.0);
                for i in 0..m {
                    alpha += u.at(i, p) * u.at(i, p);
                    beta += u.at(i, q) * u.at(i, q);
                    gamma += u.at(i, p) * u.at(i, q);
                }
                if !(gamma.abs() > m as f64 * f64::EPSILON * (alpha * beta).sqrt()) {
                    continue;
                }
                let (c, s) = rotation(alpha, beta, gamma);
                u.rotate_columns(p, q, c, s);
                v.rotate_columns(p, q, c, s);
                rotated = true;
            }
        }
        if !rotated {
            break;
        }
    }
    let norms: Vec<f64> = (0..n)
        .map(|j| {
            let mut t = 0.0;
            for i in 0..m {
                t += u.at(i, j) * u.at(i, j);
            }
            t.sqrt()
        })
        .collect();
    let idx = order(n, |j| -norms[j]);
    let rank = idx.iter().filter(|&&j| norms[j] > 0.0).count();
    let mut uo = Mat::zeros(m, rank);
    let mut vo = Mat::zeros(n, n);
    for (to, &from) in idx.iter().enumerate() {
        if to < rank {
            for i in 0..m {
                uo.set(i, to, u.at(i, from) / norms[from]);
            }
        }
        for i in 0..n {
            vo.set(i, to, v.at(i, from));
        }
    }
    (idx.iter().map(|&j| norms[j]).collect(), complete(&uo, n), vo)
}

/// SVD of any matrix: (s descending, U m x ku, V^T kv x n); `full` gives square U, V^T.
pub fn svd(a: &Mat, full: bool) -> (Vec<f64>, Mat, Mat) {
    let (m, n) = (a.rows, a.cols);
    if m >= n {
        let (s, u, v) = tall_svd(a);
        let u = if full { complete(&u, m) } else { u };
        (s, u, v.transposed())
    } else {
        // A = (A^T)^T = (U' S V'^T)^T = V' S U'^T
        let (s, u, v) = tall_svd(&a.transposed());
        let u = if full { complete(&u, n) } else { u };
        (s, v, u.transposed())
    }
}
