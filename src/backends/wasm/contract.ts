/**
 * Reductions and dot_general: the two kernels whose operands are regrouped
 * (axes permuted and merged) before the call.
 */
import { shapeSize, type DType, type Shape } from "../../core/index.js";
import type { DotDimensionNumbers } from "../../trace/prim.js";
import { DTYPE_CODE } from "./abi.js";
import { WasmBuffer, coalesce, reduceLayout } from "./array.js";
import type { Ops } from "./ops.js";

/**
 * reduce_{sum,max,min,prod} of `x` over `axes`. The kernel gets [kept..., reduced...];
 * reduced axes are ordered by decreasing stride so the innermost one is the most
 * contiguous (the kernel's fast paths key on the innermost strides).
 */
export function reduce(ops: Ops, op: number, name: string, x: WasmBuffer, axes: readonly number[], outShape: Shape): WasmBuffer {
  const out = ops.alloc(x.dtype, outShape);
  if (out.size === 0) return out;
  const { keptRank, shape, strides } = reduceLayout(x.shape, x.strides, axes);
  const [sh, st] = ops.heap.args(shape, strides);
  const status = ops.k.fx_reduce(op, DTYPE_CODE[x.dtype], keptRank, shape.length, sh!, st!, x.ptr, out.ptr);
  return ops.done(status, `${name} on ${x.dtype}`, out);
}

/** argmax / argmin of `x` along `axis`, as int32 (or uint32: same bits) indices. */
export function argReduce(ops: Ops, op: number, name: string, x: WasmBuffer, axis: number, outShape: Shape, indexDtype: DType): WasmBuffer {
  const out = ops.alloc(indexDtype, outShape);
  if (out.size === 0) return out;
  const keptAxes = x.shape.map((_, i) => i).filter((i) => i !== axis);
  const kept = coalesce(keptAxes.map((i) => x.shape[i]!), [keptAxes.map((i) => x.strides[i]!)]);
  const [sh, st] = ops.heap.args([...kept.shape, x.shape[axis]!], [...kept.strides[0]!, x.strides[axis]!]);
  const status = ops.k.fx_argreduce(op, DTYPE_CODE[x.dtype], kept.shape.length, sh!, st!, x.ptr, out.ptr);
  return ops.done(status, `${name} on ${x.dtype}`, out);
}

/** One merged axis: total size and stride, or null if the axes are not one uniform walk. */
function group(x: WasmBuffer, axes: readonly number[]): { size: number; stride: number } | null {
  const size = shapeSize(axes.map((a) => x.shape[a]!));
  const c = coalesce(axes.map((a) => x.shape[a]!), [axes.map((a) => x.strides[a]!)]);
  if (c.shape.length > 1) return null;
  return { size, stride: c.shape.length === 0 ? 0 : c.strides[0]![0]! };
}

/** x's axes as [batch, rows, cols] groups, copying x (permuted, contiguous) if they do not merge. */
function asMatrix(ops: Ops, x: WasmBuffer, b: number[], r: number[], c: number[], temps: WasmBuffer[]) {
  let gb = group(x, b), gr = group(x, r), gc = group(x, c);
  if (!gb || !gr || !gc) {
    const perm = [...b, ...r, ...c];
    const permuted = ops.view(x, perm.map((a) => x.shape[a]!), perm.map((a) => x.strides[a]!), x.offset);
    const copy = ops.materialize(permuted);
    ops.release(permuted);
    temps.push(copy);
    x = copy;
    const n = (k: number, len: number) => Array.from({ length: len }, (_, i) => k + i);
    gb = group(x, n(0, b.length));
    gr = group(x, n(b.length, r.length));
    gc = group(x, n(b.length + r.length, c.length));
  }
  return { x, batch: gb!, rows: gr!, cols: gc! };
}

/**
 * The dtype dot_general computes in for an output dtype: bool goes through int32
 * (a count of true products, then != 0); a float32 result from anything but float32
 * operands is accumulated in float64 and rounded once, as the interpreter does.
 */
function workDtype(lhs: DType, rhs: DType, out: DType): DType {
  if (out === "bool") return "int32";
  if (out === "float32" && (lhs !== "float32" || rhs !== "float32")) return "float64";
  return out;
}

/** dot_general: out = [batch..., lhs free..., rhs free...] (JAX's order). */
export function dotGeneral(ops: Ops, lhs: WasmBuffer, rhs: WasmBuffer, dn: DotDimensionNumbers, outShape: Shape, outDtype: DType): WasmBuffer {
  const [[lc, rc], [lb, rb]] = dn;
  const temps: WasmBuffer[] = [];
  try {
    const work = workDtype(lhs.dtype, rhs.dtype, outDtype);
    if (lhs.dtype !== work) temps.push((lhs = ops.cast(lhs, work)));
    if (rhs.dtype !== work) temps.push((rhs = ops.cast(rhs, work)));
    const lf = lhs.shape.map((_, i) => i).filter((i) => !lc.includes(i) && !lb.includes(i));
    const rf = rhs.shape.map((_, i) => i).filter((i) => !rc.includes(i) && !rb.includes(i));
    const A = asMatrix(ops, lhs, [...lb], lf, [...lc], temps);
    const B = asMatrix(ops, rhs, [...rb], [...rc], rf, temps);
    let out = ops.alloc(work, outShape);
    const [batch, m, n, k] = [A.batch.size, A.rows.size, B.cols.size, A.cols.size];
    if (out.size > 0) {
      const st = ops.k.fx_matmul(
        DTYPE_CODE[work], batch, m, n, k,
        A.x.ptr, A.batch.stride, A.rows.stride, A.cols.stride,
        B.x.ptr, B.batch.stride, B.rows.stride, B.cols.stride, out.ptr,
      );
      out = ops.done(st, `dot_general on ${work}`, out);
    }
    if (outDtype !== work) {
      temps.push(out);
      out = ops.cast(out, outDtype);
    }
    return out;
  } finally {
    temps.forEach((t) => ops.release(t));
  }
}
