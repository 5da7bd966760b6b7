/**
 * `pad`, as numpy's np.pad: modes constant, empty, edge, wrap, reflect, symmetric,
 * maximum, minimum, mean and linear_ramp, axis by axis (later axes pad the corners).
 * Every mode is a concatenation of the input with blocks built from static slices.
 */
import { ArgumentError, ShapeError, checkStatic, isFloat } from "../core/index.js";
import type { Array } from "../trace/array.js";
import { type ArrayLike, add, asArray, broadcastTo, concatenate, convert, max, mean, min, mul, sub } from "../trace/array-ops.js";
import { Prim } from "../trace/prim.js";
import { bind1 } from "../trace/trace.js";
import { checkOptions, sliceAxis } from "./internal.js";
import { tidy } from "../trace/memory.js";

export type PadMode =
  | "constant"
  | "empty"
  | "edge"
  | "wrap"
  | "reflect"
  | "symmetric"
  | "maximum"
  | "minimum"
  | "mean"
  | "linear_ramp";

const MODES: readonly PadMode[] = ["constant", "empty", "edge", "wrap", "reflect", "symmetric", "maximum", "minimum", "mean", "linear_ramp"];

/** A value for every axis and side: `v`, `[before, after]`, or `[[before, after], ...]` per axis. */
export type PerSide<T> = T | readonly [T, T] | readonly (readonly [T, T])[] | readonly [T];

export interface PadOptions {
  readonly mode?: PadMode;
  /** mode "constant": the fill values (default 0). */
  readonly constantValues?: PerSide<ArrayLike>;
  /** mode "linear_ramp": the values the ramps start from at the outer edges (default 0). */
  readonly endValues?: PerSide<number>;
  /** modes "maximum", "minimum", "mean": how many edge elements the statistic uses (default all). */
  readonly statLength?: PerSide<number> | null;
  /** modes "reflect", "symmetric": only "even" (numpy's default) is supported. */
  readonly reflectType?: "even";
}

/** numpy's _as_pairs: broadcasts a scalar, a pair or a per-axis list of pairs to one pair per axis. */
function asPairs<T>(op: string, what: string, v: PerSide<T>, ndim: number, isLeaf: (x: unknown) => x is T): [T, T][] {
  if (isLeaf(v)) return globalThis.Array.from({ length: ndim }, () => [v, v]);
  const list = v as readonly unknown[];
  if (list.length === 1 && isLeaf(list[0])) return globalThis.Array.from({ length: ndim }, () => [list[0] as T, list[0] as T]);
  if (list.length === 2 && isLeaf(list[0]) && isLeaf(list[1])) {
    return globalThis.Array.from({ length: ndim }, () => [list[0] as T, list[1] as T]);
  }
  const pairs = list.map((p) => (globalThis.Array.isArray(p) && p.length === 1 ? [p[0], p[0]] : p)) as unknown[];
  const ok = pairs.every((p) => globalThis.Array.isArray(p) && p.length === 2 && isLeaf(p[0]) && isLeaf(p[1]));
  if (!ok || (pairs.length !== 1 && pairs.length !== ndim)) {
    throw new ArgumentError(
      `${op}: ${what} must be a value, a [before, after] pair, or one pair per axis (${ndim} axes), got ${JSON.stringify(v)}.`,
    );
  }
  const out = pairs as [T, T][];
  return out.length === 1 ? globalThis.Array.from({ length: ndim }, () => out[0]!) : out;
}

const isNum = (x: unknown): x is number => typeof x === "number";
const isArrayLike = (x: unknown): x is ArrayLike => typeof x === "number" || typeof x === "boolean" || (typeof x === "object" && x !== null && !globalThis.Array.isArray(x));

/** x's element indices `idx` along `axis` as one concatenation of slices (runs become single slices). */
function takeStatic(x: Array, axis: number, idx: readonly number[]): Array[] {
  const pieces: Array[] = [];
  for (let i = 0; i < idx.length; ) {
    let j = i + 1;
    if (j < idx.length && idx[j] === idx[i]) {
      while (j < idx.length && idx[j] === idx[i]) j++;
      const one = sliceAxis(x, axis, idx[i]!, idx[i]! + 1);
      pieces.push(broadcastTo(one, one.shape.map((d, k) => (k === axis ? j - i : d))));
    } else {
      while (j < idx.length && idx[j] === idx[j - 1]! + 1) j++;
      pieces.push(sliceAxis(x, axis, idx[i]!, idx[j - 1]! + 1));
    }
    i = j;
  }
  return pieces;
}

/** The index a padded position p (−before ≤ p < n + after) reads, for the index-mapping modes. */
function sourceIndex(mode: PadMode, p: number, n: number): number {
  const mod = (a: number, m: number): number => ((a % m) + m) % m;
  switch (mode) {
    case "edge":
      return Math.min(n - 1, Math.max(0, p));
    case "wrap":
      return mod(p, n);
    case "reflect": {
      if (n === 1) return 0;
      const j = mod(p, 2 * (n - 1));
      return j >= n ? 2 * (n - 1) - j : j;
    }
    default: {
      const j = mod(p, 2 * n);
      return j >= n ? 2 * n - 1 - j : j;
    }
  }
}

