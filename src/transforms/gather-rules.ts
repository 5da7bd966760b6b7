/**
 * JVP, transpose and batching rules of gather and the scatter family, following
 * JAX's jax/_src/lax/slicing.py: gather is linear in the operand (its transpose a
 * scatter-add), scatter-add linear in operand and updates (the updates' transpose
 * a gather); vmap turns batch axes into operand/indices batching dims.
 *
 * The rules are function declarations: the rule tables and this module import each
 * other, and declarations are initialised before either module body runs.
 */
import { isFloat } from "../core/index.js";
import * as lax from "../lax/index.js";
import type { Array } from "../trace/array.js";
import { broadcastTo, scalar } from "../trace/array-ops.js";
import type { GatherDimensionNumbers, PrimParams, ScatterDimensionNumbers, ScatterPrim } from "../trace/prim.js";
import { Prim } from "../trace/prim.js";
import { gatherGeometry } from "../trace/gather-geometry.js";
import { bind1 } from "../trace/trace.js";
import type { JvpRule } from "./jvp-rules.js";
import { type TransposeRule, isLinear } from "./transpose-rules.js";
import type { UndefinedPrimal } from "./transpose.js";
import { type BatchDim, type VmapRule, moveBatchAxis } from "./vmap-rules.js";
import { Zero, instantiate, isZero } from "./zero.js";

type ScatterParams = PrimParams<Prim.ScatterAdd>;
const zerosLike = (shape: readonly number[], like: Array): Array => broadcastTo(scalar(0, like.dtype, like.weakType), shape);
const inc = (xs: readonly number[]): number[] => xs.map((a) => a + 1);

/** The gather that reads back what a scatter with `dn` wrote (and the scatter a gather's transpose needs). */
function gatherOfScatter(dn: ScatterDimensionNumbers, operandShape: readonly number[], updatesShape: readonly number[]): [GatherDimensionNumbers, number[]] {
  const dropped = [...dn.insertedWindowDims, ...dn.operandBatchingDims];
  const kept = operandShape.map((_, d) => d).filter((d) => !dropped.includes(d));
  const sliceSizes = operandShape.map((_, d) => (kept.includes(d) ? updatesShape[dn.updateWindowDims[kept.indexOf(d)]!]! : 1));
  return [
    {
      offsetDims: dn.updateWindowDims,
      collapsedSliceDims: dn.insertedWindowDims,
      startIndexMap: dn.scatterDimsToOperandDims,
      operandBatchingDims: dn.operandBatchingDims,
      startIndicesBatchingDims: dn.scatterIndicesBatchingDims,
    },
    sliceSizes,
  ];
}

function scatterOfGather(dn: GatherDimensionNumbers): ScatterDimensionNumbers {
  return {
    updateWindowDims: dn.offsetDims,
    insertedWindowDims: dn.collapsedSliceDims,
    scatterDimsToOperandDims: dn.startIndexMap,
    operandBatchingDims: dn.operandBatchingDims,
    scatterIndicesBatchingDims: dn.startIndicesBatchingDims,
  };
}

const scatterParams = (p: ScatterParams | PrimParams<Prim.Gather>, dn: ScatterDimensionNumbers): ScatterParams => ({
  dimensionNumbers: dn,
  indicesAreSorted: p.indicesAreSorted,
  uniqueIndices: p.uniqueIndices,
  mode: p.mode,
  updateJaxpr: null,
  updateConsts: [],
});

/** Reads back, per update element, the value a scatter left at its target (fill 0 where dropped). */
function readBack(x: Array, indices: Array, updatesShape: readonly number[], p: ScatterParams): Array {
  const [dn, sliceSizes] = gatherOfScatter(p.dimensionNumbers, x.shape, updatesShape);
  return bind1(Prim.Gather, [x, indices], {
    dimensionNumbers: dn, sliceSizes, indicesAreSorted: p.indicesAreSorted, uniqueIndices: p.uniqueIndices, mode: p.mode, fillValue: 0,
  });
}

// --- JVP ------------------------------------------------------------------------------------

/** JAX's _gather_jvp_rule: the same gather of the tangent, filling with 0. */
export function gatherJvp(...[[x, idx], [t], p]: Parameters<JvpRule<Prim.Gather>>): ReturnType<JvpRule<Prim.Gather>> {
  const ans = bind1(Prim.Gather, [x!, idx!], p);
  if (isZero(t!)) return [[ans], [new Zero(ans.aval)]];
  return [[ans], [bind1(Prim.Gather, [t!, idx!], { ...p, fillValue: 0 })]];
};

export function scatterAddJvp(...[[x, idx, u], [tx, , tu], p]: Parameters<JvpRule<Prim.ScatterAdd>>): ReturnType<JvpRule<Prim.ScatterAdd>> {
  const ans = bind1(Prim.ScatterAdd, [x!, idx!, u!], p);
  if (isZero(tx!) && isZero(tu!)) return [[ans], [new Zero(ans.aval)]];
  return [[ans], [bind1(Prim.ScatterAdd, [instantiate(tx!), idx!, instantiate(tu!)], p)]];
};

