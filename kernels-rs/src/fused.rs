//! The fused-elementwise VM: one `FUSED` program instruction runs a small register
//! bytecode over an iteration domain, tile by tile, so a chain of elementwise ops
//! (with broadcasts, casts, selects) touches memory once per input and output and
//! keeps its intermediates in cache-sized registers.
//!
//! Payload (after the instruction's `[opcode, length]` words, all u32):
//! `ndim, nred, dims[ndim], nregs, tile, npro, pro[npro], nbody, body[nbody]`.
//! - `dims` is the domain in iteration order (row-major); the last `nred` axes are
//!   reduced by `REDUCE` ops (0: none).
//! - A register holds `tile` elements of one dtype (scratch of `tile * 8` bytes), or
//!   one element broadcast over the tile (stride 0: constants, scalar loads, and
//!   ops whose inputs all are).
//! - `pro` runs once (constants, loads with all strides 0); `body` once per tile.
//!
//! Ops (words; registers are indices < nregs; addresses are `slot, byte offset`):
//! - `LOAD dst dtype slot off strides[ndim]`: the tile's elements of a strided
//!   operand (zero-copy when they are one contiguous run; stride 0 when broadcast).
//! - `CONST dst dtype lo hi`: a constant's bits (f64: both words).
//! - `UNARY op dtype dst src`, `IPOW dtype dst src y`, `CAST src_dt dst_dt dst src`.
//! - `BINARY op dtype dst a b` (op codes of `BinaryOp`; comparisons write bool).
//! - `SELECT dtype pred_dtype dst pred ncases cases[ncases]`.
//! - `STORE src dtype slot off strides[ndim]`: writes the tile to a strided output.
//!   With bit 31 of `src` set, the op computing the stored value may write it
//!   straight into the output when the tile's destination is one contiguous run:
//!   that op's `dst` word carries `(k + 1) << 16` for the body's k-th STORE.
//! - `REDUCE op dtype src slot off`: reduces over the trailing `nred` axes into a
//!   contiguous output over the kept axes (sum/max/min/prod; bool as any/all).
//!
//! A destination register never equals one of its op's sources (the compiler
//! guarantees it), so no row reads what it has already overwritten; and the
//! compiler allows direct stores only where no later read of the tile can see them
//! (outputs never alias inputs, except donated ones, which it excludes).
//!
//! Reductions: with `R` = the reduced extent, if `R <= tile` a tile holds whole
//! segments of `R` elements and each is reduced as the eager kernel reduces a
//! contiguous run; else each output's segment is cut into tiles whose partial
//! results combine pairwise (`Cascade`). Float sums thus differ from the eager
//! kernel's only by association.
use crate::abi::{BAD_CODE, OK, UNSUPPORTED};
use crate::binary::BinaryOp;
use crate::dtype::DType;
use crate::fused_io::{Cursor, Direct, Pool, Reg, POOL};
use crate::fused_ops::*;
use crate::reduce::ReduceOp;
use crate::unary::UnaryOp;

pub const LOAD: u32 = 1;
pub const CONST: u32 = 2;
pub const UNARY: u32 = 3;
pub const IPOW: u32 = 4;
pub const BINARY: u32 = 5;
pub const SELECT: u32 = 6;
pub const CAST: u32 = 7;
pub const STORE: u32 = 8;
pub const REDUCE: u32 = 9;

/// Largest domain rank (after the compiler merges axes).
pub const MAX_RANK: usize = 16;

/// How `REDUCE` ops treat the current tile.
#[derive(Clone, Copy)]
enum Mode {
    /// No reductions (or the prologue).
    Plain,
    /// The tile is whole segments of `r` elements; the first is output `first`.
    Segments { r: usize, first: usize },
    /// The tile is part of one output's segment: push partials.
    Partial,
}

/// Bit of a STORE's `src` word allowing direct writes.
pub const DIRECT: u32 = 1 << 31;

struct Vm<'a, const SIMD: bool> {
    slots: *const usize,
    cur: Cursor,
    nd: usize,
    scratch: *mut u8,
    /// Bytes per register's scratch.
    rb: usize,
    tile: usize,
    body: &'a [u32],
    pool: Pool,
}

fn dtype(c: u32) -> Result<DType, i32> {
    DType::from_code(c).ok_or(BAD_CODE)
}

