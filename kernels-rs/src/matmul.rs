//! Batched matmul for dot_general: out[b, i, j] = sum_p a[b, i, p] * b[b, p, j],
//! with any strides on a and b (the TS side folds dot_general's batch, free and
//! contracting axes into these three), contiguous out.
//!
//! Shape of the algorithm (a later BLIS-style driver will refine it): per batch
//! and per block of `KC` contracting indices, B is packed into zero-padded panels
//! of `NR = 2 * LANES` columns; an `MR x NR` register tile of C accumulates
//! `a[i, p] * panel[p, :]` for p ascending, starting from 0 (first block) or the
//! partial sums in C. Every c[i, j] is thus the sequential sum over p, in order,
//! without fused multiply-add: exactly the naive triple loop's rounding, which is
//! what the scalar twin computes and the tests compare bit for bit.
use crate::dtype::{load, DType, Elem};
use crate::simd::*;

/// Contracting indices per packed block of B.
pub const KC: usize = 256;
/// Rows per register tile.
pub const MR: usize = 4;

pub trait MatElem: Elem {
    fn zero() -> Self;
    /// acc + a * b, rounded twice (no FMA).
    fn madd(acc: Self, a: Self, b: Self) -> Self;
    fn vmadd(acc: v128, a: v128, b: v128) -> v128;
}
macro_rules! mat {
    ($T:ty, $z:expr, |$c:ident, $a:ident, $b:ident| $s:expr, $add:ident, $mul:ident) => {
        impl MatElem for $T {
            #[inline(always)] fn zero() -> Self { $z }
            #[inline(always)] fn madd($c: Self, $a: Self, $b: Self) -> Self { $s }
            #[inline(always)] fn vmadd(c: v128, a: v128, b: v128) -> v128 { $add(c, $mul(a, b)) }
        }
    };
}
mat!(f32, 0.0, |c, a, b| c + a * b, f32x4_add, f32x4_mul);
mat!(f64, 0.0, |c, a, b| c + a * b, f64x2_add, f64x2_mul);
mat!(i32, 0, |c, a, b| c.wrapping_add(a.wrapping_mul(b)), i32x4_add, i32x4_mul);

/// Strides, in elements, of a [batch, rows, cols] operand.
#[derive(Clone, Copy, Debug)]
pub struct Strides3 {
    pub batch: isize,
    pub row: isize,
    pub col: isize,
}

/// Packs `kb` rows x `n` columns of B into panels of `nr` columns, zero-padded.
unsafe fn pack_b<T: MatElem>(b: *const T, kb: usize, n: usize, s: Strides3, nr: usize, dst: &mut [T]) {
    let mut q = 0;
    for j0 in (0..n).step_by(nr) {
        for p in 0..kb {
            let row = b.offset(p as isize * s.row);
            for j in j0..j0 + nr {
                dst[q] = if j < n { *row.offset(j as isize * s.col) } else { T::zero() };
                q += 1;
            }
        }
    }
}

/// An R x NR tile: C[0..R, 0..nrj] (+)= A[0..R, 0..kb] * panel, NR = 2 lanes.
#[inline(always)]
unsafe fn tile<T: MatElem, const R: usize>(
    a: *const T, sa: Strides3, panel: *const T, kb: usize, c: *mut T, ldc: usize, nrj: usize, first: bool,
) {
    let l = T::LANES;
    let mut acc = [[T::zero().splat(); 2]; R];
    if !first {
        let mut buf = [T::zero(); 32];
        for (r, row) in acc.iter_mut().enumerate() {
            for j in 0..nrj {
                buf[j] = *c.add(r * ldc + j);
            }
            row[0] = load(buf.as_ptr());
            row[1] = load(buf.as_ptr().add(l));
        }
    }
    for p in 0..kb {
        let b0 = load(panel.add(p * 2 * l));
        let b1 = load(panel.add(p * 2 * l + l));
        for (r, row) in acc.iter_mut().enumerate() {
            let av = (*a.offset(r as isize * sa.row + p as isize * sa.col)).splat();
            row[0] = T::vmadd(row[0], av, b0);
            row[1] = T::vmadd(row[1], av, b1);
        }
    }
    let mut buf = [T::zero(); 32];
    for (r, row) in acc.iter().enumerate() {
        v128_store(buf.as_mut_ptr() as *mut v128, row[0]);
        v128_store(buf.as_mut_ptr().add(l) as *mut v128, row[1]);
        for j in 0..nrj {
            *c.add(r * ldc + j) = buf[j];
        }
    }
}

