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

  // Expected strings below are numpy 2.x's str and JAX's repr of the same arrays.
  test("negative zero keeps its sign; a 0-d float prints as Python's float repr", () => {
    expect(String(np.array([-0, 1.5]))).toBe("[-0.   1.5]");
    expect(inspect(np.array([-0, 1.5]))).toBe("Array([-0. ,  1.5], dtype=float32)");
    expect(String(np.array([-0, 1e-5]))).toBe("[-0.e+00  1.e-05]");
    expect(String(np.array(-0))).toBe("-0.0");
    expect(String(np.array(1))).toBe("1.0");
    expect(String(np.array(1e-7))).toBe("1e-07");
    expect(String(np.array(1e20, { dtype: "float64" }))).toBe("1e+20");
    expect(String(np.array(1 / 3))).toBe("0.33333334");
    expect(inspect(np.array(1))).toBe("Array(1., dtype=float32)");
  });

  test("precision 8: float32 shortest digits, float64 rounded to 8 decimals", () => {
    expect(String(np.array([Math.PI], { dtype: "float64" }))).toBe("[3.14159265]");
    expect(String(np.array([1 / 3], { dtype: "float64" }))).toBe("[0.33333333]");
    expect(String(np.array([Math.PI, -Math.E]))).toBe("[ 3.1415927 -2.7182817]");
  });

  test("rows wrap as numpy's: an element moves on when it would reach column 75 (brackets counted), lines right-trimmed", () => {
    expect(String(np.arange(30).div(7))).toBe(
      "[0.         0.14285715 0.2857143  0.42857143 0.5714286  0.71428573\n 0.85714287 1.         1.1428572  1.2857143  1.4285715  1.5714285\n" +
        " 1.7142857  1.8571428  2.         2.142857   2.2857144  2.4285715\n 2.5714285  2.7142856  2.857143   3.         3.142857   3.2857144\n" +
        " 3.4285715  3.5714285  3.7142856  3.857143   4.         4.142857  ]",
    );
    const c = np.arange(0, 12, 1, { dtype: "float64" }).reshape([2, 6]).mul(1.23456789).add(100);
    expect(String(c)).toBe(
      "[[100.         101.23456789 102.46913578 103.70370367 104.93827156\n  106.17283945]\n" +
        " [107.40740734 108.64197523 109.87654312 111.11111101 112.3456789\n  113.58024679]]",
    );
  });

  test("large n-d arrays are summarized along every axis (threshold 1000, 3 edge items)", () => {
    const row = "[1. 1. 1. ... 1. 1. 1.]";
    expect(String(np.ones([100, 100]))).toBe(`[${row}\n ${row}\n ${row}\n ...\n ${row}\n ${row}\n ${row}]`);
    expect(inspect(np.arange(0, 2000, 1, { dtype: "int32" }))).toBe("Array([   0,    1,    2, ..., 1997, 1998, 1999], dtype=int32)");
  });

  test("JAX's repr: empty arrays show their shape, weak types say so, a long last line pushes the dtype", () => {
    expect(inspect(np.zeros([0, 3]))).toBe("Array([], shape=(0, 3), dtype=float32)");
    expect(inspect(np.zeros([0]))).toBe("Array([], shape=(0,), dtype=float32)");
    expect(inspect(np.add(2, 3))).toBe("Array(5, dtype=int32, weak_type=True)");
    expect(inspect(np.add(2.5, 1))).toBe("Array(3.5, dtype=float32, weak_type=True)");
    expect(inspect(np.arange(30).div(7))).toBe(
      "Array([0.        , 0.14285715, 0.2857143 , 0.42857143, 0.5714286 ,\n       0.71428573, 0.85714287, 1.        , 1.1428572 , 1.2857143 ,\n" +
        "       1.4285715 , 1.5714285 , 1.7142857 , 1.8571428 , 2.        ,\n       2.142857  , 2.2857144 , 2.4285715 , 2.5714285 , 2.7142856 ,\n" +
        "       2.857143  , 3.        , 3.142857  , 3.2857144 , 3.4285715 ,\n       3.5714285 , 3.7142856 , 3.857143  , 4.        , 4.142857  ],      dtype=float32)",
    );
  });

  test("console.log, util.inspect and Deno's inspect all use the repr", () => {
    const x = np.array([1, 2.5]);
    const deno = (x as unknown as Record<symbol, () => string>)[Symbol.for("Deno.customInspect")]!.call(x);
    expect(deno).toBe("Array([1. , 2.5], dtype=float32)");
    expect(inspect({ x })).toBe("{ x: Array([1. , 2.5], dtype=float32) }");
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
