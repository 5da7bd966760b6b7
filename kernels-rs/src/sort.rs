//! sort: JAX's sort primitive. One or more operands of one shape are sorted
//! together along `axis`, ordered lexicographically by the first `num_keys` of them.
//! Each line's keys become order-preserving unsigned integers (`ordered`); the line's
//! permutation is sorted with ties broken by position, so the result is stable (an
//! unstable request gets the same); then every operand is written through it.
//!
//! Order: numbers ascending; NaNs equal to each other and after every number (JAX
//! sorts NaN last); -0.0 equal to +0.0 (JAX canonicalizes -0 to 0 in its sort
//! comparator), so signed zeros keep their input order. Operands are strided (any
//! strides, 0 too); outputs are contiguous row-major in the common shape.
use crate::dtype::DType;
use crate::parallel::parallel_for;
use core::cmp::Ordering;

/// Elements per chunk of lines handed to a thread.
const CHUNK: usize = 1 << 15;

/// One operand: dtype, first element, element strides per axis, contiguous output.
pub struct SortOperand {
    pub dt: DType,
    pub x: *const u8,
    pub strides: Vec<isize>,
    pub out: *mut u8,
}

/// The key of the element at `x + off` (in elements) of dtype `dt` as an unsigned
/// integer whose order is the sort order: floats map sign-magnitude bits to a
/// monotone integer after -0 is made +0 and every NaN the positive quiet NaN (which
/// lands after +inf); int32 flips its sign bit; u32 and bool are themselves. Keys of
/// every dtype but f64 fit in 32 bits.
#[inline]
unsafe fn ordered(dt: DType, x: *const u8, off: isize) -> u64 {
    match dt {
        DType::F32 => {
            let v = *(x as *const f32).offset(off);
            let b = if v == 0.0 { 0 } else if v.is_nan() { f32::NAN.to_bits() } else { v.to_bits() };
            (if b >> 31 == 1 { !b } else { b | 1 << 31 }) as u64
        }
        DType::F64 => {
            let v = *(x as *const f64).offset(off);
            let b = if v == 0.0 { 0 } else if v.is_nan() { f64::NAN.to_bits() } else { v.to_bits() };
            if b >> 63 == 1 { !b } else { b | 1 << 63 }
        }
        DType::I32 => (*(x as *const i32).offset(off) as u32 ^ 1 << 31) as u64,
        DType::U32 => *(x as *const u32).offset(off) as u64,
        DType::Bool => *x.offset(off) as u64,
    }
}

/// `perm[..n]` becomes the stable sorting permutation of one line whose keys are
/// `keys[k][i]`. Ties are broken by position, so the unstable (pattern-defeating
/// quick) sort gives the stable order; one 32-bit key packs with its index into a u64.
fn line_order(keys: &[Vec<u64>], wide: bool, packed: &mut Vec<u64>, perm: &mut [u32]) {
    if keys.len() == 1 && !wide {
        packed.clear();
        packed.extend(keys[0].iter().enumerate().map(|(i, &k)| k << 32 | i as u64));
        packed.sort_unstable();
        for (p, &v) in perm.iter_mut().zip(packed.iter()) {
            *p = v as u32;
        }
        return;
    }
    for (i, p) in perm.iter_mut().enumerate() {
        *p = i as u32;
    }
    perm.sort_unstable_by(|&i, &j| {
        for k in keys {
            match k[i as usize].cmp(&k[j as usize]) {
                Ordering::Equal => continue,
                o => return o,
            }
        }
        i.cmp(&j)
    });
}

/// Sorts every line of `shape` along `axis`; false (nothing written) when `axis`,
/// `num_keys` or the operands' stride counts do not fit.
pub unsafe fn sort_dyn(shape: &[usize], axis: usize, num_keys: usize, ops: &[SortOperand]) -> bool {
    let nd = shape.len();
    if axis >= nd || num_keys == 0 || num_keys > ops.len() || ops.iter().any(|o| o.strides.len() != nd) {
        return false;
    }
    let total: usize = shape.iter().product();
    if total == 0 {
        return true;
    }
    let n = shape[axis];
    let mut os = vec![1isize; nd];
    for d in (0..nd - 1).rev() {
        os[d] = os[d + 1] * shape[d + 1] as isize;
    }
    let wide = ops[..num_keys].iter().any(|o| o.dt == DType::F64);
    // Chunks of whole lines (about CHUNK elements each) run on the thread pool; lines
    // write disjoint outputs.
    let lines = total / n;
    let per = (CHUNK / n).max(1);
    parallel_for((lines + per - 1) / per, |c, _| {
        let mut keys: Vec<Vec<u64>> = vec![vec![0; n]; num_keys];
        let (mut perm, mut packed) = (vec![0u32; n], Vec::with_capacity(n));
        let mut idx = vec![0usize; nd];
        for line in c * per..lines.min((c + 1) * per) {
            // the line's position over the other axes (row-major)
            let mut rem = line;
            for d in (0..nd).rev().filter(|&d| d != axis) {
                idx[d] = rem % shape[d];
                rem /= shape[d];
            }
            let base = |o: &SortOperand| -> isize { (0..nd).filter(|&d| d != axis).map(|d| idx[d] as isize * o.strides[d]).sum() };
            for (k, o) in keys.iter_mut().zip(ops) {
                let (b, s) = (base(o), o.strides[axis]);
                for (i, v) in k.iter_mut().enumerate() {
                    *v = ordered(o.dt, o.x, b + i as isize * s);
                }
            }
            line_order(&keys, wide, &mut packed, &mut perm);
            let obase: isize = (0..nd).filter(|&d| d != axis).map(|d| idx[d] as isize * os[d]).sum();
            for o in ops {
                let (b, s, es) = (base(o), o.strides[axis], o.dt.size());
                for (j, &src) in perm.iter().enumerate() {
                    let from = o.x.offset((b + src as isize * s) * es as isize);
                    let to = o.out.offset((obase + j as isize * os[axis]) * es as isize);
                    core::ptr::copy_nonoverlapping(from, to, es);
                }
            }
        }
    });
    true
}
