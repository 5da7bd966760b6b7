//! SIMD over wasm simd128, with an honest portable twin.
//!
//! Kernels call simd128 intrinsics by their `core::arch::wasm32` names, imported
//! from this module:
//!
//! - on wasm32 (`wasm.rs`) the names *are* the intrinsics, re-exported unchanged;
//! - on every other target (`portable.rs`) the same names, with the same
//!   signatures, are implemented over a 16-byte little-endian lane array and
//!   compute per lane exactly what the wasm instruction specifies: NaN-propagating
//!   `min`/`max` with -0 < +0, ties-to-even `nearest`, saturating float->int
//!   truncation with NaN -> 0, round-to-nearest conversions, wrapping integer
//!   arithmetic, shift counts taken modulo the lane width, saturating narrows.
//!
//! So native `cargo test` runs the very kernel code that ships in the .wasm; only
//! the leaf instructions differ, and those are specified lane by lane. The one
//! documented freedom: wasm may return any NaN bit pattern for a NaN result, so
//! tests compare NaN-ness, never NaN payloads. Only the intrinsics the kernels use
//! are twinned; a kernel using a new one fails to compile natively until the twin
//! is written.

#[cfg(target_arch = "wasm32")]
mod wasm;
#[cfg(target_arch = "wasm32")]
pub use wasm::*;

#[cfg(not(target_arch = "wasm32"))]
mod portable;
#[cfg(not(target_arch = "wasm32"))]
pub use portable::*;

/// The lanes of `v` as an array of `N` values of `T` (`N * size_of::<T>() == 16`).
#[inline(always)]
pub fn lanes<T: Copy + Default, const N: usize>(v: v128) -> [T; N] {
    debug_assert_eq!(N * core::mem::size_of::<T>(), 16);
    let mut out = [T::default(); N];
    unsafe { v128_store(out.as_mut_ptr() as *mut v128, v) };
    out
}

/// The vector whose lanes are `a` (`N * size_of::<T>() == 16`).
#[inline(always)]
pub fn from_lanes<T: Copy, const N: usize>(a: [T; N]) -> v128 {
    debug_assert_eq!(N * core::mem::size_of::<T>(), 16);
    unsafe { v128_load(a.as_ptr() as *const v128) }
}
