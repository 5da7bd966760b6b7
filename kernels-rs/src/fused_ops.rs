//! The fused VM's per-tile operations: pointers to the eager kernels' own row
//! functions (their SIMD form, or their scalar twin when `SIMD` is false), picked
//! once per (op, dtype). A fused op therefore computes exactly what the eager
//! kernel computes, bit for bit; only reductions reassociate (see `fused.rs`).
use crate::binary::{self, Binary, BinaryOp, Compare};
use crate::cast::{self, CastTo};
use crate::dtype::{DType, Elem};
use crate::reduce::{reduce_contig, reduce_scalar, ReduceOp, Reducer};
use crate::select::{self, Pred};
use crate::unary::{self, Pow, Unary, UnaryOp};
use crate::with_elem;

/// `out[0..n] = f(x[i * xs])`; the i32 is integer_pow's exponent (ignored otherwise).
pub type Row1 = unsafe fn(*const u8, isize, *mut u8, usize, i32);
/// `out[0..n] = f(a[i * sa], b[i * sb])`; strides are 0 or 1.
pub type Row2 = unsafe fn(*const u8, isize, *const u8, isize, *mut u8, usize);

unsafe fn urow<T: Elem, O: Unary<T>, const SIMD: bool>(x: *const u8, xs: isize, out: *mut u8, n: usize, _y: i32) {
    if SIMD {
        unary::row::<T, O>(x as _, xs, out as _, n)
    } else {
        unary::row_scalar::<T, O>(x as _, xs, out as _, 0, n)
    }
}

unsafe fn iprow<T: Pow, const SIMD: bool>(x: *const u8, xs: isize, out: *mut u8, n: usize, y: i32) {
    if SIMD {
        unary::ipow_row::<T>(x as _, xs, out as _, n, y)
    } else {
        unary::ipow_row_scalar::<T>(x as _, xs, out as _, 0, n, y)
    }
}

unsafe fn castrow<S: CastTo<D>, D: Elem, const SIMD: bool>(x: *const u8, xs: isize, out: *mut u8, n: usize, _y: i32) {
    if SIMD {
        cast::row::<S, D>(x as _, xs, out as _, n)
    } else {
        cast::row_scalar::<S, D>(x as _, xs, out as _, 0, n)
    }
}

unsafe fn brow<T: Elem, O: Binary<T>, const SIMD: bool>(a: *const u8, sa: isize, b: *const u8, sb: isize, out: *mut u8, n: usize) {
    if SIMD {
        binary::row::<T, O>(a as _, sa, b as _, sb, out as _, n)
    } else {
        binary::row_scalar::<T, O>(a as _, sa, b as _, sb, out as _, 0, n)
    }
}

unsafe fn crow<T: Elem, O: Compare<T>, const SIMD: bool>(a: *const u8, sa: isize, b: *const u8, sb: isize, out: *mut u8, n: usize) {
    if SIMD {
        binary::cmp_row::<T, O>(a as _, sa, b as _, sb, out, n)
    } else {
        binary::cmp_row_scalar::<T, O>(a as _, sa, b as _, sb, out, 0, n)
    }
}

macro_rules! pick_unary {
    ($op:expr, $T:ty, $S:ident, [$($Op:ident),*]) => {
        match $op {
            $(UnaryOp::$Op => Some(urow::<$T, unary::$Op, $S> as Row1),)*
            #[allow(unreachable_patterns)]
            _ => None,
        }
    };
}

/// The row of unary `op` on `dt`; None where the eager kernel rejects the pair.
pub fn unary_fn<const SIMD: bool>(op: UnaryOp, dt: DType) -> Option<Row1> {
    match dt {
        DType::F32 => pick_unary!(op, f32, SIMD, [
            Neg, Exp, Log, Sin, Cos, Tanh, Sqrt, Logistic, Abs, Sign,
            Floor, Ceil, RoundAway, RoundEven, Tan, Asin, Acos, Atan, Sinh, Cosh, Asinh, Acosh, Atanh,
            Exp2, Expm1, Log1p, Cbrt, Rsqrt, Erf, Erfc, ErfInv, Lgamma, Digamma]),
        DType::F64 => pick_unary!(op, f64, SIMD, [
            Neg, Exp, Log, Sin, Cos, Tanh, Sqrt, Logistic, Abs, Sign,
            Floor, Ceil, RoundAway, RoundEven, Tan, Asin, Acos, Atan, Sinh, Cosh, Asinh, Acosh, Atanh,
            Exp2, Expm1, Log1p, Cbrt, Rsqrt, Erf, Erfc, ErfInv, Lgamma, Digamma]),
        DType::I32 => pick_unary!(op, i32, SIMD, [Neg, Abs, Sign, Not, PopulationCount, Clz]),
        DType::U32 => pick_unary!(op, u32, SIMD, [Neg, Abs, Sign, Not, PopulationCount, Clz]),
        DType::Bool => pick_unary!(op, u8, SIMD, [Not]),
    }
}

