/**
 * Cumulative sums and products (jnp.cumsum, cumprod, nancumsum, nancumprod) and the
 * array API's cumulative_sum / cumulative_prod with include_initial. bool operands
 * accumulate in int32 (as numpy and JAX promote them); `dtype` casts before the scan;
 * axis null (the default for cumsum/cumprod) scans the flattened array.
 */
import { ArgumentError, type DType } from "../core/index.js";
import * as lax from "../lax/index.js";
import type { Array } from "../trace/array.js";
import { type ArrayLike, asArray, astype, broadcastTo, concatenate, reshape, scalar, where } from "../trace/array-ops.js";
import { isnan } from "./logic.js";
import { tidy } from "../trace/memory.js";

export interface CumulativeOptions {
  /** The dtype to accumulate in and return (default: the operand's, int32 for bool). */
  readonly dtype?: DType | string;
}

export interface ArrayApiCumulativeOptions extends CumulativeOptions {
  /** Required when x has more than one axis. */
  readonly axis?: number;
  /** Prepend the identity (0 or 1), so the result is one longer along `axis` (default false). */
  readonly includeInitial?: boolean;
}

type Scan = (x: ArrayLike, axis?: number, reverse?: boolean) => Array;

/** The operand cast for accumulation, flattened when `axis` is null, with its scanned axis. */
function prepare(op: string, x: ArrayLike, axis: number | null, opts: CumulativeOptions): [Array, number] {
  let a = asArray(x, op);
  if (opts.dtype !== undefined) a = astype(a, opts.dtype);
  else if (a.dtype === "bool") a = astype(a, "int32");
  if (axis === null) return [reshape(a, [a.size]), 0];
  if (a.ndim === 0) throw new ArgumentError(`${op}: axis ${axis} given for a rank-0 operand; pass axis null, or reshape it to rank 1.`);
  return [a, axis];
}

const numpyScan =
  (op: string, scan: Scan, nanFill: number | null) =>
  (x: ArrayLike, axis: number | null = null, opts: CumulativeOptions = {}): Array => {
    return tidy(() => {
      const [a, ax] = prepare(op, x, axis, opts);
      const filled = nanFill !== null && (a.dtype === "float32" || a.dtype === "float64") ? where(isnan(a), nanFill, a) : a;
      return scan(filled, ax);
    });
  };

/** Running sum along `axis` (the flattened array when axis is null). */
export const cumsum = numpyScan("cumsum", lax.cumsum, null);
/** Running product along `axis` (the flattened array when axis is null). */
export const cumprod = numpyScan("cumprod", lax.cumprod, null);
/** cumsum with NaN counted as 0. */
export const nancumsum = numpyScan("nancumsum", lax.cumsum, 0);
/** cumprod with NaN counted as 1. */
export const nancumprod = numpyScan("nancumprod", lax.cumprod, 1);

const arrayApiScan =
  (op: string, scan: Scan, identity: number) =>
  (x: ArrayLike, opts: ArrayApiCumulativeOptions = {}): Array => {
    return tidy(() => {
      const nd = asArray(x, op).ndim;
      if (opts.axis === undefined && nd > 1) {
        throw new ArgumentError(`${op}: x has ${nd} axes; pass { axis } to choose the one to accumulate along.`);
      }
      const [a, ax0] = prepare(op, x, opts.axis ?? (nd === 0 ? null : 0), opts);
      const out = scan(a, ax0);
      if (!opts.includeInitial) return out;
      const ax = ax0 < 0 ? ax0 + a.ndim : ax0;
      const initial = broadcastTo(scalar(identity, out.dtype), out.shape.map((d, i) => (i === ax ? 1 : d)));
      return concatenate([initial, out], ax);
    });
  };

/** The array API's cumulative_sum: cumsum along `axis`, optionally starting with 0. */
export const cumulativeSum = arrayApiScan("cumulativeSum", lax.cumsum, 0);
/** The array API's cumulative_prod: cumprod along `axis`, optionally starting with 1. */
export const cumulativeProd = arrayApiScan("cumulativeProd", lax.cumprod, 1);
