/**
 * Products composed from dot_general and broadcasting: vdot, inner, outer,
 * tensordot, vecdot, kron, cross. Operands are promoted to a common dtype.
 */
import { ArgumentError, ShapeError, broadcastShapes, normalizeAxis } from "../core/index.js";
import type { Array } from "../trace/array.js";
import { type ArrayLike, broadcastTo, concatenate, dotGeneralAny, expandDims, mul, mulAny, promote, reshape, scalar, squeeze, sub } from "../trace/array-ops.js";
import { moveaxis, ravel } from "./axes.js";
import { checkOptions, sliceAxis } from "./internal.js";
import { tidy } from "../trace/memory.js";

const pair = (op: string, a: ArrayLike, b: ArrayLike): [Array, Array] => promote(op, a, b) as [Array, Array];


/** The dot product of the flattened inputs (no conjugation: ferrax has no complex dtypes). */
export function vdot(a: ArrayLike, b: ArrayLike): Array {
  return tidy<Array>(() => {
    const [x, y] = pair("vdot", a, b);
    if (x.size !== y.size) {
      throw new ShapeError(`vdot: ${x.aval.strShort()} and ${y.aval.strShort()} must have the same number of elements (${x.size} vs ${y.size}).`);
    }
    return dotGeneralAny(ravel(x), ravel(y), [[0], [0]]);
  });
}

/** Contracts the last axes of a and b: shape a.shape[:-1] + b.shape[:-1]; scalars multiply. */
export function inner(a: ArrayLike, b: ArrayLike): Array {
  return tidy<Array>(() => {
    const [x, y] = pair("inner", a, b);
    if (x.ndim === 0 || y.ndim === 0) return mulAny(x, y);
    const k = x.shape[x.ndim - 1]!;
    if (y.shape[y.ndim - 1] !== k) {
      throw new ShapeError(
        `inner: the last axes of ${x.aval.strShort()} and ${y.aval.strShort()} differ in size (${k} vs ${y.shape[y.ndim - 1]}); they are contracted, so they must match.`,
      );
    }
    return dotGeneralAny(x, y, [[x.ndim - 1], [y.ndim - 1]]);
  });
}

/** The outer product of the flattened inputs: shape [a.size, b.size]. */
export function outer(a: ArrayLike, b: ArrayLike): Array {
  return tidy<Array>(() => {
    const [x, y] = pair("outer", a, b);
    return mulAny(expandDims(ravel(x), 1), expandDims(ravel(y), 0));
  });
}

/** tensordot's axes: a count N (last N of a with first N of b), a pair of axes, or a pair of axis lists. */
export type TensordotAxes = number | readonly [number, number] | readonly [readonly number[], readonly number[]];

/** Sums products over the paired axes; the result has a's free axes, then b's. */
export function tensordot(a: ArrayLike, b: ArrayLike, axes: TensordotAxes = 2): Array {
  return tidy<Array>(() => {
    const [x, y] = pair("tensordot", a, b);
    let ax: number[];
    let bx: number[];
    if (typeof axes === "number") {
      if (!Number.isInteger(axes) || axes < 0 || axes > x.ndim || axes > y.ndim) {
        throw new ArgumentError(
          `tensordot: axes=${axes} must be an integer between 0 and the smaller rank of ${x.aval.strShort()} and ${y.aval.strShort()}.`,
        );
      }
      ax = globalThis.Array.from({ length: axes }, (_, i) => x.ndim - axes + i);
      bx = globalThis.Array.from({ length: axes }, (_, i) => i);
    } else if (globalThis.Array.isArray(axes) && axes.length === 2) {
      const [p, q] = axes as readonly [number | readonly number[], number | readonly number[]];
      ax = (typeof p === "number" ? [p] : [...p]).map((i) => normalizeAxis(i, x.shape, "tensordot"));
      bx = (typeof q === "number" ? [q] : [...q]).map((i) => normalizeAxis(i, y.shape, "tensordot"));
      if (ax.length !== bx.length) {
        throw new ArgumentError(`tensordot: the axis lists (${ax.join(", ")}) and (${bx.join(", ")}) must have the same length.`);
      }
      if (new Set(ax).size !== ax.length || new Set(bx).size !== bx.length) {
        throw new ArgumentError(`tensordot: repeated axis in (${ax.join(", ")}) or (${bx.join(", ")}); list each axis once.`);
      }
    } else {
      throw new ArgumentError(`tensordot: axes must be an integer or a pair of axis lists, got ${JSON.stringify(axes)}.`);
    }
    ax.forEach((i, k) => {
      if (x.shape[i] !== y.shape[bx[k]!]) {
        throw new ShapeError(
          `tensordot: axis ${i} of ${x.aval.strShort()} (size ${x.shape[i]}) is paired with axis ${bx[k]} of ${y.aval.strShort()} ` +
            `(size ${y.shape[bx[k]!]}); contracted axes must have equal sizes.`,
        );
      }
    });
    return dotGeneralAny(x, y, [ax, bx]);
  });
}

