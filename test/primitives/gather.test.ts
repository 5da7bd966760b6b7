/**
 * WASM backend == interpreter backend for gather and the scatter family (one
 * property per (primitive, dtype) from cases-gather.ts, exact), then operands read
 * through views (transposed, reversed, broadcast indices and updates).
 */
import { describe, it } from "vitest";
import fc from "fast-check";
import { Prim } from "../../src/trace/prim.js";
import * as lax from "../../src/lax/index.js";
import { bind1 } from "../../src/trace/trace.js";
import type { Array as NdArray } from "../../src/trace/array.js";
import { hostArb } from "../helpers/arbitraries.js";
import { gatherCases, gatherLayoutArb, gatherParams, indicesArb, scatterParams } from "../helpers/cases-gather.js";
import { NUM_RUNS, checkParity, runCases } from "../helpers/parity.js";

runCases(gatherCases);

describe("gather and scatter read strided views", () => {
  const rev = (x: NdArray) => lax.rev(x, x.shape.map((_, i) => i));
  it("a reversed operand and reversed indices; scatter-add of reversed updates", () => {
    fc.assert(
      fc.property(
        gatherLayoutArb().chain((l) => fc.tuple(fc.constant(l), hostArb("float32", l.operandShape), indicesArb(l), hostArb("float32", l.outShape))),
        ([l, x, i, u]) => {
          checkParity("gather of views", [x, i], (a, b) => bind1(Prim.Gather, [rev(a!), rev(b!)], gatherParams(l)));
          checkParity("scatter-add of views", [x, i, u], (a, b, c) => bind1(Prim.ScatterAdd, [rev(a!), rev(b!), rev(c!)], scatterParams(l)));
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });
});
