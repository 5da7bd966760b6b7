/**
 * cumsum / cumprod / cummax / cummin: a running reduction along one axis, forwards or
 * (reverse) backwards, with the monoids of the full reductions: floats (float32 too)
 * accumulate in f64 and each output is rounded once; int32/uint32 wrap; max/min
 * propagate NaN and order -0 below +0.
 */
import { Prim, type CumulativePrim } from "../../trace/prim.js";
import { type ImplRule, allocate, first, requireNumeric, stridedOffsets, stridesOf } from "./common.js";
import { type MonoidFor, maxMonoid, minMonoid, prodMonoid, sumMonoid } from "./reduce.js";

function cumulative<P extends CumulativePrim>(prim: P, monoidFor: MonoidFor, allowBool: boolean): ImplRule<P> {
  return (inputs, inAvals, { axis, reverse }) => {
    const aval = first(inAvals);
    if (!allowBool) requireNumeric(prim, aval.dtype);
    const { identity, combine } = monoidFor(aval.dtype);
    const x = first(inputs);
    const out = allocate(aval.dtype, aval.size);
    const strides = stridesOf(aval.shape);
    const len = aval.shape[axis]!;
    const step = strides[axis]!;
    const lines = stridedOffsets(
      aval.shape.map((d, i) => (i === axis ? 1 : d)),
      strides,
    );
    for (const base of lines) {
      let acc = identity;
      for (let j = 0; j < len; j++) {
        const o = base + (reverse ? len - 1 - j : j) * step;
        acc = combine(acc, x[o]!);
        out[o] = acc;
      }
    }
    return [out];
  };
}

export const cumulativeRules = {
  [Prim.Cumsum]: cumulative(Prim.Cumsum, sumMonoid, false),
  [Prim.Cumprod]: cumulative(Prim.Cumprod, prodMonoid, false),
  [Prim.Cummax]: cumulative(Prim.Cummax, maxMonoid, true),
  [Prim.Cummin]: cumulative(Prim.Cummin, minMonoid, true),
} satisfies { [P in Prim]?: ImplRule<P> };
