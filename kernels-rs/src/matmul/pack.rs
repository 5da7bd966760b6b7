//! Packing: copies blocks of A and B, from any strides, into the contiguous
//! micro-panel layout the microkernel reads with unit steps, zero-padded to whole
//! tiles (so the microkernel has no edge cases; padded rows and columns compute
//! values that are never stored). Panel t starts `t * panel_stride(kc, width)`
//! elements into the destination (`blocking.rs`).
//!
//! Both write through a raw pointer into scratch that need not be initialized:
//! every element of the `ceil(extent / width)` panels of `width * kc` they cover
//! is written (the padding between panels is never read).
//! A panel's width is a compile-time constant in each instance (`MR`, or `NV`
//! vectors), so its per-p copies are fixed-size.
use super::blocking::panel_stride;
use super::{MatElem, Strides3};
use crate::dtype::{load, store};

/// Packs A[0..mc, 0..kc] (rows and columns strided by `s`) into micro-panels of
/// `MR` rows: panel t holds rows t*MR.., laid out p-major, `dst[t*stride + p*MR + r]`.
/// Rows past `mc` are zero.
#[inline(never)]
pub unsafe fn pack_a<T: MatElem, const MR: usize>(a: *const T, mc: usize, kc: usize, s: Strides3, dst: *mut T) {
    panels(a, mc, MR, kc, s.row, s.col, dst);
}

/// Packs B[0..kc, 0..nc] (strided by `s`) into micro-panels of `NV` vectors of
/// columns (nr = NV * T::LANES): panel t holds columns t*nr.., laid out p-major,
/// `dst[t*stride + p*nr + j]`. Columns past `nc` are zero.
#[inline(never)]
pub unsafe fn pack_b<T: MatElem, const NV: usize>(b: *const T, kc: usize, nc: usize, s: Strides3, dst: *mut T) {
    panels(b, nc, NV * T::LANES, kc, s.col, s.row, dst);
}

/// Elements of a source row that one pass over a group of panels reads (measured
/// best of 48, 96 and 192; 8 B panels or 32 A panels of f32).
const GROUP_SPAN: usize = 96;

/// Panels of a source whose panel axis (`extent` long) has stride `sx` and whose
/// contracting axis has stride `sp`: panel t is
/// `q[t*stride + p*width + x] = src[(t*width + x) * sx + p * sp]`, zero past `extent`
/// (`stride = panel_stride(kc, width)`).
///
/// When the panel axis is contiguous (sx = 1), a group of panels spanning
/// `GROUP_SPAN` elements is filled p by p: one contiguous run of the source per
/// p, and few enough destination panels written at once to share L1 even when
/// their stride aliases them to the same cache sets (panel by panel, reading
/// each source row in panel-wide pieces, packed row-major B 1.5x and transposed
/// A 2.7x slower per element). Otherwise panel by panel, p by p.
#[inline(always)]
unsafe fn panels<T: MatElem>(src: *const T, extent: usize, width: usize, kc: usize, sx: isize, sp: isize, dst: *mut T) {
    let group = (GROUP_SPAN / width).max(1);
    let full = extent / width;
    let panel_len = panel_stride(kc, width);
    if sx == 1 {
        for g0 in (0..full).step_by(group) {
            let g1 = full.min(g0 + group);
            for p in 0..kc {
                let row = src.offset(p as isize * sp);
                for t in g0..g1 {
                    copy_row(row.add(t * width), width, dst.add(t * panel_len + p * width));
                }
            }
        }
    } else {
        for t in 0..full {
            let (panel, q) = (src.offset((t * width) as isize * sx), dst.add(t * panel_len));
            for p in 0..kc {
                let (from, to) = (panel.offset(p as isize * sp), q.add(p * width));
                for x in 0..width {
                    *to.add(x) = *from.offset(x as isize * sx);
                }
            }
        }
    }
    let valid = extent - full * width;
    if valid > 0 {
        let (panel, q) = (src.offset((full * width) as isize * sx), dst.add(full * panel_len));
        for p in 0..kc {
            for x in 0..width {
                let v = if x < valid { *panel.offset(x as isize * sx + p as isize * sp) } else { T::zero() };
                *q.add(p * width + x) = v;
            }
        }
    }
}

/// Copies `width` contiguous elements (by vectors when `width` is a multiple of the lanes).
#[inline(always)]
unsafe fn copy_row<T: MatElem>(from: *const T, width: usize, to: *mut T) {
    if width % T::LANES == 0 {
        for v in (0..width).step_by(T::LANES) {
            store(to.add(v), load::<T>(from.add(v)));
        }
    } else {
        for x in 0..width {
            *to.add(x) = *from.add(x);
        }
    }
}
