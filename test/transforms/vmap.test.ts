// vmap, checked per primitive against its definition: for every primitive in
// ALL_PRIMS (a primitive without a case here fails), on every dtype the primitive
// accepts, `vmap(f, { inAxes, outAxes })(...xs)` equals f applied to each slice of
// the mapped inputs and stacked (test/helpers/batching.ts, host-side slicing). Batch
// sizes 0-4, batch axes anywhere (0, 1, -1, random), some operands unmapped (null,
// and all of them with axisSize), random outAxes. Each test also asserts that the
// primitive's batching rule actually ran (the rules are wrapped with a counter).
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  ALL_PRIMS,
  Prim,
  checkpoint,
  customJvp,
  customVjp,
  grad,
  lax,
  linearize,
  makeJaxpr,
  numpy as np,
  vmap,
  type VmapOptions,
} from "../../src/index.js";
import { type DType, shapeSize } from "../../src/core/index.js";
import { arrays } from "../../src/testing/index.js";
import type { Array as NdArray } from "../../src/trace/array.js";
import {
  CUMULATIVE_PRIMS, type CumulativePrim,
  BINARY_PRIMS, COMPARE_PRIMS, REDUCE_PRIMS, SCATTER_PRIMS, type ScatterPrim, UNARY_PRIMS, type PrimParams,
} from "../../src/trace/prim.js";
import { gatherCases, gatherLayoutArb, gatherParams, scatterParams } from "../helpers/cases-gather.js";
import { bind, bind1 } from "../../src/trace/trace.js";
import { vmapRules } from "../../src/transforms/vmap-rules.js";
import { eyeBatched } from "../../src/lax/linalg.js";
import { ALL_DTYPES, FLOAT_DTYPES, type Shape, axesArb, hostArb, laxShapesArb, permutationArb, shapeArb } from "../helpers/arbitraries.js";
import {
  EXACT,
  type LeafAxis,
  type Tolerance,
  batchSizeArb,
  expectClose,
  expectTreeClose,
  foldAxis,
  inAxisArb,
  batchedShape,
  loopMap,
  runs,
  toDevice,
  toHost,
  ulps,
} from "../helpers/batching.js";
import { cumulativeCases } from "../helpers/cases-cumulative.js";
import { sortCases } from "../helpers/cases-sort.js";
import { convCases, convFn, convProblemArb, windowFn, windowProblemArb } from "../helpers/cases-conv.js";
import { dotCases, dotFn, dotLayoutArb } from "../helpers/cases-dot.js";
import { EXACT_UNARY, elementwiseCases, laxOutShape } from "../helpers/cases-elementwise.js";
import { higherOrderCases } from "../helpers/cases-higher-order.js";
import { linalgCases } from "../helpers/cases-linalg.js";
import { reduceCases } from "../helpers/cases-reduce.js";
import { broadcastInDimArb, reshapeTargetArb, shapeCases } from "../helpers/cases-shape.js";
import { unitRoundoff } from "../helpers/parity.js";

// --- instrumentation: which batching rules ran ------------------------------------------

const ruleCalls = new Map<Prim, number>();
const originalRules = { ...vmapRules };
beforeAll(() => {
  for (const p of ALL_PRIMS) {
    const rule = originalRules[p] as (...a: unknown[]) => unknown;
    (vmapRules as Record<Prim, unknown>)[p] = (...a: unknown[]) => {
      ruleCalls.set(p, (ruleCalls.get(p) ?? 0) + 1);
      return rule(...a);
    };
  }
});
afterAll(() => Object.assign(vmapRules, originalRules));

// --- cases ----------------------------------------------------------------------------------

/** One operand: its unbatched shape, and data of any (batched) shape. */
interface Operand {
  readonly shape: Shape;
  readonly gen: (shape: Shape) => fc.Arbitrary<NdArray>;
}

/** A function exercising one primitive, its operands, and how to compare. */
interface Instance {
  readonly label: string;
  readonly f: (...xs: NdArray[]) => NdArray;
  readonly operands: readonly Operand[];
  /** Default exact; a function gives a per-element absolute bound for f's output on one example. */
  readonly tol?: Tolerance | ((...xs: NdArray[]) => NdArray);
}

interface PrimCase {
  readonly dtypes: readonly DType[];
  readonly instance: (dtype: DType) => fc.Arbitrary<Instance>;
  readonly numRuns?: number;
  /** The batching rule need not run (iota has no operands, so vmap binds it unbatched). */
  readonly ruleOptional?: boolean;
}

const SMALL = { maxRank: 3, maxDim: 3 } as const;
const data =
  (dtype: DType, opts: { min?: number; max?: number; finite?: boolean } = {}) =>
  (shape: Shape): fc.Arbitrary<NdArray> =>
    arrays({ shape: [...shape], dtype, min: opts.min ?? -50, max: opts.max ?? 50, finite: opts.finite ?? true });
