//! cumsum / cumprod / cummax / cummin: a running reduction along one axis, one
//! sequential O(n) scan per line. The operand is strided (any strides, 0 too); the
//! output is contiguous row-major in the operand's shape. A reverse scan walks each
//! line from its last element. f32 accumulates in f64 and each output is rounded
//! once (as the interpreter does); integers wrap; max/min propagate NaN.
use crate::binary::{Add, Max, Min, Mul};
use crate::dtype::{DType, Elem};
use crate::reduce::Reducer;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum CumulativeOp {
    Sum = 0,
    Prod = 1,
    Max = 2,
    Min = 3,
}

impl CumulativeOp {
    pub fn from_code(c: u32) -> Option<Self> {
        [CumulativeOp::Sum, CumulativeOp::Prod, CumulativeOp::Max, CumulativeOp::Min].get(c as usize).copied()
    }
}

/// The type a running value is kept in: f64 for f32, the element type otherwise.
pub trait Widen: Elem {
    type Acc: Elem;
    fn widen(self) -> Self::Acc;
    fn narrow(a: Self::Acc) -> Self;
}
impl Widen for f32 {
    type Acc = f64;
    #[inline(always)]
    fn widen(self) -> f64 { self as f64 }
    #[inline(always)]
    fn narrow(a: f64) -> f32 { a as f32 }
}
macro_rules! same {
    ($($T:ty),*) => {$(
        impl Widen for $T {
            type Acc = $T;
            #[inline(always)]
            fn widen(self) -> $T { self }
            #[inline(always)]
            fn narrow(a: $T) -> $T { a }
        }
    )*};
}
same!(f64, i32, u32, u8);

/// Scans every line of `shape` along `axis` (x strided by `xs`, out contiguous).
///
/// The operand is viewed as [outer, n, inner] around `axis`. Each outer block keeps
/// one running value per inner position and absorbs the operand's rows in scan order,
/// so the innermost loop walks contiguous output (and, for row-major operands,
/// contiguous input) whichever axis is scanned.
pub unsafe fn cumulative<T: Widen, O: Reducer<T::Acc>>(shape: &[usize], xs: &[isize], axis: usize, reverse: bool, x: *const T, out: *mut T) {
    let total: usize = shape.iter().product();
    if total == 0 {
        return;
    }
    let n = shape[axis];
    let inner: usize = shape[axis + 1..].iter().product();
    let outer = total / (n * inner);
    // Operand offsets of the inner positions (row-major over the axes after `axis`).
    let mut inner_off = vec![0isize; inner];
    let mut stride_run = 1usize;
    for d in (axis + 1..shape.len()).rev() {
        let (len, s) = (shape[d], xs[d]);
        for i in 0..inner {
            inner_off[i] += ((i / stride_run) % len) as isize * s;
        }
        stride_run *= len;
    }
    let contiguous = inner_off.iter().enumerate().all(|(i, &o)| o == i as isize);
    let mut acc = vec![O::id(); inner];
    let mut idx = vec![0usize; axis];
    for o in 0..outer {
        let xbase: isize = idx.iter().zip(xs).map(|(&k, &s)| k as isize * s).sum();
        acc.iter_mut().for_each(|a| *a = O::id());
        for j in 0..n {
            let row = if reverse { n - 1 - j } else { j };
            let xr = x.offset(xbase + row as isize * xs[axis]);
            let orow = out.add((o * n + row) * inner);
            if contiguous {
                for i in 0..inner {
                    acc[i] = O::s(acc[i], (*xr.add(i)).widen());
                    *orow.add(i) = T::narrow(acc[i]);
                }
            } else {
                for i in 0..inner {
                    acc[i] = O::s(acc[i], (*xr.offset(inner_off[i])).widen());
                    *orow.add(i) = T::narrow(acc[i]);
                }
            }
        }
        for d in (0..axis).rev() {
            idx[d] += 1;
            if idx[d] < shape[d] {
                break;
            }
            idx[d] = 0;
        }
    }
}

/// Sum and prod over f32, f64, i32, u32; max and min over those and bool. False otherwise.
pub unsafe fn cumulative_dyn(op: CumulativeOp, dt: DType, shape: &[usize], xs: &[isize], axis: usize, reverse: bool, x: *const u8, out: *mut u8) -> bool {
    if axis >= shape.len() {
        return false;
    }
    macro_rules! go {
        ($T:ty) => {{
            let (x, out) = (x as *const $T, out as *mut $T);
            match op {
                CumulativeOp::Sum => cumulative::<$T, Add>(shape, xs, axis, reverse, x, out),
                CumulativeOp::Prod => cumulative::<$T, Mul>(shape, xs, axis, reverse, x, out),
                CumulativeOp::Max => cumulative::<$T, Max>(shape, xs, axis, reverse, x, out),
                CumulativeOp::Min => cumulative::<$T, Min>(shape, xs, axis, reverse, x, out),
            }
        }};
    }
    match dt {
        DType::F32 => go!(f32),
        DType::F64 => go!(f64),
        DType::I32 => go!(i32),
        DType::U32 => go!(u32),
        DType::Bool => {
            let (x, out) = (x as *const u8, out as *mut u8);
            match op {
                CumulativeOp::Max => cumulative::<u8, Max>(shape, xs, axis, reverse, x, out),
                CumulativeOp::Min => cumulative::<u8, Min>(shape, xs, axis, reverse, x, out),
                _ => return false,
            }
        }
    }
    true
}
