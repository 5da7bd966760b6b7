/**
 * The C ABI of kernels.wasm, mirroring kernels-rs/src/abi.rs. Change both together
 * and bump ABI_VERSION; the loader refuses a module whose version differs.
 *
 * Pointers are byte addresses in the module's linear memory, already offset to a
 * view's first element. Shapes are u32 and strides i32 (in elements, possibly 0),
 * passed as pointers to arrays in memory. Outputs are contiguous row-major.
 */
import type { DType } from "../../core/index.js";
import {
  Prim, type BinaryPrim, type ComparePrim, type CumulativePrim, type LinalgPrim, type ReducePrim, type ReduceWindowPrim, type RoundingMethod, type UnaryPrim,
} from "../../trace/prim.js";

export const ABI_VERSION = 11;

/** Most threads (main + workers) the threads build runs; `MAX_THREADS` in kernels-rs/src/parallel.rs. */
export const MAX_THREADS = 64;

/** Pages of kernels-threads.wasm's imported shared memory (scripts/build-kernels.mjs links with these). */
export const THREADS_MEMORY = { initial: 32, maximum: 65536 } as const;

export const DTYPE_CODE: Readonly<Record<DType, number>> = {
  float32: 0,
  float64: 1,
  int32: 2,
  uint32: 3,
  bool: 4,
};

/** Kernel return codes. */
export const Status = { Ok: 0, Unsupported: 1, BadCode: 2, OutOfMemory: 3 } as const;

/** `UnaryOp` in kernels-rs/src/unary.rs. */
export const UNARY_OP: Readonly<Record<UnaryPrim, number>> = {
  [Prim.Neg]: 0,
  [Prim.Exp]: 1,
  [Prim.Log]: 2,
  [Prim.Sin]: 3,
  [Prim.Cos]: 4,
  [Prim.Tanh]: 5,
  [Prim.Sqrt]: 6,
  [Prim.Logistic]: 7,
  [Prim.Abs]: 8,
  [Prim.Sign]: 9,
  // --- rounding, bitwise, inverse trig and special functions (12 and 13 are round's two methods, ROUND_OP) ---
  [Prim.Floor]: 10,
  [Prim.Ceil]: 11,
  [Prim.Not]: 14,
  [Prim.PopulationCount]: 15,
  [Prim.Clz]: 16,
  [Prim.Tan]: 17,
  [Prim.Asin]: 18,
  [Prim.Acos]: 19,
  [Prim.Atan]: 20,
  [Prim.Sinh]: 21,
  [Prim.Cosh]: 22,
  [Prim.Asinh]: 23,
  [Prim.Acosh]: 24,
  [Prim.Atanh]: 25,
  [Prim.Exp2]: 26,
  [Prim.Expm1]: 27,
  [Prim.Log1p]: 28,
  [Prim.Cbrt]: 29,
  [Prim.Rsqrt]: 30,
  [Prim.Erf]: 31,
  [Prim.Erfc]: 32,
  [Prim.ErfInv]: 33,
  [Prim.Lgamma]: 34,
  [Prim.Digamma]: 35,
};

/** round's UnaryOp code for each rounding_method (away from zero, to nearest even). */
export const ROUND_OP: Readonly<Record<RoundingMethod, number>> = { 0: 12, 1: 13 };

/**
 * `BinaryOp` in kernels-rs/src/binary.rs. The comparisons (COMPARE_PRIMS, codes 7-12)
 * write bool; every other op writes its operands' dtype.
 */
export const BINARY_OP: Readonly<Record<BinaryPrim | ComparePrim, number>> = {
  [Prim.Add]: 0,
  [Prim.Sub]: 1,
  [Prim.Mul]: 2,
  [Prim.Div]: 3,
  [Prim.Max]: 4,
  [Prim.Min]: 5,
  [Prim.Pow]: 6,
  [Prim.Eq]: 7,
  [Prim.Ne]: 8,
  [Prim.Lt]: 9,
  [Prim.Le]: 10,
  [Prim.Gt]: 11,
  [Prim.Ge]: 12,
  // --- rounding, bitwise, shifts, inverse trig and special functions ---
  [Prim.Rem]: 13,
  [Prim.And]: 14,
  [Prim.Or]: 15,
  [Prim.Xor]: 16,
  [Prim.ShiftLeft]: 17,
  [Prim.ShiftRightArithmetic]: 18,
  [Prim.ShiftRightLogical]: 19,
  [Prim.Atan2]: 20,
};

