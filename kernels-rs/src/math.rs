//! Transcendentals as polynomials over `Real`, one algorithm for scalar and SIMD
//! lanes (so strided and contiguous inputs give identical bits).
//!
//! Error bounds (measured by `tests/math.rs` against std's correctly-rounded-ish
//! libm on dense and random samples; see the asserted limits there):
//! - exp, log: <= 1 ulp; logistic <= 2 ulp; tanh <= 3 ulp (f64 and f32).
//! - sin, cos: computed in f64 (f32 lanes are promoted), <= 1 ulp for |x| <= 1e6;
//!   beyond that, lanes fall back to std's sin/cos (full argument reduction).
//! Polynomials are truncated Taylor series, with enough terms that truncation
//! error is below half an ulp on the reduced interval; rounding does the rest.
use crate::real::{F32x4, F64x2, Real};
use crate::simd::*;

/// Per-precision constants. `LN2_HI` has trailing zero bits, so `n * LN2_HI` is
/// exact for every `n` the range reduction produces.
pub struct Consts {
    ln2_hi: f64,
    ln2_lo: f64,
    /// exp's input is clamped to [exp_min, exp_max]: beyond, the result is 0 / inf.
    exp_min: f64,
    exp_max: f64,
    /// 1/k! for k = 0.. (e^r on |r| <= ln2/2).
    exp_poly: &'static [f64],
    /// 2/(2k+3) for k = 0.. (log's atanh series in z = s^2).
    log_poly: &'static [f64],
    /// |x| beyond which tanh(x) rounds to +-1.
    tanh_max: f64,
    min_normal: f64,
    /// Subnormal inputs to log are scaled by 2^subnormal_shift first.
    subnormal_shift: f64,
}

const LOG2E: f64 = 1.4426950408889634;

const EXP_POLY_64: [f64; 14] = [
    1.0, 1.0, 0.5, 1.0 / 6.0, 1.0 / 24.0, 1.0 / 120.0, 1.0 / 720.0, 1.0 / 5040.0,
    1.0 / 40320.0, 1.0 / 362880.0, 1.0 / 3628800.0, 1.0 / 39916800.0,
    1.0 / 479001600.0, 1.0 / 6227020800.0,
];
const LOG_POLY_64: [f64; 10] = [
    2.0 / 3.0, 2.0 / 5.0, 2.0 / 7.0, 2.0 / 9.0, 2.0 / 11.0, 2.0 / 13.0, 2.0 / 15.0,
    2.0 / 17.0, 2.0 / 19.0, 2.0 / 21.0,
];

pub const C64: Consts = Consts {
    ln2_hi: 0.693147180369123816490, // 32 significant bits
    ln2_lo: 1.90821492927058770002e-10,
    exp_min: -746.0,
    exp_max: 710.0,
    exp_poly: &EXP_POLY_64,
    log_poly: &LOG_POLY_64,
    tanh_max: 22.0,
    min_normal: f64::MIN_POSITIVE,
    subnormal_shift: 54.0,
};

pub const C32: Consts = Consts {
    ln2_hi: 0.693145751953125, // 16 significant bits
    ln2_lo: 1.42860682030941723212e-6,
    exp_min: -104.0,
    exp_max: 89.0,
    exp_poly: &[1.0, 1.0, 0.5, 1.0 / 6.0, 1.0 / 24.0, 1.0 / 120.0, 1.0 / 720.0, 1.0 / 5040.0],
    log_poly: &[2.0 / 3.0, 2.0 / 5.0, 2.0 / 7.0, 2.0 / 9.0, 2.0 / 11.0],
    tanh_max: 10.0,
    min_normal: f32::MIN_POSITIVE as f64,
    subnormal_shift: 25.0,
};

#[inline(always)]
fn horner<R: Real>(x: R, c: &[f64]) -> R {
    let mut acc = R::c(c[c.len() - 1]);
    for &k in c[..c.len() - 1].iter().rev() {
        acc = acc.mul(x).add(R::c(k));
    }
    acc
}

/// (n, r) with x = n*ln2 + r, |r| <= ln2/2 (about), n integral.
#[inline(always)]
fn reduce_ln2<R: Real>(x: R, k: &Consts) -> (R, R) {
    let n = x.mul(R::c(LOG2E)).nearest();
    let r = x.sub(n.mul(R::c(k.ln2_hi))).sub(n.mul(R::c(k.ln2_lo)));
    (n, r)
}

#[inline(always)]
pub fn exp<R: Real>(x: R, k: &Consts) -> R {
    let x = x.clamp(R::c(k.exp_min), R::c(k.exp_max)); // NaN stays NaN
    let (n, r) = reduce_ln2(x, k);
    let p = horner(r, k.exp_poly);
    // Scale by 2^n in two exact steps so results near overflow/underflow round once.
    let h = n.mul(R::c(0.5)).nearest();
    p.mul(R::pow2i(h)).mul(R::pow2i(n.sub(h)))
}

