/**
 * Batching of the higher-order primitives: their jaxprs are batched (every output
 * batched at axis 0) and their user rules are wrapped in vmap, so custom derivatives
 * and rematerialisation survive vmap in either order with grad.
 */
import type { ShapedArray } from "../core/index.js";
import type { Array } from "../trace/array.js";
import { ClosedJaxpr, evalJaxpr } from "../trace/jaxpr.js";
import { closureConvert } from "../trace/jaxpr-utils.js";
import { Prim, type CustomVjpBwd, type PrimParams } from "../trace/prim.js";
import { traceToJaxpr } from "../trace/staging.js";
import { bind } from "../trace/trace.js";
import { vmapFlat, vmapFlatTo } from "./vmap.js";
import { moveBatchAxis, type BatchDim } from "./vmap-rules.js";

/** Batched values at axis 0 (unbatched ones stay, or are broadcast when `force`). */
function atZero(vals: readonly Array[], dims: readonly BatchDim[], axisSize: number, force: boolean): [Array[], BatchDim[]] {
  const moved = vals.map((v, i) => (dims[i] === null && !force ? v : moveBatchAxis(v, dims[i]!, 0, axisSize)));
  return [moved, dims.map((d) => (d === null && !force ? null : 0))];
}

/** A jaxpr taking `vals` (batched at 0 where `dims` say) and returning every output batched at 0. */
function batchJaxpr(closed: ClosedJaxpr, axisSize: number, vals: readonly Array[], dims: readonly BatchDim[]) {
  const body = (...xs: Array[]): Array[] =>
    vmapFlatTo((...ys) => evalJaxpr(closed.jaxpr, closed.consts, ys), axisSize, xs, dims, closed.outAvals.map(() => 0));
  return closureConvert(traceToJaxpr(body, vals, "vmap").closedJaxpr);
}

/** The batch dim of a value passed to a batched rule: 0 if it has one more axis than its unbatched type. */
const inferDim = (x: Array, unbatched: ShapedArray): BatchDim => (x.ndim === unbatched.ndim + 1 ? 0 : null);

const batched = (a: ShapedArray, n: number): ShapedArray => a.update({ shape: [n, ...a.shape] });

export function checkpointVmap(
  vals: readonly Array[],
  dims: readonly BatchDim[],
  params: PrimParams<Prim.Checkpoint>,
  axisSize: number,
): [Array[], BatchDim[]] {
  const [moved, at] = atZero(vals, dims, axisSize, false);
  const { jaxpr, consts } = batchJaxpr(params.jaxpr, axisSize, moved, at);
  const outs = bind(Prim.Checkpoint, [...consts, ...moved], { ...params, jaxpr });
  return [outs, outs.map(() => 0)];
}

export function customJvpCallVmap(
  vals: readonly Array[],
  dims: readonly BatchDim[],
  params: PrimParams<Prim.CustomJvpCall>,
  axisSize: number,
): [Array[], BatchDim[]] {
  const [moved, at] = atZero(vals, dims, axisSize, false);
  const { jaxpr, consts } = batchJaxpr(params.callJaxpr, axisSize, moved, at);
  const argAvals = params.callJaxpr.inAvals.slice(params.numConsts);
  const outZeros = params.callJaxpr.outAvals.map(() => 0);
  const n = argAvals.length;
  const jvp = (ps: Array[], ts: Array[]): [Array[], Array[]] => {
    const rule = (...xs: Array[]): Array[] => {
      const [o, t] = params.jvp(xs.slice(0, n), xs.slice(n));
      return [...o, ...t];
    };
    const inDims = [...ps, ...ts].map((x, i) => inferDim(x, argAvals[i % n]!));
    const outs = vmapFlatTo(rule, axisSize, [...ps, ...ts], inDims, [...outZeros, ...outZeros]);
    return [outs.slice(0, outZeros.length), outs.slice(outZeros.length)];
  };
  const outs = bind(Prim.CustomJvpCall, [...consts, ...moved], {
    ...params,
    callJaxpr: jaxpr,
    jvp,
    numConsts: consts.length + params.numConsts,
  });
  return [outs, outs.map(() => 0)];
}

/** Wraps a backward pass to run batched: residuals and cotangents batched at 0, input cotangents too. */
function batchedBwd(bwd: CustomVjpBwd, axisSize: number, numInputs: number): CustomVjpBwd {
  return (res, cts) => {
    const all = [...res, ...cts];
    let present: boolean[] = [];
    const outs = vmapFlatTo(
      (...xs: Array[]) => {
        const r = bwd(xs.slice(0, res.length), xs.slice(res.length));
        present = r.map((c) => c !== null);
        return r.filter((c): c is Array => c !== null);
      },
      axisSize,
      all,
      all.map(() => 0),
      globalThis.Array<BatchDim>(numInputs).fill(0),
    );
    let k = 0;
    return present.map((p) => (p ? outs[k++]! : null));
  };
}

export function customVjpCallVmap(
  vals: readonly Array[],
  dims: readonly BatchDim[],
  params: PrimParams<Prim.CustomVjpCall>,
  axisSize: number,
): [Array[], BatchDim[]] {
  // Every operand is batched, so every input cotangent is batched like its input.
  const [moved, at] = atZero(vals, dims, axisSize, true);
  const { jaxpr, consts } = batchJaxpr(params.callJaxpr, axisSize, moved, at);
  const outZeros = params.callJaxpr.outAvals.map(() => 0);
  const fwd = (ps: Array[]): [Array[], Array[]] => {
    const run = (...xs: Array[]): Array[] => {
      const [o, r] = params.fwd(xs);
      return [...o, ...r];
    };
    const [outs, outDims] = vmapFlat(run, axisSize, ps, ps.map(() => 0));
    const all = outs.map((o, i) => moveBatchAxis(o, outDims[i]!, 0, axisSize));
    return [all.slice(0, outZeros.length), all.slice(outZeros.length)];
  };
  const outs = bind(Prim.CustomVjpCall, [...consts, ...moved], {
    ...params,
    callJaxpr: jaxpr,
    fwd,
    bwd: batchedBwd(params.bwd, axisSize, moved.length - params.numConsts),
    numConsts: consts.length + params.numConsts,
  });
  return [outs, outs.map(() => 0)];
}

export function customLinVmap(
  vals: readonly Array[],
  dims: readonly BatchDim[],
  params: PrimParams<Prim.CustomLin>,
  axisSize: number,
): [Array[], BatchDim[]] {
  const [moved] = atZero(vals, dims, axisSize, true);
  const outs = bind(Prim.CustomLin, moved, {
    ...params,
    bwd: batchedBwd(params.bwd, axisSize, moved.length - params.numRes),
    outAvals: params.outAvals.map((a) => batched(a, axisSize)),
  });
  return [outs, outs.map(() => 0)];
}

