/**
 * The parity suite covers every primitive: each `Prim` has a case in one of the
 * case tables (a new primitive without one fails here), and each case runs on
 * exactly the dtypes abstract evaluation accepts for it (probed, not listed by hand).
 */
import { describe, expect, it } from "vitest";
import { type DType, DTYPES, DTypeError, ShapedArray } from "../../src/core/index.js";
import { getBackend } from "../../src/trace/backend.js";
import { abstractEval } from "../../src/trace/abstract-eval.js";
import { lax, numpy as np } from "../../src/index.js";
import type { Array as NdArray } from "../../src/trace/array.js";
import {
  ALL_PRIMS,
  BINARY_PRIMS,
  COMPARE_PRIMS,
  ConvDimensionNumbers,
  HIGHER_ORDER_PRIMS,
  type HigherOrderPrim,
  Prim,
  type PrimParams,
  SCATTER_PRIMS,
  type ScatterPrim,
  type ReduceWindowPrim,
  UNARY_PRIMS,
} from "../../src/trace/prim.js";
import { makeJaxpr } from "../../src/trace/staging.js";
import { convCases } from "../helpers/cases-conv.js";
import { cumulativeCases } from "../helpers/cases-cumulative.js";
import { sortCases } from "../helpers/cases-sort.js";
import { dotCases } from "../helpers/cases-dot.js";
import { elementwiseCases } from "../helpers/cases-elementwise.js";
import { gatherCases } from "../helpers/cases-gather.js";
import { higherOrderCases, higherOrderParams } from "../helpers/cases-higher-order.js";
import { linalgCases } from "../helpers/cases-linalg.js";
import { reduceCases } from "../helpers/cases-reduce.js";
import { shapeCases } from "../helpers/cases-shape.js";
import { INTERP, type ParityCase, WASM, runOn } from "../helpers/parity.js";

const TABLES: Record<string, Partial<Record<Prim, ParityCase>>> = {
  elementwise: elementwiseCases,
  reduce: reduceCases,
  shape: shapeCases,
  gather: gatherCases,
  dot: dotCases,
  conv: convCases,
  higherOrder: higherOrderCases,
  linalg: linalgCases,
  cumulative: cumulativeCases,
  sort: sortCases,
};

const v = (d: DType, shape: number[] = [2]): ShapedArray => new ShapedArray(shape, d);
const same = <T,>(params: T) => (d: DType): [ShapedArray[], T] => [[v(d)], params];
const two = (d: DType): [ShapedArray[], Record<string, never>] => [[v(d), v(d)], {}];

