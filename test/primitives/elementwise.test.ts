/**
 * WASM backend == interpreter backend for the elementwise primitives: one property
 * per (primitive, dtype) from cases-elementwise.ts, then the numpy layer on top:
 * numpy broadcasting (ranks differ, size-1 axes, zero-size dims), dtype promotion
 * between arrays and JS scalars, where(), and select_n's out-of-range indices.
 */
import fc from "fast-check";
import { describe, it } from "vitest";
import * as np from "../../src/numpy/index.js";
import type { Array as NdArray } from "../../src/trace/array.js";
import { Prim } from "../../src/trace/prim.js";
import { bind1 } from "../../src/trace/trace.js";
import {
  ALL_DTYPES,
  FLOAT_DTYPES,
  NUMERIC_DTYPES,
  broadcastPairArb,
  broadcastableTo,
  dtypeArb,
  hostArb,
  shapeArb,
} from "../helpers/arbitraries.js";
import { elementwiseCases, laxOperandsArb, laxOutShape } from "../helpers/cases-elementwise.js";
import { NUM_RUNS, checkParity, exact, runCases, ulps } from "../helpers/parity.js";

runCases(elementwiseCases);

type NpBinary = (x: NdArray | number, y: NdArray | number) => NdArray;
const ARITH: Record<string, NpBinary> = {
  add: np.add, subtract: np.subtract, multiply: np.multiply, divide: np.divide,
};
const ANY: Record<string, NpBinary> = {
  maximum: np.maximum, minimum: np.minimum, equal: np.equal, notEqual: np.notEqual,
  less: np.less, lessEqual: np.lessEqual, greater: np.greater, greaterEqual: np.greaterEqual,
};
const ALL_BINARY: Record<string, NpBinary> = { ...ARITH, ...ANY, power: np.power };

/** An np binary op and operand dtypes it accepts (arithmetic refuses bool; power wants floats to stay in ulps). */
const opAndDtypes = fc.constantFrom(...Object.keys(ALL_BINARY)).chain((name) => {
  const dtypes = name in ANY ? ALL_DTYPES : name === "power" ? FLOAT_DTYPES : NUMERIC_DTYPES;
  return fc.tuple(fc.constant(name), dtypeArb(dtypes), dtypeArb(dtypes));
});
const cmpFor = (name: string) => (name === "power" ? ulps(4) : exact);

describe("numpy-level binary ops broadcast and promote identically", () => {
  it("array op array: numpy broadcasting across ranks, size-1 axes and zero-size dims, mixed dtypes", () => {
    const arb = fc.tuple(opAndDtypes, broadcastPairArb()).chain(([[name, da, db], [sa, sb]]) =>
      fc.tuple(fc.constant(name), hostArb(da, sa), hostArb(db, sb)),
    );
    fc.assert(
      fc.property(arb, ([name, a, b]) => checkParity(`np.${name}`, [a, b], (x, y) => ALL_BINARY[name]!(x!, y!), cmpFor(name))),
      { numRuns: NUM_RUNS * 4 },
    );
  });

  it("array op JS scalar and JS scalar op array (weak types), both operand orders", () => {
    const scalarArb = fc.oneof(fc.integer({ min: -5, max: 5 }), fc.constantFrom(0.5, -2.25, 1e-3, 3.75));
    const arb = fc.tuple(opAndDtypes, shapeArb(), scalarArb, fc.boolean()).chain(([[name, d], shape, s, left]) =>
      fc.tuple(fc.constant(name), hostArb(d, shape, { small: true }), fc.constant(s), fc.constant(left)),
    );
    fc.assert(
      fc.property(arb, ([name, a, s, left]) =>
        checkParity(`np.${name} with scalar ${s} on the ${left ? "left" : "right"}`, [a], (x) =>
          left ? ALL_BINARY[name]!(s, x!) : ALL_BINARY[name]!(x!, s), cmpFor(name)),
      ),
      { numRuns: NUM_RUNS * 4 },
    );
  });

  it("unary numpy functions on every dtype (ints and bools promote to float32 first)", () => {
    const fns: Record<string, (x: NdArray) => NdArray> = {
      exp: np.exp, log: np.log, sin: np.sin, cos: np.cos, tanh: np.tanh, sqrt: np.sqrt, square: np.square,
    };
    const arb = fc.tuple(fc.constantFrom(...Object.keys(fns)), dtypeArb(NUMERIC_DTYPES), shapeArb()).chain(([name, d, s]) =>
      fc.tuple(fc.constant(name), hostArb(d, s, d.startsWith("float") ? { min: -50, max: 50 } : { min: -1000, max: 1000 })),
    );
    fc.assert(
      fc.property(arb, ([name, a]) => checkParity(`np.${name}`, [a], (x) => fns[name]!(x!), name === "square" ? ulps(6) : ulps(4))),
      { numRuns: NUM_RUNS * 2 },
    );
  });

  it("where(cond, x, y) broadcasts three shapes and promotes the branches", () => {
    const arb = shapeArb()
      .chain((out) => fc.tuple(broadcastableTo(out), broadcastableTo(out), broadcastableTo(out)))
      .chain(([sc, sx, sy]) =>
        fc.tuple(dtypeArb(), dtypeArb()).chain(([dx, dy]) =>
          fc.tuple(hostArb("bool", sc), hostArb(dx, sx), hostArb(dy, sy)),
        ),
      );
    fc.assert(fc.property(arb, (xs) => checkParity("np.where", xs, (c, x, y) => np.where(c!, x!, y!))), { numRuns: NUM_RUNS * 2 });
  });
});

describe("select_n with an out-of-range int32 predicate", () => {
  // The interpreter clamps (below 0 -> first case, past the end -> last), which is what
  // JAX's lowering to a tree of `which < mid` selects computes.
  it("clamps like the interpreter", () => {
    const arb = fc.integer({ min: 1, max: 3 }).chain((n) =>
      fc.tuple(dtypeArb(), fc.constant(n)).chain(([d, k]) =>
        laxOperandsArb(k, d).chain((cs) =>
          hostArb("int32", laxOutShape(cs.map((c) => c.shape)), { min: -3, max: k + 2 }).map((p) => [p, ...cs]),
        ),
      ),
    );
    fc.assert(fc.property(arb, (xs) => checkParity("select_n clamped", xs, (...as: NdArray[]) => bind1(Prim.SelectN, as, {}))), {
      numRuns: NUM_RUNS,
    });
  });
});
