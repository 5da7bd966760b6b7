//! Elementwise binary kernels (add, sub, mul, div, max, min, pow, rem, and, or, xor,
//! shift_left, shift_right_arithmetic, shift_right_logical, atan2) and comparisons
//! (eq, ne, lt, le, gt, ge -> bool). Operands have equal shapes and dtypes;
//! broadcasting arrives as stride-0 axes. A row takes the SIMD path when each
//! input's inner stride is 1 or 0 (a stride-0 operand is splatted).
use crate::dtype::{load, store, DType, Elem};
use crate::math::{pow_f32, pow_f64};
use crate::scalar::*;
use crate::simd::*;
use crate::strided::{contiguous_strides, for_each_row, inner};

/// Binary op codes of the C ABI. Eq..=Ge (7-12) are the comparisons, which write
/// bool; every other op writes its operands' dtype.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum BinaryOp {
    Add = 0,
    Sub = 1,
    Mul = 2,
    Div = 3,
    Max = 4,
    Min = 5,
    Pow = 6,
    Eq = 7,
    Ne = 8,
    Lt = 9,
    Le = 10,
    Gt = 11,
    Ge = 12,
    // --- rounding, bitwise, shifts, inverse trig and special functions ---
    Rem = 13,
    And = 14,
    Or = 15,
    Xor = 16,
    ShiftLeft = 17,
    ShiftRightArithmetic = 18,
    ShiftRightLogical = 19,
    Atan2 = 20,
}

impl BinaryOp {
    /// Every op, indexed by its code (codes are dense from 0).
    pub const ALL: [BinaryOp; 21] = {
        use BinaryOp::*;
        [
            Add, Sub, Mul, Div, Max, Min, Pow, Eq, Ne, Lt, Le, Gt, Ge,
            Rem, And, Or, Xor, ShiftLeft, ShiftRightArithmetic, ShiftRightLogical, Atan2,
        ]
    };
    pub fn from_code(c: u32) -> Option<Self> {
        Self::ALL.get(c as usize).copied()
    }
}

pub trait Binary<T: Elem> {
    const SIMD: bool = true;
    fn s(a: T, b: T) -> T;
    fn v(a: v128, b: v128) -> v128;
}

#[inline(always)]
pub unsafe fn row<T: Elem, O: Binary<T>>(a: *const T, sa: isize, b: *const T, sb: isize, out: *mut T, n: usize) {
    let i = if !O::SIMD {
        0
    } else {
        // One loop per stride pair, a broadcast operand splat once: no per-vector test.
        match (sa, sb) {
            (1, 1) => simd_row::<T, O, true, true>(a, b, out, n),
            (1, 0) => simd_row::<T, O, true, false>(a, b, out, n),
            (0, 1) => simd_row::<T, O, false, true>(a, b, out, n),
            _ => 0,
        }
    };
    row_scalar::<T, O>(a, sa, b, sb, out, i, n);
}

/// The whole vectors of `row` for contiguous (`A`/`B` true) or broadcast operands;
/// returns how many elements it wrote.
#[inline(always)]
unsafe fn simd_row<T: Elem, O: Binary<T>, const A: bool, const B: bool>(a: *const T, b: *const T, out: *mut T, n: usize) -> usize {
    // A broadcast operand's one element, splat once (a contiguous one is not read here: it may be empty).
    let (va, vb) = (if A { u32x4_splat(0) } else { (*a).splat() }, if B { u32x4_splat(0) } else { (*b).splat() });
    let mut i = 0;
    while i + T::LANES <= n {
        let x = if A { load(a.add(i)) } else { va };
        let y = if B { load(b.add(i)) } else { vb };
        store(out.add(i), O::v(x, y));
        i += T::LANES;
    }
    i
}

/// The scalar twin of `row`, from element `i` on.
#[inline(always)]
pub unsafe fn row_scalar<T: Elem, O: Binary<T>>(a: *const T, sa: isize, b: *const T, sb: isize, out: *mut T, mut i: usize, n: usize) {
    while i < n {
        *out.add(i) = O::s(*a.offset(i as isize * sa), *b.offset(i as isize * sb));
        i += 1;
    }
}

