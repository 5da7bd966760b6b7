/**
 * Window functions for spectral analysis, as numpy defines them (symmetric windows of
 * length M; M = 1 gives [1], M = 0 an empty array). float32 unless a dtype is given.
 */
import type { DType } from "../core/index.js";
import type { Array } from "../trace/array.js";
import { cos, mul, sub, abs } from "../trace/array-ops.js";
import { arange, ones } from "./creation.js";
import { checkCount } from "./internal.js";
import { tidy } from "../trace/memory.js";

interface WindowOptions {
  readonly dtype?: DType;
}

/** n = 0..M-1 as a float array, or null when M <= 1 (the window is then ones(M)). */
function samples(op: string, M: number, opts: WindowOptions): Array | null {
  checkCount(op, "M", M);
  return M <= 1 ? null : arange(0, M, 1, { dtype: opts.dtype ?? "float32" });
}

/** A generalized cosine window: sum_k (-1)^k a_k cos(2 pi k n / (M-1)). */
function cosineWindow(op: string, M: number, a: readonly number[], opts: WindowOptions): Array {
  const n = samples(op, M, opts);
  if (n === null) return ones([M], { dtype: opts.dtype ?? "float32" });
  let w: Array = mul(n, 0).add(a[0]!);
  for (let k = 1; k < a.length; k++) {
    const term = mul(cos(mul(n, (2 * Math.PI * k) / (M - 1))), a[k]!);
    w = k % 2 === 1 ? sub(w, term) : w.add(term);
  }
  return w;
}

/** The Hann window (numpy's hanning): 0.5 - 0.5 cos(2 pi n / (M-1)). */
export const hanning = (M: number, opts: WindowOptions = {}): Array => tidy<Array>(() => cosineWindow("hanning", M, [0.5, 0.5], opts));

/** The Hann window: another name of hanning. */
export const hann = hanning;

/** The Hamming window: 0.54 - 0.46 cos(2 pi n / (M-1)). */
export const hamming = (M: number, opts: WindowOptions = {}): Array => tidy<Array>(() => cosineWindow("hamming", M, [0.54, 0.46], opts));

/** The Blackman window: 0.42 - 0.5 cos(2 pi n / (M-1)) + 0.08 cos(4 pi n / (M-1)). */
export const blackman = (M: number, opts: WindowOptions = {}): Array => tidy<Array>(() => cosineWindow("blackman", M, [0.42, 0.5, 0.08], opts));

/** The Bartlett (triangular) window: 1 - |2n/(M-1) - 1|. */
export function bartlett(M: number, opts: WindowOptions = {}): Array {
  return tidy<Array>(() => {
    const n = samples("bartlett", M, opts);
    if (n === null) return ones([M], { dtype: opts.dtype ?? "float32" });
    return sub(1, abs(sub(mul(n, 2 / (M - 1)), 1)));
  });
}
