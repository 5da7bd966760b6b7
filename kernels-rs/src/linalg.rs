//! Linear algebra on batches of contiguous row-major matrices (the trailing two
//! axes; leading axes flattened into `batch`). Each matrix is loaded into f64,
//! factored there, and stored back in the input dtype, so f32 and f64 share one
//! code path and the TypeScript interpreter (which also computes in f64) is matched
//! closely. Factorisations live in `linalg_factor.rs`, Jacobi methods in
//! `linalg_jacobi.rs`; this file has the matrix type and the dispatch.
use crate::dtype::DType;
use crate::linalg_factor::{cholesky, lu, qr, triangular_solve};
use crate::linalg_jacobi::{eigh, svd};

/// A dense row-major f64 matrix.
#[derive(Clone, Debug, PartialEq)]
pub struct Mat {
    pub rows: usize,
    pub cols: usize,
    pub d: Vec<f64>,
}

impl Mat {
    pub fn zeros(rows: usize, cols: usize) -> Mat {
        Mat { rows, cols, d: vec![0.0; rows * cols] }
    }
    pub fn eye(n: usize) -> Mat {
        let mut m = Mat::zeros(n, n);
        for i in 0..n {
            m.d[i * n + i] = 1.0;
        }
        m
    }
    #[inline(always)]
    pub fn at(&self, i: usize, j: usize) -> f64 {
        self.d[i * self.cols + j]
    }
    #[inline(always)]
    pub fn set(&mut self, i: usize, j: usize, v: f64) {
        self.d[i * self.cols + j] = v;
    }
    pub fn transposed(&self) -> Mat {
        let mut t = Mat::zeros(self.cols, self.rows);
        for i in 0..self.rows {
            for j in 0..self.cols {
                t.set(j, i, self.at(i, j));
            }
        }
        t
    }
    /// The first `cols` columns.
    pub fn left_columns(&self, cols: usize) -> Mat {
        let mut t = Mat::zeros(self.rows, cols);
        for i in 0..self.rows {
            for j in 0..cols {
                t.set(i, j, self.at(i, j));
            }
        }
        t
    }
    /// Rotates rows p, q: (r_p, r_q) <- (c r_p - s r_q, s r_p + c r_q).
    pub fn rotate_rows(&mut self, p: usize, q: usize, c: f64, s: f64) {
        for k in 0..self.cols {
            let (xp, xq) = (self.at(p, k), self.at(q, k));
            self.set(p, k, c * xp - s * xq);
            self.set(q, k, s * xp + c * xq);
        }
    }
    /// Rotates columns p, q: (x_p, x_q) <- (c x_p - s x_q, s x_p + c x_q).
    pub fn rotate_columns(&mut self, p: usize, q: usize, c: f64, s: f64) {
        for k in 0..self.rows {
            let (xp, xq) = (self.at(k, p), self.at(k, q));
            self.set(k, p, c * xp - s * xq);
            self.set(k, q, s * xp + c * xq);
        }
    }
}

/// Operation codes of `fx_linalg` (and the program's LINALG instruction).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum LinalgOp {
    Cholesky = 0,
    TriangularSolve = 1,
    Lu = 2,
    Qr = 3,
    Eigh = 4,
    Svd = 5,
}

impl LinalgOp {
    pub fn from_code(code: u32) -> Option<LinalgOp> {
        Some(match code {
            0 => LinalgOp::Cholesky,
            1 => LinalgOp::TriangularSolve,
            2 => LinalgOp::Lu,
            3 => LinalgOp::Qr,
            4 => LinalgOp::Eigh,
            5 => LinalgOp::Svd,
            _ => return None,
        })
    }
}

/// Flag bits of `fx_linalg`. triangular_solve: LEFT_SIDE, LOWER, TRANSPOSE_A,
/// UNIT_DIAGONAL; qr and svd: FULL_MATRICES (and svd COMPUTE_UV); eigh: LOWER.
pub const LEFT_SIDE: u32 = 1;
pub const LOWER: u32 = 2;
pub const TRANSPOSE_A: u32 = 4;
pub const UNIT_DIAGONAL: u32 = 8;
pub const FULL_MATRICES: u32 = 16;
pub const COMPUTE_UV: u32 = 32;

