//! Unary, binary, compare, select and cast: SIMD rows against scalar twins on
//! random data with specials, then hand-computed values and strided layouts.
use super::*;
use crate::binary::{self, Binary, Compare};
use crate::dtype::{DType, Elem};
use crate::unary::{self, Unary};
use crate::{cast, select};

/// Lengths that exercise whole vectors, blocks of 16 and ragged tails.
const LENS: [usize; 6] = [0, 1, 5, 16, 33, 70];

fn gen_i32(rng: &mut Rng, n: usize) -> Vec<i32> {
    let mut v = vec![0, 1, -1, i32::MIN, i32::MAX, 7, -7, 2];
    while v.len() < n {
        v.push(if rng.below(2) == 0 { rng.next_u32() as i32 } else { rng.below(21) as i32 - 10 });
    }
    v.truncate(n.max(8));
    v
}
fn gen_u32(rng: &mut Rng, n: usize) -> Vec<u32> {
    gen_i32(rng, n).into_iter().map(|x| x as u32).collect()
}
fn gen_u8(rng: &mut Rng, n: usize) -> Vec<u8> {
    (0..n.max(8)).map(|_| rng.below(2) as u8).collect()
}

trait Same: Copy {
    fn same(self, o: Self) -> bool;
}
impl Same for f32 { fn same(self, o: Self) -> bool { same_f32(self, o) } }
impl Same for f64 { fn same(self, o: Self) -> bool { same_f64(self, o) } }
impl Same for i32 { fn same(self, o: Self) -> bool { self == o } }
impl Same for u32 { fn same(self, o: Self) -> bool { self == o } }
impl Same for u8 { fn same(self, o: Self) -> bool { self == o } }

fn check_unary<T: Elem + Same, O: Unary<T>>(x: &[T]) {
    for &n in &LENS {
        let n = n.min(x.len());
        let (mut a, mut b) = (vec![T::default(); n], vec![T::default(); n]);
        unsafe {
            unary::row::<T, O>(x.as_ptr(), 1, a.as_mut_ptr(), n);
            unary::row_scalar::<T, O>(x.as_ptr(), 1, b.as_mut_ptr(), 0, n);
        }
        for i in 0..n {
            assert!(a[i].same(b[i]), "{:?}: simd {:?} != scalar {:?}", x[i], a[i], b[i]);
        }
    }
}

fn check_binary<T: Elem + Same, O: Binary<T>>(x: &[T], y: &[T]) {
    for &n in &LENS {
        let n = n.min(x.len()).min(y.len());
        for (sa, sb) in [(1, 1), (0, 1), (1, 0)] {
            let (mut a, mut b) = (vec![T::default(); n], vec![T::default(); n]);
            unsafe {
                binary::row::<T, O>(x.as_ptr(), sa, y.as_ptr(), sb, a.as_mut_ptr(), n);
                binary::row_scalar::<T, O>(x.as_ptr(), sa, y.as_ptr(), sb, b.as_mut_ptr(), 0, n);
            }
            for i in 0..n {
                assert!(a[i].same(b[i]), "simd {:?} != scalar {:?} at {i}", a[i], b[i]);
            }
        }
    }
}

fn check_compare<T: Elem, O: Compare<T>>(x: &[T], y: &[T]) {
    let n = x.len().min(y.len());
    for (sa, sb) in [(1, 1), (0, 1), (1, 0)] {
        let (mut a, mut b) = (vec![9u8; n], vec![9u8; n]);
        unsafe {
            binary::cmp_row::<T, O>(x.as_ptr(), sa, y.as_ptr(), sb, a.as_mut_ptr(), n);
            binary::cmp_row_scalar::<T, O>(x.as_ptr(), sa, y.as_ptr(), sb, b.as_mut_ptr(), 0, n);
        }
        assert_eq!(a, b);
    }
}

macro_rules! all_compares {
    ($T:ty, $x:expr, $y:expr) => {{
        check_compare::<$T, binary::Eq>($x, $y);
        check_compare::<$T, binary::Ne>($x, $y);
        check_compare::<$T, binary::Lt>($x, $y);
        check_compare::<$T, binary::Le>($x, $y);
        check_compare::<$T, binary::Gt>($x, $y);
        check_compare::<$T, binary::Ge>($x, $y);
    }};
}

