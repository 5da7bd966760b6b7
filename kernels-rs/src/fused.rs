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
//!   When a tile holds whole segments (reduced extent <= tile) the tile's results
//!   are written when the op runs, so later ops of the same tile may `LOAD` them
//!   (a reduction's epilogue; the compiler emits such loads only then).
//!
//! Per-segment ops: with `SEG` (bit 8) set in its op word, a `LOAD`, `STORE`,
//! `UNARY`, `IPOW`, `CAST`, `BINARY` or `SELECT` runs once per segment of the tile
//! (`n / R` elements, for the tile's outputs `first ..`) instead of once per
//! element, so ops on reduction results (layernorm's `sqrt(var + eps)`) run in
//! the reduction's tile loop. Only in the body of an instruction that reduces
//! with `R <= tile` (else `BAD_CODE`). Their sources are per-segment registers or
//! broadcast ones (prologue); their results go to scratch, never direct.
//! - `LOAD|SEG dst dtype slot off` (no strides): the tile's `n / R` elements of
//!   contiguous memory with one element per segment (a `REDUCE`'s output, a
//!   `STORE|SEG`'s, or any other), from element `first`, copied into `dst`'s scratch.
//! - `STORE|SEG src dtype slot off`: writes them to such an output at once, so later
//!   ops of the tile may `LOAD` the values broadcast over their segments.
//!
//! A register written by `LOAD|SEG`, or by an op on per-segment registers (and
//! broadcast ones), is per segment (`Reg::seg`): ops without `SEG` read it
//! broadcast over each segment. One mixing it with whole-tile registers calls its
//! row function once per segment (`R` elements, the per-segment operand at stride
//! 0; short segments are expanded instead, for one call); `STORE` and `REDUCE`
//! expand it first. So an epilogue reads its reduction
//! with a `LOAD|SEG` of `n / R` elements, not a broadcast `LOAD` of `n`.
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
use crate::fused_io::{copy_run, Cursor, Direct, Reg, POOLS, Pool};
use crate::parallel::parallel_for;
use crate::split::{CHUNK, MIN_SPLIT};
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
/// Flag on an op word: the op runs per segment (see the module docs).
pub const SEG: u32 = 1 << 8;

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

/// An op decoded once per instruction: registers checked, row functions resolved.
/// `at` fields index the instruction's payload (strides, case registers); `direct`
/// is the body's STORE (k + 1) the result may go straight to (0: none).
#[derive(Clone, Copy)]
pub enum Op {
    Load { dst: usize, es: usize, slot: u32, off: u32, at: usize },
    Const { dst: usize, es: usize, bits: u64 },
    Row1 { f: Row1, y: i32, dst: usize, direct: usize, src: usize, seg: bool },
    /// `ies`, `oes`: the operands' and the result's element sizes.
    Row2 { f: Row2, dst: usize, direct: usize, a: usize, b: usize, seg: bool, ies: usize, oes: usize },
    Select { dt: DType, pred_dt: DType, dst: usize, direct: usize, pred: usize, at: usize, n: usize, seg: bool },
    Store { src: usize, es: usize, slot: u32, off: u32, at: usize },
    Reduce { k: usize, src: usize, es: usize },
    /// `LOAD|SEG` and `STORE|SEG`.
    SegLoad { dst: usize, es: usize, slot: u32, off: u32 },
    SegStore { src: usize, es: usize, slot: u32, off: u32 },
}

fn dtype(c: u32) -> Result<DType, i32> {
    DType::from_code(c).ok_or(BAD_CODE)
}

/// Words of the op at `code[pc..]`.
fn op_len(code: &[u32], pc: usize, nd: usize) -> Result<usize, i32> {
    let seg = code[pc] & SEG != 0;
    Ok(match code[pc] & !SEG {
        LOAD | STORE if seg => 5,
        LOAD | STORE => 5 + nd,
        CONST | UNARY | IPOW | CAST => 5,
        BINARY | REDUCE => 6,
        SELECT => 6 + *code.get(pc + 5).ok_or(BAD_CODE)? as usize,
        _ => return Err(BAD_CODE),
    })
}

