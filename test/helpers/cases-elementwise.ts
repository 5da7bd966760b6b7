/**
 * Parity cases for the elementwise primitives: unary math, integer_pow,
 * convert_element_type, binary arithmetic, comparisons and select_n. Each binds the
 * primitive itself (lax level: no promotion), on operand shapes lax accepts
 * together: equal, with size-1 axes, or rank 0 (those become broadcast views).
 *
 * Tolerances: exact for ints and bools, for every op IEEE rounds correctly
 * (neg abs sign sqrt add sub mul div max min), for comparisons, select and casts.
 * exp log sin cos tanh logistic pow: 4 ulps (the kernels promise <= 2 ulps against
 * a correctly rounded result; the interpreter rounds V8's f64 result once).
 * integer_pow on floats: 4 + 2|y| ulps (one rounding per multiply by squaring).
 */
import fc from "fast-check";
import { type DType, TYPED_ARRAY } from "../../src/core/index.js";
import type { Array as NdArray } from "../../src/trace/array.js";
import {
  BINARY_PRIMS,
  COMPARE_PRIMS,
  Prim,
  UNARY_PRIMS,
  type BinaryPrim,
  type ComparePrim,
  type UnaryPrim,
} from "../../src/trace/prim.js";
import { bind1 } from "../../src/trace/trace.js";
import {
  ALL_DTYPES,
  FLOAT_DTYPES,
  INT_BOOL_DTYPES,
  INT_DTYPES,
  NUMERIC_DTYPES,
  type HostArray,
  type Shape,
  type ValueOptions,
  arrayArb,
  hostArb,
  laxShapesArb,
} from "./arbitraries.js";
import { type CaseTable, type Comparison, type ParityCase, bounded, checkParity, exact, ulps, unitRoundoff } from "./parity.js";

/** The shape lax's elementwise rule gives operands of these shapes (abstract-eval.ts). */
export function laxOutShape(shapes: readonly Shape[]): number[] {
  const shaped = shapes.filter((s) => s.length > 0);
  if (shaped.length === 0) return [];
  return shaped[0]!.map((_, i) => shaped.map((s) => s[i]!).find((d) => d !== 1) ?? 1);
}

/** Host operands of one dtype on lax-compatible shapes. */
export function laxOperandsArb(count: number, dtype: DType, values: ValueOptions = {}): fc.Arbitrary<HostArray[]> {
  return fc
    .tuple(laxShapesArb(count), fc.boolean())
    .chain(([shapes, small]) => fc.tuple(...shapes.map((s) => hostArb(dtype, s, { ...values, small: small || values.small }))));
}

const TRANSCENDENTAL_ULPS = 4;

const UNARY_DTYPES: Record<UnaryPrim, readonly DType[]> = {
  [Prim.Neg]: NUMERIC_DTYPES,
  [Prim.Abs]: NUMERIC_DTYPES,
  [Prim.Sign]: NUMERIC_DTYPES,
  [Prim.Sqrt]: FLOAT_DTYPES,
  [Prim.Exp]: FLOAT_DTYPES,
  [Prim.Log]: FLOAT_DTYPES,
  [Prim.Sin]: FLOAT_DTYPES,
  [Prim.Cos]: FLOAT_DTYPES,
  [Prim.Tanh]: FLOAT_DTYPES,
  [Prim.Logistic]: FLOAT_DTYPES,
  // rounding, bitwise, inverse trig and special functions
  [Prim.Floor]: FLOAT_DTYPES,
  [Prim.Ceil]: FLOAT_DTYPES,
  [Prim.Not]: INT_BOOL_DTYPES,
  [Prim.PopulationCount]: INT_DTYPES,
  [Prim.Clz]: INT_DTYPES,
  [Prim.Tan]: FLOAT_DTYPES,
  [Prim.Asin]: FLOAT_DTYPES,
  [Prim.Acos]: FLOAT_DTYPES,
  [Prim.Atan]: FLOAT_DTYPES,
  [Prim.Sinh]: FLOAT_DTYPES,
  [Prim.Cosh]: FLOAT_DTYPES,
  [Prim.Asinh]: FLOAT_DTYPES,
  [Prim.Acosh]: FLOAT_DTYPES,
  [Prim.Atanh]: FLOAT_DTYPES,
  [Prim.Exp2]: FLOAT_DTYPES,
  [Prim.Expm1]: FLOAT_DTYPES,
  [Prim.Log1p]: FLOAT_DTYPES,
  [Prim.Cbrt]: FLOAT_DTYPES,
  [Prim.Rsqrt]: FLOAT_DTYPES,
  [Prim.Erf]: FLOAT_DTYPES,
  [Prim.Erfc]: FLOAT_DTYPES,
  [Prim.ErfInv]: FLOAT_DTYPES,
  [Prim.Lgamma]: FLOAT_DTYPES,
  [Prim.Digamma]: FLOAT_DTYPES,
};
/** Exactly rounded (or integer) results: the backends agree bit for bit. */
export const EXACT_UNARY = new Set<Prim>([
  Prim.Neg, Prim.Abs, Prim.Sign, Prim.Sqrt, Prim.Floor, Prim.Ceil, Prim.Not, Prim.PopulationCount, Prim.Clz,
]);

