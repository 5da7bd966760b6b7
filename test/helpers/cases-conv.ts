/**
 * Random conv_general_dilated and reduce_window problems, and their parity cases.
 *
 * Conv problems: 1-3 spatial dims, batch 1-2, feature or batch groups (1-3), 1-3
 * channels per group, window 1-3, strides and dilations 1-2, padding -1..2 per side
 * (negative crops), each operand's axes laid out in a random order (so NHWC, NCHW,
 * HWIO, OIHW and every other layout occur).
 *
 * Tolerance: per output element |wasm - interp| <= 2(k+1)·u·Σ|l·r| + (k+1)·tiny with
 * k = taps × channels (the dot_general bound), Σ|l·r| computed in f64 on the
 * interpreter by the same conv on absolute values. reduce_window_max/min: exact;
 * reduce_window_sum: the same bound with Σ|x|.
 */
import fc from "fast-check";
import { type DType, shapeSize } from "../../src/core/index.js";
import type { Array as NdArray } from "../../src/trace/array.js";
import { dilateSize, windowCount } from "../../src/trace/conv-shape.js";
import { ConvDimensionNumbers, Prim, type PrimParams, type ReduceWindowParams, type ReduceWindowPrim } from "../../src/trace/prim.js";
import { bind1 } from "../../src/trace/trace.js";
import { FLOAT_DTYPES, NUMERIC_DTYPES, type ValueOptions, hostArb, permutationArb } from "./arbitraries.js";
import { tinyOf } from "./cases-reduce.js";
import { type CaseTable, type Comparison, bounded, checkParity, exact, oracle, unitRoundoff } from "./parity.js";

export interface ConvProblem {
  readonly lhsShape: number[];
  readonly rhsShape: number[];
  readonly params: PrimParams<Prim.ConvGeneralDilated>;
  /** Terms per output element: taps × input channels per group. */
  readonly k: number;
}

export interface ConvProblemOptions {
  readonly maxSpatial?: number;
  readonly maxSize?: number;
  readonly groups?: boolean;
  /** Output features per group (default 1..3). */
  readonly co?: { readonly min: number; readonly max: number };
}

/** Places logical axes (in spec order) at the positions `spec` lists. */
const place = (spec: readonly number[], sizes: readonly number[]): number[] => {
  const shape = new Array<number>(spec.length);
  spec.forEach((pos, k) => (shape[pos] = sizes[k]!));
  return shape;
};

export function convProblemArb(opts: ConvProblemOptions = {}): fc.Arbitrary<ConvProblem> {
  const maxSize = opts.maxSize ?? 5;
  const axis = fc.record({
    n: fc.integer({ min: 1, max: maxSize }),
    w: fc.integer({ min: 1, max: 3 }),
    stride: fc.integer({ min: 1, max: 2 }),
    lo: fc.integer({ min: -1, max: 2 }),
    hi: fc.integer({ min: -1, max: 2 }),
    ld: fc.integer({ min: 1, max: 2 }),
    rd: fc.integer({ min: 1, max: 2 }),
  }).filter((a) => dilateSize(a.n, a.ld) + a.lo + a.hi >= 0);
  const groupsArb = opts.groups === false
    ? fc.constant({ G: 1, B: 1 })
    : fc.oneof(fc.constant({ G: 1, B: 1 }), fc.integer({ min: 2, max: 3 }).map((G) => ({ G, B: 1 })), fc.integer({ min: 2, max: 3 }).map((B) => ({ G: 1, B })));
  return fc
    .record({
      nsp: fc.integer({ min: 1, max: opts.maxSpatial ?? 3 }),
      n: fc.integer({ min: 1, max: 2 }),
      ci: fc.integer({ min: 1, max: 3 }),
      co: fc.integer(opts.co ?? { min: 1, max: 3 }),
      groups: groupsArb,
    })
    .chain((h) =>
      fc.tuple(
        fc.constant(h),
        fc.array(axis, { minLength: h.nsp, maxLength: h.nsp }),
        permutationArb(h.nsp + 2),
        permutationArb(h.nsp + 2),
        permutationArb(h.nsp + 2),
      ),
    )
    .map(([h, axes, ls, rs, os]) => {
      const { G, B } = h.groups;
      const q = Math.max(G, B);
      const lhsShape = place(ls, [h.n * B, h.ci * G, ...axes.map((a) => a.n)]);
      const rhsShape = place(rs, [h.co * q, h.ci, ...axes.map((a) => a.w)]);
      const params: PrimParams<Prim.ConvGeneralDilated> = {
        windowStrides: axes.map((a) => a.stride),
        padding: axes.map((a) => [a.lo, a.hi] as const),
        lhsDilation: axes.map((a) => a.ld),
        rhsDilation: axes.map((a) => a.rd),
        dimensionNumbers: new ConvDimensionNumbers(ls, rs, os),
        featureGroupCount: G,
        batchGroupCount: B,
        precision: null,
        preferredElementType: null,
      };
      return { lhsShape, rhsShape, params, k: h.ci * shapeSize(axes.map((a) => a.w)) };
    });
}

export const convFn =
  (p: PrimParams<Prim.ConvGeneralDilated>) =>
  (l: NdArray, r: NdArray): NdArray =>
    bind1(Prim.ConvGeneralDilated, [l, r], p);

