//! Large kernel calls cut into fixed chunks for `parallel::parallel_for`: each chunk
//! calls the ordinary single-threaded kernel on a sub-block. Chunk boundaries depend
//! only on the problem's shape (never on the thread count), and partial results
//! combine in chunk order, so every build and thread count gives the same bits.
use crate::dtype::DType;
use crate::matmul::{matmul_dyn, Strides3, Threading};
use crate::parallel::parallel_for;
use crate::reduce::{reduce_dyn, ReduceOp};
use crate::words::Words;
use core::sync::atomic::{AtomicBool, Ordering};

/// Calls smaller than this many elements (or element-costs) run as one chunk.
pub const MIN_SPLIT: usize = 1 << 16;
/// Target elements (element-costs) per chunk.
pub const CHUNK: usize = 1 << 15;
/// Matmuls below this many flops run as one chunk.
pub const MIN_SPLIT_FLOPS: usize = 1 << 22;
/// Batched matmuls with fewer rows than this run one batch element per chunk
/// (their row blocks would be too few to share over the pool).
pub const MIN_MATMUL_ROWS: usize = 64;

/// A row-major domain cut into blocks: the indices of axes before `axis` fixed,
/// a range of `axis`, all of the axes after it.
pub struct Blocks<'a> {
    dims: &'a [usize],
    axis: usize,
    /// Indices of `axis` per block, and blocks per fixed outer index.
    per: usize,
    nper: usize,
    pub count: usize,
}

/// One block: `dims` are the sub-block's extents of axes `axis..`; `start` the
/// full index of its first element, `flat` that element's row-major position.
pub struct Block {
    pub axis: usize,
    pub dims: Words<usize>,
    pub start: Words<usize>,
    pub flat: usize,
}

impl Block {
    /// Element offset of the block's first element under `strides` (all axes).
    pub fn offset(&self, strides: &[isize]) -> isize {
        self.start.iter().zip(strides).map(|(&i, &s)| i as isize * s).sum()
    }
}

impl<'a> Blocks<'a> {
    /// Cuts `dims`, each element costing `cost`, into blocks of about `CHUNK` cost;
    /// one block when the total is under `MIN_SPLIT` (or empty).
    pub fn new(dims: &'a [usize], cost: usize) -> Self {
        let cost = cost.max(1);
        let total = dims.iter().product::<usize>().saturating_mul(cost);
        if dims.is_empty() || total < MIN_SPLIT {
            return Blocks { dims, axis: 0, per: dims.first().copied().unwrap_or(1), nper: 1, count: 1 };
        }
        // The outermost axis whose rows (everything after it) fit in a chunk.
        let mut axis = dims.len() - 1;
        let mut row = cost;
        while axis > 0 && row * dims[axis] <= CHUNK {
            row *= dims[axis];
            axis -= 1;
        }
        let per = (CHUNK / row).max(1);
        let nper = (dims[axis] + per - 1) / per;
        let outer: usize = dims[..axis].iter().product();
        Blocks { dims, axis, per, nper, count: outer * nper }
    }

    pub fn block(&self, c: usize) -> Block {
        let (nd, a) = (self.dims.len(), self.axis);
        let mut start = Words::zeros(nd);
        if nd == 0 {
            return Block { axis: 0, dims: Words::zeros(0), start, flat: 0 };
        }
        let (mut o, j) = (c / self.nper, c % self.nper);
        for i in (0..a).rev() {
            start[i] = o % self.dims[i];
            o /= self.dims[i];
        }
        start[a] = j * self.per;
        let mut dims = Words::from_fn(nd - a, |i| self.dims[a + i]);
        dims[0] = self.per.min(self.dims[a] - start[a]);
        let flat = start.iter().zip(self.dims).fold(0, |f, (&i, &d)| f * d + i);
        Block { axis: a, dims, start, flat }
    }
}

