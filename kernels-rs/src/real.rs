//! `Real`: the float operations the transcendental algorithms in `math.rs` are
//! written against, implemented for scalars (f32, f64) and vectors (F32x4, F64x2).
//! Each vector method does per lane exactly what the scalar method does, so the
//! SIMD and scalar paths of a function agree bit for bit (NaN payloads aside).
use crate::scalar::*;
use crate::simd::*;

pub trait Real: Copy {
    type Mask: Copy;
    /// A constant, rounded to the lane type.
    fn c(x: f64) -> Self;
    fn add(self, o: Self) -> Self;
    fn sub(self, o: Self) -> Self;
    fn mul(self, o: Self) -> Self;
    fn div(self, o: Self) -> Self;
    fn abs(self) -> Self;
    fn neg(self) -> Self;
    /// NaN-propagating min/max (wasm semantics).
    fn min(self, o: Self) -> Self;
    fn max(self, o: Self) -> Self;
    /// `self` limited to [lo, hi] with `lo < hi` constants; NaN stays NaN. Written
    /// with pmin/pmax, but LLVM turns a pmin/pmax against a constant into
    /// f32x4.min/max (about 7 x64 instructions each in V8): see `abs_min`.
    fn clamp(self, lo: Self, hi: Self) -> Self;
    /// Ties-to-even rounding to an integer.
    fn nearest(self) -> Self;
    fn lt(self, o: Self) -> Self::Mask;
    fn gt(self, o: Self) -> Self::Mask;
    fn eq(self, o: Self) -> Self::Mask;
    fn and(a: Self::Mask, b: Self::Mask) -> Self::Mask;
    /// `m ? a : b`, per lane.
    fn sel(m: Self::Mask, a: Self, b: Self) -> Self;
    /// `self` with its sign bit flipped where `s`'s sign bit is set.
    fn xor_sign(self, s: Self) -> Self;
    /// 2^k for integral `k` within the normal exponent range.
    fn pow2i(k: Self) -> Self;
    /// For a positive normal x: (m, e) with x = m * 2^e, m in [sqrt(1/2), sqrt(2)).
    fn split_log(self) -> (Self, Self);
    /// Whether every lane lies in [lo, hi] (so none is NaN), for constants
    /// 0 <= lo <= hi < inf. Compares bit patterns as integers, which order
    /// non-negative floats by value and put negatives below and NaNs above.
    fn all_in(self, lo: f64, hi: f64) -> bool;
    /// Whether every lane has |x| <= lim (so none is NaN), for a constant 0 <= lim < inf.
    fn all_abs_le(self, lim: f64) -> bool;
    /// |self| limited to `lim` (a constant, 0 <= lim < inf); NaN stays NaN.
    fn abs_min(self, lim: f64) -> Self;
    /// `self * 2^n` by adding n to the exponent field, where `t` = SHIFTER + n holds
    /// n in its low mantissa bits (see `Consts::shifter`). Exact when the result is
    /// normal and `self` is; the caller guarantees that.
    fn scale_shifted(self, t: Self) -> Self;
    /// Lanes where bit `b` of `q`'s bit pattern is set.
    fn bit_set(q: Self, b: u32) -> Self::Mask;
    /// `self` with its sign flipped where bit `b` of `q`'s bit pattern is set.
    fn flip_sign_at_bit(self, q: Self, b: u32) -> Self;
}

