//! reduce_window_{sum,max,min}: each output element reduces the operand elements
//! its window covers, starting from the op's identity (so padding and the holes of
//! a base dilation count as the identity). Any strides on the operand; contiguous
//! row-major output.
//!
//! ## Descriptor (u32 words; `i` marks words read as i32)
//! `ndim`, then per axis `in, win, out, stride, lo(i), base_dil, win_dil, x_s(i)`.
//! Output position p and tap k on an axis read the dilated operand at
//! q = p·stride − lo + k·win_dil, an element iff q ≥ 0, q ≡ 0 (mod base_dil) and
//! q / base_dil < in (the same arithmetic as `conv.rs`).
use crate::binary::{Add, Max, Min};
use crate::dtype::{DType, Elem};
use crate::reduce::{ReduceOp, Reducer};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WindowAxis {
    pub input: usize,
    pub win: usize,
    pub out: usize,
    pub stride: usize,
    pub lo: isize,
    pub base_dil: usize,
    pub win_dil: usize,
    pub x_s: isize,
}

pub const AXIS_WORDS: usize = 8;

/// Parses a descriptor; None if too short or with zero strides/dilations.
pub fn parse(w: &[u32]) -> Option<Vec<WindowAxis>> {
    let nd = *w.first()? as usize;
    if w.len() < 1 + AXIS_WORDS * nd {
        return None;
    }
    let axes: Vec<WindowAxis> = (0..nd)
        .map(|d| {
            let b = 1 + AXIS_WORDS * d;
            WindowAxis {
                input: w[b] as usize, win: w[b + 1] as usize, out: w[b + 2] as usize, stride: w[b + 3] as usize,
                lo: w[b + 4] as i32 as isize, base_dil: w[b + 5] as usize, win_dil: w[b + 6] as usize, x_s: w[b + 7] as i32 as isize,
            }
        })
        .collect();
    if axes.iter().any(|a| a.stride == 0 || a.base_dil == 0 || a.win_dil == 0) {
        return None;
    }
    Some(axes)
}

/// Per axis, the operand offsets (index × stride) read by output position p,
/// as `offsets[p]` (taps that miss are left out).
fn axis_taps(a: &WindowAxis) -> Vec<Vec<isize>> {
    (0..a.out)
        .map(|p| {
            (0..a.win)
                .filter_map(|k| {
                    let q = (p * a.stride) as isize - a.lo + (k * a.win_dil) as isize;
                    let dil = a.base_dil as isize;
                    (q >= 0 && q % dil == 0 && q / dil < a.input as isize).then(|| q / dil * a.x_s)
                })
                .collect()
        })
        .collect()
}

/// Reduces over the window of every output element; axes are visited row-major.
pub unsafe fn reduce_window<T: Elem, O: Reducer<T>>(axes: &[WindowAxis], x: *const T, out: *mut T) {
    let taps: Vec<Vec<Vec<isize>>> = axes.iter().map(axis_taps).collect();
    let total: usize = axes.iter().map(|a| a.out).product();
    let nd = axes.len();
    let mut pos = vec![0usize; nd];
    // Recursive sum of per-axis offsets over the product of the axes' tap lists.
    unsafe fn fold<T: Elem, O: Reducer<T>>(taps: &[Vec<Vec<isize>>], pos: &[usize], ax: usize, base: isize, x: *const T, acc: T) -> T {
        if ax == taps.len() {
            return O::s(acc, *x.offset(base));
        }
        let mut acc = acc;
        for &off in &taps[ax][pos[ax]] {
            acc = fold::<T, O>(taps, pos, ax + 1, base + off, x, acc);
        }
        acc
    }
    for i in 0..total {
        *out.add(i) = fold::<T, O>(&taps, &pos, 0, 0, x, O::id());
        for ax in (0..nd).rev() {
            pos[ax] += 1;
            if pos[ax] < axes[ax].out {
                break;
            }
            pos[ax] = 0;
        }
    }
}

/// Sum, max and min over f32, f64, i32 and u32; false for bool and prod.
pub unsafe fn reduce_window_dyn(op: ReduceOp, dt: DType, axes: &[WindowAxis], x: *const u8, out: *mut u8) -> bool {
    macro_rules! go {
        ($T:ty) => {{
            let (x, out) = (x as *const $T, out as *mut $T);
            match op {
                ReduceOp::Sum => reduce_window::<$T, Add>(axes, x, out),
                ReduceOp::Max => reduce_window::<$T, Max>(axes, x, out),
                ReduceOp::Min => reduce_window::<$T, Min>(axes, x, out),
                ReduceOp::Prod => return false,
            }
        }};
    }
    match dt {
        DType::F32 => go!(f32),
        DType::F64 => go!(f64),
        DType::I32 => go!(i32),
        DType::U32 => go!(u32),
        DType::Bool => return false,
    }
    true
}
