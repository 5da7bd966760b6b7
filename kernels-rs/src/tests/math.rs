//! Transcendentals: SIMD lanes equal the scalar form bit for bit, and the scalar
//! form is within the stated ulps of std (f64) or of std-in-f64 rounded (f32).
use super::*;
use crate::math::*;
use crate::simd::*;

type F64Case = (&'static str, fn(f64) -> f64, fn(v128) -> v128, fn(f64) -> f64, u64, f64);
type F32Case = (&'static str, fn(f32) -> f32, fn(v128) -> v128, fn(f64) -> f64, u64, f64);

fn logistic_ref(x: f64) -> f64 {
    if x < 0.0 {
        let e = x.exp();
        e / (1.0 + e)
    } else {
        1.0 / (1.0 + (-x).exp())
    }
}

const F64_CASES: [F64Case; 6] = [
    ("exp", exp_f64, exp_f64x2, f64::exp, 1, 750.0),
    ("log", log_f64, log_f64x2, f64::ln, 1, 1e300),
    ("tanh", tanh_f64, tanh_f64x2, f64::tanh, 3, 30.0),
    ("logistic", logistic_f64, logistic_f64x2, logistic_ref, 2, 750.0),
    ("sin", sin_f64, sin_f64x2, f64::sin, 1, 1e4),
    ("cos", cos_f64, cos_f64x2, f64::cos, 1, 1e4),
];
/// f32: the bound is 4 ulp for every function; math.rs's header has the measured maxima.
const F32_CASES: [F32Case; 6] = [
    ("exp", exp_f32, exp_f32x4, f64::exp, 4, 110.0),
    ("log", log_f32, log_f32x4, f64::ln, 4, 1e38),
    ("tanh", tanh_f32, tanh_f32x4, f64::tanh, 4, 12.0),
    ("logistic", logistic_f32, logistic_f32x4, logistic_ref, 4, 110.0),
    ("sin", sin_f32, sin_f32x4, f64::sin, 4, 1e4),
    ("cos", cos_f32, cos_f32x4, f64::cos, 4, 1e4),
];

/// Samples: specials, uniform on [-scale, scale], and log-uniform magnitudes.
fn samples_f64(rng: &mut Rng, scale: f64) -> Vec<f64> {
    let mut v = mixed_f64(rng, 40_000, scale);
    for _ in 0..40_000 {
        let m = 10f64.powf(rng.uniform(-30.0, scale.log10()));
        v.push(if rng.below(2) == 0 { m } else { -m });
    }
    v
}

#[test]
fn f64_simd_matches_scalar_and_std() {
    let mut rng = Rng::new(1);
    for (name, s, v, r, max_ulp, scale) in F64_CASES {
        let xs = samples_f64(&mut rng, scale);
        let mut worst = (0u64, 0.0f64);
        for pair in xs.chunks_exact(2) {
            let out: [f64; 2] = lanes(v(from_lanes([pair[0], pair[1]])));
            for k in 0..2 {
                let x = pair[k];
                assert!(same_f64(out[k], s(x)), "{name}({x:e}): simd {} != scalar {}", out[k], s(x));
                let u = ulps_f64(s(x), r(x));
                if u > worst.0 {
                    worst = (u, x);
                }
            }
        }
        eprintln!("{name} f64: worst {} ulp", worst.0);
        assert!(worst.0 <= max_ulp, "{name} f64: {} ulp at x = {:e} ({} vs {})", worst.0, worst.1, s(worst.1), r(worst.1));
    }
}

#[test]
fn f32_simd_matches_scalar_and_std() {
    let mut rng = Rng::new(2);
    for (name, s, v, r, max_ulp, scale) in F32_CASES {
        let mut xs = mixed_f32(&mut rng, 100_000, scale);
        for _ in 0..50_000 {
            let m = 10f64.powf(rng.uniform(-40.0, scale.log10())) as f32;
            xs.push(if rng.below(2) == 0 { m } else { -m });
        }
        let mut worst = (0u64, 0.0f32);
        for q in xs.chunks_exact(4) {
            let out: [f32; 4] = lanes(v(from_lanes([q[0], q[1], q[2], q[3]])));
            for k in 0..4 {
                let x = q[k];
                assert!(same_f32(out[k], s(x)), "{name}({x:e}): simd {} != scalar {}", out[k], s(x));
                let u = ulps_f32(s(x), r(x as f64) as f32);
                if u > worst.0 {
                    worst = (u, x);
                }
            }
        }
        eprintln!("{name} f32: worst {} ulp", worst.0);
        assert!(worst.0 <= max_ulp, "{name} f32: {} ulp at x = {:e} ({} vs {})", worst.0, worst.1, s(worst.1), r(worst.1 as f64) as f32);
    }
}

#[test]
fn special_values() {
    assert!(exp_f64(f64::NAN).is_nan() && exp_f64(f64::INFINITY) == f64::INFINITY);
    assert_eq!(exp_f64(f64::NEG_INFINITY), 0.0);
    assert_eq!(exp_f64(0.0), 1.0);
    assert_eq!(exp_f32(-0.0), 1.0);
    assert_eq!(exp_f64(709.0), 709f64.exp());
    assert_eq!(log_f64(0.0), f64::NEG_INFINITY);
    assert_eq!(log_f32(-0.0), f32::NEG_INFINITY);
    assert!(log_f64(-1.0).is_nan() && log_f32(f32::NAN).is_nan());
    assert_eq!(log_f64(f64::INFINITY), f64::INFINITY);
    assert_eq!(log_f64(1.0), 0.0);
    assert_eq!(log_f64(5e-324), (5e-324f64).ln());
    assert_eq!(tanh_f64(f64::INFINITY), 1.0);
    assert_eq!(tanh_f32(-100.0), -1.0);
    let z = tanh_f64(-0.0);
    assert!(z == 0.0 && z.is_sign_negative());
    assert_eq!(logistic_f64(0.0), 0.5);
    assert_eq!(logistic_f32(f32::INFINITY), 1.0);
    assert_eq!(logistic_f32(f32::NEG_INFINITY), 0.0);
    let s = sin_f64(-0.0);
    assert!(s == 0.0 && s.is_sign_negative());
    assert!(sin_f64(f64::INFINITY).is_nan() && cos_f32(f32::NAN).is_nan());
    assert_eq!(cos_f64(0.0), 1.0);
    // Beyond TRIG_LIMIT, lanes fall back to std.
    assert_eq!(sin_f64(1e22), 1e22f64.sin());
    assert_eq!(pow_f64(1.0, f64::NAN), 1.0);
    assert_eq!(pow_f32(2.0, 10.0), 1024.0);
}

#[test]
fn trig_near_multiples_of_pi() {
    for k in 1..2000 {
        let x = k as f64 * core::f64::consts::FRAC_PI_2;
        for y in [x, x.next_up_compat(), -x] {
            assert!(ulps_f64(sin_f64(y), y.sin()) <= 2, "sin({y})");
            assert!(ulps_f64(cos_f64(y), y.cos()) <= 2, "cos({y})");
        }
    }
}

trait NextUp {
    fn next_up_compat(self) -> Self;
}
impl NextUp for f64 {
    fn next_up_compat(self) -> f64 {
        f64::from_bits(self.to_bits() + 1)
    }
}

/// Every 256th f32 bit pattern of both signs (16.7M points per function: every
/// exponent, subnormals, the overflow/underflow edges), against std in f64.
#[test]
fn f32_bit_pattern_sweep() {
    for (name, s, _, r, max_ulp, _) in F32_CASES {
        let mut worst = (0u64, 0.0f32);
        let mut bits = 0u32;
        while bits < 0x8000_0000 {
            for x in [f32::from_bits(bits), -f32::from_bits(bits)] {
                let u = ulps_f32(s(x), r(x as f64) as f32);
                if u > worst.0 {
                    worst = (u, x);
                }
            }
            bits += 256;
        }
        eprintln!("{name} f32 sweep: worst {} ulp at {:e}", worst.0, worst.1);
        assert!(worst.0 <= max_ulp, "{name} f32: {} ulp at {:e}", worst.0, worst.1);
    }
}

/// Every f32 within 4096 ulps of the points where a path or a result class
/// changes: overflow/underflow thresholds, fast-path limits, min normal, 1, and
/// f32 neighbours of multiples of pi/2; scalar vs std, and SIMD vs scalar on
/// lane groups that straddle the boundary.
#[test]
fn f32_boundary_neighbourhoods() {
    let mut centres: Vec<f32> = vec![
        88.72284, 86.5, 87.33655, 89.0, 103.97208, 104.0, 110.0, 10.0, 9.0, 0.55, 1.0,
        f32::MIN_POSITIVE, f32::MAX, 1e-45, 524288.0, 256.0, 1e-4,
    ];
    centres.extend((1..200).map(|k| (k as f64 * core::f64::consts::FRAC_PI_2) as f32));
    centres.extend([1e3f64, 1e4, 1e5, 4e5].map(|k| ((k / core::f64::consts::FRAC_PI_2).round() * core::f64::consts::FRAC_PI_2) as f32));
    for (name, s, v, r, max_ulp, _) in F32_CASES {
        let mut worst = (0u64, 0.0f32);
        for &c in &centres {
            for sign in [1.0f32, -1.0] {
                let xs: Vec<f32> = (-4096i32..4096).map(|d| sign * f32::from_bits((c.to_bits() as i32 + d).max(0) as u32)).collect();
                for q in xs.chunks_exact(4) {
                    let out: [f32; 4] = lanes(v(from_lanes([q[0], q[1], q[2], q[3]])));
                    for k in 0..4 {
                        let x = q[k];
                        assert!(same_f32(out[k], s(x)), "{name}({x:e}): simd {} != scalar {}", out[k], s(x));
                        let u = ulps_f32(s(x), r(x as f64) as f32);
                        if u > worst.0 {
                            worst = (u, x);
                        }
                    }
                }
            }
        }
        eprintln!("{name} f32 boundaries: worst {} ulp at {:e}", worst.0, worst.1);
        assert!(worst.0 <= max_ulp, "{name} f32: {} ulp at {:e}", worst.0, worst.1);
    }
}

/// Random f64 bit patterns: every exponent, both signs, NaNs and subnormals.
#[test]
fn f64_random_bit_patterns() {
    let mut rng = Rng::new(11);
    for (name, s, _, r, max_ulp, _) in F64_CASES {
        for _ in 0..200_000 {
            let x = f64::from_bits(rng.next_u64());
            let u = ulps_f64(s(x), r(x));
            assert!(u <= max_ulp, "{name}({x:e}): {} vs {} ({u} ulp)", s(x), r(x));
        }
    }
}