function blockShape(x: Array, axis: number, width: number): number[] {
  return x.shape.map((d, k) => (k === axis ? width : d));
}

function fill(x: Array, axis: number, width: number, value: ArrayLike): Array {
  const v = asArray(value, "pad");
  return broadcastTo(convert(v, x.dtype, x.weakType), blockShape(x, axis, width));
}

/** Linear ramps from `end` (outside) to the edge value, as np.linspace(end, edge, width, endpoint=False). */
function ramp(x: Array, axis: number, width: number, end: number, edge: Array, before: boolean): Array {
  const shape = blockShape(x, axis, width);
  const k = bind1(Prim.Iota, [], { dtype: x.dtype, shape, dimension: axis, sharding: null });
  const t = before ? k.div(width) : sub(width - 1, k).div(width); // fraction of the way from end to edge
  return add(end, mul(t, sub(broadcastTo(edge, shape), end)));
}

/**
 * Pads `x` by `padWidth` (a count, a [before, after] pair, or one pair per axis).
 * `pad(x, 1)`, `pad(x, [[1, 2], [0, 3]], "edge")`, `pad(x, 2, { mode: "constant", constantValues: 5 })`.
 */
export function pad(x: ArrayLike, padWidth: PerSide<number>, modeOrOpts?: PadMode | PadOptions, options?: PadOptions): Array {
  return tidy<Array>(() => {
    const opts: PadOptions = typeof modeOrOpts === "string" ? { ...options, mode: modeOrOpts } : (modeOrOpts ?? {});
    checkOptions("pad", opts, ["mode", "constantValues", "endValues", "statLength", "reflectType"]);
    const mode = opts.mode ?? "constant";
    if (!MODES.includes(mode)) throw new ArgumentError(`pad: unknown mode "${mode}"; the modes are: ${MODES.join(", ")}.`);
    if (opts.reflectType !== undefined && opts.reflectType !== "even") {
      throw new ArgumentError(`pad: reflectType "${opts.reflectType}" is not supported; only "even" (numpy's default) is.`);
    }
    let a = asArray(x, "pad");
    checkStatic(padWidth, "pad", "pad width");
    const widths = asPairs("pad", "padWidth", padWidth, a.ndim, isNum);
    if (widths.some(([b, c]) => !Number.isInteger(b) || !Number.isInteger(c) || b < 0 || c < 0)) {
      throw new ArgumentError(`pad: pad widths must be non-negative integers, got ${JSON.stringify(padWidth)}.`);
    }
    if ((mode === "mean" || mode === "linear_ramp") && !isFloat(a.dtype)) {
      throw new ArgumentError(`pad: mode "${mode}" on ${a.aval.strShort()} would need rounding to the integer dtype; cast to float first.`);
    }
    const constants = mode === "constant" ? asPairs("pad", "constantValues", opts.constantValues ?? 0, a.ndim, isArrayLike) : null;
    const ends = mode === "linear_ramp" ? asPairs("pad", "endValues", opts.endValues ?? 0, a.ndim, isNum) : null;
    const stats = mode === "maximum" || mode === "minimum" || mode === "mean"
      ? opts.statLength == null ? null : asPairs("pad", "statLength", opts.statLength, a.ndim, isNum)
      : null;

    for (let axis = 0; axis < a.ndim; axis++) {
      const [before, after] = widths[axis]!;
      if (before === 0 && after === 0) continue;
      const n = a.shape[axis]!;
      if (n === 0 && mode !== "constant" && mode !== "empty") {
        throw new ShapeError(`pad: cannot extend the empty axis ${axis} of ${a.aval.strShort()} with mode "${mode}"; only "constant" and "empty" can.`);
      }
      const pieces: Array[] = [];
      const side = (width: number, isBefore: boolean): Array[] => {
        if (width === 0) return [];
        const s = isBefore ? 0 : 1;
        switch (mode) {
          case "constant":
            return [fill(a, axis, width, constants![axis]![s]!)];
          case "empty":
            return [fill(a, axis, width, 0)];
          case "maximum":
          case "minimum":
          case "mean": {
            const len = stats ? Math.min(n, Math.max(1, stats[axis]![s]!)) : n;
            const region = isBefore ? sliceAxis(a, axis, 0, len) : sliceAxis(a, axis, n - len, n);
            const f = mode === "maximum" ? max : mode === "minimum" ? min : mean;
            return [broadcastTo(f(region, { axis, keepdims: true }), blockShape(a, axis, width))];
          }
          case "linear_ramp": {
            const edge = isBefore ? sliceAxis(a, axis, 0, 1) : sliceAxis(a, axis, n - 1, n);
            return [ramp(a, axis, width, ends![axis]![s]!, edge, isBefore)];
          }
          default: {
            const idx = globalThis.Array.from({ length: width }, (_, i) => sourceIndex(mode, isBefore ? i - width : n + i, n));
            return takeStatic(a, axis, idx);
          }
        }
      };
      pieces.push(...side(before, true), a, ...side(after, false));
      a = concatenate(pieces, axis);
    }
    return a;
  });
}