impl Real for f32 {
    type Mask = bool;
    #[inline(always)] fn c(x: f64) -> Self { x as f32 }
    #[inline(always)] fn add(self, o: Self) -> Self { self + o }
    #[inline(always)] fn sub(self, o: Self) -> Self { self - o }
    #[inline(always)] fn mul(self, o: Self) -> Self { self * o }
    #[inline(always)] fn div(self, o: Self) -> Self { self / o }
    #[inline(always)] fn abs(self) -> Self { f32::abs(self) }
    #[inline(always)] fn neg(self) -> Self { -self }
    #[inline(always)] fn min(self, o: Self) -> Self { min_f32(self, o) }
    #[inline(always)]
    fn clamp(self, lo: Self, hi: Self) -> Self {
        let x = if self < lo { lo } else { self };
        if hi < x { hi } else { x }
    }
    #[inline(always)] fn max(self, o: Self) -> Self { max_f32(self, o) }
    #[inline(always)] fn nearest(self) -> Self { nearest_f32(self) }
    #[inline(always)] fn lt(self, o: Self) -> bool { self < o }
    #[inline(always)] fn gt(self, o: Self) -> bool { self > o }
    #[inline(always)] fn eq(self, o: Self) -> bool { self == o }
    #[inline(always)] fn and(a: bool, b: bool) -> bool { a & b }
    #[inline(always)] fn sel(m: bool, a: Self, b: Self) -> Self { if m { a } else { b } }
    #[inline(always)]
    fn xor_sign(self, s: Self) -> Self {
        f32::from_bits(self.to_bits() ^ (s.to_bits() & 0x8000_0000))
    }
    #[inline(always)]
    fn pow2i(k: Self) -> Self {
        f32::from_bits(((k as i32).wrapping_add(127) << 23) as u32)
    }
    #[inline(always)]
    fn split_log(self) -> (Self, Self) {
        let u = self.to_bits() as i32;
        let e = u.wrapping_sub(0x3f35_04f3) >> 23; // 0x3f3504f3 = sqrt(1/2)
        (f32::from_bits(u.wrapping_sub(e << 23) as u32), e as f32)
    }
    #[inline(always)]
    fn all_in(self, lo: f64, hi: f64) -> bool {
        let b = self.to_bits() as i32;
        (lo as f32).to_bits() as i32 <= b && b <= (hi as f32).to_bits() as i32
    }
    #[inline(always)]
    fn all_abs_le(self, lim: f64) -> bool {
        self.to_bits() & 0x7fff_ffff <= (lim as f32).to_bits()
    }
    #[inline(always)]
    fn abs_min(self, lim: f64) -> Self {
        let a = self.abs();
        if a > lim as f32 { lim as f32 } else { a }
    }
    #[inline(always)]
    fn scale_shifted(self, t: Self) -> Self {
        f32::from_bits(self.to_bits().wrapping_add(t.to_bits() << 23))
    }
    #[inline(always)]
    fn bit_set(q: Self, b: u32) -> bool {
        (q.to_bits() >> b) & 1 == 1
    }
    #[inline(always)]
    fn flip_sign_at_bit(self, q: Self, b: u32) -> Self {
        f32::from_bits(self.to_bits() ^ ((q.to_bits() >> b) << 31))
    }
}

