// Bad input raises an error naming the op, the shapes/dtypes, and a fix.
import { describe, expect, test } from "vitest";
import { ArgumentError, ConcretizationError, DTypeError, ShapeError, jit, lax, numpy as np } from "../../src/index.js";

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

  // Issue 6's four errors: each names the operation, the shapes and the fix.
  test("an out-of-range axis names the op, the array's shape and the valid range", () => {
    const x = np.ones([2, 3]);
    const cases: [string, () => unknown][] = [
      ["sum", () => np.sum(x, 2)],
      ["mean", () => np.mean(x, [0, 5])],
      ["argmax", () => np.argmax(x, -3)],
      ["var", () => np.var(x, 2)],
      ["logsumexp", () => np.logsumexp(x, { axis: 2 })],
      ["nanmax", () => np.nanmax(x, 2)],
      ["concatenate", () => np.concatenate([x, x], 2)],
      ["take", () => np.take(x, np.array([0], { dtype: "int32" }), 2)],
      ["flip", () => np.flip(x, 2)],
    ];
    for (const [op, f] of cases) {
      expect(f, op).toThrow(ArgumentError);
      expect(f, op).toThrow(new RegExp(`^${op}: axis -?\\d is out of range for an array of shape \\[2,3\\] \\(rank 2\\); use an integer in \\[-2, 1\\]\\.$`));
    }
    expect(() => lax.cumsum(x, 2)).toThrow("cumsum: axis 2 is out of range for an operand of shape [2, 3]; pass an axis in [-2, 1].");
  });

  test("incompatible matmul shapes name both operands and what must match", () => {
    expect(() => np.matmul(np.ones([2, 3, 4]), np.ones([5, 4, 6]))).toThrow(
      "matmul: batch dimensions [2] and [5] of f32[2,3,4] @ f32[5,4,6] cannot be broadcast together; each leading axis must match or be 1 (reshape or expandDims one operand).",
    );
    expect(() => np.dot(np.ones([3]), np.ones([4]))).toThrow(
      "matmul: inner dimensions do not match: f32[3] @ f32[4] (3 vs 4); the last axis of the first must equal the second-to-last of the second.",
    );
    expect(() => np.inner(np.ones([2, 3]), np.ones([4]))).toThrow("inner: the last axes of f32[2,3] and f32[4] differ in size (3 vs 4); they are contracted, so they must match.");
    expect(() => np.tensordot(np.ones([2, 3]), np.ones([4, 5]), 1)).toThrow(
      "tensordot: axis 1 of f32[2,3] (size 3) is paired with axis 0 of f32[4,5] (size 4); contracted axes must have equal sizes.",
    );
  });

  test("bad einsum subscripts name the subscripts, the operand shapes and the rule broken", () => {
    const a = np.ones([2, 3]);
    expect(() => np.einsum("ij,jk->ik", a, np.ones([4, 5]))).toThrow(
      'einsum: label "j" has size 3 in one place and 4 on axis 0 of operand 1; sizes of one label must match (or be 1); subscripts "ij,jk->ik", operand shapes [2,3], [4,5].',
    );
    expect(() => np.einsum("i$", a)).toThrow('einsum: invalid character "$" in operand 0 subscripts "i$"; subscripts are letters a-z, A-Z and "...". subscripts "i$", operand shapes [2,3].');
    expect(() => np.einsum("ijk", a)).toThrow('einsum: operand 0 has shape [2,3] (rank 2) but its subscripts "ijk" name 3 axes; subscripts "ijk", operand shapes [2,3].');
  });

  test("a dynamic-shape request under jit names the op, the traced argument's type and the fix", () => {
    const n = np.array(3, { dtype: "int32" });
    const x = np.ones([6]);
    const cases: [string, string, string, (x: np.Array, n: np.Array) => unknown][] = [
      ["zeros", "size", "[array i32[]]", (_x, k) => np.zeros([k as never])],
      ["reshape", "size", "[array i32[], -1]", (v, k) => v.reshape([k as never, -1])],
      ["arange", "size", "[array i32[], undefined, 1]", (_x, k) => np.arange(k as never)],
      ["broadcastTo", "size", "[array i32[], 6]", (v, k) => np.broadcastTo(v, [k as never, 6])],
      ["tile", "repetition count", "array i32[]", (v, k) => np.tile(v, k as never)],
      ["repeat", "repetition count", "array i32[]", (v, k) => np.repeat(v, k as never)],
      ["pad", "pad width", "array i32[]", (v, k) => np.pad(v, k as never)],
      ["split", "sections or split points", "array i32[]", (v, k) => np.split(v, k as never)],
      ["roll", "shift", "array i32[]", (v, k) => np.roll(v, k as never)],
      ["sum", "axis", "array i32[]", (v, k) => np.sum(v, k as never)],
      ["expandDims", "axis", "array i32[]", (v, k) => np.expandDims(v, k as never)],
      ["dynamic_slice", "size", "[array i32[]]", (v, k) => lax.dynamicSlice(v, [0], [k as never])],
    ];
    for (const [op, kind, shown, f] of cases) {
      const g = jit(f);
      expect(() => g(x, n), op).toThrow(ConcretizationError);
      expect(() => g(x, n), op).toThrow(
        `${op}: got an array where a static ${kind} was expected (${kind} ${shown}); shapes, axes and counts must be known while tracing. ` +
          "Under jit, pass it as a static argument (jit(f, { staticArgnums: [...] })) or derive it from x.shape of an input.",
      );
    }
  });

  test("unknown options", () => {
    expect(() => np.array([1], { dtyp: "int32" } as never)).toThrow(ArgumentError);
    expect(() => np.array([1], { dtyp: "int32" } as never)).toThrow('array: unknown option "dtyp"; the options are: dtype, backend.');
    expect(() => np.zeros([2], { shape: 3 } as never)).toThrow('zeros: unknown option "shape"; the options are: dtype.');
    expect(() => np.sum(np.ones([2]), { axs: 0 } as never)).toThrow('sum: unknown option "axs"; the options are: axis, keepdims.');
    expect(() => np.array([1], { backend: "gpu" })).toThrow(/getBackend: no backend named "gpu"; available: wasm, interpreter/);
  });

  test("a failed op leaves its inputs intact", () => {
    const a = np.array([1, 2, 3]);
    expect(() => a.add(np.ones([2]))).toThrow(ShapeError);
    expect(Array.from(a.add(1).dataSync())).toEqual([2, 3, 4]);
  });
});
