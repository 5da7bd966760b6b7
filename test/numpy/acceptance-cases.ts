/**
 * Case generators for the issue-6 acceptance audit (acceptance.test.ts): each draws
 * the static structure of one call (operand shapes and dtypes, options such as axis
 * or keepdims) for an operand dtype; the values are drawn separately, so the same
 * structure serves the backend-parity check, the gradient check (float64, smooth
 * values) and the vmap check (operands with a batch axis inserted).
 */
import fc from "fast-check";
import type { DType } from "../../src/core/index.js";
import { numpy as np } from "../../src/index.js";
import type { Array as NdArray } from "../../src/trace/array.js";
import { type Shape, type ShapeOptions, type ValueOptions, broadcastPairArb, broadcastableTo, permutationArb, shapeArb } from "../helpers/arbitraries.js";

/**
 * Arrays a case makes (or receives and drops) inside the measured call besides the
 * function's outputs: conditioned inputs such as dominant(a), index arrays, outputs a
 * case combines. The leak check frees them as it frees the inputs, so only arrays the
 * function under test leaves behind count.
 */
export const derived: NdArray[] = [];
/** Registers `x` as made by the case, not by the function under test; returns it. */
export const derive = <T extends NdArray>(x: T): T => (derived.push(x), x);

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Fn = (...args: any[]) => any;
export type Out = NdArray | readonly NdArray[];

/** Where gradient-check values of a differentiable operand may lie. */
export interface GradDomain {
  readonly min?: number;
  readonly max?: number;
  /** Keep |v| at least this (away from a kink or pole at 0). */
  readonly minAbs?: number;
  /** Keep v at least 0.01 away from every multiple of this (rounding's steps). */
  readonly avoid?: number;
}

export interface Operand {
  readonly shape: Shape;
  readonly dtype: DType;
  /** Values for the parity and vmap checks (merged over the entry's defaults). */
  readonly values?: ValueOptions;
  /** Differentiable (default: a float operand). Others stay constants in the gradient check. */
  readonly diff?: boolean;
}

export interface Spec {
  readonly operands: readonly Operand[];
  /** Calls the function under test (`f`, resolved from its export path) on the operands. */
  readonly apply: (f: Fn, xs: readonly NdArray[]) => Out;
  /** The options drawn, for failure messages. */
  readonly note: string;
  /** The result shape numpy's broadcasting gives, where the function broadcasts its operands. */
  readonly outShape?: readonly number[];
}

export type Gen = (dtype: DType) => fc.Arbitrary<Spec>;

const SMALL: ShapeOptions = { maxRank: 3, maxDim: 4 };
export const shapes = (o: ShapeOptions = {}): fc.Arbitrary<number[]> => shapeArb({ ...SMALL, ...o });
const nonEmpty = (o: ShapeOptions = {}): fc.Arbitrary<number[]> => shapes({ zeroSize: false, ...o });

const spec = (operands: Operand[], apply: Spec["apply"], note = ""): Spec => ({ operands, apply, note });

/** numpy's broadcast of shapes (assumed compatible): right-aligned, size 1 stretches. */
export function broadcastResult(...shapes: Shape[]): number[] {
  const rank = Math.max(0, ...shapes.map((s) => s.length));
  return Array.from({ length: rank }, (_, i) => shapes.map((s) => s[s.length - rank + i] ?? 1).find((n) => n !== 1) ?? 1);
}
const broadcastSpec = (operands: Operand[], apply: Spec["apply"]): Spec => ({ operands, apply, note: "", outShape: broadcastResult(...operands.map((o) => o.shape)) });
export const op = (shape: Shape, dtype: DType, values?: ValueOptions, diff?: boolean): Operand => ({ shape, dtype, values, diff });
const int32 = (shape: Shape, min: number, max: number): Operand => op(shape, "int32", { min, max }, false);

/** f(x) on one operand of any small shape. */
export const unary = (o: ShapeOptions = {}): Gen => (d) => shapes(o).map((s) => spec([op(s, d)], (f, [x]) => f(x)));

/** f(x, y) on shapes that numpy-broadcast together; `y` may take its own values (e.g. a nonzero divisor). */
export const binary = (yValues?: ValueOptions): Gen => (d) =>
  broadcastPairArb(SMALL).map(([a, b]) => broadcastSpec([op(a, d), op(b, d, yValues)], (f, [x, y]) => f(x, y)));

