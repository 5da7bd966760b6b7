//! Reductions: the three strategies agree with a scalar reference (exactly for
//! max/min/int, within rounding for float sum/prod), identities on empty axes,
//! and argmax/argmin tie and NaN rules.
use super::*;
use crate::binary::{Add, Max, Min, Mul};
use crate::dtype::{DType, Elem};
use crate::reduce::*;
use crate::strided::contiguous_strides;

/// Reference: out[k] = fold over reduced offsets, sequentially, in f64 for floats.
fn reference(nkeep: usize, shape: &[usize], strides: &[isize], x: &[f64], op: ReduceOp) -> Vec<f64> {
    let ks = &shape[..nkeep];
    let rs = &shape[nkeep..];
    let nout: usize = ks.iter().product();
    let nred: usize = rs.iter().product();
    let mut out = vec![0.0; nout];
    for (k, o) in out.iter_mut().enumerate() {
        let mut acc = match op { ReduceOp::Sum => 0.0, ReduceOp::Prod => 1.0, ReduceOp::Max => f64::NEG_INFINITY, ReduceOp::Min => f64::INFINITY };
        for r in 0..nred {
            let mut off = 0isize;
            let (mut kk, mut rr) = (k, r);
            for d in (0..nkeep).rev() { off += (kk % ks[d]) as isize * strides[d]; kk /= ks[d]; }
            for d in (0..rs.len()).rev() { off += (rr % rs[d]) as isize * strides[nkeep + d]; rr /= rs[d]; }
            let v = x[off as usize];
            acc = match op {
                ReduceOp::Sum => acc + v, ReduceOp::Prod => acc * v,
                ReduceOp::Max => if v.is_nan() || acc.is_nan() { f64::NAN } else { acc.max(v) },
                ReduceOp::Min => if v.is_nan() || acc.is_nan() { f64::NAN } else { acc.min(v) },
            };
        }
        *o = acc;
    }
    out
}

/// Layouts of a [4, 37, 9] buffer as (kept-first shape, strides), covering all strategies.
fn layouts() -> Vec<(usize, Vec<usize>, Vec<isize>)> {
    let (a, b, c) = (4usize, 37usize, 9usize);
    let s = contiguous_strides(&[a, b, c]);
    vec![
        (2, vec![a, b, c], s.clone()),                          // A: last axis, contiguous
        (1, vec![a, b, c], s.clone()),                          // A: last two axes, rows
        (0, vec![a, b, c], s.clone()),                          // all axes
        (2, vec![a, c, b], vec![s[0], s[2], s[1]]),             // B: middle axis, rows contiguous
        (1, vec![c, a, b], vec![s[2], s[0], s[1]]),             // B: kept last axis only
        (2, vec![b, c, a], vec![s[1], s[2], s[0]]),             // B: first axis
        (1, vec![b, a, c], vec![s[1], s[0], s[2]]),             // A: axes 0 and 2
        (2, vec![c, b, a], vec![s[2], s[1], s[0]]),             // C: kept axes reversed
        (3, vec![a, b, c], s.clone()),                          // nothing reduced
        (1, vec![a, 0, c], vec![s[0], s[1], s[2]]),             // empty reduction
    ]
}

fn run<T: Elem + Into<f64>>(op: ReduceOp, dt: DType, x: &[T], exact: bool) {
    let xf: Vec<f64> = x.iter().map(|&v| v.into()).collect();
    for (nkeep, shape, strides) in layouts() {
        let nout: usize = shape[..nkeep].iter().product();
        let mut out = vec![T::default(); nout];
        unsafe { reduce_dyn(op, dt, nkeep, &shape, &strides, x.as_ptr() as _, out.as_mut_ptr() as _) };
        let want = reference(nkeep, &shape, &strides, &xf, op);
        for k in 0..nout {
            let (g, mut w): (f64, f64) = (out[k].into(), want[k]);
            if w.is_infinite() && dt == DType::I32 { w = if w > 0.0 { i32::MAX as f64 } else { i32::MIN as f64 }; }
            if w.is_infinite() && dt == DType::U32 { w = if w > 0.0 { u32::MAX as f64 } else { 0.0 }; }
            let ok = if exact { same_f64(g, w) || g == w } else { (g - w).abs() <= 1e-4 * w.abs().max(1.0) };
            assert!(ok, "{op:?} {dt:?} nkeep={nkeep} shape={shape:?} strides={strides:?} [{k}]: {g} vs {w}");
        }
    }
}

