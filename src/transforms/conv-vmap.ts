/**
 * Batching rules of conv_general_dilated and reduce_window_{sum,max,min} (imported
 * only by vmap-rules.ts, whose table refers to them).
 */
import type { Array } from "../trace/array.js";
import { Prim, type PrimParams, type ReduceWindowParams, type ReduceWindowPrim } from "../trace/prim.js";
import { broadcastTo, scalar } from "../trace/array-ops.js";
import { convShape } from "../trace/conv-shape.js";
import { bind1 } from "../trace/trace.js";
import { mergeAxis, splitAxis } from "./conv-rules.js";
import { moveBatchAxis, type VmapRule } from "./vmap-rules.js";

const conv = (l: Array, r: Array, p: PrimParams<Prim.ConvGeneralDilated>): Array => bind1(Prim.ConvGeneralDilated, [l, r], p);

/**
 * Batching (JAX's _conv_general_dilated_batch_rule): the vmapped axis is folded into
 * the lhs batch (lhs only), the kernel's output features (rhs only), or — both
 * batched — into a group of its own, so one conv computes every example.
 */
export const convVmap: VmapRule<Prim.ConvGeneralDilated> = ([lhs, rhs], [ld, rd], p, size) => {
  const { lhsSpec, rhsSpec, outSpec } = p.dimensionNumbers;
  const G = p.featureGroupCount;
  const B = p.batchGroupCount;
  if (size === 0) {
    // No examples: the result is empty, shaped by one example's output.
    const example = (x: Array, d: number | null) => (d === null ? x.aval : x.aval.update({ shape: x.shape.filter((_, i) => i !== d) }));
    const [out] = convShape([example(lhs!, ld!), example(rhs!, rd!)], p);
    return [[broadcastTo(scalar(0, out!.dtype), [0, ...out!.shape])], [0]];
  }
  if (ld !== null && rd !== null) {
    const l = moveBatchAxis(lhs!, ld!, 0, size);
    const r = mergeAxis(moveBatchAxis(rhs!, rd!, 0, size), 0, rhsSpec[0]!);
    const grouped = B > 1
      ? conv(mergeAxis(l, 0, lhsSpec[0]!), r, { ...p, batchGroupCount: B * size })
      : conv(mergeAxis(l, 0, lhsSpec[1]!), r, { ...p, featureGroupCount: G * size });
    return [[splitAxis(grouped, outSpec[1]!, size)], [outSpec[1]!]];
  }
  if (ld !== null) {
    const l = moveBatchAxis(lhs!, ld!, 0, size);
    const n = lhsSpec[0]!;
    // With batch groups the lhs batch must stay group-major: (group, example, item).
    const folded = B > 1 ? mergeAxis(mergeAxis(splitAxis(l, 1 + n, B), 0, n + 1), n, n) : mergeAxis(l, 0, n);
    return [[splitAxis(conv(folded, rhs!, p), outSpec[0]!, size)], [outSpec[0]!]];
  }
  const r = moveBatchAxis(rhs!, rd!, 0, size);
  const o = rhsSpec[0]!;
  const f = outSpec[1]!;
  if (G === 1 && B === 1) return [[splitAxis(conv(lhs!, mergeAxis(r, 0, o), p), f, size)], [f]];
  // Output features stay group-major: (group, example, feature).
  const q = Math.max(G, B);
  const folded = mergeAxis(mergeAxis(splitAxis(r, 1 + o, q), 0, o + 1), o, o);
  const out = splitAxis(splitAxis(conv(lhs!, folded, p), f, q), f + 1, size);
  return [[mergeAxis(out, f, f + 1)], [f]];
};

/** Batching: the vmapped axis goes first with a window of 1 along it. */
export const reduceWindowVmap =
  <P extends ReduceWindowPrim>(prim: P): VmapRule<P> =>
  ([x], [d], p, size) => {
    const moved = moveBatchAxis(x!, d!, 0, size);
    const params: ReduceWindowParams = {
      windowDimensions: [1, ...p.windowDimensions],
      windowStrides: [1, ...p.windowStrides],
      padding: [[0, 0], ...p.padding],
      baseDilation: [1, ...p.baseDilation],
      windowDilation: [1, ...p.windowDilation],
    };
    return [[bind1(prim, [moved], params)], [0]];
  };