#[test]
fn unary_simd_matches_scalar() {
    use unary::*;
    let mut rng = Rng::new(3);
    let f = mixed_f32(&mut rng, 200, 50.0);
    let d = mixed_f64(&mut rng, 200, 50.0);
    let (i, u) = (gen_i32(&mut rng, 70), gen_u32(&mut rng, 70));
    macro_rules! floats { ($($Op:ident),*) => {$( check_unary::<f32, $Op>(&f); check_unary::<f64, $Op>(&d); )*}; }
    floats!(Neg, Exp, Log, Sin, Cos, Tanh, Sqrt, Logistic, Abs, Sign, Floor, Ceil, RoundAway, RoundEven);
    // Exact halves and large magnitudes for the rounding ops.
    let halves: Vec<f32> = (-40..40).map(|k| k as f32 * 0.5).chain([8388607.5, -8388608.5, 1e30, -2.5e-40]).collect();
    let halves64: Vec<f64> = (-40..40).map(|k| k as f64 * 0.5).chain([4503599627370495.5, -1e300]).collect();
    macro_rules! rounding { ($($Op:ident),*) => {$( check_unary::<f32, $Op>(&halves); check_unary::<f64, $Op>(&halves64); )*}; }
    rounding!(Floor, Ceil, RoundAway, RoundEven);
    macro_rules! ints { ($($Op:ident),*) => {$( check_unary::<i32, $Op>(&i); check_unary::<u32, $Op>(&u); )*}; }
    ints!(Neg, Abs, Sign, Not);
    check_unary::<u8, Not>(&gen_u8(&mut rng, 70));
}

#[test]
fn binary_and_compare_simd_match_scalar() {
    use binary::*;
    let mut rng = Rng::new(4);
    let (f, g) = (mixed_f32(&mut rng, 70, 10.0), mixed_f32(&mut rng, 70, 10.0));
    let (d, e) = (mixed_f64(&mut rng, 70, 10.0), mixed_f64(&mut rng, 70, 10.0));
    let (i, j) = (gen_i32(&mut rng, 70), gen_i32(&mut rng, 70));
    let (u, v) = (gen_u32(&mut rng, 70), gen_u32(&mut rng, 70));
    let (p, q) = (gen_u8(&mut rng, 70), gen_u8(&mut rng, 70));
    macro_rules! run { ($T:ty, $x:expr, $y:expr; $($Op:ident),*) => {$( check_binary::<$T, $Op>($x, $y); )*}; }
    run!(f32, &f, &g; Add, Sub, Mul, Div, Max, Min, Pow);
    run!(f64, &d, &e; Add, Sub, Mul, Div, Max, Min, Pow);
    run!(i32, &i, &j; Add, Sub, Mul, Div, Max, Min, And, Or, Xor);
    run!(u32, &u, &v; Add, Sub, Mul, Div, Max, Min, And, Or, Xor);
    run!(u8, &p, &q; Max, Min, And, Or, Xor);
    all_compares!(f32, &f, &g);
    all_compares!(f64, &d, &e);
    all_compares!(i32, &i, &j);
    all_compares!(u32, &u, &v);
    all_compares!(u8, &p, &q);
}

#[test]
fn integer_pow_simd_matches_scalar_and_values() {
    let mut rng = Rng::new(5);
    let f = mixed_f32(&mut rng, 64, 3.0);
    let i = gen_i32(&mut rng, 64);
    for y in [-3, -1, 0, 1, 2, 3, 7, 12] {
        let mut a = vec![0f32; f.len()];
        unsafe { unary::integer_pow::<f32>(&[f.len()], f.as_ptr(), &[1], a.as_mut_ptr(), y) };
        for k in 0..f.len() {
            assert!(same_f32(a[k], unary::ipow_s(f[k], y)));
            if f[k].abs() < 3.0 && f[k].abs() > 0.01 {
                assert!((a[k] as f64 / (f[k] as f64).powi(y) - 1.0).abs() < 1e-5, "{}^{y}", f[k]);
            }
        }
        if y >= 0 {
            let mut b = vec![0i32; i.len()];
            unsafe { unary::integer_pow::<i32>(&[i.len()], i.as_ptr(), &[1], b.as_mut_ptr(), y) };
            for k in 0..i.len() {
                assert_eq!(b[k], i[k].wrapping_pow(y as u32));
            }
        }
    }
}

