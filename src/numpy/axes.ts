/**
 * Axis manipulation without data movement beyond a transpose or reshape: ravel,
 * moveaxis, swapaxes, rollaxis, permuteDims, matrixTranspose, broadcastArrays and
 * broadcastShapes, atleast1d/2d/3d, and jnp's ndim/shape/size.
 */
import { ArgumentError, ShapeError, broadcastShapes as broadcastShapesCore, normalizeAxis } from "../core/index.js";
import type { Array } from "../trace/array.js";
import { type ArrayLike, asArray, broadcastTo, reshape, transpose } from "../trace/array-ops.js";

/** Flattens to 1-D in row-major order. */
export const ravel = (x: ArrayLike): Array => reshape(x, [-1]);

const isIdentity = (perm: readonly number[]): boolean => perm.every((p, i) => p === i);

/** Moves axes `source` to positions `destination`; the other axes keep their order. */
export function moveaxis(x: ArrayLike, source: number | readonly number[], destination: number | readonly number[]): Array {
  const a = asArray(x, "moveaxis");
  const src = (typeof source === "number" ? [source] : [...source]).map((s) => normalizeAxis(s, a.shape, "moveaxis"));
  const dst = (typeof destination === "number" ? [destination] : [...destination]).map((d) => normalizeAxis(d, a.shape, "moveaxis"));
  if (src.length !== dst.length) {
    throw new ArgumentError(
      `moveaxis: source (${src.join(", ")}) and destination (${dst.join(", ")}) must name the same number of axes.`,
    );
  }
  if (new Set(src).size !== src.length || new Set(dst).size !== dst.length) {
    throw new ArgumentError(`moveaxis: repeated axis in source (${src.join(", ")}) or destination (${dst.join(", ")}); list each axis once.`);
  }
  const perm = a.shape.map((_, i) => i).filter((i) => !src.includes(i));
  src
    .map((s, k) => [dst[k]!, s] as const)
    .sort((p, q) => p[0] - q[0])
    .forEach(([d, s]) => perm.splice(d, 0, s));
  return isIdentity(perm) ? a : transpose(a, perm);
}

/** Exchanges two axes. */
export function swapaxes(x: ArrayLike, axis1: number, axis2: number): Array {
  const a = asArray(x, "swapaxes");
  const i = normalizeAxis(axis1, a.shape, "swapaxes");
  const j = normalizeAxis(axis2, a.shape, "swapaxes");
  if (i === j) return a;
  const perm = a.shape.map((_, k) => (k === i ? j : k === j ? i : k));
  return transpose(a, perm);
}

/** Rolls `axis` backwards until it lies before position `start` (numpy's rollaxis). */
export function rollaxis(x: ArrayLike, axis: number, start = 0): Array {
  const a = asArray(x, "rollaxis");
  const ax = normalizeAxis(axis, a.shape, "rollaxis");
  if (!Number.isInteger(start) || start < -a.ndim || start > a.ndim) {
    throw new ArgumentError(`rollaxis: start ${start} is out of range for an array of rank ${a.ndim}; use an integer in [${-a.ndim}, ${a.ndim}].`);
  }
  let s = start < 0 ? start + a.ndim : start;
  if (s > ax) s -= 1;
  return moveaxis(a, ax, s);
}

/** Permutes the axes (the array API's name for transpose; `axes` is required). */
export function permuteDims(x: ArrayLike, axes: readonly number[]): Array {
  const a = asArray(x, "permuteDims");
  if (axes.length !== a.ndim) {
    throw new ArgumentError(`permuteDims: axes (${axes.join(", ")}) must list each of the ${a.ndim} axes of ${a.aval.strShort()} once.`);
  }
  return transpose(a, axes);
}

/** Swaps the last two axes (batched matrix transpose). */
export function matrixTranspose(x: ArrayLike): Array {
  const a = asArray(x, "matrixTranspose");
  if (a.ndim < 2) {
    throw new ShapeError(`matrixTranspose: needs an array of rank >= 2, got ${a.aval.strShort()}; use expandDims or reshape first.`);
  }
  return swapaxes(a, -1, -2);
}

/** The shape that `shapes` broadcast to (numpy rules). */
export const broadcastShapes = (...shapes: (readonly number[])[]): number[] => broadcastShapesCore("broadcastShapes", ...shapes);

/** Broadcasts every argument to their common shape (dtypes are kept). */
export function broadcastArrays(...xs: ArrayLike[]): Array[] {
  const arrays = xs.map((x) => asArray(x, "broadcastArrays"));
  const shape = broadcastShapesCore("broadcastArrays", ...arrays.map((a) => a.shape));
  return arrays.map((a) => broadcastTo(a, shape));
}

function atleast(op: string, rank: number, xs: ArrayLike[]): Array | Array[] {
  const out = xs.map((x) => {
    const a = asArray(x, op);
    if (a.ndim >= rank) return a;
    const d = a.shape;
    if (rank === 1) return reshape(a, [1]);
    if (rank === 2) return reshape(a, a.ndim === 0 ? [1, 1] : [1, d[0]!]);
    return reshape(a, a.ndim === 0 ? [1, 1, 1] : a.ndim === 1 ? [1, d[0]!, 1] : [d[0]!, d[1]!, 1]);
  });
  return out.length === 1 ? out[0]! : out;
}

/** Views inputs as arrays with at least one axis; one argument gives an Array, several a list. */
export function atleast1d(x: ArrayLike): Array;
export function atleast1d(...xs: ArrayLike[]): Array[];
export function atleast1d(...xs: ArrayLike[]): Array | Array[] {
  return atleast("atleast1d", 1, xs);
}

/** Views inputs as arrays with at least two axes (a vector becomes a row [1, n]). */
export function atleast2d(x: ArrayLike): Array;
export function atleast2d(...xs: ArrayLike[]): Array[];
export function atleast2d(...xs: ArrayLike[]): Array | Array[] {
  return atleast("atleast2d", 2, xs);
}

/** Views inputs as arrays with at least three axes ([n] → [1, n, 1], [m, n] → [m, n, 1]). */
export function atleast3d(x: ArrayLike): Array;
export function atleast3d(...xs: ArrayLike[]): Array[];
export function atleast3d(...xs: ArrayLike[]): Array | Array[] {
  return atleast("atleast3d", 3, xs);
}

/** The number of axes. */
export const ndim = (x: ArrayLike): number => asArray(x, "ndim").ndim;
/** The shape, as a new JS array. */
export const shape = (x: ArrayLike): number[] => [...asArray(x, "shape").shape];
/** The number of elements (along `axis`, if given). */
export function size(x: ArrayLike, axis?: number): number {
  const a = asArray(x, "size");
  return axis === undefined ? a.size : a.shape[normalizeAxis(axis, a.shape, "size")]!;
}
