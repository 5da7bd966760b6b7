// numpy-style printing: String(x) is numpy's str, inspect/console.log is JAX's repr.
import { inspect } from "node:util";
import { describe, expect, test } from "vitest";
import { grad, numpy as np } from "../../src/index.js";

describe("printing", () => {
  test("floats align on the point and drop trailing zeros, as numpy", () => {
    expect(String(np.array([1, 2.5, -3]))).toBe("[ 1.   2.5 -3. ]");
    expect(String(np.array([1, 2, 3]))).toBe("[1. 2. 3.]");
    expect(String(np.array(0.1))).toBe("0.1");
    expect(String(np.array([0.1, 0.25], { dtype: "float64" }))).toBe("[0.1  0.25]");
    expect(String(np.array([NaN, Infinity, 1]))).toBe("[nan inf  1.]");
  });

  test("scientific notation when magnitudes are far apart", () => {
    expect(String(np.array([1e-5, 1]))).toBe("[1.e-05 1.e+00]");
    expect(String(np.array([1.5e10, 2]))).toBe("[1.5e+10 2.0e+00]");
  });

  test("ints, bools, nested arrays and repr", () => {
    expect(String(np.array([[1, 22], [333, 4]], { dtype: "int32" }))).toBe("[[  1  22]\n [333   4]]");
    expect(String(np.array([true, false]))).toBe("[ True False]");
    expect(inspect(np.array([[1, 2], [3, 4]]))).toBe("Array([[1., 2.],\n       [3., 4.]], dtype=float32)");
    expect(inspect(np.array([1, 2], { dtype: "int32" }))).toBe("Array([1, 2], dtype=int32)");
    expect(String(np.zeros([2, 2, 2]))).toBe("[[[0. 0.]\n  [0. 0.]]\n\n [[0. 0.]\n  [0. 0.]]]");
  });

  test("large arrays are summarized; long rows wrap at 75 columns", () => {
    expect(String(np.arange(2000))).toBe("[   0    1    2 ... 1997 1998 1999]");
    const row = String(np.arange(30));
    expect(row.split("\n").every((l) => l.length <= 75)).toBe(true);
    expect(row.replace(/\s+/g, " ")).toBe(`[ ${Array.from({ length: 30 }, (_, i) => i).join(" ")}]`.replace("[ 0", "[ 0"));
  });

  test("traced values print their type and transformation", () => {
    let seen = "";
    grad((x: np.Array) => {
      seen = String(x);
      return x.sum();
    })(np.ones([3]));
    expect(seen).toBe("Traced<f32[3]>with<grad>");
  });
});