/// integer_pow's row; integers only with `y >= 0`, as the eager kernel.
pub fn ipow_fn<const SIMD: bool>(dt: DType, y: i32) -> Option<Row1> {
    Some(match dt {
        DType::F32 => iprow::<f32, SIMD>,
        DType::F64 => iprow::<f64, SIMD>,
        DType::I32 if y >= 0 => iprow::<i32, SIMD>,
        DType::U32 if y >= 0 => iprow::<u32, SIMD>,
        _ => return None,
    })
}

/// convert_element_type's row (every pair).
pub fn cast_fn<const SIMD: bool>(src: DType, dst: DType) -> Row1 {
    with_elem!(src, S => with_elem!(dst, D => castrow::<S, D, SIMD> as Row1))
}

macro_rules! pick_binary {
    ($op:expr, $T:ty, $S:ident, [$($Op:ident),*]) => {
        match $op {
            $(BinaryOp::$Op => Some(brow::<$T, binary::$Op, $S> as Row2),)*
            BinaryOp::Eq => Some(crow::<$T, binary::Eq, $S> as Row2),
            BinaryOp::Ne => Some(crow::<$T, binary::Ne, $S> as Row2),
            BinaryOp::Lt => Some(crow::<$T, binary::Lt, $S> as Row2),
            BinaryOp::Le => Some(crow::<$T, binary::Le, $S> as Row2),
            BinaryOp::Gt => Some(crow::<$T, binary::Gt, $S> as Row2),
            BinaryOp::Ge => Some(crow::<$T, binary::Ge, $S> as Row2),
            #[allow(unreachable_patterns)]
            _ => None,
        }
    };
}

/// The row of binary `op` on `dt` (comparisons write bool); None where eager rejects it.
pub fn binary_fn<const SIMD: bool>(op: BinaryOp, dt: DType) -> Option<Row2> {
    match dt {
        DType::F32 => pick_binary!(op, f32, SIMD, [Add, Sub, Mul, Div, Max, Min, Pow, Rem, Atan2]),
        DType::F64 => pick_binary!(op, f64, SIMD, [Add, Sub, Mul, Div, Max, Min, Pow, Rem, Atan2]),
        DType::I32 => pick_binary!(op, i32, SIMD,
            [Add, Sub, Mul, Div, Max, Min, Rem, And, Or, Xor, ShiftLeft, ShiftRightArithmetic, ShiftRightLogical]),
        DType::U32 => pick_binary!(op, u32, SIMD,
            [Add, Sub, Mul, Div, Max, Min, Rem, And, Or, Xor, ShiftLeft, ShiftRightArithmetic, ShiftRightLogical]),
        DType::Bool => pick_binary!(op, u8, SIMD, [Max, Min, And, Or, Xor]),
    }
}

/// select_n over one row: `cases[k]` with stride `cs[k]` (0 or 1), into contiguous `out`.
pub unsafe fn select_row<const SIMD: bool>(dt: DType, pred: Pred, ps: isize, cases: &[*const u8], cs: &[isize], out: *mut u8, n: usize) {
    with_elem!(dt, T => {
        let c = core::slice::from_raw_parts(cases.as_ptr() as *const *const T, cases.len());
        if SIMD {
            select::row::<T>(pred, ps, c, cs, out as *mut T, n)
        } else {
            select::row_scalar::<T>(pred, ps, c, cs, out as *mut T, 0, n)
        }
    })
}

// --- reductions -----------------------------------------------------------------