/** `ReduceOp` in kernels-rs/src/reduce.rs. */
export const REDUCE_OP: Readonly<Record<ReducePrim, number>> = {
  [Prim.ReduceSum]: 0,
  [Prim.ReduceMax]: 1,
  [Prim.ReduceMin]: 2,
  [Prim.ReduceProd]: 3,
};

/** fx_reduce_window's op argument (a `ReduceOp` code). */
export const REDUCE_WINDOW_OP: Readonly<Record<ReduceWindowPrim, number>> = {
  [Prim.ReduceWindowSum]: 0,
  [Prim.ReduceWindowMax]: 1,
  [Prim.ReduceWindowMin]: 2,
};

/** `CumulativeOp` in kernels-rs/src/cumulative.rs (fx_cumulative and the CUMULATIVE instruction). */
export const CUMULATIVE_OP: Readonly<Record<CumulativePrim, number>> = {
  [Prim.Cumsum]: 0,
  [Prim.Cumprod]: 1,
  [Prim.Cummax]: 2,
  [Prim.Cummin]: 3,
};

/** fx_argreduce's op argument. */
export const ARG_OP = { [Prim.Argmax]: 0, [Prim.Argmin]: 1 } as const;

/** `LinalgOp` in kernels-rs/src/linalg.rs. */
export const LINALG_OP: Readonly<Record<LinalgPrim, number>> = {
  [Prim.Cholesky]: 0,
  [Prim.TriangularSolve]: 1,
  [Prim.Lu]: 2,
  [Prim.Qr]: 3,
  [Prim.Eigh]: 4,
  [Prim.Svd]: 5,
};

/** fx_linalg's flag bits (kernels-rs/src/linalg.rs). */
export const LINALG_FLAG = {
  leftSide: 1,
  lower: 2,
  transposeA: 4,
  unitDiagonal: 8,
  fullMatrices: 16,
  computeUv: 32,
} as const;

type Ptr = number;

