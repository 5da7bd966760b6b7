//! Accuracy of math_special.rs: the f32 kernels over dense f32 samples against f64
//! references (Rust's f64 functions where they are accurate, else closed forms,
//! series or quadrature written here), and the f64 special functions against
//! independent references and exact identities. Bounds are in ulps of the f32
//! result against the correctly rounded reference (0.5 ulp of that is the
//! reference's own rounding).
use super::*;
use crate::math_special as ms;
use crate::unary::{self, Unary};

const EULER_GAMMA: f64 = 0.577_215_664_901_532_9;
const PI: f64 = std::f64::consts::PI;

/// Dense f32 samples over [lo, hi]: a uniform grid plus random draws and the endpoints.
fn samples(lo: f64, hi: f64, n: usize, seed: u64) -> Vec<f32> {
    let mut rng = Rng::new(seed);
    let mut v: Vec<f32> = (0..=n).map(|i| (lo + (hi - lo) * i as f64 / n as f64) as f32).collect();
    v.extend((0..n).map(|_| rng.uniform(lo, hi) as f32));
    v
}

/// The largest ulp distance of the f32 kernel `O` from `reference` (rounded to f32) over `xs`.
fn max_ulps<O: Unary<f32>>(xs: &[f32], reference: impl Fn(f64) -> f64) -> u64 {
    xs.iter()
        .map(|&x| {
            let want = reference(x as f64) as f32;
            let got = O::s(x);
            let d = ulps_f32(got, want);
            assert!(d < 1000, "x = {x:e}: got {got:e}, want {want:e}");
            d
        })
        .max()
        .unwrap()
}

/// erf by its alternating Taylor series (a reference independent of the kernel's).
fn erf_taylor(x: f64) -> f64 {
    let (mut term, mut sum) = (x, x);
    for n in 1..200 {
        term *= -x * x / n as f64;
        let t = term / (2 * n + 1) as f64;
        sum += t;
        if t.abs() < 1e-18 * sum.abs() {
            break;
        }
    }
    sum * 2.0 / PI.sqrt()
}

/// erfc(x) for x >= 2 by Simpson quadrature of erfc(x) = e^(-x²)/(x sqrt(pi)) ∫ e^(-u) e^(-u²/(4x²)) du
/// over u in [0, 40] (the integrand's derivatives stay O(1), so h = 1e-3 leaves ~1e-15).
fn erfc_quadrature(x: f64) -> f64 {
    let (n, h) = (40_000, 40.0 / 40_000.0);
    let f = |u: f64| (-u - u * u / (4.0 * x * x)).exp();
    let mut sum = f(0.0) + f(40.0);
    for i in 1..n {
        sum += f(i as f64 * h) * if i % 2 == 1 { 4.0 } else { 2.0 };
    }
    (-x * x).exp() / (x * PI.sqrt()) * sum * h / 3.0
}

