/** Reversal along axes (one rev primitive each): flip, fliplr, flipud, rot90. */
import { ArgumentError, ShapeError, normalizeAxes, normalizeAxis } from "../core/index.js";
import { rev } from "../lax/structural.js";
import type { Array } from "../trace/array.js";
import { type ArrayLike, asArray, transpose } from "../trace/array-ops.js";
import { tidy } from "../trace/memory.js";

/** Reverses the order of elements along `axis` (all axes when null), as jnp.flip. */
export function flip(x: ArrayLike, axis: number | readonly number[] | null = null): Array {
  const a = asArray(x, "flip");
  return rev(a, normalizeAxes(axis, a.shape, "flip"));
}

function needRank(op: string, a: Array, rank: number): void {
  if (a.ndim < rank) {
    throw new ShapeError(`${op}: needs an array of rank >= ${rank}, got ${a.aval.strShort()}; reshape it first (e.g. atleast${rank}d).`);
  }
}

/** Reverses the columns (axis 1). */
export function fliplr(x: ArrayLike): Array {
  const a = asArray(x, "fliplr");
  needRank("fliplr", a, 2);
  return rev(a, [1]);
}

/** Reverses the rows (axis 0). */
export function flipud(x: ArrayLike): Array {
  const a = asArray(x, "flipud");
  needRank("flipud", a, 1);
  return rev(a, [0]);
}

/** Rotates by 90 degrees `k` times in the plane of `axes`, from the first axis towards the second. */
export function rot90(x: ArrayLike, k = 1, axes: readonly [number, number] = [0, 1]): Array {
  return tidy<Array>(() => {
    const a = asArray(x, "rot90");
    if (!Number.isInteger(k)) throw new ArgumentError(`rot90: k must be an integer, got ${k}.`);
    if (axes.length !== 2) throw new ArgumentError(`rot90: axes must name exactly two axes, got (${axes.join(", ")}).`);
    needRank("rot90", a, 2);
    const [p, q] = [normalizeAxis(axes[0], a.shape, "rot90"), normalizeAxis(axes[1], a.shape, "rot90")];
    if (p === q) throw new ArgumentError(`rot90: axes (${axes.join(", ")}) name the same axis twice; give two different axes.`);
    const turns = ((k % 4) + 4) % 4;
    if (turns === 0) return a;
    if (turns === 2) return rev(a, [p, q]);
    const perm = a.shape.map((_, i) => (i === p ? q : i === q ? p : i));
    // One turn: reverse the second axis, then swap the two; three turns: swap, then reverse it.
    return turns === 1 ? transpose(rev(a, [q]), perm) : rev(transpose(a, perm), [q]);
  });
}
