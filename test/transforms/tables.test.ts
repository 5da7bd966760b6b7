// Every primitive appears in every rule table (the types enforce it too; this catches
// a table widened with a cast).
import { describe, expect, test } from "vitest";
import { ALL_PRIMS, KERNEL_PRIMS, Prim, isHigherOrder } from "../../src/trace/prim.js";
import { abstractEvalRules } from "../../src/trace/abstract-eval.js";
import { higherOrderImpls } from "../../src/trace/higher-order.js";
import { jvpRules } from "../../src/transforms/jvp-rules.js";
import { vmapRules } from "../../src/transforms/vmap-rules.js";
import { multiOutputTransposeRules, transposeRules } from "../../src/transforms/transpose-rules.js";
import { implRules } from "../../src/backends/interpreter/rules.js";
import { wasmRules } from "../../src/backends/wasm/backend.js";

/** The linear primitives: those a JVP rule may apply to tangents, so they need a transpose. */
const LINEAR = [
  Prim.Neg, Prim.Add, Prim.Sub, Prim.Mul, Prim.Div, Prim.ConvertElementType, Prim.ReduceSum, Prim.BroadcastInDim,
  Prim.Reshape, Prim.Transpose, Prim.Squeeze, Prim.Slice, Prim.Concatenate, Prim.SelectN, Prim.DotGeneral,
  Prim.CustomLin, Prim.Checkpoint, Prim.Rev, Prim.DynamicSlice, Prim.DynamicUpdateSlice,
  Prim.Gather, Prim.ScatterAdd,
  // linear in its second operand (b)
  Prim.TriangularSolve,
  Prim.ConvGeneralDilated, Prim.ReduceWindowSum,
  Prim.Cumsum,
];

describe("rule tables", () => {
  const missing = (table: object, prims: readonly Prim[]): Prim[] =>
    prims.filter((p) => typeof (table as Record<string, unknown>)[p] !== "function");

  test("abstract eval, JVP and vmap rules for every primitive", () => {
    expect(missing(abstractEvalRules, ALL_PRIMS)).toEqual([]);
    expect(missing(jvpRules, ALL_PRIMS)).toEqual([]);
    expect(missing(vmapRules, ALL_PRIMS)).toEqual([]);
  });

  test("every kernel primitive has an implementation on both backends; higher-order ones an evaluator", () => {
    expect(missing(implRules, KERNEL_PRIMS)).toEqual([]);
    expect(missing(wasmRules, KERNEL_PRIMS)).toEqual([]);
    expect(missing(higherOrderImpls, ALL_PRIMS.filter(isHigherOrder))).toEqual([]);
  });

  test("every linear primitive has a transpose rule", () => {
    const all = { ...transposeRules, ...multiOutputTransposeRules };
    expect(missing(all, LINEAR)).toEqual([]);
    expect(Object.keys(all).sort()).toEqual([...LINEAR].sort());
  });
});