pub unsafe fn binary<T: Elem, O: Binary<T>>(shape: &[usize], a: *const T, sa: &[isize], b: *const T, sb: &[isize], out: *mut T) {
    let (ia, ib, os) = (inner(shape, sa).1, inner(shape, sb).1, contiguous_strides(shape));
    for_each_row(shape, &[sa, sb, &os], |o, n| {
        row::<T, O>(a.offset(o[0]), ia, b.offset(o[1]), ib, out.offset(o[2]), n)
    });
}

macro_rules! op {
    ($Op:ident, $T:ty, |$a:ident, $b:ident| $s:expr, $v:expr) => {
        impl Binary<$T> for $Op {
            #[inline(always)]
            fn s($a: $T, $b: $T) -> $T { $s }
            #[inline(always)]
            fn v(a: v128, b: v128) -> v128 { $v(a, b) }
        }
    };
    ($Op:ident, $T:ty, |$a:ident, $b:ident| $s:expr) => {
        impl Binary<$T> for $Op {
            const SIMD: bool = false;
            #[inline(always)]
            fn s($a: $T, $b: $T) -> $T { $s }
            fn v(_: v128, _: v128) -> v128 { unreachable!() }
        }
    };
}
pub struct Add;
pub struct Sub;
pub struct Mul;
pub struct Div;
pub struct Max;
pub struct Min;
pub struct Pow;

op!(Add, f32, |a, b| a + b, f32x4_add);
op!(Add, f64, |a, b| a + b, f64x2_add);
op!(Add, i32, |a, b| a.wrapping_add(b), i32x4_add);
op!(Add, u32, |a, b| a.wrapping_add(b), i32x4_add);
op!(Sub, f32, |a, b| a - b, f32x4_sub);
op!(Sub, f64, |a, b| a - b, f64x2_sub);
op!(Sub, i32, |a, b| a.wrapping_sub(b), i32x4_sub);
op!(Sub, u32, |a, b| a.wrapping_sub(b), i32x4_sub);
op!(Mul, f32, |a, b| a * b, f32x4_mul);
op!(Mul, f64, |a, b| a * b, f64x2_mul);
op!(Mul, i32, |a, b| a.wrapping_mul(b), i32x4_mul);
op!(Mul, u32, |a, b| a.wrapping_mul(b), i32x4_mul);
op!(Div, f32, |a, b| a / b, f32x4_div);
op!(Div, f64, |a, b| a / b, f64x2_div);
// Integer division truncates; x/0 is -1 (i32) or u32::MAX, and MIN/-1 wraps to MIN.
op!(Div, i32, |a, b| if b == 0 { -1 } else { a.wrapping_div(b) });
op!(Div, u32, |a, b| if b == 0 { u32::MAX } else { a / b });
op!(Max, f32, |a, b| max_f32(a, b), f32x4_max);
op!(Max, f64, |a, b| max_f64(a, b), f64x2_max);
op!(Max, i32, |a, b| a.max(b), i32x4_max);
op!(Max, u32, |a, b| a.max(b), u32x4_max);
op!(Max, u8, |a, b| a.max(b), u8x16_max);
op!(Min, f32, |a, b| min_f32(a, b), f32x4_min);
op!(Min, f64, |a, b| min_f64(a, b), f64x2_min);
op!(Min, i32, |a, b| a.min(b), i32x4_min);
op!(Min, u32, |a, b| a.min(b), u32x4_min);
op!(Min, u8, |a, b| a.min(b), u8x16_min);
op!(Pow, f32, |a, b| pow_f32(a, b));
op!(Pow, f64, |a, b| pow_f64(a, b));

// --- rem, bitwise, shifts, atan2 -------------------------------------
pub struct Rem;
pub struct And;
pub struct Or;
pub struct Xor;
pub struct ShiftLeft;
pub struct ShiftRightArithmetic;
pub struct ShiftRightLogical;
pub struct Atan2;