#[test]
fn f32_elementary_functions_are_within_one_ulp() {
    use unary::*;
    let wide = samples(-80.0, 80.0, 4000, 1);
    let unit = samples(-1.0, 1.0, 4000, 2);
    let pos = samples(1.0, 1e6, 4000, 3);
    let tiny = samples(-1e-3, 1e-3, 2000, 4);
    let checks: [(&str, u64); 14] = [
        ("tan", max_ulps::<Tan>(&samples(-10.0, 10.0, 4000, 5), f64::tan)),
        ("asin", max_ulps::<Asin>(&unit, f64::asin)),
        ("acos", max_ulps::<Acos>(&unit, f64::acos)),
        ("atan", max_ulps::<Atan>(&wide, f64::atan)),
        ("sinh", max_ulps::<Sinh>(&wide, f64::sinh)),
        ("cosh", max_ulps::<Cosh>(&wide, f64::cosh)),
        // asinh, acosh, atanh against their closed forms (and Taylor series near 0).
        ("asinh", max_ulps::<Asinh>(&[&wide[..], &tiny[..]].concat(), |x| {
            if x.abs() < 1e-2 { x - x.powi(3) / 6.0 + 3.0 * x.powi(5) / 40.0 - 15.0 * x.powi(7) / 336.0 }
            else { (x.abs() + (x * x + 1.0).sqrt()).ln().copysign(x) }
        })),
        ("acosh", max_ulps::<Acosh>(&pos, |x| (x + (x * x - 1.0).sqrt()).ln())),
        ("atanh", max_ulps::<Atanh>(&[&unit[..], &tiny[..]].concat(), |x| {
            if x.abs() < 1e-4 { x + x.powi(3) / 3.0 + x.powi(5) / 5.0 } else { 0.5 * ((1.0 + x) / (1.0 - x)).ln() }
        })),
        ("exp2", max_ulps::<Exp2>(&samples(-140.0, 127.0, 4000, 6), f64::exp2)),
        ("expm1", max_ulps::<Expm1>(&[&wide[..], &tiny[..]].concat(), f64::exp_m1)),
        ("log1p", max_ulps::<Log1p>(&[&samples(-0.999, 1e4, 4000, 7)[..], &tiny[..]].concat(), f64::ln_1p)),
        ("cbrt", max_ulps::<Cbrt>(&[&wide[..], &tiny[..]].concat(), f64::cbrt)),
        ("rsqrt", max_ulps::<Rsqrt>(&pos, |x| 1.0 / x.sqrt())),
    ];
    for (name, u) in checks {
        assert!(u <= 1, "{name}: {u} ulps");
    }
}

#[test]
fn f32_erf_family_is_within_one_ulp() {
    use unary::*;
    let xs = samples(-3.0, 3.0, 6000, 8);
    assert!(max_ulps::<Erf>(&xs, erf_taylor) <= 1);
    let nonneg = samples(0.0, 3.0, 3000, 9);
    assert!(max_ulps::<Erfc>(&nonneg, |x| 1.0 - erf_taylor(x)) <= 1);
    let tail = samples(3.0, 9.0, 300, 10);
    assert!(max_ulps::<Erfc>(&tail, erfc_quadrature) <= 1);
    // erf_inv inverts erf: erf(erf_inv(y)) = y to f64 rounding, and f32 is one rounding of it.
    // In the tails the residual is measured on erfc (1 - |y| is exact there).
    for &y in &samples(-0.999_999, 0.999_999, 4000, 11) {
        let y = y as f64;
        let x = ms::erf_inv(y);
        let (got, want, tol) = if y.abs() > 0.5 { (ms::erfc(x.abs()), 1.0 - y.abs(), 1e-13) } else { (ms::erf(x), y, 1e-14) };
        assert!((got - want).abs() <= tol * want.abs(), "erf_inv({y}) = {x}: {got} vs {want}");
    }
}

