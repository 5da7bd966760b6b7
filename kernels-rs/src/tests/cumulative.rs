//! cumulative kernels against a plain loop over explicit multi-indices.
use super::{permuted_strides, Rng};
use crate::cumulative::{cumulative_dyn, CumulativeOp};
use crate::dtype::DType;

/// The reference: for each output (row-major index) combine the operand elements of
/// its line from the scan's start up to it, in f64 (exact for the small integers used).
fn reference(op: CumulativeOp, shape: &[usize], xs: &[isize], axis: usize, reverse: bool, x: &[f64]) -> Vec<f64> {
    let total: usize = shape.iter().product();
    let mut out = Vec::with_capacity(total);
    for flat in 0..total {
        let mut idx = vec![0usize; shape.len()];
        let mut rem = flat;
        for d in (0..shape.len()).rev() {
            idx[d] = rem % shape[d];
            rem /= shape[d];
        }
        let at = |i: usize| {
            let mut k = idx.clone();
            k[axis] = i;
            x[k.iter().zip(xs).map(|(&a, &s)| a as isize * s).sum::<isize>() as usize]
        };
        let range: Vec<usize> = if reverse { (idx[axis]..shape[axis]).rev().collect() } else { (0..=idx[axis]).collect() };
        let mut acc = match op {
            CumulativeOp::Sum => 0.0,
            CumulativeOp::Prod => 1.0,
            CumulativeOp::Max => f64::NEG_INFINITY,
            CumulativeOp::Min => f64::INFINITY,
        };
        for i in range {
            let v = at(i);
            acc = match op {
                CumulativeOp::Sum => acc + v,
                CumulativeOp::Prod => acc * v,
                CumulativeOp::Max => acc.max(v),
                CumulativeOp::Min => acc.min(v),
            };
        }
        out.push(acc);
    }
    out
}

#[test]
fn scans_match_a_plain_loop_for_every_layout() {
    let mut rng = Rng::new(17);
    let ops = [CumulativeOp::Sum, CumulativeOp::Prod, CumulativeOp::Max, CumulativeOp::Min];
    for case in 0..300 {
        let nd = 1 + rng.below(3);
        let shape: Vec<usize> = (0..nd).map(|_| 1 + rng.below(4)).collect();
        let xs = permuted_strides(&mut rng, &shape); // a transposed view
        let n: usize = shape.iter().product();
        let x: Vec<f64> = (0..n).map(|_| rng.below(5) as f64 - 2.0).collect();
        let axis = rng.below(nd);
        let reverse = case % 2 == 1;
        let op = ops[(case / 2) % 4];
        let want = reference(op, &shape, &xs, axis, reverse, &x);
        let mut o64 = vec![0f64; n];
        let mut o32 = vec![0i32; n];
        let xi: Vec<i32> = x.iter().map(|&v| v as i32).collect();
        unsafe {
            assert!(cumulative_dyn(op, DType::F64, &shape, &xs, axis, reverse, x.as_ptr() as *const u8, o64.as_mut_ptr() as *mut u8));
            assert!(cumulative_dyn(op, DType::I32, &shape, &xs, axis, reverse, xi.as_ptr() as *const u8, o32.as_mut_ptr() as *mut u8));
        }
        assert_eq!(o64, want, "{:?} shape {:?} strides {:?} axis {} reverse {}", op, shape, xs, axis, reverse);
        assert_eq!(o32.iter().map(|&v| v as f64).collect::<Vec<_>>(), want);
    }
}

#[test]
fn f32_accumulates_in_f64_and_bool_supports_only_max_min() {
    // 1 + 2^-24 + 2^-24 rounds to 1 at every step in f32, but not when kept in f64.
    let e = (2f64).powi(-24) as f32;
    let x = [1f32, e, e];
    let mut out = [0f32; 3];
    unsafe {
        assert!(cumulative_dyn(CumulativeOp::Sum, DType::F32, &[3], &[1], 0, false, x.as_ptr() as *const u8, out.as_mut_ptr() as *mut u8));
    }
    assert_eq!(out, [1.0, 1.0, (1.0 + 2.0 * e as f64) as f32]);
    let b = [0u8, 1, 0];
    let mut ob = [9u8; 3];
    unsafe {
        assert!(cumulative_dyn(CumulativeOp::Max, DType::Bool, &[3], &[1], 0, false, b.as_ptr(), ob.as_mut_ptr()));
        assert_eq!(ob, [0, 1, 1]);
        assert!(cumulative_dyn(CumulativeOp::Min, DType::Bool, &[3], &[1], 0, true, b.as_ptr(), ob.as_mut_ptr()));
        assert_eq!(ob, [0, 0, 0]);
        assert!(!cumulative_dyn(CumulativeOp::Sum, DType::Bool, &[3], &[1], 0, false, b.as_ptr(), ob.as_mut_ptr()));
    }
}
