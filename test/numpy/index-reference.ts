/**
 * A plain-JS reference for numpy indexing (x[index] and its in-place updates),
 * written from numpy's rules: Python's slice.indices as a loop, the ellipsis
 * expanded, boolean masks as their nonzero positions, integer arrays broadcast
 * together, and their dims placed where the first advanced item stands when the
 * advanced items (arrays, and integers when arrays are present) are adjacent, else
 * first. It returns, for every element of the result in row-major order, the
 * position of x it reads; and a random index builder driven by a tape of naturals.
 */
import { shapeSize } from "../../src/core/index.js";
import { numpy as np } from "../../src/index.js";
import { type Host, at, device, unravel } from "./helpers.js";
import { broadcastIndex } from "./values.js";

/** An index item in host form: integer, [start, stop, step] slice, null, "...", integer array, boolean mask (0/1). */
export type RefItem = number | { readonly slice: readonly [number | null, number | null, number | null] } | null | "..." | { readonly array: Host } | { readonly mask: Host };

/** Python's range(*slice(start, stop, step).indices(n)) as a list. */
export function slicePositions(n: number, start: number | null, stop: number | null, step: number | null): number[] {
  const s = step ?? 1;
  const adjust = (v: number | null, dflt: number): number => {
    if (v === null) return dflt;
    if (v < 0) return Math.max(v + n, s < 0 ? -1 : 0);
    return Math.min(v, s < 0 ? n - 1 : n);
  };
  const out: number[] = [];
  const a = adjust(start, s < 0 ? n - 1 : 0);
  const b = adjust(stop, s < 0 ? -1 : n);
  for (let i = a; s > 0 ? i < b : i > b; i += s) out.push(i);
  return out;
}

/** numpy's broadcast of valid shapes: per trailing-aligned axis, the size other than 1 (or 1). */
function broadcast(shapes: readonly (readonly number[])[]): number[] {
  const rank = Math.max(0, ...shapes.map((s) => s.length));
  return Array.from({ length: rank }, (_, j) => shapes.map((s) => s[j - rank + s.length] ?? 1).find((d) => d !== 1) ?? 1);
}

type Entry = { readonly slice: number[] } | { readonly int: number } | { readonly array: Host } | null;

/** The result shape of x[index] and, per result element, the position of x it reads. */
export function refIndex(shape: readonly number[], items: readonly RefItem[]): { shape: number[]; positions: number[][] } {
  const axes = (i: RefItem): number => (i === null || i === "..." ? 0 : typeof i === "object" && "mask" in i ? i.mask.shape.length : 1);
  const used = items.reduce((a: number, i) => a + axes(i), 0);
  const entries: Entry[] = [];
  const advancedAt: number[] = [];
  const advancedItems: number[] = [];
  let hasArrays = false;
  let axis = 0;
  items.forEach((item, pos) => {
    if (item === null) return void entries.push(null);
    if (item === "...") {
      for (let k = used; k < shape.length; k++) entries.push({ slice: slicePositions(shape[axis]!, null, null, null) }), axis++;
      return;
    }
    if (typeof item === "object" && "slice" in item) return void entries.push({ slice: slicePositions(shape[axis++]!, ...item.slice) });
    advancedItems.push(pos);
    advancedAt.push(entries.length);
    if (typeof item === "number") entries.push({ int: item < 0 ? item + shape[axis]! : item }), axis++;
    else if ("array" in item) {
      hasArrays = true;
      const n = shape[axis++]!;
      entries.push({ array: { shape: item.array.shape, data: item.array.data.map((v) => (v < 0 ? v + n : v)) } });
    } else {
      hasArrays = true;
      const m = item.mask;
      const hits = m.data.flatMap((v, i) => (v ? [unravel(i, m.shape)] : []));
      m.shape.forEach((_, d) => entries.push({ array: { shape: [hits.length], data: hits.map((h) => h[d]!) } }));
      axis += m.shape.length;
    }
  });
  for (; axis < shape.length; axis++) entries.push({ slice: slicePositions(shape[axis]!, null, null, null) });

  const arrays = entries.flatMap((e) => (e !== null && "array" in e ? [e.array] : []));
  const batch = broadcast(arrays.map((a) => a.shape));
  const adjacent = advancedItems.every((p, k) => k === 0 || p === advancedItems[k - 1]! + 1);
  const batchBefore = !hasArrays ? -1 : adjacent ? advancedAt[0]! : 0;
  // The result dims: "new", a slice's entry index, or "batch".
  const dims: (number | "new" | "batch")[] = [];
  entries.forEach((e, i) => {
    if (i === batchBefore) dims.push(...batch.map(() => "batch" as const));
    if (e === null) dims.push("new");
    else if ("slice" in e) dims.push(i);
  });
  const outShape = dims.map((d) => (d === "new" ? 1 : d === "batch" ? -1 : (entries[d] as { slice: number[] }).slice.length));
  let b = 0;
  const resolved = outShape.map((n) => (n === -1 ? batch[b++]! : n));
  const positions = Array.from({ length: shapeSize(resolved) }, (_, r) => {
    const idx = unravel(r, resolved);
    const bIdx = idx.filter((_, p) => dims[p] === "batch");
    const pos: number[] = [];
    entries.forEach((e, i) => {
      if (e === null) return;
      if ("slice" in e) pos.push(e.slice[idx[dims.indexOf(i)]!]!);
      else if ("int" in e) pos.push(e.int);
      else pos.push(at(e.array, broadcastIndex(bIdx, e.array.shape)));
    });
    return pos;
  });
  return { shape: resolved, positions };
}

