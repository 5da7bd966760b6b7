//! Transcendentals as polynomials over `Real`, one algorithm for scalar and SIMD
//! lanes (so strided and contiguous inputs give identical bits).
//!
//! Shape of every function: a fast path for vectors whose lanes are all in the
//! ordinary range (no clamps, no special-value selects, 2^n by an integer add to
//! the exponent field), and a general path for the rest that runs the same
//! arithmetic plus clamping and special cases. On ordinary lanes both paths give
//! the same bits, so the lane grouping never changes a result.
//!
//! f32 runs in f32 lanes with weighted-minimax polynomials of low degree (derived,
//! and re-derived in CI, by the Remez fit in `tests/minimax.rs`); f64 keeps
//! truncated Taylor series long enough that truncation stays below half an ulp.
//! f32 tanh and logistic skip the fast-path split: tanh is a small rational
//! function plus the doubling formula, logistic a scaled exp whose range needs
//! no check; both only limit |x| (by integer ops that keep NaN).
//!
//! Error bounds, max ulp against std's f64 libm (f32: rounded to f32), asserted
//! in `tests/math.rs`; the f32 figures are measured on a sweep of every 256th f32
//! bit pattern (16.7M points per function), random samples and every f32 within
//! 4096 ulps of each range boundary:
//! - f32: exp 1, log 1, tanh 2, logistic 2, sin 2, cos 2 ulp (bound asserted: 4).
//! - f64: exp, log <= 1 ulp; logistic <= 2; tanh <= 3; sin, cos <= 1 (|x| <= 1e6,
//!   std beyond) on dense and random samples.
//! f32 sin/cos reduce x modulo pi/2 in f32 (four-part pi/2) for |x| <= 256, in
//! f64 (three-part) for |x| <= 2^19, and evaluate the polynomials in f32; larger
//! |x|, inf and NaN lanes use std in f64.
use crate::real::{F32x4, F64x2, Real};
use crate::simd::*;

/// Per-precision constants. `LN2_HI` has trailing zero bits, so `n * LN2_HI` is
/// exact for every `n` the range reduction produces.
pub struct Consts {
    ln2_hi: f64,
    ln2_lo: f64,
    /// 1.5 * 2^(mantissa bits): `y + shifter` rounds y to the nearest integer n
    /// (ties to even) and holds n in the low mantissa bits, for |n| < 2^(bits-1).
    shifter: f64,
    /// exp's fast path: |x| <= exp_fast keeps e^x normal with |n| <= max exponent - 2.
    exp_fast: f64,
    /// exp's input is clamped to [exp_min, exp_max]: beyond, the result is 0 / inf.
    exp_min: f64,
    exp_max: f64,
    /// P with e^r = 1 + r + r^2 P(r) on |r| <= ln2/2.
    exp_poly: &'static [f64],
    /// U with log(1+f) = f - s (f - z U(z)), s = f/(2+f), z = s^2.
    log_poly: &'static [f64],
    /// |x| beyond which tanh(x) rounds to +-1.
    tanh_max: f64,
    min_normal: f64,
    max_finite: f64,
    /// Subnormal inputs to log are scaled by 2^subnormal_shift first.
    subnormal_shift: f64,
}

const LOG2E: f64 = 1.4426950408889634;

/// 1/k! for k = 2..=13.
const EXP_POLY_64: [f64; 12] = [
    0.5, 1.0 / 6.0, 1.0 / 24.0, 1.0 / 120.0, 1.0 / 720.0, 1.0 / 5040.0,
    1.0 / 40320.0, 1.0 / 362880.0, 1.0 / 3628800.0, 1.0 / 39916800.0,
    1.0 / 479001600.0, 1.0 / 6227020800.0,
];
/// 2/(2k+3) for k = 0..
const LOG_POLY_64: [f64; 10] = [
    2.0 / 3.0, 2.0 / 5.0, 2.0 / 7.0, 2.0 / 9.0, 2.0 / 11.0, 2.0 / 13.0, 2.0 / 15.0,
    2.0 / 17.0, 2.0 / 19.0, 2.0 / 21.0,
];