/** f(x, y) on equal shapes (lax-level functions do not broadcast). */
export const binarySame = (yValues?: ValueOptions): Gen => (d) =>
  shapes().map((s) => spec([op(s, d), op(s, d, yValues)], (f, [x, y]) => f(x, y)));

/** f(x, lo, hi) (clip) on three shapes that broadcast together. */
export const ternary: Gen = (d) =>
  shapes().chain((out) => fc.tuple(broadcastableTo(out), broadcastableTo(out), broadcastableTo(out))).map(([a, b, c]) =>
    broadcastSpec([op(a, d), op(b, d), op(c, d)], (f, [x, y, z]) => f(x, y, z)));

/** where(cond, x, y): a bool condition and two operands, broadcasting together. */
export const select: Gen = (d) =>
  shapes().chain((out) => fc.tuple(broadcastableTo(out), broadcastableTo(out), broadcastableTo(out))).map(([c, a, b]) =>
    broadcastSpec([op(c, "bool"), op(a, d), op(b, d)], (f, [k, x, y]) => f(k, x, y)));

/** An axis argument for rank r: null, one axis (maybe negative), or a list of distinct axes (maybe negative; non-empty when `someAxis`). */
export const axisArg = (r: number, someAxis = false): fc.Arbitrary<number | number[] | null> => {
  const arms: fc.Arbitrary<number | number[] | null>[] = [
    fc.constant(null),
    fc.subarray(Array.from({ length: r }, (_, i) => i), { minLength: someAxis ? Math.min(1, r) : 0 }).chain((axes) =>
      fc.array(fc.boolean(), { minLength: axes.length, maxLength: axes.length }).map((neg) => axes.map((a, i) => (neg[i] ? a - r : a)))),
  ];
  if (r > 0) arms.push(fc.integer({ min: -r, max: r - 1 }));
  return fc.oneof(...arms);
};

/** f(x, { axis, keepdims, ...extra }); `full` keeps every axis non-empty (max/min have no identity); `shape` narrows the shapes (with a minRank, an axis list is never empty). */
export const reduction = (opts: { full?: boolean; extra?: fc.Arbitrary<object>; shape?: ShapeOptions } = {}): Gen => (d) =>
  (opts.full ? nonEmpty(opts.shape) : shapes(opts.shape)).chain((s) =>
    fc.tuple(fc.constant(s), axisArg(s.length, opts.shape?.minRank !== undefined), fc.boolean(), opts.extra ?? fc.constant({})).map(([s2, axis, keepdims, extra]) => {
      const o = { axis, keepdims, ...extra };
      return spec([op(s2, d)], (f, [x]) => f(x, o), JSON.stringify(o));
    }));

/** argmax-like: f(x, { axis, keepdims }) with one axis or null, on non-empty arrays. */
export const argReduction: Gen = (d) =>
  nonEmpty().chain((s) =>
    fc.tuple(s.length ? fc.option(fc.integer({ min: -s.length, max: s.length - 1 })) : fc.constant(null), fc.boolean()).map(([axis, keepdims]) =>
      spec([op(s, d)], (f, [x]) => f(x, { axis, keepdims }), JSON.stringify({ axis, keepdims }))));

/** numpy cumulative: f(x, axis) with axis null (flattened) or one axis. */
export const scanNumpy: Gen = (d) =>
  shapes().chain((s) => (s.length ? fc.option(fc.integer({ min: -s.length, max: s.length - 1 })) : fc.constant(null)).map((axis) =>
    spec([op(s, d)], (f, [x]) => f(x, axis), `axis ${axis}`)));

/** lax cumulative: f(x, axis, reverse) on rank >= 1. */
export const scanLax: Gen = (d) =>
  shapes({ minRank: 1 }).chain((s) => fc.tuple(fc.integer({ min: -s.length, max: s.length - 1 }), fc.boolean()).map(([axis, reverse]) =>
    spec([op(s, d)], (f, [x]) => f(x, axis, reverse), `axis ${axis}, reverse ${reverse}`)));

/** f(x, ...params) with params drawn from the shape. */
export const withParams = <P extends unknown[]>(params: (s: number[]) => fc.Arbitrary<P>, o: ShapeOptions = {}): Gen => (d) =>
  shapes(o).chain((s) => params(s).map((p) => spec([op(s, d)], (f, [x]) => f(x, ...p), JSON.stringify(p))));

/** An axis of rank r (r >= 1), maybe negative. */
export const axisOf = (r: number): fc.Arbitrary<number> => fc.integer({ min: -r, max: r - 1 });