/// out[batch, m, n] = a[batch, m, k] @ b[batch, k, n].
pub unsafe fn matmul<T: MatElem>(
    batch: usize, m: usize, n: usize, k: usize,
    a: *const T, sa: Strides3, b: *const T, sb: Strides3, out: *mut T,
) {
    if m == 0 || n == 0 {
        return;
    }
    let nr = 2 * T::LANES;
    let npanels = (n + nr - 1) / nr;
    let mut pack = vec![T::zero(); KC.min(k.max(1)) * npanels * nr];
    for bi in 0..batch {
        let (a0, b0) = (a.offset(bi as isize * sa.batch), b.offset(bi as isize * sb.batch));
        let c0 = out.add(bi * m * n);
        if k == 0 {
            for i in 0..m * n {
                *c0.add(i) = T::zero();
            }
            continue;
        }
        for p0 in (0..k).step_by(KC) {
            let kb = KC.min(k - p0);
            pack_b(b0.offset(p0 as isize * sb.row), kb, n, sb, nr, &mut pack);
            let ap = a0.offset(p0 as isize * sa.col);
            let first = p0 == 0;
            let mut i0 = 0;
            while i0 < m {
                let rows = if m - i0 >= MR { MR } else { 1 };
                let ai = ap.offset(i0 as isize * sa.row);
                for jp in 0..npanels {
                    let j0 = jp * nr;
                    let (panel, c) = (pack.as_ptr().add(jp * kb * nr), c0.add(i0 * n + j0));
                    let nrj = nr.min(n - j0);
                    if rows == MR {
                        tile::<T, MR>(ai, sa, panel, kb, c, n, nrj, first);
                    } else {
                        tile::<T, 1>(ai, sa, panel, kb, c, n, nrj, first);
                    }
                }
                i0 += rows;
            }
        }
    }
}

/// The scalar twin: the naive loop, same summation order.
pub unsafe fn matmul_naive<T: MatElem>(
    batch: usize, m: usize, n: usize, k: usize,
    a: *const T, sa: Strides3, b: *const T, sb: Strides3, out: *mut T,
) {
    for bi in 0..batch {
        for i in 0..m {
            for j in 0..n {
                let mut acc = T::zero();
                for p in 0..k {
                    let x = *a.offset(bi as isize * sa.batch + i as isize * sa.row + p as isize * sa.col);
                    let y = *b.offset(bi as isize * sb.batch + p as isize * sb.row + j as isize * sb.col);
                    acc = T::madd(acc, x, y);
                }
                *out.add((bi * m + i) * n + j) = acc;
            }
        }
    }
}

/// f32, f64, i32 and u32 (as i32: wrapping add and multiply agree bit for bit);
/// `false` for bool, which the caller computes through int32.
pub unsafe fn matmul_dyn(
    dt: DType, batch: usize, m: usize, n: usize, k: usize,
    a: *const u8, sa: Strides3, b: *const u8, sb: Strides3, out: *mut u8,
) -> bool {
    match dt {
        DType::F32 => matmul::<f32>(batch, m, n, k, a as _, sa, b as _, sb, out as _),
        DType::F64 => matmul::<f64>(batch, m, n, k, a as _, sa, b as _, sb, out as _),
        DType::I32 | DType::U32 => matmul::<i32>(batch, m, n, k, a as _, sa, b as _, sb, out as _),
        DType::Bool => return false,
    }
    true
}