/** Data drawn mostly from a small pool (ties, zeros, equal operands). */
const smallData = (dtype: DType) => (shape: Shape) => hostArb(dtype, shape, { small: true, finite: true }).map(toDevice);
/** Elementwise data: specials (NaN) allowed for floats. */
const ewData = (dtype: DType) => (shape: Shape) =>
  fc.oneof(data(dtype, { finite: false })(shape), smallData(dtype)(shape), hostArb(dtype, shape, { finite: false }).map(toDevice));

const op = (shape: Shape, gen: (s: Shape) => fc.Arbitrary<NdArray>): Operand => ({ shape, gen });
const dtypesOf = (p: Prim): readonly DType[] =>
  ({ ...elementwiseCases, ...reduceCases, ...shapeCases, ...dotCases, ...convCases, ...higherOrderCases, ...gatherCases, ...linalgCases, ...cumulativeCases, ...sortCases })[p]!.dtypes;

const f64 = (x: NdArray): NdArray => lax.convertElementType(x, "float64");
const tinyOf = (d: DType): number => (d === "float64" ? 2 ** -1022 : 2 ** -126);

const unaryCase = (prim: Prim): PrimCase => ({
  dtypes: dtypesOf(prim),
  instance: (dtype) =>
    shapeArb(SMALL).map((s) => ({
      label: prim,
      f: (x) => bind1(prim, [x], {} as never),
      operands: [op(s, ewData(dtype))],
      tol: EXACT_UNARY.has(prim) ? EXACT : ulps(2),
    })),
});

/** Binary and comparison ops on lax-compatible shapes (equal, with size-1 axes, or rank 0). */
const binaryCase = (prim: Prim): PrimCase => ({
  dtypes: dtypesOf(prim),
  instance: (dtype) =>
    laxShapesArb(2, SMALL).map(([a, b]) => ({
      label: `${prim} ${a!.join("x") || "scalar"} ${b!.join("x") || "scalar"}`,
      f: (x, y) => bind1(prim, [x!, y!], {} as never),
      operands: [op(a!, ewData(dtype)), op(b!, ewData(dtype))],
      tol: prim === Prim.Pow ? ulps(2) : EXACT,
    })),
});

const reduceCase = (prim: Prim): PrimCase => ({
  dtypes: dtypesOf(prim),
  instance: (dtype) =>
    shapeArb(SMALL).chain((s) =>
      axesArb(s.length).map((axes): Instance => {
        const float = dtype === "float32" || dtype === "float64";
        const n = shapeSize(axes.map((a) => s[a]!));
        const u = float ? unitRoundoff(dtype) : 0;
        const f = (x: NdArray) => bind1(prim, [x], { axes, outSharding: null } as never);
        if (float && prim === Prim.ReduceSum) {
          return {
            label: `${prim} axes=(${axes})`,
            f,
            operands: [op(s, data(dtype, { min: -1e3, max: 1e3 }))],
            tol: (x) => lax.add(lax.mul(lax.reduceSum(lax.abs(f64(x!)), axes), 2 * (n + 1) * u), (n + 1) * tinyOf(dtype)),
          };
        }
        if (float && prim === Prim.ReduceProd) {
          return {
            label: `${prim} axes=(${axes})`,
            f,
            operands: [op(s, data(dtype, { min: 0.5, max: 2 }))],
            tol: (x) => lax.add(lax.mul(lax.abs(f64(f(x!))), 2 * (n + 1) * u), tinyOf(dtype)),
          };
        }
        return { label: `${prim} axes=(${axes})`, f, operands: [op(s, prim === Prim.ReduceProd ? smallData(dtype) : ewData(dtype))] };
      }),
    ),
});

const argCase = (prim: Prim.Argmax | Prim.Argmin): PrimCase => ({
  dtypes: dtypesOf(prim),
  instance: (dtype) =>
    shapeArb({ ...SMALL, minRank: 1 })
      .filter((s) => s.some((d) => d > 0))
      .chain((s) =>
        fc.tuple(fc.constantFrom(...s.flatMap((d, i) => (d > 0 ? [i] : []))), fc.constantFrom<DType>("int32", "uint32")).map(([axis, indexDtype]) => ({
          label: `${prim} axis=${axis} -> ${indexDtype}`,
          f: (x: NdArray) => bind1(prim, [x], { axes: [axis], indexDtype }),
          operands: [op(s, (shape) => fc.oneof(smallData(dtype)(shape), data(dtype)(shape)))],
        })),
      ),
});

/** select_n: a bool predicate with 1-2 cases or an int32 one with 1-4 (in range); the predicate scalar or of the cases' shape. */
const selectNCase: PrimCase = {
  dtypes: dtypesOf(Prim.SelectN),
  numRuns: 40,
  instance: (dtype) =>
    fc.record({ boolPred: fc.boolean(), n: fc.integer({ min: 1, max: 4 }), scalarPred: fc.boolean() }).chain(({ boolPred, n, scalarPred }) => {
      const cases = boolPred ? Math.min(n, 2) : n;
      return laxShapesArb(cases, SMALL).map((cs) => {
        const predShape = scalarPred ? [] : laxOutShape(cs);
        const pred = boolPred ? data("bool") : (s: Shape) => data("int32", { min: 0, max: cases - 1 })(s);
        return {
          label: `select_n ${boolPred ? "bool" : "int32"}[${predShape}] pred, cases ${cs.map((c) => `[${c}]`).join(" ")}`,
          f: (...xs: NdArray[]) => bind1(Prim.SelectN, xs, {}),
          operands: [op(predShape, pred), ...cs.map((c) => op(c, ewData(dtype)))],
        };
      });
    }),
};

