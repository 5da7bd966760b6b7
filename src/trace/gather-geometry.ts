/**
 * The shared geometry of gather and scatter, in one canonical form used by
 * abstract evaluation, both backends and the jit encoder.
 *
 * Both ops pair an operand with an "other" array — gather's output, scatter's
 * updates — through the indices: every batch position `b` of the indices (all axes
 * but the last, the index vector) picks a window start in the operand; the window
 * (`window[d]` elements on operand axis d) corresponds to the other array's axes
 * `windowAxis[d]` (null where the window has size 1 and no axis: collapsed or
 * inserted dims, batching dims), and the batch position to its axes `batchAxis`.
 * Start on operand axis `startIndexMap[k]` is component k of the index vector; on
 * `operandBatchingDims[j]` it is b's coordinate on indices axis `indicesBatchingDims[j]`.
 */
import { ArgumentError, type DType, DTypeError, ShapeError, castScalar, fmtShape } from "../core/index.js";
import type { GatherDimensionNumbers, ScatterDimensionNumbers } from "./prim.js";

export interface IndexGeometry {
  readonly operandShape: readonly number[];
  readonly window: readonly number[];
  readonly windowAxis: readonly (number | null)[];
  /** indices.shape without the index vector axis. */
  readonly batchShape: readonly number[];
  readonly batchAxis: readonly number[];
  readonly startIndexMap: readonly number[];
  readonly operandBatchingDims: readonly number[];
  readonly indicesBatchingDims: readonly number[];
  /** Shape of the other array (gather's output, scatter's updates). */
  readonly otherShape: readonly number[];
}

const list = (xs: readonly number[]) => `(${xs.join(", ")})`;

function fail(op: string, what: string): never {
  throw new ShapeError(`${op}: ${what}`);
}

const unique = (xs: readonly number[]) => new Set(xs).size === xs.length;
const sortedUnique = (xs: readonly number[]) => xs.every((x, i) => i === 0 || x > xs[i - 1]!);
const inRange = (xs: readonly number[], n: number) => xs.every((x) => Number.isInteger(x) && x >= 0 && x < n);

/** Checks the index operand and the index-vector maps shared by gather and scatter. */
function checkIndexing(
  op: string,
  operandShape: readonly number[],
  indicesShape: readonly number[],
  indicesDtype: string,
  startIndexMap: readonly number[],
  operandBatchingDims: readonly number[],
  indicesBatchingDims: readonly number[],
  mapName: string,
): void {
  if (indicesDtype !== "int32" && indicesDtype !== "uint32") {
    throw new DTypeError(`${op}: indices must be int32 or uint32, got ${indicesDtype}; cast them with .astype('int32').`);
  }
  const nd = operandShape.length;
  if (indicesShape.length === 0) fail(op, `indices must have rank >= 1 (the last axis is the index vector), got a scalar; reshape it to [1].`);
  const nb = indicesShape.length - 1;
  if (indicesShape[nb] !== startIndexMap.length) {
    fail(op, `the index vector (last axis of indices ${fmtShape(indicesShape)}) has ${indicesShape[nb]} components but ${mapName} ${list(startIndexMap)} names ${startIndexMap.length} operand axes; they must be equal.`);
  }
  if (!inRange(startIndexMap, nd) || !unique(startIndexMap)) fail(op, `${mapName} ${list(startIndexMap)} must name distinct axes of the operand ${fmtShape(operandShape)}.`);
  if (!inRange(operandBatchingDims, nd) || !unique(operandBatchingDims) || operandBatchingDims.some((d) => startIndexMap.includes(d))) {
    fail(op, `operand_batching_dims ${list(operandBatchingDims)} must name distinct operand axes not in ${mapName}.`);
  }
  if (indicesBatchingDims.length !== operandBatchingDims.length || !inRange(indicesBatchingDims, nb) || !unique(indicesBatchingDims)) {
    fail(op, `the indices batching dims ${list(indicesBatchingDims)} must name distinct batch axes of indices ${fmtShape(indicesShape)}, one per operand_batching_dim ${list(operandBatchingDims)}.`);
  }
  operandBatchingDims.forEach((d, j) => {
    if (operandShape[d] !== indicesShape[indicesBatchingDims[j]!]) {
      fail(op, `operand batching axis ${d} (size ${operandShape[d]}) and indices batching axis ${indicesBatchingDims[j]} (size ${indicesShape[indicesBatchingDims[j]!]}) must have equal sizes.`);
    }
  });
}

/** Places `windowAxes` (sorted) among `rank` axes; the remaining axes are the batch axes, in order. */
function interleave(rank: number, windowAxes: readonly number[]): number[] {
  return Array.from({ length: rank }, (_, i) => i).filter((i) => !windowAxes.includes(i));
}