/// f32 minimax tables (values are exact f32s; `tests/minimax.rs` re-derives them).
/// exp: P on |r| <= 0.3467, weighted for the relative error of e^r - 1.
pub const EXP_POLY_32: [f64; 5] = [0.49999997, 0.16666543, 0.0416672, 0.008366538, 0.0013882518];
/// log: U on z <= 0.02944, weight z/2.
pub const LOG_POLY_32: [f64; 3] = [0.66666776, 0.3997754, 0.29871854];
/// sin r = r + r^3 S(z) and cos r = 1 - z/2 + z^2 C(z), z = r^2 <= 0.617.
pub const SIN_POLY_32: [f64; 3] = [-0.16666655, 0.008332178, -0.00019517221];
pub const COS_POLY_32: [f64; 3] = [0.041666646, -0.0013887315, 2.4433068e-5];
/// tanh: u = 2 tanh(a/2) = a + a z S(z)/Q(z), z = a^2 <= 100 (weighted rational
/// fit), scaled so that Q is monic (Horner's first multiply by 1 folds away).
pub const TANH_S_32: [f64; 3] = [-79.49054, -0.92716753, -6.467612e-5];
pub const TANH_Q_32: [f64; 3] = [953.8873, 106.51386, 1.0];

pub const C64: Consts = Consts {
    ln2_hi: 0.693147180369123816490, // 32 significant bits
    ln2_lo: 1.90821492927058770002e-10,
    shifter: 6755399441055744.0,
    exp_fast: 708.0,
    exp_min: -746.0,
    exp_max: 710.0,
    exp_poly: &EXP_POLY_64,
    log_poly: &LOG_POLY_64,
    tanh_max: 22.0,
    min_normal: f64::MIN_POSITIVE,
    max_finite: f64::MAX,
    subnormal_shift: 54.0,
};

