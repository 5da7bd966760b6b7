/**
 * The array API's linalg helpers over the last two axes (diagonal, trace, outer,
 * cross, vecdot), plus multiDot (optimal chain order) and matrixPower (n >= 0).
 */
import { ArgumentError, ShapeError } from "../../core/index.js";
import type { Array } from "../../trace/array.js";
import { type ArrayLike, asArray, broadcastTo, convert, matmul } from "../../trace/array-ops.js";
import { eye } from "../creation.js";
import { inv } from "./solve.js";
import { outer as npOuter, cross as npCross } from "../products.js";
import { diagonal as npDiagonal, trace as npTrace } from "../triangular.js";
import { tidy } from "../../trace/memory.js";

/** The diagonal (with `offset`) of the last two axes. */
export const diagonal = (x: ArrayLike, opts: { readonly offset?: number } = {}): Array => tidy<Array>(() => npDiagonal(x, opts.offset ?? 0, -2, -1));

/** The sum of the diagonal (with `offset`) of the last two axes. */
export const trace = (x: ArrayLike, opts: { readonly offset?: number } = {}): Array => tidy<Array>(() => npTrace(x, opts.offset ?? 0, -2, -1));

/** The outer product of two 1-D arrays. */
export function outer(x1: ArrayLike, x2: ArrayLike): Array {
  return tidy<Array>(() => {
    const a = asArray(x1, "linalg.outer");
    const b = asArray(x2, "linalg.outer");
    if (a.ndim !== 1 || b.ndim !== 1) throw new ShapeError(`linalg.outer: needs 1-D inputs, got ${a.aval.strShort()} and ${b.aval.strShort()}.`);
    return npOuter(a, b);
  });
}

/** Cross products of 3-vectors along `axis` (default -1). */
export function cross(x1: ArrayLike, x2: ArrayLike, opts: { readonly axis?: number } = {}): Array {
  return tidy<Array>(() => {
    const a = asArray(x1, "linalg.cross");
    const b = asArray(x2, "linalg.cross");
    const axis = opts.axis ?? -1;
    const dims = [a.shape.at(axis), b.shape.at(axis)];
    if (dims.some((d) => d !== 3)) {
      throw new ShapeError(`linalg.cross: axis ${axis} of ${a.aval.strShort()} and ${b.aval.strShort()} must have size 3.`);
    }
    return npCross(a, b, { axis });
  });
}

/** Product of a chain of matrices in the cheapest order (a 1-D first/last operand is a row/column vector). */
export function multiDot(arrays: readonly ArrayLike[]): Array {
  return tidy<Array>(() => {
    if (arrays.length < 2) throw new ArgumentError(`linalg.multiDot: needs at least two arrays, got ${arrays.length}.`);
    const xs = arrays.map((x) => asArray(x, "linalg.multiDot"));
    xs.forEach((x, i) => {
      const vecOk = (i === 0 || i === xs.length - 1) && x.ndim === 1;
      if (x.ndim !== 2 && !vecOk) {
        throw new ShapeError(`linalg.multiDot: array ${i} is ${x.aval.strShort()}; every array must be 2-D (the first and last may be 1-D).`);
      }
    });
    // Matrix i is dims[i] × dims[i + 1] (a 1-D first operand is a row, a 1-D last one a column).
    const n = xs.length;
    const rc = xs.map((x, i): [number, number] => (x.ndim === 2 ? [x.shape[0]!, x.shape[1]!] : i === 0 ? [1, x.shape[0]!] : [x.shape[0]!, 1]));
    for (let i = 1; i < n; i++) {
      if (rc[i - 1]![1] !== rc[i]![0]) {
        throw new ShapeError(
          `linalg.multiDot: array ${i - 1} (${xs[i - 1]!.aval.strShort()}) and array ${i} (${xs[i]!.aval.strShort()}) do not chain (${rc[i - 1]![1]} vs ${rc[i]![0]}).`,
        );
      }
    }
    const dims = [rc[0]![0], ...rc.map(([, c]) => c)];
    const cost: number[][] = xs.map(() => xs.map(() => 0));
    const split: number[][] = xs.map(() => xs.map(() => 0));
    for (let len = 1; len < n; len++) {
      for (let i = 0; i + len < n; i++) {
        const j = i + len;
        cost[i]![j] = Infinity;
        for (let k = i; k < j; k++) {
          const c = cost[i]![k]! + cost[k + 1]![j]! + dims[i]! * dims[k + 1]! * dims[j + 1]!;
          if (c < cost[i]![j]!) (cost[i]![j] = c), (split[i]![j] = k);
        }
      }
    }
    const build = (i: number, j: number): Array => (i === j ? xs[i]! : matmul(build(i, split[i]![j]!), build(split[i]![j]! + 1, j)));
    return build(0, n - 1);
  });
}

/**
 * a @ a @ ... @ a (n times) for square matrices in the last two axes, by repeated
 * squaring; n = 0 gives the identity, n < 0 powers of the inverse.
 */
export function matrixPower(a: ArrayLike, n: number): Array {
  return tidy<Array>(() => {
    const x = asArray(a, "linalg.matrixPower");
    if (x.ndim < 2 || x.shape[x.ndim - 1] !== x.shape[x.ndim - 2]) {
      throw new ShapeError(`linalg.matrixPower: needs square matrices in the last two axes, got ${x.aval.strShort()}.`);
    }
    if (!Number.isInteger(n)) throw new ArgumentError(`linalg.matrixPower: the exponent must be an integer, got ${n}.`);
    if (n < 0) return matrixPower(inv(x), -n);
    if (n === 0) return broadcastTo(convert(eye(x.shape[x.ndim - 1]!), x.dtype), x.shape);
    let result: Array | null = null;
    let base = x;
    for (let k = n; k > 0; k >>= 1) {
      if (k & 1) result = result === null ? base : matmul(result, base);
      if (k > 1) base = matmul(base, base);
    }
    return result!;
  });
}
