//! The C ABI: every export of the module, and nothing else. Mirrored by
//! `src/backends/wasm/abi.ts`; bump `ABI_VERSION` on any change.
//!
//! Conventions: pointers are byte addresses in linear memory (already offset to
//! the first element of a view). `ndim` axes of `shape` (u32 each) with strides
//! (i32 each, in elements, possibly 0). Outputs are contiguous row-major unless a
//! stride array is given for them. dtype codes: f32 0, f64 1, i32 2, u32 3,
//! bool 4. Kernels return a status: 0 ok, 1 unsupported dtype/op pair, 2 bad code.
use crate::binary::{binary_dyn, BinaryOp};
use crate::dtype::DType;
use crate::linalg::{linalg_dyn, LinalgOp};
use crate::matmul::Strides3;
use crate::reduce::{argreduce_dyn, ReduceOp};
use crate::select::{select_dyn, Pred};
use crate::unary::{integer_pow_dyn, unary_dyn, UnaryOp};
use crate::conv::{conv_dyn, ConvDesc};
use crate::cumulative::{cumulative_dyn, CumulativeOp};
use crate::reduce_window::{parse as parse_window, reduce_window_dyn};
use crate::sort::{sort_dyn, SortOperand};
use crate::split::each_block;
use crate::{alloc, cast, copy, gather, parallel, program, split};
use crate::words::Words;
use std::slice;

pub const ABI_VERSION: u32 = 11;

pub const OK: i32 = 0;
pub const UNSUPPORTED: i32 = 1;
pub const BAD_CODE: i32 = 2;

unsafe fn dims(ndim: u32, shape: *const u32) -> Words<usize> {
    Words::from_fn(ndim as usize, |i| *shape.add(i) as usize)
}
unsafe fn strides(ndim: u32, s: *const i32) -> Words<isize> {
    Words::from_fn(ndim as usize, |i| *s.add(i) as isize)
}
fn status(ok: bool) -> i32 {
    if ok { OK } else { UNSUPPORTED }
}
macro_rules! code {
    ($e:expr) => {
        match $e {
            Some(v) => v,
            None => return BAD_CODE,
        }
    };
}

#[no_mangle]
pub extern "C" fn fx_abi_version() -> u32 {
    ABI_VERSION
}

/// A 16-byte-aligned block of at least `bytes` bytes; 0 (null) if memory is exhausted.
#[no_mangle]
pub unsafe extern "C" fn fx_alloc(bytes: u32) -> *mut u8 {
    alloc::allocate(bytes as usize)
}

/// Frees a block; `bytes` must be the size passed to `fx_alloc`.
#[no_mangle]
pub unsafe extern "C" fn fx_free(ptr: *mut u8, bytes: u32) {
    alloc::free(ptr, bytes as usize)
}

/// out = op(x), elementwise; `op` is a `UnaryOp` code.
#[no_mangle]
pub unsafe extern "C" fn fx_unary(op: u32, dtype: u32, ndim: u32, shape: *const u32, x: *const u8, xs: *const i32, out: *mut u8) -> i32 {
    let (op, dt) = (code!(UnaryOp::from_code(op)), code!(DType::from_code(dtype)));
    let (d, s, es) = (dims(ndim, shape), strides(ndim, xs), dt.size() as isize);
    status(each_block(&d, 1, |b| unary_dyn(op, dt, &b.dims, x.offset(b.offset(&s) * es), &s[b.axis..], out.offset(b.flat as isize * es))))
}

/// out = x ** y for an integer y (y < 0 only for floats).
#[no_mangle]
pub unsafe extern "C" fn fx_integer_pow(dtype: u32, y: i32, ndim: u32, shape: *const u32, x: *const u8, xs: *const i32, out: *mut u8) -> i32 {
    let dt = code!(DType::from_code(dtype));
    let (d, s, es) = (dims(ndim, shape), strides(ndim, xs), dt.size() as isize);
    status(each_block(&d, 1, |b| integer_pow_dyn(dt, &b.dims, x.offset(b.offset(&s) * es), &s[b.axis..], out.offset(b.flat as isize * es), y)))
}

