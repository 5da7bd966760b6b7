//! Every blocking constant of the matmul, in one place.
//!
//! The loop nest (`driver.rs`) follows BLIS: C is computed in column blocks of
//! `NC`, contracting blocks of `KC` and row blocks of `MC`; inside, an `MR x NR`
//! register tile (`NR = NV` vectors of `T::LANES` lanes) accumulates one packed
//! A micro-panel (`MR x kc`) against one packed B micro-panel (`kc x NR`).
//!
//! Sizes (f32, wide tile): a B micro-panel is KC * NR * 4 = 12 KiB and stays in
//! L1 while the A micro-panels of one row block stream past it; the packed A
//! block, MC * KC * 4 = 132 KiB, stays in L2; the packed B block,
//! KC * NC * 4 = 2 MiB, is read once per row block from L2/L3.
//!
//! The register tiles are sized for V8 on x86-64, which allocates simd128 values
//! to 15 xmm registers (xmm15 is its scratch) and issues each step's MR splat
//! loads of A ahead of its products: MR * NV accumulators, NV vectors of B and MR
//! splats must fit in those 15. Without fused multiply-add the FP pipes (one
//! multiply and one add per term) bound the speed, and V8's loop overhead per
//! step (pointer bumps, address arithmetic, the interrupt check) competes with
//! them for issue slots, so a tile with more products per step is faster as
//! long as nothing spills.
//!
//! - Wide, 3 x 3 vectors (3 x 12 for f32): exactly 15 registers, 9 products per
//!   step. Measured (Node 20 / V8 11.3, Zen 5, one thread, f32, panels in L1):
//!   46.8 GFLOP/s against 41 for 4 x 2; whole products n = 512 / 1024 ran 10-16%
//!   faster. V8 keeps it spill-free for f32 and f64 only: for i32 (vpmulld) it
//!   spills an accumulator and ran at 58% of 4 x 2.
//! - Narrow, 4 x 2 vectors (4 x 8 for f32): 14 registers. Used for i32, and for
//!   products narrower than PACK_A_MIN_N columns (A read in place), where the
//!   wide tile's 12 columns would mostly compute padding (matrix-vector ran 25%
//!   slower with it).
//! Measured and rejected: 5x8, 6x8, 4x12, 3x16 and 8x8 spill (50-65% of 4x8);
//! unrolling the p loop by 2 or 4 makes V8 spill or hoist more loads (70-90%).
//! The wide tile's step is 9 multiplies and 9 adds, and the FP pipes (two of
//! each per cycle on Zen) bound it, not instruction issue: packing A pre-splat
//! (plain vector loads, and binaryen folding their offsets: 38 -> 32
//! instructions per step) ran n = 512 3% slower (4x the A traffic), and reading
//! a row-major A in place (three row pointers, no packing) ran 2x slower.

/// The wide register tile: rows (of a packed A micro-panel) and vectors per row
/// (NR = NV * T::LANES columns).
pub const WIDE: (usize, usize) = (3, 3);
/// The narrow register tile, rows and vectors per row.
pub const NARROW: (usize, usize) = (4, 2);
/// Largest tile, in elements (4 lanes at most).
pub const TILE_MAX: usize = 36;
const _: () = assert!(WIDE.0 * WIDE.1 * 4 <= TILE_MAX && NARROW.0 * NARROW.1 * 4 <= TILE_MAX);
const _: () = assert!(MC % WIDE.0 == 0 && MC % NARROW.0 == 0);
/// Contracting indices per packed block.
pub const KC: usize = 256;
/// Rows per packed A block (a multiple of both tiles' rows).
pub const MC: usize = 132;
/// Columns per packed B block.
pub const NC: usize = 2048;

/// Elements between the ends of successive packed micro-panels. A B panel of
/// KC * NR f32 is 12 KiB, a multiple of 4 KiB: unpadded, the panels of one
/// packing pass all start at the same cache set and 4 KiB offset, so the pass's
/// writes evict each other and its loads wait on unrelated stores (the CPU's
/// store-to-load check compares addresses modulo 4 KiB). One cache line of
/// padding staggers them.
pub const PANEL_PAD: usize = 16;

/// Elements from the start of one packed micro-panel of `width` x `kc` to the next.
pub const fn panel_stride(kc: usize, width: usize) -> usize {
    kc * width + PANEL_PAD
}

/// Products with fewer columns than this read A in place (through its strides)
/// instead of packing it: each A element then serves at most a couple of
/// register tiles, too few to repay the copy (measured: a matrix-vector product,
/// n = 1, ran 2.3x slower with A packed).
pub const PACK_A_MIN_N: usize = 17;