#[test]
fn f64_special_functions_match_references_and_identities() {
    // erf and erfc against the independent references.
    for &x in &samples(-3.0, 3.0, 2000, 12) {
        let x = x as f64;
        assert!((ms::erf(x) - erf_taylor(x)).abs() < 1e-13, "erf({x}): {} vs {}", ms::erf(x), erf_taylor(x));
    }
    for &x in &samples(2.0, 26.0, 200, 13) {
        let x = x as f64;
        let r = erfc_quadrature(x);
        assert!(((ms::erfc(x) - r) / r).abs() < 1e-13, "erfc({x}): {} vs {r}", ms::erfc(x));
    }
    // lgamma: exact factorials, the recurrence and Legendre's duplication formula.
    let mut fact = 1.0f64;
    for n in 1..30 {
        assert!((ms::lgamma(n as f64) - fact.ln()).abs() <= 1e-14 * fact.ln().abs().max(1.0), "lgamma({n})");
        fact *= n as f64;
    }
    assert!((ms::lgamma(0.5) - PI.sqrt().ln()).abs() < 4e-15);
    for &x in &samples(-30.0, 60.0, 3000, 14) {
        let x = x as f64;
        if x <= 0.0 && x.floor() == x {
            continue;
        }
        let rec = ms::lgamma(x + 1.0) - ms::lgamma(x) - x.abs().ln();
        assert!(rec.abs() < 1e-12 * (1.0 + ms::lgamma(x).abs()), "lgamma recurrence at {x}");
        if x > 0.0 {
            let dup = ms::lgamma(x) + ms::lgamma(x + 0.5) - ms::lgamma(2.0 * x) - 0.5 * PI.ln() + (2.0 * x - 1.0) * 2f64.ln();
            assert!(dup.abs() < 1e-12 * (1.0 + ms::lgamma(2.0 * x).abs()), "duplication at {x}");
        }
    }
    // digamma: known values, the recurrence and the reflection formula.
    assert!((ms::digamma(1.0) + EULER_GAMMA).abs() < 1e-15);
    assert!((ms::digamma(0.5) + EULER_GAMMA + 2.0 * 2f64.ln()).abs() < 1e-15);
    let mut harmonic = 0.0;
    for n in 1..40 {
        assert!((ms::digamma(n as f64) - (harmonic - EULER_GAMMA)).abs() < 1e-14, "digamma({n})");
        harmonic += 1.0 / n as f64;
    }
    for &x in &samples(-20.0, 50.0, 3000, 15) {
        let x = x as f64;
        if x.floor() == x {
            continue; // poles of digamma(x) or digamma(1 - x)
        }
        let rec = ms::digamma(x + 1.0) - ms::digamma(x) - 1.0 / x;
        assert!(rec.abs() < 1e-12 * (1.0 + 1.0 / x.abs() + ms::digamma(x).abs()), "digamma recurrence at {x}");
        let refl = ms::digamma(1.0 - x) - ms::digamma(x) - PI / (PI * x).tan();
        assert!(refl.abs() < 1e-9 * (1.0 + ms::digamma(x).abs() + ms::digamma(1.0 - x).abs()), "reflection at {x}");
    }
}

#[test]
fn special_values() {
    let nan = f64::NAN;
    let inf = f64::INFINITY;
    let cases: &[(&str, fn(f64) -> f64, f64, f64)] = &[
        ("erf", ms::erf, inf, 1.0), ("erf", ms::erf, -inf, -1.0), ("erf", ms::erf, -0.0, -0.0),
        ("erfc", ms::erfc, inf, 0.0), ("erfc", ms::erfc, -inf, 2.0), ("erfc", ms::erfc, 0.0, 1.0),
        ("erf_inv", ms::erf_inv, 1.0, inf), ("erf_inv", ms::erf_inv, -1.0, -inf), ("erf_inv", ms::erf_inv, 1.5, nan),
        ("erf_inv", ms::erf_inv, 0.0, 0.0),
        ("lgamma", ms::lgamma, 0.0, inf), ("lgamma", ms::lgamma, -3.0, inf), ("lgamma", ms::lgamma, 1.0, 0.0),
        ("lgamma", ms::lgamma, 2.0, 0.0), ("lgamma", ms::lgamma, inf, inf), ("lgamma", ms::lgamma, -inf, inf),
        ("digamma", ms::digamma, 0.0, nan), ("digamma", ms::digamma, -2.0, nan), ("digamma", ms::digamma, inf, inf),
        ("asinh", ms::asinh, -0.0, -0.0), ("asinh", ms::asinh, -inf, -inf), ("asinh", ms::asinh, 1e300, 1e300f64.ln() + 2f64.ln()),
        ("acosh", ms::acosh, 1.0, 0.0), ("acosh", ms::acosh, 0.5, nan), ("acosh", ms::acosh, inf, inf),
        ("atanh", ms::atanh, 1.0, inf), ("atanh", ms::atanh, -1.0, -inf), ("atanh", ms::atanh, 2.0, nan),
        ("atanh", ms::atanh, -0.0, -0.0),
    ];
    for &(name, f, x, want) in cases {
        assert!(same_f64(f(x), want), "{name}({x}) = {}, want {want}", f(x));
    }
    for f in [ms::erf, ms::erfc, ms::erf_inv, ms::lgamma, ms::digamma, ms::asinh, ms::acosh, ms::atanh] {
        assert!(f(nan).is_nan());
    }
}

