//! The portable twin of the simd128 intrinsics the kernels use: same names and
//! signatures as `core::arch::wasm32`, lane-by-lane semantics of the wasm spec.
//! Performance is irrelevant here; faithfulness is the point (see `simd/mod.rs`).
#![allow(non_camel_case_types, clippy::missing_safety_doc)]

use crate::scalar::{max_f32, max_f64, min_f32, min_f64, nearest_f32, nearest_f64};

/// 16 bytes, little-endian lanes, like wasm's v128.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(C, align(16))]
pub struct v128([u8; 16]);

trait Lane: Copy + Default {
    const W: usize;
    fn rd(b: &[u8]) -> Self;
    fn wr(self, b: &mut [u8]);
}
macro_rules! lane {
    ($($t:ty),*) => {$(
        impl Lane for $t {
            const W: usize = core::mem::size_of::<$t>();
            fn rd(b: &[u8]) -> Self {
                let mut a = [0u8; core::mem::size_of::<$t>()];
                a.copy_from_slice(b);
                <$t>::from_le_bytes(a)
            }
            fn wr(self, b: &mut [u8]) { b.copy_from_slice(&self.to_le_bytes()) }
        }
    )*};
}
lane!(f32, f64, i8, u8, i16, u16, i32, u32, i64, u64);

fn get<T: Lane, const N: usize>(v: v128) -> [T; N] {
    let mut a = [T::default(); N];
    for (i, x) in a.iter_mut().enumerate() {
        *x = T::rd(&v.0[i * T::W..(i + 1) * T::W]);
    }
    a
}
fn put<T: Lane, const N: usize>(a: [T; N]) -> v128 {
    let mut b = [0u8; 16];
    for (i, x) in a.iter().enumerate() {
        x.wr(&mut b[i * T::W..(i + 1) * T::W]);
    }
    v128(b)
}
fn map1<T: Lane, U: Lane, const N: usize>(a: v128, f: impl Fn(T) -> U) -> v128 {
    let x = get::<T, N>(a);
    let mut y = [U::default(); N];
    for i in 0..N {
        y[i] = f(x[i]);
    }
    put(y)
}
fn map2<T: Lane, U: Lane, const N: usize>(a: v128, b: v128, f: impl Fn(T, T) -> U) -> v128 {
    let (x, y) = (get::<T, N>(a), get::<T, N>(b));
    let mut z = [U::default(); N];
    for i in 0..N {
        z[i] = f(x[i], y[i]);
    }
    put(z)
}

// --- memory ---------------------------------------------------------------
pub unsafe fn v128_load(m: *const v128) -> v128 {
    core::ptr::read_unaligned(m)
}
pub unsafe fn v128_store(m: *mut v128, a: v128) {
    core::ptr::write_unaligned(m, a)
}
pub unsafe fn v128_load32_zero(m: *const u32) -> v128 {
    put::<u32, 4>([core::ptr::read_unaligned(m), 0, 0, 0])
}

// --- bitwise --------------------------------------------------------------
pub fn v128_and(a: v128, b: v128) -> v128 {
    map2::<u8, u8, 16>(a, b, |x, y| x & y)
}
pub fn v128_or(a: v128, b: v128) -> v128 {
    map2::<u8, u8, 16>(a, b, |x, y| x | y)
}
pub fn v128_xor(a: v128, b: v128) -> v128 {
    map2::<u8, u8, 16>(a, b, |x, y| x ^ y)
}
pub fn v128_andnot(a: v128, b: v128) -> v128 {
    map2::<u8, u8, 16>(a, b, |x, y| x & !y)
}
pub fn v128_not(a: v128) -> v128 {
    map1::<u8, u8, 16>(a, |x| !x)
}
/// Bits of `v1` where `c` is 1, of `v2` where it is 0.
pub fn v128_bitselect(v1: v128, v2: v128, c: v128) -> v128 {
    v128_or(v128_and(v1, c), v128_andnot(v2, c))
}
/// The lanes' sign bits, lane 0 in bit 0.
pub fn i32x4_bitmask(a: v128) -> u8 {
    get::<i32, 4>(a).iter().enumerate().fold(0, |m, (k, &x)| m | (((x < 0) as u8) << k))
}
pub fn i64x2_bitmask(a: v128) -> u8 {
    get::<i64, 2>(a).iter().enumerate().fold(0, |m, (k, &x)| m | (((x < 0) as u8) << k))
}

