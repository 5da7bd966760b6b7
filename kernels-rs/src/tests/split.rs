//! Chunked kernel calls (`split.rs`): blocks tile a domain exactly once in row-major
//! order, and the exported kernels cut into blocks compute what one unsplit call of
//! the same kernel computes (exact integer ops, so offsets and strides must match).
use super::*;
use crate::abi::{fx_binary, fx_matmul, fx_reduce, OK};
use crate::binary::{binary_dyn, BinaryOp};
use crate::dtype::DType;
use crate::matmul::{matmul_dyn, Strides3, Threading};
use crate::reduce::{reduce_dyn, ReduceOp};
use crate::split::{Blocks, CHUNK, MIN_SPLIT};
use crate::strided::contiguous_strides;

fn random_dims(rng: &mut Rng) -> Vec<usize> {
    let nd = 1 + rng.below(4);
    (0..nd).map(|_| [1, 2, 3, 7, 64, 300, 1000, 70_000][rng.below(8)]).collect()
}

#[test]
fn blocks_cover_the_domain_once_in_order() {
    let mut rng = Rng::new(11);
    for _ in 0..300 {
        let dims = random_dims(&mut rng);
        let total: usize = dims.iter().product();
        if total > 1 << 24 {
            continue;
        }
        let cost = [1, 1, 5, 40_000][rng.below(4)];
        let b = Blocks::new(&dims, cost);
        if total * cost < MIN_SPLIT {
            assert_eq!(b.count, 1, "{:?}", dims);
        }
        let mut next = 0;
        for c in 0..b.count {
            let k = b.block(c);
            let size: usize = k.dims.iter().product();
            assert_eq!(k.flat, next, "{:?} block {}", dims, c);
            // start is the multi-index of flat; the block's trailing axes are whole.
            let strides = contiguous_strides(&dims);
            assert_eq!(k.offset(&strides), k.flat as isize);
            assert_eq!(&k.dims[1..], &dims[k.axis + 1..]);
            if b.count > 1 {
                assert!(size * cost <= CHUNK.max(cost), "{:?}: block of {} x {}", dims, size, cost);
            }
            next += size;
        }
        assert_eq!(next, total, "{:?}", dims);
    }
}

fn ints(rng: &mut Rng, n: usize) -> Vec<i32> {
    (0..n).map(|_| rng.next_u32() as i32 >> 8).collect()
}

#[test]
fn split_exports_equal_one_unsplit_call() {
    let mut rng = Rng::new(12);
    unsafe {
        // Binary add over [300, 1000] with a transposed and a broadcast operand.
        let (r, c) = (300usize, 1000usize);
        let a = ints(&mut rng, r * c);
        let b = ints(&mut rng, c);
        let shape = [r as u32, c as u32];
        let (sa, sb) = ([1i32, r as i32], [0i32, 1]);
        let mut got = vec![0i32; r * c];
        let st = fx_binary(BinaryOp::Add as u32, DType::I32 as u32, 2, shape.as_ptr(), a.as_ptr() as _, sa.as_ptr(), b.as_ptr() as _, sb.as_ptr(), got.as_mut_ptr() as _);
        assert_eq!(st, OK);
        let mut want = vec![0i32; r * c];
        binary_dyn(BinaryOp::Add, DType::I32, &[r, c], a.as_ptr() as _, &[1, r as isize], b.as_ptr() as _, &[0, 1], want.as_mut_ptr() as _);
        assert_eq!(got, want);

        // Reductions: kept rows, and a full reduction through partials.
        for (nkeep, dims, by_cols) in [(1usize, [300usize, 1000usize], false), (0, [300, 1000], false), (1, [1, 300_000], false), (1, [40, 30_000], true)] {
            let x = ints(&mut rng, dims[0] * dims[1]);
            // by_cols: kept axis contiguous (column sums of a [30000, 40] row-major array).
            let st = if by_cols { [1, dims[0] as i32] } else { [dims[1] as i32, 1] };
            let rows = if nkeep == 1 { dims[0] } else { 1 };
            let (mut got, mut want) = (vec![0i32; rows], vec![0i32; rows]);
            let d32 = [dims[0] as u32, dims[1] as u32];
            for op in [ReduceOp::Sum, ReduceOp::Max] {
                assert_eq!(fx_reduce(op as u32, DType::I32 as u32, nkeep as u32, 2, d32.as_ptr(), st.as_ptr(), x.as_ptr() as _, got.as_mut_ptr() as _), OK);
                reduce_dyn(op, DType::I32, nkeep, &dims, &[st[0] as isize, st[1] as isize], x.as_ptr() as _, want.as_mut_ptr() as _);
                assert_eq!(got, want, "{:?} nkeep {} {:?}", op, nkeep, dims);
            }
        }

        // Matmul in row blocks (and batches), integer so every product is exact.
        let (bt, m, n, k) = (2usize, 200usize, 70usize, 90usize);
        let a = ints(&mut rng, bt * m * k).iter().map(|v| v >> 12).collect::<Vec<_>>();
        let b = ints(&mut rng, bt * k * n).iter().map(|v| v >> 12).collect::<Vec<_>>();
        let (mut got, mut want) = (vec![0i32; bt * m * n], vec![0i32; bt * m * n]);
        let st = fx_matmul(DType::I32 as u32, bt as u32, m as u32, n as u32, k as u32,
            a.as_ptr() as _, (m * k) as i32, k as i32, 1, b.as_ptr() as _, (k * n) as i32, n as i32, 1, got.as_mut_ptr() as _);
        assert_eq!(st, OK);
        let sa = Strides3 { batch: (m * k) as isize, row: k as isize, col: 1 };
        let sb = Strides3 { batch: (k * n) as isize, row: n as isize, col: 1 };
        matmul_dyn(DType::I32, bt, m, n, k, a.as_ptr() as _, sa, b.as_ptr() as _, sb, want.as_mut_ptr() as _, Threading::Inline);
        assert_eq!(got, want);
    }
}
