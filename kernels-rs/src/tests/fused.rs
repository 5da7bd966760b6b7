//! The fused VM and one-call programs: random fused programs run with SIMD rows
//! and with their scalar twins agree (bit for bit; float sums/products within
//! rounding), fused chains equal the eager kernels composed, trailing reductions
//! in both tile modes, empty domains, output allocation and error statuses.
use super::*;
use crate::abi::{BAD_CODE, OK, UNSUPPORTED};
use crate::binary::BinaryOp;
use crate::dtype::DType;
use crate::fused::*;
use crate::program::{self, FUSED, MAGIC, VERSION};
use crate::reduce::ReduceOp;
use crate::strided::contiguous_strides;
use crate::unary::UnaryOp;

/// Builds a one-instruction program: `FUSED` over `dims` with `code` as its body.
pub struct Fz {
    pub dims: Vec<usize>,
    pub nred: usize,
    pub nregs: u32,
    pub tile: u32,
    pub pro: Vec<u32>,
    pub body: Vec<u32>,
    /// Body position of the last op pushed.
    pub last_op: usize,
}

impl Fz {
    pub fn new(dims: &[usize], nred: usize, tile: u32) -> Fz {
        Fz { dims: dims.to_vec(), nred, nregs: 0, tile, pro: vec![], body: vec![], last_op: 0 }
    }
    fn r(&mut self, r: u32) -> u32 {
        self.nregs = self.nregs.max(r + 1);
        r
    }
    pub fn load(&mut self, dst: u32, dt: DType, slot: u32, strides: &[isize]) {
        let d = self.r(dst);
        self.body.extend([LOAD, d, dt as u32, slot, 0]);
        self.body.extend(strides.iter().map(|&s| s as i32 as u32));
    }
    pub fn constant(&mut self, dst: u32, dt: DType, bits: u64) {
        let d = self.r(dst);
        self.pro.extend([CONST, d, dt as u32, bits as u32, (bits >> 32) as u32]);
    }
    pub fn op(&mut self, words: &[u32]) {
        self.last_op = self.body.len();
        self.body.extend_from_slice(words);
    }
    /// Lets the last op write straight into the output of the body's `k`-th STORE (pushed next).
    pub fn direct_last_op(&mut self, k: u32) {
        let at = self.last_op + if self.body[self.last_op] == IPOW { 2 } else { 3 };
        self.body[at] |= (k + 1) << 16;
    }
    pub fn store(&mut self, src: u32, dt: DType, slot: u32) {
        self.store_flagged(src, dt, slot, 0);
    }
    pub fn store_flagged(&mut self, src: u32, dt: DType, slot: u32, flag: u32) {
        self.body.extend([STORE, src | flag, dt as u32, slot, 0]);
        self.body.extend(contiguous_strides(&self.dims).iter().map(|&s| s as u32));
    }
    pub fn reduce(&mut self, op: ReduceOp, src: u32, dt: DType, slot: u32) {
        self.body.extend([REDUCE, op as u32, dt as u32, src, slot, 0]);
    }
    /// The whole program (no output blocks: every slot is given).
    pub fn program(&self, nslots: u32) -> Vec<u32> {
        let mut w = vec![FUSED, 0, self.dims.len() as u32, self.nred as u32];
        w.extend(self.dims.iter().map(|&d| d as u32));
        w.extend([self.nregs.max(40), self.tile, self.pro.len() as u32]);
        w.extend(&self.pro);
        w.push(self.body.len() as u32);
        w.extend(&self.body);
        w[1] = w.len() as u32;
        let mut p = vec![MAGIC, VERSION, nslots, 0];
        p.extend(w);
        p.extend([program::END, 0]);
        p
    }
}

/// Runs `prog` with slots 3.. pointing at `bufs`; returns the status.
pub fn run_with(prog: &[u32], bufs: &mut [Vec<u8>], simd: bool) -> i32 {
    let mut slots = vec![0usize; 3];
    slots.extend(bufs.iter_mut().map(|b| b.as_mut_ptr() as usize));
    unsafe {
        if simd {
            program::run::<true>(prog.as_ptr(), slots.as_mut_ptr())
        } else {
            program::run::<false>(prog.as_ptr(), slots.as_mut_ptr())
        }
    }
}