/// Words of the op at `code[pc..]`.
fn op_len(code: &[u32], pc: usize, nd: usize) -> Result<usize, i32> {
    Ok(match code[pc] {
        LOAD | STORE => 5 + nd,
        CONST | UNARY | IPOW | CAST => 5,
        BINARY | REDUCE => 6,
        SELECT => 6 + *code.get(pc + 5).ok_or(BAD_CODE)? as usize,
        _ => return Err(BAD_CODE),
    })
}

/// Runs one FUSED instruction (`w`: its payload); returns a status.
pub unsafe fn run<const SIMD: bool>(w: &[u32], slots: *const usize) -> i32 {
    match try_run::<SIMD>(w, slots) {
        Ok(()) => OK,
        Err(s) => s,
    }
}

unsafe fn try_run<const SIMD: bool>(w: &[u32], slots: *const usize) -> Result<(), i32> {
    let word = |i: usize| w.get(i).copied().ok_or(BAD_CODE);
    let nd = word(0)? as usize;
    let nred = word(1)? as usize;
    if nd == 0 || nd > MAX_RANK || nred > nd {
        return Err(BAD_CODE);
    }
    let mut dims = [0usize; MAX_RANK];
    for d in 0..nd {
        dims[d] = word(2 + d)? as usize;
    }
    let mut p = 2 + nd;
    let (nregs, tile) = (word(p)? as usize, word(p + 1)? as usize);
    let npro = word(p + 2)? as usize;
    p += 3;
    let pro = w.get(p..p + npro).ok_or(BAD_CODE)?;
    p += npro;
    let nbody = word(p)? as usize;
    let body = w.get(p + 1..p + 1 + nbody).ok_or(BAD_CODE)?;
    if tile == 0 {
        return Err(BAD_CODE);
    }
    // One spare register: REDUCE expands a broadcast source into it.
    let rb = (tile * 8 + 15) & !15;
    let words = (nregs + 1) * rb / 8 + 2;
    let mut pool = POOL.with(|s| core::mem::take(&mut *s.borrow_mut()));
    if pool.scratch.len() < words {
        pool.scratch.resize(words, 0);
    }
    let base = ((pool.scratch.as_mut_ptr() as usize + 15) & !15) as *mut u8;
    pool.regs.clear();
    pool.regs.resize(nregs + 1, Reg { ptr: base, stride: 0 });
    pool.cases.clear();
    pool.reduces.clear();
    pool.cascades.iter_mut().for_each(Cascade::clear);
    pool.case_strides.clear();
    pool.directs.clear();
    pool.targets.clear();
    let mut vm = Vm::<SIMD> {
        slots,
        cur: Cursor { nd, dims, idx: [0; MAX_RANK], flat: 0 },
        nd,
        scratch: base,
        rb,
        tile,
        body,
        pool,
    };
    let r = vm.domain(pro, nred);
    POOL.with(|s| *s.borrow_mut() = vm.pool);
    r
}

impl<'a, const SIMD: bool> Vm<'a, SIMD> {
    unsafe fn addr(&self, slot: u32, off: u32) -> *mut u8 {
        (*self.slots.add(slot as usize) + off as usize) as *mut u8
    }

    fn reg_scratch(&self, r: usize) -> *mut u8 {
        unsafe { self.scratch.add(r * self.rb) }
    }

