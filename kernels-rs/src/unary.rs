//! Elementwise unary kernels: neg, exp, log, sin, cos, tanh, sqrt, logistic, abs,
//! sign, integer_pow. Each op has a scalar form `s` and (when `SIMD`) a v128 form
//! `v` that agree lane for lane; a row runs `v` over whole vectors of a
//! contiguous input and `s` on the tail and on strided inputs.
use crate::dtype::{load, store, DType, Elem};
use crate::math::*;
use crate::scalar::{nearest_f32, nearest_f64};
use crate::simd::*;
use crate::strided::{contiguous_strides, for_each_row, inner};

/// Unary op codes of the C ABI (abi.ts mirrors them).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum UnaryOp {
    Neg = 0,
    Exp = 1,
    Log = 2,
    Sin = 3,
    Cos = 4,
    Tanh = 5,
    Sqrt = 6,
    Logistic = 7,
    Abs = 8,
    Sign = 9,
    // --- rounding, bitwise, shifts, inverse trig and special functions ---
    Floor = 10,
    Ceil = 11,
    RoundAway = 12,
    RoundEven = 13,
    Not = 14,
    PopulationCount = 15,
    Clz = 16,
    Tan = 17,
    Asin = 18,
    Acos = 19,
    Atan = 20,
    Sinh = 21,
    Cosh = 22,
    Asinh = 23,
    Acosh = 24,
    Atanh = 25,
    Exp2 = 26,
    Expm1 = 27,
    Log1p = 28,
    Cbrt = 29,
    Rsqrt = 30,
    Erf = 31,
    Erfc = 32,
    ErfInv = 33,
    Lgamma = 34,
    Digamma = 35,
}

impl UnaryOp {
    /// Every op, indexed by its code (codes are dense from 0).
    pub const ALL: [UnaryOp; 36] = {
        use UnaryOp::*;
        [
            Neg, Exp, Log, Sin, Cos, Tanh, Sqrt, Logistic, Abs, Sign,
            Floor, Ceil, RoundAway, RoundEven, Not, PopulationCount, Clz,
            Tan, Asin, Acos, Atan, Sinh, Cosh, Asinh, Acosh, Atanh,
            Exp2, Expm1, Log1p, Cbrt, Rsqrt, Erf, Erfc, ErfInv, Lgamma, Digamma,
        ]
    };
    pub fn from_code(c: u32) -> Option<Self> {
        Self::ALL.get(c as usize).copied()
    }
}

pub trait Unary<T: Elem> {
    const SIMD: bool = true;
    fn s(x: T) -> T;
    fn v(x: v128) -> v128;
}

/// One row of `n` elements: `x` with element stride `xs` into contiguous `out`.
#[inline(always)]
pub unsafe fn row<T: Elem, O: Unary<T>>(x: *const T, xs: isize, out: *mut T, n: usize) {
    let mut i = 0;
    if O::SIMD && xs == 1 {
        while i + T::LANES <= n {
            store(out.add(i), O::v(load(x.add(i))));
            i += T::LANES;
        }
    }
    row_scalar::<T, O>(x, xs, out, i, n);
}

/// The scalar twin of `row`, from element `i` on.
#[inline(always)]
pub unsafe fn row_scalar<T: Elem, O: Unary<T>>(x: *const T, xs: isize, out: *mut T, mut i: usize, n: usize) {
    while i < n {
        *out.add(i) = O::s(*x.offset(i as isize * xs));
        i += 1;
    }
}

/// Applies `O` to a strided array of `shape`, writing contiguous `out`.
pub unsafe fn unary<T: Elem, O: Unary<T>>(shape: &[usize], x: *const T, xs: &[isize], out: *mut T) {
    let (os, s) = (contiguous_strides(shape), inner(shape, xs).1);
    for_each_row(shape, &[xs, &os], |o, n| row::<T, O>(x.offset(o[0]), s, out.offset(o[1]), n));
}

macro_rules! op {
    ($Op:ident, $T:ty, |$x:ident| $s:expr, |$v:ident| $vexpr:expr) => {
        impl Unary<$T> for $Op {
            #[inline(always)]
            fn s($x: $T) -> $T {
                $s
            }
            #[inline(always)]
            fn v($v: v128) -> v128 {
                $vexpr
            }
        }
    };
    // Scalar only: rows run `s` on every element.
    ($Op:ident, $T:ty, |$x:ident| $s:expr) => {
        impl Unary<$T> for $Op {
            const SIMD: bool = false;
            #[inline(always)]
            fn s($x: $T) -> $T {
                $s
            }
            fn v(_: v128) -> v128 {
                unreachable!()
            }
        }
    };
}