fn bytes_of<T: Copy>(v: &[T]) -> Vec<u8> {
    let n = core::mem::size_of_val(v);
    let mut b = vec![0u8; n + 16];
    unsafe { core::ptr::copy_nonoverlapping(v.as_ptr() as *const u8, b.as_mut_ptr(), n) };
    b
}
fn read<T: Copy + Default>(b: &[u8], n: usize) -> Vec<T> {
    let mut v = vec![T::default(); n];
    unsafe { core::ptr::copy_nonoverlapping(b.as_ptr(), v.as_mut_ptr() as *mut u8, n * core::mem::size_of::<T>()) };
    v
}

/// Random values of `dt` (specials included) as raw bytes.
fn data(rng: &mut Rng, dt: DType, n: usize) -> Vec<u8> {
    match dt {
        DType::F32 => bytes_of(&mixed_f32(rng, n.max(40), 3.0)[..n.max(40)]),
        DType::F64 => bytes_of(&mixed_f64(rng, n.max(40), 3.0)[..n.max(40)]),
        DType::I32 | DType::U32 => bytes_of(&(0..n.max(40)).map(|_| rng.below(21) as i32 - 10).collect::<Vec<_>>()),
        DType::Bool => (0..n.max(40) + 16).map(|_| rng.below(2) as u8).collect(),
    }
}

/// Outputs equal: bitwise (any NaN = any NaN), or for float reductions within `tol` relative.
fn same(dt: DType, a: &[u8], b: &[u8], n: usize, tol: f64) -> bool {
    let close = |x: f64, y: f64| x.to_bits() == y.to_bits() || (x.is_nan() && y.is_nan()) || (x - y).abs() <= tol * (1.0 + y.abs());
    match dt {
        DType::F32 => read::<f32>(a, n).iter().zip(read::<f32>(b, n)).all(|(&x, y)| close(x as f64, y as f64)),
        DType::F64 => read::<f64>(a, n).iter().zip(read::<f64>(b, n)).all(|(&x, y)| close(x, y)),
        _ => a[..n * dt.size()] == b[..n * dt.size()],
    }
}

const DTYPES: [DType; 5] = [DType::F32, DType::F64, DType::I32, DType::U32, DType::Bool];

