/**
 * Joining and splitting: stack/unstack, concat, hstack, vstack, dstack, columnStack,
 * split, arraySplit, hsplit, vsplit, dsplit, append. A sequence argument may also be one
 * Array, taken as the list of its slices along axis 0 (as numpy iterates it).
 */
import { ArgumentError, ShapeError, checkStatic, normalizeAxis, shapeEqual } from "../core/index.js";
import { Array } from "../trace/array.js";
import { type ArrayLike, asArray, concatenate, expandDims, promote, reshape, squeeze } from "../trace/array-ops.js";
import { atleast1d, atleast2d, atleast3d, moveaxis, ravel } from "./axes.js";
import { fmtArrays, sliceAxis } from "./internal.js";
import { tidy } from "../trace/memory.js";

type Seq = readonly ArrayLike[] | Array;

const items = (xs: Seq, op: string): ArrayLike[] => {
  const list = xs instanceof Array ? unstack(xs) : [...xs];
  if (list.length === 0) throw new ArgumentError(`${op}: needs at least one array.`);
  return list;
};

/** Stacks arrays of equal shape along a new axis `axis`. */
export function stack(xs: Seq, axis = 0): Array {
  return tidy<Array>(() => {
    if (xs instanceof Array) return moveaxis(xs, 0, normalizeAxis(axis, xs.shape, "stack"));
    const arrays = promote("stack", ...items(xs, "stack"));
    const first = arrays[0]!;
    if (arrays.some((a) => !shapeEqual(a.shape, first.shape))) {
      throw new ShapeError(`stack: all arrays must have the same shape, got ${fmtArrays(arrays)}; reshape or broadcastTo them first.`);
    }
    const ax = normalizeAxis(axis, first.ndim + 1, "stack");
    return concatenate(arrays.map((a) => expandDims(a, ax)), ax);
  });
}

/** The slices of `x` along `axis`, as a list (the inverse of stack). */
export function unstack(x: ArrayLike, axis = 0): Array[] {
  return tidy<Array[]>(() => {
    const a = asArray(x, "unstack");
    if (a.ndim === 0) throw new ShapeError(`unstack: needs an array of rank >= 1, got ${a.aval.strShort()}.`);
    const ax = normalizeAxis(axis, a.shape, "unstack");
    return globalThis.Array.from({ length: a.shape[ax]! }, (_, i) => squeeze(sliceAxis(a, ax, i, i + 1), [ax]));
  });
}

/** Joins arrays along an existing axis (the array API's concat); `axis: null` flattens them first. */
export function concat(xs: Seq, axis: number | null = 0): Array {
  return tidy<Array>(() => {
    const list = items(xs, "concat");
    return axis === null ? concatenate(list.map((x) => ravel(x)), 0) : concatenate(list, axis);
  });
}

/** Joins along axis 1 (axis 0 for 1-D inputs). */
export function hstack(xs: Seq): Array {
  return tidy<Array>(() => {
    const arrays = items(xs, "hstack").map((x) => atleast1d(x));
    return concatenate(arrays, arrays[0]!.ndim === 1 ? 0 : 1);
  });
}

/** Joins along axis 0, viewing 1-D inputs as rows. */
export const vstack = (xs: Seq): Array => tidy<Array>(() => concatenate(items(xs, "vstack").map((x) => atleast2d(x)), 0));

/** Joins along axis 2, viewing inputs as at least 3-D. */
export const dstack = (xs: Seq): Array => tidy<Array>(() => concatenate(items(xs, "dstack").map((x) => atleast3d(x)), 2));

/** Joins 1-D inputs as columns of a 2-D array (other inputs along axis 1). */
export function columnStack(xs: Seq): Array {
  return tidy<Array>(() => {
    const arrays = items(xs, "columnStack").map((x) => {
      const a = asArray(x, "columnStack");
      return a.ndim < 2 ? reshape(a, [-1, 1]) : a;
    });
    return concatenate(arrays, 1);
  });
}

