/**
 * The linear-algebra primitives: WASM equals the interpreter (cases-linalg.ts), and
 * abstract evaluation rejects bad operands with messages naming the op, the shapes
 * and dtypes, and the fix.
 */
import { describe, expect, it } from "vitest";
import { DTypeError, ShapeError, ShapedArray } from "../../src/core/index.js";
import { abstractEval } from "../../src/trace/abstract-eval.js";
import { Prim } from "../../src/trace/prim.js";
import { linalgCases } from "../helpers/cases-linalg.js";
import { runCases } from "../helpers/parity.js";

runCases(linalgCases);

const f32 = (...shape: number[]) => new ShapedArray(shape, "float32");
const solveParams = { leftSide: true, lower: true, transposeA: false, conjugateA: false, unitDiagonal: false };

describe("linear algebra: abstract evaluation errors", () => {
  it("rank < 2 names the op, the operand and the fix", () => {
    expect(() => abstractEval(Prim.Cholesky, [f32(3)], {})).toThrow(ShapeError);
    expect(() => abstractEval(Prim.Cholesky, [f32(3)], {})).toThrow(/cholesky: needs a matrix .* got f32\[3\] of rank 1; reshape to \[\.\.\., m, n\]/);
    expect(() => abstractEval(Prim.Svd, [f32()], { fullMatrices: true, computeUv: true, subsetByIndex: null, algorithm: null })).toThrow(/svd: needs a matrix/);
  });
  it("non-square where square is required", () => {
    expect(() => abstractEval(Prim.Eigh, [f32(2, 3, 4)], { lower: true, sortEigenvalues: true, subsetByIndex: null, algorithm: null })).toThrow(
      /eigh: needs square matrices in the last two axes, got f32\[2,3,4\] \(3x4\)/,
    );
    expect(() => abstractEval(Prim.TriangularSolve, [f32(3, 4), f32(3, 2)], solveParams)).toThrow(/triangular_solve: needs square/);
  });
  it("integer dtypes are rejected with a cast hint", () => {
    const i = new ShapedArray([2, 2], "int32");
    expect(() => abstractEval(Prim.Lu, [i], {})).toThrow(DTypeError);
    expect(() => abstractEval(Prim.Lu, [i], {})).toThrow(/lu: got an operand of type i32\[2,2\], but lu needs a floating dtype .*astype\('float32'\)/);
  });
  it("triangular_solve: mismatched sizes, batches and dtypes", () => {
    expect(() => abstractEval(Prim.TriangularSolve, [f32(3, 3), f32(4, 2)], solveParams)).toThrow(
      /triangular_solve: with left_side=True the rows of b f32\[4,2\] \(4\) must match the order of a f32\[3,3\] \(3\)/,
    );
    expect(() => abstractEval(Prim.TriangularSolve, [f32(2, 3, 3), f32(3, 3, 2)], solveParams)).toThrow(/must have equal batch axes; broadcast them first/);
    expect(() => abstractEval(Prim.TriangularSolve, [f32(3, 3), new ShapedArray([3, 2], "float64")], solveParams)).toThrow(
      /triangular_solve: a and b must have equal dtypes, got f32\[3,3\] and f64\[3,2\]/,
    );
  });
  it("output types: lu's int32 pivots and permutation, qr and svd shapes", () => {
    expect(abstractEval(Prim.Lu, [f32(5, 4, 3)], {}).map((a) => a.strShort())).toEqual(["f32[5,4,3]", "i32[5,3]", "i32[5,4]"]);
    expect(abstractEval(Prim.Qr, [f32(4, 2)], { fullMatrices: false, pivoting: false, useMagma: null }).map((a) => a.strShort())).toEqual(["f32[4,2]", "f32[2,2]"]);
    expect(abstractEval(Prim.Qr, [f32(4, 2)], { fullMatrices: true, pivoting: false, useMagma: null }).map((a) => a.strShort())).toEqual(["f32[4,4]", "f32[4,2]"]);
    const svd = (full: boolean, uv: boolean) =>
      abstractEval(Prim.Svd, [f32(2, 3)], { fullMatrices: full, computeUv: uv, subsetByIndex: null, algorithm: null }).map((a) => a.strShort());
    expect(svd(true, true)).toEqual(["f32[2]", "f32[2,2]", "f32[3,3]"]);
    expect(svd(false, true)).toEqual(["f32[2]", "f32[2,2]", "f32[2,3]"]);
    expect(svd(false, false)).toEqual(["f32[2]"]);
  });
});