#[test]
fn strategies_agree_with_reference() {
    let mut rng = Rng::new(8);
    let n = 4 * 37 * 9;
    let f: Vec<f32> = (0..n).map(|_| rng.uniform(-2.0, 2.0) as f32).collect();
    let small: Vec<f32> = (0..n).map(|_| rng.uniform(0.97, 1.03) as f32).collect();
    let d: Vec<f64> = (0..n).map(|_| rng.uniform(-2.0, 2.0)).collect();
    let i: Vec<i32> = (0..n).map(|_| rng.below(7) as i32 - 3).collect();
    let u: Vec<u32> = (0..n).map(|_| rng.below(100) as u32).collect();
    let p: Vec<u8> = (0..n).map(|_| (rng.below(5) == 0) as u8).collect();
    for op in [ReduceOp::Max, ReduceOp::Min] {
        run(op, DType::F32, &f, true);
        run(op, DType::F64, &d, true);
        run(op, DType::I32, &i, true);
        run(op, DType::U32, &u, true);
    }
    run(ReduceOp::Sum, DType::F32, &f, false);
    run(ReduceOp::Sum, DType::F64, &d, false);
    run(ReduceOp::Prod, DType::F32, &small, false);
    run(ReduceOp::Sum, DType::I32, &i, true);
    run(ReduceOp::Sum, DType::U32, &u, true);
    // bool: sum = any, prod = all, like max and min.
    let pf: Vec<f64> = p.iter().map(|&v| v as f64).collect();
    for (nkeep, shape, strides) in layouts() {
        let nout: usize = shape[..nkeep].iter().product();
        for (op, like) in [(ReduceOp::Sum, ReduceOp::Max), (ReduceOp::Prod, ReduceOp::Min)] {
            let mut out = vec![7u8; nout];
            unsafe { reduce_dyn(op, DType::Bool, nkeep, &shape, &strides, p.as_ptr(), out.as_mut_ptr()) };
            let mut want = reference(nkeep, &shape, &strides, &pf, like);
            want.iter_mut().for_each(|w| if w.is_infinite() { *w = if *w > 0.0 { 1.0 } else { 0.0 } });
            assert_eq!(out.iter().map(|&v| v as f64).collect::<Vec<_>>(), want);
        }
    }
}

#[test]
fn contiguous_sum_simd_matches_and_is_pairwise_accurate() {
    // 1 + many tiny values: sequential f32 summation would lose them all.
    let n = 1 << 16;
    let mut x = vec![1e-4f32; n];
    x[0] = 1.0;
    let s = unsafe { reduce_contig::<f32, Add>(x.as_ptr(), n) };
    let exact = 1.0 + (n - 1) as f64 * 1e-4f32 as f64;
    assert!((s as f64 - exact).abs() < 1e-5 * exact, "{s} vs {exact}");
    // Max/min/int paths are exact against the scalar fold, for every length.
    let mut rng = Rng::new(9);
    let v: Vec<i32> = (0..300).map(|_| rng.next_u32() as i32).collect();
    let w: Vec<f64> = (0..300).map(|_| rng.uniform(-1.0, 1.0)).collect();
    for len in 0..300 {
        unsafe {
            assert_eq!(reduce_contig::<i32, Add>(v.as_ptr(), len), reduce_scalar::<i32, Add>(v.as_ptr(), 1, len, 0));
            assert_eq!(reduce_contig::<i32, Mul>(v.as_ptr(), len), reduce_scalar::<i32, Mul>(v.as_ptr(), 1, len, 1));
            assert_eq!(reduce_contig::<f64, Max>(w.as_ptr(), len), reduce_scalar::<f64, Max>(w.as_ptr(), 1, len, f64::NEG_INFINITY));
            assert_eq!(reduce_contig::<f64, Min>(w.as_ptr(), len), reduce_scalar::<f64, Min>(w.as_ptr(), 1, len, f64::INFINITY));
        }
    }
}

#[test]
fn column_sums_are_pairwise_accurate() {
    // Summing 2^16 rows of [1e-4, 1, 3]: sequential f32 would drift visibly.
    let rows = 1 << 16;
    let mut x = Vec::with_capacity(rows * 4);
    for _ in 0..rows {
        x.extend_from_slice(&[1e-4f32, 1.0, 3.0, 0.1]);
    }
    let mut out = [0f32; 4];
    unsafe { reduce_dyn(ReduceOp::Sum, DType::F32, 1, &[4, rows], &[1, 4], x.as_ptr() as _, out.as_mut_ptr() as _) };
    for (k, &v) in [1e-4f32, 1.0, 3.0, 0.1].iter().enumerate() {
        let exact = v as f64 * rows as f64;
        assert!((out[k] as f64 - exact).abs() < 2e-6 * exact, "{k}: {} vs {exact}", out[k]);
    }
}

#[test]
fn identities_and_nan() {
    let mut out = [0f32; 1];
    let empty: [f32; 0] = [];
    let mut check = |op, want: f32| {
        unsafe { reduce_dyn(op, DType::F32, 0, &[0], &[1], empty.as_ptr() as _, out.as_mut_ptr() as _) };
        assert_eq!(out[0], want);
    };
    check(ReduceOp::Sum, 0.0);
    check(ReduceOp::Prod, 1.0);
    check(ReduceOp::Max, f32::NEG_INFINITY);
    check(ReduceOp::Min, f32::INFINITY);
    let mut o = [0i32];
    unsafe { reduce_dyn(ReduceOp::Max, DType::I32, 0, &[0], &[1], empty.as_ptr() as _, o.as_mut_ptr() as _) };
    assert_eq!(o[0], i32::MIN);
    let mut x = vec![1.0f32; 100];
    x[57] = f32::NAN;
    unsafe { reduce_dyn(ReduceOp::Max, DType::F32, 0, &[100], &[1], x.as_ptr() as _, out.as_mut_ptr() as _) };
    assert!(out[0].is_nan());
}

