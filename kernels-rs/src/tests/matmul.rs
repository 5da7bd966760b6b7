//! matmul (packed, register-blocked) against the naive loop, bit for bit (same
//! summation order): random and prime shapes around every tile edge, k spanning
//! several KC blocks, n spanning NC blocks, m spanning MC blocks; row-major,
//! transposed, reversed and broadcast (batch stride 0) operands, A read in place
//! (narrow products) and packed; f32, f64, i32; both register tiles (wide for
//! f32 and f64 from PACK_A_MIN_N columns, narrow otherwise).
use super::*;
use crate::matmul::blocking::{KC, MC, NARROW, NC, PACK_A_MIN_N, WIDE};
use crate::matmul::*;

/// Storage for a [batch, rows, cols] operand in one of several layouts, returning
/// the buffer, the offset of element [0, 0, 0] and its strides.
#[derive(Clone, Copy, Debug)]
enum Layout {
    RowMajor,
    /// cols x rows storage (a transposed view).
    Transposed,
    /// Row-major storage read with the row axis reversed (negative row stride).
    RowsReversed,
    /// One [rows, cols] matrix shared by every batch element (batch stride 0).
    Broadcast,
}
const LAYOUTS: [Layout; 4] = [Layout::RowMajor, Layout::Transposed, Layout::RowsReversed, Layout::Broadcast];

fn operand<T: Copy>(
    layout: Layout, batch: usize, rows: usize, cols: usize, rng: &mut Rng, gen: &impl Fn(&mut Rng) -> T,
) -> (Vec<T>, usize, Strides3) {
    let (r, c) = (rows as isize, cols as isize);
    let stored = if let Layout::Broadcast = layout { 1 } else { batch };
    let data: Vec<T> = (0..(stored * rows * cols).max(1)).map(|_| gen(rng)).collect();
    let (offset, s) = match layout {
        Layout::RowMajor => (0, Strides3 { batch: r * c, row: c, col: 1 }),
        Layout::Transposed => (0, Strides3 { batch: r * c, row: 1, col: r }),
        Layout::RowsReversed => ((rows.max(1) - 1) * cols, Strides3 { batch: r * c, row: -c, col: 1 }),
        Layout::Broadcast => (0, Strides3 { batch: 0, row: c, col: 1 }),
    };
    (data, offset, s)
}

/// Equal bit for bit, except that any NaN matches any NaN (wasm may return any
/// NaN payload).
fn same<T: MatElem>(x: T, y: T) -> bool {
    #[allow(clippy::eq_op)]
    let nan = |v: T| v != v;
    x == y || (nan(x) && nan(y))
}

fn check_case<T: MatElem>(
    batch: usize, m: usize, n: usize, k: usize, la: Layout, lb: Layout, rng: &mut Rng, gen: &impl Fn(&mut Rng) -> T,
) {
    let (a, ao, sa) = operand(la, batch, m, k, rng, gen);
    let (b, bo, sb) = operand(lb, batch, k, n, rng, gen);
    let mut want = vec![T::zero(); batch * m * n];
    let (ap, bp) = unsafe { (a.as_ptr().add(ao), b.as_ptr().add(bo)) };
    unsafe { matmul_naive(batch, m, n, k, ap, sa, bp, sb, want.as_mut_ptr()) };
    // Both loop structures (natively the pool's chunks run in order on this thread).
    for threading in [Threading::Inline, Threading::Pool] {
        // Prefilled with garbage: matmul must overwrite every element (also for k = 0).
        let mut got = vec![gen(rng); batch * m * n];
        unsafe { matmul(batch, m, n, k, ap, sa, bp, sb, got.as_mut_ptr(), threading) };
        for (i, (&g, &w)) in got.iter().zip(&want).enumerate() {
            assert!(same(g, w), "{batch}x{m}x{n}x{k} a {la:?} b {lb:?} {threading:?}: out[{i}] = {g:?}, naive {w:?}");
        }
    }
}

