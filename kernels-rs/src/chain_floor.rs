//! A benchmark's yardstick, not a kernel: built only with the `chain-floor` feature
//! (bench/chain-floor.mjs), never in the shipped modules.
//!
//! `sum(tanh(x*2+1) * exp(-x))` over f32 as one hand-fused loop: every element is
//! loaded once, the whole expression stays in registers, and tanh and exp are the
//! library's own (`math::tanh_f32x4`, `math::exp_f32x4`, what both the eager kernels
//! and the fused VM run). No program for this chain that keeps those functions can
//! do less work per element, so its time on one thread, divided by the thread count,
//! bounds from below what `jit` of the chain can reach.
use crate::math::{exp_f32, exp_f32x4, tanh_f32, tanh_f32x4};
use crate::simd::*;

#[inline(always)]
unsafe fn term(v: v128) -> v128 {
    let y = f32x4_add(f32x4_mul(v, f32x4_splat(2.0)), f32x4_splat(1.0));
    f32x4_mul(tanh_f32x4(y), exp_f32x4(f32x4_neg(v)))
}

/// The chain over `x[0..n]`, summed in two 4-lane accumulators, then the tail.
#[no_mangle]
pub unsafe extern "C" fn fx_chain_floor(x: *const f32, n: usize) -> f32 {
    let (mut a, mut b) = (f32x4_splat(0.0), f32x4_splat(0.0));
    let mut i = 0;
    while i + 8 <= n {
        a = f32x4_add(a, term(v128_load(x.add(i) as *const v128)));
        b = f32x4_add(b, term(v128_load(x.add(i + 4) as *const v128)));
        i += 8;
    }
    let s: [f32; 4] = lanes(f32x4_add(a, b));
    let mut sum = (s[0] + s[1]) + (s[2] + s[3]);
    while i < n {
        let v = *x.add(i);
        sum += tanh_f32(v * 2.0 + 1.0) * exp_f32(-v);
        i += 1;
    }
    sum
}
