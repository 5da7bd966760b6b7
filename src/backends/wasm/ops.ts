/**
 * Kernel calls over WasmBuffers: allocation of outputs, coalescing of strided
 * operands, argument marshalling, status checks. Every function returns fresh
 * handles and leaves its inputs untouched.
 */
import { DTypeError, ITEM_SIZE, contiguousStrides, shapeSize, type DType, type Shape } from "../../core/index.js";
import { DTYPE_CODE, Status } from "./abi.js";
import { WasmBuffer, coalesce } from "./array.js";
import type { Heap } from "./memory.js";

/**
 * How an elementwise operand walks a flat run of its elements: 1 when it is contiguous,
 * 0 when it is one value broadcast (every stride 0), -1 otherwise (coalesce it).
 */
function runStride(x: WasmBuffer): number {
  if (x.contiguous) return 1;
  for (let i = 0; i < x.strides.length; i++) if (x.strides[i] !== 0) return -1;
  return 0;
}

export class Ops {
  constructor(readonly heap: Heap) {}

  get k() {
    return this.heap.k;
  }

  /** A new contiguous array (uninitialised). */
  alloc(dtype: DType, shape: Shape): WasmBuffer {
    const block = this.heap.allocBlock(shapeSize(shape) * ITEM_SIZE[dtype]);
    return new WasmBuffer(block, dtype, [...shape], contiguousStrides(shape), 0);
  }

  /** Another handle on `x`'s block. */
  view(x: WasmBuffer, shape: Shape, strides: readonly number[], offset: number, dtype = x.dtype): WasmBuffer {
    this.heap.retain(x.block);
    return new WasmBuffer(x.block, dtype, [...shape], [...strides], offset);
  }

  release(x: WasmBuffer): void {
    x.released = true;
    this.heap.releaseBlock(x.block);
  }

  check(status: number, what: string): void {
    if (status === Status.Ok) return;
    if (status === Status.Unsupported) throw new DTypeError(`wasm: ${what} is not supported.`);
    throw new DTypeError(`wasm: ${what}: the kernel rejected its arguments (status ${status}; internal error).`);
  }

  /** A contiguous copy of any view. */
  materialize(x: WasmBuffer): WasmBuffer {
    const out = this.alloc(x.dtype, x.shape);
    if (x.size > 0) this.copyInto(x, out.ptr, out.strides);
    return out;
  }

  /** `x` itself (with one more reference) when contiguous, else a contiguous copy. */
  contiguous(x: WasmBuffer): WasmBuffer {
    return x.contiguous ? this.view(x, x.shape, x.strides, x.offset) : this.materialize(x);
  }

  /** Copies view `x` to byte address `dst` with destination strides `ds` (elements). */
  copyInto(x: WasmBuffer, dst: number, ds: readonly number[]): void {
    const c = coalesce(x.shape, [x.strides, ds]);
    const [shape, ss, dss] = this.heap.args(c.shape, c.strides[0]!, c.strides[1]!);
    const st = this.k.fx_copy(ITEM_SIZE[x.dtype], c.shape.length, shape!, x.ptr, ss!, dst, dss!);
    this.check(st, `copy of ${x.dtype}`);
  }

  unary(op: number, name: string, x: WasmBuffer): WasmBuffer {
    const out = this.alloc(x.dtype, x.shape);
    const n = out.size;
    if (n === 0) return out;
    let st: number;
    if (x.contiguous) {
      const run = this.heap.flatRun(n); // shape [n], stride [1]
      st = this.k.fx_unary(op, DTYPE_CODE[x.dtype], 1, run, x.ptr, run + 4, out.ptr);
    } else {
      const c = coalesce(x.shape, [x.strides]);
      const [shape, xs] = this.heap.args(c.shape, c.strides[0]!);
      st = this.k.fx_unary(op, DTYPE_CODE[x.dtype], c.shape.length, shape!, x.ptr, xs!, out.ptr);
    }
    return st === Status.Ok ? out : this.done(st, `${name} on ${x.dtype}`, out);
  }

  integerPow(x: WasmBuffer, y: number): WasmBuffer {
    const out = this.alloc(x.dtype, x.shape);
    if (x.size === 0) return out;
    const c = coalesce(x.shape, [x.strides]);
    const [shape, xs] = this.heap.args(c.shape, c.strides[0]!);
    const st = this.k.fx_integer_pow(DTYPE_CODE[x.dtype], y, c.shape.length, shape!, x.ptr, xs!, out.ptr);
    return this.done(st, `integer_pow with y=${y} on ${x.dtype}`, out);
  }

