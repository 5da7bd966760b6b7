//! ferrax kernels: the only code that computes on the WASM backend.
//!
//! Layout: one module per kernel family, and `abi.rs`, the single `extern "C"`
//! surface (mirrored by `src/backends/wasm/abi.ts`). All kernels take element
//! strides (possibly 0 for broadcast axes) so eager views need no copies, and
//! write contiguous row-major outputs unless stated otherwise.
//!
//! Every SIMD path has a scalar twin in the same module; `cargo test` (native)
//! checks them against each other through `simd`'s portable twin of simd128.

pub mod abi;
pub mod alloc;
pub mod binary;
pub mod cast;
#[cfg(feature = "chain-floor")]
pub mod chain_floor;
pub mod conv;
pub mod copy;
pub mod cumulative;
pub mod dtype;
pub mod fused;
pub mod fused_io;
pub mod fused_ops;
pub mod gather;
pub mod linalg;
pub mod linalg_factor;
pub mod linalg_jacobi;
pub mod math;
pub mod math_special;
pub mod matmul;
pub mod parallel;
pub mod program;
pub mod real;
pub mod reduce;
pub mod reduce_window;
pub mod scalar;
pub mod select;
pub mod simd;
pub mod sort;
pub mod split;
pub mod strided;
pub mod unary;
pub mod window;
pub mod words;

#[cfg(test)]
mod tests;