/**
 * lgamma and digamma have zeros (lgamma at 1 and 2, digamma at 1.4616… and once in every
 * negative unit interval) near which neither backend keeps relative accuracy, and for
 * x < 0 both go through the reflection formula: they agree to an absolute 64u·(1 + |x|)
 * (u the unit roundoff) or to 8 ulps.
 */
const NEAR_ZEROS = new Set<Prim>([Prim.Lgamma, Prim.Digamma]);

function unaryCase(prim: UnaryPrim): ParityCase {
  const cmp = (x: HostArray): Comparison | ((o: { values: ArrayLike<number> }) => Comparison) => {
    if (EXACT_UNARY.has(prim)) return exact;
    if (!NEAR_ZEROS.has(prim)) return ulps(TRANSCENDENTAL_ULPS);
    const u = unitRoundoff(x.dtype);
    return (o) => bounded(Array.from(o.values, (y, i) => Math.max(16 * u * Math.abs(y), 64 * u * (1 + Math.abs(x.values[i]!)))));
  };
  return {
    dtypes: UNARY_DTYPES[prim],
    property: (dtype) =>
      fc.property(arrayArb(dtype), (x) => checkParity(prim, [x], (a) => bind1(prim, [a], {}), cmp(x))),
  };
}

const BINARY_DTYPES: Record<BinaryPrim, readonly DType[]> = {
  [Prim.Add]: NUMERIC_DTYPES,
  [Prim.Sub]: NUMERIC_DTYPES,
  [Prim.Mul]: NUMERIC_DTYPES,
  [Prim.Div]: NUMERIC_DTYPES,
  [Prim.Max]: ALL_DTYPES,
  [Prim.Min]: ALL_DTYPES,
  [Prim.Pow]: FLOAT_DTYPES,
  // rounding, bitwise, inverse trig and special functions
  [Prim.Rem]: NUMERIC_DTYPES,
  [Prim.And]: INT_BOOL_DTYPES,
  [Prim.Or]: INT_BOOL_DTYPES,
  [Prim.Xor]: INT_BOOL_DTYPES,
  [Prim.ShiftLeft]: INT_DTYPES,
  [Prim.ShiftRightArithmetic]: INT_DTYPES,
  [Prim.ShiftRightLogical]: INT_DTYPES,
  [Prim.Atan2]: FLOAT_DTYPES,
};
/** Binary ops whose float results are not exactly rounded (compared in ulps). */
const INEXACT_BINARY = new Set<Prim>([Prim.Pow, Prim.Atan2]);

function binaryCase(prim: BinaryPrim | ComparePrim, dtypes: readonly DType[], cmp: Comparison): ParityCase {
  return {
    dtypes,
    property: (dtype) =>
      fc.property(laxOperandsArb(2, dtype), (xs) =>
        checkParity(`${prim} ${xs.map((x) => x.shape.join("x") || "scalar").join(" ")}`, xs, (a, b) => bind1(prim, [a!, b!], {}), cmp),
      ),
  };
}

