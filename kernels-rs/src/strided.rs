//! Row-major iteration over strided operands: the one loop nest every
//! elementwise-style kernel shares. Strides are in elements and may be 0
//! (broadcast) or negative.

/// Calls `f(r, offsets)` for each innermost row of an array of `shape`, in
/// row-major order. `r` numbers the rows (a contiguous output row starts at
/// `r * inner`), and `offsets[k]` is operand k's element offset of the row start
/// under `strides[k]`. A rank-0 shape has one row of one element. Empty shapes
/// have no rows.
pub fn for_each_row<F: FnMut(usize, &[isize])>(shape: &[usize], strides: &[&[isize]], mut f: F) {
    let nd = shape.len();
    let k = strides.len();
    let mut offs = vec![0isize; k];
    if shape.iter().any(|&d| d == 0) {
        return;
    }
    if nd <= 1 {
        f(0, &offs);
        return;
    }
    let outer = &shape[..nd - 1];
    let rows: usize = outer.iter().product();
    let mut idx = vec![0usize; nd - 1];
    for r in 0..rows {
        f(r, &offs);
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