pub const C32: Consts = Consts {
    ln2_hi: 0.693145751953125, // 16 significant bits
    ln2_lo: 1.42860682030941723212e-6,
    shifter: 12582912.0,
    exp_fast: 86.5,
    exp_min: -104.0,
    exp_max: 89.0,
    exp_poly: &EXP_POLY_32,
    log_poly: &LOG_POLY_32,
    tanh_max: 10.0,
    min_normal: f32::MIN_POSITIVE as f64,
    max_finite: f32::MAX as f64,
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

/// (e^r - 1, t) with x = n*ln2 + r, |r| <= ln2/2 (about), t = shifter + n.
#[inline(always)]
fn exp_parts<R: Real>(x: R, k: &Consts) -> (R, R) {
    let t = x.mul(R::c(LOG2E)).add(R::c(k.shifter));
    let n = t.sub(R::c(k.shifter));
    let r = x.sub(n.mul(R::c(k.ln2_hi))).sub(n.mul(R::c(k.ln2_lo)));
    (r.add(r.mul(r).mul(horner(r, k.exp_poly))), t)
}

#[inline(always)]
pub fn exp<R: Real>(x: R, k: &Consts) -> R {
    if x.all_abs_le(k.exp_fast) {
        let (q, t) = exp_parts(x, k);
        return q.add(R::c(1.0)).scale_shifted(t);
    }
    let x = x.clamp(R::c(k.exp_min), R::c(k.exp_max)); // NaN stays NaN
    let (q, t) = exp_parts(x, k);
    let n = t.sub(R::c(k.shifter));
    // Scale by 2^n in two exact steps so results near overflow/underflow round once.
    let h = n.mul(R::c(0.5)).nearest();
    q.add(R::c(1.0)).mul(R::pow2i(h)).mul(R::pow2i(n.sub(h)))
}

/// tanh (f64; f32 uses `tanh32`): tanh |x| = e / (e + 2) with e = e^(2|x|) - 1 = 2^n q + (2^n - 1), q = e^r - 1:
/// relative accuracy near 0 comes from q (for n = 0, e = q exactly).
#[inline(always)]
pub fn tanh<R: Real>(x: R, k: &Consts) -> R {
    let a = x.abs();
    let a = if a.all_abs_le(k.tanh_max) { a } else { a.clamp(R::c(0.0), R::c(k.tanh_max)) };
    let (q, t) = exp_parts(a.add(a), k);
    let p = R::c(1.0).scale_shifted(t); // 2^n, n <= 2 tanh_max / ln2 + 1
    let e = q.mul(p).add(p.sub(R::c(1.0)));
    e.div(e.add(R::c(2.0))).xor_sign(x)
}

/// f32 tanh from u = 2 tanh(a/2), a = min(|x|, tanh_max), by the doubling formula
/// tanh a = 4u / (u^2 + 4). Its sensitivity to u's relative error is 1/cosh(a), so
/// the rounding errors of the rational u fade as tanh nears 1 (where a plain
/// rational x P/Q for tanh loses up to 6 ulps), and near 0, u = a + (a small
/// correction) carries little more than one rounding.
#[inline(always)]
pub fn tanh32<R: Real>(x: R) -> R {
    let a = x.abs_min(C32.tanh_max);
    let z = a.mul(a);
    let u = a.add(a.mul(z.mul(horner(z, &TANH_S_32)).div(horner(z, &TANH_Q_32))));
    u.mul(R::c(4.0)).div(u.mul(u).add(R::c(4.0))).xor_sign(x)
}

/// f32 logistic as e'/(2^64 + e') for x < 0 and 2^64/(2^64 + e') otherwise, with
/// e' = e^-a 2^64, a = min(|x|, 110): the 2^64 keeps e' normal wherever the result
/// is nonzero (a <= 104), so 2^(n+64) comes from an exponent-field add, there is
/// no range check, and a subnormal result is rounded once, by the division.
#[inline(always)]
pub fn logistic32<R: Real>(x: R) -> R {
    const SCALE: f64 = 18446744073709551616.0; // 2^64
    let k = &C32;
    let a = x.abs_min(110.0);
    // As exp_parts for -a, with t = shifter + n + 64.
    let shift = k.shifter + 64.0;
    let t = a.mul(R::c(-LOG2E)).add(R::c(shift));
    let n = t.sub(R::c(shift));
    let r = n.mul(R::c(-k.ln2_hi)).sub(a).sub(n.mul(R::c(k.ln2_lo)));
    // exp_poly by Estrin's scheme (shorter dependency chain than Horner).
    let (c, r2) = (k.exp_poly, r.mul(r));
    let hi = R::c(c[2]).add(r.mul(R::c(c[3]))).add(r2.mul(R::c(c[4])));
    let p = R::c(c[0]).add(r.mul(R::c(c[1]))).add(r2.mul(hi));
    let q = r.add(r2.mul(p));
    // 2^(n+64) built apart and multiplied in, so NaN lanes (whose t bits are junk) stay NaN.
    let e = q.add(R::c(1.0)).mul(R::c(1.0).scale_shifted(t));
    // By the sign bit (no compare, no zero constant); -0 gives 2^64/(2^64 + 2^64) either way.
    R::sel(R::bit_set(x, 31), e, R::c(SCALE)).div(e.add(R::c(SCALE)))
}

/// logistic (f64; f32 uses `logistic32`): 1 / (1 + e^-x), computed as e^x / (1 + e^x) for x < 0 to keep relative accuracy.
#[inline(always)]
pub fn logistic<R: Real>(x: R, k: &Consts) -> R {
    let e = exp(x.abs().neg(), k);
    let d = R::c(1.0).add(e);
    R::sel(x.lt(R::c(0.0)), e, R::c(1.0)).div(d)
}

/// log(m * 2^e) for m in [sqrt(1/2), sqrt(2)):
/// log(m) = log(1+f) = f - s*(f - T(z)), s = f/(2+f), z = s^2, T = z U(z).
#[inline(always)]
fn log_split<R: Real>(m: R, e: R, k: &Consts) -> R {
    let f = m.sub(R::c(1.0));
    let s = f.div(f.add(R::c(2.0)));
    let z = s.mul(s);
    let t = z.mul(horner(z, k.log_poly));
    let hi = e.mul(R::c(k.ln2_hi));
    let lo = e.mul(R::c(k.ln2_lo));
    hi.add(f.sub(s.mul(f.sub(t)).sub(lo)))
}

#[inline(always)]
pub fn log<R: Real>(x: R, k: &Consts) -> R {
    if x.all_in(k.min_normal, k.max_finite) {
        let (m, e) = x.split_log();
        return log_split(m, e, k);
    }
    let sub = x.lt(R::c(k.min_normal));
    let xs = R::sel(sub, x.mul(R::pow2i(R::c(k.subnormal_shift))), x);
    let (m, e) = xs.split_log();
    let e = R::sel(sub, e.sub(R::c(k.subnormal_shift)), e);
    let y = log_split(m, e, k);
    let inf = R::c(f64::INFINITY);
    let ok = R::and(x.gt(R::c(0.0)), x.lt(inf));
    let special = R::sel(x.eq(R::c(0.0)), inf.neg(), R::sel(x.eq(inf), inf, R::c(f64::NAN)));
    R::sel(ok, y, special)
}

// --- sin / cos for f64 lanes ------------------------------------------------
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
    // n = round(a * 2/pi); q = shifter + n (+1 for cos) holds the quadrant in its low bits.
    let shift = C64.shifter + if cos { 1.0 } else { 0.0 };
    let q = a.mul(R::c(TWO_OVER_PI)).add(R::c(shift));
    let n = q.sub(R::c(shift));
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
    // (sin r, cos r, -sin r, -cos r) for q mod 4 = 0, 1, 2, 3.
    let v = R::sel(R::bit_set(q, 0), c, s).flip_sign_at_bit(q, 1);
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
    if i64x2_bitmask(f64x2_gt(f64x2_abs(v), f64x2_splat(TRIG_LIMIT))) != 0 {
        let a: [f64; 2] = lanes(v);
        let f = if cos { cos_f64 } else { sin_f64 };
        from_lanes([f(a[0]), f(a[1])])
    } else {
        sincos_core(F64x2(v), cos).0
    }
}


