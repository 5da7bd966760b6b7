//! Batched matmul for dot_general: out[b, i, j] = sum_p a[b, i, p] * b[b, p, j],
//! with any strides on a and b (the TS side folds dot_general's batch, free and
//! contracting axes into these three), contiguous out.
//!
//! A BLIS-style structure, one concern per file: `blocking.rs` (every blocking
//! constant), `pack.rs` (A and B into zero-padded micro-panels, whatever their
//! strides, so a transposed operand costs only its packing), `micro.rs` (the
//! MR x NR register tile) and `driver.rs` (the loop nest). Products narrower than
//! `blocking::PACK_A_MIN_N` columns read A in place through its strides (packing
//! it would cost as much as using it); B is always packed.
//!
//! The register tile is `blocking::WIDE` for f32 and f64 products of at least
//! `PACK_A_MIN_N` columns, else `blocking::NARROW` (see `blocking.rs`); the
//! shape changes the speed only, never the result.
//!
//! Rounding contract: every c[i, j] is the sequential sum over p ascending,
//! starting from 0, of a[i, p] * b[p, j], each term one rounded multiply then
//! one rounded add (no fused multiply-add): exactly the naive loop's rounding,
//! which the scalar twin `matmul_naive` computes and the tests compare bit for bit.
use crate::dtype::{DType, Elem};
use crate::simd::*;

pub mod blocking;
mod driver;
mod micro;
mod pack;

use blocking::{NARROW, PACK_A_MIN_N, WIDE};

pub trait MatElem: Elem {
    /// Whether V8 keeps the wide register tile spill-free for this type.
    const WIDE_TILE: bool;
    fn zero() -> Self;
    /// acc + a * b, rounded twice (no FMA).
    fn madd(acc: Self, a: Self, b: Self) -> Self;
    fn vmadd(acc: v128, a: v128, b: v128) -> v128;
}
macro_rules! mat {
    ($T:ty, $wide:expr, $z:expr, |$c:ident, $a:ident, $b:ident| $s:expr, $add:ident, $mul:ident) => {
        impl MatElem for $T {
            const WIDE_TILE: bool = $wide;
            #[inline(always)] fn zero() -> Self { $z }
            #[inline(always)] fn madd($c: Self, $a: Self, $b: Self) -> Self { $s }
            #[inline(always)] fn vmadd(c: v128, a: v128, b: v128) -> v128 { $add(c, $mul(a, b)) }
        }
    };
}
mat!(f32, true, 0.0, |c, a, b| c + a * b, f32x4_add, f32x4_mul);
mat!(f64, true, 0.0, |c, a, b| c + a * b, f64x2_add, f64x2_mul);
mat!(i32, false, 0, |c, a, b| c.wrapping_add(a.wrapping_mul(b)), i32x4_add, i32x4_mul);

/// Strides, in elements, of a [batch, rows, cols] operand.
#[derive(Clone, Copy, Debug)]
pub struct Strides3 {
    pub batch: isize,
    pub row: isize,
    pub col: isize,
}

/// Whether a matmul may run on the thread pool. `Pool` only where
/// `parallel::parallel_for` may be called: on the main thread, outside any chunk.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Threading {
    Inline,
    Pool,
}

/// out[batch, m, n] = a[batch, m, k] @ b[batch, k, n] (strided operands,
/// contiguous `out`), on the register tile for `T` and `n`.
pub unsafe fn matmul<T: MatElem>(
    batch: usize, m: usize, n: usize, k: usize,
    a: *const T, sa: Strides3, b: *const T, sb: Strides3, out: *mut T, threading: Threading,
) {
    if T::WIDE_TILE && n >= PACK_A_MIN_N {
        driver::matmul::<T, { WIDE.0 }, { WIDE.1 }>(batch, m, n, k, a, sa, b, sb, out, threading)
    } else {
        driver::matmul::<T, { NARROW.0 }, { NARROW.1 }>(batch, m, n, k, a, sa, b, sb, out, threading)
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
    a: *const u8, sa: Strides3, b: *const u8, sb: Strides3, out: *mut u8, threading: Threading,
) -> bool {
    match dt {
        DType::F32 => matmul::<f32>(batch, m, n, k, a as _, sa, b as _, sb, out as _, threading),
        DType::F64 => matmul::<f64>(batch, m, n, k, a as _, sa, b as _, sb, out as _, threading),
        DType::I32 | DType::U32 => matmul::<i32>(batch, m, n, k, a as _, sa, b as _, sb, out as _, threading),
        DType::Bool => return false,
    }
    true
}