impl Real for f64 {
    type Mask = bool;
    #[inline(always)] fn c(x: f64) -> Self { x }
    #[inline(always)] fn add(self, o: Self) -> Self { self + o }
    #[inline(always)] fn sub(self, o: Self) -> Self { self - o }
    #[inline(always)] fn mul(self, o: Self) -> Self { self * o }
    #[inline(always)] fn div(self, o: Self) -> Self { self / o }
    #[inline(always)] fn abs(self) -> Self { f64::abs(self) }
    #[inline(always)] fn neg(self) -> Self { -self }
    #[inline(always)] fn min(self, o: Self) -> Self { min_f64(self, o) }
    #[inline(always)]
    fn clamp(self, lo: Self, hi: Self) -> Self {
        let x = if self < lo { lo } else { self };
        if hi < x { hi } else { x }
    }
    #[inline(always)] fn max(self, o: Self) -> Self { max_f64(self, o) }
    #[inline(always)] fn nearest(self) -> Self { nearest_f64(self) }
    #[inline(always)] fn lt(self, o: Self) -> bool { self < o }
    #[inline(always)] fn gt(self, o: Self) -> bool { self > o }
    #[inline(always)] fn eq(self, o: Self) -> bool { self == o }
    #[inline(always)] fn and(a: bool, b: bool) -> bool { a & b }
    #[inline(always)] fn sel(m: bool, a: Self, b: Self) -> Self { if m { a } else { b } }
    #[inline(always)]
    fn xor_sign(self, s: Self) -> Self {
        f64::from_bits(self.to_bits() ^ (s.to_bits() & 0x8000_0000_0000_0000))
    }
    #[inline(always)]
    fn pow2i(k: Self) -> Self {
        f64::from_bits(((k as i64).wrapping_add(1023) << 52) as u64)
    }
    #[inline(always)]
    fn split_log(self) -> (Self, Self) {
        let u = self.to_bits() as i64;
        let e = u.wrapping_sub(0x3fe6_a09e_667f_3bcd) >> 52; // sqrt(1/2)
        (f64::from_bits(u.wrapping_sub(e << 52) as u64), e as f64)
    }
    #[inline(always)]
    fn all_in(self, lo: f64, hi: f64) -> bool {
        let b = self.to_bits() as i64;
        lo.to_bits() as i64 <= b && b <= hi.to_bits() as i64
    }
    #[inline(always)]
    fn all_abs_le(self, lim: f64) -> bool {
        self.to_bits() & 0x7fff_ffff_ffff_ffff <= lim.to_bits()
    }
    #[inline(always)]
    fn abs_min(self, lim: f64) -> Self {
        let a = self.abs();
        if a > lim { lim } else { a }
    }
    #[inline(always)]
    fn scale_shifted(self, t: Self) -> Self {
        f64::from_bits(self.to_bits().wrapping_add(t.to_bits() << 52))
    }
    #[inline(always)]
    fn bit_set(q: Self, b: u32) -> bool {
        (q.to_bits() >> b) & 1 == 1
    }
    #[inline(always)]
    fn flip_sign_at_bit(self, q: Self, b: u32) -> Self {
        f64::from_bits(self.to_bits() ^ ((q.to_bits() >> b) << 63))
    }
}

/// Four f32 lanes.
#[derive(Clone, Copy)]
pub struct F32x4(pub v128);
/// Two f64 lanes.
#[derive(Clone, Copy)]
pub struct F64x2(pub v128);