/// A random fused program over `dt`: two strided inputs (slots 3, 4), a constant, a
/// chain of ops valid for `dt`, a full store (slot 5) and maybe a reduction (slot 6).
fn random_case(rng: &mut Rng, dt: DType) -> (Fz, usize, usize, Option<ReduceOp>) {
    let nd = 1 + rng.below(3);
    let dims: Vec<usize> = (0..nd).map(|_| [0, 1, 3, 7, 17, 40][rng.below(6)]).collect();
    let nred = rng.below(nd + 1);
    let tile = [4u32, 16, 24, 64, 512][rng.below(5)];
    let mut f = Fz::new(&dims, nred, tile);
    let cs = contiguous_strides(&dims);
    let layout = |rng: &mut Rng| -> Vec<isize> {
        match rng.below(3) {
            0 => cs.clone(),
            1 => cs.iter().map(|&s| if rng.below(2) == 0 { 0 } else { s }).collect(),
            _ => {
                // Reversed axis order (a transposed view of a contiguous buffer).
                let rev: Vec<usize> = dims.iter().rev().copied().collect();
                let rs = contiguous_strides(&rev);
                (0..nd).map(|d| rs[nd - 1 - d]).collect()
            }
        }
    };
    let (l0, l1) = (layout(rng), layout(rng));
    f.load(0, dt, 3, &l0);
    f.load(1, dt, 4, &l1);
    let one: u64 = match dt { DType::F32 => 1.5f32.to_bits() as u64, DType::F64 => 1.5f64.to_bits(), _ => 1 };
    f.constant(2, dt, one);
    let mut live = vec![0u32, 1, 2];
    let mut next = 3u32;
    for _ in 0..1 + rng.below(6) {
        let a = live[rng.below(live.len())];
        let b = live[rng.below(live.len())];
        let d = next;
        next += 1;
        let t = dt as u32;
        let float = matches!(dt, DType::F32 | DType::F64);
        match rng.below(6) {
            0 if dt != DType::Bool => {
                let ops: &[UnaryOp] = if float {
                    &[UnaryOp::Neg, UnaryOp::Exp, UnaryOp::Tanh, UnaryOp::Sin, UnaryOp::Logistic, UnaryOp::Abs, UnaryOp::Sign, UnaryOp::Sqrt, UnaryOp::Log,
                      UnaryOp::Floor, UnaryOp::Ceil, UnaryOp::RoundAway, UnaryOp::RoundEven, UnaryOp::Atan, UnaryOp::Erf, UnaryOp::Lgamma]
                } else {
                    &[UnaryOp::Neg, UnaryOp::Abs, UnaryOp::Sign, UnaryOp::Not, UnaryOp::PopulationCount, UnaryOp::Clz]
                };
                f.op(&[UNARY, ops[rng.below(ops.len())] as u32, t, d, a]);
            }
            1 if dt != DType::Bool => f.op(&[IPOW, t, d, a, rng.below(4) as u32]),
            2 => {
                let ops: &[BinaryOp] = match dt {
                    DType::Bool => &[BinaryOp::Max, BinaryOp::Min, BinaryOp::And, BinaryOp::Or, BinaryOp::Xor],
                    DType::I32 | DType::U32 => &[BinaryOp::Add, BinaryOp::Sub, BinaryOp::Mul, BinaryOp::Div, BinaryOp::Max, BinaryOp::Min,
                        BinaryOp::Rem, BinaryOp::And, BinaryOp::Or, BinaryOp::Xor, BinaryOp::ShiftLeft, BinaryOp::ShiftRightArithmetic, BinaryOp::ShiftRightLogical],
                    _ => &[BinaryOp::Add, BinaryOp::Sub, BinaryOp::Mul, BinaryOp::Div, BinaryOp::Max, BinaryOp::Min, BinaryOp::Pow, BinaryOp::Rem, BinaryOp::Atan2],
                };
                f.op(&[BINARY, ops[rng.below(ops.len())] as u32, t, d, a, b]);
            }
            3 => {
                // A comparison, then a select back to dt.
                let cmp = 7 + rng.below(6) as u32;
                f.op(&[BINARY, cmp, t, d, a, b]);
                let e = next;
                next += 1;
                f.op(&[SELECT, t, DType::Bool as u32, e, d, 2, a, b]);
                live.push(e);
                continue;
            }
            _ => {
                // A round trip through another dtype.
                let other = DTYPES[rng.below(5)] as u32;
                f.op(&[CAST, t, other, d, a]);
                let e = next;
                next += 1;
                f.op(&[CAST, other, t, e, d]);
                live.push(e);
                continue;
            }
        }
        live.push(d);
    }
    let last = *live.last().unwrap();
    if last >= 3 && rng.below(2) == 0 {
        f.direct_last_op(0);
        f.store_flagged(last, dt, 5, DIRECT);
    } else {
        f.store(last, dt, 5);
    }
    let red = if nred > 0 {
        let ops = [ReduceOp::Sum, ReduceOp::Max, ReduceOp::Min, ReduceOp::Prod];
        let op = ops[rng.below(4)];
        f.reduce(op, last, dt, 6);
        Some(op)
    } else {
        None
    };
    let total: usize = dims.iter().product();
    let kept: usize = dims[..nd - nred].iter().product();
    (f, total, kept, red)
}

#[test]
fn random_programs_simd_equals_scalar_twin() {
    let mut rng = Rng::new(7);
    for case in 0..1500 {
        let dt = DTYPES[case % 5];
        let (f, total, kept, red) = random_case(&mut rng, dt);
        let prog = f.program(7);
        let (x, y) = (data(&mut rng, dt, total), data(&mut rng, dt, total));
        let mk = || vec![x.clone(), y.clone(), vec![0u8; total * 8 + 16], vec![0u8; kept * 8 + 16]];
        let (mut a, mut b) = (mk(), mk());
        assert_eq!(run_with(&prog, &mut a, true), OK, "case {case}");
        assert_eq!(run_with(&prog, &mut b, false), OK, "case {case}");
        assert!(same(dt, &a[2], &b[2], total, 0.0), "case {case}: full outputs differ; dims {:?}", f.dims);
        if let Some(op) = red {
            let tol = if matches!(op, ReduceOp::Sum | ReduceOp::Prod) { 1e-4 } else { 0.0 };
            assert!(same(dt, &a[3], &b[3], kept, tol), "case {case}: {op:?} differs; dims {:?} nred {}", f.dims, f.nred);
        }
    }
}