const sliceParamsArb = (shape: Shape) =>
  fc
    .tuple(fc.boolean(), ...shape.map((d) => fc.tuple(fc.integer({ min: 0, max: d }), fc.integer({ min: 0, max: d }), fc.integer({ min: 1, max: 3 }))))
    .map(([unit, ...axes]) => ({
      startIndices: axes.map(([a, b]) => Math.min(a, b)),
      limitIndices: axes.map(([a, b]) => Math.max(a, b)),
      strides: unit ? null : axes.map(([, , st]) => st),
    }));

/** A movement op of one operand with random params; compared exactly. */
const movement = <T,>(prim: Prim, params: (s: number[]) => fc.Arbitrary<T>, shape = shapeArb(SMALL)): PrimCase => ({
  dtypes: dtypesOf(prim),
  instance: (dtype) =>
    shape.chain((s) =>
      params(s).map((p) => ({
        label: `${prim} ${JSON.stringify(p)}`,
        f: (x: NdArray) => bind1(prim, [x], p as never),
        operands: [op(s, data(dtype, { finite: false }))],
      })),
    ),
});

const squeezable = shapeArb(SMALL)
  .chain((s) => fc.tuple(fc.constant(s), fc.array(fc.nat(s.length), { maxLength: 2 })))
  .map(([s, at]) => {
    const out = [...s];
    for (const i of at) out.splice(Math.min(i, out.length), 0, 1);
    return out;
  });

const concatenateCase: PrimCase = {
  dtypes: dtypesOf(Prim.Concatenate),
  instance: (dtype) =>
    shapeArb({ ...SMALL, minRank: 1 }).chain((s) =>
      fc.tuple(fc.nat(s.length - 1), fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 3 })).map(([dimension, sizes]) => ({
        label: `concatenate dimension=${dimension} sizes=${sizes}`,
        f: (...xs: NdArray[]) => lax.concatenate(xs, dimension),
        operands: sizes.map((n) => op(s.map((d, i) => (i === dimension ? n : d)), data(dtype))),
      })),
    ),
};

const dotGeneralCase: PrimCase = {
  dtypes: dtypesOf(Prim.DotGeneral),
  numRuns: 40,
  instance: (dtype) =>
    fc.tuple(dotLayoutArb(3), fc.constantFrom<DType | null>(null, dtype)).map(([lay, pref]) => {
      const u = unitRoundoff(dtype === "float64" ? "float64" : "float32");
      const k = lay.k;
      const float = dtype === "float32" || dtype === "float64";
      return {
        label: `dot_general ${JSON.stringify(lay.dims)} lhs [${lay.lhsShape}] rhs [${lay.rhsShape}] preferred=${pref}`,
        f: dotFn(lay.dims, pref),
        operands: [op(lay.lhsShape, data(dtype, { min: -20, max: 20 })), op(lay.rhsShape, data(dtype, { min: -20, max: 20 }))],
        tol: float
          ? (a: NdArray, b: NdArray) => lax.add(lax.mul(dotFn(lay.dims)(lax.abs(f64(a)), lax.abs(f64(b))), 2 * (k + 1) * u), (k + 1) * tinyOf(dtype))
          : EXACT,
      };
    }),
};

/** conv: lhs, rhs or both batched; tolerance as dot_general's with k = taps × channels. */
const convCase: PrimCase = {
  dtypes: dtypesOf(Prim.ConvGeneralDilated),
  numRuns: 30,
  instance: (dtype) =>
    convProblemArb({ maxSpatial: 2, maxSize: 4 }).map((prob) => {
      const u = unitRoundoff(dtype);
      const k = prob.k;
      return {
        label: `conv_general_dilated ${prob.params.dimensionNumbers} ${JSON.stringify(prob.params)} lhs [${prob.lhsShape}] rhs [${prob.rhsShape}]`,
        f: convFn(prob.params),
        operands: [op(prob.lhsShape, data(dtype, { min: -20, max: 20 })), op(prob.rhsShape, data(dtype, { min: -20, max: 20 }))],
        tol: (a: NdArray, b: NdArray) => lax.add(lax.mul(convFn(prob.params)(lax.abs(f64(a)), lax.abs(f64(b))), 2 * (k + 1) * u), (k + 1) * tinyOf(dtype)),
      };
    }),
};

