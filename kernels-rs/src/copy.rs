//! Strided copy (materialise any view, or write into a strided destination as
//! concatenate does) and iota.
use crate::dtype::{DType, Elem};
use crate::strided::{for_each_row, inner};

/// Copies an array of `shape` from `src` (strides `ss`) to `dst` (strides `ds`),
/// moving elements of type `T`. Contiguous rows become one memcpy.
pub unsafe fn copy<T: Copy>(shape: &[usize], src: *const T, ss: &[isize], dst: *mut T, ds: &[isize]) {
    let (is, id) = (inner(shape, ss).1, inner(shape, ds).1);
    for_each_row(shape, &[ss, ds], |o, n| {
        let (s, d) = (src.offset(o[0]), dst.offset(o[1]));
        if is == 1 && id == 1 {
            core::ptr::copy_nonoverlapping(s, d, n);
        } else if is == 0 {
            let v = *s;
            for i in 0..n {
                *d.offset(i as isize * id) = v;
            }
        } else {
            for i in 0..n {
                *d.offset(i as isize * id) = *s.offset(i as isize * is);
            }
        }
    });
}

/// Copy by element size in bytes (1, 4 or 8); `false` for any other size.
pub unsafe fn copy_dyn(elem_bytes: usize, shape: &[usize], src: *const u8, ss: &[isize], dst: *mut u8, ds: &[isize]) -> bool {
    match elem_bytes {
        1 => copy::<u8>(shape, src, ss, dst, ds),
        4 => copy::<u32>(shape, src as *const u32, ss, dst as *mut u32, ds),
        8 => copy::<u64>(shape, src as *const u64, ss, dst as *mut u64, ds),
        _ => return false,
    }
    true
}

/// Values that iota can produce from an index.
pub trait FromIndex: Elem {
    fn from_index(i: usize) -> Self;
}
impl FromIndex for f32 { fn from_index(i: usize) -> Self { i as f32 } }
impl FromIndex for f64 { fn from_index(i: usize) -> Self { i as f64 } }
impl FromIndex for i32 { fn from_index(i: usize) -> Self { i as i32 } }
impl FromIndex for u32 { fn from_index(i: usize) -> Self { i as u32 } }
impl FromIndex for u8 { fn from_index(i: usize) -> Self { (i != 0) as u8 } }

/// iota over a shape viewed as [outer, n, inner]: out[o, i, j] = i.
pub unsafe fn iota<T: FromIndex>(outer: usize, n: usize, inner: usize, out: *mut T) {
    let mut p = out;
    for _ in 0..outer {
        for i in 0..n {
            let v = T::from_index(i);
            for j in 0..inner {
                *p.add(j) = v;
            }
            p = p.add(inner);
        }
    }
}

pub unsafe fn iota_dyn(dt: DType, outer: usize, n: usize, inner: usize, out: *mut u8) {
    crate::with_elem!(dt, T => iota::<T>(outer, n, inner, out as *mut T))
}
