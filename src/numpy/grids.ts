/** Coordinate grids: meshgrid (indexing "xy" or "ij", dense or sparse) and indices. */
import { ArgumentError, parseDType } from "../core/index.js";
import { Array } from "../trace/array.js";
import { type ArrayLike, asArray, broadcastTo, reshape } from "../trace/array-ops.js";
import { Prim } from "../trace/prim.js";
import { bind1 } from "../trace/trace.js";
import { ravel } from "./axes.js";
import type { DTypeOption } from "./creation.js";
import { checkCount, checkOptions } from "./internal.js";
import { tidy } from "../trace/memory.js";

export interface MeshgridOptions {
  /** "xy" (default, Cartesian: the first two output axes swapped) or "ij" (matrix). */
  readonly indexing?: "xy" | "ij";
  /** Return arrays with size-1 axes instead of broadcasting them out. */
  readonly sparse?: boolean;
}

const isOptions = (x: unknown): x is MeshgridOptions =>
  typeof x === "object" && x !== null && !(x instanceof Array) && !globalThis.Array.isArray(x);

/**
 * Coordinate arrays from 1-D coordinate vectors: `meshgrid(x, y)` or
 * `meshgrid(x, y, { indexing: "ij", sparse: true })`. Inputs are flattened.
 */
export function meshgrid(...args: (ArrayLike | MeshgridOptions)[]): Array[] {
  return tidy<Array[]>(() => {
    const last = args[args.length - 1];
    const opts: MeshgridOptions = isOptions(last) ? (args.pop() as MeshgridOptions) : {};
    checkOptions("meshgrid", opts, ["indexing", "sparse"]);
    const indexing = opts.indexing ?? "xy";
    if (indexing !== "xy" && indexing !== "ij") {
      throw new ArgumentError(`meshgrid: indexing must be "xy" or "ij", got ${JSON.stringify(indexing)}.`);
    }
    const xs = (args as ArrayLike[]).map((x) => ravel(asArray(x, "meshgrid")));
    const n = xs.length;
    const swap = indexing === "xy" && n >= 2;
    // Output axis of input i.
    const axisOf = (i: number): number => (swap && i < 2 ? 1 - i : i);
    const shape = new globalThis.Array<number>(n);
    xs.forEach((x, i) => (shape[axisOf(i)] = x.shape[0]!));
    return xs.map((x, i) => {
      const ax = axisOf(i);
      if (opts.sparse) return reshape(x, shape.map((d, k) => (k === ax ? d : 1)));
      return bind1(Prim.BroadcastInDim, [x], { shape: [...shape], broadcastDimensions: [ax], sharding: null });
    });
  });
}

export interface IndicesOptions extends DTypeOption {
  readonly sparse?: boolean;
}

/**
 * The index grid of a shape: `indices([2, 3])` has shape [2, 2, 3], entry [k, ...]
 * holding the k-th coordinate (int32 unless `dtype`). `sparse` returns one array per axis.
 */
export function indices(dimensions: readonly number[], opts: IndicesOptions & { readonly sparse: true }): Array[];
export function indices(dimensions: readonly number[], opts?: IndicesOptions): Array;
export function indices(dimensions: readonly number[], opts: IndicesOptions = {}): Array | Array[] {
  return tidy<Array | Array[]>(() => {
    checkOptions("indices", opts, ["dtype", "sparse"]);
    const dims = dimensions.map((d) => checkCount("indices", "each dimension", d));
    const dtype = opts.dtype === undefined ? "int32" : parseDType(opts.dtype, "indices");
    if (dims.length === 0) return opts.sparse ? [] : bind1(Prim.Iota, [], { dtype, shape: [0], dimension: 0, sharding: null });
    const grids = dims.map((d, k) => {
      const v = bind1(Prim.Iota, [], { dtype, shape: [d], dimension: 0, sharding: null });
      const s = dims.map((e, j) => (j === k ? e : 1));
      return opts.sparse ? reshape(v, s) : broadcastTo(reshape(v, s), dims);
    });
    if (opts.sparse) return grids;
    return bind1(Prim.Concatenate, grids.map((g) => reshape(g, [1, ...dims])), { dimension: 0 });
  });
}
