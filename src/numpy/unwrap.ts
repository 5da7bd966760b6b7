/**
 * numpy.unwrap: removes jumps larger than `discont` between neighbours along `axis`
 * by adding multiples of `period`, so a wrapped phase becomes continuous. Each
 * difference is folded into [-period/2, period/2) (a difference of exactly
 * -period/2 that was positive maps to +period/2, as numpy does) and the running
 * sum of the corrections is added to every element after the first.
 */
import { ShapeError, normalizeAxis } from "../core/index.js";
import type { Array } from "../trace/array.js";
import { type ArrayLike, abs, add, concatenate, equal, greater, less, sub, where } from "../trace/array-ops.js";
import { cumsum } from "./cumulative.js";
import { diff } from "./differences.js";
import { checkOptions, sliceAxis, toInexact } from "./internal.js";
import { logicalAnd } from "./logic.js";
import { remainder } from "./rounding.js";
import { tidy } from "../trace/memory.js";

export interface UnwrapOptions {
  /** Jumps at least this large are unwrapped (default and minimum: period / 2). */
  readonly discont?: number | null;
  readonly axis?: number;
  /** The wrapping period (default 2π). */
  readonly period?: number;
}

export function unwrap(p: ArrayLike, opts: UnwrapOptions = {}): Array {
  return tidy<Array>(() => {
    checkOptions("unwrap", opts, ["discont", "axis", "period"]);
    const a = toInexact(p, "unwrap");
    if (a.ndim === 0) throw new ShapeError(`unwrap: needs an array of rank >= 1, got ${a.aval.strShort()}.`);
    const axis = normalizeAxis(opts.axis ?? -1, a.ndim, "unwrap");
    const period = opts.period ?? 2 * Math.PI;
    const high = period / 2;
    const discont = Math.max(opts.discont ?? high, high);
    const n = a.shape[axis]!;
    if (n < 2) return a;
    const dd = diff(a, 1, axis);
    let folded = add(remainder(add(dd, high), period), -high);
    folded = where(logicalAnd(equal(folded, -high), greater(dd, 0)), high, folded);
    const correction = where(less(abs(dd), discont), 0, sub(folded, dd));
    const rest = add(sliceAxis(a, axis, 1, n), cumsum(correction, axis));
    return concatenate([sliceAxis(a, axis, 0, 1), rest], axis);
  });
}
