//! Native tests: every SIMD path against its scalar twin (through the portable
//! simd128 twin, see `simd/mod.rs`), plus value tests with hand-computed results.
mod conv;
mod cumulative;
mod elementwise;
mod fused;
mod linalg;
mod math;
mod math_special;
mod matmul;
mod minimax;
mod misc;
mod reduce;
mod simd;
mod sort;
mod split;

/// A small deterministic generator (xorshift64*), so failures reproduce.
pub struct Rng(u64);
impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub fn next_u32(&mut self) -> u32 {
        (self.next_u64() >> 32) as u32
    }
    /// Uniform in [lo, hi).
    pub fn uniform(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * ((self.next_u64() >> 11) as f64 / (1u64 << 53) as f64)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
}

/// Interesting f64 values: zeros, infinities, NaN, extremes, subnormals, ±1.
pub fn specials_f64() -> Vec<f64> {
    vec![
        0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 2.0, f64::INFINITY, f64::NEG_INFINITY, f64::NAN,
        f64::MAX, f64::MIN, f64::MIN_POSITIVE, -f64::MIN_POSITIVE, 5e-324, -5e-324,
        1e-300, 700.0, -700.0, 710.0, -746.0, 1e6, -1e6, 1e7, 3.141592653589793, 1e-8, 20.0, -20.0,
    ]
}

pub fn specials_f32() -> Vec<f32> {
    let mut v: Vec<f32> = specials_f64().iter().map(|&x| x as f32).collect();
    v.extend([f32::MAX, f32::MIN, f32::MIN_POSITIVE, 1e-45, -1e-45, 88.7, -103.9, 9.5, -87.0]);
    v
}

/// Random f64s spanning many magnitudes and both signs, plus the specials.
pub fn mixed_f64(rng: &mut Rng, n: usize, scale: f64) -> Vec<f64> {
    let mut v = specials_f64();
    while v.len() < n {
        let m = rng.uniform(-1.0, 1.0) * scale;
        v.push(if rng.below(4) == 0 { m * 1e-3 } else { m });
    }
    v
}
pub fn mixed_f32(rng: &mut Rng, n: usize, scale: f64) -> Vec<f32> {
    let mut v = specials_f32();
    while v.len() < n {
        v.push((rng.uniform(-1.0, 1.0) * scale) as f32);
    }
    v
}

/// Distance in units in the last place (0 for equal, or both NaN).
pub fn ulps_f64(a: f64, b: f64) -> u64 {
    if a.is_nan() && b.is_nan() || a == b {
        return 0;
    }
    if a.is_nan() || b.is_nan() {
        return u64::MAX;
    }
    let key = |x: f64| {
        let i = x.to_bits() as i64;
        if i < 0 { i64::MIN - i } else { i }
    };
    (key(a) as i128 - key(b) as i128).unsigned_abs() as u64
}
pub fn ulps_f32(a: f32, b: f32) -> u64 {
    if a.is_nan() && b.is_nan() || a == b {
        return 0;
    }
    if a.is_nan() || b.is_nan() {
        return u64::MAX;
    }
    let key = |x: f32| {
        let i = x.to_bits() as i32;
        if i < 0 { i32::MIN - i } else { i }
    };
    (key(a) as i64 - key(b) as i64).unsigned_abs()
}

/// Bitwise equality, except that any NaN equals any NaN.
pub fn same_f64(a: f64, b: f64) -> bool {
    (a.is_nan() && b.is_nan()) || a.to_bits() == b.to_bits()
}
pub fn same_f32(a: f32, b: f32) -> bool {
    (a.is_nan() && b.is_nan()) || a.to_bits() == b.to_bits()
}

/// Strides of a row-major layout of the axes taken in a random order (a transposed view).
pub fn permuted_strides(rng: &mut Rng, shape: &[usize]) -> Vec<isize> {
    let nd = shape.len();
    let mut perm: Vec<usize> = (0..nd).collect();
    for i in (1..nd).rev() {
        perm.swap(i, rng.below(i + 1));
    }
    let mut xs = vec![0isize; nd];
    let mut s = 1isize;
    for &d in perm.iter().rev() {
        xs[d] = s;
        s *= shape[d] as isize;
    }
    xs
}
