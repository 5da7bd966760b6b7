//! convert_element_type between all dtypes, with Rust `as` semantics (which are
//! wasm's): float -> int truncates and saturates, NaN -> 0; int <-> uint wraps;
//! f64 -> f32 rounds to nearest; x -> bool is x != 0 (NaN -> true); bool -> x is 0/1.
//! SIMD paths cover the numeric pairs, four elements per step.
use crate::dtype::{DType, Elem};
use crate::simd::*;
use crate::strided::{contiguous_strides, for_each_row, inner};

pub trait CastTo<D: Elem>: Elem {
    fn s(self) -> D;
    /// Converts 4 contiguous elements at `x` into `out`, if this pair has a SIMD form.
    const SIMD: bool = false;
    unsafe fn v4(_x: *const Self, _out: *mut D) {}
}

macro_rules! num {
    ($S:ty => $($D:ty),*) => {$(
        impl CastTo<$D> for $S { #[inline(always)] fn s(self) -> $D { self as $D } }
    )*};
}
macro_rules! simd {
    ($S:ty => $D:ty, |$x:ident, $o:ident| $body:expr) => {
        impl CastTo<$D> for $S {
            #[inline(always)] fn s(self) -> $D { self as $D }
            const SIMD: bool = true;
            #[inline(always)] unsafe fn v4($x: *const $S, $o: *mut $D) { $body }
        }
    };
}
macro_rules! to_bool {
    ($($S:ty),*) => {$(
        impl CastTo<u8> for $S { #[inline(always)] fn s(self) -> u8 { (self != (0 as $S)) as u8 } }
    )*};
}

#[inline(always)] unsafe fn ld(p: *const u8) -> v128 { v128_load(p as *const v128) }
#[inline(always)] unsafe fn st(p: *mut u8, v: v128) { v128_store(p as *mut v128, v) }
/// Two f64 lanes from the high half of a 32-bit-lane vector.
#[inline(always)] fn hi(v: v128) -> v128 { i64x2_shuffle::<1, 1>(v, v) }
/// Joins the low 64 bits of `a` and of `b`.
#[inline(always)] fn join(a: v128, b: v128) -> v128 { i64x2_shuffle::<0, 2>(a, b) }

num!(f32 => f32);
simd!(f32 => f64, |x, o| {
    let v = ld(x as _);
    st(o as _, f64x2_promote_low_f32x4(v));
    st(o.add(2) as _, f64x2_promote_low_f32x4(hi(v)));
});
simd!(f32 => i32, |x, o| st(o as _, i32x4_trunc_sat_f32x4(ld(x as _))));
simd!(f32 => u32, |x, o| st(o as _, u32x4_trunc_sat_f32x4(ld(x as _))));
simd!(f64 => f32, |x, o| st(o as _, join(
    f32x4_demote_f64x2_zero(ld(x as _)), f32x4_demote_f64x2_zero(ld(x.add(2) as _)))));
num!(f64 => f64);
simd!(f64 => i32, |x, o| st(o as _, join(
    i32x4_trunc_sat_f64x2_zero(ld(x as _)), i32x4_trunc_sat_f64x2_zero(ld(x.add(2) as _)))));
simd!(f64 => u32, |x, o| st(o as _, join(
    u32x4_trunc_sat_f64x2_zero(ld(x as _)), u32x4_trunc_sat_f64x2_zero(ld(x.add(2) as _)))));
simd!(i32 => f32, |x, o| st(o as _, f32x4_convert_i32x4(ld(x as _))));
simd!(i32 => f64, |x, o| {
    let v = ld(x as _);
    st(o as _, f64x2_convert_low_i32x4(v));
    st(o.add(2) as _, f64x2_convert_low_i32x4(hi(v)));
});
num!(i32 => i32, u32);
simd!(u32 => f32, |x, o| st(o as _, f32x4_convert_u32x4(ld(x as _))));
simd!(u32 => f64, |x, o| {
    let v = ld(x as _);
    st(o as _, f64x2_convert_low_u32x4(v));
    st(o.add(2) as _, f64x2_convert_low_u32x4(hi(v)));
});
num!(u32 => i32, u32);
num!(u8 => f32, f64, i32, u32);
to_bool!(f32, f64, i32, u32, u8);

#[inline(always)]
pub unsafe fn row<S: CastTo<D>, D: Elem>(x: *const S, xs: isize, out: *mut D, n: usize) {
    let mut i = 0;
    if S::SIMD && xs == 1 {
        while i + 4 <= n {
            S::v4(x.add(i), out.add(i));
            i += 4;
        }
    }
    row_scalar(x, xs, out, i, n);
}

#[inline(always)]
pub unsafe fn row_scalar<S: CastTo<D>, D: Elem>(x: *const S, xs: isize, out: *mut D, mut i: usize, n: usize) {
    while i < n {
        *out.add(i) = (*x.offset(i as isize * xs)).s();
        i += 1;
    }
}

pub unsafe fn cast<S: CastTo<D>, D: Elem>(shape: &[usize], x: *const S, xs: &[isize], out: *mut D) {
    let (os, s) = (contiguous_strides(shape), inner(shape, xs).1);
    for_each_row(shape, &[xs, &os], |o, n| row(x.offset(o[0]), s, out.offset(o[1]), n));
}

/// Any dtype to any dtype (every pair is supported).
pub unsafe fn cast_dyn(src: DType, dst: DType, shape: &[usize], x: *const u8, xs: &[isize], out: *mut u8) {
    crate::with_elem!(src, S => crate::with_elem!(dst, D => {
        cast::<S, D>(shape, x as *const S, xs, out as *mut D)
    }))
}
