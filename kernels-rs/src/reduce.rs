//! Reductions (sum, max, min, prod) over any set of axes, and argmax/argmin over
//! one axis. The caller orders axes as [kept..., reduced...] (output order, then
//! reduced), each with its input stride; the output is contiguous over kept axes.
//!
//! Strategies, by layout of the innermost axes:
//! - A, reduced axis contiguous: each output reduces contiguous runs with four
//!   vector accumulators, splitting runs longer than `BLOCK` in halves
//!   (pairwise), so float sums err O(log n) rather than O(n).
//! - B, kept axis contiguous (e.g. summing over rows): output rows start at the
//!   identity and absorb one input row per reduced index, vectorised along the
//!   row. Float sums fold blocks of rows and merge the blocks pairwise.
//! - C, anything else: scalar, one output at a time.
use crate::binary::{self, Add, Binary, Max, Min, Mul};
use crate::dtype::{load, DType, Elem};
use crate::simd::*;
use crate::strided::Offsets;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ReduceOp {
    Sum = 0,
    Max = 1,
    Min = 2,
    Prod = 3,
}

impl ReduceOp {
    pub fn from_code(c: u32) -> Option<Self> {
        [ReduceOp::Sum, ReduceOp::Max, ReduceOp::Min, ReduceOp::Prod].get(c as usize).copied()
    }
}

