/**
 * WASM backend == interpreter backend for the reductions: one property per
 * (primitive, dtype) from cases-reduce.ts, then the numpy reductions (axis forms,
 * keepdims, bool sums, mean, flat argmax) and reductions fed by views (transpose,
 * strided slice, broadcast), which the WASM backend reads through strides.
 * Tolerances are stated in cases-reduce.ts.
 */
import fc from "fast-check";
import { describe, it } from "vitest";
import { type DType, isFloat } from "../../src/core/index.js";
import * as lax from "../../src/lax/index.js";
import * as np from "../../src/numpy/index.js";
import type { Array as NdArray } from "../../src/trace/array.js";
import { ALL_DTYPES, NUMERIC_DTYPES, type HostArray, axesArb, dtypeArb, hostArb, shapeArb } from "../helpers/arbitraries.js";
import { reduceCases, sumBound } from "../helpers/cases-reduce.js";
import { NUM_RUNS, type Comparison, bounded, checkParity, exact, runCases, unitRoundoff } from "../helpers/parity.js";
import { viewOntoArb } from "../helpers/views.js";

runCases(reduceCases);

/** Float data for sums: moderate magnitudes so nothing overflows, plus NaN/±Inf/±0. */
const dataArb = (dtypes: readonly DType[] = ALL_DTYPES, shape = shapeArb()): fc.Arbitrary<HostArray> =>
  fc.tuple(dtypeArb(dtypes), shape).chain(([d, s]) => hostArb(d, s, isFloat(d) ? { min: -1e4, max: 1e4 } : { small: true }));

describe("numpy reductions", () => {
  it("sum/prod/max/min with axis as number, negative number, list or null, with and without keepdims", () => {
    const arb = dataArb(ALL_DTYPES, shapeArb({ maxRank: 3, maxDim: 4 })).chain((x) =>
      fc.record({
        x: fc.constant(x),
        fn: fc.constantFrom("sum", "prod", "max", "min"),
        axis: fc.oneof(
          fc.constant(null),
          axesArb(x.shape.length),
          x.shape.length ? fc.integer({ min: -x.shape.length, max: x.shape.length - 1 }) : fc.constant(null),
        ),
        keepdims: fc.boolean(),
      }),
    );
    fc.assert(
      fc.property(arb, ({ x, fn, axis, keepdims }) => {
        const axes = axis === null ? x.shape.map((_, i) => i) : typeof axis === "number" ? [(axis + x.shape.length) % x.shape.length] : axis;
        if ((fn === "max" || fn === "min") && axes.some((a) => x.shape[a] === 0)) return; // np refuses: no identity
        const f = (a: NdArray): NdArray => (np[fn as "sum"])(a, axis, { keepdims });
        let cmp: Comparison = exact;
        if (isFloat(x.dtype) && fn === "sum") cmp = sumBound([x], axes);
        if (isFloat(x.dtype) && fn === "prod") return; // products of arbitrary floats: covered by reduce_prod's bounded case
        checkParity(`np.${fn}(axis=${JSON.stringify(axis)}, keepdims=${keepdims})`, [x], f, cmp);
      }),
      { numRuns: NUM_RUNS * 3 },
    );
  });

  it("mean promotes to float and divides; the bound is the sum's over n plus one rounding", () => {
    const arb = dataArb(NUMERIC_DTYPES).chain((x) => fc.tuple(fc.constant(x), axesArb(x.shape.length)));
    fc.assert(
      fc.property(arb, ([x, axes]) => {
        const n = axes.reduce((k, a) => k * x.shape[a]!, 1);
        const wide = isFloat(x.dtype) ? x.dtype : "float32";
        const sb = sumBound([x], axes, (a) => a.astype(wide));
        const cmp = (o: { values: ArrayLike<number> }): Comparison =>
          sb.kind === "bounded"
            ? bounded(Array.from(o.values, (m, i) => sb.bound[i]! / Math.max(n, 1) + 2 * unitRoundoff(wide) * Math.abs(m)))
            : sb;
        checkParity(`np.mean(axis=${axes})`, [x], (a) => np.mean(a, axes), cmp);
      }),
      { numRuns: NUM_RUNS * 2 },
    );
  });

  it("argmax/argmin without an axis flatten first (keepdims too)", () => {
    const arb = fc.tuple(dtypeArb(), shapeArb({ zeroSize: false }), fc.boolean(), fc.boolean()).chain(([d, s, keepdims, isMax]) =>
      fc.tuple(hostArb(d, s, { small: true }), fc.constant(keepdims), fc.constant(isMax)),
    );
    fc.assert(
      fc.property(arb, ([x, keepdims, isMax]) =>
        checkParity(`np.${isMax ? "argmax" : "argmin"}(keepdims=${keepdims})`, [x], (a) =>
          (isMax ? np.argmax : np.argmin)(a, undefined, { keepdims })),
      ),
      { numRuns: NUM_RUNS },
    );
  });
});

describe("reductions read views (transpose, strided slice, broadcast) like contiguous arrays", () => {
  it("reduce_sum / reduce_max / reduce_min / argmax of a view", () => {
    const arb = fc
      .tuple(dtypeArb(), shapeArb({ minRank: 1 }), fc.constantFrom("reduce_sum", "reduce_max", "reduce_min", "argmax"), fc.nat())
      .chain(([d, target, op, seed]) =>
        viewOntoArb(target).chain((view) =>
          fc.tuple(hostArb(d, view.hostShape, isFloat(d) ? { min: -1e4, max: 1e4 } : { small: true }), fc.constant(view), fc.constant(target), fc.constant(op), fc.constant(seed)),
        ),
      );
    fc.assert(
      fc.property(arb, ([x, view, target, op0, seed]) => {
        const op = op0 === "reduce_sum" && x.dtype === "bool" ? "reduce_max" : op0;
        if (op === "argmax") {
          const nonEmpty = target.flatMap((d, i) => (d > 0 ? [i] : []));
          if (nonEmpty.length === 0) return;
          const ax = nonEmpty[seed % nonEmpty.length]!;
          checkParity(`argmax axis ${ax} of ${view.name}`, [x], (a) => lax.argmax(view.apply(a), ax));
          return;
        }
        const axes = target.flatMap((_, i) => ((seed >> i) & 1 ? [i] : []));
        const reduce = op === "reduce_sum" ? lax.reduceSum : op === "reduce_max" ? lax.reduceMax : lax.reduceMin;
        const cmp = op === "reduce_sum" && isFloat(x.dtype) ? sumBound([x], axes, view.apply) : exact;
        checkParity(`${op} axes=(${axes}) of ${view.name}`, [x], (a) => reduce(view.apply(a), axes), cmp);
      }),
      { numRuns: NUM_RUNS * 4 },
    );
  });
});
