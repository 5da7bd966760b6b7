/**
 * Polynomials as coefficient vectors, highest degree first (numpy's poly1d order):
 * polyval, polyadd, polysub, polymul, polyder, polyint, and the Vandermonde matrix.
 * All are compositions of differentiable primitives with static shapes.
 */
import { ArgumentError, ShapeError } from "../core/index.js";
import type { Array } from "../trace/array.js";
import { type ArrayLike, add, asArray, concatenate, expandDims, mul, promote, reshape, sub, sum } from "../trace/array-ops.js";
import { arange } from "./creation.js";
import { stack } from "./joining.js";
import { pad } from "./pad.js";
import { checkCount, checkOptions, sliceAxis, toInexact } from "./internal.js";
import { tidy } from "../trace/memory.js";

/** A rank-1 coefficient vector, or an error naming the op. */
function coeffs(p: ArrayLike, op: string): Array {
  const a = asArray(p, op);
  if (a.ndim !== 1) {
    throw new ShapeError(`${op}: coefficients must be a rank-1 array (highest degree first), got ${a.aval.strShort()}.`);
  }
  return a;
}

/** Zeros prepended so `p` has length `n` (a lower-degree polynomial, same values). */
const widen = (p: Array, n: number): Array => (p.shape[0] === n ? p : pad(p, [[n - p.shape[0]!, 0]]));

/** p(x) by Horner's rule, elementwise over x: p[0]*x^(n-1) + ... + p[n-1]. */
export function polyval(p: ArrayLike, x: ArrayLike): Array {
  return tidy<Array>(() => {
    const [c, v] = promote("polyval", coeffs(p, "polyval"), x);
    const n = c!.shape[0]!;
    let acc: Array = mul(v!, 0);
    for (let i = 0; i < n; i++) acc = add(mul(acc, v!), sliceAxis(c!, 0, i, i + 1).reshape([]));
    return acc;
  });
}

/** The sum of two polynomials (the shorter is padded at the front). */
export function polyadd(a1: ArrayLike, a2: ArrayLike): Array {
  return tidy<Array>(() => {
    const [a, b] = promote("polyadd", coeffs(a1, "polyadd"), coeffs(a2, "polyadd"));
    const n = Math.max(a!.shape[0]!, b!.shape[0]!);
    return add(widen(a!, n), widen(b!, n));
  });
}

/** The difference of two polynomials (the shorter is padded at the front). */
export function polysub(a1: ArrayLike, a2: ArrayLike): Array {
  return tidy<Array>(() => {
    const [a, b] = promote("polysub", coeffs(a1, "polysub"), coeffs(a2, "polysub"));
    const n = Math.max(a!.shape[0]!, b!.shape[0]!);
    return sub(widen(a!, n), widen(b!, n));
  });
}

/**
 * The product of two polynomials: the full convolution of their coefficients.
 * Computed without a loop: the outer product a_i b_j is sheared so that row i moves
 * i places right (pad each row by n, flatten, drop the last n, reshape to n rows of
 * n + m - 1), then summed over rows, so c_k = sum_{i+j=k} a_i b_j.
 */
export function polymul(a1: ArrayLike, a2: ArrayLike): Array {
  return tidy<Array>(() => {
    const [a, b] = promote("polymul", coeffs(a1, "polymul"), coeffs(a2, "polymul"));
    const n = a!.shape[0]!;
    const m = b!.shape[0]!;
    if (n === 0 || m === 0) return mul(sliceAxis(a!, 0, 0, 0), 0);
    const outer = mul(expandDims(a!, 1), expandDims(b!, 0)); // [n, m]
    const padded = reshape(pad(outer, [[0, 0], [0, n]]), [-1]); // n * (m + n)
    const sheared = reshape(sliceAxis(padded, 0, 0, n * (m + n - 1)), [n, m + n - 1]);
    return sum(sheared, 0);
  });
}

/** The m-th derivative's coefficients. */
export function polyder(p: ArrayLike, m = 1): Array {
  return tidy<Array>(() => {
    checkCount("polyder", "m", m);
    let c = toInexact(coeffs(p, "polyder"), "polyder");
    for (let k = 0; k < m; k++) {
      const n = c.shape[0]!;
      if (n <= 1) return sliceAxis(c, 0, 0, 0);
      const powers = arange(n - 1, 0, -1, { dtype: c.dtype }); // n-1, ..., 1
      c = mul(sliceAxis(c, 0, 0, n - 1), powers);
    }
    return c;
  });
}

export interface PolyintOptions {
  /** Integration constants, one per integration (a scalar is used for each); default 0. */
  readonly k?: number | readonly number[];
}

/** The m-th antiderivative's coefficients, with integration constants `k`. */
export function polyint(p: ArrayLike, m = 1, opts: PolyintOptions = {}): Array {
  return tidy<Array>(() => {
    checkOptions("polyint", opts, ["k"]);
    checkCount("polyint", "m", m);
    const ks = opts.k === undefined ? new globalThis.Array<number>(m).fill(0) : typeof opts.k === "number" ? new globalThis.Array<number>(m).fill(opts.k) : [...opts.k];
    if (ks.length !== m) throw new ArgumentError(`polyint: k has ${ks.length} constants for m = ${m} integrations; give m of them (or one number).`);
    let c = toInexact(coeffs(p, "polyint"), "polyint");
    for (let i = 0; i < m; i++) {
      const n = c.shape[0]!;
      const divisors = arange(n, 0, -1, { dtype: c.dtype }); // n, ..., 1
      const constant = mul(sliceAxis(c, 0, 0, 1), 0).add(ks[i]!);
      c = concatenate([n === 0 ? c : c.div(divisors), constant], 0);
    }
    return c;
  });
}

export interface VanderOptions {
  /** Powers increase left to right (x^0 first) instead of decreasing (default false). */
  readonly increasing?: boolean;
}

/** The Vandermonde matrix of a vector: columns x^(N-1), ..., x^0 (or increasing); N defaults to len(x). */
export function vander(x: ArrayLike, N?: number | null, opts: VanderOptions = {}): Array {
  return tidy<Array>(() => {
    checkOptions("vander", opts, ["increasing"]);
    const v = asArray(x, "vander");
    if (v.ndim !== 1) throw new ShapeError(`vander: x must be rank 1, got ${v.aval.strShort()}.`);
    const cols = N ?? v.shape[0]!;
    checkCount("vander", "N", cols);
    // Columns by repeated products (exact for integers, finite gradients at x = 0).
    const columns: Array[] = [];
    let power: Array = mul(v, 0).add(1);
    for (let k = 0; k < cols; k++) {
      columns.push(power);
      power = mul(power, v);
    }
    if (!opts.increasing) columns.reverse();
    return cols === 0 ? sliceAxis(expandDims(mul(v, 0), 1), 1, 0, 0) : stack(columns, 1);
  });
}
