//! The BLIS loop nest around the microkernel. Per batch element:
//!
//! ```text
//! for each column block  j0 (NC):
//!   for each contracting block p0 (KC):      pack B[p0.., j0..] into NR-column micro-panels
//!     for each row block i0 (MC):            pack A[i0.., p0..] into MR-row micro-panels
//!       for each micro-panel of B jr (NR):   (stays in L1)
//!         for each micro-panel of A ir (MR): tile C[i0+ir.., j0+jr..] (+)= A-panel * B-panel
//! ```
//!
//! The contracting blocks run in ascending order and each continues the partial
//! sums the previous one left in C, so every c[i, j] is one sequential sum over p.
//! Scratch is two per-call buffers, so calls are reentrant and may run on any
//! sub-block of a larger problem (pointers and strides describe it).
use super::blocking::{KC, MC, NC, PACK_A_MIN_N};
use super::micro::{tile, ASource};
use super::pack::{pack_a, pack_b};
use super::{MatElem, Strides3};

fn round_up(x: usize, to: usize) -> usize {
    (x + to - 1) / to * to
}

/// out[batch, m, n] = a[batch, m, k] @ b[batch, k, n]; `out` contiguous; with an
/// `MR` x `NV`-vector register tile (one of `blocking.rs`'s shapes).
pub unsafe fn matmul<T: MatElem, const MR: usize, const NV: usize>(
    batch: usize, m: usize, n: usize, k: usize,
    a: *const T, sa: Strides3, b: *const T, sb: Strides3, out: *mut T,
) {
    if m == 0 || n == 0 || batch == 0 {
        return;
    }
    if k == 0 {
        for i in 0..batch * m * n {
            *out.add(i) = T::zero();
        }
        return;
    }
    let nr = NV * T::LANES;
    // Packing scratch (capacity only: `pack_a` / `pack_b` write what the tiles read).
    let mut bscratch: Vec<T> = Vec::with_capacity(KC.min(k) * round_up(NC.min(n), nr));
    // Narrow products read A in place: each A element serves too few columns to
    // repay packing it.
    let packed_a = n >= PACK_A_MIN_N;
    let mut ascratch: Vec<T> = Vec::with_capacity(if packed_a { KC.min(k) * round_up(MC.min(m), MR) } else { 0 });
    let (bpack, apack) = (bscratch.as_mut_ptr(), ascratch.as_mut_ptr());
    // An operand shared by every batch element (batch stride 0) that fits in one
    // packed block is packed for the first element only.
    let b_once = sb.batch == 0 && n <= NC && k <= KC;
    let a_once = sa.batch == 0 && m <= MC && k <= KC;
    for bi in 0..batch {
        let (a0, b0) = (a.offset(bi as isize * sa.batch), b.offset(bi as isize * sb.batch));
        let c0 = out.add(bi * m * n);
        for j0 in (0..n).step_by(NC) {
            let nc = NC.min(n - j0);
            for p0 in (0..k).step_by(KC) {
                let kc = KC.min(k - p0);
                if !(b_once && bi > 0) {
                    pack_b::<T, NV>(b0.offset(p0 as isize * sb.row + j0 as isize * sb.col), kc, nc, sb, bpack);
                }
                for i0 in (0..m).step_by(MC) {
                    let mc = MC.min(m - i0);
                    let ablock = a0.offset(i0 as isize * sa.row + p0 as isize * sa.col);
                    if packed_a && !(a_once && bi > 0) {
                        pack_a::<T, MR>(ablock, mc, kc, sa, apack);
                    }
                    for jr in (0..nc).step_by(nr) {
                        let bp = bpack.add(jr * kc) as *const T;
                        for ir in (0..mc).step_by(MR) {
                            let c = c0.add((i0 + ir) * n + j0 + jr);
                            let (rows, cols) = (MR.min(mc - ir), nr.min(nc - jr));
                            let asrc = if packed_a {
                                ASource::Packed(apack.add(ir * kc) as *const T)
                            } else {
                                let row = |r: usize| ablock.offset((ir + r.min(rows - 1)) as isize * sa.row);
                                ASource::Strided { rows: core::array::from_fn(row), col: sa.col }
                            };
                            tile::<T, MR, NV>(kc, asrc, bp, c, n, rows, cols, p0 == 0);
                        }
                    }
                }
            }
        }
    }
}
