//! Row-major iteration over strided operands: the one loop nest every
//! elementwise-style kernel shares. Strides are in elements and may be 0
//! (broadcast) or negative.

/// Length of the tiles a transposed walk is cut into (see `for_each_row`).
pub const TILE: usize = 64;

/// Calls `f(offsets, n)` for rows of `n` consecutive elements along the last axis,
/// covering an array of `shape` exactly once; `offsets[k]` is operand k's element
/// offset of the row start under `strides[k]` (outputs are operands too, usually
/// with contiguous strides). A rank-0 shape is one row of one element; empty
/// shapes have no rows.
///
/// Rows come in row-major order, except when some operand walks the last axis
/// with a stride larger than its stride on the second-to-last axis (a transposed
/// view): then the last axis is cut into tiles of `TILE` elements and each tile
/// is swept down the second-to-last axis, so that operand reuses its cache lines
/// instead of touching a new one per element.
pub fn for_each_row<F: FnMut(&[isize], usize)>(shape: &[usize], strides: &[&[isize]], mut f: F) {
    let nd = shape.len();
    let zero = vec![0isize; strides.len()];
    if shape.iter().any(|&d| d == 0) {
        return;
    }
    if nd == 0 {
        f(&zero, 1);
        return;
    }
    let j = shape[nd - 1];
    let transposed = |s: &&[isize]| {
        let (a, b) = (s[nd - 1].abs(), s[nd - 2].abs());
        a > 1 && b < a
    };
    if nd < 2 || j <= TILE || shape[nd - 2] < 2 || !strides.iter().any(transposed) {
        rows(shape, strides, &zero, &mut f);
        return;
    }
    // Whole tiles: axes [..outer, tile, i, t] with strides [.., TILE*s_j, s_i, s_j].
    let nt = j / TILE;
    let mut sh = shape[..nd - 2].to_vec();
    sh.extend_from_slice(&[nt, shape[nd - 2], TILE]);
    let st: Vec<Vec<isize>> = strides
        .iter()
        .map(|s| {
            let mut v = s[..nd - 2].to_vec();
            v.extend_from_slice(&[s[nd - 1] * TILE as isize, s[nd - 2], s[nd - 1]]);
            v
        })
        .collect();
    let st_refs: Vec<&[isize]> = st.iter().map(|v| v.as_slice()).collect();
    rows(&sh, &st_refs, &zero, &mut f);
    // The ragged last columns, in plain order.
    let rem = j - nt * TILE;
    if rem > 0 {
        let mut sh = shape.to_vec();
        sh[nd - 1] = rem;
        let base: Vec<isize> = strides.iter().map(|s| s[nd - 1] * (nt * TILE) as isize).collect();
        rows(&sh, strides, &base, &mut f);
    }
}

/// Row-major rows of `shape` (rank >= 1), offsets starting at `base`. Not inlined,
/// and `f` is dynamic, so each kernel's row body is compiled once, not per walk.
#[inline(never)]
fn rows(shape: &[usize], strides: &[&[isize]], base: &[isize], f: &mut dyn FnMut(&[isize], usize)) {
    let nd = shape.len();
    let k = strides.len();
    let n = shape[nd - 1];
    let mut offs = base.to_vec();
    let outer = &shape[..nd - 1];
    let count: usize = outer.iter().product();
    let mut idx = vec![0usize; nd - 1];
    for _ in 0..count {
        f(&offs, n);
        // Advance the odometer over the outer axes, last axis fastest.
        let mut d = nd - 1;
        while d > 0 {
            d -= 1;
            idx[d] += 1;
            for j in 0..k {
                offs[j] += strides[j][d];
            }
            if idx[d] < outer[d] {
                break;
            }
            for j in 0..k {
                offs[j] -= strides[j][d] * outer[d] as isize;
            }
            idx[d] = 0;
        }
    }
}

/// Length and per-operand stride of the innermost axis (1 and 0 for rank 0).
pub fn inner(shape: &[usize], strides: &[isize]) -> (usize, isize) {
    match shape.len() {
        0 => (1, 0),
        n => (shape[n - 1], strides[n - 1]),
    }
}

/// Row-major strides of `shape`, in elements.
pub fn contiguous_strides(shape: &[usize]) -> Vec<isize> {
    let mut s = vec![0isize; shape.len()];
    let mut acc = 1isize;
    for i in (0..shape.len()).rev() {
        s[i] = acc;
        acc *= shape[i] as isize;
    }
    s
}

/// Element offsets of an array of `shape` under `strides`, in row-major order,
/// without allocating per step. `reset` rewinds it for reuse.
pub struct Offsets {
    shape: Vec<usize>,
    strides: Vec<isize>,
    idx: Vec<usize>,
    off: isize,
    left: usize,
}

impl Offsets {
    pub fn new(shape: &[usize], strides: &[isize]) -> Self {
        let mut o = Offsets {
            shape: shape.to_vec(),
            strides: strides.to_vec(),
            idx: vec![0; shape.len()],
            off: 0,
            left: 0,
        };
        o.reset();
        o
    }
    /// Number of offsets a full pass yields (1 for rank 0).
    pub fn total(&self) -> usize {
        self.shape.iter().product()
    }
    pub fn reset(&mut self) {
        self.idx.iter_mut().for_each(|i| *i = 0);
        self.off = 0;
        self.left = self.total();
    }
}

impl Iterator for Offsets {
    type Item = isize;
    #[inline]
    fn next(&mut self) -> Option<isize> {
        if self.left == 0 {
            return None;
        }
        let cur = self.off;
        self.left -= 1;
        if self.left > 0 {
            let mut d = self.shape.len();
            while d > 0 {
                d -= 1;
                self.idx[d] += 1;
                self.off += self.strides[d];
                if self.idx[d] < self.shape[d] {
                    break;
                }
                self.off -= self.strides[d] * self.shape[d] as isize;
                self.idx[d] = 0;
            }
        }
        Some(cur)
    }
}