/** The dot product along `axis` (default -1), broadcasting the other axes. */
export function vecdot(x1: ArrayLike, x2: ArrayLike, axis: number | { readonly axis?: number } = -1): Array {
  return tidy<Array>(() => {
    const opt = typeof axis === "number" ? { axis } : axis;
    checkOptions("vecdot", opt, ["axis"]);
    const [a, b] = pair("vecdot", x1, x2);
    const ax = opt.axis ?? -1;
    const x = moveaxis(a, normalizeAxis(ax, a.shape, "vecdot"), -1);
    const y = moveaxis(b, normalizeAxis(ax, b.shape, "vecdot"), -1);
    const k = x.shape[x.ndim - 1]!;
    if (y.shape[y.ndim - 1] !== k) {
      throw new ShapeError(`vecdot: axis ${ax} of ${a.aval.strShort()} and ${b.aval.strShort()} differ in size (${k} vs ${y.shape[y.ndim - 1]}).`);
    }
    const batch = broadcastShapes("vecdot", x.shape.slice(0, -1), y.shape.slice(0, -1));
    const bd = batch.map((_, i) => i);
    return dotGeneralAny(broadcastTo(x, [...batch, k]), broadcastTo(y, [...batch, k]), [[batch.length], [batch.length]], [bd, bd]);
  });
}

/** Matrix-vector products over the last axes, broadcasting the rest: [..., m, n] · [..., n] → [..., m]. */
export function matvec(x1: ArrayLike, x2: ArrayLike): Array {
  return tidy<Array>(() => {
    const [a, b] = pair("matvec", x1, x2);
    if (a.ndim < 2 || b.ndim < 1 || a.shape[a.ndim - 1] !== b.shape[b.ndim - 1]) {
      throw new ShapeError(`matvec: needs matrices [..., m, n] and vectors [..., n], got ${a.aval.strShort()} and ${b.aval.strShort()}.`);
    }
    return vecdot(a, expandDims(b, -2));
  });
}

/** Vector-matrix products over the last axes, broadcasting the rest: [..., n] · [..., n, m] → [..., m]. */
export function vecmat(x1: ArrayLike, x2: ArrayLike): Array {
  return tidy<Array>(() => {
    const [a, b] = pair("vecmat", x1, x2);
    if (a.ndim < 1 || b.ndim < 2 || a.shape[a.ndim - 1] !== b.shape[b.ndim - 2]) {
      throw new ShapeError(`vecmat: needs vectors [..., n] and matrices [..., n, m], got ${a.aval.strShort()} and ${b.aval.strShort()}.`);
    }
    return vecdot(expandDims(a, -1), b, -2);
  });
}

/** The Kronecker product: blocks a[i, j, ...] · b (ranks are aligned by prepending size-1 axes). */
export function kron(a: ArrayLike, b: ArrayLike): Array {
  return tidy<Array>(() => {
    let [x, y] = pair("kron", a, b);
    const nd = Math.max(x.ndim, y.ndim);
    x = reshape(x, [...new globalThis.Array<number>(nd - x.ndim).fill(1), ...x.shape]);
    y = reshape(y, [...new globalThis.Array<number>(nd - y.ndim).fill(1), ...y.shape]);
    const odd = globalThis.Array.from({ length: nd }, (_, i) => 2 * i + 1);
    const even = globalThis.Array.from({ length: nd }, (_, i) => 2 * i);
    const prod = mulAny(expandDims(x, odd), expandDims(y, even));
    return reshape(prod, x.shape.map((d, i) => d * y.shape[i]!));
  });
}

export interface CrossOptions {
  /** The vector axis of a (default -1). */
  readonly axisa?: number;
  /** The vector axis of b (default -1). */
  readonly axisb?: number;
  /** The vector axis of the result (default -1). */
  readonly axisc?: number;
  /** Overrides axisa, axisb and axisc. */
  readonly axis?: number;
}

/** Cross products of 2- or 3-vectors along the vector axes, broadcasting the rest (2×2 gives the z component). */
export function cross(a: ArrayLike, b: ArrayLike, opts: CrossOptions = {}): Array {
  return tidy<Array>(() => {
    checkOptions("cross", opts, ["axisa", "axisb", "axisc", "axis"]);
    const [x0, y0] = pair("cross", a, b);
    const pick = (o: number | undefined): number => opts.axis ?? o ?? -1;
    const x = moveaxis(x0, normalizeAxis(pick(opts.axisa), x0.shape, "cross"), -1);
    const y = moveaxis(y0, normalizeAxis(pick(opts.axisb), y0.shape, "cross"), -1);
    const dx = x.shape[x.ndim - 1]!;
    const dy = y.shape[y.ndim - 1]!;
    if ((dx !== 2 && dx !== 3) || (dy !== 2 && dy !== 3)) {
      throw new ShapeError(`cross: the vector axes of ${x0.aval.strShort()} and ${y0.aval.strShort()} must have size 2 or 3, got ${dx} and ${dy}.`);
    }
    broadcastShapes("cross", x.shape.slice(0, -1), y.shape.slice(0, -1));
    const comp = (v: Array, i: number, d: number): Array =>
      i < d ? squeeze(sliceAxis(v, v.ndim - 1, i, i + 1), [v.ndim - 1]) : broadcastTo(scalar(0, v.dtype, v.weakType), v.shape.slice(0, -1));
    const [a0, a1, a2] = [0, 1, 2].map((i) => comp(x, i, dx)) as [Array, Array, Array];
    const [b0, b1, b2] = [0, 1, 2].map((i) => comp(y, i, dy)) as [Array, Array, Array];
    const z = sub(mul(a0, b1), mul(a1, b0));
    if (dx === 2 && dy === 2) return z;
    const cx = sub(mul(a1, b2), mul(a2, b1));
    const cy = sub(mul(a2, b0), mul(a0, b2));
    const c = concatenate([cx, cy, z].map((v) => expandDims(v, -1)), -1);
    return moveaxis(c, -1, normalizeAxis(pick(opts.axisc), c.shape, "cross"));
  });
}
