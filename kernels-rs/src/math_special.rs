//! Inverse trigonometric, hyperbolic and special functions: tan, asin,
//! acos, atan, atan2, sinh, cosh, asinh, acosh, atanh, exp2, expm1, log1p, cbrt,
//! rsqrt, erf, erfc, erf_inv, lgamma, digamma.
//!
//! Every function is computed in f64 and an f32 result is that value rounded once,
//! so f32 results are within 1 ulp of the correctly rounded value wherever the f64
//! function is accurate to a few f64 ulps (tests/math_special.rs measures it). These
//! run on the scalar path only (`SIMD = false` in unary.rs/binary.rs): the kernels
//! stay correct first; vector forms over `Real` lanes are future work.
//!
//! - tan, asin, acos, atan, atan2, sinh, cosh, exp2, expm1, log1p, cbrt: Rust's f64
//!   functions (libm on wasm32). asinh, acosh, atanh: written here over ln/log1p/sqrt,
//!   since std's versions lose all accuracy at subnormals and overflow near 1e154.
//! - erf, erfc, erf_inv, lgamma, digamma: our own algorithms, the same step for step
//!   as the interpreter's (src/backends/interpreter/special.ts), so the backends agree:
//!   * erf: the all-positive series erf(x) = 2/sqrt(pi) e^(-x²) Σ (2x²)^n x / (2n+1)!!
//!     for |x| < 2.5 (no cancellation), 1 - erfc beyond, ±1 from 6.
//!   * erfc: 1 - erf below 2, else the continued fraction
//!     erfc(x) = e^(-x²)/sqrt(pi) · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))) (Lentz).
//!   * erf_inv: a closed-form first guess, then three Halley steps on erf (on erfc
//!     for |y| > 1/2, where 1 - |y| is exact).
//!   * lgamma, digamma: shifted up to z >= 10 by their recurrences, then Stirling's
//!     series (coefficients from the Bernoulli numbers B2..B14); reflection for x < 1/2.

const TWO_OVER_SQRT_PI: f64 = core::f64::consts::FRAC_2_SQRT_PI;
const PI: f64 = core::f64::consts::PI;

#[inline(always)] pub fn tan(x: f64) -> f64 { x.tan() }
#[inline(always)] pub fn asin(x: f64) -> f64 { x.asin() }
#[inline(always)] pub fn acos(x: f64) -> f64 { x.acos() }
#[inline(always)] pub fn atan(x: f64) -> f64 { x.atan() }
#[inline(always)] pub fn atan2(y: f64, x: f64) -> f64 { y.atan2(x) }
#[inline(always)] pub fn sinh(x: f64) -> f64 { x.sinh() }
#[inline(always)] pub fn cosh(x: f64) -> f64 { x.cosh() }

const LN_2: f64 = core::f64::consts::LN_2;
/// Beyond this, sqrt(x² ± 1) = x in f64 (and x² could overflow).
const HUGE: f64 = 268435456.0; // 2^28

/// asinh(x) = sign(x) ln(|x| + sqrt(x² + 1)), arranged per range to avoid
/// cancellation (small |x|: log1p) and overflow (huge |x|: ln|x| + ln 2).
pub fn asinh(x: f64) -> f64 {
    let a = x.abs();
    let r = if a > HUGE {
        a.ln() + LN_2
    } else if a > 2.0 {
        (2.0 * a + 1.0 / ((a * a + 1.0).sqrt() + a)).ln()
    } else {
        // a + sqrt(a² + 1) - 1 = a + a² / (1 + sqrt(1 + a²)).
        (a + a * a / (1.0 + (1.0 + a * a).sqrt())).ln_1p()
    };
    r.copysign(x)
}

/// acosh(x) = ln(x + sqrt(x² - 1)) for x >= 1 (NaN below), arranged like asinh.
pub fn acosh(x: f64) -> f64 {
    if !(x >= 1.0) {
        return f64::NAN;
    }
    if x > HUGE {
        x.ln() + LN_2
    } else if x > 2.0 {
        (2.0 * x - 1.0 / (x + (x * x - 1.0).sqrt())).ln()
    } else {
        let t = x - 1.0;
        (t + (2.0 * t + t * t).sqrt()).ln_1p()
    }
}

/// atanh(x) = sign(x) log1p(2|x| / (1 - |x|)) / 2.
pub fn atanh(x: f64) -> f64 {
    let a = x.abs();
    (0.5 * (2.0 * a / (1.0 - a)).ln_1p()).copysign(x)
}
#[inline(always)] pub fn exp2(x: f64) -> f64 { x.exp2() }
#[inline(always)] pub fn expm1(x: f64) -> f64 { x.exp_m1() }
#[inline(always)] pub fn log1p(x: f64) -> f64 { x.ln_1p() }
#[inline(always)] pub fn cbrt(x: f64) -> f64 { x.cbrt() }
#[inline(always)] pub fn rsqrt(x: f64) -> f64 { 1.0 / x.sqrt() }

/// erf by the positive series; accurate for |x| < 2.5 (about 60 terms at the end).
fn erf_series(x: f64) -> f64 {
    let x2 = x * x;
    let (mut term, mut sum) = (x, x);
    let mut n = 1.0;
    while n < 200.0 {
        term *= (2.0 * x2) / (2.0 * n + 1.0);
        sum += term;
        if term.abs() <= sum.abs() * 1e-17 {
            break;
        }
        n += 1.0;
    }
    TWO_OVER_SQRT_PI * (-x2).exp() * sum
}