impl Real for F32x4 {
    type Mask = v128;
    #[inline(always)] fn c(x: f64) -> Self { F32x4(f32x4_splat(x as f32)) }
    #[inline(always)] fn add(self, o: Self) -> Self { F32x4(f32x4_add(self.0, o.0)) }
    #[inline(always)] fn sub(self, o: Self) -> Self { F32x4(f32x4_sub(self.0, o.0)) }
    #[inline(always)] fn mul(self, o: Self) -> Self { F32x4(f32x4_mul(self.0, o.0)) }
    #[inline(always)] fn div(self, o: Self) -> Self { F32x4(f32x4_div(self.0, o.0)) }
    #[inline(always)] fn abs(self) -> Self { F32x4(f32x4_abs(self.0)) }
    #[inline(always)] fn neg(self) -> Self { F32x4(f32x4_neg(self.0)) }
    #[inline(always)] fn min(self, o: Self) -> Self { F32x4(f32x4_min(self.0, o.0)) }
    #[inline(always)] fn clamp(self, lo: Self, hi: Self) -> Self { F32x4(f32x4_pmin(f32x4_pmax(self.0, lo.0), hi.0)) }
    #[inline(always)] fn max(self, o: Self) -> Self { F32x4(f32x4_max(self.0, o.0)) }
    #[inline(always)] fn nearest(self) -> Self { F32x4(f32x4_nearest(self.0)) }
    #[inline(always)] fn lt(self, o: Self) -> v128 { f32x4_lt(self.0, o.0) }
    #[inline(always)] fn gt(self, o: Self) -> v128 { f32x4_gt(self.0, o.0) }
    #[inline(always)] fn eq(self, o: Self) -> v128 { f32x4_eq(self.0, o.0) }
    #[inline(always)] fn and(a: v128, b: v128) -> v128 { v128_and(a, b) }
    #[inline(always)] fn sel(m: v128, a: Self, b: Self) -> Self { F32x4(v128_bitselect(a.0, b.0, m)) }
    #[inline(always)]
    fn xor_sign(self, s: Self) -> Self {
        F32x4(v128_xor(self.0, v128_and(s.0, u32x4_splat(0x8000_0000))))
    }
    #[inline(always)]
    fn pow2i(k: Self) -> Self {
        // k + 1.5*2^23 holds k in its low mantissa bits (cheaper than trunc_sat on x86).
        let m = f32x4_splat(MAGIC32);
        let e = i32x4_add(i32x4_sub(f32x4_add(k.0, m), m), i32x4_splat(127));
        F32x4(i32x4_shl(e, 23))
    }
    #[inline(always)]
    fn split_log(self) -> (Self, Self) {
        let e = i32x4_shr(i32x4_sub(self.0, i32x4_splat(0x3f35_04f3)), 23);
        let m = i32x4_sub(self.0, i32x4_shl(e, 23));
        (F32x4(m), F32x4(f32x4_convert_i32x4(e)))
    }
    // Range tests by the sign of a bit-pattern difference (b - lo < 0 iff b < lo,
    // no overflow for these operands): fewer x64 instructions than compares. The
    // signs are read with bitmask (V8: movmskps, test, branch), not any_true of
    // the masked signs (pand, ptest, setnz, test, branch).
    #[inline(always)]
    fn all_in(self, lo: f64, hi: f64) -> bool {
        let below = i32x4_sub(self.0, i32x4_splat((lo as f32).to_bits() as i32));
        let above = i32x4_sub(i32x4_splat((hi as f32).to_bits() as i32), self.0);
        i32x4_bitmask(v128_or(below, above)) == 0
    }
    #[inline(always)]
    fn all_abs_le(self, lim: f64) -> bool {
        let a = v128_and(self.0, u32x4_splat(0x7fff_ffff));
        i32x4_bitmask(i32x4_sub(i32x4_splat((lim as f32).to_bits() as i32), a)) == 0
    }
    // On bit patterns: after adding 2^23 - 1, |x| <= inf stays positive and NaNs
    // wrap negative, so a signed min limits everything but NaN (4 x64 instructions
    // after LLVM and V8, against about 8 for a float clamp).
    #[inline(always)]
    fn abs_min(self, lim: f64) -> Self {
        const OFF: i32 = 0x007f_ffff;
        let a = i32x4_add(v128_and(self.0, u32x4_splat(0x7fff_ffff)), i32x4_splat(OFF));
        let m = i32x4_min(a, i32x4_splat((lim as f32).to_bits() as i32 + OFF));
        F32x4(i32x4_sub(m, i32x4_splat(OFF)))
    }
    #[inline(always)]
    fn scale_shifted(self, t: Self) -> Self {
        F32x4(i32x4_add(self.0, i32x4_shl(t.0, 23)))
    }
    #[inline(always)]
    fn bit_set(q: Self, b: u32) -> v128 {
        i32x4_shr(i32x4_shl(q.0, 31 - b), 31)
    }
    #[inline(always)]
    fn flip_sign_at_bit(self, q: Self, b: u32) -> Self {
        F32x4(v128_xor(self.0, v128_and(i32x4_shl(q.0, 31 - b), u32x4_splat(0x8000_0000))))
    }
}

/// 1.5 * 2^52: adding it to a small integral f64 puts the integer in the low bits.
const MAGIC: f64 = 6755399441055744.0;
/// 1.5 * 2^23, the same for f32.
const MAGIC32: f32 = 12582912.0;