// --- sin / cos for f32 lanes ------------------------------------------------
/// f32 sin/cos reduce x modulo pi/2 in f32 lanes for |x| <= TRIG32_SHORT, in f64
/// lanes (so n < 2^20 and n * PIO2_1 is exact) up to TRIG32_LIMIT, and use std
/// in f64 beyond and for inf/NaN. Every lane takes its own tier, whatever its
/// vector neighbours are.
pub const TRIG32_SHORT: f64 = 256.0;
pub const TRIG32_LIMIT: f64 = 524288.0;

/// pi/2 as a sum of four f32s, the first three with 16 significant bits, so
/// n * PIO2_F32[i] is exact for n < 256 (|x| <= TRIG32_SHORT gives n <= 163).
const PIO2_F32: [f64; 4] = [1.57080078125, -4.454399459064007e-06, -5.5644377994212846e-11, 6.123234262925839e-17];

/// (r, t) with r = a - n*pi/2 in f32 lanes, 0 <= a <= TRIG32_SHORT: each step
/// subtracts an exact product and rounds relative to a quantity of r's size.
/// t = shifter + n + offset, n = round(a * 2/pi).
#[inline(always)]
fn reduce_pio2_short<R: Real>(a: R, offset: f64) -> (R, R) {
    let shift = C32.shifter + offset;
    let t = a.mul(R::c(TWO_OVER_PI)).add(R::c(shift));
    let n = t.sub(R::c(shift));
    let mut r = a;
    for p in PIO2_F32 {
        r = r.sub(n.mul(R::c(p)));
    }
    (r, t)
}

/// (r, t) as above in f64 lanes for 0 <= a <= TRIG32_LIMIT (three-part pi/2,
/// about 2^-70 absolute).
#[inline(always)]
fn reduce_pio2_long<R: Real>(a: R, offset: f64) -> (R, R) {
    let shift = C64.shifter + offset;
    let t = a.mul(R::c(TWO_OVER_PI)).add(R::c(shift));
    let n = t.sub(R::c(shift));
    let r = a.sub(n.mul(R::c(PIO2_1))).sub(n.mul(R::c(PIO2_2))).sub(n.mul(R::c(PIO2_3)));
    (r, t)
}

/// f32 lanes reduced modulo pi/2 through f64 lanes.
pub trait ReducePio2: Real {
    /// For 0 <= self <= TRIG32_LIMIT: (r rounded to f32, q), where q's bit pattern
    /// holds n + offset in its low bits (see `reduce_pio2_long`).
    fn reduce_pio2_long(self, offset: f64) -> (Self, Self);
}
impl ReducePio2 for f32 {
    #[inline(always)]
    fn reduce_pio2_long(self, offset: f64) -> (Self, Self) {
        let (r, t) = reduce_pio2_long(self as f64, offset);
        (r as f32, f32::from_bits(t.to_bits() as u32))
    }
}
impl ReducePio2 for F32x4 {
    #[inline(always)]
    fn reduce_pio2_long(self, offset: f64) -> (Self, Self) {
        let v = self.0;
        let (rl, tl) = reduce_pio2_long(F64x2(f64x2_promote_low_f32x4(v)), offset);
        let (rh, th) = reduce_pio2_long(F64x2(f64x2_promote_low_f32x4(i64x2_shuffle::<1, 1>(v, v))), offset);
        let r = i64x2_shuffle::<0, 2>(f32x4_demote_f64x2_zero(rl.0), f32x4_demote_f64x2_zero(rh.0));
        // The low 32 bits of each t hold n + offset (the shifter's low bits are 0).
        (F32x4(r), F32x4(i32x4_shuffle::<0, 2, 4, 6>(tl.0, th.0)))
    }
}