/** k operands of one shape, passed as a list: f([x1..xk], ...params). */
export const listOf = <P extends unknown[]>(params: (s: number[]) => fc.Arbitrary<P>, o: ShapeOptions = {}): Gen => (d) =>
  fc.tuple(shapes(o), fc.integer({ min: 1, max: 3 })).chain(([s, k]) => params(s).map((p) =>
    spec(Array.from({ length: k }, () => op(s, d)), (f, xs) => f(xs, ...p), `${k} arrays, ${JSON.stringify(p)}`)));

/** concatenate: shapes equal except along `axis`. */
export const concatenation: Gen = (d) =>
  fc.tuple(shapes({ minRank: 1 }), fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 3 })).chain(([s, sizes]) =>
    axisOf(s.length).map((axis) => {
      const a = axis < 0 ? axis + s.length : axis;
      const ops = sizes.map((n) => op(s.map((m, i) => (i === a ? n : m)), d));
      return spec(ops, (f, xs) => f(xs, axis), `axis ${axis}`);
    }));

/** squeeze: a shape with some size-1 axes; axis null or some of those. */
export const squeezing: Gen = (d) =>
  shapes().chain((s) => {
    const ones = s.map((n, i) => (n === 1 ? i : -1)).filter((i) => i >= 0);
    return fc.option(fc.subarray(ones)).map((axis) => spec([op(s, d)], (f, [x]) => f(x, axis), `axis ${JSON.stringify(axis)}`));
  });

/** reshape: to [-1], to the reversed shape, or the reversed shape with one size inferred. */
export const reshaping: Gen = (d) =>
  shapes().chain((s) => {
    const rev = [...s].reverse();
    const arms = [fc.constant([-1]), fc.constant(rev)];
    if (s.length && s.every((n) => n > 0)) arms.push(fc.integer({ min: 0, max: s.length - 1 }).map((i) => rev.map((n, k) => (k === i ? -1 : n))));
    return fc.oneof(...arms).map((t) => spec([op(s, d)], (f, [x]) => f(x, t), `to ${JSON.stringify(t)}`));
  });

/** transpose / permuteDims with an explicit permutation (or none when `optional`). */
export const permuting = (optional: boolean): Gen => (d) =>
  shapes().chain((s) => (optional ? fc.option(permutationArb(s.length)) : permutationArb(s.length)).map((p) =>
    spec([op(s, d)], (f, [x]) => (p === null ? f(x) : f(x, p)), `axes ${JSON.stringify(p)}`)));

/** broadcastTo: an operand that broadcasts to a drawn target shape. */
export const broadcasting: Gen = (d) =>
  shapes().chain((out) => broadcastableTo(out).map((s) => spec([op(s, d)], (f, [x]) => f(x, out), `to ${JSON.stringify(out)}`)));

/** split / arraySplit: `sections` (dividing the axis when `divides`) or a list of split points. */
export const splitting = (divides: boolean): Gen => (d) =>
  shapes({ minRank: 1 }).chain((s) => axisOf(s.length).chain((axis) => {
    const n = s[axis < 0 ? axis + s.length : axis]!;
    const divisors = Array.from({ length: Math.max(n, 1) }, (_, i) => i + 1).filter((k) => n % k === 0);
    const sections = divides ? fc.constantFrom(...divisors) : fc.integer({ min: 1, max: 4 });
    const points = fc.array(fc.integer({ min: -n - 1, max: n + 1 }), { maxLength: 3 });
    return fc.oneof(sections as fc.Arbitrary<number | number[]>, points).map((p) =>
      spec([op(s, d)], (f, [x]) => f(x, p, axis), `${JSON.stringify(p)}, axis ${axis}`));
  }));

/** pad: widths per axis in [0, 2], a mode; edge/reflect on non-empty axes (numpy errors otherwise). */
export const padding: Gen = (d) =>
  fc.constantFrom("constant", "edge", "reflect").chain((mode) =>
    (mode === "constant" ? shapes() : nonEmpty()).chain((s) =>
      fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 })), { minLength: s.length, maxLength: s.length }).chain((w) =>
        fc.option(fc.constantFrom(0, 2)).map((c) => {
          const opts = mode === "constant" && c !== null ? { mode, constantValues: c } : { mode };
          return spec([op(s, d)], (f, [x]) => f(x, w, opts), `${JSON.stringify(w)} ${JSON.stringify(opts)}`);
        }))));

