//! One-call programs: a compiled jaxpr as a u32 instruction stream, run by a single
//! export (`fx_program_run`), so a jit call crosses the JS/WASM boundary once.
//!
//! ## Program (u32 words, written once at compile time)
//! `MAGIC, VERSION, nslots, nout, (slot, bytes) x nout, instructions..., END`.
//! Each instruction is `[opcode, length in words (including these two), payload...]`,
//! so the interpreter steps a word index `pc` and unknown instructions are skipped
//! only by their length. Control flow can be added as instructions that set `pc`
//! (e.g. `JUMP target` and `JUMP_IF slot off target` for loops and branches);
//! nothing else in the format assumes straight-line code.
//!
//! ## Slot table (machine words, written by the caller per call)
//! `slots[0]`: on failure, the index of the failing instruction; `slots[1]`: the
//! arena (intermediates); `slots[2]`: the program's constant pool; then inputs,
//! then output blocks. An operand address is `(slot, byte offset)`, i.e.
//! `slots[slot] + offset`, so programs never hold absolute addresses of per-call
//! memory. Output slots that the caller leaves 0 are allocated here (`alloc.rs`)
//! with the listed byte sizes and written back; nonzero ones (donated inputs) are
//! used as given. On failure the blocks allocated here are freed again.
//!
//! ## Instructions (payload words; `A` = an address, two words `slot off`)
//! - `FUSED` (1): see `fused.rs`.
//! - `MATMUL` (2): `dtype batch m n k A a_sb a_sm a_sk A b_sb b_sk b_sn A(out)`.
//! - `REDUCE` (3): `op dtype nkeep ndim dims[ndim] A(x) strides[ndim] A(out)`.
//! - `ARGREDUCE` (4): `op dtype nkeep dims[nkeep+1] A(x) strides[nkeep+1] A(out)`.
//! - `COPY` (5): `elem_bytes ndim dims[ndim] A(src) ss[ndim] A(dst) ds[ndim]`.
//! - `IOTA` (6): `dtype outer n inner A(out)`.
//! - `DYNAMIC_WINDOW` (7): `update elem_bytes idx_dtype ndim full[ndim] window[ndim]
//!   A(index) x ndim A(x) xs[ndim] A(out) os[ndim]`, then `A(update) us[ndim]` when
//!   `update` is 1 (dynamic_update_slice; 0: dynamic_slice, `out` has the window's shape).
//! - `GATHER` (8): `elem_bytes fill_lo fill_hi A(operand) A(indices) A(out) nwords geometry[nwords]`
//!   (geometry words: see `gather.rs`).
//! - `SCATTER` (9): `combine dtype A(operand) xs[nd] A(indices) A(updates) A(out) nwords geometry[nwords]`:
//!   `out` (contiguous; the geometry's operand strides) gets a copy of the operand
//!   (strides `xs`, `nd` the geometry's rank), then the updates.
//! - `LINALG` (10): `op flags dtype batch m n A(x0) A(x1) A(y0) A(y1) A(y2)` (see
//!   `linalg.rs`; unused operands repeat another address).
//! - `CONV` (11): `dtype len desc[len] A(lhs) A(rhs) A(out)` (descriptor: `conv.rs`).
//! - `REDUCE_WINDOW` (12): `op dtype len desc[len] A(x) A(out)` (descriptor: `reduce_window.rs`).
//! - `CUMULATIVE` (13): `op dtype reverse axis ndim dims[ndim] A(x) strides[ndim] A(out)`
//!   (`op` a `CumulativeOp` code; out contiguous, see `cumulative.rs`).
//! - `SORT` (14): `axis num_keys nops ndim dims[ndim]`, then per operand
//!   `dtype A(x) strides[ndim] A(out)` (outs contiguous, see `sort.rs`).
//! Kernel instructions call the eager kernels (large matmuls and reductions in
//! chunks over the thread pool, through `split.rs`).
use crate::abi::{BAD_CODE, OK, UNSUPPORTED};
use crate::alloc;
use crate::conv::{conv_dyn, ConvDesc};
use crate::copy::{copy_dyn, iota_dyn};
use crate::cumulative::{cumulative_dyn, CumulativeOp};
use crate::dtype::DType;
use crate::fused;
use crate::linalg::{linalg_dyn, LinalgOp};
use crate::matmul::Strides3;
use crate::reduce::{argreduce_dyn, ReduceOp};
use crate::gather::{gather, scatter, Combine, Geometry};
use crate::window::{dynamic_slice, dynamic_update_slice, read_index};
use crate::reduce_window::{parse as parse_window, reduce_window_dyn};
use crate::sort::{sort_dyn, SortOperand};
use crate::split;

