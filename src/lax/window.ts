/**
 * Windowed reductions: lax.reduceWindow for the sum, max and min monoids (JAX's
 * reduce_window_{sum,max,min} primitives), and pooling helpers on channels-last
 * inputs built from them (ferrax additions, with flax.linen's max_pool / avg_pool
 * conventions: window over the axes between the leading batch axis and the
 * trailing feature axis).
 */
import { ArgumentError } from "../core/index.js";
import type { Array } from "../trace/array.js";
import { asArray, broadcastTo, scalar, type ArrayLike } from "../trace/array-ops.js";
import { dilateSize } from "../trace/conv-shape.js";
import { Prim, type ReduceWindowPrim } from "../trace/prim.js";
import { bind1 } from "../trace/trace.js";
import { padtypeToPads, type PaddingLike } from "./conv.js";
import { add, div, max, min } from "./elementwise.js";
import { tidy } from "../trace/memory.js";

export type WindowMonoid = "sum" | "max" | "min";

const PRIM: Record<WindowMonoid, ReduceWindowPrim> = {
  sum: Prim.ReduceWindowSum,
  max: Prim.ReduceWindowMax,
  min: Prim.ReduceWindowMin,
};
const IDENTITY: Record<WindowMonoid, number> = { sum: 0, max: -Infinity, min: Infinity };
/** Integer dtypes have no infinities: their extremes are identities too. */
const INT_IDENTITY: Partial<Record<string, Partial<Record<WindowMonoid, number[]>>>> = {
  int32: { max: [-(2 ** 31)], min: [2 ** 31 - 1] },
  uint32: { max: [0], min: [2 ** 32 - 1] },
};

export interface WindowOptions {
  readonly baseDilation?: readonly number[] | null;
  readonly windowDilation?: readonly number[] | null;
}

/** reduce_window_{sum,max,min} of `x`: one window per output element, padding counts as the identity. */
export function reduceWindowOf(
  monoid: WindowMonoid, x: ArrayLike, windowDimensions: readonly number[], windowStrides: readonly number[],
  padding: PaddingLike, opts: WindowOptions = {},
): Array {
  const prim = PRIM[monoid];
  const a = asArray(x, prim);
  const ones = a.shape.map(() => 1);
  const baseDilation = [...(opts.baseDilation ?? ones)];
  const windowDilation = [...(opts.windowDilation ?? ones)];
  const pads = padtypeToPads(
    a.shape.map((n, i) => dilateSize(n, baseDilation[i] ?? 1)),
    windowDimensions.map((w, i) => dilateSize(w, windowDilation[i] ?? 1)),
    windowStrides, padding, prim,
  );
  return bind1(prim, [a], {
    windowDimensions: [...windowDimensions],
    windowStrides: [...windowStrides],
    padding: pads,
    baseDilation,
    windowDilation,
  });
}

/**
 * JAX's lax.reduce_window for the monoids with a primitive: `computation` is lax.add,
 * lax.max or lax.min (or 'sum' / 'max' / 'min') and `initValue` its identity
 * (0, -inf, +inf; for integer dtypes also the dtype's extremes).
 */
export function reduceWindow(
  x: ArrayLike, initValue: number, computation: WindowMonoid | typeof add | typeof max | typeof min,
  windowDimensions: readonly number[], windowStrides: readonly number[], padding: PaddingLike,
  baseDilation: readonly number[] | null = null, windowDilation: readonly number[] | null = null,
): Array {
  const monoid: WindowMonoid | undefined =
    typeof computation === "string" ? computation : computation === add ? "sum" : computation === max ? "max" : computation === min ? "min" : undefined;
  if (monoid === undefined || !(monoid in PRIM)) {
    throw new ArgumentError("reduce_window: computation must be lax.add, lax.max or lax.min (or 'sum', 'max', 'min'); other reductions have no primitive.");
  }
  const a = asArray(x, PRIM[monoid]);
  const identities = [IDENTITY[monoid], ...(INT_IDENTITY[a.dtype]?.[monoid] ?? [])];
  if (!identities.includes(initValue)) {
    throw new ArgumentError(
      `reduce_window: init_value ${initValue} is not the identity of ${monoid} for ${a.dtype} (${identities.join(" or ")}); ` +
        `reduce with the identity and combine the result with ${initValue} instead.`,
    );
  }
  return reduceWindowOf(monoid, a, windowDimensions, windowStrides, padding, { baseDilation, windowDilation });
}

export interface PoolOptions {
  /** Per window axis; default 1 (JAX's pooling default is a stride of 1). */
  readonly strides?: readonly number[];
  readonly padding?: PaddingLike;
}

function poolWindow(op: string, x: Array, windowShape: readonly number[], opts: PoolOptions) {
  const nsp = x.ndim - 2;
  if (nsp < 1 || windowShape.length !== nsp) {
    throw new ArgumentError(
      `${op}: input ${x.aval.strShort()} must be (batch, spatial..., features) with one window size per spatial axis; got window ${JSON.stringify(windowShape)}.`,
    );
  }
  const strides = opts.strides ?? windowShape.map(() => 1);
  if (strides.length !== nsp) throw new ArgumentError(`${op}: strides ${JSON.stringify(strides)} must have one entry per spatial axis (${nsp}).`);
  const padding = opts.padding ?? "VALID";
  const pads = typeof padding === "string" ? padding : [[0, 0] as const, ...padding, [0, 0] as const];
  return { window: [1, ...windowShape, 1], strides: [1, ...strides, 1], pads };
}

/** Max pooling of a channels-last input (flax's max_pool): padding never wins the max. */
export function maxPool(x: ArrayLike, windowShape: readonly number[], opts: PoolOptions = {}): Array {
  const a = asArray(x, "max_pool");
  const { window, strides, pads } = poolWindow("max_pool", a, windowShape, opts);
  return reduceWindowOf("max", a, window, strides, pads);
}

/**
 * Average pooling of a channels-last input (flax's avg_pool): window sums divided by
 * the window size, or with `countIncludePad: false` by the number of real elements.
 */
export function avgPool(x: ArrayLike, windowShape: readonly number[], opts: PoolOptions & { readonly countIncludePad?: boolean } = {}): Array {
  return tidy<Array>(() => {
    const a = asArray(x, "avg_pool");
    const { window, strides, pads } = poolWindow("avg_pool", a, windowShape, opts);
    const sums = reduceWindowOf("sum", a, window, strides, pads);
    if (opts.countIncludePad ?? true) return div(sums, windowShape.reduce((p, w) => p * w, 1));
    const count = reduceWindowOf("sum", broadcastTo(scalar(1, a.dtype), a.shape), window, strides, pads);
    return div(sums, count);
  });
}