/// e^x - 1 for 0 <= x <= 2*tanh_max (accurate relative to the result near 0).
#[inline(always)]
fn expm1_small<R: Real>(x: R, k: &Consts) -> R {
    let (n, r) = reduce_ln2(x, k);
    let q = r.mul(horner(r, &k.exp_poly[1..])); // e^r - 1
    let t = R::pow2i(n);
    let big = q.mul(t).add(t.sub(R::c(1.0)));
    R::sel(n.eq(R::c(0.0)), q, big)
}

#[inline(always)]
pub fn tanh<R: Real>(x: R, k: &Consts) -> R {
    let a = x.abs().clamp(R::c(0.0), R::c(k.tanh_max));
    let e = expm1_small(a.add(a), k);
    e.div(e.add(R::c(2.0))).xor_sign(x)
}

/// 1 / (1 + e^-x), computed as e^x / (1 + e^x) for x < 0 to keep relative accuracy.
#[inline(always)]
pub fn logistic<R: Real>(x: R, k: &Consts) -> R {
    let e = exp(x.abs().neg(), k);
    let d = R::c(1.0).add(e);
    R::sel(x.lt(R::c(0.0)), e, R::c(1.0)).div(d)
}

#[inline(always)]
pub fn log<R: Real>(x: R, k: &Consts) -> R {
    let sub = x.lt(R::c(k.min_normal));
    let xs = R::sel(sub, x.mul(R::pow2i(R::c(k.subnormal_shift))), x);
    let (m, e) = xs.split_log();
    let e = R::sel(sub, e.sub(R::c(k.subnormal_shift)), e);
    // log(m) = log(1+f) = f - s*(f - T(z)), s = f/(2+f), z = s^2.
    let f = m.sub(R::c(1.0));
    let s = f.div(f.add(R::c(2.0)));
    let z = s.mul(s);
    let t = z.mul(horner(z, k.log_poly));
    let hi = e.mul(R::c(k.ln2_hi));
    let lo = e.mul(R::c(k.ln2_lo));
    let y = hi.add(f.sub(s.mul(f.sub(t)).sub(lo)));
    let inf = R::c(f64::INFINITY);
    let ok = R::and(x.gt(R::c(0.0)), x.lt(inf));
    let special = R::sel(x.eq(R::c(0.0)), inf.neg(), R::sel(x.eq(inf), inf, R::c(f64::NAN)));
    R::sel(ok, y, special)
}

// --- sin / cos (f64 arithmetic) --------------------------------------------
/// pi/2 in three parts: 33 + 33 bits + the rest, so n * P1, n * P2 are exact for n < 2^20.
const PIO2_1: f64 = 1.57079632673412561417;
const PIO2_2: f64 = 6.07710050630396597660e-11;
const PIO2_3: f64 = 2.02226624879595063154e-21;
const TWO_OVER_PI: f64 = 0.6366197723675814;
/// Above this |x| the three-part reduction is not exact enough: use std.
pub const TRIG_LIMIT: f64 = 1.0e6;
/// (-1)^k / (2k+3)! — sin r = r + r^3 * S(r^2).
const SIN_POLY: [f64; 8] = [
    -1.0 / 6.0, 1.0 / 120.0, -1.0 / 5040.0, 1.0 / 362880.0, -1.0 / 39916800.0,
    1.0 / 6227020800.0, -1.0 / 1307674368000.0, 1.0 / 355687428096000.0,
];
/// (-1)^k / (2k+4)! — cos r = 1 - r^2/2 + r^4 * C(r^2).
const COS_POLY: [f64; 7] = [
    1.0 / 24.0, -1.0 / 720.0, 1.0 / 40320.0, -1.0 / 3628800.0, 1.0 / 479001600.0,
    -1.0 / 87178291200.0, 1.0 / 20922789888000.0,
];

/// sin (cos = false) or cos of x for |x| <= TRIG_LIMIT, in f64 lanes.
#[inline(always)]
fn sincos_core<R: Real>(x: R, cos: bool) -> R {
    let a = x.abs();
    let n = a.mul(R::c(TWO_OVER_PI)).nearest();
    // r + rlo = a - n*pi/2 in double-double: a - n*P1 is exact, the rest is
    // tracked with TwoSum so cancellation near multiples of pi/2 costs no ulps.
    let t = a.sub(n.mul(R::c(PIO2_1)));
    let w = n.mul(R::c(PIO2_2));
    let r0 = t.sub(w);
    let bv = r0.sub(t);
    let err = t.sub(r0.sub(bv)).sub(w.add(bv));
    let y = err.sub(n.mul(R::c(PIO2_3)));
    let r = r0.add(y);
    let rlo = y.sub(r.sub(r0));
    let z = r.mul(r);
    // sin(r + rlo) ~ sin r + rlo; cos(r + rlo) ~ cos r - r * rlo.
    let s = r.add(r.mul(z).mul(horner(z, &SIN_POLY)).add(rlo));
    let hz = z.mul(R::c(0.5));
    let w = R::c(1.0).sub(hz);
    let tail = z.mul(z).mul(horner(z, &COS_POLY)).sub(r.mul(rlo));
    let c = w.add(R::c(1.0).sub(w).sub(hz).add(tail));
    // Quadrant q = n mod 4 (cos: n + 1), read off with exact float arithmetic.
    let q = if cos { n.add(R::c(1.0)) } else { n };
    let h = q.mul(R::c(0.5));
    let odd = h.floor().lt(h);
    let qq = q.mul(R::c(0.25));
    let neg = qq.sub(qq.floor()).gt(R::c(0.25)); // fraction is 0.5 or 0.75
    let v = R::sel(odd, c, s);
    let v = R::sel(neg, v.neg(), v);
    if cos {
        v
    } else {
        v.xor_sign(x) // sin is odd; also gives sin(-0) = -0
    }
}

