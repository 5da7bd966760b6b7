/**
 * numpy's 1-D convolve and correlate, as single-channel conv_general_dilated calls.
 *
 * Full correlation: c[j] = Σ_i a[i + j − (m − 1)] · v[i] for j in [0, n + m − 1)
 * (out-of-range a reads 0). 'same' keeps max(n, m) entries starting at
 * ⌊(m − 1) / 2⌋ of the full result (low padding ⌊m / 2⌋), 'valid' the entries where v fits entirely in a.
 * As numpy does, a shorter `a` swaps the operands and reverses the result
 * (correlate); convolve(a, v) is correlate(a, reversed v), commutative, computed
 * with the longer operand as the signal.
 */
import { ArgumentError } from "../core/index.js";
import { rev } from "../lax/structural.js";
import type { Array } from "../trace/array.js";
import { type ArrayLike, promote, reshape } from "../trace/array-ops.js";
import { ConvDimensionNumbers, Prim } from "../trace/prim.js";
import { bind1 } from "../trace/trace.js";
import { toInexact } from "./internal.js";
import { tidy } from "../trace/memory.js";

export type ConvolveMode = "full" | "same" | "valid";

function operands(op: string, a: ArrayLike, v: ArrayLike): [Array, Array] {
  const [x, y] = promote(op, toInexact(a, op), toInexact(v, op)) as [Array, Array];
  if (x.ndim !== 1 || y.ndim !== 1) {
    throw new ArgumentError(`${op}: both inputs must be 1-D, got shapes [${x.shape}] and [${y.shape}]; use lax.convGeneralDilated for N-d.`);
  }
  if (x.size === 0 || y.size === 0) throw new ArgumentError(`${op}: inputs cannot be empty (got sizes ${x.size} and ${y.size}).`);
  return [x, y];
}

/** Correlation of `a` (length n) with `v` (length m <= n) as one conv. */
function correlateLong(a: Array, v: Array, mode: ConvolveMode, op: string): Array {
  const m = v.size;
  const pads: Record<ConvolveMode, [number, number]> = { full: [m - 1, m - 1], same: [m >> 1, m - 1 - (m >> 1)], valid: [0, 0] };
  const padding = pads[mode];
  if (!padding) throw new ArgumentError(`${op}: mode '${mode as string}' is not 'full', 'same' or 'valid'.`);
  const out = bind1(Prim.ConvGeneralDilated, [reshape(a, [1, 1, a.size]), reshape(v, [1, 1, m])], {
    windowStrides: [1],
    padding: [padding],
    lhsDilation: [1],
    rhsDilation: [1],
    dimensionNumbers: new ConvDimensionNumbers([0, 1, 2], [0, 1, 2], [0, 1, 2]),
    featureGroupCount: 1,
    batchGroupCount: 1,
    precision: null,
    preferredElementType: null,
  });
  return reshape(out, [out.size]);
}

/** numpy.correlate (default mode 'valid'). */
export function correlate(a: ArrayLike, v: ArrayLike, mode: ConvolveMode = "valid"): Array {
  return tidy<Array>(() => {
    const [x, y] = operands("correlate", a, v);
    if (x.size >= y.size) return correlateLong(x, y, mode, "correlate");
    return rev(correlateLong(y, x, mode, "correlate"), [0]);
  });
}

/** numpy.convolve (default mode 'full'). */
export function convolve(a: ArrayLike, v: ArrayLike, mode: ConvolveMode = "full"): Array {
  return tidy<Array>(() => {
    const [x, y] = operands("convolve", a, v);
    const [long, short] = x.size >= y.size ? [x, y] : [y, x];
    return correlateLong(long, rev(short, [0]), mode, "convolve");
  });
}
