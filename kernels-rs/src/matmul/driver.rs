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
//! Scratch is per call (one packed B block, one packed A block per thread), so
//! calls are reentrant and may run on any sub-block of a larger problem
//! (pointers and strides describe it).
use super::blocking::{panel_stride, KC, MC, NC, PACK_A_MIN_N};
use super::micro::{tile, ASource};
use super::pack::{pack_a, pack_b};
use super::{MatElem, Strides3, Threading};
use crate::parallel::{parallel_for, threads};

fn round_up(x: usize, to: usize) -> usize {
    (x + to - 1) / to * to
}

/// Rows of A per parallel chunk: up to `MC`, fewer so a product has about
/// `ROW_CHUNKS` chunks to balance over the pool (a multiple of 12, so of both tiles' MR).
const ROW_CHUNKS: usize = 8;
/// B micro-panels per chunk when a packed B block is packed in parallel.
const PACK_B_PANELS: usize = 16;

/// out[batch, m, n] = a[batch, m, k] @ b[batch, k, n]; `out` contiguous; with an
/// `MR` x `NV`-vector register tile (one of `blocking.rs`'s shapes).
///
/// With `threading == Pool` the thread pool shares each packed B block: its
/// micro-panels are packed in parallel, then row blocks of A (each packed by the
/// thread that multiplies it, into that thread's own scratch) run in parallel
/// against it. Every c[i, j] is still one sequential sum over p, so the result
/// does not depend on the threading.
pub unsafe fn matmul<T: MatElem, const MR: usize, const NV: usize>(
    batch: usize, m: usize, n: usize, k: usize,
    a: *const T, sa: Strides3, b: *const T, sb: Strides3, out: *mut T, threading: Threading,
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
    let pool = threading == Threading::Pool;
    let nr = NV * T::LANES;
    // Rows per row block: MC, or fewer to give the pool enough chunks.
    let mb = if pool { MC.min(round_up((m + ROW_CHUNKS - 1) / ROW_CHUNKS, 12)) } else { MC };
    let row_blocks = (m + mb - 1) / mb;
    // Packing scratch (capacity only: `pack_a` / `pack_b` write what the tiles read).
    let mut bscratch: Vec<T> = Vec::with_capacity(panel_stride(KC.min(k), nr) * ((NC.min(n) + nr - 1) / nr));
    // Narrow products read A in place: each A element serves too few columns to
    // repay packing it.
    let packed_a = n >= PACK_A_MIN_N;
    // One packed A block per thread that may run row blocks (`tid < slots`).
    let (slots, ablock_len) = (if pool { threads() } else { 1 }, panel_stride(KC.min(k), MR) * ((mb.min(m) + MR - 1) / MR));
    let mut ascratch: Vec<T> = Vec::with_capacity(if packed_a { slots * ablock_len } else { 0 });
    let (bpack, apack) = (bscratch.as_mut_ptr() as usize, ascratch.as_mut_ptr() as usize);
    // An operand shared by every batch element (batch stride 0) that fits in one
    // packed block is packed for the first element only.
    let b_once = sb.batch == 0 && n <= NC && k <= KC;
    let a_once = sa.batch == 0 && m <= mb && k <= KC && !pool;
    for bi in 0..batch {
        let (a0, b0) = (a.offset(bi as isize * sa.batch), b.offset(bi as isize * sb.batch));
        let c0 = out.add(bi * m * n) as usize;
        for j0 in (0..n).step_by(NC) {
            let nc = NC.min(n - j0);
            for p0 in (0..k).step_by(KC) {
                let kc = KC.min(k - p0);
                if !(b_once && bi > 0) {
                    let bsrc = b0.offset(p0 as isize * sb.row + j0 as isize * sb.col);
                    let panels = (nc + nr - 1) / nr;
                    let pack = |c: usize, _tid: usize| {
                        let j1 = c * PACK_B_PANELS * nr;
                        let cols = (PACK_B_PANELS * nr).min(nc - j1);
                        let dst = (bpack as *mut T).add(c * PACK_B_PANELS * panel_stride(kc, nr));
                        pack_b::<T, NV>(bsrc.offset(j1 as isize * sb.col), kc, cols, sb, dst);
                    };
                    run(pool, (panels + PACK_B_PANELS - 1) / PACK_B_PANELS, pack);
                }
                let rows = |ib: usize, tid: usize| {
                    let i0 = ib * mb;
                    let mc = mb.min(m - i0);
                    let apack = (apack as *mut T).add(tid * ablock_len);
                    let ablock = a0.offset(i0 as isize * sa.row + p0 as isize * sa.col);
                    if packed_a && !(a_once && bi > 0) {
                        pack_a::<T, MR>(ablock, mc, kc, sa, apack);
                    }
                    for jr in (0..nc).step_by(nr) {
                        let bp = (bpack as *const T).add(jr / nr * panel_stride(kc, nr));
                        for ir in (0..mc).step_by(MR) {
                            let c = (c0 as *mut T).add((i0 + ir) * n + j0 + jr);
                            let (rows, cols) = (MR.min(mc - ir), nr.min(nc - jr));
                            let asrc = if packed_a {
                                ASource::Packed(apack.add(ir / MR * panel_stride(kc, MR)) as *const T)
                            } else {
                                let row = |r: usize| ablock.offset((ir + r.min(rows - 1)) as isize * sa.row);
                                ASource::Strided { rows: core::array::from_fn(row), col: sa.col }
                            };
                            tile::<T, MR, NV>(kc, asrc, bp, c, n, rows, cols, p0 == 0);
                        }
                    }
                };
                run(pool, row_blocks, rows);
            }
        }
    }
}

/// `f(c, tid)` for chunks `0..n`: on the pool, or in order on this thread.
unsafe fn run<F: Fn(usize, usize)>(pool: bool, n: usize, f: F) {
    if pool {
        parallel_for(n, f)
    } else {
        for c in 0..n {
            f(c, 0)
        }
    }
}