fn check<T: MatElem>(gen: impl Fn(&mut Rng) -> T) {
    let mut rng = Rng::new(10);
    // Every layout pair on shapes around the tile and block edges.
    let shapes = [
        (1, 1, 1, 1), (1, 3, 5, 7), (2, 4, 8, 3), (1, WIDE.0 + 1, 25, 2), (1, NARROW.0 + 1, 17, 2), (3, 5, 1, 2), (1, 6, 9, 0),
        (2, 13, 11, KC * 2 + 8), (1, 9, 31, KC + 1), (2, 37, 29, 23), (1, MC + 3, 7, 5),
    ];
    for &(batch, m, n, k) in &shapes {
        for la in LAYOUTS {
            for lb in LAYOUTS {
                check_case(batch, m, n, k, la, lb, &mut rng, &gen);
            }
        }
    }
    // Both ways of reading A (in place below PACK_A_MIN_N columns, packed from it),
    // with a ragged last row panel.
    for n in [PACK_A_MIN_N - 1, PACK_A_MIN_N] {
        for mr in [WIDE.0, NARROW.0] {
            for la in LAYOUTS {
                check_case(2, 2 * mr + 1, n, KC + 5, la, Layout::RowMajor, &mut rng, &gen);
            }
        }
    }
    // Random shapes 1..=37 (all tile remainders) in random layouts.
    for _ in 0..150 {
        let (batch, m, n, k) = (1 + rng.below(3), 1 + rng.below(37), 1 + rng.below(37), 1 + rng.below(37));
        let (la, lb) = (LAYOUTS[rng.below(4)], LAYOUTS[rng.below(4)]);
        check_case(batch, m, n, k, la, lb, &mut rng, &gen);
    }
    // n across an NC block boundary, k across KC blocks, m across an MC block.
    check_case(1, 3, NC + 5, 2, Layout::RowMajor, Layout::Transposed, &mut rng, &gen);
    check_case(2, 5, NC + 1, KC + 3, Layout::Transposed, Layout::Broadcast, &mut rng, &gen);
    check_case(1, 2 * MC + 1, 11, 3 * KC + 1, Layout::RowsReversed, Layout::RowMajor, &mut rng, &gen);
    // Packed A blocks of many micro-panels, from each layout (a contiguous panel
    // axis packs several panels per pass over A, with a partial last pass).
    for la in LAYOUTS {
        check_case(1, MC + 101, 29, KC + 7, la, Layout::RowMajor, &mut rng, &gen);
    }
}

#[test]
fn f32_matches_naive() {
    check::<f32>(|r| r.uniform(-1.0, 1.0) as f32);
}
#[test]
fn f64_matches_naive() {
    check::<f64>(|r| r.uniform(-1.0, 1.0));
}
#[test]
fn i32_matches_naive() {
    check::<i32>(|r| r.next_u32() as i32);
}

#[test]
fn f32_specials_match_naive() {
    // Infinities, NaN, signed zeros and huge values: zero-padded tile edges compute
    // 0 * inf = NaN in lanes that must never reach the output, and -0 sums must
    // keep the naive loop's sign.
    let specials = [0.0f32, -0.0, 1.0, -1.0, f32::INFINITY, f32::NEG_INFINITY, f32::NAN, f32::MAX, 1e-40];
    let gen = |r: &mut Rng| if r.below(3) == 0 { specials[r.below(specials.len())] } else { r.uniform(-2.0, 2.0) as f32 };
    let mut rng = Rng::new(11);
    for _ in 0..60 {
        let (m, n, k) = (1 + rng.below(11), 1 + rng.below(19), rng.below(9));
        check_case(1 + rng.below(2), m, n, k, LAYOUTS[rng.below(4)], LAYOUTS[rng.below(4)], &mut rng, &gen);
    }
}

#[test]
fn small_values() {
    // [[1, 2], [3, 4]] @ [[5, 6], [7, 8]] = [[19, 22], [43, 50]]
    let (a, b) = ([1f32, 2., 3., 4.], [5f32, 6., 7., 8.]);
    let mut c = [0f32; 4];
    let s = Strides3 { batch: 4, row: 2, col: 1 };
    unsafe { matmul(1, 2, 2, 2, a.as_ptr(), s, b.as_ptr(), s, c.as_mut_ptr(), Threading::Inline) };
    assert_eq!(c, [19., 22., 43., 50.]);
}

#[test]
fn sums_in_contracting_order() {
    // 1 + 1e8 - 1e8 in f32, in this order, is 0 (the 1 is lost to rounding in
    // 1 + 1e8); summing each KC block apart and then adding them would give 1.
    // The 1 is in the first KC block, the two 1e8 terms in the second.
    let k = KC + 2;
    let mut a = vec![0f32; k];
    let b = vec![1f32; k];
    a[0] = 1.0;
    a[KC] = 1e8;
    a[KC + 1] = -1e8;
    let mut c = [7f32; 1];
    let (sa, sb) = (Strides3 { batch: 0, row: k as isize, col: 1 }, Strides3 { batch: 0, row: 1, col: 1 });
    unsafe { matmul(1, 1, 1, k, a.as_ptr(), sa, b.as_ptr(), sb, c.as_mut_ptr(), Threading::Inline) };
    assert_eq!(c, [0.0]);
}
