/**
 * Parity cases for gather and the scatter family: random geometries (index maps,
 * collapsed/inserted dims, batching dims, window sizes, offset/window axes placed
 * anywhere), start indices reaching past both ends, each mode; compared exactly
 * (values move or combine in the same order on both backends).
 */
import fc from "fast-check";
import { type DType, shapeSize } from "../../src/core/index.js";
import { gatherGeometry } from "../../src/trace/gather-geometry.js";
import {
  type GatherDimensionNumbers, type GatherScatterMode, Prim, type ScatterDimensionNumbers, type ScatterPrim,
} from "../../src/trace/prim.js";
import type { Array as NdArray } from "../../src/trace/array.js";
import { bind1 } from "../../src/trace/trace.js";
import { ALL_DTYPES, type HostArray, NUMERIC_DTYPES, hostArb } from "./arbitraries.js";
import { type CaseTable, checkParity } from "./parity.js";

/** A random valid gather: operand and indices shapes, dimension numbers, slice sizes, mode. */
export interface GatherLayout {
  readonly operandShape: number[];
  readonly indicesShape: number[];
  readonly dn: GatherDimensionNumbers;
  readonly sliceSizes: number[];
  readonly outShape: number[];
  readonly mode: GatherScatterMode;
  /** Index values: component k of the vector ranges over [-2, size + 2) of its operand axis. */
  readonly indexRanges: [number, number][];
}

export function gatherLayoutArb(maxRank = 3): fc.Arbitrary<GatherLayout> {
  return fc
    .array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: maxRank })
    .chain((s) =>
      fc.tuple(
        fc.constant(s),
        fc.shuffledSubarray(s.map((_, d) => d)),
        fc.boolean(),
        fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 2 }),
        fc.constantFrom<GatherScatterMode>("clip", "fill", "promise_in_bounds"),
        fc.array(fc.nat(), { minLength: s.length, maxLength: s.length }),
        fc.nat(),
        fc.array(fc.boolean(), { minLength: s.length, maxLength: s.length }),
        fc.nat(),
      ),
    )
    .map(([s, map, batched, batch, mode, sizeSeeds, posSeed, collapseSeeds, offsetSeed]) => {
      const free = s.map((_, d) => d).filter((d) => !map.includes(d));
      const batchable = free.filter((d) => s[d]! > 0);
      const b = batched && batchable.length ? batchable[0]! : null;
      const operandBatchingDims = b === null ? [] : [b];
      const batchShape = [...batch];
      const startIndicesBatchingDims: number[] = [];
      if (b !== null) {
        const at = posSeed % (batchShape.length + 1);
        batchShape.splice(at, 0, s[b]!);
        startIndicesBatchingDims.push(at);
      }
      const sliceSizes = s.map((n, d) => (d === b ? 1 : sizeSeeds[d]! % (n + 1)));
      const collapsedSliceDims = s.map((_, d) => d).filter((d) => d !== b && sliceSizes[d] === 1 && collapseSeeds[d]);
      const kept = s.length - collapsedSliceDims.length - operandBatchingDims.length;
      const rank = batchShape.length + kept;
      // A sorted choice of `kept` output positions.
      const positions = Array.from({ length: rank }, (_, i) => i);
      const offsetDims: number[] = [];
      let seed = offsetSeed;
      for (let i = 0; i < kept; i++) {
        const k = seed % positions.length;
        seed = Math.floor(seed / 2) + 7 * i;
        offsetDims.push(positions.splice(k, 1)[0]!);
      }
      offsetDims.sort((x, y) => x - y);
      const dn: GatherDimensionNumbers = { offsetDims, collapsedSliceDims, startIndexMap: map, operandBatchingDims, startIndicesBatchingDims };
      const indicesShape = [...batchShape, map.length];
      const outShape = [...gatherGeometry(s, indicesShape, "int32", dn, sliceSizes).otherShape];
      return { operandShape: s, indicesShape, dn, sliceSizes, outShape, mode, indexRanges: map.map((d) => [-2, s[d]! + 2] as [number, number]) };
    });
}

/** Index data for a layout: int32 or uint32 (uint32 from 0). */
export function indicesArb(l: GatherLayout): fc.Arbitrary<HostArray> {
  const nb = shapeSize(l.indicesShape.slice(0, -1));
  return fc.constantFrom<DType>("int32", "uint32").chain((d) =>
    fc
      .array(fc.tuple(...l.indexRanges.map(([lo, hi]) => fc.integer({ min: d === "uint32" ? 0 : lo, max: hi }))), { minLength: nb, maxLength: nb })
      .map((rows) => {
        const flat = rows.flat();
        return { dtype: d, shape: [...l.indicesShape], values: d === "uint32" ? Uint32Array.from(flat) : Int32Array.from(flat) };
      }),
  );
}

export const scatterNumbers = (dn: GatherDimensionNumbers): ScatterDimensionNumbers => ({
  updateWindowDims: dn.offsetDims,
  insertedWindowDims: dn.collapsedSliceDims,
  scatterDimsToOperandDims: dn.startIndexMap,
  operandBatchingDims: dn.operandBatchingDims,
  scatterIndicesBatchingDims: dn.startIndicesBatchingDims,
});

export const gatherParams = (l: GatherLayout, fillValue: number | null = null) => ({
  dimensionNumbers: l.dn, sliceSizes: l.sliceSizes, indicesAreSorted: false, uniqueIndices: false, mode: l.mode, fillValue,
});

export const scatterParams = (l: GatherLayout) => ({
  dimensionNumbers: scatterNumbers(l.dn), indicesAreSorted: false, uniqueIndices: false, mode: l.mode, updateJaxpr: null, updateConsts: [] as never[],
});

const scatterCase = (prim: ScatterPrim, dtypes: readonly DType[]) => ({
  dtypes,
  property: (dtype: DType) =>
    fc.property(
      gatherLayoutArb().chain((l) => fc.tuple(fc.constant(l), hostArb(dtype, l.operandShape), indicesArb(l), hostArb(dtype, l.outShape))),
      ([l, x, i, u]) =>
        checkParity(`${prim} ${JSON.stringify(scatterParams(l))}`, [x, i, u], (...xs: NdArray[]) => bind1(prim, xs, scatterParams(l))),
    ),
});

export const gatherCases: CaseTable<Prim.Gather | ScatterPrim> = {
  [Prim.Gather]: {
    dtypes: ALL_DTYPES,
    property: (dtype) =>
      fc.property(
        gatherLayoutArb().chain((l) => fc.tuple(fc.constant(l), hostArb(dtype, l.operandShape), indicesArb(l), fc.option(fc.integer({ min: -3, max: 3 })))),
        ([l, x, i, fill]) =>
          checkParity(`gather ${JSON.stringify(gatherParams(l, fill))}`, [x, i], (...xs: NdArray[]) => bind1(Prim.Gather, xs, gatherParams(l, fill))),
      ),
  },
  [Prim.Scatter]: scatterCase(Prim.Scatter, ALL_DTYPES),
  [Prim.ScatterAdd]: scatterCase(Prim.ScatterAdd, NUMERIC_DTYPES),
  [Prim.ScatterMul]: scatterCase(Prim.ScatterMul, NUMERIC_DTYPES),
  [Prim.ScatterMin]: scatterCase(Prim.ScatterMin, ALL_DTYPES),
  [Prim.ScatterMax]: scatterCase(Prim.ScatterMax, ALL_DTYPES),
};