/** For each primitive, operands and params that are valid apart from the dtype under test. */
const PROBES: { [P in Prim]: (d: DType) => [ShapedArray[], PrimParams<P>] } = {
  ...(Object.fromEntries(UNARY_PRIMS.map((p) => [p, same({})])) as { [P in (typeof UNARY_PRIMS)[number]]: (d: DType) => [ShapedArray[], PrimParams<P>] }),
  ...(Object.fromEntries([...BINARY_PRIMS, ...COMPARE_PRIMS].map((p) => [p, two])) as {
    [P in (typeof BINARY_PRIMS)[number] | (typeof COMPARE_PRIMS)[number]]: (d: DType) => [ShapedArray[], PrimParams<P>];
  }),
  [Prim.IntegerPow]: same({ y: 2 }),
  [Prim.ConvertElementType]: same({ newDtype: "float32", weakType: false, sharding: null }),
  [Prim.SelectN]: (d) => [[v("bool"), v(d), v(d)], {}],
  [Prim.ReduceSum]: same({ axes: [0], outSharding: null }),
  [Prim.ReduceMax]: same({ axes: [0], outSharding: null }),
  [Prim.ReduceMin]: same({ axes: [0], outSharding: null }),
  [Prim.ReduceProd]: same({ axes: [0], outSharding: null }),
  [Prim.Argmax]: same({ axes: [0], indexDtype: "int32" }),
  [Prim.Argmin]: same({ axes: [0], indexDtype: "int32" }),
  [Prim.BroadcastInDim]: same({ shape: [3, 2], broadcastDimensions: [1], sharding: null }),
  [Prim.Reshape]: same({ newSizes: [2, 1], dimensions: null, sharding: null }),
  [Prim.Transpose]: same({ permutation: [0] }),
  [Prim.Squeeze]: (d) => [[v(d, [1])], { dimensions: [0] }],
  [Prim.Slice]: same({ startIndices: [0], limitIndices: [1], strides: null }),
  [Prim.Concatenate]: (d) => [[v(d), v(d)], { dimension: 0 }],
  [Prim.Rev]: same({ dimensions: [0] }),
  [Prim.DynamicSlice]: (d) => [[v(d), v("int32", [])], { sliceSizes: [1] }],
  [Prim.DynamicUpdateSlice]: (d) => [[v(d), v(d, [1]), v("int32", [])], {}],
  [Prim.Gather]: (d) => [
    [v(d), v("int32", [3, 1])],
    {
      dimensionNumbers: { offsetDims: [], collapsedSliceDims: [0], startIndexMap: [0], operandBatchingDims: [], startIndicesBatchingDims: [] },
      sliceSizes: [1], indicesAreSorted: false, uniqueIndices: false, mode: "clip", fillValue: null,
    },
  ],
  ...(Object.fromEntries(
    SCATTER_PRIMS.map((p) => [
      p,
      (d: DType) => [
        [v(d), v("int32", [3, 1]), v(d, [3])],
        {
          dimensionNumbers: { updateWindowDims: [], insertedWindowDims: [0], scatterDimsToOperandDims: [0], operandBatchingDims: [], scatterIndicesBatchingDims: [] },
          indicesAreSorted: false, uniqueIndices: false, mode: "fill" as const, updateJaxpr: null, updateConsts: [] as never[],
        },
      ],
    ]),
  ) as unknown as { [P in ScatterPrim]: (d: DType) => [ShapedArray[], PrimParams<P>] }),
  [Prim.DotGeneral]: (d) => [
    [v(d), v(d)],
    { dimensionNumbers: [[[0], [0]], [[], []]], precision: null, preferredElementType: null, outSharding: null },
  ],
  [Prim.Iota]: (d) => [[], { dtype: d, shape: [2], dimension: 0, sharding: null }],
  [Prim.StopGradient]: same({}),
  [Prim.Cholesky]: (d) => [[v(d, [2, 2])], {}],
  [Prim.TriangularSolve]: (d) => [
    [v(d, [2, 2]), v(d, [2, 3])],
    { leftSide: true, lower: true, transposeA: false, conjugateA: false, unitDiagonal: false },
  ],
  [Prim.Lu]: (d) => [[v(d, [2, 3])], {}],
  [Prim.Qr]: (d) => [[v(d, [3, 2])], { fullMatrices: false, pivoting: false, useMagma: null }],
  [Prim.Eigh]: (d) => [[v(d, [2, 2])], { lower: true, sortEigenvalues: true, subsetByIndex: null, algorithm: null }],
  [Prim.Svd]: (d) => [[v(d, [2, 3])], { fullMatrices: true, computeUv: true, subsetByIndex: null, algorithm: null }],
  [Prim.ConvGeneralDilated]: (d) => [
    [v(d, [1, 1, 2]), v(d, [1, 1, 1])],
    {
      windowStrides: [1], padding: [[0, 0]], lhsDilation: [1], rhsDilation: [1], dimensionNumbers: new ConvDimensionNumbers([0, 1, 2], [0, 1, 2], [0, 1, 2]),
      featureGroupCount: 1, batchGroupCount: 1, precision: null, preferredElementType: null,
    },
  ],
  ...(Object.fromEntries(
    [Prim.ReduceWindowSum, Prim.ReduceWindowMax, Prim.ReduceWindowMin].map((p) => [
      p,
      same({ windowDimensions: [1], windowStrides: [1], padding: [[0, 0]], baseDilation: [1], windowDilation: [1] }),
    ]),
  ) as unknown as { [P in ReduceWindowPrim]: (d: DType) => [ShapedArray[], PrimParams<P>] }),
  [Prim.Round]: same({ roundingMethod: 1 }),
  [Prim.Cumsum]: same({ axis: 0, reverse: false }),
  [Prim.Cumprod]: same({ axis: 0, reverse: false }),
  [Prim.Cummax]: same({ axis: 0, reverse: true }),
  [Prim.Cummin]: same({ axis: 0, reverse: true }),
  [Prim.Sort]: same({ dimension: 0, isStable: true, numKeys: 1 }),
  [Prim.IsFinite]: same({}),
  ...(Object.fromEntries(
    HIGHER_ORDER_PRIMS.map((p) => [
      p,
      (d: DType) => {
        const cj = makeJaxpr((x: NdArray) => x.reshape([-1]))(np.zeros([2, 1], { dtype: d }));
        return [[v(d, [2, 1])], higherOrderParams(p, cj, cj.outAvals)];
      },
    ]),
  ) as { [P in HigherOrderPrim]: (d: DType) => [ShapedArray[], PrimParams<P>] }),
};

