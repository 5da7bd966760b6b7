//! conv_general_dilated for f32 and f64, any layout (every operand axis has its own
//! stride), any padding (negative crops), dilations and groups.
//!
//! ## Descriptor (u32 words; `i` marks words read as i32)
//! `nsp, n, ci, co, groups, lhs_g(i), rhs_g(i), out_g(i), lhs_n(i), lhs_c(i),
//! rhs_o(i), rhs_i(i), out_n(i), out_o(i)`, then per spatial axis
//! `in, win, out, stride, lo(i), lhs_dil, rhs_dil, lhs_s(i), rhs_s(i), out_s(i)`.
//! Group g reads lhs + g·lhs_g, rhs + g·rhs_g and writes out + g·out_g (the caller
//! folds feature groups into channel offsets and batch groups into batch offsets);
//! within a group: out[n, o, pos] = Σ_taps Σ_c lhs[n, c, tap(pos)] · rhs[o, c, tap].
//!
//! Tap arithmetic on one axis: output position p and tap k read the dilated lhs at
//! q = p·stride − lo + k·rhs_dil, an element iff q ≥ 0, q ≡ 0 (mod lhs_dil) and
//! q / lhs_dil < in.
//!
//! ## Strategies
//! - `direct`: per output position, the taps' lhs offsets, then for every output
//!   feature the dot product over (tap, channel). Small problems.
//!
//! Both read a tap that misses the lhs (padding, dilation holes) as 0 and still
//! multiply it by the weight, as XLA's zero padding does.
//! - `im2col`: blocks of output positions are packed into rows of patches
//!   [rows, taps·ci] (zeros where a tap misses), the kernel once into [taps·ci, co],
//!   and `matmul_dyn` multiplies them; its rows land directly in the output when the
//!   output is channels-last and contiguous, else through a scratch block. Blocks
//!   run in parallel on the thread pool (conv is only called from the main thread,
//!   outside any chunk).
use crate::dtype::DType;
use crate::matmul::{matmul_dyn, Strides3, Threading};
use crate::parallel::{parallel_for, threads, PerThread, MAX_THREADS};
use core::cell::UnsafeCell;

