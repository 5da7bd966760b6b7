/**
 * conv_general_dilated and reduce_window on the eager backend: one kernel call each
 * on the operands' own strides (casts around the conv when a preferred element type
 * asks for another dtype).
 */
import type { ShapedArray } from "../../core/index.js";
import type { Prim, PrimParams, ReduceWindowPrim } from "../../trace/prim.js";
import { DTYPE_CODE, REDUCE_WINDOW_OP } from "./abi.js";
import type { WasmBuffer } from "./array.js";
import type { Ops } from "./ops.js";
import { convDescriptor, convWorkDtype, reduceWindowDescriptor } from "./window-desc.js";

export function convGeneralDilated(ops: Ops, lhs: WasmBuffer, rhs: WasmBuffer, p: PrimParams<Prim.ConvGeneralDilated>, outAval: ShapedArray): WasmBuffer {
  const work = convWorkDtype(lhs.dtype, outAval.dtype);
  const temps: WasmBuffer[] = [];
  try {
    if (lhs.dtype !== work) temps.push((lhs = ops.cast(lhs, work)));
    if (rhs.dtype !== work) temps.push((rhs = ops.cast(rhs, work)));
    let out = ops.alloc(work, outAval.shape);
    if (out.size > 0) {
      const desc = convDescriptor(lhs, rhs, out, p);
      const [d] = ops.heap.args(desc);
      out = ops.done(ops.k.fx_conv(DTYPE_CODE[work], desc.length, d!, lhs.ptr, rhs.ptr, out.ptr), `conv_general_dilated on ${work}`, out);
    }
    if (outAval.dtype !== work) {
      temps.push(out);
      out = ops.cast(out, outAval.dtype);
    }
    return out;
  } finally {
    temps.forEach((t) => ops.release(t));
  }
}

export function reduceWindow(ops: Ops, prim: ReduceWindowPrim, x: WasmBuffer, p: PrimParams<ReduceWindowPrim>, outAval: ShapedArray): WasmBuffer {
  const out = ops.alloc(x.dtype, outAval.shape);
  if (out.size === 0) return out;
  const desc = reduceWindowDescriptor(x, outAval.shape, p);
  const [d] = ops.heap.args(desc);
  return ops.done(ops.k.fx_reduce_window(REDUCE_WINDOW_OP[prim], DTYPE_CODE[x.dtype], desc.length, d!, x.ptr, out.ptr), `${prim} on ${x.dtype}`, out);
}