export function gatherGeometry(
  operandShape: readonly number[],
  indicesShape: readonly number[],
  indicesDtype: string,
  dn: GatherDimensionNumbers,
  sliceSizes: readonly number[],
): IndexGeometry {
  const op = "gather";
  const nd = operandShape.length;
  checkIndexing(op, operandShape, indicesShape, indicesDtype, dn.startIndexMap, dn.operandBatchingDims, dn.startIndicesBatchingDims, "start_index_map");
  if (sliceSizes.length !== nd || !sliceSizes.every((s, d) => Number.isInteger(s) && s >= 0 && s <= operandShape[d]!)) {
    fail(op, `slice_sizes ${list(sliceSizes)} do not fit operand ${fmtShape(operandShape)}; need one size per axis with 0 <= size <= the axis length.`);
  }
  const dropped = [...dn.collapsedSliceDims, ...dn.operandBatchingDims];
  if (!inRange(dn.collapsedSliceDims, nd) || !unique(dropped) || dropped.some((d) => sliceSizes[d] !== 1)) {
    fail(op, `collapsed_slice_dims ${list(dn.collapsedSliceDims)} and operand_batching_dims ${list(dn.operandBatchingDims)} must be distinct operand axes with slice size 1 (slice_sizes ${list(sliceSizes)}).`);
  }
  const kept = operandShape.map((_, d) => d).filter((d) => !dropped.includes(d));
  const batchShape = indicesShape.slice(0, -1);
  const rank = batchShape.length + kept.length;
  if (dn.offsetDims.length !== kept.length || !sortedUnique(dn.offsetDims) || !inRange(dn.offsetDims, rank)) {
    fail(op, `offset_dims ${list(dn.offsetDims)} must be ${kept.length} increasing axes of the rank-${rank} output (one per operand axis neither collapsed nor batched).`);
  }
  const batchAxis = interleave(rank, dn.offsetDims);
  const otherShape = new Array<number>(rank);
  dn.offsetDims.forEach((a, k) => (otherShape[a] = sliceSizes[kept[k]!]!));
  batchAxis.forEach((a, k) => (otherShape[a] = batchShape[k]!));
  return {
    operandShape, window: [...sliceSizes], batchShape, batchAxis, otherShape,
    windowAxis: operandShape.map((_, d) => (kept.includes(d) ? dn.offsetDims[kept.indexOf(d)]! : null)),
    startIndexMap: dn.startIndexMap, operandBatchingDims: dn.operandBatchingDims, indicesBatchingDims: dn.startIndicesBatchingDims,
  };
}

export function scatterGeometry(
  op: string,
  operandShape: readonly number[],
  indicesShape: readonly number[],
  indicesDtype: string,
  updatesShape: readonly number[],
  dn: ScatterDimensionNumbers,
): IndexGeometry {
  const nd = operandShape.length;
  checkIndexing(op, operandShape, indicesShape, indicesDtype, dn.scatterDimsToOperandDims, dn.operandBatchingDims, dn.scatterIndicesBatchingDims, "scatter_dims_to_operand_dims");
  const dropped = [...dn.insertedWindowDims, ...dn.operandBatchingDims];
  if (!inRange(dn.insertedWindowDims, nd) || !unique(dropped)) {
    fail(op, `inserted_window_dims ${list(dn.insertedWindowDims)} and operand_batching_dims ${list(dn.operandBatchingDims)} must be distinct operand axes.`);
  }
  const kept = operandShape.map((_, d) => d).filter((d) => !dropped.includes(d));
  const batchShape = indicesShape.slice(0, -1);
  const rank = batchShape.length + kept.length;
  if (updatesShape.length !== rank || dn.updateWindowDims.length !== kept.length || !sortedUnique(dn.updateWindowDims) || !inRange(dn.updateWindowDims, rank)) {
    fail(op, `updates ${fmtShape(updatesShape)} must have rank ${rank} (the indices' ${batchShape.length} batch axes and ${kept.length} window axes), with update_window_dims ${list(dn.updateWindowDims)} ${kept.length} increasing axes among them.`);
  }
  const batchAxis = interleave(rank, dn.updateWindowDims);
  batchAxis.forEach((a, k) => {
    if (updatesShape[a] !== batchShape[k]) fail(op, `updates ${fmtShape(updatesShape)} axis ${a} must match indices ${fmtShape(indicesShape)} batch axis ${k} (size ${batchShape[k]}).`);
  });
  const window = operandShape.map((_, d) => (kept.includes(d) ? updatesShape[dn.updateWindowDims[kept.indexOf(d)]!]! : 1));
  if (window.some((w, d) => w > operandShape[d]!)) {
    fail(op, `the update window ${list(window)} does not fit operand ${fmtShape(operandShape)}.`);
  }
  return {
    operandShape, window, batchShape, batchAxis, otherShape: [...updatesShape],
    windowAxis: operandShape.map((_, d) => (kept.includes(d) ? dn.updateWindowDims[kept.indexOf(d)]! : null)),
    startIndexMap: dn.scatterDimsToOperandDims, operandBatchingDims: dn.operandBatchingDims, indicesBatchingDims: dn.scatterIndicesBatchingDims,
  };
}

/** Throws unless `mode` is a GatherScatterMode. */
export function modeCheck(op: string, mode: string): void {
  if (mode !== "clip" && mode !== "fill" && mode !== "promise_in_bounds") {
    throw new ArgumentError(`${op}: mode must be "clip", "fill" or "promise_in_bounds", got ${JSON.stringify(mode)}.`);
  }
}

/** gather's fill value for mode "fill", as a value of `dtype` (JAX's defaults when fill_value is None). */
export function gatherFillValue(dtype: DType, fillValue: number | null): number {
  if (fillValue !== null) return castScalar(fillValue, dtype);
  if (dtype === "float32" || dtype === "float64") return NaN;
  if (dtype === "int32") return -2147483648;
  if (dtype === "uint32") return 4294967295;
  return 1;
}