const windowCase = (prim: Prim.ReduceWindowSum | Prim.ReduceWindowMax | Prim.ReduceWindowMin): PrimCase => ({
  dtypes: dtypesOf(prim),
  instance: (dtype) =>
    windowProblemArb(2).map((w) => {
      const n = shapeSize(w.params.windowDimensions);
      const float = dtype === "float32" || dtype === "float64";
      return {
        label: `${prim} ${JSON.stringify(w.params)} [${w.shape}]`,
        f: windowFn(prim, w.params),
        operands: [op(w.shape, data(dtype))],
        tol: prim === Prim.ReduceWindowSum && float
          ? (a: NdArray) => lax.add(lax.mul(windowFn(prim, w.params)(lax.abs(f64(a))), 2 * (n + 1) * unitRoundoff(dtype)), (n + 1) * tinyOf(dtype))
          : EXACT,
      };
    }),
});

/** cumulative reductions: any axis, either direction; both sides run the same sequential scan, so exact. */
const cumulativeCase = (prim: CumulativePrim): PrimCase => ({
  dtypes: dtypesOf(prim),
  instance: (dtype) =>
    shapeArb({ ...SMALL, minRank: 1 }).chain((s) =>
      fc.tuple(fc.integer({ min: 0, max: s.length - 1 }), fc.boolean()).map(([axis, reverse]) => ({
        label: `${prim}[axis=${axis} reverse=${reverse}]`,
        f: (x: NdArray) => bind1(prim, [x], { axis, reverse }),
        operands: [op(s, prim === Prim.Cumprod ? smallData(dtype) : ewData(dtype))],
      })),
    ),
});

/** sort: any dimension, one to three operands (mixed batched and unbatched), ties and NaN included; exact. */
const sortCase: PrimCase = {
  dtypes: dtypesOf(Prim.Sort),
  instance: (dtype) =>
    shapeArb({ ...SMALL, minRank: 1 }).chain((s) =>
      fc.tuple(fc.integer({ min: 0, max: s.length - 1 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 2 }), fc.nat()).map(([dimension, n, keys, which]) => {
        const numKeys = Math.min(keys, n);
        const pick = which % n;
        return {
          label: `sort[dimension=${dimension} num_keys=${numKeys}] of ${n} operand(s), output ${pick}`,
          f: (...xs: NdArray[]) => bind(Prim.Sort, xs, { dimension, isStable: true, numKeys })[pick]!,
          operands: [op(s, ewData(dtype)), op(s, smallData("int32")), op(s, ewData("float32"))].slice(0, n),
        };
      }),
    ),
};

/** iota has no operands: alone under vmap (axisSize), or combined with a mapped operand. */
const iotaCase: PrimCase = {
  dtypes: dtypesOf(Prim.Iota),
  ruleOptional: true,
  instance: (dtype) =>
    fc.tuple(shapeArb({ ...SMALL, minRank: 1 }), fc.boolean()).chain(([s, alone]) =>
      fc.nat(s.length - 1).map((dimension): Instance => {
        const iota = () => lax.broadcastedIota(dtype, s, dimension);
        return alone
          ? { label: `iota [${s}] dimension=${dimension}`, f: iota, operands: [] }
          : { label: `max(x, iota [${s}] dimension=${dimension})`, f: (x) => lax.max(x!, iota()), operands: [op(s, data(dtype))] };
      }),
    ),
};

/** Dtype-generic bodies (exact on every dtype) and a float body with a transcendental, each capturing a constant. */
const body = (dtype: DType) =>
  dtype === "float32" || dtype === "float64"
    ? (x: NdArray, y: NdArray) => np.sin(x).mul(y).add(np.array(0.5, { dtype }))
    : (x: NdArray, y: NdArray) => np.where(x.gt(y), x, np.maximum(y, np.array(1, { dtype })));

/** Higher-order primitives through their public wrappers, on two operands of one shape. */
const higherOrderCase = (prim: Prim, wrap: (dtype: DType) => (x: NdArray, y: NdArray) => NdArray, dtypes = dtypesOf(prim)): PrimCase => ({
  dtypes,
  instance: (dtype) =>
    shapeArb(SMALL).map((s) => ({
      label: `${prim} on [${s}]`,
      f: wrap(dtype) as (...xs: NdArray[]) => NdArray,
      operands: [op(s, data(dtype)), op(s, data(dtype))],
      tol: dtype.startsWith("float") ? ulps(2) : EXACT,
    })),
});

const customJvpFn = (dtype: DType) => {
  const f = body(dtype);
  const g = customJvp(f).defJvp(([x, y]: NdArray[], [tx, ty]: NdArray[]) => [g(x!, y!), np.cos(x!).mul(y!).mul(tx!).add(np.sin(x!).mul(ty!))]);
  return g;
};
const customVjpFn = (dtype: DType) => {
  const f = body(dtype);
  return customVjp(f).defVjp(
    (x: NdArray, y: NdArray) => [f(x, y), [x, y]],
    ([x, y]: NdArray[], ct: NdArray) => [ct.mul(np.cos(x!)).mul(y!), ct.mul(np.sin(x!))],
  );
};
/** A customVjp function whose bwd clips: its gradient shows the rule ran (custom_lin carries bwd). */
const clippedSinMul = customVjp((x: NdArray, y: NdArray) => np.sin(x).mul(y)).defVjp(
  (x: NdArray, y: NdArray) => [np.sin(x).mul(y), [np.cos(x), np.sin(x), y]],
  ([c, s, y]: NdArray[], ct: NdArray) => [np.clip(ct.mul(c!).mul(y!), -0.5, 0.5), ct.mul(s!)],
);