/// out = op(a, b), elementwise; comparisons (codes 7-12) write bool.
#[no_mangle]
pub unsafe extern "C" fn fx_binary(op: u32, dtype: u32, ndim: u32, shape: *const u32, a: *const u8, sa: *const i32, b: *const u8, sb: *const i32, out: *mut u8) -> i32 {
    let (op, dt) = (code!(BinaryOp::from_code(op)), code!(DType::from_code(dtype)));
    let (d, sa, sb, es) = (dims(ndim, shape), strides(ndim, sa), strides(ndim, sb), dt.size() as isize);
    let oes = if op as u32 >= BinaryOp::Eq as u32 { 1 } else { es };
    status(each_block(&d, 1, |k| {
        let (ao, bo) = (a.offset(k.offset(&sa) * es), b.offset(k.offset(&sb) * es));
        binary_dyn(op, dt, &k.dims, ao, &sa[k.axis..], bo, &sb[k.axis..], out.offset(k.flat as isize * oes))
    }))
}

/// select_n: `pred_dtype` is bool or int32; `cases` points at `ncases` u32
/// addresses, `case_strides` at `ncases * ndim` i32 strides (case-major).
#[no_mangle]
pub unsafe extern "C" fn fx_select(
    dtype: u32, pred_dtype: u32, ncases: u32, ndim: u32, shape: *const u32,
    pred: *const u8, pred_strides: *const i32, cases: *const u32, case_strides: *const i32, out: *mut u8,
) -> i32 {
    let dt = code!(DType::from_code(dtype));
    let pdt = code!(DType::from_code(pred_dtype));
    if !matches!(pdt, DType::Bool | DType::I32) {
        return UNSUPPORTED;
    }
    let nc = ncases as usize;
    let ptrs: Vec<*const u8> = (0..nc).map(|k| *cases.add(k) as usize as *const u8).collect();
    let cs: Vec<Words<isize>> = (0..nc).map(|k| strides(ndim, case_strides.add(k * ndim as usize))).collect();
    let (d, ps, es) = (dims(ndim, shape), strides(ndim, pred_strides), dt.size() as isize);
    status(each_block(&d, 1, |b| {
        let po = pred.offset(b.offset(&ps) * pdt.size() as isize);
        let p = if matches!(pdt, DType::Bool) { Pred::Bool(po) } else { Pred::I32(po as *const i32) };
        let sub: Vec<*const u8> = ptrs.iter().zip(&cs).map(|(&c, s)| c.offset(b.offset(s) * es)).collect();
        let csr: Vec<&[isize]> = cs.iter().map(|v| &v[b.axis..]).collect();
        select_dyn(dt, &b.dims, p, &ps[b.axis..], &sub, &csr, out.offset(b.flat as isize * es))
    }))
}

/// convert_element_type from `src` to `dst` dtype (all pairs).
#[no_mangle]
pub unsafe extern "C" fn fx_cast(src: u32, dst: u32, ndim: u32, shape: *const u32, x: *const u8, xs: *const i32, out: *mut u8) -> i32 {
    let (s, d) = (code!(DType::from_code(src)), code!(DType::from_code(dst)));
    let (sh, st) = (dims(ndim, shape), strides(ndim, xs));
    each_block(&sh, 1, |b| {
        cast::cast_dyn(s, d, &b.dims, x.offset(b.offset(&st) * s.size() as isize), &st[b.axis..], out.offset((b.flat * d.size()) as isize));
        true
    });
    OK
}

/// Strided copy of `elem_bytes`-sized elements (1, 4 or 8) into a strided destination.
#[no_mangle]
pub unsafe extern "C" fn fx_copy(elem_bytes: u32, ndim: u32, shape: *const u32, src: *const u8, ss: *const i32, dst: *mut u8, ds: *const i32) -> i32 {
    status(copy::copy_dyn(elem_bytes as usize, &dims(ndim, shape), src, &strides(ndim, ss), dst, &strides(ndim, ds)))
}

/// Reduction `op` (`ReduceOp` code) over the last `ndim - nkeep` axes of `shape`
/// (the caller puts reduced axes last); out has the first `nkeep` axes.
#[no_mangle]
pub unsafe extern "C" fn fx_reduce(op: u32, dtype: u32, nkeep: u32, ndim: u32, shape: *const u32, xs: *const i32, x: *const u8, out: *mut u8) -> i32 {
    let (op, dt) = (code!(ReduceOp::from_code(op)), code!(DType::from_code(dtype)));
    if nkeep > ndim {
        return BAD_CODE;
    }
    split::reduce(op, dt, nkeep as usize, &dims(ndim, shape), &strides(ndim, xs), x, out);
    OK
}

