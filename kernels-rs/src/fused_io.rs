//! The fused VM's memory side: reading a tile of a strided operand into a register
//! (in place when the tile is one contiguous run) and writing a register to a
//! strided output, and the VM's pooled buffers. A tile is `n` consecutive positions of the row-major domain
//! from multi-index `idx`, so it may span several rows.
use crate::fused::{Op, MAX_RANK};
use crate::fused_ops::{Cascade, RedFns};
use crate::parallel::{PerThread, MAX_THREADS};
use core::cell::UnsafeCell;

/// A register: `ptr` to `n` contiguous elements (stride 1) or to one element
/// broadcast over the tile (stride 0); with `seg`, to one element per segment of
/// the tile (stride 1), each broadcast over its segment (see fused.rs).
#[derive(Clone, Copy)]
pub struct Reg {
    pub ptr: *mut u8,
    pub stride: isize,
    pub seg: bool,
}

/// The domain and the current tile's start.
pub struct Cursor {
    pub nd: usize,
    pub dims: [usize; MAX_RANK],
    pub idx: [usize; MAX_RANK],
    /// The tile's start as a flat (row-major) position.
    pub flat: usize,
}

#[inline(always)]
fn stride(strides: &[u32], d: usize) -> isize {
    strides[d] as i32 as isize
}

impl Cursor {
    /// Sets `idx` to the multi-index of flat position `flat`.
    pub fn seek(&mut self, mut flat: usize) {
        self.flat = flat;
        for d in (0..self.nd).rev() {
            self.idx[d] = flat % self.dims[d];
            flat /= self.dims[d];
        }
    }

    /// The element offset of the tile start under `strides`.
    pub fn offset(&self, strides: &[u32]) -> isize {
        (0..self.nd).map(|d| self.idx[d] as isize * stride(strides, d)).sum()
    }

    /// If the operand's `n`-element tile is one run of stride 1 (contiguous) or 0 (one
    /// element), that stride. Trailing axes the operand walks as one run count as
    /// one row, so a tile may span rows of the domain and still be one run.
    pub fn one_run(&self, strides: &[u32], n: usize) -> Option<isize> {
        let l = self.nd - 1;
        let sl = stride(strides, l);
        if n <= self.dims[l] - self.idx[l] {
            return Some(sl);
        }
        if sl != 0 && sl != 1 {
            return None;
        }
        // The block of trailing axes over which the operand is one run of stride sl.
        let (mut block, mut d) = (self.dims[l], l);
        while d > 0 && stride(strides, d - 1) == sl * block as isize {
            d -= 1;
            block *= self.dims[d];
        }
        if self.flat / block == (self.flat + n - 1) / block { Some(sl) } else { None }
    }

    /// Calls `f(element offset, done, take)` for the runs of the tile along the last axis.
    #[inline(always)]
    pub fn walk<F: FnMut(isize, usize, usize)>(&self, strides: &[u32], n: usize, mut f: F) {
        let nd = self.nd;
        let mut i = self.idx;
        let mut off = self.offset(strides);
        let (inner, sl) = (self.dims[nd - 1], stride(strides, nd - 1));
        let mut done = 0;
        loop {
            let j = i[nd - 1];
            let take = (inner - j).min(n - done);
            f(off, done, take);
            done += take;
            if done >= n {
                return;
            }
            off -= j as isize * sl;
            i[nd - 1] = 0;
            let mut d = nd - 1;
            while d > 0 {
                d -= 1;
                i[d] += 1;
                off += stride(strides, d);
                if i[d] < self.dims[d] {
                    break;
                }
                off -= self.dims[d] as isize * stride(strides, d);
                i[d] = 0;
            }
        }
    }

    /// The tile of the operand at `src` (elements of `es` bytes): in place if it is one
    /// run of stride 0 or 1, else gathered into `scratch`.
    pub unsafe fn load(&self, src: *const u8, es: usize, strides: &[u32], n: usize, scratch: *mut u8) -> Reg {
        let sl = stride(strides, self.nd - 1);
        if let Some(s @ (0 | 1)) = self.one_run(strides, n) {
            return Reg { ptr: src.offset(self.offset(strides) * es as isize) as *mut u8, stride: s, seg: false };
        }
        self.walk(strides, n, |off, done, take| {
            copy_run(es, src.offset(off * es as isize), sl, scratch.add(done * es), 1, take)
        });
        Reg { ptr: scratch, stride: 1, seg: false }
    }

    /// Writes register `x` to the tile of the output at `dst`.
    pub unsafe fn store(&self, x: Reg, dst: *mut u8, es: usize, strides: &[u32], n: usize) {
        let sl = stride(strides, self.nd - 1);
        self.walk(strides, n, |off, done, take| {
            let s = x.ptr.add(done * es * x.stride as usize);
            copy_run(es, s, x.stride, dst.offset(off * es as isize), sl, take)
        });
    }
}

/// Copies `n` elements of `es` bytes from `src` (stride `ss`) to `dst` (stride `ds`).
#[inline(always)]
pub unsafe fn copy_run(es: usize, src: *const u8, ss: isize, dst: *mut u8, ds: isize, n: usize) {
    match es {
        1 => copy_typed::<u8>(src, ss, dst, ds, n),
        4 => copy_typed::<u32>(src, ss, dst, ds, n),
        _ => copy_typed::<u64>(src, ss, dst, ds, n),
    }
}

#[inline(always)]
unsafe fn copy_typed<T: Copy>(src: *const u8, ss: isize, dst: *mut u8, ds: isize, n: usize) {
    let (s, d) = (src as *const T, dst as *mut T);
    if ss == 1 && ds == 1 {
        if s != d as *const T {
            core::ptr::copy_nonoverlapping(s, d, n);
        }
    } else if ss == 0 && ds == 1 {
        // A broadcast run (an epilogue's load of its reduction): a fill the compiler vectorizes.
        core::slice::from_raw_parts_mut(d, n).fill(*s);
    } else if ss == 0 {
        let v = *s;
        for i in 0..n {
            *d.offset(i as isize * ds) = v;
        }
    } else {
        for i in 0..n {
            *d.offset(i as isize * ds) = *s.offset(i as isize * ss);
        }
    }
}

/// A STORE that allows direct writes: its address, element size, and where its strides are in the body.
#[derive(Clone, Copy)]
pub struct Direct {
    pub slot: u32,
    pub off: u32,
    pub es: usize,
    pub at: usize,
}

/// The VM's buffers, kept between instructions so a small instruction allocates nothing.
#[derive(Default)]
pub struct Pool {
    pub scratch: Vec<u64>,
    pub regs: Vec<Reg>,
    /// The decoded prologue, then body.
    pub ops: Vec<Op>,
    pub reduces: Vec<(RedFns, *mut u8)>,
    pub cascades: Vec<Cascade>,
    pub cases: Vec<*const u8>,
    pub case_strides: Vec<isize>,
    /// Per STORE in the body: its direct-write operand (if allowed) and this tile's target.
    pub directs: Vec<Option<Direct>>,
    pub targets: Vec<*mut u8>,
}

impl Pool {
    const EMPTY: UnsafeCell<Pool> = UnsafeCell::new(Pool {
        scratch: Vec::new(),
        regs: Vec::new(),
        ops: Vec::new(),
        reduces: Vec::new(),
        cascades: Vec::new(),
        cases: Vec::new(),
        case_strides: Vec::new(),
        directs: Vec::new(),
        targets: Vec::new(),
    });
}

/// Each thread's VM buffers, by `tid` (see `parallel.rs`).
pub static POOLS: PerThread<Pool> = PerThread([Pool::EMPTY; MAX_THREADS]);
