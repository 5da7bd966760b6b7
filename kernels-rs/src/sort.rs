//! sort: JAX's sort primitive. One or more operands of one shape are sorted
//! together along `axis`, ordered lexicographically by the first `num_keys` of them.
//! Each line is sorted as a permutation of indices by the standard library's stable
//! sort (a merge sort), then every operand is written through that permutation, so
//! ties keep their original order (stable; an unstable request gets the same).
//!
//! Order: keys widen exactly to f64 (f32, i32, u32, bool 0/1); NaNs compare equal to
//! each other and after every number (JAX sorts NaN last); -0.0 and +0.0 compare
//! equal (JAX canonicalizes -0 to 0 in its sort comparator), so they keep their
//! input order. Operands are strided (any strides, 0 too); outputs are contiguous
//! row-major in the common shape.
use crate::dtype::DType;
use core::cmp::Ordering;

/// One operand: dtype, first element, element strides per axis, contiguous output.
pub struct SortOperand {
    pub dt: DType,
    pub x: *const u8,
    pub strides: Vec<isize>,
    pub out: *mut u8,
}

/// NaN-last total preorder on widened keys (NaN = NaN, -0 = +0).
#[inline]
pub fn key_order(a: f64, b: f64) -> Ordering {
    match (a.is_nan(), b.is_nan()) {
        (true, true) => Ordering::Equal,
        (true, false) => Ordering::Greater,
        (false, true) => Ordering::Less,
        (false, false) => a.partial_cmp(&b).unwrap_or(Ordering::Equal),
    }
}

/// The element at `x + off` (in elements) of dtype `dt`, widened to f64 (exact).
#[inline]
unsafe fn widened(dt: DType, x: *const u8, off: isize) -> f64 {
    match dt {
        DType::F32 => *(x as *const f32).offset(off) as f64,
        DType::F64 => *(x as *const f64).offset(off),
        DType::I32 => *(x as *const i32).offset(off) as f64,
        DType::U32 => *(x as *const u32).offset(off) as f64,
        DType::Bool => *x.offset(off) as f64,
    }
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
    let mut keys: Vec<Vec<f64>> = vec![vec![0.0; n]; num_keys];
    let mut perm: Vec<u32> = (0..n as u32).collect();
    let mut idx = vec![0usize; nd];
    for _ in 0..total / n {
        let base = |o: &SortOperand| -> isize { (0..nd).map(|d| idx[d] as isize * o.strides[d]).sum() };
        for (k, o) in keys.iter_mut().zip(ops) {
            let (b, s) = (base(o), o.strides[axis]);
            for (i, v) in k.iter_mut().enumerate() {
                *v = widened(o.dt, o.x, b + i as isize * s);
            }
        }
        for (i, p) in perm.iter_mut().enumerate() {
            *p = i as u32;
        }
        perm.sort_by(|&i, &j| {
            for k in &keys {
                match key_order(k[i as usize], k[j as usize]) {
                    Ordering::Equal => continue,
                    o => return o,
                }
            }
            Ordering::Equal
        });
        let obase: isize = (0..nd).map(|d| idx[d] as isize * os[d]).sum();
        for o in ops {
            let (b, s, es) = (base(o), o.strides[axis], o.dt.size());
            for (j, &src) in perm.iter().enumerate() {
                let from = o.x.offset((b + src as isize * s) * es as isize);
                let to = o.out.offset((obase + j as isize * os[axis]) * es as isize);
                core::ptr::copy_nonoverlapping(from, to, es);
            }
        }
        for d in (0..nd).rev() {
            if d == axis {
                continue;
            }
            idx[d] += 1;
            if idx[d] < shape[d] {
                break;
            }
            idx[d] = 0;
        }
    }
    true
}