// C fmod for floats (Rust's % on floats); integers truncate, x rem 0 = x, MIN rem -1 = 0 (XLA).
op!(Rem, f32, |a, b| a % b);
op!(Rem, f64, |a, b| a % b);
op!(Rem, i32, |a, b| if b == 0 { a } else { a.wrapping_rem(b) });
op!(Rem, u32, |a, b| if b == 0 { a } else { a % b });
op!(And, i32, |a, b| a & b, v128_and);
op!(And, u32, |a, b| a & b, v128_and);
op!(And, u8, |a, b| a & b, v128_and);
op!(Or, i32, |a, b| a | b, v128_or);
op!(Or, u32, |a, b| a | b, v128_or);
op!(Or, u8, |a, b| a | b, v128_or);
op!(Xor, i32, |a, b| a ^ b, v128_xor);
op!(Xor, u32, |a, b| a ^ b, v128_xor);
op!(Xor, u8, |a, b| a ^ b, v128_xor);
// Shifts as XLA defines them: an amount >= 32 (read as unsigned) shifts every bit
// out, leaving 0, or the sign fill for the arithmetic shift. Amounts vary per lane
// and simd128 shifts take one amount, so these are scalar.
op!(ShiftLeft, i32, |a, b| if (b as u32) < 32 { a << b } else { 0 });
op!(ShiftLeft, u32, |a, b| if b < 32 { a << b } else { 0 });
op!(ShiftRightLogical, i32, |a, b| if (b as u32) < 32 { ((a as u32) >> b) as i32 } else { 0 });
op!(ShiftRightLogical, u32, |a, b| if b < 32 { a >> b } else { 0 });
op!(ShiftRightArithmetic, i32, |a, b| a >> (b as u32).min(31));
op!(ShiftRightArithmetic, u32, |a, b| ((a as i32) >> b.min(31)) as u32);
op!(Atan2, f32, |a, b| crate::math_special::atan2(a as f64, b as f64) as f32);
op!(Atan2, f64, |a, b| crate::math_special::atan2(a, b));

// --- comparisons --------------------------------------------------------------
pub trait Compare<T: Elem> {
    fn s(a: T, b: T) -> bool;
    /// Lane masks (all ones where true), lanes as wide as T's.
    fn v(a: v128, b: v128) -> v128;
}

/// Packs 16 lanes of masks (16 / T::LANES vectors) into 16 bytes of 0/1.
#[inline(always)]
fn pack<T: Elem>(m: &[v128; 8]) -> v128 {
    let bytes = match T::LANES {
        16 => m[0],
        4 => i8x16_narrow_i16x8(i16x8_narrow_i32x4(m[0], m[1]), i16x8_narrow_i32x4(m[2], m[3])),
        _ => {
            // 64-bit masks: keep one 32-bit half of each lane, then as above.
            let w = |a: v128, b: v128| i32x4_shuffle::<0, 2, 4, 6>(a, b);
            i8x16_narrow_i16x8(
                i16x8_narrow_i32x4(w(m[0], m[1]), w(m[2], m[3])),
                i16x8_narrow_i32x4(w(m[4], m[5]), w(m[6], m[7])),
            )
        }
    };
    v128_and(bytes, u8x16_splat(1))
}

/// Loads a vector of operand `p` at element `i`: stride 1 loads, stride 0 splats.
#[inline(always)]
unsafe fn ld<T: Elem>(p: *const T, s: isize, i: usize) -> v128 {
    if s == 0 { (*p).splat() } else { load(p.add(i)) }
}

#[inline(always)]
pub unsafe fn cmp_row<T: Elem, O: Compare<T>>(a: *const T, sa: isize, b: *const T, sb: isize, out: *mut u8, n: usize) {
    let mut i = 0;
    if (sa == 0 || sa == 1) && (sb == 0 || sb == 1) {
        let per = 16 / T::LANES;
        while i + 16 <= n {
            let mut m = [u8x16_splat(0); 8];
            for (j, mj) in m.iter_mut().enumerate().take(per) {
                let k = i + j * T::LANES;
                *mj = O::v(ld(a, sa, k), ld(b, sb, k));
            }
            v128_store(out.add(i) as *mut v128, pack::<T>(&m));
            i += 16;
        }
    }
    cmp_row_scalar::<T, O>(a, sa, b, sb, out, i, n);
}

#[inline(always)]
pub unsafe fn cmp_row_scalar<T: Elem, O: Compare<T>>(a: *const T, sa: isize, b: *const T, sb: isize, out: *mut u8, mut i: usize, n: usize) {
    while i < n {
        *out.add(i) = O::s(*a.offset(i as isize * sa), *b.offset(i as isize * sb)) as u8;
        i += 1;
    }
}