    unsafe fn domain(&mut self, pro: &[u32], nred: usize) -> Result<(), i32> {
        // The reductions and stores, in body order.
        let body = self.body;
        let mut pc = 0;
        while pc < body.len() {
            if body[pc] == STORE {
                let c = body.get(pc..pc + 5 + self.nd).ok_or(BAD_CODE)?;
                let d = Direct { slot: c[3], off: c[4], es: dtype(c[2])?.size(), at: pc + 5 };
                self.pool.directs.push(if c[1] & DIRECT != 0 { Some(d) } else { None });
                self.pool.targets.push(core::ptr::null_mut());
            }
            if body[pc] == REDUCE {
                let (op, dt) = (body.get(pc + 1).copied(), body.get(pc + 2).copied());
                let op = ReduceOp::from_code(op.ok_or(BAD_CODE)?).ok_or(BAD_CODE)?;
                let f = reduce_fns::<SIMD>(op, dtype(dt.ok_or(BAD_CODE)?)?);
                let out = self.addr(*body.get(pc + 4).ok_or(BAD_CODE)?, *body.get(pc + 5).ok_or(BAD_CODE)?);
                let k = self.pool.reduces.len();
                self.pool.reduces.push((f, out));
                if self.pool.cascades.len() <= k {
                    self.pool.cascades.push(Cascade::default());
                }
            }
            pc += op_len(body, pc, self.nd)?;
        }
        if !self.pool.reduces.is_empty() && nred == 0 {
            return Err(BAD_CODE);
        }
        let dims = &self.cur.dims[..self.nd];
        let total: usize = dims.iter().product();
        let r: usize = dims[self.nd - nred..].iter().product();
        let k: usize = dims[..self.nd - nred].iter().product();
        if total == 0 {
            // Empty reductions take the identity.
            if r == 0 {
                for &(f, out) in &self.pool.reduces {
                    for i in 0..k {
                        (f.put)(out, i, f.id);
                    }
                }
            }
            return Ok(());
        }
        self.exec(pro, self.tile, Mode::Plain)?;
        if nred == 0 || r <= self.tile {
            let step = if nred == 0 { self.tile } else { self.tile / r * r };
            let mut start = 0;
            while start < total {
                let n = step.min(total - start);
                self.seek(start, n);
                let mode = if nred == 0 { Mode::Plain } else { Mode::Segments { r, first: start / r } };
                self.exec(self.body, n, mode)?;
                start += n;
            }
        } else {
            for o in 0..k {
                let mut c = 0;
                while c < r {
                    let n = self.tile.min(r - c);
                    self.seek(o * r + c, n);
                    self.exec(self.body, n, Mode::Partial)?;
                    c += n;
                }
                for (j, &(f, out)) in self.pool.reduces.iter().enumerate() {
                    (f.put)(out, o, self.pool.cascades[j].finish(&f));
                }
            }
        }
        Ok(())
    }

    /// Moves to the tile of `n` elements at flat position `start`; finds direct-store targets.
    unsafe fn seek(&mut self, start: usize, n: usize) {
        self.cur.seek(start);
        for k in 0..self.pool.directs.len() {
            self.pool.targets[k] = match self.pool.directs[k] {
                Some(d) if self.cur.one_run(&self.body[d.at..d.at + self.nd], n) == Some(1) => {
                    let strides = &self.body[d.at..d.at + self.nd];
                    self.addr(d.slot, d.off).offset(self.cur.offset(strides) * d.es as isize)
                }
                _ => core::ptr::null_mut(),
            };
        }
    }

    fn reg(&self, code: &[u32], i: usize) -> Result<usize, i32> {
        let r = (code[i] & 0xffff) as usize;
        if r >= self.pool.regs.len() - 1 {
            return Err(BAD_CODE);
        }
        Ok(r)
    }

    /// Where an op writing register word `code[i]` puts a result of stride `s`:
    /// straight into a store's output when allowed, else the register's scratch.
    fn out(&self, code: &[u32], i: usize, s: isize) -> *mut u8 {
        let k = (code[i] >> 16) as usize;
        if k > 0 && s == 1 {
            if let Some(&t) = self.pool.targets.get(k - 1) {
                if !t.is_null() {
                    return t;
                }
            }
        }
        self.reg_scratch((code[i] & 0xffff) as usize)
    }