/// Runs `f` on every block of `dims` (element cost `cost`) through the pool;
/// `false` if any call returned `false`. Safety: as `parallel_for`.
pub unsafe fn each_block<F: Fn(&Block) -> bool>(dims: &[usize], cost: usize, f: F) -> bool {
    let blocks = Blocks::new(dims, cost);
    let ok = AtomicBool::new(true);
    parallel_for(blocks.count, |c, _| {
        if !f(&blocks.block(c)) {
            ok.store(false, Ordering::Relaxed);
        }
    });
    ok.load(Ordering::Relaxed)
}

/// `reduce_dyn` in chunks: blocks of kept rows when there are several, else
/// blocks of the reduced extent whose partials are then reduced in block order.
/// When the last kept axis is contiguous (and the reduced one is not), `reduce_dyn`
/// sweeps whole kept rows with SIMD, so blocks keep that axis whole.
pub unsafe fn reduce(op: ReduceOp, dt: DType, nkeep: usize, dims: &[usize], strides: &[isize], x: *const u8, out: *mut u8) {
    let es = dt.size() as isize;
    let rows: usize = dims[..nkeep].iter().product();
    let r: usize = dims[nkeep..].iter().product();
    if rows != 1 || r < MIN_SPLIT {
        let whole_rows = nkeep > 0 && strides[nkeep - 1] == 1 && strides.last() != Some(&1);
        let (outer, row) = if whole_rows { (nkeep - 1, dims[nkeep - 1]) } else { (nkeep, 1) };
        each_block(&dims[..outer], r * row, |b| {
            let sub = Words::from_fn(b.dims.len() + dims.len() - outer, |i| if i < b.dims.len() { b.dims[i] } else { dims[outer + i - b.dims.len()] });
            let (xo, oo) = (x.offset(b.offset(strides) * es), out.offset((b.flat * row) as isize * es));
            reduce_dyn(op, dt, nkeep - b.axis, &sub, &strides[b.axis..], xo, oo);
            true
        });
        return;
    }
    let (red, rs) = (&dims[nkeep..], &strides[nkeep..]);
    let blocks = Blocks::new(red, 1);
    // One 8-byte-aligned slot per block holds its partial (of dtype `dt`).
    let mut partials = vec![0u64; blocks.count];
    let p = partials.as_mut_ptr() as usize;
    parallel_for(blocks.count, |c, _| {
        let b = blocks.block(c);
        let slot = (p as *mut u8).offset(c as isize * es);
        reduce_dyn(op, dt, 0, &b.dims, &rs[b.axis..], x.offset(b.offset(rs) * es), slot);
    });
    reduce_dyn(op, dt, 0, &[blocks.count], &[1], partials.as_ptr() as *const u8, out);
}

/// `matmul_dyn` on the pool: a single product, or batched products of at least
/// `MIN_MATMUL_ROWS` rows, share each packed B block across threads (see
/// matmul/driver.rs); smaller batched products run one batch element per chunk.
/// Every c[i, j] is one sequential sum over p whatever the cut, so the bits never
/// depend on the thread count.
pub unsafe fn matmul(
    dt: DType, batch: usize, m: usize, n: usize, k: usize,
    a: *const u8, sa: Strides3, b: *const u8, sb: Strides3, out: *mut u8,
) -> bool {
    let flops = 2usize.saturating_mul(batch).saturating_mul(m).saturating_mul(n).saturating_mul(k);
    if flops < MIN_SPLIT_FLOPS || crate::parallel::threads() == 1 {
        return matmul_dyn(dt, batch, m, n, k, a, sa, b, sb, out, Threading::Inline);
    }
    if batch == 1 || m >= MIN_MATMUL_ROWS {
        return matmul_dyn(dt, batch, m, n, k, a, sa, b, sb, out, Threading::Pool);
    }
    let es = dt.size() as isize;
    let ok = AtomicBool::new(true);
    parallel_for(batch, |bi, _| {
        let bi = bi as isize;
        let (ao, bo) = (a.offset(bi * sa.batch * es), b.offset(bi * sb.batch * es));
        let oo = out.offset(bi * (m * n) as isize * es);
        if !matmul_dyn(dt, 1, m, n, k, ao, sa, bo, sb, oo, Threading::Inline) {
            ok.store(false, Ordering::Relaxed);
        }
    });
    ok.load(Ordering::Relaxed)
}