pub const MAGIC: u32 = 0x5046_5846; // "FXFP"
pub const VERSION: u32 = 1;
/// Status: an output block could not be allocated.
pub const OUT_OF_MEMORY: i32 = 3;

pub const END: u32 = 0;
pub const FUSED: u32 = 1;
pub const MATMUL: u32 = 2;
pub const REDUCE: u32 = 3;
pub const ARGREDUCE: u32 = 4;
pub const COPY: u32 = 5;
pub const IOTA: u32 = 6;
pub const DYNAMIC_WINDOW: u32 = 7;
pub const GATHER: u32 = 8;
pub const SCATTER: u32 = 9;
pub const LINALG: u32 = 10;
pub const CONV: u32 = 11;
pub const REDUCE_WINDOW: u32 = 12;
pub const CUMULATIVE: u32 = 13;
pub const SORT: u32 = 14;

/// Fixed slots.
pub const SLOT_ERROR: usize = 0;
pub const SLOT_ARENA: usize = 1;
pub const SLOT_POOL: usize = 2;

/// Runs `prog` with the slot table `slots` (see the module docs); returns a status.
pub unsafe fn run<const SIMD: bool>(prog: *const u32, slots: *mut usize) -> i32 {
    if *prog != MAGIC || *prog.add(1) != VERSION {
        return BAD_CODE;
    }
    let nslots = *prog.add(2) as usize;
    let nout = *prog.add(3) as usize;
    let outs = core::slice::from_raw_parts(prog.add(4), 2 * nout);
    // Allocate the output blocks the caller left empty.
    let mut mine: Vec<(usize, usize)> = Vec::new();
    let release = |mine: &[(usize, usize)]| {
        for &(slot, bytes) in mine {
            alloc::free(*slots.add(slot) as *mut u8, bytes);
            *slots.add(slot) = 0;
        }
    };
    for j in 0..nout {
        let (slot, bytes) = (outs[2 * j] as usize, outs[2 * j + 1] as usize);
        if slot >= nslots {
            release(&mine);
            return BAD_CODE;
        }
        if *slots.add(slot) == 0 {
            let p = alloc::allocate(bytes);
            if p.is_null() {
                release(&mine);
                return OUT_OF_MEMORY;
            }
            *slots.add(slot) = p as usize;
            mine.push((slot, bytes));
        }
    }
    let mut pc = 4 + 2 * nout;
    let mut index = 0;
    loop {
        let (op, len) = (*prog.add(pc), *prog.add(pc + 1) as usize);
        if op == END {
            return OK;
        }
        if len < 2 {
            release(&mine);
            return BAD_CODE;
        }
        let w = core::slice::from_raw_parts(prog.add(pc + 2), len - 2);
        let status = instruction::<SIMD>(op, w, slots);
        if status != OK {
            release(&mine);
            *slots.add(SLOT_ERROR) = index;
            return status;
        }
        pc += len;
        index += 1;
    }
}

/// A reader over an instruction's payload.
struct Words<'a> {
    w: &'a [u32],
    i: usize,
    slots: *const usize,
}