/// Segments shorter than this are expanded for an op mixing them with whole-tile
/// operands (one row call over the tile), longer ones get a row call each.
const SHORT_SEGMENT: usize = 32;

/// Whether a register holds the whole tile (not broadcast, not per segment).
fn full(x: Reg) -> bool {
    !x.seg && x.stride != 0
}

/// Operand pointer and stride for the call on segment `k` (of `r` elements, `es` bytes each).
unsafe fn at_segment(x: Reg, k: usize, r: usize, es: usize) -> (*const u8, isize) {
    if x.seg {
        (x.ptr.add(k * es), 0)
    } else {
        (x.ptr.add(k * r * es * x.stride as usize), x.stride)
    }
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
    /// The instruction's payload (ops refer into it).
    w: &'a [u32],
    nregs: usize,
    pool: Pool,
    /// Whether the body has per-segment ops.
    segs: bool,
}

/// Runs one FUSED instruction (`w`: its payload); returns a status.
pub unsafe fn run<const SIMD: bool>(w: &[u32], slots: *const usize) -> i32 {
    match try_run::<SIMD>(w, slots) {
        Ok(()) => OK,
        Err(s) => s,
    }
}

/// The instruction's header: domain, registers, tile, and the op ranges in `w`.
#[derive(Clone, Copy)]
struct Header {
    nd: usize,
    nred: usize,
    dims: [usize; MAX_RANK],
    nregs: usize,
    tile: usize,
    pro: (usize, usize),
    body: (usize, usize),
}

impl Header {
    fn parse(w: &[u32]) -> Result<Header, i32> {
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
        let pro = (p + 3, p + 3 + npro);
        p = pro.1;
        let nbody = word(p)? as usize;
        let body = (p + 1, p + 1 + nbody);
        if tile == 0 || body.1 > w.len() || nregs >= 0xffff {
            return Err(BAD_CODE);
        }
        Ok(Header { nd, nred, dims, nregs, tile, pro, body })
    }
    /// (all elements, the reduced extent, the kept extent).
    fn extents(&self) -> (usize, usize, usize) {
        let dims = &self.dims[..self.nd];
        let r = dims[self.nd - self.nred..].iter().product();
        (dims.iter().product(), r, dims[..self.nd - self.nred].iter().product())
    }
}

/// Builds a VM over thread `tid`'s pooled buffers, decodes the prologue and body,
/// runs `f(vm, npro)`, and puts the buffers back.
unsafe fn with_vm<const SIMD: bool, R>(
    h: &Header, w: &[u32], slots: *const usize, tid: usize,
    f: impl FnOnce(&mut Vm<SIMD>, usize) -> Result<R, i32>,
) -> Result<R, i32> {
    // One spare register: REDUCE expands a broadcast source into it. Registers are
    // 64 bytes further apart than their size, so an op reading one register and
    // writing another never has its loads and stores 4 KiB apart (the same address
    // to the CPU's store-to-load check: it stalls the loads).
    let rb = ((h.tile * 8 + 15) & !15) + 64;
    let words = (h.nregs + 1) * rb / 8 + 2;
    let mut pool = core::mem::take(POOLS.get(tid));
    if pool.scratch.len() < words {
        pool.scratch.resize(words, 0);
    }
    let base = ((pool.scratch.as_mut_ptr() as usize + 15) & !15) as *mut u8;
    pool.regs.clear();
    pool.regs.resize(h.nregs + 1, Reg { ptr: base, stride: 0, seg: false });
    pool.ops.clear();
    pool.reduces.clear();
    pool.cascades.iter_mut().for_each(Cascade::clear);
    pool.directs.clear();
    pool.targets.clear();
    let cur = Cursor { nd: h.nd, dims: h.dims, idx: [0; MAX_RANK], flat: 0 };
    let mut vm = Vm::<SIMD> { slots, cur, nd: h.nd, scratch: base, rb, tile: h.tile, w, nregs: h.nregs, pool, segs: false };
    let r = vm.decode(h.pro, false).and_then(|npro| {
        vm.decode(h.body, true)?;
        f(&mut vm, npro)
    });
    *POOLS.get(tid) = vm.pool;
    r
}