#[test]
fn fused_chain_equals_eager_kernels_and_reduces_in_both_modes() {
    // sum(tanh(x*2+1) * exp(-x)) over rows, for rows shorter and longer than a tile.
    let mut rng = Rng::new(3);
    for &(rows, cols, tile) in &[(3usize, 10usize, 64u32), (2, 1000, 64), (1, 5000, 512), (4, 7, 4)] {
        let n = rows * cols;
        let x: Vec<f32> = (0..n).map(|_| rng.uniform(-3.0, 3.0) as f32).collect();
        let mut f = Fz::new(&[rows, cols], 1, tile);
        f.constant(1, DType::F32, 2f32.to_bits() as u64);
        f.constant(2, DType::F32, 1f32.to_bits() as u64);
        f.load(0, DType::F32, 3, &[cols as isize, 1]);
        let t = DType::F32 as u32;
        f.op(&[BINARY, BinaryOp::Mul as u32, t, 3, 0, 1]);
        f.op(&[BINARY, BinaryOp::Add as u32, t, 4, 3, 2]);
        f.op(&[UNARY, UnaryOp::Tanh as u32, t, 5, 4]);
        f.op(&[UNARY, UnaryOp::Neg as u32, t, 6, 0]);
        f.op(&[UNARY, UnaryOp::Exp as u32, t, 7, 6]);
        f.op(&[BINARY, BinaryOp::Mul as u32, t, 8, 5, 7]);
        f.store(8, DType::F32, 4);
        f.reduce(ReduceOp::Sum, 8, DType::F32, 5);
        let mut bufs = vec![bytes_of(&x), vec![0u8; n * 4 + 16], vec![0u8; rows * 4 + 16]];
        assert_eq!(run_with(&f.program(6), &mut bufs, true), OK);
        let full: Vec<f32> = read(&bufs[1], n);
        let sums: Vec<f32> = read(&bufs[2], rows);
        for i in 0..n {
            let want = crate::math::tanh_f32(x[i] * 2.0 + 1.0) * crate::math::exp_f32(-x[i]);
            assert_eq!(full[i].to_bits(), want.to_bits(), "element {i}");
        }
        for r in 0..rows {
            let want: f64 = full[r * cols..(r + 1) * cols].iter().map(|&v| v as f64).sum();
            let mag: f64 = full[r * cols..(r + 1) * cols].iter().map(|&v| v.abs() as f64).sum();
            assert!((sums[r] as f64 - want).abs() <= 1e-6 * mag + 1e-6, "row {r}: {} vs {want}", sums[r]);
        }
    }
}

#[test]
fn empty_domains_and_identities() {
    // A [3, 0] domain summed over its last axis gives zeros; max gives -inf.
    let mut f = Fz::new(&[3, 0], 1, 16);
    f.load(0, DType::F32, 3, &[0, 1]);
    f.reduce(ReduceOp::Sum, 0, DType::F32, 4);
    f.reduce(ReduceOp::Max, 0, DType::F32, 5);
    let mut bufs = vec![vec![0u8; 16], bytes_of(&[9f32; 3]), bytes_of(&[9f32; 3])];
    assert_eq!(run_with(&f.program(6), &mut bufs, true), OK);
    assert_eq!(read::<f32>(&bufs[1], 3), [0.0; 3]);
    assert_eq!(read::<f32>(&bufs[2], 3), [f32::NEG_INFINITY; 3]);
    // A broadcast register reduced: sum of 5 copies of 2 per row.
    let mut f = Fz::new(&[2, 5], 1, 8);
    f.constant(0, DType::I32, 2);
    f.reduce(ReduceOp::Sum, 0, DType::I32, 3);
    let mut bufs = vec![vec![0u8; 16]];
    assert_eq!(run_with(&f.program(4), &mut bufs, true), OK);
    assert_eq!(read::<i32>(&bufs[0], 2), [10, 10]);
}

