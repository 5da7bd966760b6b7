//! gather and the scatter family over a canonical geometry (the one
//! `src/trace/gather-geometry.ts` computes): every batch position of the indices
//! starts a window in the operand; the window's elements pair with elements of the
//! other array (gather's output, scatter's updates) through per-axis strides.
//!
//! ## Geometry words (u32)
//! `unsigned mode nd shape[nd] window[nd] operand_strides[nd] other_window_strides[nd]
//! nb batch_shape[nb] index_strides[nb+1] other_batch_strides[nb]
//! nmap map[nmap] nbat operand_batching[nbat] indices_batching[nbat]`.
//! `unsigned`: 1 for uint32 indices; `mode`: 0 clip (also promise_in_bounds), 1 fill
//! (gather writes the fill value over an out-of-range window, scatter drops it).
//! Strides are in elements (i32); `index_strides[nb]` steps the index vector.
use crate::abi::BAD_CODE;
use crate::binary::{Add, Binary, Max, Min, Mul};
use crate::copy::copy_dyn;
use crate::dtype::{DType, Elem};
use crate::strided::for_each_row;

pub struct Geometry {
    unsigned: bool,
    fill: bool,
    shape: Vec<usize>,
    window: Vec<usize>,
    operand_strides: Vec<isize>,
    window_strides: Vec<isize>,
    batch_shape: Vec<usize>,
    index_strides: Vec<isize>,
    batch_strides: Vec<isize>,
    map: Vec<usize>,
    operand_batching: Vec<usize>,
    indices_batching: Vec<usize>,
}

impl Geometry {
    /// Parses geometry words; `Err(BAD_CODE)` if they are truncated or inconsistent.
    pub fn parse(w: &[u32]) -> Result<Geometry, i32> {
        let mut i = 0;
        let mut next = || -> Result<u32, i32> {
            let v = *w.get(i).ok_or(BAD_CODE)?;
            i += 1;
            Ok(v)
        };
        let unsigned = next()? == 1;
        let fill = next()? == 1;
        let nd = next()? as usize;
        let mut dims = |k: usize| -> Result<Vec<usize>, i32> { (0..k).map(|_| next().map(|v| v as usize)).collect() };
        let shape = dims(nd)?;
        let window = dims(nd)?;
        let mut strides = |k: usize| -> Result<Vec<isize>, i32> { (0..k).map(|_| next().map(|v| v as i32 as isize)).collect() };
        let operand_strides = strides(nd)?;
        let window_strides = strides(nd)?;
        let nb = next()? as usize;
        let batch_shape = (0..nb).map(|_| next().map(|v| v as usize)).collect::<Result<Vec<_>, _>>()?;
        let index_strides = (0..nb + 1).map(|_| next().map(|v| v as i32 as isize)).collect::<Result<Vec<_>, _>>()?;
        let batch_strides = (0..nb).map(|_| next().map(|v| v as i32 as isize)).collect::<Result<Vec<_>, _>>()?;
        let nmap = next()? as usize;
        let map = (0..nmap).map(|_| next().map(|v| v as usize)).collect::<Result<Vec<_>, _>>()?;
        let nbat = next()? as usize;
        let operand_batching = (0..nbat).map(|_| next().map(|v| v as usize)).collect::<Result<Vec<_>, _>>()?;
        let indices_batching = (0..nbat).map(|_| next().map(|v| v as usize)).collect::<Result<Vec<_>, _>>()?;
        let ok = i == w.len()
            && (0..nd).all(|d| window[d] <= shape[d])
            && map.iter().chain(&operand_batching).all(|&d| d < nd)
            && indices_batching.iter().all(|&d| d < nb);
        if !ok {
            return Err(BAD_CODE);
        }
        Ok(Geometry {
            unsigned, fill, shape, window, operand_strides, window_strides, batch_shape,
            index_strides, batch_strides, map, operand_batching, indices_batching,
        })
    }

    /// The operand's shape.
    pub fn shape(&self) -> &[usize] {
        &self.shape
    }