/// How the domain is cut into chunks for the thread pool. Every cut falls on a
/// tile boundary of the unsplit walk, and a chunk of a long reduction covers a
/// power-of-two number of tiles, so its partial is a whole subtree of the
/// `Cascade` the unsplit walk would build: results do not depend on the cut.
#[derive(Clone, Copy)]
enum Plan {
    /// Chunk `c` runs tiles `c * per ..` of `step` elements (no reduction, or whole segments per tile).
    Tiles { step: usize, per: usize, ntiles: usize },
    /// Chunk `c` reduces outputs `c * per ..` whole.
    Outputs { per: usize, k: usize },
    /// Chunk `c` reduces tiles `(c % nper) * per ..` of output `c / nper` to partials.
    Pieces { per: usize, nper: usize, tiles: usize },
}

impl Plan {
    fn new(h: &Header) -> (Plan, usize) {
        let (total, r, k) = h.extents();
        let split = total >= MIN_SPLIT;
        if h.nred == 0 || r <= h.tile {
            let step = if h.nred == 0 { h.tile } else { h.tile / r * r };
            let ntiles = (total + step - 1) / step;
            let per = if split { (CHUNK / step).max(1) } else { ntiles.max(1) };
            return (Plan::Tiles { step, per, ntiles }, (ntiles + per - 1) / per);
        }
        let tiles = (r + h.tile - 1) / h.tile;
        if !split || tiles * h.tile <= CHUNK {
            let per = if split { (CHUNK / (tiles * h.tile)).max(1) } else { k.max(1) };
            return (Plan::Outputs { per, k }, (k + per - 1) / per);
        }
        let mut per = 1;
        while 2 * per * h.tile <= CHUNK {
            per *= 2;
        }
        let nper = (tiles + per - 1) / per;
        (Plan::Pieces { per, nper, tiles }, k * nper)
    }
}

unsafe fn try_run<const SIMD: bool>(w: &[u32], slots: *const usize) -> Result<(), i32> {
    let h = Header::parse(w)?;
    // Decode once here: malformed programs fail before any chunk runs.
    let reduces = with_vm::<SIMD, _>(&h, w, slots, 0, |vm, _| {
        if !vm.pool.reduces.is_empty() && h.nred == 0 {
            return Err(BAD_CODE);
        }
        // Per-segment ops need tiles of whole segments.
        let (_, r, _) = h.extents();
        if vm.segs && (h.nred == 0 || r > h.tile) {
            return Err(BAD_CODE);
        }
        Ok(vm.pool.reduces.clone())
    })?;
    let (total, r, k) = h.extents();
    if total == 0 {
        // Empty reductions take the identity.
        if r == 0 {
            for &(f, out) in &reduces {
                for i in 0..k {
                    (f.put)(out, i, f.id);
                }
            }
        }
        return Ok(());
    }
    let (plan, nchunks) = Plan::new(&h);
    let nr = reduces.len();
    // Pieces' partials, `nr` per chunk, combined below in chunk order.
    let mut partials = vec![0u64; if let Plan::Pieces { .. } = plan { nchunks * nr } else { 0 }];
    let parts = partials.as_mut_ptr() as usize;
    parallel_for(nchunks, |c, tid| {
        let done = with_vm::<SIMD, _>(&h, w, slots, tid, |vm, npro| {
            vm.exec((0, npro), h.tile, Mode::Plain);
            vm.chunk(plan, c, npro, r, (parts as *mut u64).add(c * nr));
            Ok(())
        });
        debug_assert!(done.is_ok(), "decoded once already");
    });
    if let Plan::Pieces { nper, .. } = plan {
        for o in 0..k {
            for (j, &(f, out)) in reduces.iter().enumerate() {
                let mut acc = Cascade::default();
                for p in 0..nper {
                    acc.push(partials[(o * nper + p) * nr + j], f.comb);
                }
                (f.put)(out, o, acc.finish(&f));
            }
        }
    }
    Ok(())
}