#[inline(always)]
pub fn sin_f64(x: f64) -> f64 {
    if x.abs() > TRIG_LIMIT { x.sin() } else { sincos_core(x, false) }
}
#[inline(always)]
pub fn cos_f64(x: f64) -> f64 {
    if x.abs() > TRIG_LIMIT { x.cos() } else { sincos_core(x, true) }
}

#[inline(always)]
fn trig_f64x2(v: v128, cos: bool) -> v128 {
    if v128_any_true(f64x2_gt(f64x2_abs(v), f64x2_splat(TRIG_LIMIT))) {
        let a: [f64; 2] = lanes(v);
        let f = if cos { cos_f64 } else { sin_f64 };
        from_lanes([f(a[0]), f(a[1])])
    } else {
        sincos_core(F64x2(v), cos).0
    }
}

/// f32 lanes through f64: promote both halves, compute, demote and rejoin.
#[inline(always)]
fn via_f64(v: v128, f: impl Fn(v128) -> v128) -> v128 {
    let lo = f(f64x2_promote_low_f32x4(v));
    let hi = f(f64x2_promote_low_f32x4(i64x2_shuffle::<1, 1>(v, v)));
    i64x2_shuffle::<0, 2>(f32x4_demote_f64x2_zero(lo), f32x4_demote_f64x2_zero(hi))
}

// --- entry points: scalar and v128 forms, per dtype ------------------------
#[inline(always)] pub fn exp_f32(x: f32) -> f32 { exp(x, &C32) }
#[inline(always)] pub fn exp_f64(x: f64) -> f64 { exp(x, &C64) }
#[inline(always)] pub fn exp_f32x4(v: v128) -> v128 { exp(F32x4(v), &C32).0 }
#[inline(always)] pub fn exp_f64x2(v: v128) -> v128 { exp(F64x2(v), &C64).0 }
#[inline(always)] pub fn log_f32(x: f32) -> f32 { log(x, &C32) }
#[inline(always)] pub fn log_f64(x: f64) -> f64 { log(x, &C64) }
#[inline(always)] pub fn log_f32x4(v: v128) -> v128 { log(F32x4(v), &C32).0 }
#[inline(always)] pub fn log_f64x2(v: v128) -> v128 { log(F64x2(v), &C64).0 }
#[inline(always)] pub fn tanh_f32(x: f32) -> f32 { tanh(x, &C32) }
#[inline(always)] pub fn tanh_f64(x: f64) -> f64 { tanh(x, &C64) }
#[inline(always)] pub fn tanh_f32x4(v: v128) -> v128 { tanh(F32x4(v), &C32).0 }
#[inline(always)] pub fn tanh_f64x2(v: v128) -> v128 { tanh(F64x2(v), &C64).0 }
#[inline(always)] pub fn logistic_f32(x: f32) -> f32 { logistic(x, &C32) }
#[inline(always)] pub fn logistic_f64(x: f64) -> f64 { logistic(x, &C64) }
#[inline(always)] pub fn logistic_f32x4(v: v128) -> v128 { logistic(F32x4(v), &C32).0 }
#[inline(always)] pub fn logistic_f64x2(v: v128) -> v128 { logistic(F64x2(v), &C64).0 }
#[inline(always)] pub fn sin_f32(x: f32) -> f32 { sin_f64(x as f64) as f32 }
#[inline(always)] pub fn cos_f32(x: f32) -> f32 { cos_f64(x as f64) as f32 }
#[inline(always)] pub fn sin_f64x2(v: v128) -> v128 { trig_f64x2(v, false) }
#[inline(always)] pub fn cos_f64x2(v: v128) -> v128 { trig_f64x2(v, true) }
#[inline(always)] pub fn sin_f32x4(v: v128) -> v128 { via_f64(v, sin_f64x2) }
#[inline(always)] pub fn cos_f32x4(v: v128) -> v128 { via_f64(v, cos_f64x2) }
/// pow has no vector form: std's (C semantics: pow(1, NaN) = 1, pow(NaN, 0) = 1).
/// f32 goes through f64 so the result is the correctly rounded f64 value, rounded once more.
#[inline(always)] pub fn pow_f32(x: f32, y: f32) -> f32 { (x as f64).powf(y as f64) as f32 }
#[inline(always)] pub fn pow_f64(x: f64, y: f64) -> f64 { x.powf(y) }