impl<'a> Words<'a> {
    fn u(&mut self) -> Result<u32, i32> {
        let v = *self.w.get(self.i).ok_or(BAD_CODE)?;
        self.i += 1;
        Ok(v)
    }
    fn n(&mut self) -> Result<usize, i32> {
        self.u().map(|v| v as usize)
    }
    fn dt(&mut self) -> Result<DType, i32> {
        DType::from_code(self.u()?).ok_or(BAD_CODE)
    }
    fn dims(&mut self, k: usize) -> Result<Vec<usize>, i32> {
        (0..k).map(|_| self.n()).collect()
    }
    fn strides(&mut self, k: usize) -> Result<Vec<isize>, i32> {
        (0..k).map(|_| self.u().map(|v| v as i32 as isize)).collect()
    }
    /// The rest of the payload after a word count: `n words[n]`.
    fn rest(&mut self) -> Result<&'a [u32], i32> {
        let n = self.n()?;
        let out = self.w.get(self.i..self.i + n).ok_or(BAD_CODE)?;
        self.i += n;
        Ok(out)
    }
    unsafe fn addr(&mut self) -> Result<*mut u8, i32> {
        let (slot, off) = (self.n()?, self.n()?);
        Ok((*self.slots.add(slot) + off) as *mut u8)
    }
}

