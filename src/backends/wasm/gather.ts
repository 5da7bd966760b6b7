/**
 * gather and the scatter family on kernels.wasm: the canonical geometry
 * (src/trace/gather-geometry.ts) as the u32 words kernels-rs/src/gather.rs parses,
 * for the eager exports and the program's GATHER/SCATTER instructions alike.
 */
import { ITEM_SIZE, contiguousStrides, type DType } from "../../core/index.js";
import type { IndexGeometry } from "../../trace/gather-geometry.js";
import { gatherFillValue } from "../../trace/gather-geometry.js";
import { type GatherScatterMode, Prim, type ScatterPrim } from "../../trace/prim.js";
import { DTYPE_CODE } from "./abi.js";
import type { WasmBuffer } from "./array.js";
import { scalarBytes } from "./compile/builder.js";
import type { Ops } from "./ops.js";

/** `gather::Combine` in kernels-rs/src/gather.rs. */
export const SCATTER_COMBINE: Readonly<Record<ScatterPrim, number>> = {
  [Prim.Scatter]: 0,
  [Prim.ScatterAdd]: 1,
  [Prim.ScatterMul]: 2,
  [Prim.ScatterMin]: 3,
  [Prim.ScatterMax]: 4,
};

/**
 * The geometry words: `operandStrides` and `otherStrides` (gather's output or
 * scatter's updates) and `indexStrides` are the element strides of the three views.
 */
export function geometryWords(
  g: IndexGeometry,
  indexDtype: DType,
  mode: GatherScatterMode,
  operandStrides: readonly number[],
  otherStrides: readonly number[],
  indexStrides: readonly number[],
): number[] {
  const nd = g.operandShape.length;
  const nb = g.batchShape.length;
  return [
    indexDtype === "uint32" ? 1 : 0, mode === "fill" ? 1 : 0,
    nd, ...g.operandShape, ...g.window, ...operandStrides,
    ...g.windowAxis.map((a) => (a === null ? 0 : otherStrides[a]!)),
    nb, ...g.batchShape, ...indexStrides.slice(0, nb + 1), ...g.batchAxis.map((a) => otherStrides[a]!),
    g.startIndexMap.length, ...g.startIndexMap,
    g.operandBatchingDims.length, ...g.operandBatchingDims, ...g.indicesBatchingDims,
  ];
}

/** The fill value's little-endian bytes as two u32 words. */
export function fillWords(dtype: DType, fillValue: number | null): [number, number] {
  const bytes = new Uint8Array(8);
  bytes.set(scalarBytes(gatherFillValue(dtype, fillValue), dtype));
  const dv = new DataView(bytes.buffer);
  return [dv.getUint32(0, true), dv.getUint32(4, true)];
}

export function gather(ops: Ops, x: WasmBuffer, idx: WasmBuffer, g: IndexGeometry, mode: GatherScatterMode, fillValue: number | null): WasmBuffer {
  const out = ops.alloc(x.dtype, g.otherShape);
  if (out.size === 0) return out;
  const words = geometryWords(g, idx.dtype, mode, x.strides, out.strides, idx.strides);
  const [lo, hi] = fillWords(x.dtype, fillValue);
  const [w] = ops.heap.args(words);
  const st = ops.k.fx_gather(ITEM_SIZE[x.dtype], w!, words.length, x.ptr, idx.ptr, out.ptr, lo, hi);
  return ops.done(st, `gather on ${x.dtype}`, out);
}

export function scatter(ops: Ops, prim: ScatterPrim, x: WasmBuffer, idx: WasmBuffer, u: WasmBuffer, g: IndexGeometry, mode: GatherScatterMode): WasmBuffer {
  const out = ops.materialize(x);
  if (out.size === 0 || u.size === 0) return out;
  const words = geometryWords(g, idx.dtype, mode, contiguousStrides(out.shape), u.strides, idx.strides);
  const [w] = ops.heap.args(words);
  const st = ops.k.fx_scatter(SCATTER_COMBINE[prim], DTYPE_CODE[x.dtype], w!, words.length, out.ptr, idx.ptr, u.ptr);
  return ops.done(st, `${prim} on ${x.dtype}`, out);
}