#[test]
fn hand_computed_values() {
    unsafe fn bin<T: Elem>(op: u32, dt: DType, a: &[T], b: &[T]) -> Vec<T> {
        let mut o = vec![T::default(); a.len()];
        let n = [a.len()];
        let ok = binary::binary_dyn(binary::BinaryOp::from_code(op).unwrap(), dt, &n,
            a.as_ptr() as _, &[1], b.as_ptr() as _, &[1], o.as_mut_ptr() as _);
        assert!(ok);
        o
    }
    unsafe {
        // Integer division: truncation, x/0, and INT_MIN / -1.
        assert_eq!(bin::<i32>(3, DType::I32, &[7, -7, 5, i32::MIN], &[2, 2, 0, -1]), [3, -3, -1, i32::MIN]);
        assert_eq!(bin::<u32>(3, DType::U32, &[7, 5], &[2, 0]), [3, u32::MAX]);
        // max/min propagate NaN.
        let m = bin::<f32>(4, DType::F32, &[f32::NAN, 1.0, -0.0], &[0.0, f32::NAN, 0.0]);
        assert!(m[0].is_nan() && m[1].is_nan() && m[2].is_sign_positive());
        assert_eq!(bin::<u8>(4, DType::Bool, &[0, 1, 0], &[0, 0, 1]), [0, 1, 1]);
        assert_eq!(bin::<u8>(5, DType::Bool, &[0, 1, 1], &[0, 0, 1]), [0, 0, 1]);
        // Comparisons: NaN is unordered; bool compares as 0 < 1.
        let mut c = vec![0u8; 3];
        binary::binary_dyn(binary::BinaryOp::Ne, DType::F64, &[3], [f64::NAN, 1.0, 2.0].as_ptr() as _, &[1],
            [f64::NAN, 1.0, 3.0].as_ptr() as _, &[1], c.as_mut_ptr());
        assert_eq!(c, [1, 0, 1]);
        // No arithmetic on bool.
        assert!(!binary::binary_dyn(binary::BinaryOp::Add, DType::Bool, &[1], [1u8].as_ptr(), &[1], [1u8].as_ptr(), &[1], c.as_mut_ptr()));
        // sign, neg and abs wrap on ints; sign keeps -0 and NaN.
        let mut o = vec![0i32; 4];
        unary::unary_dyn(unary::UnaryOp::Sign, DType::I32, &[4], [-5i32, 0, 9, i32::MIN].as_ptr() as _, &[1], o.as_mut_ptr() as _);
        assert_eq!(o, [-1, 0, 1, -1]);
        unary::unary_dyn(unary::UnaryOp::Neg, DType::I32, &[4], [-5i32, 0, 9, i32::MIN].as_ptr() as _, &[1], o.as_mut_ptr() as _);
        assert_eq!(o, [5, 0, -9, i32::MIN]);
        let mut s = vec![0f64; 4];
        unary::unary_dyn(unary::UnaryOp::Sign, DType::F64, &[4], [-0.0f64, f64::NAN, -3.0, 0.1].as_ptr() as _, &[1], s.as_mut_ptr() as _);
        assert!(s[0] == 0.0 && s[0].is_sign_negative() && s[1].is_nan() && s[2] == -1.0 && s[3] == 1.0);
        let mut w = vec![0u32; 2];
        unary::unary_dyn(unary::UnaryOp::Sign, DType::U32, &[2], [0u32, 7].as_ptr() as _, &[1], w.as_mut_ptr() as _);
        assert_eq!(w, [0, 1]);
        assert!(!unary::unary_dyn(unary::UnaryOp::Exp, DType::I32, &[1], [1i32].as_ptr() as _, &[1], o.as_mut_ptr() as _));
    }
}