const wide = (x: NdArray): NdArray =>
  bind1(Prim.Abs, [bind1(Prim.ConvertElementType, [x], { newDtype: "float64", weakType: false, sharding: null })], {});

/** The summation bound stated above, for a conv on `inputs` (or on views `operands` makes). */
export function convBound(
  inputs: readonly { dtype: DType; shape: readonly number[]; values: ArrayLike<number> }[],
  prob: ConvProblem,
  dtype: DType,
  operands: (...xs: NdArray[]) => [NdArray, NdArray] = (a, b) => [a!, b!],
): Comparison {
  const s = oracle(inputs as never, (...xs) => {
    const [a, b] = operands(...xs);
    return convFn({ ...prob.params, preferredElementType: null })(wide(a), wide(b));
  }).values;
  const u = unitRoundoff(dtype);
  return bounded(Array.from(s, (v) => 2 * (prob.k + 1) * u * v + (prob.k + 1) * tinyOf(dtype)));
}

const CONV_VALUES: ValueOptions = { min: -100, max: 100, finite: true };

export interface WindowProblem {
  readonly shape: number[];
  readonly params: ReduceWindowParams;
}

/** Whether every window along an axis covers at least one element (no all-padding windows). */
function covered(a: { n: number; w: number; stride: number; lo: number; hi: number; bd: number; wd: number }): boolean {
  const out = windowCount(a.n, a.w, a.stride, [a.lo, a.hi], a.bd, a.wd);
  for (let p = 0; p < out; p++) {
    let hit = false;
    for (let k = 0; k < a.w; k++) {
      const q = p * a.stride - a.lo + k * a.wd;
      hit ||= q >= 0 && q % a.bd === 0 && q / a.bd < a.n;
    }
    if (!hit) return false;
  }
  return true;
}

/** reduce_window problems of rank 0..maxRank; `full`: every window covers an element (finite max/min). */
export function windowProblemArb(maxRank = 3, full = false): fc.Arbitrary<WindowProblem> {
  const axis = fc.record({
    n: fc.integer({ min: 0, max: 5 }),
    w: fc.integer({ min: 1, max: 3 }),
    stride: fc.integer({ min: 1, max: 2 }),
    lo: fc.integer({ min: -1, max: 2 }),
    hi: fc.integer({ min: -1, max: 2 }),
    bd: fc.integer({ min: 1, max: 2 }),
    wd: fc.integer({ min: 1, max: 2 }),
  }).filter((a) => dilateSize(a.n, a.bd) + a.lo + a.hi >= 0 && (!full || covered(a)));
  return fc.array(axis, { minLength: 0, maxLength: maxRank }).map((axes) => ({
    shape: axes.map((a) => a.n),
    params: {
      windowDimensions: axes.map((a) => a.w),
      windowStrides: axes.map((a) => a.stride),
      padding: axes.map((a) => [a.lo, a.hi] as const),
      baseDilation: axes.map((a) => a.bd),
      windowDilation: axes.map((a) => a.wd),
    },
  }));
}

export const windowFn =
  (prim: ReduceWindowPrim, p: ReduceWindowParams) =>
  (x: NdArray): NdArray =>
    bind1(prim, [x], p);

const windowCase = (prim: ReduceWindowPrim) => ({
  dtypes: NUMERIC_DTYPES,
  numRuns: 60,
  property: (dtype: DType) =>
    fc.property(
      windowProblemArb().chain((w) => fc.tuple(fc.constant(w), hostArb(dtype, w.shape, prim === Prim.ReduceWindowSum ? CONV_VALUES : {}))),
      ([w, x]) => {
        const f = windowFn(prim, w.params);
        let cmp: Comparison = exact;
        if (prim === Prim.ReduceWindowSum && (dtype === "float32" || dtype === "float64")) {
          const s = oracle([x], (a) => windowFn(Prim.ReduceWindowSum, w.params)(wide(a))).values;
          const n = shapeSize(w.params.windowDimensions);
          cmp = bounded(Array.from(s, (v) => 2 * (n + 1) * unitRoundoff(dtype) * v + (n + 1) * tinyOf(dtype)));
        }
        checkParity(`${prim} ${JSON.stringify(w.params)}`, [x], f, cmp);
      },
    ),
});

export const convCases: CaseTable<Prim.ConvGeneralDilated | ReduceWindowPrim> = {
  [Prim.ConvGeneralDilated]: {
    dtypes: FLOAT_DTYPES,
    numRuns: 60,
    property: (dtype) =>
      fc.property(
        convProblemArb().chain((p) => fc.tuple(fc.constant(p), hostArb(dtype, p.lhsShape, CONV_VALUES), hostArb(dtype, p.rhsShape, CONV_VALUES))),
        ([p, l, r]) => checkParity(`conv ${p.params.dimensionNumbers} ${JSON.stringify(p.params)}`, [l, r], convFn(p.params), convBound([l, r], p, dtype)),
      ),
  },
  [Prim.ReduceWindowSum]: windowCase(Prim.ReduceWindowSum),
  [Prim.ReduceWindowMax]: windowCase(Prim.ReduceWindowMax),
  [Prim.ReduceWindowMin]: windowCase(Prim.ReduceWindowMin),
};