/** Scalar int32 start indices reaching past both ends of each axis (the clamp is exercised). */
const indexOperands = (s: Shape): Operand[] => s.map((n) => op([], data("int32", { min: -3, max: n + 3 })));
const windowOf = (s: Shape) => fc.tuple(...s.map((n) => fc.integer({ min: 0, max: n })));

const dynamicSliceCase: PrimCase = {
  dtypes: dtypesOf(Prim.DynamicSlice),
  instance: (dtype) =>
    shapeArb(SMALL).chain((s) =>
      windowOf(s).map((sliceSizes) => ({
        label: `dynamic_slice of [${s}] sizes (${sliceSizes})`,
        f: (...xs: NdArray[]) => bind1(Prim.DynamicSlice, xs, { sliceSizes }),
        operands: [op(s, data(dtype, { finite: false })), ...indexOperands(s)],
      })),
    ),
};

const dynamicUpdateSliceCase: PrimCase = {
  dtypes: dtypesOf(Prim.DynamicUpdateSlice),
  instance: (dtype) =>
    shapeArb(SMALL).chain((s) =>
      windowOf(s).map((w) => ({
        label: `dynamic_update_slice of [${s}] with [${w}]`,
        f: (...xs: NdArray[]) => bind1(Prim.DynamicUpdateSlice, xs, {}),
        operands: [op(s, data(dtype, { finite: false })), op(w, data(dtype)), ...indexOperands(s)],
      })),
    ),
};

/** gather / scatter over random layouts; indices reach past both ends (clip clamps, fill fills or drops). */
const indexedCase = (prim: Prim.Gather | ScatterPrim): PrimCase => ({
  dtypes: dtypesOf(prim),
  instance: (dtype) =>
    gatherLayoutArb().map((l) => ({
      label: `${prim} ${JSON.stringify(l.dn)} sizes ${l.sliceSizes} mode ${l.mode}`,
      f: (...xs: NdArray[]) => bind1(prim, xs, (prim === Prim.Gather ? gatherParams(l, 3) : scatterParams(l)) as never),
      operands: [
        op(l.operandShape, data(dtype, { min: -20, max: 20 })),
        op(l.indicesShape, data("int32", { min: -2, max: 5 })),
        ...(prim === Prim.Gather ? [] : [op(l.outShape, data(dtype, { min: -20, max: 20 }))]),
      ],
    })),
});
/**
 * Linear algebra: an example is a batch of 0-1 axes of matrices of order 1-4 (the
 * rule moves vmap's axis to the front of that batch). Operands are made well posed
 * inside f (SPD, dominant diagonal, symmetric); one output is compared, exactly:
 * each matrix is factored by the same kernel whatever batch it sits in.
 */
const matrixShapeArb = (square: boolean) =>
  fc
    .tuple(fc.array(fc.integer({ min: 1, max: 2 }), { maxLength: 1 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }))
    .map(([b, m, n]) => [...b, m, square ? m : n]);
const unitData = (dtype: DType) => data(dtype, { min: -1, max: 1 });
const withDiag = (x: NdArray, d: number): NdArray => lax.add(x, lax.mul(eyeBatched(x.dtype, x.shape.slice(0, -2), x.shape.at(-1)!, x.shape.at(-1)!), d));
const linalgCase = (prim: Prim, square: boolean, nout: number, f: (x: NdArray, out: number) => NdArray): PrimCase => ({
  dtypes: dtypesOf(prim),
  numRuns: 15,
  instance: (dtype) =>
    fc.tuple(matrixShapeArb(square), fc.integer({ min: 0, max: nout - 1 })).map(([s, k]) => ({
      label: `${prim} on [${s}] output ${k}`,
      f: (x: NdArray) => f(x, k),
      operands: [op(s, unitData(dtype))],
    })),
});
const triangularSolveCase: PrimCase = {
  dtypes: FLOAT_DTYPES,
  numRuns: 15,
  instance: (dtype) =>
    fc
      .tuple(matrixShapeArb(true), fc.integer({ min: 1, max: 3 }), fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }))
      .map(([s, k, [leftSide, lower, transposeA, unitDiagonal]]) => {
        const n = s.at(-1)!;
        const bShape = [...s.slice(0, -2), ...(leftSide ? [n, k] : [k, n])];
        const params = { leftSide: leftSide!, lower: lower!, transposeA: transposeA!, unitDiagonal: unitDiagonal! };
        return {
          label: `triangular_solve ${JSON.stringify(params)} a [${s}] b [${bShape}]`,
          f: (a: NdArray, b: NdArray) => lax.triangularSolve(withDiag(a, n + 1), b, params),
          operands: [op(s, unitData(dtype)), op(bShape, unitData(dtype))],
        };
      }),
};