    /// Runs `code` over `n` elements starting at `idx`.
    unsafe fn exec(&mut self, code: &[u32], n: usize, mode: Mode) -> Result<(), i32> {
        let mut pc = 0;
        let mut nreduce = 0;
        while pc < code.len() {
            let len = op_len(code, pc, self.nd)?;
            let c = code.get(pc..pc + len).ok_or(BAD_CODE)?;
            match c[0] {
                LOAD => {
                    let (dst, dt) = (self.reg(c, 1)?, dtype(c[2])?);
                    let src = self.addr(c[3], c[4]);
                    self.pool.regs[dst] = self.cur.load(src, dt.size(), &c[5..], n, self.reg_scratch(dst));
                }
                CONST => {
                    let (dst, dt) = (self.reg(c, 1)?, dtype(c[2])?);
                    let p = self.reg_scratch(dst);
                    match dt.size() {
                        1 => *p = c[3] as u8,
                        4 => *(p as *mut u32) = c[3],
                        _ => *(p as *mut u64) = c[3] as u64 | (c[4] as u64) << 32,
                    }
                    self.pool.regs[dst] = Reg { ptr: p, stride: 0 };
                }
                UNARY | IPOW | CAST => {
                    let (f, dst, src, y) = match c[0] {
                        UNARY => {
                            let op = UnaryOp::from_code(c[1]).ok_or(BAD_CODE)?;
                            (unary_fn::<SIMD>(op, dtype(c[2])?).ok_or(UNSUPPORTED)?, 3, 4, 0)
                        }
                        IPOW => {
                            let y = c[4] as i32;
                            (ipow_fn::<SIMD>(dtype(c[1])?, y).ok_or(UNSUPPORTED)?, 2, 3, y)
                        }
                        _ => (cast_fn::<SIMD>(dtype(c[1])?, dtype(c[2])?), 3, 4, 0),
                    };
                    let (dw, x) = (dst, self.pool.regs[self.reg(c, src)?]);
                    let dst = self.reg(c, dw)?;
                    let m = if x.stride == 0 { 1 } else { n };
                    let out = self.out(c, dw, x.stride);
                    f(x.ptr, x.stride, out, m, y);
                    self.pool.regs[dst] = Reg { ptr: out, stride: x.stride };
                }
                BINARY => {
                    let op = BinaryOp::from_code(c[1]).ok_or(BAD_CODE)?;
                    let f = binary_fn::<SIMD>(op, dtype(c[2])?).ok_or(UNSUPPORTED)?;
                    let dst = self.reg(c, 3)?;
                    let (a, b) = (self.pool.regs[self.reg(c, 4)?], self.pool.regs[self.reg(c, 5)?]);
                    let s = a.stride | b.stride;
                    let out = self.out(c, 3, s);
                    f(a.ptr, a.stride, b.ptr, b.stride, out, if s == 0 { 1 } else { n });
                    self.pool.regs[dst] = Reg { ptr: out, stride: s };
                }
                SELECT => {
                    let dt = dtype(c[1])?;
                    let dst = self.reg(c, 3)?;
                    let pr = self.pool.regs[self.reg(c, 4)?];
                    let pred = pred_of(dtype(c[2])?, pr.ptr).ok_or(UNSUPPORTED)?;
                    let nc = c[5] as usize;
                    if nc == 0 {
                        return Err(UNSUPPORTED);
                    }
                    self.pool.cases.clear();
                    self.pool.case_strides.clear();
                    let mut s = pr.stride;
                    for k in 0..nc {
                        let r = self.pool.regs[self.reg(c, 6 + k)?];
                        self.pool.cases.push(r.ptr);
                        self.pool.case_strides.push(r.stride);
                        s |= r.stride;
                    }
                    let out = self.out(c, 3, s);
                    let m = if s == 0 { 1 } else { n };
                    select_row::<SIMD>(dt, pred, pr.stride, &self.pool.cases, &self.pool.case_strides, out, m);
                    self.pool.regs[dst] = Reg { ptr: out, stride: s };
                }
                STORE => {
                    let (x, dt) = (self.pool.regs[self.reg(c, 1)?], dtype(c[2])?);
                    let dst = self.addr(c[3], c[4]);
                    self.cur.store(x, dst, dt.size(), &c[5..], n);
                }
                REDUCE => {
                    let x = self.pool.regs[self.reg(c, 3)?];
                    let es = dtype(c[2])?.size();
                    let x = if x.stride == 0 { self.expand(x, es, n) } else { x.ptr };
                    let (f, out) = *self.pool.reduces.get(nreduce).ok_or(BAD_CODE)?;
                    match mode {
                        Mode::Segments { r, first } => {
                            for s in 0..n / r {
                                (f.put)(out, first + s, (f.part)(x.add(s * r * es), r));
                            }
                        }
                        Mode::Partial => self.pool.cascades[nreduce].push((f.part)(x, n), f.comb),
                        Mode::Plain => return Err(BAD_CODE),
                    }
                    nreduce += 1;
                }
                _ => return Err(BAD_CODE),
            }
            pc += len;
        }
        Ok(())
    }

    /// `n` copies of a broadcast register's element, in the spare register.
    unsafe fn expand(&self, x: Reg, es: usize, n: usize) -> *const u8 {
        let dst = self.reg_scratch(self.pool.regs.len() - 1);
        for i in 0..n {
            core::ptr::copy_nonoverlapping(x.ptr, dst.add(i * es), es);
        }
        dst
    }
}
