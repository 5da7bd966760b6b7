/**
 * lax structural primitives beyond the static shape ops: rev, the dynamic windows
 * (dynamic_slice, dynamic_update_slice) with JAX's index handling, gather and the
 * scatter family.
 */
import { ArgumentError, DTypeError, checkStaticSizes, normalizeAxis } from "../core/index.js";
import { Array } from "../trace/array.js";
import { asArray, scalar, type ArrayLike } from "../trace/array-ops.js";
import {
  type GatherDimensionNumbers, type GatherScatterMode, Prim, type ScatterDimensionNumbers, type ScatterPrim,
} from "../trace/prim.js";
import { bind1 } from "../trace/trace.js";
import { add, lt, selectN } from "./elementwise.js";
import { squeeze } from "./shape.js";
import { tidy } from "../trace/memory.js";

/** Reverses the order of elements along `dimensions`. */
export function rev(x: ArrayLike, dimensions: readonly number[]): Array {
  return bind1(Prim.Rev, [asArray(x, "rev")], { dimensions: [...dimensions] });
}

/**
 * Start indices as JAX's _dynamic_slice_indices makes them: one per axis, negative
 * ones counted from the end (statically for JS numbers, with a select for signed
 * arrays). JS numbers become int32 scalars, or take the dtype of the array indices.
 */
function startIndices(op: string, x: Array, indices: readonly ArrayLike[]): Array[] {
  if (indices.length !== x.ndim) {
    throw new ArgumentError(`${op}: got ${indices.length} start indices for an operand of shape [${x.shape.join(", ")}]; pass one per axis.`);
  }
  const ref = indices.find((i): i is Array => i instanceof Array);
  const dtype = ref?.dtype ?? "int32";
  return indices.map((i, d) => {
    const n = x.shape[d]!;
    if (!(i instanceof Array)) {
      if (typeof i !== "number" || !Number.isInteger(i)) {
        throw new DTypeError(`${op}: start index ${String(i)} for axis ${d} is not an integer.`);
      }
      return scalar(i < 0 ? i + n : i, dtype === "uint32" ? "uint32" : "int32");
    }
    if (i.dtype !== "int32") return i;
    return selectN(lt(i, 0), i, add(i, n));
  });
}

/** The window of `sliceSizes` starting at `startIndices` (clamped so it fits, as XLA does). */
export function dynamicSlice(x: ArrayLike, indices: readonly ArrayLike[], sliceSizes: readonly number[]): Array {
  return tidy<Array>(() => {
    const a = asArray(x, "dynamic_slice");
    checkStaticSizes(sliceSizes, "dynamic_slice");
    return bind1(Prim.DynamicSlice, [a, ...startIndices("dynamic_slice", a, indices)], { sliceSizes: [...sliceSizes] });
  });
}

/** `x` with `update` written over the window starting at `startIndices` (clamped so it fits). */
export function dynamicUpdateSlice(x: ArrayLike, update: ArrayLike, indices: readonly ArrayLike[]): Array {
  return tidy<Array>(() => {
    const a = asArray(x, "dynamic_update_slice");
    const u = asArray(update, "dynamic_update_slice");
    return bind1(Prim.DynamicUpdateSlice, [a, u, ...startIndices("dynamic_update_slice", a, indices)], {});
  });
}

/** `size` elements from `start` along `axis`, everything along the other axes. */
export function dynamicSliceInDim(x: ArrayLike, start: ArrayLike, size: number, axis = 0): Array {
  return tidy<Array>(() => {
    const a = asArray(x, "dynamic_slice_in_dim");
    const ax = normalizeAxis(axis, a.shape, "dynamic_slice_in_dim");
    const starts = a.shape.map((_, d) => (d === ax ? start : 0));
    return dynamicSlice(a, starts, a.shape.map((n, d) => (d === ax ? size : n)));
  });
}

/** The element at `index` along `axis`; the axis is kept with size 1 when `keepdims`. */
export function dynamicIndexInDim(x: ArrayLike, index: ArrayLike, axis = 0, keepdims = true): Array {
  return tidy<Array>(() => {
    const a = asArray(x, "dynamic_index_in_dim");
    const ax = normalizeAxis(axis, a.shape, "dynamic_index_in_dim");
    const out = dynamicSliceInDim(a, index, 1, ax);
    return keepdims ? out : squeeze(out, [ax]);
  });
}

/** `update` written along `axis` from `start`, everything along the other axes. */
export function dynamicUpdateSliceInDim(x: ArrayLike, update: ArrayLike, start: ArrayLike, axis = 0): Array {
  return tidy<Array>(() => {
    const a = asArray(x, "dynamic_update_slice_in_dim");
    const ax = normalizeAxis(axis, a.shape, "dynamic_update_slice_in_dim");
    return dynamicUpdateSlice(a, update, a.shape.map((_, d) => (d === ax ? start : 0)));
  });
}

export interface GatherOptions {
  readonly indicesAreSorted?: boolean;
  readonly uniqueIndices?: boolean;
  /** Default "fill", as JAX's (out-of-range windows give fillValue). */
  readonly mode?: GatherScatterMode;
  readonly fillValue?: number | null;
}

export type ScatterOptions = Omit<GatherOptions, "fillValue">;

/** JAX's lax.gather: windows of `sliceSizes` of `operand` at `indices` (last axis: the index vector). */
export function gather(
  operand: ArrayLike,
  indices: ArrayLike,
  dimensionNumbers: GatherDimensionNumbers,
  sliceSizes: readonly number[],
  opts: GatherOptions = {},
): Array {
  return bind1(Prim.Gather, [asArray(operand, "gather"), asArray(indices, "gather")], {
    dimensionNumbers,
    sliceSizes: [...sliceSizes],
    indicesAreSorted: opts.indicesAreSorted ?? false,
    uniqueIndices: opts.uniqueIndices ?? false,
    mode: opts.mode ?? "fill",
    fillValue: opts.fillValue ?? null,
  });
}

const scatterOf =
  (prim: ScatterPrim) =>
  (operand: ArrayLike, indices: ArrayLike, updates: ArrayLike, dimensionNumbers: ScatterDimensionNumbers, opts: ScatterOptions = {}): Array =>
    bind1(prim, [asArray(operand, prim), asArray(indices, prim), asArray(updates, prim)], {
      dimensionNumbers,
      indicesAreSorted: opts.indicesAreSorted ?? false,
      uniqueIndices: opts.uniqueIndices ?? false,
      mode: opts.mode ?? "fill",
      updateJaxpr: null,
      updateConsts: [],
    });

/** `operand` with each window at `indices` replaced by `updates` (a later update wins on repeats). */
export const scatter = scatterOf(Prim.Scatter);
/** `operand` with `updates` added at `indices` (repeats accumulate). */
export const scatterAdd = scatterOf(Prim.ScatterAdd);
export const scatterMul = scatterOf(Prim.ScatterMul);
export const scatterMin = scatterOf(Prim.ScatterMin);
export const scatterMax = scatterOf(Prim.ScatterMax);