impl Real for F64x2 {
    type Mask = v128;
    #[inline(always)] fn c(x: f64) -> Self { F64x2(f64x2_splat(x)) }
    #[inline(always)] fn add(self, o: Self) -> Self { F64x2(f64x2_add(self.0, o.0)) }
    #[inline(always)] fn sub(self, o: Self) -> Self { F64x2(f64x2_sub(self.0, o.0)) }
    #[inline(always)] fn mul(self, o: Self) -> Self { F64x2(f64x2_mul(self.0, o.0)) }
    #[inline(always)] fn div(self, o: Self) -> Self { F64x2(f64x2_div(self.0, o.0)) }
    #[inline(always)] fn abs(self) -> Self { F64x2(f64x2_abs(self.0)) }
    #[inline(always)] fn neg(self) -> Self { F64x2(f64x2_neg(self.0)) }
    #[inline(always)] fn min(self, o: Self) -> Self { F64x2(f64x2_min(self.0, o.0)) }
    #[inline(always)] fn clamp(self, lo: Self, hi: Self) -> Self { F64x2(f64x2_pmin(f64x2_pmax(self.0, lo.0), hi.0)) }
    #[inline(always)] fn max(self, o: Self) -> Self { F64x2(f64x2_max(self.0, o.0)) }
    #[inline(always)] fn nearest(self) -> Self { F64x2(f64x2_nearest(self.0)) }
    #[inline(always)] fn lt(self, o: Self) -> v128 { f64x2_lt(self.0, o.0) }
    #[inline(always)] fn gt(self, o: Self) -> v128 { f64x2_gt(self.0, o.0) }
    #[inline(always)] fn eq(self, o: Self) -> v128 { f64x2_eq(self.0, o.0) }
    #[inline(always)] fn and(a: v128, b: v128) -> v128 { v128_and(a, b) }
    #[inline(always)] fn sel(m: v128, a: Self, b: Self) -> Self { F64x2(v128_bitselect(a.0, b.0, m)) }
    #[inline(always)]
    fn xor_sign(self, s: Self) -> Self {
        F64x2(v128_xor(self.0, v128_and(s.0, i64x2_splat(i64::MIN))))
    }
    #[inline(always)]
    fn pow2i(k: Self) -> Self {
        // No f64 -> i64 lane conversion in simd128: go through MAGIC's bits.
        let m = f64x2_splat(MAGIC);
        let i = i64x2_sub(f64x2_add(k.0, m), m);
        F64x2(i64x2_shl(i64x2_add(i, i64x2_splat(1023)), 52))
    }
    #[inline(always)]
    fn split_log(self) -> (Self, Self) {
        let e = i64x2_shr(i64x2_sub(self.0, i64x2_splat(0x3fe6_a09e_667f_3bcd)), 52);
        let m = i64x2_sub(self.0, i64x2_shl(e, 52));
        // i64 -> f64 through MAGIC: valid for |e| < 2^51.
        let m_bits = f64x2_splat(MAGIC);
        let ef = f64x2_sub(i64x2_add(e, m_bits), m_bits);
        (F64x2(m), F64x2(ef))
    }
    #[inline(always)]
    fn all_in(self, lo: f64, hi: f64) -> bool {
        let below = i64x2_sub(self.0, i64x2_splat(lo.to_bits() as i64));
        let above = i64x2_sub(i64x2_splat(hi.to_bits() as i64), self.0);
        i64x2_bitmask(v128_or(below, above)) == 0
    }
    #[inline(always)]
    fn all_abs_le(self, lim: f64) -> bool {
        let a = v128_and(self.0, i64x2_splat(i64::MAX));
        i64x2_bitmask(i64x2_sub(i64x2_splat(lim.to_bits() as i64), a)) == 0
    }
    #[inline(always)]
    fn abs_min(self, lim: f64) -> Self {
        let a = f64x2_abs(self.0);
        F64x2(v128_bitselect(f64x2_splat(lim), a, f64x2_gt(a, f64x2_splat(lim))))
    }
    #[inline(always)]
    fn scale_shifted(self, t: Self) -> Self {
        F64x2(i64x2_add(self.0, i64x2_shl(t.0, 52)))
    }
    #[inline(always)]
    fn bit_set(q: Self, b: u32) -> v128 {
        i64x2_shr(i64x2_shl(q.0, 63 - b), 63)
    }
    #[inline(always)]
    fn flip_sign_at_bit(self, q: Self, b: u32) -> Self {
        F64x2(v128_xor(self.0, v128_and(i64x2_shl(q.0, 63 - b), i64x2_splat(i64::MIN))))
    }
}
