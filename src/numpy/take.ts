/**
 * Index-based selection: take and takeAlongAxis, as gathers. Negative indices
 * count from the end; out-of-range indices give the fill value (JAX's default
 * mode "fill": NaN for floats) unless `mode: "clip"`.
 */
import { DTypeError, ShapeError, broadcastShapes, normalizeAxis } from "../core/index.js";
import { gather } from "../lax/structural.js";
import type { Array } from "../trace/array.js";
import { type ArrayLike, add, asArray, astype, broadcastTo, less, reshape, scalar, where } from "../trace/array-ops.js";
import type { GatherScatterMode } from "../trace/prim.js";
import { tidy } from "../trace/memory.js";

export interface TakeOptions {
  readonly mode?: GatherScatterMode;
  readonly fillValue?: number | null;
}

const range = (from: number, n: number): number[] => globalThis.Array.from({ length: n }, (_, i) => from + i);

/** Integer indices into an axis of length n, negatives wrapped, as int32. */
function wrapped(op: string, indices: ArrayLike, n: number): Array {
  const i = asArray(indices, op);
  if (i.dtype !== "int32" && i.dtype !== "uint32") {
    throw new DTypeError(`${op}: indices must be integers, got ${i.dtype}; cast them with .astype('int32').`);
  }
  const s = astype(i, "int32");
  return i.dtype === "uint32" ? s : where(less(s, 0), add(s, n), s);
}

/** Elements of `x` at `indices` along `axis` (of the flattened array when axis is null): shape x.shape[:axis] + indices.shape + x.shape[axis+1:]. */
export function take(x: ArrayLike, indices: ArrayLike, axis: number | null = null, opts: TakeOptions = {}): Array {
  return tidy<Array>(() => {
    let a = asArray(x, "take");
    if (axis === null) a = reshape(a, [a.size]);
    const ax = normalizeAxis(axis ?? 0, a.shape, "take");
    const idx = wrapped("take", indices, a.shape[ax]!);
    const nb = idx.ndim;
    const dn = {
      offsetDims: [...range(0, ax), ...range(ax + nb, a.ndim - ax - 1)],
      collapsedSliceDims: [ax],
      startIndexMap: [ax],
      operandBatchingDims: [],
      startIndicesBatchingDims: [],
    };
    const sizes = a.shape.map((n, d) => (d === ax ? 1 : n));
    return gather(a, reshape(idx, [...idx.shape, 1]), dn, sizes, { mode: opts.mode ?? "fill", fillValue: opts.fillValue ?? null });
  });
}

/**
 * out[..., i, ...] = x[..., indices[..., i, ...], ...] along `axis` (numpy's
 * take_along_axis): `indices` has x's rank; the other axes broadcast together.
 */
export function takeAlongAxis(x: ArrayLike, indices: ArrayLike, axis: number | null, opts: TakeOptions = {}): Array {
  return tidy<Array>(() => {
    let a = asArray(x, "takeAlongAxis");
    let i = asArray(indices, "takeAlongAxis");
    if (axis === null) {
      a = reshape(a, [a.size]);
      i = reshape(i, [i.size]);
    }
    const ax = normalizeAxis(axis ?? 0, a.shape, "takeAlongAxis");
    if (i.ndim !== a.ndim) {
      throw new ShapeError(`takeAlongAxis: indices of shape [${i.shape.join(", ")}] must have the rank of x [${a.shape.join(", ")}].`);
    }
    const other = (s: readonly number[]) => s.filter((_, d) => d !== ax);
    const common = broadcastShapes("takeAlongAxis", other(a.shape), other(i.shape));
    const withAxis = (n: number) => [...common.slice(0, ax), n, ...common.slice(ax)];
    if (common.includes(0)) return broadcastTo(astype(scalar(0, a.dtype), a.dtype), withAxis(i.shape[ax]!));
    a = broadcastTo(a, withAxis(a.shape[ax]!));
    const idx = broadcastTo(wrapped("takeAlongAxis", i, a.shape[ax]!), withAxis(i.shape[ax]!));
    const batch = range(0, a.ndim).filter((d) => d !== ax);
    const dn = { offsetDims: [], collapsedSliceDims: [ax], startIndexMap: [ax], operandBatchingDims: batch, startIndicesBatchingDims: batch };
    return gather(a, reshape(idx, [...idx.shape, 1]), dn, a.shape.map(() => 1), { mode: opts.mode ?? "fill", fillValue: opts.fillValue ?? null });
  });
}