pub unsafe fn compare<T: Elem, O: Compare<T>>(shape: &[usize], a: *const T, sa: &[isize], b: *const T, sb: &[isize], out: *mut u8) {
    let (ia, ib, os) = (inner(shape, sa).1, inner(shape, sb).1, contiguous_strides(shape));
    for_each_row(shape, &[sa, sb, &os], |o, n| {
        cmp_row::<T, O>(a.offset(o[0]), ia, b.offset(o[1]), ib, out.offset(o[2]), n)
    });
}

macro_rules! cmp {
    ($Op:ident, $op:tt, [$($T:ty: $v:expr),*]) => {
        pub struct $Op;
        $(impl Compare<$T> for $Op {
            #[inline(always)] fn s(a: $T, b: $T) -> bool { a $op b }
            #[inline(always)] fn v(a: v128, b: v128) -> v128 { $v(a, b) }
        })*
    };
}
cmp!(Eq, ==, [f32: f32x4_eq, f64: f64x2_eq, i32: i32x4_eq, u32: i32x4_eq, u8: i8x16_eq]);
cmp!(Ne, !=, [f32: f32x4_ne, f64: f64x2_ne, i32: i32x4_ne, u32: i32x4_ne, u8: i8x16_ne]);
cmp!(Lt, <, [f32: f32x4_lt, f64: f64x2_lt, i32: i32x4_lt, u32: u32x4_lt, u8: u8x16_lt]);
cmp!(Le, <=, [f32: f32x4_le, f64: f64x2_le, i32: i32x4_le, u32: u32x4_le, u8: u8x16_le]);
cmp!(Gt, >, [f32: f32x4_gt, f64: f64x2_gt, i32: i32x4_gt, u32: u32x4_gt, u8: u8x16_gt]);
cmp!(Ge, >=, [f32: f32x4_ge, f64: f64x2_ge, i32: i32x4_ge, u32: u32x4_ge, u8: u8x16_ge]);

macro_rules! dispatch {
    ($op:expr, $T:ty, $shape:expr, $a:expr, $sa:expr, $b:expr, $sb:expr, $out:expr, [$($Op:ident),*]) => {
        match $op {
            $(BinaryOp::$Op => binary::<$T, $Op>($shape, $a as *const $T, $sa, $b as *const $T, $sb, $out as *mut $T),)*
            BinaryOp::Eq => compare::<$T, Eq>($shape, $a as *const $T, $sa, $b as *const $T, $sb, $out),
            BinaryOp::Ne => compare::<$T, Ne>($shape, $a as *const $T, $sa, $b as *const $T, $sb, $out),
            BinaryOp::Lt => compare::<$T, Lt>($shape, $a as *const $T, $sa, $b as *const $T, $sb, $out),
            BinaryOp::Le => compare::<$T, Le>($shape, $a as *const $T, $sa, $b as *const $T, $sb, $out),
            BinaryOp::Gt => compare::<$T, Gt>($shape, $a as *const $T, $sa, $b as *const $T, $sb, $out),
            BinaryOp::Ge => compare::<$T, Ge>($shape, $a as *const $T, $sa, $b as *const $T, $sb, $out),
            #[allow(unreachable_patterns)]
            _ => return false,
        }
    };
}

/// Runs op code `op` on dtype `dt` (comparisons write bool); `false` if unsupported.
pub unsafe fn binary_dyn(op: BinaryOp, dt: DType, shape: &[usize], a: *const u8, sa: &[isize], b: *const u8, sb: &[isize], out: *mut u8) -> bool {
    match dt {
        DType::F32 => dispatch!(op, f32, shape, a, sa, b, sb, out, [Add, Sub, Mul, Div, Max, Min, Pow, Rem, Atan2]),
        DType::F64 => dispatch!(op, f64, shape, a, sa, b, sb, out, [Add, Sub, Mul, Div, Max, Min, Pow, Rem, Atan2]),
        DType::I32 => dispatch!(op, i32, shape, a, sa, b, sb, out,
            [Add, Sub, Mul, Div, Max, Min, Rem, And, Or, Xor, ShiftLeft, ShiftRightArithmetic, ShiftRightLogical]),
        DType::U32 => dispatch!(op, u32, shape, a, sa, b, sb, out,
            [Add, Sub, Mul, Div, Max, Min, Rem, And, Or, Xor, ShiftLeft, ShiftRightArithmetic, ShiftRightLogical]),
        DType::Bool => dispatch!(op, u8, shape, a, sa, b, sb, out, [Max, Min, And, Or, Xor]),
    }
    true
}
