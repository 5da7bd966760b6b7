/**
 * numpy indexing as JAX's `x.at[idx]`, written `x.at(idx)`: `get()` reads x[idx],
 * `set/add/mul/min/max(y)` return a copy of x with the indexed elements updated.
 * The index is numpy's (see index-items.ts and index-plan.ts). Lowering follows
 * JAX's _rewriting_take: static slices are a `slice`, negative steps add a `rev`,
 * integers and new axes a `reshape`, and only the advanced (array) indices a
 * `gather`. Updates with only integers and unit-step slices are a
 * `dynamic_update_slice` of a static window; the rest is one `scatter`.
 * Out-of-range array indices: `get` clamps (JAX's default for reads), updates are
 * dropped (JAX's default for scatter); pass `{ mode }` to choose. Integers and
 * slices are checked or clamped statically and never reach the mode.
 */
import { ShapedArray } from "../core/index.js";
import { Array } from "./array.js";
import { type ArrayLike, asArray, astype, broadcastTo, concatenate, reshape, scalar } from "./array-ops.js";
import { tidy } from "./memory.js";
import { ELLIPSIS, type IndexItem, type ParsedItem, parseIndex } from "./index-items.js";
import { type ArrayEntry, type AxisEntry, type IndexPlan, type IntEntry, type SliceEntry, isAdvanced, planIndex, resultDims } from "./index-plan.js";
import { type GatherScatterMode, Prim, type ScatterPrim } from "./prim.js";
import { bind1, rootTrace } from "./trace.js";

const intConstant = (values: readonly number[], shape: readonly number[]): Array =>
  rootTrace().constant(Int32Array.from(values), new ShapedArray([...shape], "int32"));

/** The lowest position of a slice entry and one past its highest. */
const span = (e: SliceEntry): [number, number] =>
  e.count === 0 ? [0, 0] : e.step > 0 ? [e.start, e.start + (e.count - 1) * e.step + 1] : [e.start + (e.count - 1) * e.step, e.start + 1];

const axisEntries = (plan: IndexPlan): AxisEntry[] => plan.entries.filter((e): e is AxisEntry => e.kind !== "newaxis");

/** The text of an index for messages, as numpy would print it between brackets. */
function describe(items: readonly ParsedItem[]): string {
  return items.map((i) => (i === null ? "None" : i === ELLIPSIS ? "..." : i instanceof Array ? i.aval.strShort() : String(i))).join(", ");
}

const COMBINE: Readonly<Record<ScatterPrim, Prim.Add | Prim.Mul | Prim.Min | Prim.Max | null>> = {
  [Prim.Scatter]: null,
  [Prim.ScatterAdd]: Prim.Add,
  [Prim.ScatterMul]: Prim.Mul,
  [Prim.ScatterMin]: Prim.Min,
  [Prim.ScatterMax]: Prim.Max,
};
const METHOD: Readonly<Record<ScatterPrim, string>> = {
  [Prim.Scatter]: "set",
  [Prim.ScatterAdd]: "add",
  [Prim.ScatterMul]: "mul",
  [Prim.ScatterMin]: "min",
  [Prim.ScatterMax]: "max",
};

/** The result of `x.at(index)`: reads and functional updates of the indexed elements. */
export class IndexedArray {
  private readonly items: ParsedItem[];

  constructor(
    private readonly x: Array,
    index: readonly IndexItem[],
  ) {
    this.items = parseIndex("x.at(...)", index);
  }

  private plan(method: string): { op: string; plan: IndexPlan } {
    const op = `x.at(${describe(this.items)}).${method}`;
    return { op, plan: planIndex(op, this.x.shape, this.items) };
  }

  /** `x[index]`, numpy's result shape; `mode` and `fillValue` apply to out-of-range array indices. */
  get(opts: { mode?: GatherScatterMode; fillValue?: number | null } = {}): Array {
    // A scope frees the slice and index columns made on the way to the result.
    return tidy(() => {
      const { plan } = this.plan("get");
      const sliced = sliceBasic(this.x, plan);
      const out = plan.advanced ? gatherAdvanced(sliced, plan, opts.mode ?? "promise_in_bounds", opts.fillValue ?? null) : sliced;
      return reshape(out, plan.resultShape);
    });
  }

