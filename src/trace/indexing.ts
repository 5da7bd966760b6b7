/**
 * Integer-array indexing of the leading axes, JAX's `x.at[idx]` as `x.at(idx)`:
 * `get()` gathers, `set/add/mul/min/max(y)` scatter. `idx` is one integer index
 * (scalar or array) for axis 0, or a list of them for axes 0..k-1; the index arrays
 * broadcast together to a shape B, and the result (or the updates) has shape
 * B + x.shape[k:]. Negative indices count from the end. Out-of-range indices: `get`
 * clamps (JAX's default for reads), updates are dropped (JAX's default for scatter);
 * pass `{ mode }` to choose.
 */
import { DTypeError, ShapeError, broadcastShapes } from "../core/index.js";
import type { Array } from "./array.js";
import { type ArrayLike, add, asArray, astype, broadcastTo, concatenate, less, reshape, where } from "./array-ops.js";
import { type GatherScatterMode, Prim, type ScatterPrim } from "./prim.js";
import { bind1 } from "./trace.js";

export type Index = ArrayLike | readonly ArrayLike[];

const range = (from: number, n: number): number[] => globalThis.Array.from({ length: n }, (_, i) => from + i);

/** The index vectors [B..., k] for `index` on the leading axes of `x`, negatives wrapped. */
function indexVectors(op: string, x: Array, index: Index): { indices: Array; batch: number[]; k: number } {
  const list = (globalThis.Array.isArray(index) ? index : [index]) as readonly ArrayLike[];
  const k = list.length;
  if (k === 0 || k > x.ndim) {
    throw new ShapeError(`${op}: got ${k} index arrays for an array of shape [${x.shape.join(", ")}]; give one per leading axis (1 to ${x.ndim}).`);
  }
  const idx = list.map((i, d) => {
    const a = asArray(i, op);
    if (a.dtype !== "int32" && a.dtype !== "uint32") {
      throw new DTypeError(`${op}: index ${d} has dtype ${a.dtype}; indices must be integers (cast with .astype('int32')).`);
    }
    const n = x.shape[d]!;
    const signed = astype(a, "int32");
    return a.dtype === "uint32" ? signed : where(less(signed, 0), add(signed, n), signed);
  });
  const batch = broadcastShapes(op, ...idx.map((a) => a.shape));
  const columns = idx.map((a) => reshape(broadcastTo(a, batch), [...batch, 1]));
  return { indices: columns.length === 1 ? columns[0]! : concatenate(columns, batch.length), batch, k };
}

/** The result of `x.at(index)`: reads and functional updates of the indexed elements. */
export class IndexedArray {
  constructor(
    private readonly x: Array,
    private readonly index: Index,
  ) {}

  /** `x[index]`: shape B + x.shape[k:]. */
  get(opts: { mode?: GatherScatterMode; fillValue?: number | null } = {}): Array {
    const { x } = this;
    const { indices, batch, k } = indexVectors("at().get", x, this.index);
    return bind1(Prim.Gather, [x, indices], {
      dimensionNumbers: {
        offsetDims: range(batch.length, x.ndim - k),
        collapsedSliceDims: range(0, k),
        startIndexMap: range(0, k),
        operandBatchingDims: [],
        startIndicesBatchingDims: [],
      },
      sliceSizes: [...new globalThis.Array<number>(k).fill(1), ...x.shape.slice(k)],
      indicesAreSorted: false,
      uniqueIndices: false,
      mode: opts.mode ?? "promise_in_bounds",
      fillValue: opts.fillValue ?? null,
    });
  }

  /** A copy of x with the indexed elements replaced by `y` (broadcast; with repeated indices the last wins). */
  set(y: ArrayLike, opts: { mode?: GatherScatterMode } = {}): Array {
    return this.update(Prim.Scatter, y, opts.mode);
  }
  /** A copy of x with `y` added at the indexed elements (repeats accumulate). */
  add(y: ArrayLike, opts: { mode?: GatherScatterMode } = {}): Array {
    return this.update(Prim.ScatterAdd, y, opts.mode);
  }
  mul(y: ArrayLike, opts: { mode?: GatherScatterMode } = {}): Array {
    return this.update(Prim.ScatterMul, y, opts.mode);
  }
  min(y: ArrayLike, opts: { mode?: GatherScatterMode } = {}): Array {
    return this.update(Prim.ScatterMin, y, opts.mode);
  }
  max(y: ArrayLike, opts: { mode?: GatherScatterMode } = {}): Array {
    return this.update(Prim.ScatterMax, y, opts.mode);
  }

  private update(prim: ScatterPrim, y: ArrayLike, mode: GatherScatterMode = "fill"): Array {
    const { x } = this;
    const { indices, batch, k } = indexVectors(`at().${prim}`, x, this.index);
    const updates = broadcastTo(astype(asArray(y, prim), x.dtype), [...batch, ...x.shape.slice(k)]);
    return bind1(prim, [x, indices, updates], {
      dimensionNumbers: {
        updateWindowDims: range(batch.length, x.ndim - k),
        insertedWindowDims: range(0, k),
        scatterDimsToOperandDims: range(0, k),
        operandBatchingDims: [],
        scatterIndicesBatchingDims: [],
      },
      indicesAreSorted: false,
      uniqueIndices: false,
      mode,
      updateJaxpr: null,
      updateConsts: [],
    });
  }
}