impl<'a, const SIMD: bool> Vm<'a, SIMD> {
    unsafe fn addr(&self, slot: u32, off: u32) -> *mut u8 {
        (*self.slots.add(slot as usize) + off as usize) as *mut u8
    }

    fn reg_scratch(&self, r: usize) -> *mut u8 {
        unsafe { self.scratch.add(r * self.rb) }
    }

    /// Decodes the ops in `w[range]` onto `pool.ops`; returns how many ops there are now.
    /// In the body, also notes stores (for direct writes) and reductions.
    unsafe fn decode(&mut self, (start, end): (usize, usize), body: bool) -> Result<usize, i32> {
        let (w, nd) = (self.w, self.nd);
        let reg = |word: u32| -> Result<usize, i32> {
            let r = (word & 0xffff) as usize;
            if r < self.nregs { Ok(r) } else { Err(BAD_CODE) }
        };
        let mut pc = start;
        while pc < end {
            let len = op_len(w, pc, nd)?;
            let c = w.get(pc..pc + len).ok_or(BAD_CODE)?;
            let seg = c[0] & SEG != 0;
            if seg && !body {
                return Err(BAD_CODE);
            }
            self.segs |= seg;
            // Per-segment results never go straight to an output.
            let direct = |word: u32| if seg { 0 } else { (word >> 16) as usize };
            let op = match c[0] & !SEG {
                LOAD if seg => Op::SegLoad { dst: reg(c[1])?, es: dtype(c[2])?.size(), slot: c[3], off: c[4] },
                LOAD => Op::Load { dst: reg(c[1])?, es: dtype(c[2])?.size(), slot: c[3], off: c[4], at: pc + 5 },
                CONST if !seg => Op::Const { dst: reg(c[1])?, es: dtype(c[2])?.size(), bits: c[3] as u64 | (c[4] as u64) << 32 },
                UNARY => {
                    let f = unary_fn::<SIMD>(UnaryOp::from_code(c[1]).ok_or(BAD_CODE)?, dtype(c[2])?).ok_or(UNSUPPORTED)?;
                    Op::Row1 { f, y: 0, dst: reg(c[3])?, direct: direct(c[3]), src: reg(c[4])?, seg }
                }
                IPOW => {
                    let y = c[4] as i32;
                    let f = ipow_fn::<SIMD>(dtype(c[1])?, y).ok_or(UNSUPPORTED)?;
                    Op::Row1 { f, y, dst: reg(c[2])?, direct: direct(c[2]), src: reg(c[3])?, seg }
                }
                CAST => Op::Row1 { f: cast_fn::<SIMD>(dtype(c[1])?, dtype(c[2])?), y: 0, dst: reg(c[3])?, direct: direct(c[3]), src: reg(c[4])?, seg },
                BINARY => {
                    let (op, dt) = (BinaryOp::from_code(c[1]).ok_or(BAD_CODE)?, dtype(c[2])?);
                    let f = binary_fn::<SIMD>(op, dt).ok_or(UNSUPPORTED)?;
                    // Comparisons write bool.
                    let oes = if (BinaryOp::Eq as u32..=BinaryOp::Ge as u32).contains(&c[1]) { 1 } else { dt.size() };
                    Op::Row2 { f, dst: reg(c[3])?, direct: direct(c[3]), a: reg(c[4])?, b: reg(c[5])?, seg, ies: dt.size(), oes }
                }
                SELECT => {
                    let (dt, pred_dt, n) = (dtype(c[1])?, dtype(c[2])?, c[5] as usize);
                    if n == 0 || pred_of(pred_dt, core::ptr::null()).is_none() {
                        return Err(UNSUPPORTED);
                    }
                    for k in 0..n {
                        reg(c[6 + k])?;
                    }
                    Op::Select { dt, pred_dt, dst: reg(c[3])?, direct: direct(c[3]), pred: reg(c[4])?, at: pc + 6, n, seg }
                }
                STORE if seg => Op::SegStore { src: reg(c[1])?, es: dtype(c[2])?.size(), slot: c[3], off: c[4] },
                STORE if body => {
                    let (slot, off, es) = (c[3], c[4], dtype(c[2])?.size());
                    self.pool.directs.push(if c[1] & DIRECT != 0 { Some(Direct { slot, off, es, at: pc + 5 }) } else { None });
                    self.pool.targets.push(core::ptr::null_mut());
                    Op::Store { src: reg(c[1])?, es, slot, off, at: pc + 5 }
                }
                REDUCE if body && !seg => {
                    let (op, dt) = (ReduceOp::from_code(c[1]).ok_or(BAD_CODE)?, dtype(c[2])?);
                    let k = self.pool.reduces.len();
                    self.pool.reduces.push((reduce_fns::<SIMD>(op, dt), self.addr(c[4], c[5])));
                    if self.pool.cascades.len() <= k {
                        self.pool.cascades.push(Cascade::default());
                    }
                    Op::Reduce { k, src: reg(c[3])?, es: dt.size() }
                }
                _ => return Err(BAD_CODE),
            };
            self.pool.ops.push(op);
            pc += len;
        }
        Ok(self.pool.ops.len())
    }

