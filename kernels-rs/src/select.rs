//! select_n(pred, *cases): out[i] = cases[pred[i]][i]. `pred` is bool (two cases:
//! false -> cases[0], true -> cases[1]) or int32 (n cases). Out-of-range indices
//! are clamped (also `true` with a single case), so no index reads outside the cases. A scalar pred
//! arrives as stride 0, and then a whole row copies from one case.
use crate::dtype::{load, store, DType, Elem};
use crate::simd::*;
use crate::strided::{contiguous_strides, for_each_row};

#[derive(Clone, Copy)]
pub enum Pred {
    Bool(*const u8),
    I32(*const i32),
}

impl Pred {
    /// The (clamped) case index at element offset `o`.
    #[inline(always)]
    unsafe fn at(self, o: isize, ncases: usize) -> usize {
        match self {
            Pred::Bool(p) => ((*p.offset(o) != 0) as usize).min(ncases - 1),
            Pred::I32(p) => (*p.offset(o)).max(0).min(ncases as i32 - 1) as usize,
        }
    }
    fn offset(self, o: isize) -> Pred {
        unsafe {
            match self {
                Pred::Bool(p) => Pred::Bool(p.offset(o)),
                Pred::I32(p) => Pred::I32(p.offset(o)),
            }
        }
    }
}

/// Per-element lane mask from 4 bool bytes: all ones where the byte is nonzero.
#[inline(always)]
unsafe fn mask4(p: *const u8) -> v128 {
    let w = u32x4_extend_low_u16x8(u16x8_extend_low_u8x16(v128_load32_zero(p as *const u32)));
    i32x4_ne(w, i32x4_splat(0))
}

/// One row. The SIMD path covers 4-byte elements with a contiguous bool pred
/// choosing between two contiguous cases; everything else is the scalar twin.
#[inline(always)]
pub unsafe fn row<T: Elem>(pred: Pred, ps: isize, cases: &[*const T], cs: &[isize], out: *mut T, n: usize) {
    let nc = cases.len();
    if ps == 0 {
        let c = pred.at(0, nc);
        for i in 0..n {
            *out.add(i) = *cases[c].offset(i as isize * cs[c]);
        }
        return;
    }
    let mut i = 0;
    if let Pred::Bool(p) = pred {
        if T::LANES == 4 && nc == 2 && ps == 1 && cs[0] == 1 && cs[1] == 1 {
            while i + 4 <= n {
                let m = mask4(p.add(i));
                store(out.add(i), v128_bitselect(load(cases[1].add(i)), load(cases[0].add(i)), m));
                i += 4;
            }
        }
    }
    row_scalar(pred, ps, cases, cs, out, i, n);
}

#[inline(always)]
pub unsafe fn row_scalar<T: Elem>(pred: Pred, ps: isize, cases: &[*const T], cs: &[isize], out: *mut T, mut i: usize, n: usize) {
    while i < n {
        let c = pred.at(i as isize * ps, cases.len());
        *out.add(i) = *cases[c].offset(i as isize * cs[c]);
        i += 1;
    }
}

/// `case_strides[k]` are case k's strides; the output is contiguous.
pub unsafe fn select<T: Elem>(shape: &[usize], pred: Pred, pred_strides: &[isize], cases: &[*const T], case_strides: &[&[isize]], out: *mut T) {
    let nd = shape.len();
    let last = |s: &[isize]| if nd == 0 { 0 } else { s[nd - 1] };
    let os = contiguous_strides(shape);
    let mut all: Vec<&[isize]> = vec![pred_strides, &os];
    all.extend_from_slice(case_strides);
    let inner: Vec<isize> = case_strides.iter().map(|s| last(s)).collect();
    let mut ptrs = cases.to_vec();
    for_each_row(shape, &all, |o, n| {
        for (k, p) in ptrs.iter_mut().enumerate() {
            *p = cases[k].offset(o[k + 2]);
        }
        row(pred.offset(o[0]), last(pred_strides), &ptrs, &inner, out.offset(o[1]), n);
    });
}

/// Dispatch on the cases' dtype; `false` for an unknown pred dtype or no cases.
pub unsafe fn select_dyn(dt: DType, shape: &[usize], pred: Pred, ps: &[isize], cases: &[*const u8], cs: &[&[isize]], out: *mut u8) -> bool {
    if cases.is_empty() {
        return false;
    }
    crate::with_elem!(dt, T => {
        let typed: Vec<*const T> = cases.iter().map(|&p| p as *const T).collect();
        select::<T>(shape, pred, ps, &typed, cs, out as *mut T)
    });
    true
}
