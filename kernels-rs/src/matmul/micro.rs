//! The register-blocked microkernel: C[0..MR, 0..NR] (+)= A-panel * B-panel over
//! `kc` contracting indices, p ascending, one multiply then one add per term (no
//! FMA), so each c[i, j] continues the sequential sum of the naive loop.
//! `MR` rows by `NV` vectors of columns (NR = NV * T::LANES): one of the shapes
//! of `blocking.rs`.
use super::blocking::TILE_MAX;
use super::MatElem;
use crate::dtype::{load, store};

/// Where the microkernel reads its MR rows of A.
#[derive(Clone, Copy)]
pub enum ASource<T, const MR: usize> {
    /// A packed micro-panel: `a[p * MR + r]`.
    Packed(*const T),
    /// A in place: row r at `rows[r]`, successive p `col` elements apart (rows past
    /// the matrix's edge repeat its last row; their results are never stored).
    Strided { rows: [*const T; MR], col: isize },
}

/// The full tile at `c` (row stride `ldc`): starts from 0 when `first`, else from
/// the partial sums already in C. `b`: a kc x NR panel (p-major).
#[inline(always)]
pub unsafe fn micro<T: MatElem, const MR: usize, const NV: usize>(
    kc: usize, a: ASource<T, MR>, b: *const T, c: *mut T, ldc: usize, first: bool,
) {
    match a {
        ASource::Packed(p) => micro_impl::<T, MR, NV, false>(kc, [p; MR], MR as isize, b, c, ldc, first),
        ASource::Strided { rows, col } => micro_impl::<T, MR, NV, true>(kc, rows, col, b, c, ldc, first),
    }
}

/// `micro` for one kind of A source: STRIDED reads row r through `a[r]`, stepping
/// each by `step`; otherwise row r is `a[0] + r`, stepping by MR (constants, so the
/// hot loop advances one pointer). Not inlined: one copy of each hot loop, with all
/// MR * NV accumulators in registers.
#[inline(never)]
unsafe fn micro_impl<T: MatElem, const MR: usize, const NV: usize, const STRIDED: bool>(
    kc: usize, a: [*const T; MR], step: isize, b: *const T, c: *mut T, ldc: usize, first: bool,
) {
    let l = T::LANES;
    let mut acc = [[T::zero().splat(); NV]; MR];
    if !first {
        for (r, row) in acc.iter_mut().enumerate() {
            for (v, x) in row.iter_mut().enumerate() {
                *x = load(c.add(r * ldc + v * l));
            }
        }
    }
    let (mut a, mut b) = (a, b);
    for _ in 0..kc {
        let mut bv = [T::zero().splat(); NV];
        for (v, x) in bv.iter_mut().enumerate() {
            *x = load(b.add(v * l));
        }
        for (r, row) in acc.iter_mut().enumerate() {
            let av = if STRIDED { *a[r] } else { *a[0].add(r) }.splat();
            for (v, x) in row.iter_mut().enumerate() {
                *x = T::vmadd(*x, av, bv[v]);
            }
        }
        if STRIDED {
            for ar in a.iter_mut() {
                *ar = ar.offset(step);
            }
        } else {
            a[0] = a[0].add(MR);
        }
        b = b.add(NV * l);
    }
    for (r, row) in acc.iter().enumerate() {
        for (v, x) in row.iter().enumerate() {
            store(c.add(r * ldc + v * l), *x);
        }
    }
}

/// A tile of `rows x cols` (at most MR x NR) at `c`: full tiles go straight to
/// `micro`; edge tiles run it on a local MR x NR buffer, loaded with C's partial
/// sums (unless `first`) and copied back to the `rows x cols` part.
#[inline(always)]
pub unsafe fn tile<T: MatElem, const MR: usize, const NV: usize>(
    kc: usize, a: ASource<T, MR>, b: *const T, c: *mut T, ldc: usize, rows: usize, cols: usize, first: bool,
) {
    let nr = NV * T::LANES;
    if rows == MR && cols == nr {
        return micro::<T, MR, NV>(kc, a, b, c, ldc, first);
    }
    let mut buf = [T::zero(); TILE_MAX];
    if !first {
        for r in 0..rows {
            for j in 0..cols {
                buf[r * nr + j] = *c.add(r * ldc + j);
            }
        }
    }
    micro::<T, MR, NV>(kc, a, b, buf.as_mut_ptr(), nr, first);
    for r in 0..rows {
        for j in 0..cols {
            *c.add(r * ldc + j) = buf[r * nr + j];
        }
    }
}