  /** A copy of x with the indexed elements replaced by `y` (broadcast to x[index]'s shape; with repeated indices the last wins). */
  set(y: ArrayLike, opts: UpdateOptions = {}): Array {
    return this.update(Prim.Scatter, y, opts);
  }
  /** A copy of x with `y` added at the indexed elements (repeats accumulate). */
  add(y: ArrayLike, opts: UpdateOptions = {}): Array {
    return this.update(Prim.ScatterAdd, y, opts);
  }
  /** A copy of x with the indexed elements multiplied by `y` (repeats multiply in turn). */
  mul(y: ArrayLike, opts: UpdateOptions = {}): Array {
    return this.update(Prim.ScatterMul, y, opts);
  }
  /** A copy of x with the indexed elements replaced by their minimum with `y`. */
  min(y: ArrayLike, opts: UpdateOptions = {}): Array {
    return this.update(Prim.ScatterMin, y, opts);
  }
  /** A copy of x with the indexed elements replaced by their maximum with `y`. */
  max(y: ArrayLike, opts: UpdateOptions = {}): Array {
    return this.update(Prim.ScatterMax, y, opts);
  }

  private update(prim: ScatterPrim, y: ArrayLike, opts: UpdateOptions): Array {
    // A scope frees the cast, broadcast and index columns of the updates.
    return tidy(() => this.updateIn(prim, y, opts));
  }

  private updateIn(prim: ScatterPrim, y: ArrayLike, { mode = "fill", uniqueIndices = false }: UpdateOptions): Array {
    const { op, plan } = this.plan(METHOD[prim]);
    const dims = layout(plan);
    let u = astype(asArray(y, op), this.x.dtype);
    // numpy drops leading size-1 dims of a value with more dims than x[index].
    while (u.ndim > plan.resultShape.length && u.shape[0] === 1) u = reshape(u, u.shape.slice(1));
    u = reshape(broadcastTo(u, plan.resultShape), dims.map((d) => d.size));
    if (u.size === 0) return this.x;
    // The updates in x's order along every slice: a negative step visits its positions downwards.
    const flipped = dims.flatMap((d, p) => (d.slice !== null && d.slice.step < 0 ? [p] : []));
    if (flipped.length > 0) u = bind1(Prim.Rev, [u], { dimensions: flipped });
    const window = !plan.advanced && dims.every((d) => Math.abs(d.slice!.step) === 1);
    return window ? updateWindow(this.x, plan, prim, u) : scatter(this.x, plan, prim, u, dims, mode, uniqueIndices);
  }
}

/** Options of the `x.at(...)` updates (JAX's `mode` and `unique_indices`). */
export interface UpdateOptions {
  /** Out-of-range array indices: dropped ("fill", the default), clamped ("clip") or promised away. */
  readonly mode?: GatherScatterMode;
  /** The caller promises the array indices do not repeat (needed for mul's gradient with respect to the values). */
  readonly uniqueIndices?: boolean;
}

/** One dim of x[index] without its new axes: a slice entry's, or (slice null) a batch dim of the advanced indices. */
interface Dim {
  readonly size: number;
  readonly slice: SliceEntry | null;
}

/** The dims of x[index] without its new axes. */
const layout = (plan: IndexPlan): Dim[] =>
  resultDims(plan).flatMap(({ size, from }) => (from === "newaxis" ? [] : [{ size, slice: from === "batch" ? null : from }]));

/** x sliced by the slice entries (and the integers, when not advanced), reversed where a step is negative; advanced axes stay whole. */
function sliceBasic(x: Array, plan: IndexPlan): Array {
  const start = x.shape.map(() => 0);
  const limit = [...x.shape];
  const strides = x.shape.map(() => 1);
  const reversed: number[] = [];
  for (const e of axisEntries(plan)) {
    if (e.kind === "slice") {
      [start[e.axis], limit[e.axis]] = span(e);
      strides[e.axis] = Math.abs(e.step);
      if (e.step < 0) reversed.push(e.axis);
    } else if (e.kind === "int" && !plan.advanced) {
      [start[e.axis], limit[e.axis]] = [e.index, e.index + 1];
    }
  }
  const whole = x.shape.every((n, d) => start[d] === 0 && limit[d] === n && strides[d] === 1);
  const y = whole ? x : bind1(Prim.Slice, [x], { startIndices: start, limitIndices: limit, strides: strides.every((s) => s === 1) ? null : strides });
  return reversed.length === 0 ? y : bind1(Prim.Rev, [y], { dimensions: reversed });
}

