//! The register-blocked microkernel: C[0..MR, 0..NR] (+)= A-panel * B-panel over
//! `kc` contracting indices, p ascending, one multiply then one add per term (no
//! FMA), so each c[i, j] continues the sequential sum of the naive loop.
use super::blocking::{nr, MR, NV};
use super::MatElem;
use crate::dtype::{load, store};

/// The full tile at `c` (row stride `ldc`): starts from 0 when `first`, else from
/// the partial sums already in C. `a`: MR x kc panel (p-major), `b`: kc x NR panel.
/// Not inlined: one copy of the hot loop, with all MR * NV accumulators in registers.
#[inline(never)]
pub unsafe fn micro<T: MatElem>(kc: usize, a: *const T, b: *const T, c: *mut T, ldc: usize, first: bool) {
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
            let av = (*a.add(r)).splat();
            for (v, x) in row.iter_mut().enumerate() {
                *x = T::vmadd(*x, av, bv[v]);
            }
        }
        a = a.add(MR);
        b = b.add(NV * l);
    }
    for (r, row) in acc.iter().enumerate() {
        for (v, x) in row.iter().enumerate() {
            store(c.add(r * ldc + v * l), *x);
        }
    }
}

/// Largest tile, in elements (4 lanes at most).
const TILE: usize = MR * NV * 4;

/// A tile of `rows x cols` (at most MR x NR) at `c`: full tiles go straight to
/// `micro`; edge tiles run it on a local MR x NR buffer, loaded with C's partial
/// sums (unless `first`) and copied back to the `rows x cols` part.
#[inline(always)]
pub unsafe fn tile<T: MatElem>(
    kc: usize, a: *const T, b: *const T, c: *mut T, ldc: usize, rows: usize, cols: usize, first: bool,
) {
    let nr = nr(T::LANES);
    if rows == MR && cols == nr {
        return micro(kc, a, b, c, ldc, first);
    }
    let mut buf = [T::zero(); TILE];
    if !first {
        for r in 0..rows {
            for j in 0..cols {
                buf[r * nr + j] = *c.add(r * ldc + j);
            }
        }
    }
    micro(kc, a, b, buf.as_mut_ptr(), nr, first);
    for r in 0..rows {
        for j in 0..cols {
            *c.add(r * ldc + j) = buf[r * nr + j];
        }
    }
}