pub struct Neg;
pub struct Exp;
pub struct Log;
pub struct Sin;
pub struct Cos;
pub struct Tanh;
pub struct Sqrt;
pub struct Logistic;
pub struct Abs;
pub struct Sign;

op!(Neg, f32, |x| -x, |v| f32x4_neg(v));
op!(Neg, f64, |x| -x, |v| f64x2_neg(v));
op!(Neg, i32, |x| x.wrapping_neg(), |v| i32x4_neg(v));
op!(Neg, u32, |x| x.wrapping_neg(), |v| i32x4_neg(v));
op!(Abs, f32, |x| x.abs(), |v| f32x4_abs(v));
op!(Abs, f64, |x| x.abs(), |v| f64x2_abs(v));
op!(Abs, i32, |x| x.wrapping_abs(), |v| i32x4_abs(v));
op!(Abs, u32, |x| x, |v| v);
op!(Sqrt, f32, |x| x.sqrt(), |v| f32x4_sqrt(v));
op!(Sqrt, f64, |x| x.sqrt(), |v| f64x2_sqrt(v));
op!(Exp, f32, |x| exp_f32(x), |v| exp_f32x4(v));
op!(Exp, f64, |x| exp_f64(x), |v| exp_f64x2(v));
op!(Log, f32, |x| log_f32(x), |v| log_f32x4(v));
op!(Log, f64, |x| log_f64(x), |v| log_f64x2(v));
op!(Tanh, f32, |x| tanh_f32(x), |v| tanh_f32x4(v));
op!(Tanh, f64, |x| tanh_f64(x), |v| tanh_f64x2(v));
op!(Logistic, f32, |x| logistic_f32(x), |v| logistic_f32x4(v));
op!(Logistic, f64, |x| logistic_f64(x), |v| logistic_f64x2(v));
op!(Sin, f32, |x| sin_f32(x), |v| sin_f32x4(v));
op!(Sin, f64, |x| sin_f64(x), |v| sin_f64x2(v));
op!(Cos, f32, |x| cos_f32(x), |v| cos_f32x4(v));
op!(Cos, f64, |x| cos_f64(x), |v| cos_f64x2(v));

// sign: NaN -> NaN, +-0 -> +-0, else +-1 with x's sign.
op!(Sign, f32, |x| if x != 0.0 && x == x { 1f32.copysign(x) } else { x }, |v| {
    let one = v128_or(f32x4_splat(1.0), v128_and(v, u32x4_splat(0x8000_0000)));
    v128_bitselect(one, v, v128_and(f32x4_ne(v, f32x4_splat(0.0)), f32x4_eq(v, v)))
});
op!(Sign, f64, |x| if x != 0.0 && x == x { 1f64.copysign(x) } else { x }, |v| {
    let one = v128_or(f64x2_splat(1.0), v128_and(v, i64x2_splat(i64::MIN)));
    v128_bitselect(one, v, v128_and(f64x2_ne(v, f64x2_splat(0.0)), f64x2_eq(v, v)))
});
// i32: (x > 0) - (x < 0); masks are -1 where true, so that is mask(x < 0) - mask(x > 0).
op!(Sign, i32, |x| x.signum(), |v| {
    let z = i32x4_splat(0);
    i32x4_sub(i32x4_lt(v, z), i32x4_gt(v, z))
});
op!(Sign, u32, |x| (x != 0) as u32, |v| v128_and(i32x4_ne(v, i32x4_splat(0)), i32x4_splat(1)));

// --- rounding, bitwise, transcendentals -------------------------------

pub struct Floor;
pub struct Ceil;
pub struct RoundAway;
pub struct RoundEven;
pub struct Not;
pub struct PopulationCount;
pub struct Clz;