#[test]
fn strided_and_broadcast_inputs() {
    // a: 3x4 transposed view of a 4x3 buffer; b: a row [4] broadcast over 3 rows.
    let base: Vec<f32> = (0..12).map(|v| v as f32).collect();
    let row = [10.0f32, 20.0, 30.0, 40.0];
    let mut out = vec![0f32; 12];
    unsafe {
        binary::binary::<f32, binary::Add>(&[3, 4], base.as_ptr(), &[1, 3], row.as_ptr(), &[0, 1], out.as_mut_ptr())
    };
    for i in 0..3 {
        for j in 0..4 {
            assert_eq!(out[i * 4 + j], base[j * 3 + i] + row[j]);
        }
    }
    // A scalar (all strides 0) through unary, rank 3.
    let mut o = vec![0f64; 8];
    unsafe { unary::unary::<f64, unary::Neg>(&[2, 2, 2], [2.5f64].as_ptr(), &[0, 0, 0], o.as_mut_ptr()) };
    assert_eq!(o, [-2.5; 8]);
    // Rank 0.
    let mut z = [0f32];
    unsafe { unary::unary::<f32, unary::Sqrt>(&[], [9.0f32].as_ptr(), &[], z.as_mut_ptr()) };
    assert_eq!(z, [3.0]);
}

#[test]
fn select_paths_agree() {
    let mut rng = Rng::new(6);
    let n = 37;
    let c0: Vec<f32> = (0..n).map(|i| i as f32).collect();
    let c1: Vec<f32> = (0..n).map(|i| -(i as f32)).collect();
    let c2: Vec<f32> = vec![100.0; n];
    let pb = gen_u8(&mut rng, n);
    let (mut a, mut b) = (vec![0f32; n], vec![0f32; n]);
    let cases = [c0.as_ptr(), c1.as_ptr()];
    unsafe {
        select::row(select::Pred::Bool(pb.as_ptr()), 1, &cases, &[1, 1], a.as_mut_ptr(), n);
        select::row_scalar(select::Pred::Bool(pb.as_ptr()), 1, &cases, &[1, 1], b.as_mut_ptr(), 0, n);
    }
    assert_eq!(a, b);
    for i in 0..n {
        assert_eq!(a[i], if pb[i] != 0 { c1[i] } else { c0[i] });
    }
    // int32 index with 3 cases, out-of-range clamped; case 2 broadcast (stride 0).
    let pi: Vec<i32> = (0..n as i32).map(|i| i % 4 - 1).collect();
    let cases3 = [c0.as_ptr(), c1.as_ptr(), c2.as_ptr()];
    unsafe {
        select::select::<f32>(&[n], select::Pred::I32(pi.as_ptr()), &[1], &cases3, &[&[1], &[1], &[0]], a.as_mut_ptr())
    };
    for i in 0..n {
        let k = pi[i].clamp(0, 2) as usize;
        assert_eq!(a[i], [c0[i], c1[i], 100.0][k]);
    }
    // A scalar pred picks whole rows.
    unsafe { select::select::<f32>(&[n], select::Pred::Bool([1u8].as_ptr()), &[0], &cases, &[&[1], &[1]], a.as_mut_ptr()) };
    assert_eq!(a, c1);
}

fn check_cast<S: cast::CastTo<D> + Same, D: Elem + Same>(x: &[S]) {
    let n = x.len();
    let (mut a, mut b) = (vec![D::default(); n], vec![D::default(); n]);
    unsafe {
        cast::row::<S, D>(x.as_ptr(), 1, a.as_mut_ptr(), n);
        cast::row_scalar::<S, D>(x.as_ptr(), 1, b.as_mut_ptr(), 0, n);
    }
    for i in 0..n {
        assert!(a[i].same(b[i]), "cast {:?}: {:?} != {:?}", x[i], a[i], b[i]);
    }
}

