/**
 * numpy's indexing rules, resolved while tracing: the parsed items of `x.at(...)`
 * become one entry per axis of x (the ellipsis expanded, missing trailing axes as
 * full slices, a boolean mask as one integer array per axis it covers) with the new
 * axes between them, plus the result's shape and where the broadcast dims of the
 * advanced (array) indices go. Everything but the integer arrays is static.
 */
import { ArgumentError, ConcretizationError, DTypeError, ShapeError, ShapedArray, broadcastShapes, shapeSize, type Shape } from "../core/index.js";
import { Array } from "./array.js";
import { add, astype, less, where } from "./array-ops.js";
import { ELLIPSIS, type ParsedItem, Slice } from "./index-items.js";
import { rootTrace } from "./trace.js";

/** The positions start + k·step (k < count) of an axis, all in range; count 0 or 1 has step 1. */
export interface SliceEntry {
  readonly kind: "slice";
  readonly axis: number;
  readonly start: number;
  readonly step: number;
  readonly count: number;
}
/** One position of an axis, 0 <= index < size. */
export interface IntEntry {
  readonly kind: "int";
  readonly axis: number;
  readonly index: number;
}
/** Integer-array positions of an axis: int32, negatives wrapped (others may be out of range). */
export interface ArrayEntry {
  readonly kind: "array";
  readonly axis: number;
  readonly index: Array;
}
export interface NewAxisEntry {
  readonly kind: "newaxis";
}
export type AxisEntry = SliceEntry | IntEntry | ArrayEntry;
export type Entry = AxisEntry | NewAxisEntry;

export interface IndexPlan {
  /** In index order: one axis entry per axis of x, in increasing axis order, with the new axes between. */
  readonly entries: readonly Entry[];
  /** Whether an array index is present; then the integers are advanced indices too (numpy's rule). */
  readonly advanced: boolean;
  /** The broadcast shape of the advanced indices ([] when there are none). */
  readonly batchShape: readonly number[];
  /**
   * The entry before which the batch dims appear in the result: the first advanced entry
   * when the advanced items are adjacent in the index, else 0 (numpy puts them first).
   */
  readonly batchBefore: number;
  /** The shape of x[index]. */
  readonly resultShape: readonly number[];
}

/** Whether an entry is gathered (an array, or an integer next to arrays) rather than sliced. */
export const isAdvanced = (plan: { readonly advanced: boolean }, e: Entry): e is IntEntry | ArrayEntry =>
  e.kind === "array" || (plan.advanced && e.kind === "int");

const fmt = (shape: Shape): string => `[${shape.join(", ")}]`;

/** An integer position on an axis of size n, checked statically (negatives count from the end). */
function intEntry(op: string, i: number, axis: number, shape: Shape): IntEntry {
  if (!Number.isInteger(i)) {
    throw new DTypeError(`${op}: index ${i} is not an integer; indices are integers, slices (np.slice(1, 3) or "1:3"), null, "..." or integer/boolean arrays.`);
  }
  const n = shape[axis]!;
  if (i < -n || i >= n) {
    throw new ArgumentError(
      `${op}: index ${i} is out of bounds for axis ${axis} of size ${n} (array of shape ${fmt(shape)}); ` +
        `integer indices must be in [${-n}, ${n - 1}]. For a clamped read or a dropped update, index with an integer array and pass { mode }.`,
    );
  }
  return { kind: "int", axis, index: i < 0 ? i + n : i };
}