/// argmax (op 0) / argmin (op 1) over the last axis; `ndim = nkeep + 1`; int32 out.
#[no_mangle]
pub unsafe extern "C" fn fx_argreduce(op: u32, dtype: u32, nkeep: u32, shape: *const u32, xs: *const i32, x: *const u8, out: *mut i32) -> i32 {
    let dt = code!(DType::from_code(dtype));
    if op > 1 {
        return BAD_CODE;
    }
    argreduce_dyn(op == 0, dt, nkeep as usize, &dims(nkeep + 1, shape), &strides(nkeep + 1, xs), x, out);
    OK
}

/// out[batch, m, n] = a[batch, m, k] @ b[batch, k, n], strides in elements.
#[no_mangle]
pub unsafe extern "C" fn fx_matmul(
    dtype: u32, batch: u32, m: u32, n: u32, k: u32,
    a: *const u8, a_sb: i32, a_sm: i32, a_sk: i32,
    b: *const u8, b_sb: i32, b_sk: i32, b_sn: i32, out: *mut u8,
) -> i32 {
    let dt = code!(DType::from_code(dtype));
    let sa = Strides3 { batch: a_sb as isize, row: a_sm as isize, col: a_sk as isize };
    let sb = Strides3 { batch: b_sb as isize, row: b_sk as isize, col: b_sn as isize };
    status(split::matmul(dt, batch as usize, m as usize, n as usize, k as usize, a, sa, b, sb, out))
}

/// conv_general_dilated: `desc` is a descriptor of `desc_len` words (see `conv.rs`).
#[no_mangle]
pub unsafe extern "C" fn fx_conv(dtype: u32, desc_len: u32, desc: *const u32, lhs: *const u8, rhs: *const u8, out: *mut u8) -> i32 {
    let dt = code!(DType::from_code(dtype));
    let d = code!(ConvDesc::parse(slice::from_raw_parts(desc, desc_len as usize)));
    status(conv_dyn(dt, &d, lhs, rhs, out))
}

/// reduce_window with `op` a `ReduceOp` code (sum, max, min); `desc` as in `window.rs`.
#[no_mangle]
pub unsafe extern "C" fn fx_reduce_window(op: u32, dtype: u32, desc_len: u32, desc: *const u32, x: *const u8, out: *mut u8) -> i32 {
    let (op, dt) = (code!(ReduceOp::from_code(op)), code!(DType::from_code(dtype)));
    let axes = code!(parse_window(slice::from_raw_parts(desc, desc_len as usize)));
    status(reduce_window_dyn(op, dt, &axes, x, out))
}

/// cumsum/cumprod/cummax/cummin (`op` a `CumulativeOp` code) along `axis`, from the
/// end when `reverse` != 0; x strided, out contiguous in x's shape.
#[no_mangle]
pub unsafe extern "C" fn fx_cumulative(op: u32, dtype: u32, reverse: u32, ndim: u32, shape: *const u32, xs: *const i32, axis: u32, x: *const u8, out: *mut u8) -> i32 {
    let (op, dt) = (code!(CumulativeOp::from_code(op)), code!(DType::from_code(dtype)));
    status(cumulative_dyn(op, dt, &dims(ndim, shape), &strides(ndim, xs), axis as usize, reverse != 0, x, out))
}

/// sort along `axis` of `nops` operands of one shape, lexicographically by the first
/// `num_keys` (NaN last, stable): `dtypes[nops]`, `strides[nops * ndim]` (operand-major),
/// `xs[nops]` and `outs[nops]` addresses; outputs contiguous in the shape.
#[no_mangle]
pub unsafe extern "C" fn fx_sort(
    ndim: u32, shape: *const u32, axis: u32, nops: u32, num_keys: u32,
    dtypes: *const u32, strides_: *const i32, xs: *const *const u8, outs: *const *mut u8,
) -> i32 {
    let (nd, n) = (ndim as usize, nops as usize);
    let mut ops = Vec::with_capacity(n);
    for i in 0..n {
        ops.push(SortOperand {
            dt: code!(DType::from_code(*dtypes.add(i))),
            x: *xs.add(i),
            strides: strides(ndim, strides_.add(i * nd)).to_vec(),
            out: *outs.add(i),
        });
    }
    status(sort_dyn(&dims(ndim, shape), axis as usize, num_keys as usize, &ops))
}