  /** Elementwise binary op or comparison (`outDtype` bool) of equal-shape operands. */
  binary(op: number, name: string, a: WasmBuffer, b: WasmBuffer, outDtype: DType): WasmBuffer {
    const out = this.alloc(outDtype, a.shape);
    const n = out.size;
    if (n === 0) return out;
    let st: number;
    const aRun = runStride(a);
    const bRun = runStride(b);
    if (aRun >= 0 && bRun >= 0) {
      const run = this.heap.flatRun(n); // shape [n]; strides [1] or [0] at run + 4 or run + 8
      st = this.k.fx_binary(op, DTYPE_CODE[a.dtype], 1, run, a.ptr, run + 8 - 4 * aRun, b.ptr, run + 8 - 4 * bRun, out.ptr);
    } else {
      const c = coalesce(a.shape, [a.strides, b.strides]);
      const [shape, as, bs] = this.heap.args(c.shape, c.strides[0]!, c.strides[1]!);
      st = this.k.fx_binary(op, DTYPE_CODE[a.dtype], c.shape.length, shape!, a.ptr, as!, b.ptr, bs!, out.ptr);
    }
    return st === Status.Ok ? out : this.done(st, `${name} on ${a.dtype}`, out);
  }

  /** select_n: `pred` is bool (2 cases) or int32, the cases' shape or a scalar. */
  select(pred: WasmBuffer, cases: readonly WasmBuffer[], shape: Shape): WasmBuffer {
    const dtype = cases[0]!.dtype;
    const out = this.alloc(dtype, shape);
    if (out.size === 0) return out;
    const ps = pred.shape.length === 0 ? shape.map(() => 0) : pred.strides;
    const c = coalesce(shape, [ps, ...cases.map((x) => x.strides)]);
    const nd = c.shape.length;
    const [sh, pst, ptrs, cst] = this.heap.args(
      c.shape,
      c.strides[0]!,
      cases.map((x) => x.ptr),
      c.strides.slice(1).flat(),
    );
    const st = this.k.fx_select(
      DTYPE_CODE[dtype], DTYPE_CODE[pred.dtype], cases.length, nd, sh!, pred.ptr, pst!, ptrs!, cst!, out.ptr,
    );
    return this.done(st, `select_n with a ${pred.dtype} predicate`, out);
  }

  cast(x: WasmBuffer, dtype: DType): WasmBuffer {
    const out = this.alloc(dtype, x.shape);
    if (x.size === 0) return out;
    const c = coalesce(x.shape, [x.strides]);
    const [shape, xs] = this.heap.args(c.shape, c.strides[0]!);
    const st = this.k.fx_cast(DTYPE_CODE[x.dtype], DTYPE_CODE[dtype], c.shape.length, shape!, x.ptr, xs!, out.ptr);
    return this.done(st, `convert_element_type from ${x.dtype} to ${dtype}`, out);
  }

  iota(dtype: DType, shape: Shape, dimension: number): WasmBuffer {
    const out = this.alloc(dtype, shape);
    if (out.size === 0) return out;
    const outer = shapeSize(shape.slice(0, dimension));
    const inner = shapeSize(shape.slice(dimension + 1));
    return this.done(this.k.fx_iota(DTYPE_CODE[dtype], outer, shape[dimension]!, inner, out.ptr), `iota`, out);
  }

  /** Joins arrays along `dimension` into one contiguous output of `shape`. */
  concatenate(xs: readonly WasmBuffer[], dimension: number, shape: Shape): WasmBuffer {
    const out = this.alloc(xs[0]!.dtype, shape);
    let at = 0; // element offset of the next piece along `dimension`
    for (const x of xs) {
      if (x.size > 0) this.copyInto(x, out.ptr + at * out.strides[dimension]! * ITEM_SIZE[x.dtype], out.strides);
      at += x.shape[dimension]!;
    }
    return out;
  }

  /** Frees `out` and throws if the kernel failed; else returns it. */
  done(status: number, what: string, out: WasmBuffer): WasmBuffer {
    if (status !== Status.Ok) this.release(out);
    this.check(status, what);
    return out;
  }
}