/** Sections (a count) or split points along the axis. */
export type IndicesOrSections = number | readonly number[];

function parts(op: string, x: ArrayLike, spec: IndicesOrSections, axis: number, even: boolean): Array[] {
  checkStatic(spec, op, "sections or split points");
  const a = asArray(x, op);
  const ax = normalizeAxis(axis, a.shape, op);
  const n = a.shape[ax]!;
  const bounds: [number, number][] = [];
  if (typeof spec === "number") {
    if (!Number.isInteger(spec) || spec < 1) {
      throw new ArgumentError(`${op}: the number of sections must be a positive integer, got ${spec}.`);
    }
    if (even && n % spec !== 0) {
      throw new ShapeError(
        `${op}: axis ${axis} of ${a.aval.strShort()} has size ${n}, which ${spec} sections do not divide evenly; ` +
          `use arraySplit for unequal parts, or pass the split indices.`,
      );
    }
    const q = Math.floor(n / spec);
    const r = n % spec;
    for (let i = 0, s = 0; i < spec; i++) {
      const len = q + (i < r ? 1 : 0);
      bounds.push([s, s + len]);
      s += len;
    }
  } else {
    if (!spec.every(Number.isInteger)) throw new ArgumentError(`${op}: split indices must be integers, got [${spec.join(", ")}].`);
    const clamp = (i: number): number => Math.min(n, Math.max(0, i < 0 ? i + n : i));
    const pts = [0, ...spec.map(clamp), n];
    for (let i = 0; i + 1 < pts.length; i++) bounds.push([pts[i]!, Math.max(pts[i]!, pts[i + 1]!)]);
  }
  return bounds.map(([s, e]) => sliceAxis(a, ax, s, e));
}

/**
 * Splits along `axis` into `sections` equal parts (an error if they do not divide
 * the axis), or at the given indices (numpy slice semantics: negative counts from the end).
 */
export const split = (x: ArrayLike, indicesOrSections: IndicesOrSections, axis = 0): Array[] =>
  parts("split", x, indicesOrSections, axis, true);

/** Like split, but `sections` need not divide the axis: the first parts get one more element. */
export const arraySplit = (x: ArrayLike, indicesOrSections: IndicesOrSections, axis = 0): Array[] =>
  parts("arraySplit", x, indicesOrSections, axis, false);

function rankAtLeast(op: string, x: ArrayLike, rank: number): Array {
  const a = asArray(x, op);
  if (a.ndim < rank) throw new ShapeError(`${op}: needs an array of rank >= ${rank}, got ${a.aval.strShort()}.`);
  return a;
}

/** split along axis 1 (axis 0 for 1-D arrays). */
export function hsplit(x: ArrayLike, indicesOrSections: IndicesOrSections): Array[] {
  return tidy<Array[]>(() => {
    const a = rankAtLeast("hsplit", x, 1);
    return parts("hsplit", a, indicesOrSections, a.ndim === 1 ? 0 : 1, true);
  });
}
/** split along axis 0 of an array of rank >= 2. */
export const vsplit = (x: ArrayLike, indicesOrSections: IndicesOrSections): Array[] =>
  parts("vsplit", rankAtLeast("vsplit", x, 2), indicesOrSections, 0, true);
/** split along axis 2 of an array of rank >= 3. */
export const dsplit = (x: ArrayLike, indicesOrSections: IndicesOrSections): Array[] =>
  parts("dsplit", rankAtLeast("dsplit", x, 3), indicesOrSections, 2, true);

/** `values` appended to `arr` along `axis`; with `axis` null (the default) both are flattened first. */
export function append(arr: ArrayLike, values: ArrayLike, axis: number | null = null): Array {
  return tidy<Array>(() => {
    if (axis === null) return concatenate([ravel(arr), ravel(values)], 0);
    return concatenate(promote("append", arr, values), normalizeAxis(axis, asArray(arr, "append").ndim, "append"));
  });
}