/** Python's slice.indices: bounds clamped to the axis, the positions as start, step and count. */
function sliceEntry(op: string, s: Slice, axis: number, shape: Shape): SliceEntry {
  for (const b of [s.start, s.stop, s.step]) {
    if (b !== null && b !== undefined && !Number.isInteger(b)) {
      throw new DTypeError(`${op}: slice ${s} has a bound that is not an integer; slice bounds are static integers or null (for a traced start use lax.dynamicSlice).`);
    }
  }
  const step = s.step ?? 1;
  if (step === 0) {
    throw new ArgumentError(`${op}: slice ${s} on axis ${axis} (array of shape ${fmt(shape)}) has step 0; use a positive step, or a negative one to go backwards.`);
  }
  const n = shape[axis]!;
  const [lo, hi] = step > 0 ? [0, n] : [-1, n - 1];
  const clamp = (v: number): number => (v < 0 ? Math.max(v + n, lo) : Math.min(v, hi));
  const start = s.start === null ? (step > 0 ? 0 : n - 1) : clamp(s.start);
  const stop = s.stop === null ? (step > 0 ? n : -1) : clamp(s.stop);
  const count = Math.max(0, Math.ceil((stop - start) / step));
  return count <= 1 ? { kind: "slice", axis, start: count === 0 ? 0 : start, step: 1, count } : { kind: "slice", axis, start, step, count };
}

const fullSlice = (axis: number, n: number): SliceEntry => ({ kind: "slice", axis, start: 0, step: 1, count: n });

/** An integer index array, as int32 with negatives wrapped. */
function arrayEntry(op: string, a: Array, axis: number, shape: Shape): ArrayEntry {
  if (a.dtype !== "int32" && a.dtype !== "uint32") {
    throw new DTypeError(`${op}: the index array for axis ${axis} has dtype ${a.dtype}; indices must be integers (cast with .astype('int32')) or a boolean mask.`);
  }
  const signed = astype(a, "int32");
  return { kind: "array", axis, index: a.dtype === "uint32" ? signed : where(less(signed, 0), add(signed, shape[axis]!), signed) };
}

/** A boolean mask over axes axis..axis+k-1 as k integer arrays of its true positions (numpy's nonzero). */
function maskEntries(op: string, mask: Array, axis: number, shape: Shape): ArrayEntry[] {
  const covered = shape.slice(axis, axis + mask.ndim);
  if (mask.ndim === 0) {
    throw new ArgumentError(`${op}: a 0-d boolean index is not supported (array of shape ${fmt(shape)}); use null to add an axis.`);
  }
  if (covered.length !== mask.ndim || covered.some((d, k) => d !== mask.shape[k])) {
    throw new ShapeError(`${op}: a boolean mask of shape ${fmt(mask.shape)} at axis ${axis} must match the axes it covers, ${fmt(covered)} (array of shape ${fmt(shape)}).`);
  }
  if (mask.trace !== rootTrace()) {
    throw new ConcretizationError(
      `${op}: a boolean mask ${mask.aval.strShort()} selects a number of elements that is not known inside ${mask.trace.kind}, ` +
        `so the result has no static shape. Use np.where(mask, x, other) to keep the shape, or index with integer arrays.`,
    );
  }
  const values = mask.dataSync();
  const cols = mask.shape.map(() => [] as number[]);
  for (let flat = 0; flat < values.length; flat++) {
    if (!values[flat]) continue;
    let rest = flat;
    for (let d = mask.ndim - 1; d >= 0; d--) {
      cols[d]!.push(rest % mask.shape[d]!);
      rest = Math.floor(rest / mask.shape[d]!);
    }
  }
  return cols.map((c, d) => ({ kind: "array", axis: axis + d, index: rootTrace().constant(Int32Array.from(c), new ShapedArray([c.length], "int32")) }));
}

/** Axes an item addresses. */
const axesOf = (item: ParsedItem): number => (item === null || item === ELLIPSIS ? 0 : item instanceof Array && item.dtype === "bool" ? item.ndim : 1);

function checkItem(op: string, item: unknown): void {
  if (item === null || item === ELLIPSIS || typeof item === "number" || item instanceof Slice || item instanceof Array) return;
  const what =
    typeof item === "boolean" ? `the boolean ${item}` : globalThis.Array.isArray(item) ? "a nested list" : item === undefined ? "undefined" : `the ${typeof item} ${String(item)}`;
  throw new ArgumentError(
    `${op}: ${what} is not an index item; use integers, np.slice(start, stop, step) or "1:3", null (new axis), "...", ` +
      `or integer/boolean arrays (a list of numbers becomes one with np.array(list, { dtype: 'int32' })).`,
  );
}