#[test]
fn statuses_and_output_allocation() {
    // exp on int32 is unsupported: status 1 and the failing instruction's index.
    let mut f = Fz::new(&[4], 0, 16);
    f.load(0, DType::I32, 3, &[1]);
    f.op(&[UNARY, UnaryOp::Exp as u32, DType::I32 as u32, 1, 0]);
    f.store(1, DType::I32, 4);
    let mut bufs = vec![vec![0u8; 32], vec![0u8; 32]];
    let prog = f.program(5);
    let mut slots = vec![0usize, 0, 0, bufs[0].as_mut_ptr() as usize, bufs[1].as_mut_ptr() as usize];
    assert_eq!(unsafe { program::run::<true>(prog.as_ptr(), slots.as_mut_ptr()) }, UNSUPPORTED);
    assert_eq!(slots[0], 0);
    // A bad magic number.
    let mut bad = prog.clone();
    bad[0] = 0;
    assert_eq!(unsafe { program::run::<true>(bad.as_ptr(), slots.as_mut_ptr()) }, BAD_CODE);
    // An output block allocated by the program: iota into slot 3.
    let prog = vec![MAGIC, VERSION, 4, 1, 3, 12, program::IOTA, 8, DType::I32 as u32, 1, 3, 1, 3, 0, program::END, 0];
    let mut slots = vec![0usize; 4];
    assert_eq!(unsafe { program::run::<true>(prog.as_ptr(), slots.as_mut_ptr()) }, OK);
    assert_ne!(slots[3], 0);
    let got = unsafe { core::slice::from_raw_parts(slots[3] as *const i32, 3) }.to_vec();
    assert_eq!(got, [0, 1, 2]);
    unsafe { crate::alloc::free(slots[3] as *mut u8, 12) };
}

#[test]
#[ignore]
fn timing_fused_vs_kernel() {
    let n = 1 << 20;
    let x: Vec<f32> = (0..n).map(|i| (i as f32) * 1e-6).collect();
    let mut out = vec![0f32; n];
    let t = std::time::Instant::now();
    for _ in 0..50 {
        unsafe { crate::binary::binary::<f32, crate::binary::Mul>(&[n], x.as_ptr(), &[1], [2f32].as_ptr(), &[0], out.as_mut_ptr()) };
    }
    println!("kernel mul: {:?}", t.elapsed() / 50);
    for tile in [256u32, 512, 1024, 4096] {
        let mut f = Fz::new(&[n], 0, tile);
        f.constant(1, DType::F32, 2f32.to_bits() as u64);
        f.load(0, DType::F32, 3, &[1]);
        f.op(&[BINARY, BinaryOp::Mul as u32, DType::F32 as u32, 2, 0, 1]);
        f.store(2, DType::F32, 4);
        let prog = f.program(5);
        let mut bufs = vec![bytes_of(&x), vec![0u8; n * 4 + 16]];
        let t = std::time::Instant::now();
        for _ in 0..50 {
            run_with(&prog, &mut bufs, true);
        }
        println!("fused mul tile {tile}: {:?}", t.elapsed() / 50);
    }
}

#[test]
fn tiles_spanning_rows_read_contiguous_operands_in_place_and_match_the_kernels() {
    // out = x + b (b broadcast over rows) and y = x * x, direct stores or not, tiles
    // shorter and longer than a row.
    let mut rng = Rng::new(11);
    for &(rows, cols) in &[(5usize, 3usize), (9, 7), (4, 256), (3, 1000)] {
        for &tile in &[16u32, 64, 512] {
            for direct in [false, true] {
                let n = rows * cols;
                let x: Vec<f32> = (0..n).map(|_| rng.uniform(-2.0, 2.0) as f32).collect();
                let b: Vec<f32> = (0..cols).map(|_| rng.uniform(-2.0, 2.0) as f32).collect();
                let mut f = Fz::new(&[rows, cols], 0, tile);
                let t = DType::F32 as u32;
                f.load(0, DType::F32, 3, &[cols as isize, 1]);
                f.load(1, DType::F32, 4, &[0, 1]);
                f.op(&[BINARY, BinaryOp::Add as u32, t, 2, 0, 1]);
                if direct {
                    f.direct_last_op(0);
                }
                f.op(&[BINARY, BinaryOp::Mul as u32, t, 3, 0, 0]);
                if direct {
                    f.direct_last_op(1);
                }
                f.store_flagged(2, DType::F32, 5, if direct { DIRECT } else { 0 });
                f.store_flagged(3, DType::F32, 6, if direct { DIRECT } else { 0 });
                let mut bufs = vec![bytes_of(&x), bytes_of(&b), vec![0u8; n * 4 + 16], vec![0u8; n * 4 + 16]];
                assert_eq!(run_with(&f.program(7), &mut bufs, true), OK);
                let (mut want, mut sq) = (vec![0f32; n], vec![0f32; n]);
                unsafe {
                    crate::binary::binary::<f32, crate::binary::Add>(&[rows, cols], x.as_ptr(), &[cols as isize, 1], b.as_ptr(), &[0, 1], want.as_mut_ptr());
                    crate::binary::binary::<f32, crate::binary::Mul>(&[n], x.as_ptr(), &[1], x.as_ptr(), &[1], sq.as_mut_ptr());
                }
                assert_eq!(read::<f32>(&bufs[2], n), want, "{rows}x{cols} tile {tile} direct {direct}");
                assert_eq!(read::<f32>(&bufs[3], n), sq, "{rows}x{cols} tile {tile} direct {direct}");
            }
        }
    }
}