/// An associative binary op with its identity (the value of an empty reduction).
pub trait Reducer<T: Elem>: Binary<T> {
    fn id() -> T;
    /// Whether the order of combination changes rounding (float sums), so that
    /// strategy B should combine rows pairwise rather than sequentially.
    const PAIRWISE: bool = false;
    /// A cheaper exact fold of `n >= 4 * LANES` contiguous elements, or None where
    /// it cannot vouch for its result (the caller then folds with `v`).
    #[inline(always)]
    unsafe fn fast_contig(_x: *const T, _n: usize) -> Option<T> {
        None
    }
}
macro_rules! ids {
    ($Op:ident: $($T:ty = $v:expr),*) => {$( impl Reducer<$T> for $Op { #[inline(always)] fn id() -> $T { $v } } )*};
}
/// Float max/min of a contiguous run by the one-instruction `pmax`/`pmin` (x64
/// maxps/minps) instead of the NaN-propagating, zero-ordering `max`/`min` (about
/// eight instructions each in V8): exact whenever no element is NaN (tracked by
/// `x != x`) and the result is not ±0 (the only equal values whose pick matters);
/// in those two cases it answers None and the run is folded again the usual way.
macro_rules! fast_extremum {
    ($Op:ident, $T:ty, $id:expr, $p:ident, $ne:ident, $splat:ident, $mask:ident, $lanes:expr) => {
        impl Reducer<$T> for $Op {
            #[inline(always)]
            fn id() -> $T { $id }
            #[inline(always)]
            unsafe fn fast_contig(x: *const $T, n: usize) -> Option<$T> {
                const L: usize = $lanes;
                let mut acc = [$splat($id); 4];
                let mut nan = $splat(0.0);
                let mut i = 0;
                while i + 4 * L <= n {
                    for (j, a) in acc.iter_mut().enumerate() {
                        let v = v128_load(x.add(i + j * L) as *const v128);
                        *a = $p(*a, v);
                        nan = v128_or(nan, $ne(v, v));
                    }
                    i += 4 * L;
                }
                if $mask(nan) != 0 {
                    return None;
                }
                let v = $p($p(acc[0], acc[1]), $p(acc[2], acc[3]));
                let lanes: [$T; L] = lanes(v);
                let r = reduce_scalar::<$T, $Op>(x.add(i), 1, n - i, lanes.iter().fold($id, |a, &b| <$Op as Binary<$T>>::s(a, b)));
                if r == 0.0 || r.is_nan() {
                    return None;
                }
                Some(r)
            }
        }
    };
}
fast_extremum!(Max, f32, f32::NEG_INFINITY, f32x4_pmax, f32x4_ne, f32x4_splat, i32x4_bitmask, 4);
fast_extremum!(Max, f64, f64::NEG_INFINITY, f64x2_pmax, f64x2_ne, f64x2_splat, i64x2_bitmask, 2);
fast_extremum!(Min, f32, f32::INFINITY, f32x4_pmin, f32x4_ne, f32x4_splat, i32x4_bitmask, 4);
fast_extremum!(Min, f64, f64::INFINITY, f64x2_pmin, f64x2_ne, f64x2_splat, i64x2_bitmask, 2);
impl Reducer<f32> for Add {
    #[inline(always)]
    fn id() -> f32 { 0.0 }
    const PAIRWISE: bool = true;
}
impl Reducer<f64> for Add {
    #[inline(always)]
    fn id() -> f64 { 0.0 }
    const PAIRWISE: bool = true;
}
ids!(Add: i32 = 0, u32 = 0);
ids!(Mul: f32 = 1.0, f64 = 1.0, i32 = 1, u32 = 1);
ids!(Max: i32 = i32::MIN, u32 = 0, u8 = 0);
ids!(Min: i32 = i32::MAX, u32 = u32::MAX, u8 = 1);

/// Contiguous runs longer than this are reduced as two halves (pairwise).
pub const BLOCK: usize = 1024;
/// Strategy B folds this many input rows sequentially, then combines blocks pairwise.
pub const ROW_BLOCK: usize = 32;

/// Reduces `n` contiguous elements (strategy A's inner loop): the reducer's fast
/// fold when it vouches for its result, else `fold_contig`.
pub unsafe fn reduce_contig<T: Elem, O: Reducer<T>>(x: *const T, n: usize) -> T {
    if O::SIMD && n >= 4 * T::LANES {
        if let Some(v) = O::fast_contig(x, n) {
            return v;
        }
    }
    fold_contig::<T, O>(x, n)
}

/// The exact fold of `n` contiguous elements with four vector accumulators, halving
/// runs longer than `BLOCK` (its halves never retry the fast fold).
unsafe fn fold_contig<T: Elem, O: Reducer<T>>(x: *const T, n: usize) -> T {
    let step = 4 * T::LANES;
    if !O::SIMD || n < step {
        return reduce_scalar::<T, O>(x, 1, n, O::id());
    }
    if n > BLOCK {
        let half = n / 2 / step * step;
        return O::s(fold_contig::<T, O>(x, half), fold_contig::<T, O>(x.add(half), n - half));
    }
    let mut acc = [O::id().splat(); 4];
    let mut i = 0;
    while i + step <= n {
        for (j, a) in acc.iter_mut().enumerate() {
            *a = O::v(*a, load(x.add(i + j * T::LANES)));
        }
        i += step;
    }
    let v = O::v(O::v(acc[0], acc[1]), O::v(acc[2], acc[3]));
    let mut buf = [T::default(); 16];
    v128_store(buf.as_mut_ptr() as *mut v128, v);
    let mut m = T::LANES; // pairwise across lanes
    while m > 1 {
        for k in 0..m / 2 {
            buf[k] = O::s(buf[2 * k], buf[2 * k + 1]);
        }
        m /= 2;
    }
    reduce_scalar::<T, O>(x.add(i), 1, n - i, buf[0])
}

/// The scalar twin: a sequential fold of `n` elements with stride `s`, from `acc`.
#[inline(always)]
pub unsafe fn reduce_scalar<T: Elem, O: Reducer<T>>(x: *const T, s: isize, n: usize, mut acc: T) -> T {
    for i in 0..n {
        acc = O::s(acc, *x.offset(i as isize * s));
    }
    acc
}

/// `shape`/`strides` list the kept axes (first `nkeep`) then the reduced ones.
pub unsafe fn reduce<T: Elem, O: Reducer<T>>(nkeep: usize, shape: &[usize], strides: &[isize], x: *const T, out: *mut T) {
    let (ks, kst) = (&shape[..nkeep], &strides[..nkeep]);
    let (mut rs, mut rst) = (shape[nkeep..].to_vec(), strides[nkeep..].to_vec());
    if rs.is_empty() {
        rs.push(1);
        rst.push(0);
    }
    let nout: usize = ks.iter().product();
    let nred: usize = rs.iter().product();
    if nout == 0 {
        return;
    }
    if nred == 0 {
        for i in 0..nout {
            *out.add(i) = O::id();
        }
        return;
    }
    let nr = rs.len();
    let (rn, rstride) = (rs[nr - 1], rst[nr - 1]);
    if rstride == 1 && rn >= 4 * T::LANES {
        // A: contiguous reduced runs.
        let mut runs = Offsets::new(&rs[..nr - 1], &rst[..nr - 1]);
        for (i, ko) in Offsets::new(ks, kst).enumerate() {
            runs.reset();
            let mut acc = O::id();
            for ro in &mut runs {
                acc = O::s(acc, reduce_contig::<T, O>(x.offset(ko + ro), rn));
            }
            *out.add(i) = acc;
        }
    } else if nkeep > 0 && kst[nkeep - 1] == 1 && ks[nkeep - 1] >= T::LANES {
        // B: accumulate whole contiguous kept rows.
        let kn = ks[nkeep - 1];
        let mut red = Offsets::new(&rs, &rst);
        for (r, ko) in Offsets::new(&ks[..nkeep - 1], &kst[..nkeep - 1]).enumerate() {
            let o = out.add(r * kn);
            red.reset();
            if O::PAIRWISE && nred > ROW_BLOCK {
                let rows = (&mut red).map(|ro| x.offset(ko + ro));
                cascade_rows::<T, O>(rows, kn, o);
            } else {
                for j in 0..kn {
                    *o.add(j) = O::id();
                }
                for ro in &mut red {
                    binary::row::<T, O>(o, 1, x.offset(ko + ro), 1, o, kn);
                }
            }
        }
    } else {
        // C: scalar.
        let mut red = Offsets::new(&rs, &rst);
        for (i, ko) in Offsets::new(ks, kst).enumerate() {
            red.reset();
            let mut acc = O::id();
            for ro in &mut red {
                acc = O::s(acc, *x.offset(ko + ro));
            }
            *out.add(i) = acc;
        }
    }
}

/// Combines contiguous rows of `kn` elements into `out`: blocks of `ROW_BLOCK`
/// rows are folded sequentially, and block sums are merged like a binary
/// counter (a partial at level l holds 2^l blocks), so the rounding error grows
/// with ROW_BLOCK + log2(rows / ROW_BLOCK) rather than with the row count.
unsafe fn cascade_rows<T: Elem, O: Reducer<T>>(rows: impl Iterator<Item = *const T>, kn: usize, out: *mut T) {
    let mut levels: Vec<Option<Vec<T>>> = Vec::new();
    let mut cur = vec![O::id(); kn];
    let mut count = 0;
    let push = |mut v: Vec<T>, levels: &mut Vec<Option<Vec<T>>>| {
        let mut l = 0;
        loop {
            if l == levels.len() {
                levels.push(None);
            }
            match levels[l].take() {
                Some(p) => {
                    binary::row::<T, O>(p.as_ptr(), 1, v.as_ptr(), 1, v.as_mut_ptr(), kn);
                    l += 1;
                }
                None => {
                    levels[l] = Some(v);
                    return;
                }
            }
        }
    };
    for r in rows {
        binary::row::<T, O>(cur.as_ptr(), 1, r, 1, cur.as_mut_ptr(), kn);
        count += 1;
        if count == ROW_BLOCK {
            let full = core::mem::replace(&mut cur, vec![O::id(); kn]);
            push(full, &mut levels);
            count = 0;
        }
    }
    for p in levels.into_iter().flatten() {
        binary::row::<T, O>(cur.as_ptr(), 1, p.as_ptr(), 1, cur.as_mut_ptr(), kn);
    }
    core::ptr::copy_nonoverlapping(cur.as_ptr(), out, kn);
}

/// Runs a reduction on dtype `dt`. On bool, sum is "any" and prod is "all".
pub unsafe fn reduce_dyn(op: ReduceOp, dt: DType, nkeep: usize, shape: &[usize], strides: &[isize], x: *const u8, out: *mut u8) {
    macro_rules! go {
        ($T:ty, $Sum:ident, $Prod:ident) => {{
            let (x, out) = (x as *const $T, out as *mut $T);
            match op {
                ReduceOp::Sum => reduce::<$T, $Sum>(nkeep, shape, strides, x, out),
                ReduceOp::Prod => reduce::<$T, $Prod>(nkeep, shape, strides, x, out),
                ReduceOp::Max => reduce::<$T, Max>(nkeep, shape, strides, x, out),
                ReduceOp::Min => reduce::<$T, Min>(nkeep, shape, strides, x, out),
            }
        }};
    }
    match dt {
        DType::F32 => go!(f32, Add, Mul),
        DType::F64 => go!(f64, Add, Mul),
        DType::I32 => go!(i32, Add, Mul),
        DType::U32 => go!(u32, Add, Mul),
        DType::Bool => go!(u8, Max, Min),
    }
}

// --- argmax / argmin ------------------------------------------------------------
/// Ordering for arg-reductions: NaN is the extreme of both (first NaN wins).
pub trait ArgElem: Elem + PartialOrd {
    fn nan(self) -> bool;
}
impl ArgElem for f32 { #[inline(always)] fn nan(self) -> bool { self != self } }
impl ArgElem for f64 { #[inline(always)] fn nan(self) -> bool { self != self } }
impl ArgElem for i32 { #[inline(always)] fn nan(self) -> bool { false } }
impl ArgElem for u32 { #[inline(always)] fn nan(self) -> bool { false } }
impl ArgElem for u8 { #[inline(always)] fn nan(self) -> bool { false } }

/// Whether `new` strictly beats `best` (ties keep the first index).
#[inline(always)]
fn beats<T: ArgElem>(new: T, best: T, max: bool) -> bool {
    !best.nan() && (new.nan() || if max { new > best } else { new < best })
}

/// Arg-reduction over the last axis of `shape` (the first `nkeep` axes are kept);
/// writes int32 indices. An empty reduced axis yields 0.
pub unsafe fn argreduce<T: ArgElem>(max: bool, nkeep: usize, shape: &[usize], strides: &[isize], x: *const T, out: *mut i32) {
    let (ks, kst) = (&shape[..nkeep], &strides[..nkeep]);
    let (n, s) = (shape[nkeep], strides[nkeep]);
    if n == 0 {
        for i in 0..ks.iter().product::<usize>() {
            *out.add(i) = 0;
        }
        return;
    }
    if nkeep > 0 && kst[nkeep - 1] == 1 && s != 1 {
        // Row-wise: sweep the reduced axis outside, the contiguous kept axis inside.
        let kn = ks[nkeep - 1];
        let mut best = vec![T::default(); kn];
        for (r, ko) in Offsets::new(&ks[..nkeep - 1], &kst[..nkeep - 1]).enumerate() {
            let o = out.add(r * kn);
            for j in 0..kn {
                best[j] = *x.offset(ko + j as isize);
                *o.add(j) = 0;
            }
            for i in 1..n {
                let row = x.offset(ko + i as isize * s);
                for j in 0..kn {
                    let v = *row.add(j);
                    if beats(v, best[j], max) {
                        best[j] = v;
                        *o.add(j) = i as i32;
                    }
                }
            }
        }
        return;
    }
    for (k, ko) in Offsets::new(ks, kst).enumerate() {
        let p = x.offset(ko);
        let (mut best, mut bi) = (*p, 0usize);
        for i in 1..n {
            let v = *p.offset(i as isize * s);
            if beats(v, best, max) {
                best = v;
                bi = i;
            }
        }
        *out.add(k) = bi as i32;
    }
}

pub unsafe fn argreduce_dyn(max: bool, dt: DType, nkeep: usize, shape: &[usize], strides: &[isize], x: *const u8, out: *mut i32) {
    crate::with_elem!(dt, T => argreduce::<T>(max, nkeep, shape, strides, x as *const T, out))
}
