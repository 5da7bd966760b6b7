//! Every blocking constant of the matmul, in one place.
//!
//! The loop nest (`driver.rs`) follows BLIS: C is computed in column blocks of
//! `NC`, contracting blocks of `KC` and row blocks of `MC`; inside, an `MR x NR`
//! register tile (`NR = NV` vectors of `T::LANES` lanes) accumulates one packed
//! A micro-panel (`MR x kc`) against one packed B micro-panel (`kc x NR`).
//!
//! Sizes (f32): a B micro-panel is KC * NR * 4 = 8 KiB and stays in L1 while the
//! A micro-panels of one row block stream past it; the packed A block,
//! MC * KC * 4 = 128 KiB, stays in L2; the packed B block, KC * NC * 4 = 2 MiB,
//! is read once per row block from L2/L3.
//!
//! The register tile is sized for V8 on x86-64, which allocates simd128 values
//! to 15 xmm registers (xmm15 is its scratch). LLVM emits a step's MR broadcast
//! loads of A ahead of its products, so MR * NV accumulators, NV vectors of B,
//! MR splats of A and one product are live at once: 4 x 2 vectors needs exactly
//! 15. Measured (Node 20 / V8 11.3, one thread, f32, n = 512): 5x8, 6x8, 4x12,
//! 3x16 and 8x8 spill accumulators inside the loop and ran at 50-65% of 4x8's
//! speed; unrolling the p loop by 2 or 4 (which lets LLVM hoist more loads) ran
//! at 70-90% (process CPU time, on a loaded machine).

/// Rows of the register tile (and of a packed A micro-panel).
pub const MR: usize = 4;
/// Vectors per row of the register tile: NR = NV * T::LANES columns.
pub const NV: usize = 2;
/// Contracting indices per packed block.
pub const KC: usize = 256;
/// Rows per packed A block (a multiple of MR).
pub const MC: usize = 128;
/// Columns per packed B block.
pub const NC: usize = 2048;

/// Products with fewer columns than this read A in place (through its strides)
/// instead of packing it: each A element then serves at most a couple of
/// register tiles, too few to repay the copy (measured: a matrix-vector product,
/// n = 1, ran 2.3x slower with A packed).
pub const PACK_A_MIN_N: usize = 17;

/// Columns of the register tile for `lanes`-lane vectors.
#[inline(always)]
pub const fn nr(lanes: usize) -> usize {
    NV * lanes
}