const CASES: Partial<Record<Prim, PrimCase>> = {
  [Prim.Cholesky]: linalgCase(Prim.Cholesky, true, 1, (x) => bind1(Prim.Cholesky, [withDiag(lax.dotGeneral(x, x, [[[x.ndim - 1], [x.ndim - 1]], [x.shape.slice(0, -2).map((_, i) => i), x.shape.slice(0, -2).map((_, i) => i)]]), x.shape.at(-1)!)], {})),
  [Prim.TriangularSolve]: triangularSolveCase,
  [Prim.Lu]: linalgCase(Prim.Lu, false, 3, (x, k) => lax.lu(x)[k]!),
  [Prim.Qr]: linalgCase(Prim.Qr, false, 4, (x, k) => lax.qr(x, { fullMatrices: k >= 2 })[k % 2]!),
  [Prim.Eigh]: linalgCase(Prim.Eigh, true, 2, (x, k) => lax.eigh(x)[k]!),
  [Prim.Svd]: linalgCase(Prim.Svd, false, 4, (x, k) => (k === 3 ? lax.svd(x, { computeUv: false }) : lax.svd(x, { fullMatrices: k === 0 })[k]!)),
  ...Object.fromEntries(UNARY_PRIMS.map((p) => [p, unaryCase(p)])),
  ...Object.fromEntries([...BINARY_PRIMS, ...COMPARE_PRIMS].map((p) => [p, binaryCase(p)])),
  ...Object.fromEntries(REDUCE_PRIMS.map((p) => [p, reduceCase(p)])),
  [Prim.Argmax]: argCase(Prim.Argmax),
  [Prim.Argmin]: argCase(Prim.Argmin),
  [Prim.IntegerPow]: {
    dtypes: dtypesOf(Prim.IntegerPow),
    instance: (dtype) =>
      fc.tuple(shapeArb(SMALL), fc.integer({ min: dtype.startsWith("float") ? -3 : 0, max: 4 })).map(([s, y]) => ({
        label: `integer_pow y=${y}`,
        f: (x: NdArray) => lax.integerPow(x, y),
        operands: [op(s, ewData(dtype))],
        tol: dtype.startsWith("float") ? ulps(2) : EXACT,
      })),
  },
  [Prim.ConvertElementType]: {
    dtypes: dtypesOf(Prim.ConvertElementType),
    instance: (dtype) =>
      fc.tuple(shapeArb(SMALL), fc.constantFrom(...ALL_DTYPES), fc.boolean()).map(([s, newDtype, weakType]) => ({
        label: `convert_element_type ${dtype} -> ${newDtype} weak=${weakType}`,
        f: (x: NdArray) => bind1(Prim.ConvertElementType, [x], { newDtype, weakType, sharding: null }),
        operands: [op(s, ewData(dtype))],
      })),
  },
  [Prim.SelectN]: selectNCase,
  [Prim.Round]: {
    dtypes: dtypesOf(Prim.Round),
    instance: (dtype) =>
      fc.tuple(shapeArb(SMALL), fc.constantFrom(0, 1) as fc.Arbitrary<0 | 1>).map(([s, roundingMethod]) => ({
        label: `round[rounding_method=${roundingMethod}]`,
        f: (x: NdArray) => bind1(Prim.Round, [x], { roundingMethod }),
        operands: [op(s, ewData(dtype))],
      })),
  },
  [Prim.IsFinite]: {
    dtypes: dtypesOf(Prim.IsFinite),
    instance: (dtype) => shapeArb(SMALL).map((s) => ({ label: "is_finite", f: (x: NdArray) => bind1(Prim.IsFinite, [x], {}), operands: [op(s, ewData(dtype))] })),
  },
  [Prim.StopGradient]: {
    dtypes: dtypesOf(Prim.StopGradient),
    instance: (dtype) => shapeArb(SMALL).map((s) => ({ label: "stop_gradient", f: (x: NdArray) => bind1(Prim.StopGradient, [x], {}), operands: [op(s, ewData(dtype))] })),
  },
  [Prim.BroadcastInDim]: movement(Prim.BroadcastInDim, (s) => broadcastInDimArb(s).filter((p) => p.shape.length <= 4).map((p) => ({ ...p, sharding: null }))),
  [Prim.Reshape]: movement(Prim.Reshape, (s) => reshapeTargetArb(shapeSize(s)).map((newSizes) => ({ newSizes, dimensions: null, sharding: null }))),
  [Prim.Transpose]: movement(Prim.Transpose, (s) => permutationArb(s.length).map((permutation) => ({ permutation }))),
  [Prim.Squeeze]: movement(
    Prim.Squeeze,
    (s) => fc.subarray(s.flatMap((d, i) => (d === 1 ? [i] : []))).map((dimensions) => ({ dimensions })),
    squeezable,
  ),
  [Prim.Slice]: movement(Prim.Slice, sliceParamsArb),
  [Prim.Concatenate]: concatenateCase,
  [Prim.Rev]: movement(Prim.Rev, (s) => fc.subarray(s.map((_, i) => i)).map((dimensions) => ({ dimensions }))),
  [Prim.DynamicSlice]: dynamicSliceCase,
  [Prim.DynamicUpdateSlice]: dynamicUpdateSliceCase,
  [Prim.Gather]: indexedCase(Prim.Gather),
  ...Object.fromEntries(SCATTER_PRIMS.map((p) => [p, indexedCase(p)])),
  [Prim.DotGeneral]: dotGeneralCase,
  [Prim.Iota]: iotaCase,
  [Prim.ConvGeneralDilated]: convCase,
  [Prim.ReduceWindowSum]: windowCase(Prim.ReduceWindowSum),
  [Prim.ReduceWindowMax]: windowCase(Prim.ReduceWindowMax),
  [Prim.ReduceWindowMin]: windowCase(Prim.ReduceWindowMin),
  ...Object.fromEntries(CUMULATIVE_PRIMS.map((p) => [p, cumulativeCase(p)])),
  [Prim.Sort]: sortCase,
  [Prim.Checkpoint]: higherOrderCase(Prim.Checkpoint, (dtype) => checkpoint(body(dtype))),
  [Prim.CustomJvpCall]: higherOrderCase(Prim.CustomJvpCall, customJvpFn),
  [Prim.CustomVjpCall]: higherOrderCase(Prim.CustomVjpCall, customVjpFn),
  // custom_lin exists only inside a derivative: per-example gradients of a customVjp function.
  // vmap∘grad never binds custom_lin on the batch trace (linearize stages it, transpose
  // calls bwd on batched values), so its rule is checked directly in "targeted cases".
  [Prim.CustomLin]: {
    ...higherOrderCase(Prim.CustomLin, () => (x, y) => grad((a: NdArray) => clippedSinMul(a, y).sum())(x) as NdArray, FLOAT_DTYPES),
    ruleOptional: true,
  },
};