// --- splats ---------------------------------------------------------------
pub fn f32x4_splat(a: f32) -> v128 {
    put([a; 4])
}
pub fn f64x2_splat(a: f64) -> v128 {
    put([a; 2])
}
pub fn i32x4_splat(a: i32) -> v128 {
    put([a; 4])
}
pub fn u32x4_splat(a: u32) -> v128 {
    put([a; 4])
}
pub fn i64x2_splat(a: i64) -> v128 {
    put([a; 2])
}
pub fn u8x16_splat(a: u8) -> v128 {
    put([a; 16])
}
pub fn i8x16_splat(a: i8) -> v128 {
    put([a; 16])
}

// --- floats: arithmetic, rounding, comparisons ----------------------------
macro_rules! float_ops {
    ($t:ty, $n:literal, $mask:ty, $min:ident, $max:ident, $near:ident,
     $add:ident, $sub:ident, $mul:ident, $div:ident, $fmin:ident, $fmax:ident,
     $pmin:ident, $pmax:ident, $neg:ident, $abs:ident, $sqrt:ident, $nearest:ident, $floor:ident,
     $eq:ident, $ne:ident, $lt:ident, $le:ident, $gt:ident, $ge:ident) => {
        pub fn $add(a: v128, b: v128) -> v128 { map2::<$t, $t, $n>(a, b, |x, y| x + y) }
        pub fn $sub(a: v128, b: v128) -> v128 { map2::<$t, $t, $n>(a, b, |x, y| x - y) }
        pub fn $mul(a: v128, b: v128) -> v128 { map2::<$t, $t, $n>(a, b, |x, y| x * y) }
        pub fn $div(a: v128, b: v128) -> v128 { map2::<$t, $t, $n>(a, b, |x, y| x / y) }
        pub fn $fmin(a: v128, b: v128) -> v128 { map2::<$t, $t, $n>(a, b, $min) }
        pub fn $fmax(a: v128, b: v128) -> v128 { map2::<$t, $t, $n>(a, b, $max) }
        /// Pseudo-min/max: `b < a ? b : a` and `a < b ? b : a` (NaN in `a` passes through).
        pub fn $pmin(a: v128, b: v128) -> v128 { map2::<$t, $t, $n>(a, b, |x, y| if y < x { y } else { x }) }
        pub fn $pmax(a: v128, b: v128) -> v128 { map2::<$t, $t, $n>(a, b, |x, y| if x < y { y } else { x }) }
        pub fn $neg(a: v128) -> v128 { map1::<$t, $t, $n>(a, |x| -x) }
        pub fn $abs(a: v128) -> v128 { map1::<$t, $t, $n>(a, |x| x.abs()) }
        pub fn $sqrt(a: v128) -> v128 { map1::<$t, $t, $n>(a, |x| x.sqrt()) }
        pub fn $nearest(a: v128) -> v128 { map1::<$t, $t, $n>(a, $near) }
        pub fn $floor(a: v128) -> v128 { map1::<$t, $t, $n>(a, |x| x.floor()) }
        pub fn $eq(a: v128, b: v128) -> v128 { map2::<$t, $mask, $n>(a, b, |x, y| -((x == y) as $mask)) }
        pub fn $ne(a: v128, b: v128) -> v128 { map2::<$t, $mask, $n>(a, b, |x, y| -((x != y) as $mask)) }
        pub fn $lt(a: v128, b: v128) -> v128 { map2::<$t, $mask, $n>(a, b, |x, y| -((x < y) as $mask)) }
        pub fn $le(a: v128, b: v128) -> v128 { map2::<$t, $mask, $n>(a, b, |x, y| -((x <= y) as $mask)) }
        pub fn $gt(a: v128, b: v128) -> v128 { map2::<$t, $mask, $n>(a, b, |x, y| -((x > y) as $mask)) }
        pub fn $ge(a: v128, b: v128) -> v128 { map2::<$t, $mask, $n>(a, b, |x, y| -((x >= y) as $mask)) }
    };
}
float_ops!(f32, 4, i32, min_f32, max_f32, nearest_f32,
    f32x4_add, f32x4_sub, f32x4_mul, f32x4_div, f32x4_min, f32x4_max,
    f32x4_pmin, f32x4_pmax, f32x4_neg, f32x4_abs, f32x4_sqrt, f32x4_nearest, f32x4_floor,
    f32x4_eq, f32x4_ne, f32x4_lt, f32x4_le, f32x4_gt, f32x4_ge);
