//! Linear-memory allocation for the TypeScript side.
//!
//! Blocks come from Rust's global allocator (dlmalloc on wasm32-unknown-unknown),
//! so the TS side and kernels' own scratch (e.g. matmul packing) share one heap
//! and can never hand out overlapping memory. dlmalloc reuses freed blocks
//! (binned free lists, coalescing), and grows linear memory with `memory.grow`
//! only when no free block fits; linear memory never shrinks. After any call
//! that may allocate, JS must re-derive its typed-array views, since growth
//! replaces `memory.buffer`.
use std::alloc::{alloc, dealloc, Layout};

/// Every block is 16-byte aligned (one v128), whatever its dtype.
pub const ALIGN: usize = 16;

fn layout(bytes: usize) -> Option<Layout> {
    // Zero-byte requests get a real (16-byte) block, so every pointer is unique.
    let size = bytes.max(1).checked_add(ALIGN - 1)? & !(ALIGN - 1);
    Layout::from_size_align(size, ALIGN).ok()
}

/// A new block of at least `bytes` bytes, or null when memory cannot grow.
pub unsafe fn allocate(bytes: usize) -> *mut u8 {
    match layout(bytes) {
        Some(l) => alloc(l),
        None => core::ptr::null_mut(),
    }
}

/// Frees a block from `allocate`; `bytes` must be the size it was allocated with.
pub unsafe fn free(ptr: *mut u8, bytes: usize) {
    if let Some(l) = layout(bytes) {
        if !ptr.is_null() {
            dealloc(ptr, l);
        }
    }
}