/// erfc for x >= 2 by the continued fraction (modified Lentz).
fn erfc_fraction(x: f64) -> f64 {
    let tiny = 1e-300;
    let (mut f, mut c, mut d) = (x, x, 0.0);
    let mut n = 1.0;
    while n < 500.0 {
        let a = n / 2.0;
        d = x + a * d;
        d = if d == 0.0 { tiny } else { 1.0 / d };
        c = x + a / c;
        if c == 0.0 {
            c = tiny;
        }
        let delta = c * d;
        f *= delta;
        if (delta - 1.0).abs() < 1e-16 {
            break;
        }
        n += 1.0;
    }
    (-x * x).exp() / (f * PI.sqrt())
}

pub fn erf(x: f64) -> f64 {
    if x.is_nan() {
        return x;
    }
    let a = x.abs();
    if a >= 6.0 {
        return if x > 0.0 { 1.0 } else { -1.0 };
    }
    if a < 2.5 {
        return erf_series(x);
    }
    let r = 1.0 - erfc_fraction(a);
    if x > 0.0 { r } else { -r }
}

pub fn erfc(x: f64) -> f64 {
    if x.is_nan() {
        return x;
    }
    if x < 2.0 {
        return 1.0 - erf(x);
    }
    if x > 27.3 {
        return 0.0;
    }
    erfc_fraction(x)
}

pub fn erf_inv(y: f64) -> f64 {
    if y.is_nan() || !(-1.0..=1.0).contains(&y) {
        return f64::NAN;
    }
    if y == 1.0 {
        return f64::INFINITY;
    }
    if y == -1.0 {
        return f64::NEG_INFINITY;
    }
    if y == 0.0 {
        return y;
    }
    let a = y.abs();
    // First guess: the closed form inverting erf(x)² ≈ 1 - exp(-x² (4/pi + k x²)/(1 + k x²)), k = 0.147.
    let k = 0.147;
    let w = ((1.0 - a) * (1.0 + a)).ln();
    let t = 2.0 / (PI * k) + w / 2.0;
    let mut x = ((t * t - w / k).sqrt() - t).sqrt();
    // Halley on g(x) = erf(x) - a: with d = g/g', x -= d / (1 + x d), since g''/g' = -2x.
    let tail = a > 0.5;
    let target = if tail { 1.0 - a } else { a };
    for _ in 0..3 {
        let g = if tail { target - erfc(x) } else { erf(x) - target };
        let d = g / (TWO_OVER_SQRT_PI * (-x * x).exp());
        if !d.is_finite() {
            break;
        }
        x -= d / (1.0 + x * d);
    }
    if y < 0.0 { -x } else { x }
}

/// sin(pi x) with the argument reduced exactly (x - 2 round(x/2) is exact); the
/// rounding matches JS's Math.round (halves up), as the interpreter's.
fn sin_pi(x: f64) -> f64 {
    let r = x - 2.0 * (x / 2.0 + 0.5).floor();
    (PI * r).sin()
}

/// Stirling's series for lgamma(z), z >= 10: (z - 1/2) ln z - z + ln(2pi)/2 + Σ B2k/(2k(2k-1) z^(2k-1)).
fn lgamma_stirling(z: f64) -> f64 {
    let r = 1.0 / z;
    let r2 = r * r;
    let series = r
        * (1.0 / 12.0
            + r2 * (-1.0 / 360.0
                + r2 * (1.0 / 1260.0 + r2 * (-1.0 / 1680.0 + r2 * (1.0 / 1188.0 + r2 * (-691.0 / 360360.0 + r2 / 156.0))))));
    (z - 0.5) * z.ln() - z + 0.5 * (2.0 * PI).ln() + series
}

pub fn lgamma(x: f64) -> f64 {
    if x.is_nan() {
        return x;
    }
    if x.is_infinite() || (x <= 0.0 && x.floor() == x) {
        return f64::INFINITY;
    }
    if x == 1.0 || x == 2.0 {
        return 0.0; // Γ(1) = Γ(2) = 1 exactly; the series would leave ~1e-15
    }
    if x < 0.5 {
        // Reflection: lgamma(x) = ln(pi / |sin(pi x)|) - lgamma(1 - x).
        return (PI / sin_pi(x).abs()).ln() - lgamma(1.0 - x);
    }
    let (mut z, mut prod) = (x, 1.0);
    while z < 10.0 {
        prod *= z;
        z += 1.0;
    }
    lgamma_stirling(z) - prod.ln()
}

pub fn digamma(x: f64) -> f64 {
    if x.is_nan() || x == f64::INFINITY {
        return x;
    }
    if x <= 0.0 && x.floor() == x {
        return f64::NAN;
    }
    if x < 0.5 {
        // Reflection: digamma(x) = digamma(1 - x) - pi / tan(pi x).
        return digamma(1.0 - x) - PI / (sin_pi(x) / sin_pi(x + 0.5));
    }
    let (mut z, mut acc) = (x, 0.0);
    while z < 10.0 {
        acc += 1.0 / z;
        z += 1.0;
    }
    let r2 = 1.0 / (z * z);
    // ln z - 1/(2z) - Σ B2k/(2k z^(2k)).
    let series = r2
        * (1.0 / 12.0
            + r2 * (-1.0 / 120.0 + r2 * (1.0 / 252.0 + r2 * (-1.0 / 240.0 + r2 * (1.0 / 132.0 + r2 * (-691.0 / 32760.0 + r2 / 12.0))))));
    z.ln() - 0.5 / z - series - acc
}