#[test]
fn casts_simd_match_scalar_and_semantics() {
    let mut rng = Rng::new(7);
    let f = mixed_f32(&mut rng, 67, 5e9);
    let d = mixed_f64(&mut rng, 67, 5e9);
    let (i, u, p) = (gen_i32(&mut rng, 67), gen_u32(&mut rng, 67), gen_u8(&mut rng, 67));
    macro_rules! to_all { ($x:expr, $S:ty) => {
        check_cast::<$S, f32>($x); check_cast::<$S, f64>($x); check_cast::<$S, i32>($x);
        check_cast::<$S, u32>($x); check_cast::<$S, u8>($x);
    }; }
    to_all!(&f, f32);
    to_all!(&d, f64);
    to_all!(&i, i32);
    to_all!(&u, u32);
    to_all!(&p, u8);
    let src = [f32::NAN, -1.5, 3e9, 0.0, -0.0];
    let mut o = [0i32; 5];
    let mut ob = [9u8; 5];
    let mut ou = [0u32; 5];
    unsafe {
        cast::cast_dyn(DType::F32, DType::I32, &[5], src.as_ptr() as _, &[1], o.as_mut_ptr() as _);
        cast::cast_dyn(DType::F32, DType::Bool, &[5], src.as_ptr() as _, &[1], ob.as_mut_ptr());
        cast::cast_dyn(DType::I32, DType::U32, &[5], [-1i32, 0, 1, 2, 3].as_ptr() as _, &[1], ou.as_mut_ptr() as _);
    }
    assert_eq!(o, [0, -1, i32::MAX, 0, 0]);
    assert_eq!(ob, [1, 1, 1, 0, 0]);
    assert_eq!(ou[0], u32::MAX);
    let mut h = [0f32; 1];
    unsafe { cast::cast_dyn(DType::F64, DType::F32, &[1], [0.1f64].as_ptr() as _, &[1], h.as_mut_ptr() as _) };
    assert_eq!(h[0], 0.1f32);
}

/// Transposed views longer than a tile take the tiled walk (whole tiles plus a
/// ragged remainder); every kernel must still visit each element exactly once.
#[test]
fn tiled_walk_of_transposed_views() {
    use crate::strided::TILE;
    let (b, r, c) = (3usize, 150usize, TILE + 6); // view shape; storage is [b, c, r]
    let n = b * r * c;
    let base: Vec<f32> = (0..n).map(|i| i as f32).collect();
    let shape = [b, r, c];
    let ts = [(r * c) as isize, 1, r as isize]; // transpose of the last two axes
    let at = |i: usize, j: usize, k: usize| base[i * r * c + k * r + j];
    let row: Vec<f32> = (0..c).map(|k| 1000.0 * k as f32).collect();
    let mut out = vec![0f32; n];
    unsafe { binary::binary::<f32, binary::Add>(&shape, base.as_ptr(), &ts, row.as_ptr(), &[0, 0, 1], out.as_mut_ptr()) };
    let mut flags = vec![0u8; n];
    unsafe { binary::compare::<f32, binary::Lt>(&shape, base.as_ptr(), &ts, row.as_ptr(), &[0, 0, 1], flags.as_mut_ptr()) };
    let mut neg = vec![0f32; n];
    unsafe { unary::unary::<f32, unary::Neg>(&shape, base.as_ptr(), &ts, neg.as_mut_ptr()) };
    let mut ints = vec![0i32; n];
    unsafe { cast::cast::<f32, i32>(&shape, base.as_ptr(), &ts, ints.as_mut_ptr()) };
    let mut copied = vec![0f32; n];
    unsafe { crate::copy::copy::<f32>(&shape, base.as_ptr(), &ts, copied.as_mut_ptr(), &[(r * c) as isize, c as isize, 1]) };
    let pred = vec![1u8; n];
    let mut sel = vec![0f32; n];
    let cases = [row.as_ptr(), base.as_ptr()];
    unsafe { select::select::<f32>(&shape, select::Pred::Bool(pred.as_ptr()), &[0, 0, 0], &cases, &[&[0, 0, 1], &ts], sel.as_mut_ptr()) };
    for i in 0..b {
        for j in 0..r {
            for k in 0..c {
                let o = (i * r + j) * c + k;
                let x = at(i, j, k);
                assert_eq!(out[o], x + row[k], "at {i},{j},{k}");
                assert_eq!(flags[o], (x < row[k]) as u8);
                assert_eq!((neg[o], ints[o], copied[o], sel[o]), (-x, x as i32, x, x));
            }
        }
    }
}