/** Resolves the items of `x.at(...)` against x's shape. */
export function planIndex(op: string, shape: Shape, items: readonly ParsedItem[]): IndexPlan {
  items.forEach((item) => checkItem(op, item));
  const ellipses = items.filter((i) => i === ELLIPSIS).length;
  if (ellipses > 1) {
    throw new ArgumentError(`${op}: an index can have only one ellipsis ("..."), got ${ellipses}; keep one.`);
  }
  const used = items.reduce((acc: number, i) => acc + axesOf(i), 0);
  if (used > shape.length) {
    throw new ShapeError(
      `${op}: too many indices for an array of shape ${fmt(shape)}: the index addresses ${used} axes but the array has ${shape.length}; ` +
        `drop some items (null and "..." address none).`,
    );
  }
  const entries: Entry[] = [];
  const advancedItems: number[] = [];
  let arrays = false;
  let axis = 0;
  items.forEach((item, pos) => {
    if (item === null) entries.push({ kind: "newaxis" });
    else if (item === ELLIPSIS) for (let k = used; k < shape.length; k++, axis++) entries.push(fullSlice(axis, shape[axis]!));
    else if (item instanceof Slice) entries.push(sliceEntry(op, item, axis++, shape));
    else {
      if (typeof item === "number") entries.push(intEntry(op, item, axis, shape));
      else {
        arrays = true;
        entries.push(...(item.dtype === "bool" ? maskEntries(op, item, axis, shape) : [arrayEntry(op, item, axis, shape)]));
      }
      advancedItems.push(pos);
      axis += axesOf(item);
    }
  });
  for (; axis < shape.length; axis++) entries.push(fullSlice(axis, shape[axis]!));

  const partial = { entries, advanced: arrays, batchShape: [] as number[], batchBefore: 0, resultShape: [] };
  if (!arrays) return { ...partial, resultShape: resultShape(partial) };
  // numpy: advanced items next to each other keep their place; separated ones go first.
  const adjacent = advancedItems.every((p, k) => k === 0 || p === advancedItems[k - 1]! + 1);
  const batchShape = broadcastShapes(op, ...entries.flatMap((e) => (e.kind === "array" ? [e.index.shape] : [])));
  const empty = entries.find((e): e is ArrayEntry => e.kind === "array" && shape[e.axis] === 0);
  if (empty && shapeSize(batchShape) > 0) {
    throw new ShapeError(
      `${op}: the index arrays select ${shapeSize(batchShape)} elements on axis ${empty.axis}, which has size 0 (array of shape ${fmt(shape)}); ` +
        `every index is out of bounds. Slice that axis instead (":").`,
    );
  }
  const batchBefore = adjacent ? entries.findIndex((e) => isAdvanced(partial, e)) : 0;
  const plan = { ...partial, batchShape, batchBefore };
  return { ...plan, resultShape: resultShape(plan) };
}

/** One dim of x[index]: a slice's, a new axis, or a batch dim of the advanced indices. */
export interface ResultDim {
  readonly size: number;
  readonly from: SliceEntry | "newaxis" | "batch";
}

/** The dims of x[index] in order: slices keep their count, new axes are 1, the batch dims go before entry `batchBefore`. */
export function resultDims(plan: Omit<IndexPlan, "resultShape">): ResultDim[] {
  const out: ResultDim[] = [];
  plan.entries.forEach((e, i) => {
    if (plan.advanced && i === plan.batchBefore) out.push(...plan.batchShape.map((size) => ({ size, from: "batch" as const })));
    if (e.kind === "slice") out.push({ size: e.count, from: e });
    else if (e.kind === "newaxis") out.push({ size: 1, from: "newaxis" });
  });
  return out;
}

const resultShape = (plan: Omit<IndexPlan, "resultShape">): number[] => resultDims(plan).map((d) => d.size);
