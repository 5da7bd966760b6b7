//! Scalar helpers with simd128's exact semantics, shared by the scalar kernel
//! paths and the portable SIMD twin, so a value never depends on which path ran.

/// wasm `fmin`: NaN if either is NaN; of two zeros, -0 wins.
#[inline(always)]
pub fn min_f32(a: f32, b: f32) -> f32 {
    if a != a || b != b {
        f32::NAN
    } else if a == b {
        f32::from_bits(a.to_bits() | b.to_bits())
    } else if a < b {
        a
    } else {
        b
    }
}

/// wasm `fmax`: NaN if either is NaN; of two zeros, +0 wins.
#[inline(always)]
pub fn max_f32(a: f32, b: f32) -> f32 {
    if a != a || b != b {
        f32::NAN
    } else if a == b {
        f32::from_bits(a.to_bits() & b.to_bits())
    } else if a > b {
        a
    } else {
        b
    }
}

#[inline(always)]
pub fn min_f64(a: f64, b: f64) -> f64 {
    if a != a || b != b {
        f64::NAN
    } else if a == b {
        f64::from_bits(a.to_bits() | b.to_bits())
    } else if a < b {
        a
    } else {
        b
    }
}

#[inline(always)]
pub fn max_f64(a: f64, b: f64) -> f64 {
    if a != a || b != b {
        f64::NAN
    } else if a == b {
        f64::from_bits(a.to_bits() & b.to_bits())
    } else if a > b {
        a
    } else {
        b
    }
}

/// Round to nearest integer, ties to even (wasm `nearest`); keeps the sign of zero.
#[inline(always)]
pub fn nearest_f32(x: f32) -> f32 {
    const BIG: f32 = 8388608.0; // 2^23: every float this large is an integer
    let a = x.abs();
    if !(a < BIG) {
        return x; // NaN, infinities, integers
    }
    ((a + BIG) - BIG).copysign(x)
}

#[inline(always)]
pub fn nearest_f64(x: f64) -> f64 {
    const BIG: f64 = 4503599627370496.0; // 2^52
    let a = x.abs();
    if !(a < BIG) {
        return x;
    }
    ((a + BIG) - BIG).copysign(x)
}
