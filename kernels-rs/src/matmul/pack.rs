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
use crate::simd::i32x4_shuffle;

/// Packs A[0..mc, 0..kc] (rows and columns strided by `s`) into micro-panels of
/// `MR` rows: panel t holds rows t*MR.., laid out p-major, `dst[t*stride + p*MR + r]`.
/// Rows past `mc` are zero.
#[inline(never)]
pub unsafe fn pack_a<T: MatElem, const MR: usize>(a: *const T, mc: usize, kc: usize, s: Strides3, dst: *mut T) {
    if T::LANES == 4 && MR == 3 && s.col == 1 {
        rows3_by_4(a, mc, kc, s.row, dst)
    } else {
        panels(a, mc, MR, kc, s.row, s.col, dst)
    }
}

/// `pack_a` for 4-lane elements, MR = 3 and A contiguous along p (row-major): four
/// p at a time, the three rows' vectors are transposed by shuffles into the
/// panel's next 12 elements (3 loads, 6 shuffles, 3 stores where the element-wise
/// copy makes 12 scalar loads and stores, each with its own address arithmetic).
#[inline(always)]
unsafe fn rows3_by_4<T: MatElem>(a: *const T, mc: usize, kc: usize, lda: isize, dst: *mut T) {
    let (stride, full) = (panel_stride(kc, 3), mc / 3);
    for t in 0..full {
        let r0 = a.offset((3 * t) as isize * lda);
        let (r1, r2, q) = (r0.offset(lda), r0.offset(2 * lda), dst.add(t * stride));
        let mut p = 0;
        while p + 4 <= kc {
            let (v0, v1, v2) = (load::<T>(r0.add(p)), load::<T>(r1.add(p)), load::<T>(r2.add(p)));
            // Lanes named row.p: t0 = [0.0 1.0 0.1 1.1], t1 = [0.2 1.2 0.3 1.3], v2 = [2.0 2.1 2.2 2.3].
            let t0 = i32x4_shuffle::<0, 4, 1, 5>(v0, v1);
            let t1 = i32x4_shuffle::<2, 6, 3, 7>(v0, v1);
            let mid = i32x4_shuffle::<3, 5, 0, 0>(t0, v2); // [1.1 2.1 _ _]
            store(q.add(3 * p), i32x4_shuffle::<0, 1, 4, 2>(t0, v2)); // [0.0 1.0 2.0 0.1]
            store(q.add(3 * p + 4), i32x4_shuffle::<0, 1, 4, 5>(mid, t1)); // [1.1 2.1 0.2 1.2]
            store(q.add(3 * p + 8), i32x4_shuffle::<6, 2, 3, 7>(t1, v2)); // [2.2 0.3 1.3 2.3]
            p += 4;
        }
        while p < kc {
            *q.add(3 * p) = *r0.add(p);
            *q.add(3 * p + 1) = *r1.add(p);
            *q.add(3 * p + 2) = *r2.add(p);
            p += 1;
        }
    }
    // The last, partial panel (zero-padded rows) the general way.
    if mc > 3 * full {
        panels(a.offset((3 * full) as isize * lda), mc - 3 * full, 3, kc, lda, 1, dst.add(full * stride));
    }
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
/// Plain `while` loops: with `width` a constant they unroll to straight copies (a
/// `step_by` loop stayed a loop with per-vector checks and spills in V8, ~15
/// instructions a vector).
#[inline(always)]
unsafe fn copy_row<T: MatElem>(from: *const T, width: usize, to: *mut T) {
    if width % T::LANES == 0 {
        let mut v = 0;
        while v < width {
            store(to.add(v), load::<T>(from.add(v)));
            v += T::LANES;
        }
    } else {
        for x in 0..width {
            *to.add(x) = *from.add(x);
        }
    }
}