#[test]
#[ignore]
fn timing_small_instructions() {
    let x: Vec<f32> = (0..16).map(|i| i as f32 * 0.1).collect();
    let mut f = Fz::new(&[4, 4], 0, 16);
    f.load(0, DType::F32, 3, &[1, 4]);
    f.op(&[UNARY, UnaryOp::Tanh as u32, DType::F32 as u32, 1, 0]);
    f.store(1, DType::F32, 4);
    let prog = f.program(5);
    let mut bufs = vec![bytes_of(&x), vec![0u8; 64 + 16]];
    let t = std::time::Instant::now();
    for _ in 0..200_000 {
        run_with(&prog, &mut bufs, true);
    }
    println!("small fused instruction: {:?}", t.elapsed() / 200_000);
}

/// Layernorm as one instruction (the builder reserves 40 registers): per-segment ops between the reductions and the
/// epilogue (`LOAD|SEG`, `BINARY|SEG`, `UNARY|SEG`, `STORE|SEG`). Slots: x 3, out 4,
/// row sums 5, means 6, sums of squares 7, sqrt(var + eps) 8.
fn layernorm_program(rows: usize, cols: usize, tile: u32) -> Fz {
    let t = DType::F32 as u32;
    let mut f = Fz::new(&[rows, cols], 1, tile);
    f.constant(1, DType::F32, (cols as f32).to_bits() as u64);
    f.constant(2, DType::F32, 1e-5f32.to_bits() as u64);
    f.load(0, DType::F32, 3, &[cols as isize, 1]);
    f.reduce(ReduceOp::Sum, 0, DType::F32, 5);
    f.op(&[LOAD | SEG, 3, t, 5, 0]);
    f.op(&[BINARY | SEG, BinaryOp::Div as u32, t, 4, 3, 1]);
    f.op(&[STORE | SEG, 4, t, 6, 0]);
    f.load(5, DType::F32, 6, &[1, 0]);
    f.op(&[BINARY, BinaryOp::Sub as u32, t, 6, 0, 5]);
    f.op(&[BINARY, BinaryOp::Mul as u32, t, 7, 6, 6]);
    f.reduce(ReduceOp::Sum, 7, DType::F32, 7);
    f.op(&[LOAD | SEG, 8, t, 7, 0]);
    f.op(&[BINARY | SEG, BinaryOp::Div as u32, t, 9, 8, 1]);
    f.op(&[BINARY | SEG, BinaryOp::Add as u32, t, 10, 9, 2]);
    f.op(&[UNARY | SEG, UnaryOp::Sqrt as u32, t, 11, 10]);
    f.op(&[STORE | SEG, 11, t, 8, 0]);
    f.load(12, DType::F32, 8, &[1, 0]);
    f.op(&[BINARY, BinaryOp::Div as u32, t, 13, 6, 12]);
    f.store(13, DType::F32, 4);
    f
}

