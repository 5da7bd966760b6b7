/**
 * sort: the operands' lines along `dimension` permuted together, the permutation
 * being a stable sort of the line's indices by the first `numKeys` operands,
 * lexicographically. NaN orders after every number (and equal to NaN); -0 and +0
 * are equal, so they keep their input order (JAX canonicalizes -0 to 0 for its
 * comparator). Array.prototype.sort is stable, so ties keep their input order.
 */
import { Prim } from "../../trace/prim.js";
import { type ImplRule, allocate, first, stridedOffsets, stridesOf } from "./common.js";

/** NaN-last order on numbers (bool and integers are numbers here too). */
function nanLastCompare(a: number, b: number): number {
  const [na, nb] = [Number.isNaN(a), Number.isNaN(b)];
  if (na || nb) return na === nb ? 0 : na ? 1 : -1;
  return a < b ? -1 : a > b ? 1 : 0;
}

export const sortRule: ImplRule<Prim.Sort> = (inputs, inAvals, { dimension, numKeys }) => {
  const aval = first(inAvals);
  const outs = inAvals.map((a) => allocate(a.dtype, a.size));
  if (aval.size === 0) return outs;
  const strides = stridesOf(aval.shape);
  const len = aval.shape[dimension]!;
  const step = strides[dimension]!;
  const keys = inputs.slice(0, numKeys);
  const lines = stridedOffsets(aval.shape.map((d, i) => (i === dimension ? 1 : d)), strides);
  const order = Array.from({ length: len }, (_, i) => i);
  for (const base of lines) {
    const at = (i: number): number => base + i * step;
    order.forEach((_, i) => (order[i] = i));
    order.sort((i, j) => {
      for (const k of keys) {
        const c = nanLastCompare(k[at(i)]!, k[at(j)]!);
        if (c !== 0) return c;
      }
      return 0;
    });
    inputs.forEach((x, n) => order.forEach((src, j) => (outs[n]![at(j)] = x[at(src)]!)));
  }
  return outs;
};