float_ops!(f64, 2, i64, min_f64, max_f64, nearest_f64,
    f64x2_add, f64x2_sub, f64x2_mul, f64x2_div, f64x2_min, f64x2_max,
    f64x2_pmin, f64x2_pmax, f64x2_neg, f64x2_abs, f64x2_sqrt, f64x2_nearest, f64x2_floor,
    f64x2_eq, f64x2_ne, f64x2_lt, f64x2_le, f64x2_gt, f64x2_ge);

// --- integers ---------------------------------------------------------------
macro_rules! int_cmp {
    ($t:ty, $n:literal, $mask:ty, $($name:ident $op:tt),*) => {$(
        pub fn $name(a: v128, b: v128) -> v128 { map2::<$t, $mask, $n>(a, b, |x, y| -((x $op y) as $mask)) }
    )*};
}
int_cmp!(i32, 4, i32, i32x4_eq ==, i32x4_ne !=, i32x4_lt <, i32x4_le <=, i32x4_gt >, i32x4_ge >=);
int_cmp!(u32, 4, i32, u32x4_lt <, u32x4_le <=, u32x4_gt >, u32x4_ge >=);
int_cmp!(i8, 16, i8, i8x16_eq ==, i8x16_ne !=);
int_cmp!(u8, 16, i8, u8x16_lt <, u8x16_le <=, u8x16_gt >, u8x16_ge >=);
int_cmp!(i64, 2, i64, i64x2_eq ==, i64x2_lt <, i64x2_gt >);

pub fn i32x4_add(a: v128, b: v128) -> v128 { map2::<i32, i32, 4>(a, b, |x, y| x.wrapping_add(y)) }
pub fn i32x4_sub(a: v128, b: v128) -> v128 { map2::<i32, i32, 4>(a, b, |x, y| x.wrapping_sub(y)) }
pub fn i32x4_mul(a: v128, b: v128) -> v128 { map2::<i32, i32, 4>(a, b, |x, y| x.wrapping_mul(y)) }
pub fn i32x4_neg(a: v128) -> v128 { map1::<i32, i32, 4>(a, |x| x.wrapping_neg()) }
pub fn i32x4_abs(a: v128) -> v128 { map1::<i32, i32, 4>(a, |x| x.wrapping_abs()) }
pub fn i32x4_min(a: v128, b: v128) -> v128 { map2::<i32, i32, 4>(a, b, |x, y| x.min(y)) }
pub fn i32x4_max(a: v128, b: v128) -> v128 { map2::<i32, i32, 4>(a, b, |x, y| x.max(y)) }
pub fn u32x4_min(a: v128, b: v128) -> v128 { map2::<u32, u32, 4>(a, b, |x, y| x.min(y)) }
pub fn u32x4_max(a: v128, b: v128) -> v128 { map2::<u32, u32, 4>(a, b, |x, y| x.max(y)) }
pub fn u8x16_min(a: v128, b: v128) -> v128 { map2::<u8, u8, 16>(a, b, |x, y| x.min(y)) }
pub fn u8x16_max(a: v128, b: v128) -> v128 { map2::<u8, u8, 16>(a, b, |x, y| x.max(y)) }
pub fn i32x4_shl(a: v128, amt: u32) -> v128 { map1::<i32, i32, 4>(a, |x| x.wrapping_shl(amt)) }
pub fn i32x4_shr(a: v128, amt: u32) -> v128 { map1::<i32, i32, 4>(a, |x| x.wrapping_shr(amt)) }
pub fn u32x4_shr(a: v128, amt: u32) -> v128 { map1::<u32, u32, 4>(a, |x| x.wrapping_shr(amt)) }
pub fn i64x2_add(a: v128, b: v128) -> v128 { map2::<i64, i64, 2>(a, b, |x, y| x.wrapping_add(y)) }
pub fn i64x2_sub(a: v128, b: v128) -> v128 { map2::<i64, i64, 2>(a, b, |x, y| x.wrapping_sub(y)) }
pub fn i64x2_shl(a: v128, amt: u32) -> v128 { map1::<i64, i64, 2>(a, |x| x.wrapping_shl(amt)) }
pub fn i64x2_shr(a: v128, amt: u32) -> v128 { map1::<i64, i64, 2>(a, |x| x.wrapping_shr(amt)) }