pub trait ConvElem: Copy + Default + core::ops::Add<Output = Self> + core::ops::Mul<Output = Self> {
    const DTYPE: DType;
}
impl ConvElem for f32 {
    const DTYPE: DType = DType::F32;
}
impl ConvElem for f64 {
    const DTYPE: DType = DType::F64;
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Axis {
    pub input: usize,
    pub win: usize,
    pub out: usize,
    pub stride: usize,
    pub lo: isize,
    pub lhs_dil: usize,
    pub rhs_dil: usize,
    pub lhs_s: isize,
    pub rhs_s: isize,
    pub out_s: isize,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ConvDesc {
    pub n: usize,
    pub ci: usize,
    pub co: usize,
    pub groups: usize,
    /// Per-group offsets of lhs, rhs and out (elements).
    pub group: [isize; 3],
    pub lhs_n: isize,
    pub lhs_c: isize,
    pub rhs_o: isize,
    pub rhs_i: isize,
    pub out_n: isize,
    pub out_o: isize,
    pub axes: Vec<Axis>,
}

pub const HEADER_WORDS: usize = 14;
pub const AXIS_WORDS: usize = 10;

impl ConvDesc {
    /// Parses a descriptor; None if it is too short or has zero strides/dilations.
    pub fn parse(w: &[u32]) -> Option<ConvDesc> {
        let nsp = *w.first()? as usize;
        if w.len() < HEADER_WORDS + AXIS_WORDS * nsp {
            return None;
        }
        let i = |k: usize| w[k] as i32 as isize;
        let u = |k: usize| w[k] as usize;
        let axes: Vec<Axis> = (0..nsp)
            .map(|d| {
                let b = HEADER_WORDS + AXIS_WORDS * d;
                Axis {
                    input: u(b), win: u(b + 1), out: u(b + 2), stride: u(b + 3), lo: i(b + 4),
                    lhs_dil: u(b + 5), rhs_dil: u(b + 6), lhs_s: i(b + 7), rhs_s: i(b + 8), out_s: i(b + 9),
                }
            })
            .collect();
        if axes.iter().any(|a| a.stride == 0 || a.lhs_dil == 0 || a.rhs_dil == 0) {
            return None;
        }
        Some(ConvDesc {
            n: u(1), ci: u(2), co: u(3), groups: u(4), group: [i(5), i(6), i(7)],
            lhs_n: i(8), lhs_c: i(9), rhs_o: i(10), rhs_i: i(11), out_n: i(12), out_o: i(13), axes,
        })
    }

    /// Output positions per batch element, and taps per window.
    fn positions(&self) -> usize {
        self.axes.iter().map(|a| a.out).product()
    }
    fn taps(&self) -> usize {
        self.axes.iter().map(|a| a.win).product()
    }
}

/// Per axis, for output position p and tap k: the lhs index read, or -1.
fn tap_tables(d: &ConvDesc) -> Vec<Vec<isize>> {
    d.axes
        .iter()
        .map(|a| {
            let mut t = Vec::with_capacity(a.out * a.win);
            for p in 0..a.out {
                for k in 0..a.win {
                    let q = (p * a.stride) as isize - a.lo + (k * a.rhs_dil) as isize;
                    let dil = a.lhs_dil as isize;
                    t.push(if q >= 0 && q % dil == 0 && q / dil < a.input as isize { q / dil } else { -1 });
                }
            }
            t
        })
        .collect()
}

/// Calls `f(i, n, pos, lhs_taps)` for the `count` output rows from row `first` on,
/// where row `n * positions + p` is batch element n at position p (row-major over
/// the output axes), with the lhs offset of every tap (row-major over the window;
/// relative to batch element n), or None where it misses.
fn for_each_row<F: FnMut(usize, usize, &[usize], &[Option<isize>])>(
    d: &ConvDesc, tables: &[Vec<isize>], first: usize, count: usize, mut f: F,
) {
    if count == 0 {
        return;
    }
    let nsp = d.axes.len();
    let npos = d.positions();
    let mut taps = vec![None; d.taps()];
    let (mut n, mut rest) = (first / npos, first % npos);
    let mut pos = vec![0usize; nsp];
    for ax in (0..nsp).rev() {
        let extent = d.axes[ax].out;
        pos[ax] = rest % extent;
        rest /= extent;
    }
    let mut k = vec![0usize; nsp];
    for i in 0..count {
        for t in taps.iter_mut() {
            let mut off = 0isize;
            let mut hit = true;
            for (ax, a) in d.axes.iter().enumerate() {
                let idx = tables[ax][pos[ax] * a.win + k[ax]];
                hit &= idx >= 0;
                off += idx * a.lhs_s;
            }
            *t = if hit { Some(off) } else { None };
            for ax in (0..nsp).rev() {
                k[ax] += 1;
                if k[ax] < d.axes[ax].win {
                    break;
                }
                k[ax] = 0;
            }
        }
        f(i, n, &pos, &taps);
        let mut carry = true;
        for ax in (0..nsp).rev() {
            pos[ax] += 1;
            if pos[ax] < d.axes[ax].out {
                carry = false;
                break;
            }
            pos[ax] = 0;
        }
        n += carry as usize;
    }
}

/// The rhs offset of each tap (row-major over the window).
fn rhs_taps(d: &ConvDesc) -> Vec<isize> {
    let mut offs = vec![0isize];
    for a in &d.axes {
        offs = offs.iter().flat_map(|&o| (0..a.win).map(move |k| o + k as isize * a.rhs_s)).collect();
    }
    offs
}

fn out_offset(d: &ConvDesc, pos: &[usize]) -> isize {
    pos.iter().zip(&d.axes).map(|(&p, a)| p as isize * a.out_s).sum()
}

/// The plain loop: every output element as a dot product over (tap, channel).
pub unsafe fn direct<T: ConvElem>(d: &ConvDesc, lhs: *const T, rhs: *const T, out: *mut T) {
    let tables = tap_tables(d);
    let rtaps = rhs_taps(d);
    for g in 0..d.groups {
        let (l0, r0, o0) = (lhs.offset(g as isize * d.group[0]), rhs.offset(g as isize * d.group[1]), out.offset(g as isize * d.group[2]));
        for_each_row(d, &tables, 0, d.n * d.positions(), |_, n, pos, taps| {
            let ln = l0.offset(n as isize * d.lhs_n);
            let op = o0.offset(n as isize * d.out_n + out_offset(d, pos));
            for o in 0..d.co {
                let ro = r0.offset(o as isize * d.rhs_o);
                let mut acc = T::default();
                for (t, lt) in taps.iter().enumerate() {
                    for c in 0..d.ci {
                        // A missed tap reads 0, which still multiplies (0 · inf is NaN, as in XLA).
                        let x = match lt {
                            Some(lt) => *ln.offset(lt + c as isize * d.lhs_c),
                            None => T::default(),
                        };
                        acc = acc + x * *ro.offset(rtaps[t] + c as isize * d.rhs_i);
                    }
                }
                *op.offset(o as isize * d.out_o) = acc;
            }
        });
    }
}

/// Output rows per im2col chunk: about 256 KiB of patches, and on the pool fewer,
/// so a product has about 8 chunks to share (each chunk packs the kernel matrix
/// again in its matmul, so one thread keeps the large blocks).
fn block_rows(rows: usize, k: usize, elem: usize) -> usize {
    let cap = (256 * 1024 / (k * elem).max(1)).clamp(16, 4096);
    if threads() == 1 { cap } else { cap.min(((rows + 7) / 8 + 11) / 12 * 12).max(16) }
}

/// im2col + matmul_dyn; see the module docs. Chunks of output rows run on the pool:
/// each packs its own patches and multiplies them by the shared kernel matrix, and
/// every output element is one whole matmul dot product, so the cut never changes
/// a result.
pub unsafe fn im2col<T: ConvElem>(d: &ConvDesc, lhs: *const T, rhs: *const T, out: *mut T) {
    let rows = d.n * d.positions();
    let k = d.taps() * d.ci;
    im2col_in_blocks(d, lhs, rhs, out, block_rows(rows, k, core::mem::size_of::<T>()));
}

/// Each thread's im2col buffers, kept between chunks and calls (a chunk's patches
/// are about 256 KiB: allocating and zeroing them per chunk cost a memset of the
/// whole patch matrix per conv). Never cleared: a chunk writes every element it
/// reads (each patch row is filled tap by tap, zeros where a tap misses).
struct Scratch {
    patches: Vec<u64>,
    out: Vec<u64>,
    rows: Vec<isize>,
}
#[allow(clippy::declare_interior_mutable_const)]
const NO_SCRATCH: UnsafeCell<Scratch> = UnsafeCell::new(Scratch { patches: Vec::new(), out: Vec::new(), rows: Vec::new() });
static SCRATCH: PerThread<Scratch> = PerThread([NO_SCRATCH; MAX_THREADS]);

/// The first `n` elements of `v` as `T` (at most 8 bytes, any bit pattern valid),
/// growing it with zeros if it is shorter.
unsafe fn elems<T: Copy>(v: &mut Vec<u64>, n: usize) -> &mut [T] {
    let words = (n * core::mem::size_of::<T>() + 7) / 8;
    if v.len() < words {
        v.resize(words, 0);
    }
    core::slice::from_raw_parts_mut(v.as_mut_ptr() as *mut T, n)
}

/// `im2col` with chunks of `mb` output rows.
pub unsafe fn im2col_in_blocks<T: ConvElem>(d: &ConvDesc, lhs: *const T, rhs: *const T, out: *mut T, mb: usize) {
    let tables = tap_tables(d);
    let rtaps = rhs_taps(d);
    let (ntaps, ci, co) = (rtaps.len(), d.ci, d.co);
    let k = ntaps * ci;
    let rows = d.n * d.positions();
    if rows == 0 || co == 0 {
        return;
    }
    // Output rows (n, pos) contiguous with features innermost: matmul writes in place.
    let mut expect = co as isize;
    let mut in_place = d.out_o == 1;
    for a in d.axes.iter().rev() {
        in_place &= a.out == 1 || a.out_s == expect;
        expect *= a.out as isize;
    }
    in_place &= d.n == 1 || d.out_n == expect;
    let mut w = vec![T::default(); k * co];
    for g in 0..d.groups {
        let (l0, r0, o0) = (lhs.offset(g as isize * d.group[0]), rhs.offset(g as isize * d.group[1]), out.offset(g as isize * d.group[2]));
        for (t, &rt) in rtaps.iter().enumerate() {
            for c in 0..ci {
                let src = r0.offset(rt + c as isize * d.rhs_i);
                let dst = &mut w[(t * ci + c) * co..(t * ci + c + 1) * co];
                for (o, x) in dst.iter_mut().enumerate() {
                    *x = *src.offset(o as isize * d.rhs_o);
                }
            }
        }
        let w = &w;
        parallel_for((rows + mb - 1) / mb, |chunk, tid| {
            let first = chunk * mb;
            let filled = mb.min(rows - first);
            let s = SCRATCH.get(tid);
            let patches = elems::<T>(&mut s.patches, filled * k);
            if s.rows.len() < filled {
                s.rows.resize(filled, 0);
            }
            let row_out = &mut s.rows[..filled];
            for_each_row(d, &tables, first, filled, |i, n, pos, taps| {
                let ln = l0.offset(n as isize * d.lhs_n);
                let row = &mut patches[i * k..(i + 1) * k];
                for (t, lt) in taps.iter().enumerate() {
                    let dst = &mut row[t * ci..(t + 1) * ci];
                    match lt {
                        // Channels-last lhs: a tap's channels are one contiguous run.
                        Some(lt) if d.lhs_c == 1 => dst.copy_from_slice(core::slice::from_raw_parts(ln.offset(*lt), ci)),
                        Some(lt) => {
                            let src = ln.offset(*lt);
                            for (c, x) in dst.iter_mut().enumerate() {
                                *x = *src.offset(c as isize * d.lhs_c);
                            }
                        }
                        None => dst.fill(T::default()),
                    }
                }
                row_out[i] = n as isize * d.out_n + out_offset(d, pos);
            });
            let sa = Strides3 { batch: 0, row: k as isize, col: 1 };
            let sb = Strides3 { batch: 0, row: co as isize, col: 1 };
            let scratch = elems::<T>(&mut s.out, if in_place { 0 } else { filled * co });
            let dst = if in_place { o0.add(first * co) } else { scratch.as_mut_ptr() };
            matmul_dyn(T::DTYPE, 1, filled, co, k, patches.as_ptr() as _, sa, w.as_ptr() as _, sb, dst as _, Threading::Inline);
            if !in_place {
                for (r, &ro) in row_out.iter().enumerate() {
                    let op = o0.offset(ro);
                    for o in 0..co {
                        *op.offset(o as isize * d.out_o) = scratch[r * co + o];
                    }
                }
            }
        });
    }
}

/// Whether im2col + matmul should beat the direct loop: the packing costs about
/// rows·taps·ci copies against rows·taps·ci·co multiply-adds, and matmul's register
/// tiles need several output features to pay off. A heuristic, not a tuned boundary.
pub fn use_im2col(d: &ConvDesc) -> bool {
    let work = d.n * d.positions() * d.taps() * d.ci * d.co;
    d.co >= 4 && work >= 4096
}

/// f32 and f64; false for other dtypes.
pub unsafe fn conv_dyn(dt: DType, d: &ConvDesc, lhs: *const u8, rhs: *const u8, out: *mut u8) -> bool {
    macro_rules! go {
        ($T:ty) => {
            if use_im2col(d) {
                im2col::<$T>(d, lhs as _, rhs as _, out as _)
            } else {
                direct::<$T>(d, lhs as _, rhs as _, out as _)
            }
        };
    }
    match dt {
        DType::F32 => go!(f32),
        DType::F64 => go!(f64),
        _ => return false,
    }
    true
}
