//! On wasm32 the kernels' SIMD vocabulary is `core::arch::wasm32` itself.
pub use core::arch::wasm32::*;
