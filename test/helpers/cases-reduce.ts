/**
 * Parity cases for the reductions: reduce_sum/prod/max/min over any subset of axes
 * (none, some, all; zero-size axes give the identity), argmax/argmin over one
 * non-empty axis with ties and NaNs.
 *
 * Tolerances: exact for ints (wrapping), bools, max/min and argmax/argmin. Float sums
 * depend on summation order (the interpreter accumulates in f64 and rounds once), so
 * |wasm - interp| <= 2(n+1)·u·Σ|x| + (n+1)·tiny per output, n = elements reduced, u =
 * the dtype's unit roundoff (2^-24, 2^-53), tiny = its smallest normal. Float products
 * use |factors| in [0.5, 2] (so nothing over- or underflows mid-way) and
 * |wasm - interp| <= 2(n+1)·u·|prod| + tiny.
 */
import fc from "fast-check";
import { type DType, shapeSize } from "../../src/core/index.js";
import { ARG_REDUCE_PRIMS, Prim, REDUCE_PRIMS, type ArgReducePrim, type ReducePrim } from "../../src/trace/prim.js";
import type { Array as NdArray } from "../../src/trace/array.js";
import { bind1 } from "../../src/trace/trace.js";
import { ALL_DTYPES, NUMERIC_DTYPES, type HostArray, type ValueOptions, axesArb, hostArb, shapeArb } from "./arbitraries.js";
import { type CaseTable, type Comparison, type ParityCase, bounded, checkParity, exact, oracle, unitRoundoff } from "./parity.js";

const isFloatDtype = (d: DType): boolean => d === "float32" || d === "float64";
export const tinyOf = (d: DType): number => (d === "float64" ? 2 ** -1022 : 2 ** -126);

/**
 * The summation bound per output element for reducing `operand(...inputs)` over
 * `axes`, from Σ|x| computed in f64 on the interpreter.
 */
export function sumBound(
  inputs: readonly HostArray[],
  axes: readonly number[],
  operand: (...xs: NdArray[]) => NdArray = (x) => x!,
): Comparison {
  let n = 0;
  let dtype: DType = "float32";
  const absSum = oracle(inputs, (...xs) => {
    const a = operand(...xs);
    n = shapeSize(axes.map((ax) => a.shape[ax]!));
    dtype = a.dtype;
    const wide = bind1(Prim.ConvertElementType, [a], { newDtype: "float64", weakType: false, sharding: null });
    return bind1(Prim.ReduceSum, [bind1(Prim.Abs, [wide], {})], { axes: [...axes], outSharding: null });
  }).values;
  const u = unitRoundoff(dtype);
  return bounded(Array.from(absSum, (s) => 2 * (n + 1) * u * s + (n + 1) * tinyOf(dtype)));
}

/** Values for float products: sign · [0.5, 2], zeros and specials. */
const PROD_VALUES: ValueOptions = { min: -2, max: 2, minAbs: 0.5 };

function reduceCase(prim: ReducePrim): ParityCase {
  const numeric = prim === Prim.ReduceSum || prim === Prim.ReduceProd;
  return {
    dtypes: numeric ? NUMERIC_DTYPES : ALL_DTYPES,
    property: (dtype) => {
      const float = isFloatDtype(dtype);
      const values: ValueOptions =
        !float ? { small: prim === Prim.ReduceProd } : prim === Prim.ReduceSum ? { min: -1e6, max: 1e6 } : prim === Prim.ReduceProd ? PROD_VALUES : {};
      const shape = prim === Prim.ReduceProd ? { maxRank: 3, maxDim: 4 } : {};
      const arb = shapeArb(shape).chain((s) => fc.tuple(hostArb(dtype, s, values), axesArb(s.length)));
      return fc.property(arb, ([x, axes]) => {
        const run = (a: NdArray) => bind1(prim, [a], { axes, outSharding: null });
        let cmp: Comparison | ((o: { values: ArrayLike<number> }) => Comparison) = exact;
        if (float && prim === Prim.ReduceSum) cmp = sumBound([x], axes);
        if (float && prim === Prim.ReduceProd) {
          const n = shapeSize(axes.map((a) => x.shape[a]!));
          const u = unitRoundoff(dtype);
          cmp = (o) => bounded(Array.from(o.values, (p) => 2 * (n + 1) * u * Math.abs(p) + tinyOf(dtype)));
        }
        checkParity(`${prim} axes=(${axes.join(",")})`, [x], run, cmp);
      });
    },
  };
}

/** argmax/argmin: one axis of non-zero size; ties and NaN are common (small values, specials). */
function argCase(prim: ArgReducePrim): ParityCase {
  return {
    dtypes: ALL_DTYPES,
    property: (dtype) => {
      const arb = shapeArb({ minRank: 1 })
        .filter((s) => s.some((d) => d > 0))
        .chain((s) =>
          fc.tuple(
            fc.constantFrom(...s.flatMap((d, i) => (d > 0 ? [i] : []))),
            fc.constantFrom<DType>("int32", "uint32"),
            fc.boolean(),
          ).chain(([axis, indexDtype, small]) => fc.tuple(hostArb(dtype, s, { small }), fc.constant(axis), fc.constant(indexDtype))),
        );
      return fc.property(arb, ([x, axis, indexDtype]) =>
        checkParity(`${prim} axis=${axis} -> ${indexDtype}`, [x], (a) => bind1(prim, [a], { axes: [axis], indexDtype })),
      );
    },
  };
}

export const reduceCases: CaseTable<ReducePrim | ArgReducePrim> = {
  ...(Object.fromEntries(REDUCE_PRIMS.map((p) => [p, reduceCase(p)])) as CaseTable<ReducePrim>),
  ...(Object.fromEntries(ARG_REDUCE_PRIMS.map((p) => [p, argCase(p)])) as CaseTable<ArgReducePrim>),
};