/// A value of any element type, as raw bits (so partial results need no generics).
pub trait Raw: Copy {
    fn raw(self) -> u64;
    fn unraw(v: u64) -> Self;
}
impl Raw for f32 { fn raw(self) -> u64 { self.to_bits() as u64 } fn unraw(v: u64) -> Self { f32::from_bits(v as u32) } }
impl Raw for f64 { fn raw(self) -> u64 { self.to_bits() } fn unraw(v: u64) -> Self { f64::from_bits(v) } }
impl Raw for i32 { fn raw(self) -> u64 { self as u32 as u64 } fn unraw(v: u64) -> Self { v as u32 as i32 } }
impl Raw for u32 { fn raw(self) -> u64 { self as u64 } fn unraw(v: u64) -> Self { v as u32 } }
impl Raw for u8 { fn raw(self) -> u64 { self as u64 } fn unraw(v: u64) -> Self { v as u8 } }

/// One reduction's operations over raw values.
#[derive(Clone, Copy)]
pub struct RedFns {
    /// Reduces `n` contiguous elements.
    pub part: unsafe fn(*const u8, usize) -> u64,
    /// Combines two partial results (earlier first).
    pub comb: fn(u64, u64) -> u64,
    /// The identity (an empty reduction's value).
    pub id: u64,
    /// `out[i] = v`.
    pub put: unsafe fn(*mut u8, usize, u64),
}

unsafe fn part<T: Elem + Raw, O: Reducer<T>, const SIMD: bool>(x: *const u8, n: usize) -> u64 {
    let v = if SIMD { reduce_contig::<T, O>(x as _, n) } else { reduce_scalar::<T, O>(x as _, 1, n, O::id()) };
    v.raw()
}
fn comb<T: Elem + Raw, O: Reducer<T>>(a: u64, b: u64) -> u64 {
    O::s(T::unraw(a), T::unraw(b)).raw()
}
unsafe fn put<T: Raw>(out: *mut u8, i: usize, v: u64) {
    *(out as *mut T).add(i) = T::unraw(v);
}

fn fns<T: Elem + Raw, O: Reducer<T>, const SIMD: bool>() -> RedFns {
    RedFns { part: part::<T, O, SIMD>, comb: comb::<T, O>, id: O::id().raw(), put: put::<T> }
}

/// A reduction's operations; on bool, sum is "any" and prod is "all" (as `reduce_dyn`).
pub fn reduce_fns<const SIMD: bool>(op: ReduceOp, dt: DType) -> RedFns {
    use binary::{Add, Max, Min, Mul};
    macro_rules! go {
        ($T:ty, $Sum:ident, $Prod:ident) => {
            match op {
                ReduceOp::Sum => fns::<$T, $Sum, SIMD>(),
                ReduceOp::Prod => fns::<$T, $Prod, SIMD>(),
                ReduceOp::Max => fns::<$T, Max, SIMD>(),
                ReduceOp::Min => fns::<$T, Min, SIMD>(),
            }
        };
    }
    match dt {
        DType::F32 => go!(f32, Add, Mul),
        DType::F64 => go!(f64, Add, Mul),
        DType::I32 => go!(i32, Add, Mul),
        DType::U32 => go!(u32, Add, Mul),
        DType::Bool => go!(u8, Max, Min),
    }
}

/// Pairwise combination of a stream of partials: a binary counter whose level l
/// holds the combination of 2^l partials, so float sums of many tiles err
/// O(log tiles) rather than O(tiles).
#[derive(Default)]
pub struct Cascade {
    levels: Vec<Option<u64>>,
}

impl Cascade {
    pub fn push(&mut self, mut v: u64, comb: fn(u64, u64) -> u64) {
        let mut l = 0;
        loop {
            if l == self.levels.len() {
                self.levels.push(None);
            }
            match self.levels[l].take() {
                Some(p) => {
                    v = comb(p, v);
                    l += 1;
                }
                None => {
                    self.levels[l] = Some(v);
                    return;
                }
            }
        }
    }
    /// Forgets everything pushed.
    pub fn clear(&mut self) {
        self.levels.clear();
    }
    /// The combination of everything pushed (earlier partials sit at higher levels); resets.
    pub fn finish(&mut self, f: &RedFns) -> u64 {
        let mut acc: Option<u64> = None;
        for p in self.levels.iter_mut() {
            if let Some(v) = p.take() {
                acc = Some(match acc {
                    None => v,
                    Some(a) => (f.comb)(v, a),
                });
            }
        }
        acc.unwrap_or(f.id)
    }
}

/// `Pred` for a predicate register of dtype `dt` (bool or int32).
pub fn pred_of(dt: DType, p: *const u8) -> Option<Pred> {
    match dt {
        DType::Bool => Some(Pred::Bool(p)),
        DType::I32 => Some(Pred::I32(p as *const i32)),
        _ => None,
    }
}