/// sin or cos from r = |x| - n*pi/2 and q holding n (sin) or n + 1 (cos) in its
/// low bits: (sin r, cos r, -sin r, -cos r) for q mod 4 = 0, 1, 2, 3.
#[inline(always)]
fn sincos32_poly<R: Real>(x: R, r: R, q: R, cos: bool) -> R {
    let z = r.mul(r);
    let s = r.add(r.mul(z).mul(horner(z, &SIN_POLY_32)));
    let c = R::c(1.0).sub(z.mul(R::c(0.5))).add(z.mul(z).mul(horner(z, &COS_POLY_32)));
    let v = R::sel(R::bit_set(q, 0), c, s).flip_sign_at_bit(q, 1);
    if cos {
        v
    } else {
        v.xor_sign(x) // sin is odd; also gives sin(-0) = -0
    }
}

#[inline(always)]
fn sincos32_short<R: Real>(x: R, cos: bool) -> R {
    let (r, q) = reduce_pio2_short(x.abs(), if cos { 1.0 } else { 0.0 });
    sincos32_poly(x, r, q, cos)
}

#[inline(always)]
fn sincos32_long<R: ReducePio2>(x: R, cos: bool) -> R {
    let (r, q) = x.abs().reduce_pio2_long(if cos { 1.0 } else { 0.0 });
    sincos32_poly(x, r, q, cos)
}

#[inline(always)]
fn trig_f32(x: f32, cos: bool) -> f32 {
    if x.all_abs_le(TRIG32_SHORT) {
        sincos32_short(x, cos)
    } else if x.all_abs_le(TRIG32_LIMIT) {
        sincos32_long(x, cos)
    } else if cos {
        (x as f64).cos() as f32
    } else {
        (x as f64).sin() as f32
    }
}

#[inline(always)]
fn trig_f32x4(v: v128, cos: bool) -> v128 {
    let x = F32x4(v);
    if x.all_abs_le(TRIG32_SHORT) {
        sincos32_short(x, cos).0
    } else if x.all_abs_le(TRIG32_LIMIT) {
        let long = x.abs().gt(F32x4::c(TRIG32_SHORT));
        F32x4::sel(long, sincos32_long(x, cos), sincos32_short(x, cos)).0
    } else {
        let a: [f32; 4] = lanes(v);
        from_lanes(a.map(|x| trig_f32(x, cos)))
    }
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
#[inline(always)] pub fn tanh_f32(x: f32) -> f32 { tanh32(x) }
#[inline(always)] pub fn tanh_f64(x: f64) -> f64 { tanh(x, &C64) }
#[inline(always)] pub fn tanh_f32x4(v: v128) -> v128 { tanh32(F32x4(v)).0 }
#[inline(always)] pub fn tanh_f64x2(v: v128) -> v128 { tanh(F64x2(v), &C64).0 }
#[inline(always)] pub fn logistic_f32(x: f32) -> f32 { logistic32(x) }
#[inline(always)] pub fn logistic_f64(x: f64) -> f64 { logistic(x, &C64) }
#[inline(always)] pub fn logistic_f32x4(v: v128) -> v128 { logistic32(F32x4(v)).0 }
#[inline(always)] pub fn logistic_f64x2(v: v128) -> v128 { logistic(F64x2(v), &C64).0 }
#[inline(always)] pub fn sin_f32(x: f32) -> f32 { trig_f32(x, false) }
#[inline(always)] pub fn cos_f32(x: f32) -> f32 { trig_f32(x, true) }
#[inline(always)] pub fn sin_f64x2(v: v128) -> v128 { trig_f64x2(v, false) }
#[inline(always)] pub fn cos_f64x2(v: v128) -> v128 { trig_f64x2(v, true) }
#[inline(always)] pub fn sin_f32x4(v: v128) -> v128 { trig_f32x4(v, false) }
#[inline(always)] pub fn cos_f32x4(v: v128) -> v128 { trig_f32x4(v, true) }
/// pow has no vector form: std's (C semantics: pow(1, NaN) = 1, pow(NaN, 0) = 1).
/// f32 goes through f64 so the result is the correctly rounded f64 value, rounded once more.
#[inline(always)] pub fn pow_f32(x: f32, y: f32) -> f32 { (x as f64).powf(y as f64) as f32 }
#[inline(always)] pub fn pow_f64(x: f64, y: f64) -> f64 { x.powf(y) }