    /// Runs chunk `c` of `plan` (the prologue has run); Pieces write their
    /// partials, one per reduction, to `parts`.
    unsafe fn chunk(&mut self, plan: Plan, c: usize, npro: usize, r: usize, parts: *mut u64) {
        let body = (npro, self.pool.ops.len());
        let total: usize = self.cur.dims[..self.nd].iter().product();
        match plan {
            Plan::Tiles { step, per, ntiles } => {
                for t in c * per..((c + 1) * per).min(ntiles) {
                    let (start, n) = (t * step, step.min(total - t * step));
                    self.seek(start, n);
                    let mode = if self.pool.reduces.is_empty() && !self.segs { Mode::Plain } else { Mode::Segments { r, first: start / r } };
                    self.exec(body, n, mode);
                }
            }
            Plan::Outputs { per, k } => {
                for o in c * per..((c + 1) * per).min(k) {
                    self.pieces(body, o, r, 0, usize::MAX);
                    for (j, &(f, out)) in self.pool.reduces.iter().enumerate() {
                        (f.put)(out, o, self.pool.cascades[j].finish(&f));
                    }
                }
            }
            Plan::Pieces { per, nper, tiles } => {
                let (o, p) = (c / nper, c % nper);
                self.pieces(body, o, r, p * per, ((p + 1) * per).min(tiles));
                for (j, &(f, _)) in self.pool.reduces.iter().enumerate() {
                    *parts.add(j) = self.pool.cascades[j].finish(&f);
                }
            }
        }
    }

    /// Pushes the partials of tiles `t0..t1` (clipped) of output `o`'s segment of `r` elements.
    unsafe fn pieces(&mut self, body: (usize, usize), o: usize, r: usize, t0: usize, t1: usize) {
        let mut c = t0 * self.tile;
        while c < r && c < t1.saturating_mul(self.tile) {
            let n = self.tile.min(r - c);
            self.seek(o * r + c, n);
            self.exec(body, n, Mode::Partial);
            c += n;
        }
    }

    /// Moves to the tile of `n` elements at flat position `start`; finds direct-store targets.
    unsafe fn seek(&mut self, start: usize, n: usize) {
        self.cur.seek(start);
        for k in 0..self.pool.directs.len() {
            self.pool.targets[k] = match self.pool.directs[k] {
                Some(d) if self.cur.one_run(&self.w[d.at..d.at + self.nd], n) == Some(1) => {
                    let strides = &self.w[d.at..d.at + self.nd];
                    self.addr(d.slot, d.off).offset(self.cur.offset(strides) * d.es as isize)
                }
                _ => core::ptr::null_mut(),
            };
        }
    }

