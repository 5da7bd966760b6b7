//! conv: im2col + matmul against the direct loop over random descriptors (layouts,
//! padding including negative, strides, dilations, groups), and closed forms;
//! reduce_window against hand-computed windows.
use super::*;
use crate::conv::*;
use crate::reduce::ReduceOp;
use crate::reduce_window::{reduce_window_dyn, WindowAxis};

/// A random conv problem: shapes, strides of channels-last or channels-first layouts.
fn random_desc(rng: &mut Rng) -> (ConvDesc, usize, usize, usize) {
    let nsp = 1 + rng.below(3);
    let (n, ci, co, groups) = (1 + rng.below(2), 1 + rng.below(3), 1 + rng.below(5), 1 + rng.below(2));
    let mut axes = Vec::new();
    for _ in 0..nsp {
        let input = 1 + rng.below(5);
        let win = 1 + rng.below(3);
        let (stride, lhs_dil, rhs_dil) = (1 + rng.below(2), 1 + rng.below(2), 1 + rng.below(2));
        let lo = rng.below(3) as isize - 1;
        let hi = rng.below(3) as isize - 1;
        let padded = (1 + lhs_dil * (input - 1)) as isize + lo + hi;
        let span = (1 + rhs_dil * (win - 1)) as isize;
        let out = if padded < span { 0 } else { ((padded - span) / stride as isize + 1) as usize };
        axes.push(Axis { input, win, out, stride, lo, lhs_dil, rhs_dil, lhs_s: 0, rhs_s: 0, out_s: 0 });
    }
    // lhs [groups*n? no: n, groups*ci, spatial] channels-last or first; rhs [win..., ci, groups*co]; out channels-last.
    let cl = rng.below(2) == 0;
    let sp_in: usize = axes.iter().map(|a| a.input).product();
    let (lhs_n, lhs_c, mut s) = if cl { ((sp_in * groups * ci) as isize, 1isize, (groups * ci) as isize) } else { ((sp_in * groups * ci) as isize, sp_in as isize, 1) };
    for a in axes.iter_mut().rev() {
        a.lhs_s = s;
        s *= a.input as isize;
    }
    let mut s = (ci * groups * co) as isize;
    for a in axes.iter_mut().rev() {
        a.rhs_s = s;
        s *= a.win as isize;
    }
    let sp_out: usize = axes.iter().map(|a| a.out).product();
    let mut s = (groups * co) as isize;
    for a in axes.iter_mut().rev() {
        a.out_s = s;
        s *= a.out as isize;
    }
    let win: usize = axes.iter().map(|a| a.win).product();
    let d = ConvDesc {
        n, ci, co, groups, group: [ci as isize * lhs_c, co as isize, co as isize],
        lhs_n, lhs_c, rhs_o: 1, rhs_i: (groups * co) as isize, out_n: (sp_out * groups * co) as isize, out_o: 1, axes,
    };
    (d, n * sp_in * groups * ci, win * ci * groups * co, n * sp_out * groups * co)
}

#[test]
fn im2col_matches_direct() {
    let mut rng = Rng::new(7);
    for _ in 0..300 {
        let (d, nl, nr, no) = random_desc(&mut rng);
        let l: Vec<f64> = (0..nl).map(|_| rng.uniform(-1.0, 1.0)).collect();
        let r: Vec<f64> = (0..nr).map(|_| rng.uniform(-1.0, 1.0)).collect();
        let (mut a, mut b) = (vec![f64::NAN; no], vec![f64::NAN; no]);
        unsafe {
            direct::<f64>(&d, l.as_ptr(), r.as_ptr(), a.as_mut_ptr());
            im2col::<f64>(&d, l.as_ptr(), r.as_ptr(), b.as_mut_ptr());
        }
        let k = (d.ci * d.axes.iter().map(|x| x.win).product::<usize>()) as f64;
        for i in 0..no {
            assert!((a[i] - b[i]).abs() <= 4.0 * k * f64::EPSILON, "{d:?} at {i}: {} vs {}", a[i], b[i]);
        }
        // The pool's chunks of rows (which start inside a batch element or a row of
        // positions) give the same bits as one block.
        let mb = 1 + rng.below(7);
        let mut c = vec![f64::NAN; no];
        unsafe { im2col_in_blocks::<f64>(&d, l.as_ptr(), r.as_ptr(), c.as_mut_ptr(), mb) };
        for i in 0..no {
            assert!((b[i].is_nan() && c[i].is_nan()) || b[i].to_bits() == c[i].to_bits(), "{d:?} in blocks of {mb} at {i}: {} vs {}", b[i], c[i]);
        }
    }
}

#[test]
fn delta_kernel_is_identity_and_box_filter_sums() {
    // 1-D, 1 channel, input [1..6], kernel [0, 1, 0] with padding 1: identity;
    // kernel [1, 1, 1]: sums of neighbours.
    let axis = Axis { input: 6, win: 3, out: 6, stride: 1, lo: 1, lhs_dil: 1, rhs_dil: 1, lhs_s: 1, rhs_s: 1, out_s: 1 };
    let d = ConvDesc { n: 1, ci: 1, co: 1, groups: 1, group: [0; 3], lhs_n: 6, lhs_c: 1, rhs_o: 1, rhs_i: 1, out_n: 6, out_o: 1, axes: vec![axis] };
    let x = [1f32, 2., 3., 4., 5., 6.];
    let mut out = [0f32; 6];
    unsafe { direct::<f32>(&d, x.as_ptr(), [0f32, 1., 0.].as_ptr(), out.as_mut_ptr()) };
    assert_eq!(out, x);
    unsafe { im2col::<f32>(&d, x.as_ptr(), [1f32, 1., 1.].as_ptr(), out.as_mut_ptr()) };
    assert_eq!(out, [3., 6., 9., 12., 15., 11.]);
}

#[test]
fn reduce_window_values() {
    // [1, 5, 2, 4, 3], window 2, stride 2, padding (0, 1): max [5, 4, 3], sum [6, 6, 3].
    let ax = WindowAxis { input: 5, win: 2, out: 3, stride: 2, lo: 0, base_dil: 1, win_dil: 1, x_s: 1 };
    let x = [1f32, 5., 2., 4., 3.];
    let mut out = [0f32; 3];
    unsafe { assert!(reduce_window_dyn(ReduceOp::Max, crate::dtype::DType::F32, &[ax], x.as_ptr() as _, out.as_mut_ptr() as _)) };
    assert_eq!(out, [5., 4., 3.]);
    unsafe { assert!(reduce_window_dyn(ReduceOp::Sum, crate::dtype::DType::F32, &[ax], x.as_ptr() as _, out.as_mut_ptr() as _)) };
    assert_eq!(out, [6., 6., 3.]);
    // base dilation 2: [1, _, 5, _, 2], window 2: each window holds one element.
    let ax = WindowAxis { input: 3, win: 2, out: 4, stride: 1, lo: 0, base_dil: 2, win_dil: 1, x_s: 1 };
    let mut out = [0i32; 4];
    unsafe { assert!(reduce_window_dyn(ReduceOp::Min, crate::dtype::DType::I32, &[ax], [1i32, 5, 2].as_ptr() as _, out.as_mut_ptr() as _)) };
    assert_eq!(out, [1, 5, 5, 2]);
}