op!(Floor, f32, |x| x.floor(), |v| f32x4_floor(v));
op!(Floor, f64, |x| x.floor(), |v| f64x2_floor(v));
// ceil(x) = -floor(-x), exactly (signs of zero included).
op!(Ceil, f32, |x| -(-x).floor(), |v| f32x4_neg(f32x4_floor(f32x4_neg(v))));
op!(Ceil, f64, |x| -(-x).floor(), |v| f64x2_neg(f64x2_floor(f64x2_neg(v))));
op!(RoundEven, f32, |x| nearest_f32(x), |v| f32x4_nearest(v));
op!(RoundEven, f64, |x| nearest_f64(x), |v| f64x2_nearest(v));
// Halves away from zero: f = floor(|x|), f + 1 where |x| - f >= 1/2 (exact), x's sign.
// inf - inf is NaN, which fails the test, so infinities and NaN pass through.
op!(RoundAway, f32, |x| {
    let (a, f) = (x.abs(), x.abs().floor());
    (if a - f >= 0.5 { f + 1.0 } else { f }).copysign(x)
}, |v| {
    let a = f32x4_abs(v);
    let f = f32x4_floor(a);
    let up = f32x4_ge(f32x4_sub(a, f), f32x4_splat(0.5));
    let r = v128_bitselect(f32x4_add(f, f32x4_splat(1.0)), f, up);
    v128_or(r, v128_and(v, u32x4_splat(0x8000_0000)))
});
op!(RoundAway, f64, |x| {
    let (a, f) = (x.abs(), x.abs().floor());
    (if a - f >= 0.5 { f + 1.0 } else { f }).copysign(x)
}, |v| {
    let a = f64x2_abs(v);
    let f = f64x2_floor(a);
    let up = f64x2_ge(f64x2_sub(a, f), f64x2_splat(0.5));
    let r = v128_bitselect(f64x2_add(f, f64x2_splat(1.0)), f, up);
    v128_or(r, v128_and(v, i64x2_splat(i64::MIN)))
});
op!(Not, i32, |x| !x, |v| v128_not(v));
op!(Not, u32, |x| !x, |v| v128_not(v));
// bool: logical not of 0/1 bytes.
op!(Not, u8, |x| x ^ 1, |v| v128_xor(v, u8x16_splat(1)));
op!(PopulationCount, i32, |x| x.count_ones() as i32);
op!(PopulationCount, u32, |x| x.count_ones());
op!(Clz, i32, |x| x.leading_zeros() as i32);
op!(Clz, u32, |x| x.leading_zeros());

/// Float ops computed in f64 by `math_special` (an f32 result rounds once), scalar only.
macro_rules! special {
    ($($Op:ident => $f:ident),* $(,)?) => {
        $(
            pub struct $Op;
            op!($Op, f32, |x| crate::math_special::$f(x as f64) as f32);
            op!($Op, f64, |x| crate::math_special::$f(x));
        )*
    };
}
special!(
    Tan => tan, Asin => asin, Acos => acos, Atan => atan, Sinh => sinh, Cosh => cosh,
    Asinh => asinh, Acosh => acosh, Atanh => atanh, Exp2 => exp2, Expm1 => expm1, Log1p => log1p,
    Cbrt => cbrt, Rsqrt => rsqrt, Erf => erf, Erfc => erfc, ErfInv => erf_inv, Lgamma => lgamma,
    Digamma => digamma,
);

/// integer_pow by JAX's square-and-multiply order (so results match its rounding):
/// acc = x^(bits of |y| so far); y < 0 takes the reciprocal (floats only).
pub trait Pow: Elem {
    fn mul(a: Self, b: Self) -> Self;
    fn vmul(a: v128, b: v128) -> v128;
    /// 1 / x; integers never get here (negative powers are rejected by the caller).
    fn recip(x: Self) -> Self;
    fn vrecip(x: v128) -> v128;
}
macro_rules! pow_impl {
    ($T:ty, $mul:expr, $vmul:expr, $recip:expr, $vrecip:expr) => {
        impl Pow for $T {
            #[inline(always)] fn mul(a: Self, b: Self) -> Self { $mul(a, b) }
            #[inline(always)] fn vmul(a: v128, b: v128) -> v128 { $vmul(a, b) }
            #[inline(always)] fn recip(x: Self) -> Self { $recip(x) }
            #[inline(always)] fn vrecip(x: v128) -> v128 { $vrecip(x) }
        }
    };
}
pow_impl!(f32, |a: f32, b: f32| a * b, f32x4_mul, |x: f32| 1.0 / x, |v| f32x4_div(f32x4_splat(1.0), v));
pow_impl!(f64, |a: f64, b: f64| a * b, f64x2_mul, |x: f64| 1.0 / x, |v| f64x2_div(f64x2_splat(1.0), v));
pow_impl!(i32, |a: i32, b: i32| a.wrapping_mul(b), i32x4_mul, |x: i32| x, |v| v);
pow_impl!(u32, |a: u32, b: u32| a.wrapping_mul(b), i32x4_mul, |x: u32| x, |v| v);

/// The exponentiation schedule, written once over "values" of either form.
#[inline(always)]
fn ipow_with<V: Copy>(x: V, y: i32, one: V, mul: impl Fn(V, V) -> V, recip: impl Fn(V) -> V) -> V {
    if y == 0 {
        return one;
    }
    let mut e = y.unsigned_abs();
    let mut base = x;
    let mut acc: Option<V> = None;
    while e > 0 {
        if e & 1 == 1 {
            acc = Some(match acc {
                None => base,
                Some(a) => mul(a, base),
            });
        }
        e >>= 1;
        if e > 0 {
            base = mul(base, base);
        }
    }
    let acc = acc.unwrap_or(one);
    if y < 0 { recip(acc) } else { acc }
}