/** The module's exports, as abi.rs declares them. */
export interface KernelExports {
  readonly memory: WebAssembly.Memory;
  fx_abi_version(): number;
  /** A 16-byte-aligned block of at least `bytes` bytes, or 0 when memory is exhausted. */
  fx_alloc(bytes: number): Ptr;
  /** Frees a block; `bytes` must be the size it was allocated with. */
  fx_free(ptr: Ptr, bytes: number): void;
  fx_unary(op: number, dtype: number, ndim: number, shape: Ptr, x: Ptr, xs: Ptr, out: Ptr): number;
  fx_integer_pow(dtype: number, y: number, ndim: number, shape: Ptr, x: Ptr, xs: Ptr, out: Ptr): number;
  fx_binary(op: number, dtype: number, ndim: number, shape: Ptr, a: Ptr, as: Ptr, b: Ptr, bs: Ptr, out: Ptr): number;
  /** `cases`: ncases u32 addresses; `caseStrides`: ncases * ndim strides, case-major. */
  fx_select(
    dtype: number, predDtype: number, ncases: number, ndim: number, shape: Ptr,
    pred: Ptr, predStrides: Ptr, cases: Ptr, caseStrides: Ptr, out: Ptr,
  ): number;
  fx_cast(src: number, dst: number, ndim: number, shape: Ptr, x: Ptr, xs: Ptr, out: Ptr): number;
  /** Strided copy of 1-, 4- or 8-byte elements into a strided destination. */
  fx_copy(elemBytes: number, ndim: number, shape: Ptr, src: Ptr, ss: Ptr, dst: Ptr, ds: Ptr): number;
  /** Reduces the last `ndim - nkeep` axes; out is contiguous over the first `nkeep`. */
  fx_reduce(op: number, dtype: number, nkeep: number, ndim: number, shape: Ptr, xs: Ptr, x: Ptr, out: Ptr): number;
  /** Over the last axis of `nkeep + 1`; int32 out. */
  fx_argreduce(op: number, dtype: number, nkeep: number, shape: Ptr, xs: Ptr, x: Ptr, out: Ptr): number;
  fx_matmul(
    dtype: number, batch: number, m: number, n: number, k: number,
    a: Ptr, aSb: number, aSm: number, aSk: number,
    b: Ptr, bSb: number, bSk: number, bSn: number, out: Ptr,
  ): number;
  fx_iota(dtype: number, outer: number, n: number, inner: number, out: Ptr): number;
  /** `geometry`: `nwords` u32 words (kernels-rs/src/gather.rs); fill value as little-endian words. */
  fx_gather(elemBytes: number, geometry: Ptr, nwords: number, operand: Ptr, indices: Ptr, out: Ptr, fillLo: number, fillHi: number): number;
  /** In place: `out` holds the operand (contiguous) and receives the result. */
  fx_scatter(op: number, dtype: number, geometry: Ptr, nwords: number, out: Ptr, indices: Ptr, updates: Ptr): number;
  /** Linear algebra on `batch` contiguous matrices: x0 [batch, m, n] (triangular_solve: x0 = a, x1 = b [batch, m, n]). */
  fx_linalg(
    op: number, flags: number, dtype: number, batch: number, m: number, n: number,
    x0: Ptr, x1: Ptr, y0: Ptr, y1: Ptr, y2: Ptr,
  ): number;
  /** conv_general_dilated (f32, f64); `desc`: `descLen` u32 words (window-desc.ts, kernels-rs/src/conv.rs). */
  fx_conv(dtype: number, descLen: number, desc: Ptr, lhs: Ptr, rhs: Ptr, out: Ptr): number;
  /** reduce_window sum/max/min; `desc`: `descLen` u32 words (kernels-rs/src/window.rs); contiguous out. */
  fx_reduce_window(op: number, dtype: number, descLen: number, desc: Ptr, x: Ptr, out: Ptr): number;
  /**
   * Runs a compiled program (kernels-rs/src/program.rs) with a slot table of u32 words:
   * [error index, arena, constant pool, inputs..., outputs...]. Output slots left 0 are
   * allocated by the program and written back. Status 3: out of memory.
   */
  fx_program_run(program: Ptr, slots: Ptr): number;
  /** Threads that run kernel chunks (1 in the single-threaded build, until workers join). */
  fx_threads(): number;
  /** cumsum/cumprod/cummax/cummin along `axis` (reverse: 0 or 1); x strided, out contiguous in x's shape. */
  fx_cumulative(op: number, dtype: number, reverse: number, ndim: number, shape: Ptr, xs: Ptr, axis: number, x: Ptr, out: Ptr): number;
  /**
   * sort along `axis` of `nops` operands of one shape, by the first `numKeys` (NaN last, stable):
   * `dtypes` u32[nops], `strides` i32[nops * ndim] (operand-major), `xs`/`outs` u32 addresses[nops]; outs contiguous.
   */
  fx_sort(ndim: number, shape: Ptr, axis: number, nops: number, numKeys: number, dtypes: Ptr, strides: Ptr, xs: Ptr, outs: Ptr): number;
}

/**
 * The extra exports of kernels-threads.wasm, which imports `env.memory` (shared) and
 * `ferrax.fx_wait(addr, expected)` / `ferrax.fx_notify(addr)` (Atomics.wait / notify
 * on the i32 at byte address `addr`).
 */
export interface ThreadExports {
  /** Each instance's own stack pointer: a worker sets it to its stack's top first. */
  readonly __stack_pointer: WebAssembly.Global;
  /** A worker's entry: parks, runs chunks as thread `tid` (1..MAX_THREADS-1), never returns. */
  fx_worker_loop(tid: number): void;
}

export const EXPORT_NAMES: readonly (keyof KernelExports)[] = [
  "memory", "fx_abi_version", "fx_alloc", "fx_free", "fx_unary", "fx_integer_pow", "fx_binary",
  "fx_select", "fx_cast", "fx_copy", "fx_reduce", "fx_argreduce", "fx_matmul", "fx_iota", "fx_gather", "fx_scatter", "fx_linalg",
  "fx_conv", "fx_reduce_window", "fx_cumulative", "fx_sort",
  "fx_program_run", "fx_threads",
];

export const THREAD_EXPORT_NAMES: readonly (keyof ThreadExports)[] = ["__stack_pointer", "fx_worker_loop"];