    /// For every batch position: the operand element offset of its window start
    /// (None: out of range under mode fill) and the other array's offset.
    unsafe fn for_each_window<F: FnMut(Option<isize>, isize)>(&self, indices: *const u8, mut f: F) {
        let nb = self.batch_shape.len();
        let total: usize = self.batch_shape.iter().product();
        let mut coord = vec![0usize; nb];
        let mut start = vec![0i64; self.shape.len()];
        for _ in 0..total {
            let mut ip = 0isize;
            let mut other = 0isize;
            for k in 0..nb {
                ip += coord[k] as isize * self.index_strides[k];
                other += coord[k] as isize * self.batch_strides[k];
            }
            start.iter_mut().for_each(|s| *s = 0);
            for (k, &d) in self.map.iter().enumerate() {
                let p = (indices as *const u32).offset(ip + k as isize * self.index_strides[nb]);
                start[d] = if self.unsigned { *p as i64 } else { *p as i32 as i64 };
            }
            for (j, &d) in self.operand_batching.iter().enumerate() {
                start[d] = coord[self.indices_batching[j]] as i64;
            }
            let mut at = 0isize;
            let mut inside = true;
            for d in 0..self.shape.len() {
                let limit = (self.shape[d] - self.window[d]) as i64;
                inside &= start[d] >= 0 && start[d] <= limit;
                at += start[d].clamp(0, limit) as isize * self.operand_strides[d];
            }
            f(if inside || !self.fill { Some(at) } else { None }, other);
            for k in (0..nb).rev() {
                coord[k] += 1;
                if coord[k] < self.batch_shape[k] {
                    break;
                }
                coord[k] = 0;
            }
        }
    }
}

/// gather: `out` (through the geometry's other strides) gets each window of
/// `operand`, or `fill` (the element's bytes, little-endian) for dropped windows.
pub unsafe fn gather(g: &Geometry, elem: usize, operand: *const u8, indices: *const u8, out: *mut u8, fill: u64) -> bool {
    if !matches!(elem, 1 | 4 | 8) {
        return false;
    }
    let fill_bytes = fill.to_le_bytes();
    let mut ok = true;
    g.for_each_window(indices, |at, other| {
        let dst = out.offset(other * elem as isize);
        match at {
            Some(at) => ok &= copy_dyn(elem, &g.window, operand.offset(at * elem as isize), &g.operand_strides, dst, &g.window_strides),
            None => ok &= copy_dyn(elem, &g.window, fill_bytes.as_ptr(), &vec![0; g.window.len()], dst, &g.window_strides),
        }
    });
    ok
}

/// Scatter combine codes of the C ABI.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Combine {
    Replace = 0,
    Add = 1,
    Mul = 2,
    Min = 3,
    Max = 4,
}

impl Combine {
    pub fn from_code(c: u32) -> Option<Self> {
        use Combine::*;
        [Replace, Add, Mul, Min, Max].get(c as usize).copied()
    }
}

unsafe fn scatter_with<T: Elem, O: Binary<T>>(g: &Geometry, out: *mut T, indices: *const u8, updates: *const T, replace: bool) {
    // Inner strides of the rows (a rank-0 window is one row of one element).
    let s_o = g.operand_strides.last().copied().unwrap_or(0);
    let s_u = g.window_strides.last().copied().unwrap_or(0);
    g.for_each_window(indices, |at, other| {
        let at = match at {
            Some(at) => at,
            None => return,
        };
        for_each_row(&g.window, &[&g.operand_strides, &g.window_strides], |o, n| {
            let (dst, src) = (out.offset(at + o[0]), updates.offset(other + o[1]));
            for i in 0..n as isize {
                let (d, u) = (dst.offset(i * s_o), *src.offset(i * s_u));
                *d = if replace { u } else { O::s(*d, u) };
            }
        });
    });
}

/// scatter: combines each window of `updates` into `out` (which already holds the operand,
/// contiguous with the geometry's operand strides). Later updates apply after earlier ones.
pub unsafe fn scatter(g: &Geometry, op: Combine, dt: DType, out: *mut u8, indices: *const u8, updates: *const u8) -> bool {
    macro_rules! go {
        ($T:ty) => {{
            let (o, u) = (out as *mut $T, updates as *const $T);
            match op {
                Combine::Replace => scatter_with::<$T, Max>(g, o, indices, u, true),
                Combine::Add => scatter_with::<$T, Add>(g, o, indices, u, false),
                Combine::Mul => scatter_with::<$T, Mul>(g, o, indices, u, false),
                Combine::Min => scatter_with::<$T, Min>(g, o, indices, u, false),
                Combine::Max => scatter_with::<$T, Max>(g, o, indices, u, false),
            }
        }};
    }
    match (dt, op) {
        (DType::F32, _) => go!(f32),
        (DType::F64, _) => go!(f64),
        (DType::I32, _) => go!(i32),
        (DType::U32, _) => go!(u32),
        (DType::Bool, Combine::Replace) => scatter_with::<u8, Max>(g, out, indices, updates, true),
        (DType::Bool, Combine::Min) => scatter_with::<u8, Min>(g, out, indices, updates, false),
        (DType::Bool, Combine::Max) => scatter_with::<u8, Max>(g, out, indices, updates, false),
        _ => return false,
    }
    true
}
