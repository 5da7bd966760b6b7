/**
 * Parity case for dot_general: 0-2 batch dims, 0-2 contracting dims and 0-2 free
 * dims per side, each operand's axes laid out in a random order (so batch and
 * contracting dims sit anywhere, and contracting pairs are listed in any order),
 * sizes including 0 and 1.
 *
 * Tolerance: exact for int32/uint32 (wrapping). Floats: per output element,
 * |wasm - interp| <= 2(k+1)·u·Σ|a·b| + (k+1)·tiny, k = contraction length, u and tiny
 * the output dtype's unit roundoff and smallest normal; Σ|a·b| is computed in f64
 * on the interpreter with the same dimension numbers.
 */
import fc from "fast-check";
import { type DType, isFloat, shapeSize } from "../../src/core/index.js";
import type { Array as NdArray } from "../../src/trace/array.js";
import { type DotDimensionNumbers, Prim } from "../../src/trace/prim.js";
import { bind1 } from "../../src/trace/trace.js";
import { type HostArray, NUMERIC_DTYPES, type ValueOptions, dimArb, hostArb, permutationArb } from "./arbitraries.js";
import { tinyOf } from "./cases-reduce.js";
import { type CaseTable, type Comparison, bounded, checkParity, exact, oracle, unitRoundoff } from "./parity.js";

export interface DotLayout {
  readonly lhsShape: number[];
  readonly rhsShape: number[];
  readonly dims: DotDimensionNumbers;
  /** Product of the contracting sizes. */
  readonly k: number;
}

/** Places logical axes (batch, then contracting, then free) at the positions `perm` gives. */
function layout(perm: readonly number[], sizes: readonly number[]): number[] {
  const shape = new Array<number>(perm.length);
  perm.forEach((pos, logical) => (shape[pos] = sizes[logical]!));
  return shape;
}

export function dotLayoutArb(maxRank = 4): fc.Arbitrary<DotLayout> {
  const count = fc.integer({ min: 0, max: 2 });
  return fc
    .tuple(count, count, count, count)
    .filter(([nb, nc, nl, nr]) => nb + nc + nl <= maxRank && nb + nc + nr <= maxRank)
    .chain(([nb, nc, nl, nr]) => {
      const dims = (n: number) => fc.array(dimArb({ maxDim: 4 }), { minLength: n, maxLength: n });
      return fc.tuple(dims(nb), dims(nc), dims(nl), dims(nr), permutationArb(nb + nc + nl), permutationArb(nb + nc + nr));
    })
    .map(([b, c, l, r, lp, rp]) => {
      const nb = b.length;
      const nc = c.length;
      const lhsShape = layout(lp, [...b, ...c, ...l]);
      const rhsShape = layout(rp, [...b, ...c, ...r]);
      const dims: DotDimensionNumbers = [
        [lp.slice(nb, nb + nc), rp.slice(nb, nb + nc)],
        [lp.slice(0, nb), rp.slice(0, nb)],
      ];
      return { lhsShape, rhsShape, dims, k: shapeSize(c) };
    });
}

const DOT_VALUES: ValueOptions = { min: -1000, max: 1000 };

/** The dot_general function with the given dimension numbers and output dtype. */
export const dotFn =
  (dims: DotDimensionNumbers, preferredElementType: DType | null = null) =>
  (a: NdArray, b: NdArray): NdArray =>
    bind1(Prim.DotGeneral, [a, b], { dimensionNumbers: dims, precision: null, preferredElementType, outSharding: null });

/**
 * The float tolerance for dot_general on `inputs` (or on views made from them by
 * `operands`): Σ|a·b| from the interpreter in f64, scaled as stated above.
 */
export function dotBound(
  inputs: readonly HostArray[],
  dims: DotDimensionNumbers,
  k: number,
  outDtype: DType,
  operands: (...xs: NdArray[]) => [NdArray, NdArray] = (a, b) => [a!, b!],
): Comparison {
  const wide = (x: NdArray): NdArray =>
    bind1(Prim.Abs, [bind1(Prim.ConvertElementType, [x], { newDtype: "float64", weakType: false, sharding: null })], {});
  const s = oracle(inputs, (...xs) => {
    const [a, b] = operands(...xs);
    return dotFn(dims)(wide(a), wide(b));
  }).values;
  const u = unitRoundoff(outDtype);
  return bounded(Array.from(s, (v) => 2 * (k + 1) * u * v + (k + 1) * tinyOf(outDtype)));
}

export const dotCases: CaseTable<Prim.DotGeneral> = {
  [Prim.DotGeneral]: {
    dtypes: NUMERIC_DTYPES,
    numRuns: 80,
    property: (dtype) => {
      const arb = fc.tuple(dotLayoutArb(), fc.constantFrom<DType | null>(null, dtype)).chain(([lay, pref]) =>
        fc.tuple(fc.constant(lay), fc.constant(pref), hostArb(dtype, lay.lhsShape, DOT_VALUES), hostArb(dtype, lay.rhsShape, DOT_VALUES)),
      );
      return fc.property(arb, ([lay, pref, a, b]) => {
        const cmp = isFloat(dtype) ? dotBound([a, b], lay.dims, lay.k, dtype) : exact;
        checkParity(`dot_general ${JSON.stringify(lay.dims)} preferred=${pref}`, [a, b], dotFn(lay.dims, pref), cmp);
      });
    },
  },
};