/** x[index] on the host. */
export function refGet(x: Host, items: readonly RefItem[]): Host {
  const { shape, positions } = refIndex(x.shape, items);
  return { shape, data: positions.map((p) => at(x, p)) };
}

/** x with x[index] = f(x[index], y) applied element by element in the result's row-major order (y broadcast to the result). */
export function refUpdate(x: Host, items: readonly RefItem[], y: Host, f: (old: number, upd: number) => number): Host {
  const { shape, positions } = refIndex(x.shape, items);
  const data = [...x.data];
  positions.forEach((p, r) => {
    const k = p.reduce((acc, v, d) => acc * x.shape[d]! + v, 0);
    data[k] = f(data[k]!, at(y, broadcastIndex(unravel(r, shape), y.shape)));
  });
  return { shape: [...x.shape], data };
}

/** The ferrax index for host items: arrays on the device (int32 / bool). */
export const toIndex = (items: readonly RefItem[]): np.IndexItem[] =>
  items.map((i) => (i === null || i === "..." || typeof i === "number" ? i : "slice" in i ? np.slice(...i.slice) : "array" in i ? device(i.array, "int32") : device(i.mask, "bool")));

/** numpy's text for items without arrays, e.g. "1:3, None, ..., ::-1". */
export const toText = (items: readonly RefItem[]): string =>
  items.map((i) => (i === null ? "None" : typeof i === "object" && i !== null && "slice" in i ? i.slice.map((v) => (v === null ? "" : String(v))).join(":") : String(i))).join(", ");

export interface BuildOptions {
  readonly arrays?: boolean;
  readonly masks?: boolean;
}

/**
 * A random valid index for `shape` read off `tape` (naturals, reused cyclically):
 * integers, slices (bounds in [-6, 6], steps ±1..3, some null), up to two new axes,
 * maybe one ellipsis anywhere, and optionally integer arrays broadcasting to a common
 * shape or one boolean mask (covering 1 or 2 axes).
 */
export function buildIndex(shape: readonly number[], tape: readonly number[], opts: BuildOptions = {}): RefItem[] {
  let t = 0;
  const next = (m: number): number => (m <= 0 ? 0 : tape[t++ % tape.length]! % m);
  type Kind = "int" | "slice" | "array" | "mask1" | "mask2";
  const kinds: Kind[] = [];
  const menu: Kind[] = ["int", "slice", "slice", ...(opts.arrays ? (["array", "array", "array"] as const) : []), ...(opts.masks ? (["mask1", "mask2"] as const) : [])];
  let left = Math.max(next(shape.length + 1), next(shape.length + 1));
  let masked = false;
  while (left > 0) {
    let k = menu[next(menu.length)]!;
    if ((k === "mask2" && left < 2) || (k.startsWith("mask") && masked)) k = "slice";
    if (k.startsWith("mask")) masked = true;
    kinds.push(k);
    left -= k === "mask2" ? 2 : 1;
  }
  if (masked) for (let i = 0; i < kinds.length; i++) if (kinds[i] === "array") kinds[i] = "int";
  const used = kinds.reduce((a, k) => a + (k === "mask2" ? 2 : 1), 0);
  const seq: (Kind | "new" | "...")[] = [...kinds];
  for (let n = next(3); n > 0; n--) seq.splice(next(seq.length + 1), 0, "new");
  if (next(2) === 1) seq.splice(next(seq.length + 1), 0, "...");
  const batchRank = next(3);
  const batch = Array.from({ length: batchRank }, () => (next(6) === 0 ? 0 : 1 + next(3)));
  const bound = (): number | null => (next(4) === 0 ? null : next(13) - 6);
  let axis = 0;
  return seq.map((k): RefItem => {
    if (k === "new") return null;
    if (k === "...") return (axis += shape.length - used), "...";
    const n = shape[axis]!;
    axis += k === "mask2" ? 2 : 1;
    if (k === "slice" || ((k === "int" || k === "array") && n === 0)) return { slice: [bound(), bound(), [null, 1, 2, 3, -1, -2, -3][next(7)]!] };
    if (k === "int") return next(2 * n) - n;
    if (k === "array") {
      const s = batch.slice(next(batchRank + 1)).map((d) => (next(3) === 0 ? 1 : d));
      return { array: { shape: s, data: Array.from({ length: shapeSize(s) }, () => next(2 * n) - n) } };
    }
    const ms = shape.slice(axis - (k === "mask2" ? 2 : 1), axis);
    return { mask: { shape: ms, data: Array.from({ length: shapeSize(ms) }, () => next(2)) } };
  });
}
