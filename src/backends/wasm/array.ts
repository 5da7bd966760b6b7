/**
 * WasmBuffer: the WASM backend's handle to array data — a strided view (shape,
 * element strides, element offset) over a ref-counted Block. Movement ops make new
 * views of the same block; kernels read views through their strides and write
 * fresh contiguous blocks. Each handle is released once; the block goes with its
 * last handle.
 */
import { ITEM_SIZE, contiguousStrides, shapeSize, type DType, type Shape } from "../../core/index.js";
import type { BackendData } from "../../trace/backend.js";
import type { Block } from "./memory.js";

export class WasmBuffer implements BackendData {
  readonly __backendData = true as const;
  /** Set by `release`; a released handle must not be used again. */
  released = false;

  constructor(
    readonly block: Block,
    readonly dtype: DType,
    readonly shape: Shape,
    /** In elements; 0 on broadcast axes. */
    readonly strides: readonly number[],
    /** In elements, from the block's start. */
    readonly offset: number,
  ) {}

  get size(): number {
    return shapeSize(this.shape);
  }

  /** Byte address of the first element. */
  get ptr(): number {
    return this.block.ptr + this.offset * ITEM_SIZE[this.dtype];
  }

  /** Row-major with no gaps (axes of size 1 may have any stride). */
  get contiguous(): boolean {
    return isContiguous(this.shape, this.strides);
  }
}

export function isContiguous(shape: Shape, strides: readonly number[]): boolean {
  let expect = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    if (shape[i] === 1) continue;
    if (strides[i] !== expect) return false;
    expect *= shape[i]!;
  }
  return true;
}

/**
 * Drops size-1 axes and merges neighbouring axes that every operand walks as one
 * (stride[i] == stride[i+1] * shape[i+1] for each stride list). Kernels then see
 * the fewest, longest rows: a contiguous array of any shape becomes one axis.
 */
export function coalesce(shape: Shape, strideLists: readonly (readonly number[])[]): {
  shape: number[];
  strides: number[][];
} {
  const outShape: number[] = [];
  const outStrides: number[][] = strideLists.map(() => []);
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i]!;
    if (d === 1) continue;
    const last = outShape.length - 1;
    if (last >= 0 && strideLists.every((s, k) => outStrides[k]![last] === s[i]! * d)) {
      outShape[last] = outShape[last]! * d;
      strideLists.forEach((s, k) => (outStrides[k]![last] = s[i]!));
    } else {
      outShape.push(d);
      strideLists.forEach((s, k) => outStrides[k]!.push(s[i]!));
    }
  }
  return { shape: outShape, strides: outStrides };
}

/** Row-major strides (re-exported for the backend's modules). */
export { contiguousStrides };

/**
 * The operand layout fx_reduce expects: kept axes first, then reduced axes with
 * broadcast (stride-0) ones outermost and the rest by decreasing stride, each group
 * coalesced. `keptRank` is how many leading axes survive the reduction.
 */
export function reduceLayout(
  shape: Shape,
  strides: readonly number[],
  axes: readonly number[],
): { keptRank: number; shape: number[]; strides: number[] } {
  const red = new Set(axes);
  const keptAxes = shape.map((_, i) => i).filter((i) => !red.has(i));
  const key = (a: number) => (strides[a] === 0 ? Infinity : Math.abs(strides[a]!));
  const redAxes = [...red].sort((a, b) => (key(a) > key(b) ? -1 : key(a) < key(b) ? 1 : a - b));
  const kept = coalesce(keptAxes.map((i) => shape[i]!), [keptAxes.map((i) => strides[i]!)]);
  // An empty reduced extent survives coalescing (size 0 is kept; a dropped size 1 is harmless).
  const rd = coalesce(redAxes.map((i) => shape[i]!), [redAxes.map((i) => strides[i]!)]);
  return { keptRank: kept.shape.length, shape: [...kept.shape, ...rd.shape], strides: [...kept.strides[0]!, ...rd.strides[0]!] };
}

/**
 * Strides and offset (elements) of a view reversing `dimensions` of a view with
 * `strides` and `offset`: each reversed axis starts at its last element and steps back.
 */
export function revView(
  x: { readonly shape: Shape; readonly strides: readonly number[]; readonly offset: number },
  dimensions: readonly number[],
): { strides: number[]; offset: number } {
  let offset = x.offset;
  const strides = x.strides.map((s, d) => {
    if (!dimensions.includes(d) || x.shape[d]! === 0) return s;
    offset += (x.shape[d]! - 1) * s;
    return -s;
  });
  return { strides, offset };
}

/**
 * The element offset, within a view of `shape` and `strides`, of a window of shape
 * `window` whose start indices are `starts` clamped into [0, size - window] (XLA's
 * DynamicSlice / DynamicUpdateSlice clamp).
 */
export function windowOffset(
  x: { readonly shape: Shape; readonly strides: readonly number[] },
  starts: readonly number[],
  window: Shape,
): number {
  return x.shape.reduce((acc, n, d) => acc + Math.min(Math.max(starts[d]!, 0), n - window[d]!) * x.strides[d]!, 0);
}