// --- conversions (Rust `as` is exactly wasm's saturating / nearest semantics) ----
pub fn i32x4_trunc_sat_f32x4(a: v128) -> v128 { map1::<f32, i32, 4>(a, |x| x as i32) }
pub fn u32x4_trunc_sat_f32x4(a: v128) -> v128 { map1::<f32, u32, 4>(a, |x| x as u32) }
pub fn f32x4_convert_i32x4(a: v128) -> v128 { map1::<i32, f32, 4>(a, |x| x as f32) }
pub fn f32x4_convert_u32x4(a: v128) -> v128 { map1::<u32, f32, 4>(a, |x| x as f32) }
pub fn i32x4_trunc_sat_f64x2_zero(a: v128) -> v128 {
    let x = get::<f64, 2>(a);
    put::<i32, 4>([x[0] as i32, x[1] as i32, 0, 0])
}
pub fn u32x4_trunc_sat_f64x2_zero(a: v128) -> v128 {
    let x = get::<f64, 2>(a);
    put::<u32, 4>([x[0] as u32, x[1] as u32, 0, 0])
}
pub fn f32x4_demote_f64x2_zero(a: v128) -> v128 {
    let x = get::<f64, 2>(a);
    put::<f32, 4>([x[0] as f32, x[1] as f32, 0.0, 0.0])
}
pub fn f64x2_promote_low_f32x4(a: v128) -> v128 {
    let x = get::<f32, 4>(a);
    put::<f64, 2>([x[0] as f64, x[1] as f64])
}
pub fn f64x2_convert_low_i32x4(a: v128) -> v128 {
    let x = get::<i32, 4>(a);
    put::<f64, 2>([x[0] as f64, x[1] as f64])
}
pub fn f64x2_convert_low_u32x4(a: v128) -> v128 {
    let x = get::<u32, 4>(a);
    put::<f64, 2>([x[0] as f64, x[1] as f64])
}
pub fn u16x8_extend_low_u8x16(a: v128) -> v128 {
    let x = get::<u8, 16>(a);
    put::<u16, 8>(core::array::from_fn(|i| x[i] as u16))
}
pub fn u32x4_extend_low_u16x8(a: v128) -> v128 {
    let x = get::<u16, 8>(a);
    put::<u32, 4>(core::array::from_fn(|i| x[i] as u32))
}
/// Signed saturating narrow: lanes of `a`, then lanes of `b`.
pub fn i16x8_narrow_i32x4(a: v128, b: v128) -> v128 {
    let (x, y) = (get::<i32, 4>(a), get::<i32, 4>(b));
    let sat = |v: i32| v.clamp(i16::MIN as i32, i16::MAX as i32) as i16;
    put::<i16, 8>(core::array::from_fn(|i| sat(if i < 4 { x[i] } else { y[i - 4] })))
}
pub fn i8x16_narrow_i16x8(a: v128, b: v128) -> v128 {
    let (x, y) = (get::<i16, 8>(a), get::<i16, 8>(b));
    let sat = |v: i16| v.clamp(i8::MIN as i16, i8::MAX as i16) as i8;
    put::<i8, 16>(core::array::from_fn(|i| sat(if i < 8 { x[i] } else { y[i - 8] })))
}

// --- shuffles: indices below N pick lanes of `a`, the rest lanes of `b` ----------
pub fn i32x4_shuffle<const I0: usize, const I1: usize, const I2: usize, const I3: usize>(
    a: v128,
    b: v128,
) -> v128 {
    let (x, y) = (get::<i32, 4>(a), get::<i32, 4>(b));
    let pick = |i: usize| if i < 4 { x[i] } else { y[i - 4] };
    put::<i32, 4>([pick(I0), pick(I1), pick(I2), pick(I3)])
}
pub fn i64x2_shuffle<const I0: usize, const I1: usize>(a: v128, b: v128) -> v128 {
    let (x, y) = (get::<i64, 2>(a), get::<i64, 2>(b));
    let pick = |i: usize| if i < 2 { x[i] } else { y[i - 2] };
    put::<i64, 2>([pick(I0), pick(I1)])
}
