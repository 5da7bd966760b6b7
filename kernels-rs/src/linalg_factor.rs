//! Direct factorisations on f64 matrices: Cholesky (Banachiewicz order),
//! triangular solves by substitution, LU with partial pivoting (Doolittle), and
//! Householder QR.
use crate::linalg::Mat;

/// Lower Cholesky factor read from the lower triangle of `a`; all NaN when `a` is
/// not (numerically) positive definite, as JAX returns.
pub fn cholesky(a: &Mat) -> Mat {
    let n = a.rows;
    let mut l = Mat::zeros(n, n);
    for j in 0..n {
        let mut d = a.at(j, j);
        for k in 0..j {
            d -= l.at(j, k) * l.at(j, k);
        }
        if !(d > 0.0) {
            return Mat { rows: n, cols: n, d: vec![f64::NAN; n * n] };
        }
        let ljj = d.sqrt();
        l.set(j, j, ljj);
        for i in j + 1..n {
            let mut s = a.at(i, j);
            for k in 0..j {
                s -= l.at(i, k) * l.at(j, k);
            }
            l.set(i, j, s / ljj);
        }
    }
    l
}

/// Solves t x = b for triangular `t` (lower: forward substitution, else backward).
fn substitute(t: &Mat, lower: bool, b: &Mat) -> Mat {
    let n = t.rows;
    let mut x = b.clone();
    for c in 0..b.cols {
        for s in 0..n {
            let i = if lower { s } else { n - 1 - s };
            let mut v = x.at(i, c);
            for r in 0..s {
                let j = if lower { r } else { n - 1 - r };
                v -= t.at(i, j) * x.at(j, c);
            }
            x.set(i, c, v / t.at(i, i));
        }
    }
    x
}

/// op(a) x = b (left) or x op(a) = b, reading the `lower` (else upper) triangle of
/// `a`, with ones on the diagonal when `unit_diagonal`; op transposes when `transpose_a`.
pub fn triangular_solve(a: &Mat, b: &Mat, left: bool, lower: bool, transpose_a: bool, unit_diagonal: bool) -> Mat {
    let n = a.rows;
    let mut t = Mat::zeros(n, n);
    for i in 0..n {
        for j in 0..n {
            if (lower && j < i) || (!lower && j > i) {
                t.set(i, j, a.at(i, j));
            }
        }
        t.set(i, i, if unit_diagonal { 1.0 } else { a.at(i, i) });
    }
    let op = if transpose_a { t.transposed() } else { t };
    let op_lower = lower != transpose_a;
    if left {
        substitute(&op, op_lower, b)
    } else {
        // x op = b  <=>  op^T x^T = b^T, and op^T has the other triangle.
        substitute(&op.transposed(), !op_lower, &b.transposed()).transposed()
    }
}

/// LU with partial pivoting (the first row of largest |pivot|): (packed L\U,
/// pivots, permutation) with a[perm] = L U. A zero pivot skips elimination.
pub fn lu(a: &Mat) -> (Mat, Vec<i32>, Vec<i32>) {
    let (m, n) = (a.rows, a.cols);
    let mut x = a.clone();
    let mut perm: Vec<i32> = (0..m as i32).collect();
    let mut pivots = Vec::with_capacity(m.min(n));
    for j in 0..m.min(n) {
        let mut p = j;
        for i in j + 1..m {
            if x.at(i, j).abs() > x.at(p, j).abs() {
                p = i;
            }
        }
        pivots.push(p as i32);
        if p != j {
            for c in 0..n {
                let tmp = x.at(j, c);
                x.set(j, c, x.at(p, c));
                x.set(p, c, tmp);
            }
            perm.swap(j, p);
        }
        let pivot = x.at(j, j);
        if pivot == 0.0 {
            continue;
        }
        for i in j + 1..m {
            let f = x.at(i, j) / pivot;
            x.set(i, j, f);
            for c in j + 1..n {
                x.set(i, c, x.at(i, c) - f * x.at(j, c));
            }
        }
    }
    (x, pivots, perm)
}

/// Householder QR: the full Q (m x m) and R (m x n). Reflector j maps column j
/// onto alpha e_j, alpha = -sign(x_j) |x| (sign(0) = +1); a column already zero
/// below the diagonal gets none (LAPACK's tau = 0).
pub fn qr(a: &Mat) -> (Mat, Mat) {
    let (m, n) = (a.rows, a.cols);
    let mut r = a.clone();
    let mut q = Mat::eye(m);
    let mut v = vec![0.0; m];
    for j in 0..n.min(m.saturating_sub(1)) {
        let mut sigma = 0.0;
        for i in j + 1..m {
            sigma += r.at(i, j) * r.at(i, j);
        }
        if sigma == 0.0 {
            continue;
        }
        let x0 = r.at(j, j);
        let mu = (x0 * x0 + sigma).sqrt();
        let alpha = if x0 >= 0.0 { -mu } else { mu };
        v[j] = x0 - alpha;
        for i in j + 1..m {
            v[i] = r.at(i, j);
        }
        let beta = 2.0 / (v[j] * v[j] + sigma);
        for c in j..n {
            let mut s = 0.0;
            for i in j..m {
                s += v[i] * r.at(i, c);
            }
            for i in j..m {
                r.set(i, c, r.at(i, c) - beta * s * v[i]);
            }
        }
        r.set(j, j, alpha);
        for i in j + 1..m {
            r.set(i, j, 0.0);
        }
        for row in 0..m {
            let mut s = 0.0;
            for i in j..m {
                s += q.at(row, i) * v[i];
            }
            for i in j..m {
                q.set(row, i, q.at(row, i) - beta * s * v[i]);
            }
        }
    }
    (q, r)
}
