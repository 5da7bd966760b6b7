/**
 * WASM backend == interpreter backend for the movement primitives and iota (one
 * property per (primitive, dtype) from cases-shape.ts, exact), then views: reading
 * a chain of movement ops directly, and views feeding elementwise kernels, where
 * the WASM backend reads operands through strides (0 for broadcast axes).
 */
import fc from "fast-check";
import { describe, it } from "vitest";
import { isFloat } from "../../src/core/index.js";
import * as lax from "../../src/lax/index.js";
import * as np from "../../src/numpy/index.js";
import type { Array as NdArray } from "../../src/trace/array.js";
import { ALL_DTYPES, NUMERIC_DTYPES, dtypeArb, hostArb, shapeArb } from "../helpers/arbitraries.js";
import { shapeCases } from "../helpers/cases-shape.js";
import { NUM_RUNS, checkParity, exact, runCases, ulps } from "../helpers/parity.js";
import { viewOntoArb } from "../helpers/views.js";

runCases(shapeCases);

describe("views", () => {
  it("a chain of movement ops reads back the same values (then a reshape copies it)", () => {
    const arb = fc
      .tuple(dtypeArb(), shapeArb())
      .chain(([d, target]) => viewOntoArb(target).chain((v) => fc.tuple(hostArb(d, v.hostShape), fc.constant(v), fc.boolean())));
    fc.assert(
      fc.property(arb, ([x, view, flatten]) =>
        checkParity(`${view.name}${flatten ? " then reshape to 1-D" : ""}`, [x], (a) => {
          const v = view.apply(a);
          return flatten ? lax.reshape(v, [v.size]) : v;
        }),
      ),
      { numRuns: NUM_RUNS * 4 },
    );
  });

  const UNARY: Record<string, (x: NdArray) => NdArray> = {
    neg: lax.neg, abs: lax.abs, sign: lax.sign, exp: lax.exp, sqrt: lax.sqrt, tanh: lax.tanh,
    toFloat64: (x) => x.astype("float64"), toInt32: (x) => x.astype("int32"), toBool: (x) => x.astype("bool"),
  };
  const FLOAT_ONLY = new Set(["exp", "sqrt", "tanh"]);

  it("unary kernels and casts read views", () => {
    const arb = fc
      .tuple(dtypeArb(NUMERIC_DTYPES), shapeArb(), fc.constantFrom(...Object.keys(UNARY)))
      .filter(([d, , op]) => isFloat(d) || !FLOAT_ONLY.has(op))
      .chain(([d, target, op]) => viewOntoArb(target).chain((v) => fc.tuple(hostArb(d, v.hostShape), fc.constant(v), fc.constant(op))));
    fc.assert(
      fc.property(arb, ([x, view, op]) =>
        checkParity(`${op} of ${view.name}`, [x], (a) => UNARY[op]!(view.apply(a)), op === "exp" || op === "tanh" ? ulps(4) : exact),
      ),
      { numRuns: NUM_RUNS * 4 },
    );
  });

  const BINARY: Record<string, (x: NdArray, y: NdArray) => NdArray> = {
    add: np.add, multiply: np.multiply, subtract: np.subtract, divide: np.divide,
    maximum: np.maximum, less: np.less, equal: np.equal,
    where: (x, y) => np.where(np.less(x, y), y, x),
  };
  const ANY_DTYPE = new Set(["maximum", "less", "equal", "where"]);

  it("binary kernels (and where) read two views, with mixed dtypes and numpy broadcasting on top", () => {
    const arb = fc
      .tuple(fc.constantFrom(...Object.keys(BINARY)), shapeArb(), fc.boolean())
      .chain(([op, target, lowerRank]) => {
        const dtypes = ANY_DTYPE.has(op) ? ALL_DTYPES : NUMERIC_DTYPES;
        // Optionally the second operand has lower rank: numpy broadcasting over a view.
        const target2 = lowerRank ? target.slice(1) : target;
        return fc.tuple(fc.constant(op), dtypeArb(dtypes), dtypeArb(dtypes), viewOntoArb(target), viewOntoArb(target2));
      })
      .chain(([op, da, db, va, vb]) =>
        fc.tuple(fc.constant(op), hostArb(da, va.hostShape, { small: true }), hostArb(db, vb.hostShape, { small: true }), fc.constant(va), fc.constant(vb)),
      );
    fc.assert(
      fc.property(arb, ([op, x, y, va, vb]) =>
        checkParity(`${op}(${va.name}, ${vb.name})`, [x, y], (a, b) => BINARY[op]!(va.apply(a!), vb.apply(b!))),
      ),
      { numRuns: NUM_RUNS * 4 },
    );
  });
});