const integerPowCase: ParityCase = {
  dtypes: NUMERIC_DTYPES,
  property: (dtype) => {
    const float = dtype === "float32" || dtype === "float64";
    const y = fc.integer({ min: float ? -8 : 0, max: 8 });
    const x = arrayArb(dtype, {}, float ? { min: -100, max: 100 } : {});
    return fc.property(x, y, (xh, n) =>
      checkParity(`integer_pow y=${n}`, [xh], (a) => bind1(Prim.IntegerPow, [a], { y: n }), float ? ulps(4 + 2 * Math.abs(n)) : exact),
    );
  },
};

const convertCase: ParityCase = {
  dtypes: ALL_DTYPES,
  property: (dtype) =>
    fc.property(arrayArb(dtype), fc.constantFrom(...ALL_DTYPES), fc.boolean(), (x, newDtype, weakType) =>
      checkParity(`convert_element_type ${dtype} -> ${newDtype}`, [x], (a) =>
        bind1(Prim.ConvertElementType, [a], { newDtype, weakType, sharding: null }),
      ),
    ),
};

/**
 * select_n: a bool predicate with 1-2 cases or an int32 predicate with 1-4 cases,
 * in range; the predicate is rank 0 or of the cases' common shape. `dtypes` are the
 * cases' dtypes (any); the predicate's two dtypes are both drawn for each.
 */
const selectNCase: ParityCase = {
  dtypes: ALL_DTYPES,
  numRuns: 80,
  property: (dtype) => {
    const arb = fc
      .record({ boolPred: fc.boolean(), n: fc.integer({ min: 1, max: 4 }), scalarPred: fc.boolean() })
      .chain(({ boolPred, n, scalarPred }) => {
        const cases = boolPred ? Math.min(n, 2) : n;
        return laxOperandsArb(cases, dtype).chain((cs) => {
          const shape = scalarPred ? [] : laxOutShape(cs.map((c) => c.shape));
          const pred = boolPred ? hostArb("bool", shape) : hostArb("int32", shape, { min: 0, max: cases - 1 });
          return pred.map((p) => [p, ...cs]);
        });
      });
    return fc.property(arb, (xs) =>
      checkParity(`select_n ${xs[0]!.dtype} pred, ${xs.length - 1} cases`, xs, (...as: NdArray[]) => bind1(Prim.SelectN, as, {})),
    );
  },
};

/** round with either method, on values that include exact halves (and specials). */
const roundCase: ParityCase = {
  dtypes: FLOAT_DTYPES,
  property: (dtype) => {
    const halves = fc.array(fc.integer({ min: -40, max: 40 }), { minLength: 1, maxLength: 12 }).map(
      (ns): HostArray => ({
        dtype,
        shape: [ns.length],
        values: TYPED_ARRAY[dtype].from(ns.map((n) => n / 2 + (n % 3 === 0 ? 0.25 : 0))),
      }),
    );
    return fc.property(fc.oneof(arrayArb(dtype), halves), fc.constantFrom(0, 1) as fc.Arbitrary<0 | 1>, (x, roundingMethod) =>
      checkParity(`round[rounding_method=${roundingMethod}]`, [x], (a) => bind1(Prim.Round, [a], { roundingMethod })),
    );
  },
};

export const elementwiseCases: CaseTable<
  UnaryPrim | BinaryPrim | ComparePrim | Prim.IntegerPow | Prim.ConvertElementType | Prim.SelectN | Prim.Round | Prim.IsFinite
> = {
  ...(Object.fromEntries(UNARY_PRIMS.map((p) => [p, unaryCase(p)])) as CaseTable<UnaryPrim>),
  ...(Object.fromEntries(
    BINARY_PRIMS.map((p) => [p, binaryCase(p, BINARY_DTYPES[p], INEXACT_BINARY.has(p) ? ulps(TRANSCENDENTAL_ULPS) : exact)]),
  ) as CaseTable<BinaryPrim>),
  ...(Object.fromEntries(COMPARE_PRIMS.map((p) => [p, binaryCase(p, ALL_DTYPES, exact)])) as CaseTable<ComparePrim>),
  [Prim.IntegerPow]: integerPowCase,
  [Prim.ConvertElementType]: convertCase,
  [Prim.SelectN]: selectNCase,
  [Prim.Round]: roundCase,
  [Prim.IsFinite]: {
    dtypes: FLOAT_DTYPES,
    property: (dtype) => fc.property(arrayArb(dtype), (x) => checkParity("is_finite", [x], (a) => bind1(Prim.IsFinite, [a], {}))),
  },
};