/// f32 pow through the binary kernel (SIMD-width and strided layouts alike) over a
/// dense grid of bases (log-spaced over (0, 1e4], plus negatives with integer
/// exponents) and exponents in [-30, 30], against an independent f64 reference
/// exp(y ln|x|) (relative error ~|y ln x| 1e-16, far below an f32 ulp wherever the
/// result is a normal f32). Within 1 ulp; the specials follow C99 pow.
#[test]
fn f32_pow_is_within_one_ulp_over_a_dense_grid() {
    use crate::binary::{binary_dyn, BinaryOp};
    use crate::dtype::DType;
    let mut xs = Vec::new();
    let mut ys = Vec::new();
    for i in 0..400 {
        let x = (10f64).powf(-6.0 + 10.0 * i as f64 / 399.0) as f32; // 1e-6 ..= 1e4
        for j in 0..301 {
            let y = (-30.0 + 60.0 * j as f64 / 300.0) as f32;
            xs.push(x);
            ys.push(y);
            if j % 10 == 0 {
                xs.push(-x); // negative base, integer exponent: y = -30, -28, ..., 30
                ys.push(y.round());
            }
        }
    }
    let mut out = vec![0f32; xs.len()];
    unsafe {
        let ok = binary_dyn(BinaryOp::Pow, DType::F32, &[xs.len()], xs.as_ptr() as _, &[1], ys.as_ptr() as _, &[1], out.as_mut_ptr() as _);
        assert!(ok);
    }
    let mut checked = 0;
    for ((&x, &y), &got) in xs.iter().zip(&ys).zip(&out) {
        let mag = (y as f64 * (x.abs() as f64).ln()).exp();
        let want = if x < 0.0 && (y as i64) % 2 != 0 { -mag } else { mag };
        if !(want.abs() >= f32::MIN_POSITIVE as f64 && want.abs() <= f32::MAX as f64) {
            continue; // subnormal or overflowing results: the specials below
        }
        let d = ulps_f32(got, want as f32);
        assert!(d <= 1, "pow({x:e}, {y}) = {got:e}, want {want:e} ({d} ulps)");
        checked += 1;
    }
    assert!(checked > 75_000, "only {checked} points checked");
    let specials: [(f32, f32, f32); 12] = [
        (0.0, -1.0, f32::INFINITY),
        (-0.0, -1.0, f32::NEG_INFINITY),
        (0.0, 2.0, 0.0),
        (2.0, f32::INFINITY, f32::INFINITY),
        (0.5, f32::INFINITY, 0.0),
        (f32::INFINITY, -1.0, 0.0),
        (f32::NEG_INFINITY, 3.0, f32::NEG_INFINITY),
        (1.0, f32::NAN, 1.0),
        (f32::NAN, 0.0, 1.0),
        (-1.0, f32::INFINITY, 1.0),
        (2.0, 200.0, f32::INFINITY),
        (2.0, -200.0, 0.0),
    ];
    for (x, y, want) in specials {
        let mut got = 0f32;
        unsafe { binary_dyn(BinaryOp::Pow, DType::F32, &[1], &x as *const f32 as _, &[1], &y as *const f32 as _, &[1], &mut got as *mut f32 as _) };
        assert!(got.to_bits() == want.to_bits(), "pow({x}, {y}) = {got}, want {want}");
    }
    let mut nan = 0f32;
    unsafe { binary_dyn(BinaryOp::Pow, DType::F32, &[1], &(-2.0f32) as *const f32 as _, &[1], &0.5f32 as *const f32 as _, &[1], &mut nan as *mut f32 as _) };
    assert!(nan.is_nan(), "pow(-2, 0.5) is NaN");
}