/** The advanced indices of `y` (sliced, advanced axes whole) gathered: their batch dims go where numpy puts them. */
function gatherAdvanced(y: Array, plan: IndexPlan, mode: GatherScatterMode, fillValue: number | null): Array {
  const advanced = axisEntries(plan).filter((e): e is IntEntry | ArrayEntry => isAdvanced(plan, e));
  const axes = advanced.map((e) => e.axis);
  const batch = plan.batchShape;
  const kept = y.shape.map((_, a) => a).filter((a) => !axes.includes(a));
  const outShape = layout(plan).map((d) => d.size);
  // An empty result needs no read (and a window of 1 would not fit an empty axis).
  if (outShape.includes(0)) return broadcastTo(scalar(0, y.dtype), outShape);
  const columns = advanced.map((e) => reshape(broadcastTo(e.kind === "int" ? intConstant([e.index], []) : e.index, batch), [...batch, 1]));
  const before = plan.entries.slice(0, plan.batchBefore).filter((e) => e.kind === "slice").length;
  return bind1(Prim.Gather, [y, columns.length === 1 ? columns[0]! : concatenate(columns, batch.length)], {
    dimensionNumbers: {
      offsetDims: kept.map((_, k) => (k < before ? k : k + batch.length)),
      collapsedSliceDims: axes,
      startIndexMap: axes,
      operandBatchingDims: [],
      startIndicesBatchingDims: [],
    },
    sliceSizes: y.shape.map((n, a) => (axes.includes(a) ? 1 : n)),
    indicesAreSorted: false,
    uniqueIndices: false,
    mode,
    fillValue,
  });
}

/**
 * Integers and unit-step slices only: the updates `u` (in x's order) cover one static
 * window, written with dynamic_update_slice (combined with the window's old values first).
 */
function updateWindow(x: Array, plan: IndexPlan, prim: ScatterPrim, u: Array): Array {
  const start = x.shape.map(() => 0);
  const limit = [...x.shape];
  for (const e of axisEntries(plan)) {
    if (e.kind === "slice") [start[e.axis], limit[e.axis]] = span(e);
    else if (e.kind === "int") [start[e.axis], limit[e.axis]] = [e.index, e.index + 1];
  }
  const v = reshape(u, limit.map((l, d) => l - start[d]!));
  const combine = COMBINE[prim];
  const w = combine === null ? v : bind1(combine, [bind1(Prim.Slice, [x], { startIndices: start, limitIndices: limit, strides: null }), v], {});
  return bind1(Prim.DynamicUpdateSlice, [x, w, ...start.map((s) => intConstant([s], []))], {});
}

/**
 * One scatter: the scatter dims of `u` are the advanced indices' batch dims and the
 * strided slices' dims; the unit-step slices are update windows. Every axis that is
 * not a window starting at 0 gets an index column.
 */
function scatter(x: Array, plan: IndexPlan, prim: ScatterPrim, u: Array, dims: readonly Dim[], mode: GatherScatterMode, unique: boolean): Array {
  const scatterDims = dims.flatMap((d, p) => (d.slice === null || Math.abs(d.slice.step) !== 1 ? [p] : []));
  const batch = scatterDims.map((p) => dims[p]!.size);
  const firstBatch = scatterDims.findIndex((p) => dims[p]!.slice === null);
  /** `values` laid out on the scatter dims from `at` on (1 elsewhere), broadcast to all of them. */
  const column = (values: Array, at: number): Array =>
    broadcastTo(reshape(values, batch.map((n, j) => (j >= at && j < at + values.ndim ? n : 1))), batch);
  const columns: Array[] = [];
  const mapped: number[] = [];
  const inserted: number[] = [];
  for (const e of axisEntries(plan)) {
    if (e.kind === "slice" && Math.abs(e.step) === 1) {
      const lo = span(e)[0];
      if (lo === 0) continue;
      columns.push(column(intConstant([lo], []), 0));
    } else if (e.kind === "slice") {
      const at = scatterDims.findIndex((p) => dims[p]!.slice === e);
      const lo = span(e)[0];
      columns.push(column(intConstant(globalThis.Array.from({ length: e.count }, (_, k) => lo + k * Math.abs(e.step)), [e.count]), at));
    } else {
      columns.push(column(e.kind === "int" ? intConstant([e.index], []) : broadcastTo(e.index, plan.batchShape), firstBatch));
    }
    mapped.push(e.axis);
    if (e.kind !== "slice" || Math.abs(e.step) !== 1) inserted.push(e.axis);
  }
  const indices = columns.map((c) => reshape(c, [...batch, 1]));
  return bind1(prim, [x, indices.length === 1 ? indices[0]! : concatenate(indices, batch.length), u], {
    dimensionNumbers: {
      updateWindowDims: dims.flatMap((_, p) => (scatterDims.includes(p) ? [] : [p])),
      insertedWindowDims: inserted,
      scatterDimsToOperandDims: mapped,
      operandBatchingDims: [],
      scatterIndicesBatchingDims: [],
    },
    indicesAreSorted: false,
    // Static positions do not repeat; the caller vouches for array indices. scatter (set)
    // stays false: its JVP with unique indices is a scatter, which has no transpose.
    uniqueIndices: prim !== Prim.Scatter && (unique || !plan.advanced),
    mode,
    updateJaxpr: null,
    updateConsts: [],
  });
}
