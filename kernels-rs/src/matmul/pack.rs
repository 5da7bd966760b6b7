//! Packing: copies blocks of A and B, from any strides, into the contiguous
//! micro-panel layout the microkernel reads with unit steps, zero-padded to whole
//! tiles (so the microkernel has no edge cases; padded rows and columns compute
//! values that are never stored).
use super::{MatElem, Strides3};

/// Packs A[0..mc, 0..kc] (rows and columns strided by `s`) into micro-panels of
/// `mr` rows: panel t holds rows t*mr.., laid out p-major, `dst[t*kc*mr + p*mr + r]`.
/// Rows past `mc` are zero.
pub unsafe fn pack_a<T: MatElem>(a: *const T, mc: usize, kc: usize, s: Strides3, mr: usize, dst: &mut [T]) {
    let mut q = 0;
    for i0 in (0..mc).step_by(mr) {
        let rows = mr.min(mc - i0);
        for p in 0..kc {
            let col = a.offset(i0 as isize * s.row + p as isize * s.col);
            for r in 0..rows {
                dst[q + r] = *col.offset(r as isize * s.row);
            }
            for r in rows..mr {
                dst[q + r] = T::zero();
            }
            q += mr;
        }
    }
}

/// Packs B[0..kc, 0..nc] (strided by `s`) into micro-panels of `nr` columns:
/// panel t holds columns t*nr.., laid out p-major, `dst[t*kc*nr + p*nr + j]`.
/// Columns past `nc` are zero.
pub unsafe fn pack_b<T: MatElem>(b: *const T, kc: usize, nc: usize, s: Strides3, nr: usize, dst: &mut [T]) {
    let mut q = 0;
    for j0 in (0..nc).step_by(nr) {
        let cols = nr.min(nc - j0);
        for p in 0..kc {
            let row = b.offset(p as isize * s.row + j0 as isize * s.col);
            for j in 0..cols {
                dst[q + j] = *row.offset(j as isize * s.col);
            }
            for j in cols..nr {
                dst[q + j] = T::zero();
            }
            q += nr;
        }
    }
}
