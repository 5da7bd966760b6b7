// nn's composite functions run compiled when called eagerly (wrapped in jit, as
// jax.nn's jit-decorated ones): one program call into WASM per call, the same values
// as the ops run one by one, and one program per layout of optional operands.
import { describe, expect, test } from "vitest";
import { nn, numpy as np } from "../../src/index.js";
import { wasmBackend } from "../../src/backends/wasm/index.js";
import type { Array as NdArray } from "../../src/trace/array.js";

const x = np.linspace(-3, 3, 48).reshape([6, 8]);

/** The WASM calls one eager call of `f` makes, after a first call compiled it. */
function callsOf(f: () => NdArray): { compute: number; programs: number } {
  f().dispose();
  const before = { ...wasmBackend.callCounts };
  f().dispose();
  return { compute: wasmBackend.callCounts.compute - before.compute, programs: wasmBackend.callCounts.programs - before.programs };
}

describe("nn's composites run as one program when called eagerly", () => {
  const mask = np.notEqual(np.remainder(np.arange(48).reshape([6, 8]), 3), 1);
  const cases: [string, () => NdArray][] = [
    ["softmax", () => nn.softmax(x)],
    ["softmax with where", () => nn.softmax(x, -1, { where: mask })],
    ["logSoftmax", () => nn.logSoftmax(x, 0)],
    ["standardize", () => nn.standardize(x)],
    ["standardize with mean, variance, where", () => nn.standardize(x, -1, { mean: 0.5, variance: np.full([6, 1], 2), where: mask })],
    ["gelu (tanh form)", () => nn.gelu(x)],
    ["gelu (exact)", () => nn.gelu(x, false)],
    ["silu", () => nn.silu(x)],
    ["mish", () => nn.mish(x)],
  ];
  for (const [name, f] of cases) {
    test(name, () => expect(callsOf(f)).toEqual({ compute: 1, programs: 1 }));
  }
});

describe("compiled programs are chosen by their layout", () => {
  test("standardize: a number epsilon (NaN too) and an array epsilon are different programs", () => {
    const finite = nn.standardize(x, -1, { epsilon: 1 });
    const nan = nn.standardize(x, -1, { epsilon: NaN });
    const array = nn.standardize(x, -1, { epsilon: np.array(1) });
    expect(np.all(np.isnan(nan)).item()).toBe(true);
    expect(np.allclose(array, finite, { rtol: 1e-6, atol: 1e-6 }).item()).toBe(true);
    expect(np.any(np.isnan(array)).item()).toBe(false);
  });

  test("a number epsilon is not rounded to float32 for a float64 input", () => {
    const x64 = np.array([[0, 0, 1e-6]], { dtype: "float64" });
    const eps = 1e-5;
    const [m, m2] = [1e-6 / 3, 1e-12 / 3];
    const want = (1e-6 - m) / Math.sqrt(m2 - m * m + eps);
    expect(nn.standardize(x64, -1, { epsilon: eps }).tolist() as number[][]).toSatisfy((r: number[][]) => Math.abs(r[0]![2]! - want) <= 1e-15 * Math.abs(want));
  });

  test("softmax with and without a mask, on both axes", () => {
    const mask = np.array([[true, false, true, true, false, true, true, true]]);
    const masked = nn.softmax(x, -1, { where: mask });
    const plain = nn.softmax(x, -1);
    expect(np.allclose(np.sum(masked, -1), 1, { rtol: 1e-6 }).item()).toBe(true);
    expect((masked.tolist() as number[][])[0]![1]).toBe(0);
    expect((plain.tolist() as number[][])[0]![1]).toBeGreaterThan(0);
    expect(np.allclose(np.sum(nn.softmax(x, 0), 0), 1, { rtol: 1e-6 }).item()).toBe(true);
  });
});
