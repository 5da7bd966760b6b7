//! The portable twin's lane semantics, checked against the wasm spec by hand.
use crate::simd::*;

fn f32s(v: v128) -> [f32; 4] {
    lanes(v)
}

#[test]
fn min_max_propagate_nan_and_order_zeros() {
    let a = from_lanes([f32::NAN, -0.0f32, 1.0, 0.0]);
    let b = from_lanes([1.0f32, 0.0, f32::NAN, -0.0]);
    let mn = f32s(f32x4_min(a, b));
    let mx = f32s(f32x4_max(a, b));
    assert!(mn[0].is_nan() && mn[2].is_nan() && mx[0].is_nan() && mx[2].is_nan());
    assert!(mn[1] == 0.0 && mn[1].is_sign_negative() && mn[3].is_sign_negative());
    assert!(mx[1].is_sign_positive() && mx[3].is_sign_positive());
}

#[test]
fn nearest_rounds_ties_to_even() {
    let v = from_lanes([0.5f32, 1.5, 2.5, -0.4]);
    assert_eq!(f32s(f32x4_nearest(v))[..3], [0.0, 2.0, 2.0]);
    assert!(f32s(f32x4_nearest(v))[3].is_sign_negative());
    let w: [f64; 2] = lanes(f64x2_nearest(from_lanes([-2.5f64, 4503599627370497.0])));
    assert_eq!(w, [-2.0, 4503599627370497.0]);
}

#[test]
fn truncation_saturates_and_maps_nan_to_zero() {
    let v = from_lanes([f32::NAN, 3e9f32, -3e9, -1.7]);
    let i: [i32; 4] = lanes(i32x4_trunc_sat_f32x4(v));
    assert_eq!(i, [0, i32::MAX, i32::MIN, -1]);
    let u: [u32; 4] = lanes(u32x4_trunc_sat_f32x4(v));
    assert_eq!(u, [0, 3_000_000_000, 0, 0]);
}

#[test]
fn narrows_saturate_and_shuffles_pick_lanes() {
    let a = from_lanes([-1i32, 70000, -70000, 5]);
    let n: [i16; 8] = lanes(i16x8_narrow_i32x4(a, a));
    assert_eq!(n[..4], [-1, i16::MAX, i16::MIN, 5]);
    let s: [i32; 4] = lanes(i32x4_shuffle::<0, 2, 4, 6>(from_lanes([0i32, 1, 2, 3]), from_lanes([4i32, 5, 6, 7])));
    assert_eq!(s, [0, 2, 4, 6]);
    let t: [i64; 2] = lanes(i64x2_shuffle::<1, 2>(from_lanes([0i64, 1]), from_lanes([2i64, 3])));
    assert_eq!(t, [1, 2]);
}

#[test]
fn integer_ops_wrap_and_shift_modulo() {
    let a = from_lanes([i32::MAX, i32::MIN, -8, 1]);
    let s: [i32; 4] = lanes(i32x4_add(a, i32x4_splat(1)));
    assert_eq!(s, [i32::MIN, i32::MIN + 1, -7, 2]);
    let ab: [i32; 4] = lanes(i32x4_abs(a));
    assert_eq!(ab, [i32::MAX, i32::MIN, 8, 1]);
    let sh: [i32; 4] = lanes(i32x4_shr(a, 33));
    assert_eq!(sh, [i32::MAX >> 1, i32::MIN >> 1, -4, 0]);
    let b: [u8; 16] = lanes(v128_bitselect(u8x16_splat(1), u8x16_splat(2), from_lanes([0xFFu8; 16])));
    assert_eq!(b, [1; 16]);
}
