/**
 * gather and the scatter family, element by element over the canonical geometry
 * (src/trace/gather-geometry.ts): for each batch position of the indices, the
 * window start (clamped into range, or out of range: gather fills, scatter drops),
 * then each window element paired with its element of the other array.
 */
import { type ShapedArray, type TypedArray, shapeSize, unravelIndex } from "../../core/index.js";
import { type IndexGeometry, gatherFillValue, gatherGeometry, scatterGeometry } from "../../trace/gather-geometry.js";
import { type GatherScatterMode, Prim, type ScatterPrim } from "../../trace/prim.js";
import { type ImplRule, allocate, first, stridesOf } from "./common.js";
import { binaryRules } from "./elementwise.js";


/**
 * Calls `visit(operandOffset, otherOffset)` for every window element of every batch
 * position whose window is in range (or clamped into range); `outside(otherOffset)`
 * for the elements of windows dropped by mode "fill".
 */
function walk(
  g: IndexGeometry,
  indices: TypedArray,
  mode: GatherScatterMode,
  visit: (operandAt: number, otherAt: number) => void,
  outside: (otherAt: number) => void,
): void {
  const oStrides = stridesOf(g.operandShape);
  const xStrides = stridesOf(g.otherShape);
  const nvec = g.startIndexMap.length;
  const nWindow = shapeSize(g.window);
  for (let b = 0; b < shapeSize(g.batchShape); b++) {
    const bc = unravelIndex(b, g.batchShape);
    const start = g.operandShape.map(() => 0);
    g.startIndexMap.forEach((d, k) => (start[d] = Number(indices[b * nvec + k])));
    g.operandBatchingDims.forEach((d, j) => (start[d] = bc[g.indicesBatchingDims[j]!]!));
    const limit = g.operandShape.map((n, d) => n - g.window[d]!);
    const inRange = start.every((s, d) => s >= 0 && s <= limit[d]!);
    const base = bc.reduce((acc, c, k) => acc + c * xStrides[g.batchAxis[k]!]!, 0);
    for (let w = 0; w < nWindow; w++) {
      const wc = unravelIndex(w, g.window);
      const otherAt = wc.reduce((acc, c, d) => acc + (g.windowAxis[d] === null ? 0 : c * xStrides[g.windowAxis[d]!]!), base);
      if (!inRange && mode === "fill") {
        outside(otherAt);
        continue;
      }
      const operandAt = wc.reduce((acc, c, d) => acc + (Math.min(Math.max(start[d]!, 0), limit[d]!) + c) * oStrides[d]!, 0);
      visit(operandAt, otherAt);
    }
  }
}

export const gatherRule: ImplRule<Prim.Gather> = ([x, indices], inAvals, p, outAvals) => {
  const [a, idx] = inAvals as [ShapedArray, ShapedArray];
  const g = gatherGeometry(a.shape, idx.shape, idx.dtype, p.dimensionNumbers, p.sliceSizes);
  const out = allocate(a.dtype, first(outAvals).size);
  const fill = gatherFillValue(a.dtype, p.fillValue);
  walk(g, indices!, p.mode, (o, at) => (out[at] = x![o]!), (at) => (out[at] = fill));
  return [out];
};

/** How each scatter combines the operand's value with an update (the elementwise kernels' arithmetic). */
const COMBINE: Record<ScatterPrim, Prim.Add | Prim.Mul | Prim.Max | Prim.Min | null> = {
  [Prim.Scatter]: null,
  [Prim.ScatterAdd]: Prim.Add,
  [Prim.ScatterMul]: Prim.Mul,
  [Prim.ScatterMin]: Prim.Min,
  [Prim.ScatterMax]: Prim.Max,
};

/** Updates apply in row-major order over the updates; with repeated indices the later one wins (scatter). */
const scatterRule =
  <P extends ScatterPrim>(prim: P): ImplRule<P> =>
  ([x, indices, updates], inAvals, p) => {
    const [a, idx, u] = inAvals as [ShapedArray, ShapedArray, ShapedArray];
    const g = scatterGeometry(prim, a.shape, idx.shape, idx.dtype, u.shape, p.dimensionNumbers);
    const out = x!.slice();
    const op = COMBINE[prim];
    const pairs: [number, number][] = [];
    walk(g, indices!, p.mode, (o, at) => pairs.push([o, at]), () => {});
    if (op === null) {
      for (const [o, at] of pairs) out[o] = updates![at]!;
      return [out];
    }
    // One binary kernel call per update element keeps the arithmetic identical to the elementwise op.
    const scalarAval = a.update({ shape: [] });
    const combine = binaryRules[op] as ImplRule<Prim.Add>;
    const one = allocate(a.dtype, 1);
    const two = allocate(a.dtype, 1);
    for (const [o, at] of pairs) {
      one[0] = out[o]!;
      two[0] = updates![at]!;
      out[o] = combine([one, two], [scalarAval, scalarAval], {}, [scalarAval])[0]![0]!;
    }
    return [out];
  };

export const gatherRules = {
  [Prim.Gather]: gatherRule,
  [Prim.Scatter]: scatterRule(Prim.Scatter),
  [Prim.ScatterAdd]: scatterRule(Prim.ScatterAdd),
  [Prim.ScatterMul]: scatterRule(Prim.ScatterMul),
  [Prim.ScatterMin]: scatterRule(Prim.ScatterMin),
  [Prim.ScatterMax]: scatterRule(Prim.ScatterMax),
} satisfies { [P in Prim]?: ImplRule<P> };