#[test]
fn per_segment_ops_run_between_a_reduction_and_its_epilogue() {
    let mut rng = Rng::new(11);
    // Tiles of one segment, of several (and a partial last tile), and a split domain.
    for &(rows, cols, tile) in &[(2usize, 1000usize, 1000u32), (5, 7, 16), (3, 10, 64), (1, 1, 16), (700, 100, 512)] {
        let n = rows * cols;
        let x: Vec<f32> = (0..n).map(|_| rng.uniform(-4.0, 4.0) as f32).collect();
        let f = layernorm_program(rows, cols, tile);
        for simd in [true, false] {
            let mut bufs = vec![bytes_of(&x), vec![0u8; n * 4 + 16], vec![0u8; rows * 4 + 16], vec![0u8; rows * 4 + 16], vec![0u8; rows * 4 + 16], vec![0u8; rows * 4 + 16]];
            assert_eq!(run_with(&f.program(9), &mut bufs, simd), OK);
            let (out, means, scales): (Vec<f32>, Vec<f32>, Vec<f32>) = (read(&bufs[1], n), read(&bufs[3], rows), read(&bufs[5], rows));
            for r in 0..rows {
                let row = &x[r * cols..(r + 1) * cols];
                let mean = row.iter().map(|&v| v as f64).sum::<f64>() / cols as f64;
                let var = row.iter().map(|&v| (v as f64 - mean).powi(2)).sum::<f64>() / cols as f64;
                let scale = (var + 1e-5).sqrt();
                assert!((means[r] as f64 - mean).abs() <= 1e-5, "{rows}x{cols} row {r}: mean {} vs {mean}", means[r]);
                assert!((scales[r] as f64 - scale).abs() <= 1e-5 * (1.0 + scale), "{rows}x{cols} row {r}: scale {} vs {scale}", scales[r]);
                for c in 0..cols {
                    let want = (row[c] as f64 - mean) / scale;
                    assert!((out[r * cols + c] as f64 - want).abs() <= 1e-4 * (1.0 + want.abs()), "{rows}x{cols} ({r}, {c})");
                }
            }
        }
    }
}

/// `layernorm_program` with the epilogue reading the statistics per segment
/// (`LOAD|SEG`) instead of broadcast loads.
fn layernorm_program_per_segment(rows: usize, cols: usize, tile: u32) -> Fz {
    let t = DType::F32 as u32;
    let mut f = layernorm_program(rows, cols, tile);
    // Replace each `LOAD dst f32 slot 0 [1, 0]` by `LOAD|SEG dst f32 slot 0`.
    let mut body = vec![];
    let mut pc = 0;
    while pc < f.body.len() {
        let w = f.body[pc];
        let len = match w & !SEG { LOAD | STORE if w & SEG == 0 => 7, LOAD | STORE | UNARY | CAST => 5, BINARY | REDUCE => 6, _ => unreachable!() };
        let c = &f.body[pc..pc + len];
        if w == LOAD && c[5..] == [1, 0] {
            body.extend([LOAD | SEG, c[1], t, c[3], 0]);
        } else {
            body.extend_from_slice(c);
        }
        pc += len;
    }
    f.body = body;
    f
}

#[test]
fn whole_tile_ops_read_per_segment_registers_broadcast_over_their_segments() {
    let mut rng = Rng::new(12);
    let t = DType::F32 as u32;
    for &(rows, cols, tile) in &[(2usize, 1000usize, 1000u32), (5, 7, 16), (3, 10, 64), (1, 1, 16), (700, 100, 512)] {
        let n = rows * cols;
        let x: Vec<f32> = (0..n).map(|_| rng.uniform(-4.0, 4.0) as f32).collect();
        // Layernorm, then: max(x, mean) by a select_n (slot 9), the means broadcast over
        // the rows (a store of a per-segment register, slot 10), their row sums (a
        // reduction of one, slot 11) and mean + 1 broadcast (an op on one, slot 12).
        let mut f = layernorm_program_per_segment(rows, cols, tile);
        f.op(&[LOAD | SEG, 14, t, 6, 0]);
        f.op(&[BINARY, BinaryOp::Gt as u32, t, 15, 0, 14]);
        f.op(&[SELECT, t, DType::Bool as u32, 16, 15, 2, 14, 0]);
        f.store(16, DType::F32, 9);
        f.store(14, DType::F32, 10);
        f.reduce(ReduceOp::Sum, 14, DType::F32, 11);
        f.op(&[BINARY, BinaryOp::Add as u32, t, 17, 14, 18]);
        f.constant(18, DType::F32, 1f32.to_bits() as u64);
        f.store(17, DType::F32, 12);
        let plain = layernorm_program(rows, cols, tile);
        for simd in [true, false] {
            let full = || vec![0u8; n * 4 + 16];
            let row = || vec![0u8; rows * 4 + 16];
            let mut a = vec![bytes_of(&x), full(), row(), row(), row(), row(), full(), full(), row(), full()];
            let mut b = vec![bytes_of(&x), full(), row(), row(), row(), row()];
            assert_eq!(run_with(&f.program(13), &mut a, simd), OK);
            assert_eq!(run_with(&plain.program(9), &mut b, simd), OK);
            // Bit for bit what the broadcast loads give.
            for k in 1..6 {
                assert_eq!(a[k], b[k], "{rows}x{cols} slot {}", k + 3);
            }
            let (means, sel, bc, sums, plus): (Vec<f32>, Vec<f32>, Vec<f32>, Vec<f32>, Vec<f32>) =
                (read(&a[3], rows), read(&a[6], n), read(&a[7], n), read(&a[8], rows), read(&a[9], n));
            for i in 0..n {
                let m = means[i / cols];
                assert_eq!(sel[i], if x[i] > m { x[i] } else { m }, "{rows}x{cols} select {i}");
                assert_eq!(bc[i], m);
                assert_eq!(plus[i], m + 1.0);
            }
            for r in 0..rows {
                assert!((sums[r] - means[r] * cols as f32).abs() <= 1e-4 * (1.0 + sums[r].abs()), "{rows}x{cols} row {r}: {} vs {}", sums[r], means[r] * cols as f32);
            }
        }
    }
}