/** diagonal / trace: rank >= 2, an offset and two distinct axes. */
export const diagonalAxes: Gen = (d) =>
  shapes({ minRank: 2 }).chain((s) => fc.tuple(fc.integer({ min: -3, max: 3 }), permutationArb(s.length)).map(([offset, p]) =>
    spec([op(s, d)], (f, [x]) => f(x, offset, p[0]!, p[1]!), `offset ${offset}, axes ${p[0]} ${p[1]}`)));

/** take: indices within [-n, n) of the axis (or of the flattened array when axis is null). */
export const taking: Gen = (d) =>
  nonEmpty({ minRank: 1 }).chain((s) => fc.tuple(fc.option(axisOf(s.length)), shapes({ maxRank: 2 })).map(([axis, is]) => {
    const n = axis === null ? s.reduce((a, b) => a * b, 1) : s[axis < 0 ? axis + s.length : axis]!;
    return spec([op(s, d), int32(is, -n, n - 1)], (f, [x, i]) => f(x, i, axis), `axis ${axis}`);
  }));

/** takeAlongAxis: indices of x's rank, a drawn length along the axis, size 1 or x's size elsewhere. */
export const takingAlong: Gen = (d) =>
  nonEmpty({ minRank: 1 }).chain((s) => fc.tuple(axisOf(s.length), fc.integer({ min: 0, max: 3 }), fc.array(fc.boolean(), { minLength: s.length, maxLength: s.length }))
    .map(([axis, m, ones]) => {
      const a = axis < 0 ? axis + s.length : axis;
      const is = s.map((n, k) => (k === a ? m : ones[k] ? 1 : n));
      return spec([op(s, d), int32(is, -s[a]!, s[a]! - 1)], (f, [x, i]) => f(x, i, axis), `axis ${axis}`);
    }));

/**
 * x.at(idx).get() / .set/add/mul/min/max(v): integer indices into axis 0. `unique` (set's
 * default: with repeats the winner is unspecified) makes them a constant without repeats;
 * without `diffUpdates` the gradient check treats the updates as a constant.
 */
export const atIndex = (method: "get" | "set" | "add" | "mul" | "min" | "max", unique = method === "set", diffUpdates = true): Gen => (d) =>
  nonEmpty({ minRank: 1 }).chain((s) => {
    const n = s[0]!;
    const idx = unique
      ? fc.shuffledSubarray(Array.from({ length: n }, (_, i) => i), { minLength: 1 })
      : fc.array(fc.integer({ min: 0, max: n - 1 }), { minLength: 1, maxLength: 4 });
    return idx.map((ids) => {
      const iop = op([ids.length], "int32", { min: 0, max: n - 1 }, false);
      const vshape = [ids.length, ...s.slice(1)];
      if (method === "get") return spec([op(s, d), iop], (_f, [x, i]) => x!.at(i!).get(), "get");
      const vop = op(vshape, d, undefined, diffUpdates ? undefined : false);
      if (!unique) return spec([op(s, d), iop, vop], (_f, [x, i, v]) => x!.at(i!)[method](v!), method);
      // Unique indices are a constant (drawn values, or a batch of them, could repeat).
      return spec([op(s, d), vop], (_f, [x, v]) => x!.at(derive(np.array(ids, { dtype: "int32" })))[method](v!), `${method} at ${JSON.stringify(ids)}`);
    });
  });

/** dynamicSlice: int32 scalar start indices (maybe out of range: clamped, as XLA) and static sizes. */
export const dynamicSlicing: Gen = (d) =>
  shapes({ minRank: 1 }).chain((s) => fc.tuple(...s.map((n) => fc.integer({ min: 0, max: n }))).map((sizes) =>
    spec([op(s, d), ...s.map((n) => int32([], -1, n + 1))], (f, [x, ...starts]) => f(x, starts, sizes), `sizes ${JSON.stringify(sizes)}`)));

/** dynamicUpdateSlice: an update no larger than the operand, int32 scalar starts. */
export const dynamicUpdating: Gen = (d) =>
  shapes({ minRank: 1 }).chain((s) => fc.tuple(...s.map((n) => fc.integer({ min: 0, max: n }))).map((us) =>
    spec([op(s, d), op(us, d), ...s.map((n) => int32([], -1, n + 1))], (f, [x, u, ...starts]) => f(x, u, starts), `update ${JSON.stringify(us)}`)));