#[test]
fn argmax_argmin_rules() {
    let x = [1.0f32, 3.0, 3.0, f32::NAN, -1.0, f32::NAN, -1.0];
    let mut o = [0i32];
    unsafe {
        argreduce::<f32>(true, 0, &[7], &[1], x.as_ptr(), o.as_mut_ptr());
        assert_eq!(o[0], 3); // first NaN wins
        argreduce::<f32>(true, 0, &[3], &[1], x.as_ptr(), o.as_mut_ptr());
        assert_eq!(o[0], 1); // first of ties
        argreduce::<f32>(false, 0, &[3], &[1], x[4..].as_ptr(), o.as_mut_ptr());
        assert_eq!(o[0], 1); // NaN is also argmin's extreme
    }
    // 2x3 [[5, 1, 9], [2, 8, 9]] over axis 0 (row-wise path) and axis 1.
    let m = [5i32, 1, 9, 2, 8, 9];
    let mut r = [0i32; 3];
    unsafe { argreduce::<i32>(true, 1, &[3, 2], &[1, 3], m.as_ptr(), r.as_mut_ptr()) };
    assert_eq!(r, [0, 1, 0]);
    unsafe { argreduce::<i32>(false, 1, &[3, 2], &[1, 3], m.as_ptr(), r.as_mut_ptr()) };
    assert_eq!(r, [1, 0, 0]);
    let mut c = [0i32; 2];
    unsafe { argreduce::<i32>(false, 1, &[2, 3], &[3, 1], m.as_ptr(), c.as_mut_ptr()) };
    assert_eq!(c, [1, 0]);
    let b = [0u8, 1, 1];
    unsafe { argreduce::<u8>(true, 0, &[3], &[1], b.as_ptr(), o.as_mut_ptr()) };
    assert_eq!(o[0], 1);
}

/// The pmax/pmin fold of contiguous runs (`Reducer::fast_contig`) against the
/// scalar fold, bit for bit, on runs drawn from values where its shortcut could go
/// wrong: ±0 (equal values whose pick matters), NaN, ±inf, and repeats.
#[test]
fn contiguous_extrema_are_exact_with_zeros_and_nans() {
    fn check<T: Elem + Copy + PartialEq + core::fmt::Debug>(x: &[T], is_nan: fn(T) -> bool, bits: fn(T) -> u64, lo: T, hi: T)
    where
        Max: Reducer<T>,
        Min: Reducer<T>,
    {
        for (got, want) in unsafe {
            [
                (reduce_contig::<T, Max>(x.as_ptr(), x.len()), reduce_scalar::<T, Max>(x.as_ptr(), 1, x.len(), lo)),
                (reduce_contig::<T, Min>(x.as_ptr(), x.len()), reduce_scalar::<T, Min>(x.as_ptr(), 1, x.len(), hi)),
            ]
        } {
            if is_nan(want) {
                assert!(is_nan(got), "{x:?}: got {got:?}, want NaN");
            } else {
                assert_eq!(bits(got), bits(want), "{x:?}: got {got:?}, want {want:?}");
            }
        }
    }
    // Runs longer than BLOCK, where the exact fold halves the run: a NaN, a ±0 result.
    for fill in [f64::NAN, -0.0] {
        let mut x = vec![-0.0; 5000];
        x[4321] = if fill.is_nan() { fill } else { 0.0 };
        check::<f64>(&x, f64::is_nan, f64::to_bits, f64::NEG_INFINITY, f64::INFINITY);
        let y: Vec<f32> = x.iter().map(|&v| v as f32).collect();
        check::<f32>(&y, f32::is_nan, |v| v.to_bits() as u64, f32::NEG_INFINITY, f32::INFINITY);
    }
    let pool = [0.0, -0.0, 1.5, -1.5, 7.0, f64::INFINITY, f64::NEG_INFINITY, f64::NAN];
    let mut rng = Rng::new(21);
    for case in 0..4000 {
        let len = 16 + rng.below(40);
        // Mostly one or two values per run, so ties and all-zero runs are common.
        let picks: Vec<f64> = (0..1 + case % 3).map(|_| pool[rng.below(pool.len())]).collect();
        let x: Vec<f64> = (0..len).map(|_| picks[rng.below(picks.len())]).collect();
        check::<f64>(&x, f64::is_nan, f64::to_bits, f64::NEG_INFINITY, f64::INFINITY);
        let y: Vec<f32> = x.iter().map(|&v| v as f32).collect();
        check::<f32>(&y, f32::is_nan, |v| v.to_bits() as u64, f32::NEG_INFINITY, f32::INFINITY);
    }
}