/**
 * JAX's _scatter_jvp: with repeated indices only the last update reaching an
 * element counts. Each update gets an id (1, 2, ...; 0 stands for the operand),
 * ids are scattered, read back, and operand and update tangents are masked to the
 * winners, then scatter-added.
 */
export function scatterJvp(...[[x, idx, u], [tx, , tu], p]: Parameters<JvpRule<Prim.Scatter>>): ReturnType<JvpRule<Prim.Scatter>> {
  const ans = bind1(Prim.Scatter, [x!, idx!, u!], p);
  if ((isZero(tx!) && isZero(tu!)) || !isFloat(x!.dtype)) return [[ans], [new Zero(ans.aval)]];
  const [gx, gu] = [instantiate(tx!), instantiate(tu!)];
  if (p.uniqueIndices) return [[ans], [bind1(Prim.Scatter, [gx, idx!, gu], p)]];
  const windowDims = p.dimensionNumbers.updateWindowDims;
  const idsShape = u!.shape.map((d, a) => (windowDims.includes(a) ? 1 : d));
  const n = idsShape.reduce((a, b) => a * b, 1);
  const ids = broadcastTo(lax.reshape(lax.add(lax.iota("int32", n), 1), idsShape), u!.shape);
  const scatteredIds = bind1(Prim.Scatter, [zerosLike(x!.shape, ids), idx!, ids], p);
  const wonIds = readBack(scatteredIds, idx!, u!.shape, p);
  const keepX = lax.eq(scatteredIds, 0);
  const keepU = lax.eq(ids, wonIds);
  const t = bind1(Prim.ScatterAdd, [lax.selectN(keepX, zerosLike(x!.shape, gx), gx), idx!, lax.selectN(keepU, zerosLike(u!.shape, gu), gu)], p);
  return [[ans], [t]];
};

/**
 * scatter-mul's JVP (JAX's rule): the result is x times P = scatter_mul(ones, i, y),
 * so the operand's tangent is t_x * P (written with mul, which transposes); the
 * updates' needs unique indices, as in JAX.
 */
export function scatterMulJvp(...[[x, idx, u], [tx, , tu], p]: Parameters<JvpRule<Prim.ScatterMul>>): ReturnType<JvpRule<Prim.ScatterMul>> {
  const ans = bind1(Prim.ScatterMul, [x!, idx!, u!], p);
  const parts: Array[] = [];
  if (!isZero(tx!)) parts.push(lax.mul(tx!, bind1(Prim.ScatterMul, [broadcastTo(scalar(1, x!.dtype), x!.shape), idx!, u!], p)));
  if (!isZero(tu!)) {
    if (!p.uniqueIndices) {
      throw new Error(
        "scatter-mul: the derivative with respect to the updates is only implemented for unique indices (as in JAX); pass uniqueIndices: true when the indices do not repeat.",
      );
    }
    parts.push(lax.mul(x!, bind1(Prim.ScatterAdd, [zerosLike(x!.shape, x!), idx!, tu!], p)));
  }
  if (parts.length === 0) return [[ans], [new Zero(ans.aval)]];
  return [[ans], [parts.reduce((a, b) => lax.add(a, b))]];
};

/**
 * scatter-min / scatter-max: the tangent is averaged over the operand element and
 * the updates that attain the result (as reduce_max's JVP averages over ties).
 */
export function scatterExtremalJvp<P extends Prim.ScatterMin | Prim.ScatterMax>(prim: P): JvpRule<P> {
  return ([x, idx, u], [tx, , tu], p) => {
    const ans = bind1(prim, [x!, idx!, u!], p);
    if ((isZero(tx!) && isZero(tu!)) || !isFloat(x!.dtype)) return [[ans], [new Zero(ans.aval)]];
    const q = p as ScatterParams;
    const fx = lax.convertElementType(lax.eq(x!, ans), x!.dtype);
    const fu = lax.convertElementType(lax.eq(u!, readBack(ans, idx!, u!.shape, q)), x!.dtype);
    const add = (a: Array, b: Array) => bind1(Prim.ScatterAdd, [a, idx!, b], q);
    const count = add(fx, fu);
    const num = add(lax.mul(instantiate(tx!), fx), lax.mul(instantiate(tu!), fu));
    return [[ans], [lax.div(num, count)]];
  };
}

// --- transpose ------------------------------------------------------------------------------

/** JAX's _gather_transpose_rule: scatter-add the cotangent into zeros. */
export function gatherT(...[ct, [x, idx], p]: Parameters<TransposeRule<Prim.Gather>>): ReturnType<TransposeRule<Prim.Gather>> {
  const shape = (x as UndefinedPrimal).aval.shape;
  const out = bind1(Prim.ScatterAdd, [zerosLike(shape, ct), idx as Array, ct], scatterParams(p, scatterOfGather(p.dimensionNumbers)));
  return [out, null];
};