    /// Where an op writing register `dst` puts a result of stride `s`: straight into
    /// the output of the body's STORE `direct - 1` when allowed, else the register's scratch.
    fn out(&self, dst: usize, direct: usize, s: isize) -> *mut u8 {
        if direct > 0 && s == 1 {
            let t = self.pool.targets[direct - 1];
            if !t.is_null() {
                return t;
            }
        }
        self.reg_scratch(dst)
    }

    /// Runs ops `range` over `n` elements from the current tile start.
    unsafe fn exec(&mut self, (start, end): (usize, usize), n: usize, mode: Mode) {
        let nd = self.nd;
        // The tile's segments, for per-segment ops (decode allows them only then).
        let (m, first) = match mode {
            Mode::Segments { r, first } => (n / r, first),
            _ => (0, 0),
        };
        let len = |seg: bool| if seg { m } else { n };
        for i in start..end {
            match self.pool.ops[i] {
                Op::Load { dst, es, slot, off, at } => {
                    let src = self.addr(slot, off);
                    self.pool.regs[dst] = self.cur.load(src, es, &self.w[at..at + nd], n, self.reg_scratch(dst));
                }
                Op::Const { dst, es, bits } => {
                    let p = self.reg_scratch(dst);
                    match es {
                        1 => *p = bits as u8,
                        4 => *(p as *mut u32) = bits as u32,
                        _ => *(p as *mut u64) = bits,
                    }
                    self.pool.regs[dst] = Reg { ptr: p, stride: 0, seg: false };
                }
                Op::Row1 { f, y, dst, direct, src, seg } => {
                    let x = self.pool.regs[src];
                    // A per-segment source gives a per-segment result.
                    let seg = seg || x.seg;
                    let out = if seg { self.reg_scratch(dst) } else { self.out(dst, direct, x.stride) };
                    f(x.ptr, x.stride, out, if x.stride == 0 { 1 } else { len(seg) }, y);
                    self.pool.regs[dst] = Reg { ptr: out, stride: x.stride, seg: seg && x.stride != 0 };
                }
                Op::Row2 { f, dst, direct, a, b, seg, ies, oes } => {
                    let (a, b) = (self.pool.regs[a], self.pool.regs[b]);
                    let s = a.stride | b.stride;
                    if !seg && (a.seg || b.seg) && (full(a) || full(b)) && m > 0 {
                        let (out, r) = (self.out(dst, direct, 1), n / m);
                        if r < SHORT_SEGMENT {
                            // Short segments: the per-segment operand expanded, one call.
                            let x = |x: Reg| if x.seg { self.expand_segments(x, ies, m, r) as *const u8 } else { x.ptr };
                            f(x(a), a.stride, x(b), b.stride, out, n);
                            self.pool.regs[dst] = Reg { ptr: out, stride: 1, seg: false };
                            continue;
                        }
                        // Per-segment and whole-tile operands: one call per segment.
                        for k in 0..m {
                            let ((pa, sa), (pb, sb)) = (at_segment(a, k, r, ies), at_segment(b, k, r, ies));
                            f(pa, sa, pb, sb, out.add(k * r * oes), r);
                        }
                        self.pool.regs[dst] = Reg { ptr: out, stride: 1, seg: false };
                        continue;
                    }
                    let seg = seg || a.seg || b.seg;
                    let out = if seg { self.reg_scratch(dst) } else { self.out(dst, direct, s) };
                    f(a.ptr, a.stride, b.ptr, b.stride, out, if s == 0 { 1 } else { len(seg) });
                    self.pool.regs[dst] = Reg { ptr: out, stride: s, seg: seg && s != 0 };
                }
                Op::Select { dt, pred_dt, dst, direct, pred, at, n: nc, seg } => {
                    let pr = self.pool.regs[pred];
                    let case = |k: usize| self.pool.regs[(self.w[at + k] & 0xffff) as usize];
                    let (any_seg, any_full, s) =
                        (0..nc).map(case).fold((pr.seg, full(pr), pr.stride), |(a, f, s), r| (a || r.seg, f || full(r), s | r.stride));
                    // Per-segment and whole-tile operands: one call per segment.
                    let mixed = !seg && any_seg && any_full && m > 0;
                    let seg = !mixed && (seg || any_seg);
                    let (calls, r) = if mixed { (m, n / m) } else { (1, 0) };
                    let out = if seg { self.reg_scratch(dst) } else { self.out(dst, direct, if mixed { 1 } else { s }) };
                    let (pes, es) = (pred_dt.size(), dt.size());
                    let at_call = |x: Reg, k: usize, es: usize| if mixed { at_segment(x, k, r, es) } else { (x.ptr as *const u8, x.stride) };
                    for k in 0..calls {
                        self.pool.cases.clear();
                        self.pool.case_strides.clear();
                        for c in 0..nc {
                            let (p, st) = at_call(self.pool.regs[(self.w[at + c] & 0xffff) as usize], k, es);
                            self.pool.cases.push(p);
                            self.pool.case_strides.push(st);
                        }
                        let (pp, ps) = at_call(pr, k, pes);
                        let len = if mixed { r } else if s == 0 { 1 } else { len(seg) };
                        select_row::<SIMD>(dt, pred_of(pred_dt, pp).unwrap(), ps, &self.pool.cases, &self.pool.case_strides, out.add(k * r * es), len);
                    }
                    self.pool.regs[dst] = Reg { ptr: out, stride: if mixed { 1 } else { s }, seg: seg && s != 0 };
                }
                Op::Store { src, es, slot, off, at } => {
                    let dst = self.addr(slot, off);
                    let x = self.pool.regs[src];
                    let x = if x.seg && m > 0 { Reg { ptr: self.expand_segments(x, es, m, n / m), stride: 1, seg: false } } else { x };
                    self.cur.store(x, dst, es, &self.w[at..at + nd], n);
                }
                Op::SegLoad { dst, es, slot, off } => {
                    let p = self.reg_scratch(dst);
                    copy_run(es, self.addr(slot, off).add(first * es), 1, p, 1, m);
                    self.pool.regs[dst] = Reg { ptr: p, stride: 1, seg: true };
                }
                Op::SegStore { src, es, slot, off } => {
                    let x = self.pool.regs[src];
                    copy_run(es, x.ptr, x.stride, self.addr(slot, off).add(first * es), 1, m);
                }
                Op::Reduce { k, src, es } => {
                    let x = self.pool.regs[src];
                    let x = if x.seg && m > 0 { self.expand_segments(x, es, m, n / m) } else if x.stride == 0 { self.expand(x, es, n) } else { x.ptr };
                    let (f, out) = self.pool.reduces[k];
                    match mode {
                        Mode::Segments { r, first } => {
                            for s in 0..n / r {
                                (f.put)(out, first + s, (f.part)(x.add(s * r * es), r));
                            }
                        }
                        Mode::Partial => self.pool.cascades[k].push((f.part)(x, n), f.comb),
                        Mode::Plain => {}
                    }
                }
            }
        }
    }

    /// A per-segment register over its `m` segments of `r` elements, in the spare register.
    unsafe fn expand_segments(&self, x: Reg, es: usize, m: usize, r: usize) -> *mut u8 {
        let dst = self.reg_scratch(self.nregs);
        for k in 0..m {
            copy_run(es, x.ptr.add(k * es), 0, dst.add(k * r * es), 1, r);
        }
        dst
    }

    /// `n` copies of a broadcast register's element, in the spare register.
    unsafe fn expand(&self, x: Reg, es: usize, n: usize) -> *const u8 {
        let dst = self.reg_scratch(self.nregs);
        for i in 0..n {
            core::ptr::copy_nonoverlapping(x.ptr, dst.add(i * es), es);
        }
        dst
    }
}