// --- the property -----------------------------------------------------------------------------

interface Batched {
  readonly ins: Instance;
  readonly B: number;
  readonly axes: LeafAxis[];
  /** undefined: the default outAxes (0). */
  readonly outPick: number | undefined;
  readonly args: NdArray[];
}

function batchedArb(inst: fc.Arbitrary<Instance>): fc.Arbitrary<Batched> {
  return inst.chain((ins) =>
    fc
      .tuple(batchSizeArb, fc.tuple(...ins.operands.map((o) => inAxisArb(o.shape.length))), fc.option(fc.integer({ min: -5, max: 5 }), { nil: undefined }))
      .chain(([B, axes, outPick]) =>
        fc
          .tuple(...ins.operands.map((o, k) => o.gen(batchedShape(o.shape, axes[k]!, B))))
          .map((args) => ({
            ins,
            B,
            axes: [...axes],
            outPick,
            args: [...args],
            [fc.toStringMethod]: () =>
              `${ins.label}; B=${B} inAxes=${JSON.stringify(axes)} outAxes=${outPick ?? "default"} args ${args.map(String).join(", ")}`,
          })),
      ),
  );
}

function checkBatched({ ins, B, axes, outPick, args }: Batched): void {
  const outAxisOf = (rank: number) => (outPick === undefined ? 0 : foldAxis(outPick, rank));
  const want = loopMap(ins.f, axes, (_, rank) => outAxisOf(rank), B)(...args) as NdArray;
  const outAxis = outAxisOf(want.ndim - 1);
  const mapped = axes.some((a) => a !== null);
  const opts: VmapOptions = {
    inAxes: axes,
    ...(mapped ? {} : { axisSize: B }),
    ...(outPick === undefined ? {} : { outAxes: outAxis }),
  };
  const label = `${ins.label}; B=${B} inAxes=${JSON.stringify(axes)} outAxes=${outPick === undefined ? "default" : outAxis} args ${args.map((a) => a.aval.strShort()).join(", ")}`;
  const got = vmap(ins.f, opts)(...args) as NdArray;
  const tol: Tolerance =
    typeof ins.tol === "function" ? { kind: "bound", bound: toHost(loopMap(ins.tol, axes, () => outAxis, B)(...args) as NdArray).values } : (ins.tol ?? EXACT);
  expectClose(label, toHost(got), toHost(want), tol);
}

describe("vmap(f)(xs) equals stacking f(x_i), for every primitive", () => {
  for (const prim of ALL_PRIMS) {
    const c = CASES[prim];
    if (!c) {
      test(`${prim}: has a vmap case`, () => expect.fail(`no vmap case for the primitive ${prim}; add one to CASES`));
      continue;
    }
    for (const dtype of c.dtypes) {
      test(`${prim} on ${dtype}`, () => {
        ruleCalls.delete(prim);
        fc.assert(fc.property(batchedArb(c.instance(dtype)), checkBatched), { numRuns: runs(c.numRuns ?? 25) });
        if (!c.ruleOptional) expect(ruleCalls.get(prim) ?? 0, `the ${prim} batching rule never ran`).toBeGreaterThan(0);
      });
    }
  }
});

