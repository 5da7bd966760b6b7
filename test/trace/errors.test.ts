// Bad input raises an error naming the op, the shapes/dtypes, and a fix.
import { describe, expect, test } from "vitest";
import { ArgumentError, DTypeError, ShapeError, lax, numpy as np } from "../../src/index.js";

describe("errors", () => {
  test("broadcasting mismatch", () => {
    const a = np.ones([2, 3]);
    const b = np.ones([4, 3]);
    expect(() => a.add(b)).toThrow(ShapeError);
    expect(() => a.add(b)).toThrow(
      "add: shapes [2,3], [4,3] cannot be broadcast together (axis -2 has sizes 2 and 4); reshape or expandDims so that each axis matches or is 1.",
    );
    expect(() => np.broadcastTo(a, [3, 3])).toThrow(/broadcastTo: shapes \[2,3\], \[3,3\] cannot be broadcast together/);
  });

  test("lax-level ops check shapes and dtypes exactly", () => {
    expect(() => lax.add(np.ones([2]), np.ones([3]))).toThrow(
      "add: operands must have equal shapes up to size-1 axes (or be scalars), got f32[2], f32[3]; use the numpy-level function (np.add) to broadcast, or broadcastTo first.",
    );
    expect(() => lax.add(np.ones([2]), np.ones([2], { dtype: "int32" }))).toThrow(DTypeError);
    expect(() => lax.add(np.ones([2]), np.ones([2], { dtype: "int32" }))).toThrow(
      "add: operands must have equal dtypes, got f32[2], i32[2]; use the numpy-level function (np.add) to promote, or cast with .astype().",
    );
  });

  test("wrong dtype", () => {
    expect(() => lax.sin(np.ones([3], { dtype: "int32" }))).toThrow(
      "sin: got an operand of type i32[3], but sin needs a floating dtype (float32 or float64); cast with .astype('float32')",
    );
    const flags = np.array([true, false]);
    expect(() => flags.add(flags)).toThrow("add: got a bool operand bool[2]; cast it first with .astype('int32') or .astype('float32').");
    expect(() => np.zeros([2], { dtype: "float16" })).toThrow(
      'zeros: unknown dtype "float16"; use one of float32, float64, int32, uint32, bool.',
    );
  });

  test("wrong rank or sizes", () => {
    expect(() => np.matmul(np.ones([2, 3]), np.ones([4, 5]))).toThrow(
      "matmul: inner dimensions do not match: f32[2,3] @ f32[4,5] (3 vs 4); the last axis of the first must equal the second-to-last of the second.",
    );
    expect(() => np.matmul(np.ones([]), np.ones([2]))).toThrow(/matmul: operands must be at least 1-D, got f32\[\] and f32\[2\]/);
    expect(() => np.ones([2, 3]).reshape([4, 2])).toThrow(
      "reshape: cannot reshape f32[2,3] (6 elements) into shape [4,2]; the sizes must multiply to 6, with at most one -1.",
    );
    expect(() => np.ones([2, 3]).sum(2)).toThrow("sum: axis 2 is out of range for an array of shape [2,3] (rank 2); use an integer in [-2, 1].");
    expect(() => lax.transpose(np.ones([2, 3]), [0, 0])).toThrow(
      "transpose: permutation (0, 0) is not a permutation of the 2 axes of f32[2,3].",
    );
    expect(() => lax.dotGeneral(np.ones([2, 3]), np.ones([4, 5]), [[[1], [0]], [[], []]])).toThrow(
      "dot_general: contracting dimension 1 of lhs f32[2,3] has size 3 but dimension 0 of rhs f32[4,5] has size 4; for a matmul the inner sizes must match.",
    );
    expect(() => np.array([[1, 2], [3]])).toThrow(ShapeError);
    expect(() => np.array([[1, 2], [3]])).toThrow("array: ragged nested data at[1]; every row must have the same length (expected shape [2,2]).");
  });

  test("unknown options", () => {
    expect(() => np.array([1], { dtyp: "int32" } as never)).toThrow(ArgumentError);
    expect(() => np.array([1], { dtyp: "int32" } as never)).toThrow('array: unknown option "dtyp"; the options are: dtype, backend.');
    expect(() => np.zeros([2], { shape: 3 } as never)).toThrow('zeros: unknown option "shape"; the options are: dtype.');
    expect(() => np.array([1], { backend: "gpu" })).toThrow(/getBackend: no backend named "gpu"; available: wasm, interpreter/);
  });

  test("a failed op leaves its inputs intact", () => {
    const a = np.array([1, 2, 3]);
    expect(() => a.add(np.ones([2]))).toThrow(ShapeError);
    expect(Array.from(a.add(1).dataSync())).toEqual([2, 3, 4]);
  });
});