const dim = (min = 1, max = 4): fc.Arbitrary<number> => fc.integer({ min, max });
const batch = shapes({ maxRank: 2, maxDim: 3 });

/** matmul: 1-D or batched matrices whose batch dims broadcast. */
export const matmulShapes: Gen = (d) =>
  fc.tuple(dim(0), dim(0), dim(0), broadcastPairArb({ maxRank: 2, maxDim: 3 }), fc.constantFrom("mm", "vm", "mv", "vv")).map(([n, k, m, [ba, bb], kind]) => {
    const a = kind[0] === "v" ? [k] : [...ba, n, k];
    const b = kind[1] === "v" ? [k] : [...bb, k, m];
    return spec([op(a, d), op(b, d)], (f, [x, y]) => f(x, y), kind);
  });

/** np.dot: vector·vector, matrix·vector, N-d·M-d (the last axis of a with the second-to-last of b). */
export const dotShapes: Gen = (d) =>
  fc.tuple(dim(0), shapes({ maxRank: 2, maxDim: 3 }), shapes({ maxRank: 1, maxDim: 3 }), fc.boolean(), fc.boolean()).map(([k, ha, tb, aVec, bVec]) => {
    const a = aVec ? [k] : [...ha, k];
    const b = bVec ? [k] : [k, ...tb].length === 1 ? [k] : [...tb.slice(0, -1), k, ...tb.slice(-1)];
    return spec([op(a, d), op(b, d)], (f, [x, y]) => f(x, y), `${JSON.stringify(a)}·${JSON.stringify(b)}`);
  });

/** vdot / outer: any two shapes of equal size (vdot flattens both). */
export const sameSize: Gen = (d) => shapes().chain((s) => fc.constantFrom(s, [...s].reverse()).map((t) => spec([op(s, d), op(t, d)], (f, [x, y]) => f(x, y))));

/** inner: equal last axes. */
export const innerShapes: Gen = (d) =>
  fc.tuple(dim(0), shapes({ maxRank: 2, maxDim: 3 }), shapes({ maxRank: 2, maxDim: 3 })).map(([k, a, b]) =>
    spec([op([...a, k], d), op([...b, k], d)], (f, [x, y]) => f(x, y)));

/** tensordot with an integer `axes`: the last `n` axes of a match the first `n` of b. */
export const tensordotShapes: Gen = (d) =>
  fc.tuple(fc.integer({ min: 0, max: 2 }), shapes({ maxRank: 2, maxDim: 3 }), shapes({ maxRank: 2, maxDim: 3 })).chain(([n, a, b]) =>
    fc.array(dim(0, 3), { minLength: n, maxLength: n }).map((c) =>
      spec([op([...a, ...c], d), op([...c, ...b], d)], (f, [x, y]) => f(x, y, n), `axes ${n}`)));

/** einsum over a set of subscripts (contractions, traces, diagonals, broadcasting, outer products). */
export const einsumShapes: Gen = (d) => {
  const forms: [string, (n: number[]) => number[][]][] = [
    ["ij,jk->ik", ([i, j, k]) => [[i!, j!], [j!, k!]]],
    ["bij,bjk->bik", ([i, j, k, b]) => [[b!, i!, j!], [b!, j!, k!]]],
    ["ii->i", ([i]) => [[i!, i!]]],
    ["ii", ([i]) => [[i!, i!]]],
    ["ij->", ([i, j]) => [[i!, j!]]],
    ["ij->ji", ([i, j]) => [[i!, j!]]],
    ["i,j->ij", ([i, j]) => [[i!], [j!]]],
    ["i,i", ([i]) => [[i!], [i!]]],
    ["...ij,...jk", ([i, j, k, b]) => [[b!, i!, j!], [j!, k!]]],
    ["ij,jk,kl->il", ([i, j, k, l]) => [[i!, j!], [j!, k!], [k!, l!]]],
    ["ijk,ikj->i", ([i, j, k]) => [[i!, j!, k!], [i!, k!, j!]]],
  ];
  return fc.tuple(fc.constantFrom(...forms), fc.array(dim(0, 3), { minLength: 4, maxLength: 4 })).map(([[subs, mk], n]) =>
    spec(mk(n).map((s) => op(s, d)), (f, xs) => f(subs, ...xs), subs));
};

/** Square matrices with batch dims (made well conditioned inside `apply` by the table). */
export const squareMatrices = (apply: Spec["apply"], minN = 1): Gen => (d) =>
  fc.tuple(batch, dim(minN, 4)).map(([b, n]) => spec([op([...b, n, n], d)], apply, `${n}x${n}`));

