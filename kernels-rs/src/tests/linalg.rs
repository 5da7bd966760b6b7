//! Reconstruction tests of the linear-algebra kernels on random matrices.
use super::Rng;
use crate::linalg::Mat;
use crate::linalg_factor::{cholesky, lu, qr, triangular_solve};
use crate::linalg_jacobi::{eigh, svd};

fn random(rng: &mut Rng, rows: usize, cols: usize) -> Mat {
    Mat { rows, cols, d: (0..rows * cols).map(|_| rng.uniform(-1.0, 1.0)).collect() }
}
fn matmul(a: &Mat, b: &Mat) -> Mat {
    let mut c = Mat::zeros(a.rows, b.cols);
    for i in 0..a.rows {
        for j in 0..b.cols {
            let mut s = 0.0;
            for k in 0..a.cols {
                s += a.at(i, k) * b.at(k, j);
            }
            c.set(i, j, s);
        }
    }
    c
}
fn assert_close(a: &Mat, b: &Mat, tol: f64) {
    assert_eq!((a.rows, a.cols), (b.rows, b.cols));
    for (x, y) in a.d.iter().zip(&b.d) {
        assert!((x - y).abs() <= tol, "{:?}\nvs\n{:?}", a, b);
    }
}
fn assert_orthonormal_columns(q: &Mat) {
    assert_close(&matmul(&q.transposed(), q), &Mat::eye(q.cols), 1e-12);
}
/// B B^T + n I: symmetric positive definite.
fn spd(rng: &mut Rng, n: usize) -> Mat {
    let b = random(rng, n, n);
    let mut a = matmul(&b, &b.transposed());
    for i in 0..n {
        a.set(i, i, a.at(i, i) + n as f64);
    }
    a
}
fn diag(rows: usize, cols: usize, s: &[f64]) -> Mat {
    let mut d = Mat::zeros(rows, cols);
    for (i, &x) in s.iter().enumerate() {
        d.set(i, i, x);
    }
    d
}

#[test]
fn cholesky_reconstructs_and_flags_indefinite() {
    let mut rng = Rng::new(1);
    for n in 1..9 {
        let a = spd(&mut rng, n);
        let l = cholesky(&a);
        assert_close(&matmul(&l, &l.transposed()), &a, 1e-12);
        for i in 0..n {
            for j in i + 1..n {
                assert_eq!(l.at(i, j), 0.0);
            }
        }
    }
    let indefinite = Mat { rows: 2, cols: 2, d: vec![1.0, 2.0, 2.0, 1.0] };
    assert!(cholesky(&indefinite).d.iter().all(|x| x.is_nan()));
}

#[test]
fn triangular_solve_every_flag_combination() {
    let mut rng = Rng::new(2);
    for flags in 0..16 {
        let (left, lower, trans, unit) = (flags & 1 != 0, flags & 2 != 0, flags & 4 != 0, flags & 8 != 0);
        let (m, n) = (4, 3);
        let na = if left { m } else { n };
        let mut a = random(&mut rng, na, na);
        for i in 0..na {
            a.set(i, i, 3.0 + a.at(i, i));
        }
        let b = random(&mut rng, m, n);
        let x = triangular_solve(&a, &b, left, lower, trans, unit);
        // Rebuild op(a) from the triangle read.
        let mut t = Mat::zeros(na, na);
        for i in 0..na {
            for j in 0..na {
                if (lower && j < i) || (!lower && j > i) {
                    t.set(i, j, a.at(i, j));
                }
            }
            t.set(i, i, if unit { 1.0 } else { a.at(i, i) });
        }
        let op = if trans { t.transposed() } else { t };
        let back = if left { matmul(&op, &x) } else { matmul(&x, &op) };
        assert_close(&back, &b, 1e-12);
    }
}

#[test]
fn lu_reconstructs_permuted_rows() {
    let mut rng = Rng::new(3);
    for &(m, n) in &[(1, 1), (3, 3), (5, 5), (4, 2), (2, 5), (8, 8)] {
        let a = random(&mut rng, m, n);
        let (f, pivots, perm) = lu(&a);
        let k = m.min(n);
        assert_eq!(pivots.len(), k);
        let mut l = Mat::zeros(m, k);
        let mut u = Mat::zeros(k, n);
        for i in 0..m {
            for j in 0..n {
                if j < i && j < k {
                    l.set(i, j, f.at(i, j));
                } else if i < k && j >= i {
                    u.set(i, j, f.at(i, j));
                }
            }
            if i < k {
                l.set(i, i, 1.0);
            }
        }
        let mut pa = Mat::zeros(m, n);
        for i in 0..m {
            for j in 0..n {
                pa.set(i, j, a.at(perm[i] as usize, j));
            }
        }
        assert_close(&matmul(&l, &u), &pa, 1e-12);
    }
}

#[test]
fn qr_reconstructs_with_orthonormal_q() {
    let mut rng = Rng::new(4);
    for &(m, n) in &[(1, 1), (3, 3), (5, 2), (2, 5), (8, 8), (6, 1)] {
        let a = random(&mut rng, m, n);
        let (q, r) = qr(&a);
        assert_orthonormal_columns(&q);
        assert_close(&matmul(&q, &r), &a, 1e-12);
        for i in 0..m {
            for j in 0..n.min(i) {
                assert_eq!(r.at(i, j), 0.0);
            }
        }
    }
}

#[test]
fn eigh_reconstructs_sorted() {
    let mut rng = Rng::new(5);
    for n in 1..9 {
        let b = random(&mut rng, n, n);
        let a = Mat { rows: n, cols: n, d: (0..n * n).map(|k| b.at(k / n, k % n) + b.at(k % n, k / n)).collect() };
        let (v, w) = eigh(&a, true);
        assert!(w.windows(2).all(|p| p[0] <= p[1]));
        assert_orthonormal_columns(&v);
        assert_close(&matmul(&matmul(&v, &diag(n, n, &w)), &v.transposed()), &a, 1e-12);
    }
}

#[test]
fn svd_reconstructs_every_shape_and_rank() {
    let mut rng = Rng::new(6);
    for &(m, n) in &[(1, 1), (3, 3), (5, 2), (2, 5), (8, 8), (7, 3)] {
        for &full in &[false, true] {
            let a = random(&mut rng, m, n);
            let (s, u, vt) = svd(&a, full);
            assert!(s.windows(2).all(|p| p[0] >= p[1]) && s.iter().all(|&x| x >= 0.0));
            assert_orthonormal_columns(&u);
            assert_orthonormal_columns(&vt.transposed());
            assert_close(&matmul(&matmul(&u, &diag(u.cols, vt.rows, &s)), &vt), &a, 1e-12);
        }
    }
    // Rank 1: the zero singular values still get orthonormal vectors.
    let a = Mat { rows: 3, cols: 3, d: vec![1.0, 2.0, 3.0, 2.0, 4.0, 6.0, 3.0, 6.0, 9.0] };
    let (s, u, vt) = svd(&a, true);
    assert!((s[0] - 14.0).abs() < 1e-12 && s[1].abs() < 1e-12);
    assert_orthonormal_columns(&u);
    assert_close(&matmul(&matmul(&u, &diag(3, 3, &s)), &vt), &a, 1e-12);
}