unsafe fn instruction<const SIMD: bool>(op: u32, w: &[u32], slots: *mut usize) -> i32 {
    let mut r = Words { w, i: 0, slots };
    let res: Result<bool, i32> = (|| {
        Ok(match op {
            FUSED => match fused::run::<SIMD>(w, slots) {
                OK => true,
                s => return Err(s),
            },
            MATMUL => {
                let dt = r.dt()?;
                let (batch, m, n, k) = (r.n()?, r.n()?, r.n()?, r.n()?);
                let a = r.addr()?;
                let s = r.strides(3)?;
                let sa = Strides3 { batch: s[0], row: s[1], col: s[2] };
                let b = r.addr()?;
                let s = r.strides(3)?;
                let sb = Strides3 { batch: s[0], row: s[1], col: s[2] };
                let out = r.addr()?;
                split::matmul(dt, batch, m, n, k, a, sa, b, sb, out)
            }
            REDUCE => {
                let op = ReduceOp::from_code(r.u()?).ok_or(BAD_CODE)?;
                let dt = r.dt()?;
                let (nkeep, nd) = (r.n()?, r.n()?);
                if nkeep > nd {
                    return Err(BAD_CODE);
                }
                let dims = r.dims(nd)?;
                let x = r.addr()?;
                let st = r.strides(nd)?;
                split::reduce(op, dt, nkeep, &dims, &st, x, r.addr()?);
                true
            }
            ARGREDUCE => {
                let op = r.u()?;
                let dt = r.dt()?;
                let nkeep = r.n()?;
                let dims = r.dims(nkeep + 1)?;
                let x = r.addr()?;
                let st = r.strides(nkeep + 1)?;
                if op > 1 {
                    return Err(BAD_CODE);
                }
                argreduce_dyn(op == 0, dt, nkeep, &dims, &st, x, r.addr()? as *mut i32);
                true
            }
            COPY => {
                let es = r.n()?;
                let nd = r.n()?;
                let dims = r.dims(nd)?;
                let src = r.addr()?;
                let ss = r.strides(nd)?;
                let dst = r.addr()?;
                copy_dyn(es, &dims, src, &ss, dst, &r.strides(nd)?)
            }
            IOTA => {
                let dt = r.dt()?;
                let (outer, n, inner) = (r.n()?, r.n()?, r.n()?);
                iota_dyn(dt, outer, n, inner, r.addr()?);
                true
            }
            DYNAMIC_WINDOW => {
                let (update, elem) = (r.u()?, r.n()?);
                let unsigned = match r.dt()? {
                    DType::I32 => false,
                    DType::U32 => true,
                    _ => return Err(BAD_CODE),
                };
                let nd = r.n()?;
                let (full, window) = (r.dims(nd)?, r.dims(nd)?);
                if (0..nd).any(|d| window[d] > full[d]) {
                    return Err(BAD_CODE);
                }
                let mut starts = Vec::with_capacity(nd);
                for _ in 0..nd {
                    starts.push(read_index(r.addr()?, unsigned));
                }
                let x = r.addr()?;
                let xs = r.strides(nd)?;
                let out = r.addr()?;
                let os = r.strides(nd)?;
                match update {
                    0 => dynamic_slice(elem, &full, &window, &starts, x, &xs, out, &os),
                    1 => {
                        let u = r.addr()?;
                        dynamic_update_slice(elem, &full, &window, &starts, x, &xs, out, &os, u, &r.strides(nd)?)
                    }
                    _ => return Err(BAD_CODE),
                }
            }
            GATHER => {
                let elem = r.n()?;
                let fill = r.u()? as u64 | (r.u()? as u64) << 32;
                let (operand, indices, out) = (r.addr()?, r.addr()?, r.addr()?);
                let g = Geometry::parse(r.rest()?)?;
                gather(&g, elem, operand, indices, out, fill)
            }
            SCATTER => {
                let op = Combine::from_code(r.u()?).ok_or(BAD_CODE)?;
                let dt = r.dt()?;
                let operand = r.addr()?;
                let nd = r.n()?;
                let xs = r.strides(nd)?;
                let (indices, updates, out) = (r.addr()?, r.addr()?, r.addr()?);
                let g = Geometry::parse(r.rest()?)?;
                let full = g.shape();
                if full.len() != nd || !copy_dyn(dt.size(), full, operand, &xs, out, &crate::strided::contiguous_strides(full)) {
                    return Err(BAD_CODE);
                }
                scatter(&g, op, dt, out, indices, updates)
            }
            LINALG => {
                let op = LinalgOp::from_code(r.u()?).ok_or(BAD_CODE)?;
                let flags = r.u()?;
                let dt = r.dt()?;
                let (batch, m, n) = (r.n()?, r.n()?, r.n()?);
                let (x0, x1) = (r.addr()?, r.addr()?);
                let (y0, y1, y2) = (r.addr()?, r.addr()?, r.addr()?);
                linalg_dyn(op, flags, dt, batch, m, n, x0, x1, y0, y1, y2)
            }
            CONV => {
                let dt = r.dt()?;
                let len = r.n()?;
                let d = ConvDesc::parse(w.get(r.i..r.i + len).ok_or(BAD_CODE)?).ok_or(BAD_CODE)?;
                r.i += len;
                let (lhs, rhs, out) = (r.addr()?, r.addr()?, r.addr()?);
                conv_dyn(dt, &d, lhs, rhs, out)
            }
            REDUCE_WINDOW => {
                let op = ReduceOp::from_code(r.u()?).ok_or(BAD_CODE)?;
                let dt = r.dt()?;
                let len = r.n()?;
                let axes = parse_window(w.get(r.i..r.i + len).ok_or(BAD_CODE)?).ok_or(BAD_CODE)?;
                r.i += len;
                let (x, out) = (r.addr()?, r.addr()?);
                reduce_window_dyn(op, dt, &axes, x, out)
            }
            CUMULATIVE => {
                let op = CumulativeOp::from_code(r.u()?).ok_or(BAD_CODE)?;
                let dt = r.dt()?;
                let (reverse, axis, nd) = (r.u()? != 0, r.n()?, r.n()?);
                let dims = r.dims(nd)?;
                let x = r.addr()?;
                let st = r.strides(nd)?;
                cumulative_dyn(op, dt, &dims, &st, axis, reverse, x, r.addr()?)
            }
            SORT => {
                let (axis, num_keys, nops, nd) = (r.n()?, r.n()?, r.n()?, r.n()?);
                let dims = r.dims(nd)?;
                let mut ops = Vec::with_capacity(nops);
                for _ in 0..nops {
                    let dt = r.dt()?;
                    let x = r.addr()?;
                    let strides = r.strides(nd)?;
                    ops.push(SortOperand { dt, x, strides, out: r.addr()? });
                }
                sort_dyn(&dims, axis, num_keys, &ops)
            }
            _ => return Err(BAD_CODE),
        })
    })();
    match res {
        Ok(true) => OK,
        Ok(false) => UNSUPPORTED,
        Err(s) => s,
    }
}