/// iota over a shape viewed as [outer, n, inner]: out[o, i, j] = i.
#[no_mangle]
pub unsafe extern "C" fn fx_iota(dtype: u32, outer: u32, n: u32, inner: u32, out: *mut u8) -> i32 {
    let dt = code!(DType::from_code(dtype));
    copy::iota_dyn(dt, outer as usize, n as usize, inner as usize, out);
    OK
}

/// gather: `geometry` is `nwords` u32 words (see `gather.rs`); `fill_lo`/`fill_hi` are the
/// fill value's little-endian bytes (used by mode fill).
#[no_mangle]
pub unsafe extern "C" fn fx_gather(
    elem_bytes: u32, geometry: *const u32, nwords: u32, operand: *const u8, indices: *const u8, out: *mut u8, fill_lo: u32, fill_hi: u32,
) -> i32 {
    let g = match gather::Geometry::parse(slice::from_raw_parts(geometry, nwords as usize)) {
        Ok(g) => g,
        Err(s) => return s,
    };
    status(gather::gather(&g, elem_bytes as usize, operand, indices, out, (fill_hi as u64) << 32 | fill_lo as u64))
}

/// scatter family (`op`: a `gather::Combine` code), in place: `out` holds the operand
/// (contiguous, as the geometry's operand strides say) and receives the result.
#[no_mangle]
pub unsafe extern "C" fn fx_scatter(op: u32, dtype: u32, geometry: *const u32, nwords: u32, out: *mut u8, indices: *const u8, updates: *const u8) -> i32 {
    let (op, dt) = (code!(gather::Combine::from_code(op)), code!(DType::from_code(dtype)));
    let g = match gather::Geometry::parse(slice::from_raw_parts(geometry, nwords as usize)) {
        Ok(g) => g,
        Err(s) => return s,
    };
    status(gather::scatter(&g, op, dt, out, indices, updates))
}

/// Linear algebra on `batch` contiguous matrices (see `linalg.rs`): op cholesky 0,
/// triangular_solve 1, lu 2, qr 3, eigh 4, svd 5; `flags` from `linalg.rs`. x0 is
/// [batch, m, n] (triangular_solve: x0 = a, x1 = b [batch, m, n]); outputs y0..y2
/// as the primitive's outputs (unused ones ignored). f32/f64 only.
#[no_mangle]
pub unsafe extern "C" fn fx_linalg(
    op: u32, flags: u32, dtype: u32, batch: u32, m: u32, n: u32,
    x0: *const u8, x1: *const u8, y0: *mut u8, y1: *mut u8, y2: *mut u8,
) -> i32 {
    let (op, dt) = (code!(LinalgOp::from_code(op)), code!(DType::from_code(dtype)));
    status(linalg_dyn(op, flags, dt, batch as usize, m as usize, n as usize, x0, x1, y0, y1, y2))
}

/// Runs a compiled program (see `program.rs` for the format) with the slot table
/// `slots` (machine words: error index, arena, constant pool, inputs, outputs).
/// Output slots left 0 are allocated and written back. Returns a status; 3 when an
/// output block cannot be allocated. On failure, `slots[0]` holds the index of
/// the failing instruction.
#[no_mangle]
pub unsafe extern "C" fn fx_program_run(prog: *const u32, slots: *mut usize) -> i32 {
    program::run::<true>(prog, slots)
}

/// Threads that run kernel chunks (1 in the single-threaded build).
#[no_mangle]
pub extern "C" fn fx_threads() -> u32 {
    parallel::threads() as u32
}

/// A worker thread's entry (threads build): parks until the main thread publishes
/// work, runs chunks as thread `tid` (1..MAX_THREADS), never returns. The caller has
/// set this instance's `__stack_pointer` to a stack of its own.
#[cfg(all(feature = "threads", target_arch = "wasm32"))]
#[no_mangle]
pub unsafe extern "C" fn fx_worker_loop(tid: u32) {
    if tid == 0 || tid as usize >= parallel::MAX_THREADS {
        return;
    }
    parallel::pool::worker_loop(tid as usize)
}