/** Matrices m×n with batch dims; `tall` keeps m >= n. */
export const matrices = (apply: Spec["apply"], tall = false): Gen => (d) =>
  fc.tuple(batch, dim(1, 4), dim(1, 4)).map(([b, m, n]) => {
    const [r, c] = tall && m < n ? [n, m] : [m, n];
    return spec([op([...b, r, c], d)], apply, `${r}x${c}`);
  });

/** A square system and right-hand sides: solve(a, b) with b a batch of vectors or matrices. */
export const squareSystem = (apply: Spec["apply"]): Gen => (d) =>
  fc.tuple(batch, dim(1, 4), dim(1, 3), fc.boolean()).map(([b, n, k, vec]) =>
    spec([op([...b, n, n], d), op(vec && b.length === 0 ? [n] : [...b, n, k], d)], apply, vec ? "vector rhs" : `${k} rhs`));

/** lax.triangularSolve: a triangular a (n×n) and b (n×m on the left side, m×n on the right), with option flags. */
export const triangularSystem = (apply: (f: Fn, a: NdArray, b: NdArray, o: object) => Out): Gen => (d) =>
  fc.tuple(batch, dim(1, 4), dim(1, 3), fc.boolean(), fc.boolean(), fc.boolean(), fc.boolean()).map(([bt, n, m, leftSide, lower, transposeA, unitDiagonal]) => {
    const o = { leftSide, lower, transposeA, unitDiagonal };
    return spec([op([...bt, n, n], d), op(leftSide ? [...bt, n, m] : [...bt, m, n], d)], (f, [a, b]) => apply(f, a!, b!, o), JSON.stringify(o));
  });

/** lax.convGeneralDilated: 1-2 spatial dims, strides, SAME/VALID/explicit padding, lhs/rhs dilation, feature groups. */
export const convolution: Gen = (d) =>
  fc.tuple(
    fc.integer({ min: 1, max: 2 }), dim(1, 2), fc.constantFrom(1, 2), dim(1, 2),
    fc.array(fc.tuple(dim(1, 5), dim(1, 3), dim(1, 2), dim(1, 2), dim(1, 2), dim(0, 1), dim(0, 1)), { minLength: 2, maxLength: 2 }),
    fc.constantFrom("VALID", "SAME", "explicit"),
  ).filter(([nsp, , , , dims, pad]) =>
    // VALID and explicit padding need the (dilated, padded) input at least as large as the dilated kernel.
    pad === "SAME" || dims.slice(0, nsp).every(([w, k, , l, r, lo, hi]) => (w - 1) * l + 1 + (pad === "explicit" ? lo + hi : 0) >= (k - 1) * r + 1),
  ).map(([nsp, nb, groups, cpg, dims, pad]) => {
    const sp = dims.slice(0, nsp);
    const lhs = [nb, groups * cpg, ...sp.map(([w]) => w)];
    const rhs = [groups * 2, cpg, ...sp.map(([, k]) => k)];
    const strides = sp.map(([, , s]) => s);
    const o = { lhsDilation: sp.map(([, , , l]) => l), rhsDilation: sp.map(([, , , , r]) => r), featureGroupCount: groups };
    const padding = pad === "explicit" ? sp.map(([, , , , , lo, hi]) => [lo, hi] as [number, number]) : pad;
    return spec([op(lhs, d), op(rhs, d)], (f, [x, k]) => f(x, k, strides, padding, o), `${JSON.stringify(padding)} ${JSON.stringify({ strides, ...o })}`);
  });

/** lax.reduceWindow with sum/max/min (and their identities), strides and SAME/VALID padding. */
export const windows: Gen = (d) =>
  fc.tuple(nonEmpty({ minRank: 1 }), fc.constantFrom("sum", "max", "min"), fc.constantFrom("VALID", "SAME")).chain(([s, m, pad]) =>
    fc.tuple(fc.tuple(...s.map((n) => dim(1, n))), fc.tuple(...s.map(() => dim(1, 2)))).map(([w, st]) => {
      const init = m === "sum" ? 0 : d === "int32" ? (m === "max" ? -2147483648 : 2147483647) : m === "max" ? -Infinity : Infinity;
      return spec([op(s, d)], (f, [x]) => f(x, init, m, w, st, pad), `${m} window ${JSON.stringify(w)} strides ${JSON.stringify(st)} ${pad}`);
    }));
