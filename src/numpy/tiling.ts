/**
 * Repetition and rotation built from broadcast, reshape, slice and concatenate:
 * tile, repeat (a count, or a static list of counts), roll, resize.
 */
import { ArgumentError, ShapeError, checkStatic, normalizeAxis, shapeSize } from "../core/index.js";
import type { Array } from "../trace/array.js";
import { type ArrayLike, asArray, broadcastTo, concatenate, reshape, scalar } from "../trace/array-ops.js";
import { Prim } from "../trace/prim.js";
import { bind1 } from "../trace/trace.js";
import { ravel } from "./axes.js";
import { checkCount, sliceAxis } from "./internal.js";
import { tidy } from "../trace/memory.js";

/** Repeats the whole array `reps` times along each axis (reps and shape are aligned from the right). */
export function tile(x: ArrayLike, reps: number | readonly number[]): Array {
  return tidy<Array>(() => {
    checkStatic(reps, "tile", "repetition count");
    const a = asArray(x, "tile");
    const r = (typeof reps === "number" ? [reps] : [...reps]).map((k) => checkCount("tile", "each repetition count", k));
    const rank = Math.max(r.length, a.ndim);
    const shape = [...new globalThis.Array<number>(rank - a.ndim).fill(1), ...a.shape];
    const rr = [...new globalThis.Array<number>(rank - r.length).fill(1), ...r];
    if (rr.every((k) => k === 1)) return reshape(a, shape);
    // [d0, d1, ...] -> [r0, d0, r1, d1, ...] -> [r0·d0, r1·d1, ...]
    const inter = shape.flatMap((d, i) => [rr[i]!, d]);
    const b = bind1(Prim.BroadcastInDim, [reshape(a, shape)], {
      shape: inter,
      broadcastDimensions: shape.map((_, i) => 2 * i + 1),
      sharding: null,
    });
    return reshape(b, shape.map((d, i) => d * rr[i]!));
  });
}

/** Each element of the slices [start, stop) along `axis` repeated `count` times in place. */
function repeatRun(a: Array, axis: number, start: number, stop: number, count: number): Array {
  const part = sliceAxis(a, axis, start, stop);
  const expanded = [...part.shape.slice(0, axis + 1), count, ...part.shape.slice(axis + 1)];
  const b = bind1(Prim.BroadcastInDim, [part], {
    shape: expanded,
    broadcastDimensions: part.shape.map((_, i) => (i <= axis ? i : i + 1)),
    sharding: null,
  });
  return reshape(b, part.shape.map((d, i) => (i === axis ? d * count : d)));
}

/**
 * Repeats each element `repeats` times along `axis` (the flattened array when axis
 * is null). `repeats` is a count or a static list with one count per element.
 */
export function repeat(x: ArrayLike, repeats: number | readonly number[], axis: number | null = null): Array {
  return tidy<Array>(() => {
    checkStatic(repeats, "repeat", "repetition count");
    let a = asArray(x, "repeat");
    if (axis === null) a = ravel(a);
    const ax = normalizeAxis(axis ?? 0, a.shape, "repeat");
    const n = a.shape[ax]!;
    const counts = typeof repeats === "number" ? [repeats] : [...repeats];
    counts.forEach((c) => checkCount("repeat", "each repeat count", c));
    if (counts.length === 1) return repeatRun(a, ax, 0, n, counts[0]!);
    if (counts.length !== n) {
      throw new ShapeError(
        `repeat: got ${counts.length} repeat counts for axis ${axis ?? 0} of ${a.aval.strShort()} (size ${n}); ` +
          `pass one count per element, or a single count.`,
      );
    }
    // Consecutive elements with equal counts are repeated together.
    const pieces: Array[] = [];
    for (let i = 0; i < n; ) {
      let j = i + 1;
      while (j < n && counts[j] === counts[i]) j++;
      if (counts[i]! > 0) pieces.push(repeatRun(a, ax, i, j, counts[i]!));
      i = j;
    }
    return pieces.length ? concatenate(pieces, ax) : sliceAxis(a, ax, 0, 0);
  });
}

/**
 * Rotates elements by `shift` along `axis` (the flattened array when axis is null);
 * shifts and axes may be lists (paired, a single value broadcasts).
 */
export function roll(x: ArrayLike, shift: number | readonly number[], axis: number | readonly number[] | null = null): Array {
  return tidy<Array>(() => {
    checkStatic(shift, "roll", "shift");
    const a = asArray(x, "roll");
    if (axis === null) {
      if (typeof shift !== "number" && shift.length !== 1) {
        throw new ArgumentError(`roll: with axis null, shift must be a single integer, got [${shift.join(", ")}].`);
      }
      return reshape(roll(ravel(a), typeof shift === "number" ? shift : shift[0]!, 0), a.shape);
    }
    const shifts = typeof shift === "number" ? [shift] : [...shift];
    const axes = typeof axis === "number" ? [axis] : [...axis];
    const k = Math.max(shifts.length, axes.length);
    if ((shifts.length !== 1 && shifts.length !== k) || (axes.length !== 1 && axes.length !== k)) {
      throw new ArgumentError(`roll: shift [${shifts.join(", ")}] and axis [${axes.join(", ")}] must have the same length (or one of them a single value).`);
    }
    const total = new Map<number, number>();
    for (let i = 0; i < k; i++) {
      const s = shifts[shifts.length === 1 ? 0 : i]!;
      if (!Number.isInteger(s)) throw new ArgumentError(`roll: shifts must be integers, got ${s}.`);
      const ax = normalizeAxis(axes[axes.length === 1 ? 0 : i]!, a.shape, "roll");
      total.set(ax, (total.get(ax) ?? 0) + s);
    }
    let out = a;
    for (const [ax, s] of total) {
      const n = out.shape[ax]!;
      const m = n === 0 ? 0 : ((s % n) + n) % n;
      if (m !== 0) out = concatenate([sliceAxis(out, ax, n - m, n), sliceAxis(out, ax, 0, n - m)], ax);
    }
    return out;
  });
}

/** A new shape filled with the flattened elements of `x`, repeated cyclically as needed. */
export function resize(x: ArrayLike, newShape: number | readonly number[]): Array {
  return tidy<Array>(() => {
    const a = ravel(asArray(x, "resize"));
    const shape = (typeof newShape === "number" ? [newShape] : [...newShape]).map((d) => checkCount("resize", "each dimension", d));
    const size = shapeSize(shape);
    if (a.size === 0 || size === 0) return broadcastTo(scalar(0, a.dtype, a.weakType), shape);
    const reps = Math.ceil(size / a.size);
    return reshape(sliceAxis(tile(a, reps), 0, 0, size), shape);
  });
}