#[inline(always)]
pub fn ipow_s<T: Pow>(x: T, y: i32) -> T {
    ipow_with(x, y, T::one(), T::mul, T::recip)
}
#[inline(always)]
pub fn ipow_v<T: Pow>(x: v128, y: i32) -> v128 {
    ipow_with(x, y, T::one().splat(), T::vmul, T::vrecip)
}

/// One integer_pow row of `n` elements: `x` with element stride `xs` into contiguous `out`.
#[inline(always)]
pub unsafe fn ipow_row<T: Pow>(x: *const T, xs: isize, out: *mut T, n: usize, y: i32) {
    let mut i = 0;
    if xs == 1 {
        while i + T::LANES <= n {
            store(out.add(i), ipow_v::<T>(load(x.add(i)), y));
            i += T::LANES;
        }
    }
    ipow_row_scalar(x, xs, out, i, n, y);
}

/// The scalar twin of `ipow_row`, from element `i` on.
#[inline(always)]
pub unsafe fn ipow_row_scalar<T: Pow>(x: *const T, xs: isize, out: *mut T, mut i: usize, n: usize, y: i32) {
    while i < n {
        *out.add(i) = ipow_s(*x.offset(i as isize * xs), y);
        i += 1;
    }
}

pub unsafe fn integer_pow<T: Pow>(shape: &[usize], x: *const T, xs: &[isize], out: *mut T, y: i32) {
    let (os, s) = (contiguous_strides(shape), inner(shape, xs).1);
    for_each_row(shape, &[xs, &os], |o, n| ipow_row(x.offset(o[0]), s, out.offset(o[1]), n, y));
}

macro_rules! dispatch {
    ($op:expr, $T:ty, $shape:expr, $x:expr, $xs:expr, $out:expr, [$($Op:ident),*]) => {
        match $op {
            $(UnaryOp::$Op => unary::<$T, $Op>($shape, $x as *const $T, $xs, $out as *mut $T),)*
            #[allow(unreachable_patterns)]
            _ => return false,
        }
    };
}

/// Runs op code `op` on dtype `dt`; `false` if the pair is not supported
/// (transcendentals on integers, anything but `not` on bool).
pub unsafe fn unary_dyn(op: UnaryOp, dt: DType, shape: &[usize], x: *const u8, xs: &[isize], out: *mut u8) -> bool {
    match dt {
        DType::F32 => dispatch!(op, f32, shape, x, xs, out, [
            Neg, Exp, Log, Sin, Cos, Tanh, Sqrt, Logistic, Abs, Sign,
            Floor, Ceil, RoundAway, RoundEven, Tan, Asin, Acos, Atan, Sinh, Cosh, Asinh, Acosh, Atanh,
            Exp2, Expm1, Log1p, Cbrt, Rsqrt, Erf, Erfc, ErfInv, Lgamma, Digamma]),
        DType::F64 => dispatch!(op, f64, shape, x, xs, out, [
            Neg, Exp, Log, Sin, Cos, Tanh, Sqrt, Logistic, Abs, Sign,
            Floor, Ceil, RoundAway, RoundEven, Tan, Asin, Acos, Atan, Sinh, Cosh, Asinh, Acosh, Atanh,
            Exp2, Expm1, Log1p, Cbrt, Rsqrt, Erf, Erfc, ErfInv, Lgamma, Digamma]),
        DType::I32 => dispatch!(op, i32, shape, x, xs, out, [Neg, Abs, Sign, Not, PopulationCount, Clz]),
        DType::U32 => dispatch!(op, u32, shape, x, xs, out, [Neg, Abs, Sign, Not, PopulationCount, Clz]),
        DType::Bool => dispatch!(op, u8, shape, x, xs, out, [Not]),
    }
    true
}

/// integer_pow on dtype `dt`; `false` for bool, and for integers with y < 0.
pub unsafe fn integer_pow_dyn(dt: DType, shape: &[usize], x: *const u8, xs: &[isize], out: *mut u8, y: i32) -> bool {
    match dt {
        DType::F32 => integer_pow::<f32>(shape, x as *const f32, xs, out as *mut f32, y),
        DType::F64 => integer_pow::<f64>(shape, x as *const f64, xs, out as *mut f64, y),
        DType::I32 if y >= 0 => integer_pow::<i32>(shape, x as *const i32, xs, out as *mut i32, y),
        DType::U32 if y >= 0 => integer_pow::<u32>(shape, x as *const u32, xs, out as *mut u32, y),
        _ => return false,
    }
    true
}