/// A float element loaded to and stored from f64.
trait Float: Copy {
    fn to_f64(self) -> f64;
    fn from_f64(x: f64) -> Self;
}
impl Float for f32 {
    fn to_f64(self) -> f64 { self as f64 }
    fn from_f64(x: f64) -> Self { x as f32 }
}
impl Float for f64 {
    fn to_f64(self) -> f64 { self }
    fn from_f64(x: f64) -> Self { x }
}

unsafe fn load<T: Float>(p: *const u8, b: usize, rows: usize, cols: usize) -> Mat {
    let n = rows * cols;
    let src = (p as *const T).add(b * n);
    Mat { rows, cols, d: (0..n).map(|i| (*src.add(i)).to_f64()).collect() }
}
unsafe fn store<T: Float>(p: *mut u8, b: usize, m: &Mat) {
    let n = m.rows * m.cols;
    let dst = (p as *mut T).add(b * n);
    for (i, &v) in m.d.iter().enumerate() {
        *dst.add(i) = T::from_f64(v);
    }
}
unsafe fn store_vec<T: Float>(p: *mut u8, b: usize, v: &[f64]) {
    let dst = (p as *mut T).add(b * v.len());
    for (i, &x) in v.iter().enumerate() {
        *dst.add(i) = T::from_f64(x);
    }
}
unsafe fn store_i32(p: *mut u8, b: usize, v: &[i32]) {
    let dst = (p as *mut i32).add(b * v.len());
    for (i, &x) in v.iter().enumerate() {
        *dst.add(i) = x;
    }
}

/// Runs `op` on each of `batch` matrices of x0 ([m, n]; for triangular_solve x0
/// is a, x1 is b [m, n]) writing y0..y2 (see abi.rs). Returns false for a
/// non-float dtype.
pub unsafe fn linalg_dyn(
    op: LinalgOp, flags: u32, dt: DType, batch: usize, m: usize, n: usize,
    x0: *const u8, x1: *const u8, y0: *mut u8, y1: *mut u8, y2: *mut u8,
) -> bool {
    match dt {
        DType::F32 => linalg::<f32>(op, flags, batch, m, n, x0, x1, y0, y1, y2),
        DType::F64 => linalg::<f64>(op, flags, batch, m, n, x0, x1, y0, y1, y2),
        _ => return false,
    }
    true
}

unsafe fn linalg<T: Float>(
    op: LinalgOp, flags: u32, batch: usize, m: usize, n: usize,
    x0: *const u8, x1: *const u8, y0: *mut u8, y1: *mut u8, y2: *mut u8,
) {
    let has = |f: u32| flags & f != 0;
    for b in 0..batch {
        match op {
            LinalgOp::Cholesky => store::<T>(y0, b, &cholesky(&load::<T>(x0, b, n, n))),
            LinalgOp::TriangularSolve => {
                let na = if has(LEFT_SIDE) { m } else { n };
                let a = load::<T>(x0, b, na, na);
                let rhs = load::<T>(x1, b, m, n);
                let x = triangular_solve(&a, &rhs, has(LEFT_SIDE), has(LOWER), has(TRANSPOSE_A), has(UNIT_DIAGONAL));
                store::<T>(y0, b, &x);
            }
            LinalgOp::Lu => {
                let (f, pivots, perm) = lu(&load::<T>(x0, b, m, n));
                store::<T>(y0, b, &f);
                store_i32(y1, b, &pivots);
                store_i32(y2, b, &perm);
            }
            LinalgOp::Qr => {
                let (q, r) = qr(&load::<T>(x0, b, m, n));
                let k = if has(FULL_MATRICES) { m } else { m.min(n) };
                store::<T>(y0, b, &q.left_columns(k));
                store::<T>(y1, b, &Mat { rows: k, cols: n, d: r.d[..k * n].to_vec() });
            }
            LinalgOp::Eigh => {
                let (v, w) = eigh(&load::<T>(x0, b, n, n), has(LOWER));
                store::<T>(y0, b, &v);
                store_vec::<T>(y1, b, &w);
            }
            LinalgOp::Svd => {
                let (s, u, vt) = svd(&load::<T>(x0, b, m, n), has(FULL_MATRICES));
                store_vec::<T>(y0, b, &s);
                if has(COMPUTE_UV) {
                    store::<T>(y1, b, &u);
                    store::<T>(y2, b, &vt);
                }
            }
        }
    }
}