function acceptedDtypes<P extends Prim>(prim: P): DType[] {
  return DTYPES.filter((d) => {
    const [avals, params] = (PROBES[prim] as (d: DType) => [ShapedArray[], PrimParams<P>])(d);
    try {
      abstractEval(prim, avals, params);
      return true;
    } catch (e) {
      if (e instanceof DTypeError) return false;
      throw e;
    }
  });
}

const allCases = new Map<Prim, { table: string; c: ParityCase }[]>();
for (const [table, cases] of Object.entries(TABLES)) {
  for (const [prim, c] of Object.entries(cases) as [Prim, ParityCase][]) {
    allCases.set(prim, [...(allCases.get(prim) ?? []), { table, c }]);
  }
}

describe("parity coverage", () => {
  it("every primitive in ALL_PRIMS has exactly one parity case", () => {
    const missing = ALL_PRIMS.filter((p) => !allCases.has(p));
    expect(missing, `primitives without a WASM-vs-interpreter property: ${missing.join(", ")}`).toEqual([]);
    const doubled = [...allCases].filter(([, cs]) => cs.length > 1).map(([p, cs]) => `${p} (${cs.map((c) => c.table)})`);
    expect(doubled).toEqual([]);
    const unknown = [...allCases.keys()].filter((p) => !ALL_PRIMS.includes(p));
    expect(unknown).toEqual([]);
  });

  it.each([...ALL_PRIMS])("%s: the case runs on every dtype abstract evaluation accepts, and only those", (prim) => {
    const c = allCases.get(prim)?.[0]?.c;
    expect(c, `no case for ${prim}`).toBeDefined();
    expect([...c!.dtypes].sort()).toEqual(acceptedDtypes(prim).sort());
  });
});

describe("the parity harness", () => {
  it("places each run on the backend it names and frees what it allocates", () => {
    const stats = (): [number, number] => [getBackend(WASM).memoryStats().liveBuffers, getBackend(INTERP).memoryStats().liveBuffers];
    const before = stats();
    const x = { dtype: "float32" as DType, shape: [2, 3], values: Float32Array.from([1, 2, 3, 4, 5, 6]) };
    for (const b of [WASM, INTERP]) {
      const r = runOn(b, [x], (a) => lax.reduceSum(lax.transpose(lax.exp(a), [1, 0]), [1]));
      expect(r.backend).toBe(b);
      expect(r.shape).toEqual([3]);
    }
    expect(stats()).toEqual(before);
  });
});