/** JAX's _scatter_add_transpose_rule: the operand gets the cotangent, the updates gather it. */
export function scatterAddT(...[ct, [x, idx, u], p]: Parameters<TransposeRule<Prim.ScatterAdd>>): ReturnType<TransposeRule<Prim.ScatterAdd>> {
  const uShape = isLinear(u) ? u.aval.shape : (u as Array).shape;
  return [isLinear(x) ? ct : null, null, isLinear(u) ? readBack(ct, idx as Array, uShape, p) : null];
};

// --- vmap -----------------------------------------------------------------------------------

/** JAX's _gather_batching_rule: a batched operand adds a window axis or a batching dim. */
export function gatherVmap(...[[x, idx], [xd, id], p, n]: Parameters<VmapRule<Prim.Gather>>): ReturnType<VmapRule<Prim.Gather>> {
  const dn = p.dimensionNumbers;
  if (id === null) {
    const ops = moveBatchAxis(x!, xd!, 0, n);
    const dimensionNumbers: GatherDimensionNumbers = {
      offsetDims: [0, ...inc(dn.offsetDims)],
      collapsedSliceDims: inc(dn.collapsedSliceDims),
      startIndexMap: inc(dn.startIndexMap),
      operandBatchingDims: inc(dn.operandBatchingDims),
      startIndicesBatchingDims: dn.startIndicesBatchingDims,
    };
    return [[bind1(Prim.Gather, [ops, idx!], { ...p, dimensionNumbers, sliceSizes: [n, ...p.sliceSizes] })], [0]];
  }
  const ind = moveBatchAxis(idx!, id!, 0, n);
  if (xd === null) {
    const dimensionNumbers = { ...dn, offsetDims: inc(dn.offsetDims), startIndicesBatchingDims: inc(dn.startIndicesBatchingDims) };
    return [[bind1(Prim.Gather, [x!, ind], { ...p, dimensionNumbers })], [0]];
  }
  const ops = moveBatchAxis(x!, xd!, 0, n);
  if (n === 0) {
    // An empty batch: the batching dim would need a window of 1 on an axis of size 0.
    const g = gatherGeometry(ops.shape.slice(1), ind.shape.slice(1), ind.dtype, dn, p.sliceSizes);
    return [[zerosLike([0, ...g.otherShape], ops)], [0]];
  }
  const dimensionNumbers: GatherDimensionNumbers = {
    offsetDims: inc(dn.offsetDims),
    collapsedSliceDims: inc(dn.collapsedSliceDims),
    startIndexMap: inc(dn.startIndexMap),
    operandBatchingDims: [0, ...inc(dn.operandBatchingDims)],
    startIndicesBatchingDims: [0, ...inc(dn.startIndicesBatchingDims)],
  };
  return [[bind1(Prim.Gather, [ops, ind], { ...p, dimensionNumbers, sliceSizes: [1, ...p.sliceSizes] })], [0]];
};

/** JAX's _scatter_batching_rule: operand and updates batched on axis 0; batched indices become batching dims. */
export function scatterVmap<P extends ScatterPrim>(prim: P): VmapRule<P> {
  return ([x, idx, u], [xd, id, ud], params, n) => {
    const p = params as ScatterParams;
    const dn = p.dimensionNumbers;
    const ops = moveBatchAxis(x!, xd!, 0, n);
    const upd = moveBatchAxis(u!, ud as BatchDim, 0, n);
    const common = {
      insertedWindowDims: inc(dn.insertedWindowDims),
      scatterDimsToOperandDims: inc(dn.scatterDimsToOperandDims),
    };
    if (id === null) {
      const dimensionNumbers: ScatterDimensionNumbers = {
        ...common,
        updateWindowDims: [0, ...inc(dn.updateWindowDims)],
        operandBatchingDims: inc(dn.operandBatchingDims),
        scatterIndicesBatchingDims: dn.scatterIndicesBatchingDims,
      };
      return [[bind1(prim, [ops, idx!, upd], { ...p, dimensionNumbers } as PrimParams<P>)], [0]];
    }
    if (n === 0) return [[ops], [0]]; // nothing to scatter into an empty batch
    const dimensionNumbers: ScatterDimensionNumbers = {
      ...common,
      updateWindowDims: inc(dn.updateWindowDims),
      operandBatchingDims: [0, ...inc(dn.operandBatchingDims)],
      scatterIndicesBatchingDims: [0, ...inc(dn.scatterIndicesBatchingDims)],
    };
    return [[bind1(prim, [ops, moveBatchAxis(idx!, id!, 0, n), upd], { ...p, dimensionNumbers } as PrimParams<P>)], [0]];
  };
}