#[test]
fn per_segment_ops_need_tiles_of_whole_segments() {
    let t = DType::F32 as u32;
    let run = |f: &Fz| run_with(&f.program(9), &mut vec![vec![0u8; 4096]; 6], true);
    // Segments longer than a tile.
    assert_eq!(run(&layernorm_program(2, 100, 64)), BAD_CODE);
    // No reduction.
    let mut f = Fz::new(&[4], 0, 16);
    f.load(0, DType::F32, 3, &[1]);
    f.op(&[UNARY | SEG, UnaryOp::Neg as u32, t, 1, 0]);
    f.store(1, DType::F32, 4);
    assert_eq!(run(&f), BAD_CODE);
    // In the prologue, or on an op without a per-segment form.
    let mut f = layernorm_program(2, 8, 16);
    f.pro.extend([UNARY | SEG, UnaryOp::Neg as u32, t, 1, 1]);
    assert_eq!(run(&f), BAD_CODE);
    let mut f = layernorm_program(2, 8, 16);
    f.body.extend([REDUCE | SEG, ReduceOp::Sum as u32, t, 0, 5, 0]);
    assert_eq!(run(&f), BAD_CODE);
    assert_eq!(run(&layernorm_program(2, 8, 16)), OK);
}

#[test]
#[ignore]
fn timing_per_segment_ops() {
    // Layernorm over [4000, 250] (two rows a tile): with its per-segment ops, and
    // without them (the epilogue reading precomputed statistics).
    let (rows, cols) = (4000usize, 250usize);
    let x: Vec<f32> = (0..rows * cols).map(|i| (i as f32 * 0.37).sin() * 4.0).collect();
    let with = layernorm_program(rows, cols, 512);
    let mut without = Fz::new(&[rows, cols], 1, 512);
    let t = DType::F32 as u32;
    without.load(0, DType::F32, 3, &[cols as isize, 1]);
    without.reduce(ReduceOp::Sum, 0, DType::F32, 5);
    without.load(5, DType::F32, 6, &[1, 0]);
    without.op(&[BINARY, BinaryOp::Sub as u32, t, 6, 0, 5]);
    without.op(&[BINARY, BinaryOp::Mul as u32, t, 7, 6, 6]);
    without.reduce(ReduceOp::Sum, 7, DType::F32, 7);
    without.load(12, DType::F32, 8, &[1, 0]);
    without.op(&[BINARY, BinaryOp::Div as u32, t, 13, 6, 12]);
    without.store(13, DType::F32, 4);
    for (name, f) in [("with", &with), ("without", &without), ("with", &with), ("without", &without)] {
        let prog = f.program(9);
        let mut bufs = vec![bytes_of(&x), vec![0u8; rows * cols * 4 + 16], vec![0u8; rows * 4 + 16], vec![0u8; rows * 4 + 16], vec![0u8; rows * 4 + 16], vec![1u8; rows * 4 + 16]];
        let t0 = std::time::Instant::now();
        for _ in 0..200 {
            run_with(&prog, &mut bufs, true);
        }
        println!("layernorm [{rows}, {cols}] {name} per-segment ops: {:?}", t0.elapsed() / 200);
    }
}