describe("targeted cases", () => {
  // select_n's rule broadcasts a batched operand of example rank 0 ([B]) to [B, ...caseShape]
  // with numpy's right-aligned broadcastTo, which lines B up with the last case axis.
  test("select_n: a batched scalar predicate with shaped cases selects whole examples", () => {
    const sel = (p: NdArray, a: NdArray, b: NdArray) => lax.selectN(p, a, b);
    // Example i: select_n(p_i, zeros[3], ones[3]) = p_i ? ones : zeros.
    const got = vmap(sel, { inAxes: [0, null, null] })(np.array([true, false]), np.zeros([3]), np.ones([3])) as NdArray;
    expect(got.shape).toEqual([2, 3]);
    expect(Array.from(got.dataSync())).toEqual([1, 1, 1, 0, 0, 0]);
    // B equal to the case size: no error, so the values must be right.
    const cases = np.arange(9).reshape([3, 3]).astype("float32");
    const got3 = vmap(sel, { inAxes: [0, null, 0] })(np.array([true, false, true]), np.zeros([3]), cases) as NdArray;
    expect(Array.from(got3.dataSync())).toEqual([0, 1, 2, 0, 0, 0, 6, 7, 8]);
  });

  test("select_n: a batched scalar case among shaped ones", () => {
    // Example i: select_n([T, F, T], a_i, zeros[3]) = [0, a_i, 0].
    const sel = (p: NdArray, a: NdArray, b: NdArray) => lax.selectN(p, a, b);
    const got = vmap(sel, { inAxes: [null, 0, null] })(np.array([true, false, true]), np.array([10, 20]), np.zeros([3])) as NdArray;
    expect(got.shape).toEqual([2, 3]);
    expect(Array.from(got.dataSync())).toEqual([0, 10, 0, 0, 20, 0]);
  });

  test("a batched scalar operand of an elementwise op with an unbatched array", () => {
    const got = vmap((s: NdArray, v: NdArray) => lax.mul(s, v), { inAxes: [0, null] })(np.array([1, 2]), np.array([1, 10, 100])) as NdArray;
    expect(got.shape).toEqual([2, 3]);
    expect(Array.from(got.dataSync())).toEqual([1, 10, 100, 2, 20, 200]);
  });

  test("the customJvp rule and the customVjp bwd are used under vmap (vmap of grad)", () => {
    // The clipped bwd: d/dx sum(sin(x) y) = clip(cos(x) y, -0.5, 0.5).
    const xs = np.array([[0.1, 2.0], [1.0, -0.3], [0.0, 3.0]], { dtype: "float64" });
    const y = np.array([4, 0.25], { dtype: "float64" });
    const g = vmap((x: NdArray) => grad((a: NdArray) => clippedSinMul(a, y).sum())(x), {})(xs) as NdArray;
    const want = [[0.1, 2.0], [1.0, -0.3], [0.0, 3.0]].flatMap((row) => row.map((v, j) => Math.min(0.5, Math.max(-0.5, Math.cos(v) * [4, 0.25][j]!))));
    Array.from(g.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 12));
    // grad of the summed vmap gives the same (it is the sum of per-example gradients of independent examples).
    const g2 = grad((x: NdArray) => vmap((a: NdArray) => clippedSinMul(a, y))(x).sum())(xs) as NdArray;
    Array.from(g2.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 12));
  });

  test("custom_lin's rule: vmap of a linearized customVjp function stages one batched custom_lin whose bwd runs per example", () => {
    // vmap∘grad never reaches this rule; vmap over the linear map, staged, does.
    const x0 = np.array([0.1, 2.0, -1.0], { dtype: "float64" });
    const y = np.array([4, 0.25, -3], { dtype: "float64" });
    const [, linear] = linearize((x: NdArray) => clippedSinMul(x, y), x0);
    const B = 4;
    ruleCalls.delete(Prim.CustomLin);
    const jaxpr = makeJaxpr((t: NdArray) => vmap(linear)(t))(np.ones([B, 3], { dtype: "float64" }));
    expect(ruleCalls.get(Prim.CustomLin)).toBe(1);
    const lins = jaxpr.jaxpr.eqns.filter((e) => e.prim === Prim.CustomLin);
    expect(lins.length).toBe(1);
    const params = lins[0]!.params as PrimParams<Prim.CustomLin>;
    expect(params.outAvals.map((a) => a.strShort())).toEqual([`f64[${B},3]`]);
    // Its bwd takes residuals and cotangents batched at axis 0 and returns cotangents batched at 0.
    const res = [np.cos(x0), np.sin(x0), y].map((r) => np.broadcastTo(r, [B, 3]));
    const cts = np.array([[1, 1, 1], [0.1, -2, 3], [-1, 0.5, 0], [2, 2, -2]], { dtype: "float64" });
    const got = params.bwd(res, [cts]);
    const want = loopMap(
      (r0: NdArray, r1: NdArray, r2: NdArray, ct: NdArray) => [np.clip(ct.mul(r0).mul(r2), -0.5, 0.5), ct.mul(r1)],
      [0, 0, 0, 0],
      () => 0,
      B,
    )(...res, cts);
    expectTreeClose("batched bwd", got, want, EXACT);
  });
});
