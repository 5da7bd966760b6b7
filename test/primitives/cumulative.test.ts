/**
 * cumsum / cumprod / cummax / cummin: WASM equals the interpreter (cases-cumulative.ts,
 * views included), values against host loops, the numpy and array-API wrappers
 * (promotion, axis null, include_initial, NaN variants), gradients of every order-2
 * rule through jit, vmap, jit(f) = f with the CUMULATIVE program step, JAX's printing,
 * and the errors.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ArgumentError, DTypeError, grad, jit, lax, makeJaxpr, numpy as np, vmap } from "../../src/index.js";
import { DTYPES } from "../../src/core/index.js";
import { checkGrads } from "../../src/testing/index.js";
import type { Array as NdArray } from "../../src/trace/array.js";
import { cumulativeCases } from "../helpers/cases-cumulative.js";
import { runCases } from "../helpers/parity.js";

runCases(cumulativeCases);

const values = (x: NdArray): number[] => Array.from(x.dataSync());
type Op = "cumsum" | "cumprod" | "cummax" | "cummin";
const COMBINE: Record<Op, [number, (a: number, b: number) => number]> = {
  cumsum: [0, (a, b) => a + b],
  cumprod: [1, (a, b) => a * b],
  cummax: [-Infinity, Math.max],
  cummin: [Infinity, Math.min],
};

/** The scan on host data with a plain loop over each line along `axis`. */
function hostScan(op: Op, data: readonly number[], shape: readonly number[], axis: number, reverse: boolean): number[] {
  const [id, f] = COMBINE[op];
  const out = [...data];
  const inner = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const n = shape[axis]!;
  const outer = data.length / Math.max(n * inner, 1);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      let acc = id;
      for (let j = 0; j < n; j++) {
        const k = o * n * inner + (reverse ? n - 1 - j : j) * inner + i;
        acc = f(acc, data[k]!);
        out[k] = acc;
      }
    }
  }
  return out;
}

const shapeAxis = fc
  .array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 3 })
  .chain((shape) => fc.tuple(fc.constant(shape), fc.integer({ min: 0, max: shape.length - 1 }), fc.boolean()));

describe("values", () => {
  it("lax scans equal host loops (small integers in float64, so every result is exact)", () => {
    fc.assert(
      fc.property(shapeAxis, fc.constantFrom<Op>("cumsum", "cumprod", "cummax", "cummin"), fc.integer(), ([shape, axis, reverse], op, seed) => {
        const size = shape.reduce((a, b) => a * b, 1);
        const data = Array.from({ length: size }, (_, i) => ((seed + i * 7) % 5) - 2);
        const x = np.array(data, { dtype: "float64" }).reshape(shape);
        expect(values(lax[op](x, axis, reverse))).toEqual(hostScan(op, data, shape, axis, reverse));
      }),
      { numRuns: 60 },
    );
  });

  it("int32 wraps, cummax/cummin accept bool, and NaN propagates through cummax", () => {
    expect(values(lax.cumsum(np.array([2147483647, 1], { dtype: "int32" })))).toEqual([2147483647, -2147483648]);
    expect(values(lax.cummax(np.array([false, true, false])))).toEqual([0, 1, 1]);
    expect(values(lax.cummin(np.array([true, false, true]), 0, true))).toEqual([0, 0, 1]);
    expect(values(lax.cummax(np.array([1, NaN, 3], { dtype: "float32" })))).toEqual([1, NaN, NaN]);
    expect(values(lax.cumprod(np.array([[1, 2], [3, 4]], { dtype: "uint32" }), -2))).toEqual([1, 2, 3, 8]);
  });
});

describe("numpy wrappers", () => {
  it("cumsum/cumprod flatten for axis null, promote bool to int32 and honour dtype", () => {
    const x = np.array([[1, 2, 3], [4, 5, 6]], { dtype: "float32" });
    expect(values(np.cumsum(x))).toEqual([1, 3, 6, 10, 15, 21]);
    expect(np.cumsum(x).shape).toEqual([6]);
    expect(values(np.cumsum(x, 1))).toEqual([1, 3, 6, 4, 9, 15]);
    expect(values(np.cumprod(x, 0))).toEqual([1, 2, 3, 4, 10, 18]);
    const b = np.cumsum(np.array([true, true, false, true]));
    expect(b.dtype).toBe("int32");
    expect(values(b)).toEqual([1, 2, 2, 3]);
    expect(np.cumsum(x, 0, { dtype: "float64" }).dtype).toBe("float64");
    expect(values(np.cumsum(np.array(5, { dtype: "float32" })))).toEqual([5]);
  });

  it("cumsum/cumprod over every dtype and axis (or null) equal host loops, with numpy's result dtype", () => {
    fc.assert(
      fc.property(shapeAxis, fc.constantFrom(...DTYPES), fc.constantFrom("cumsum", "cumprod") as fc.Arbitrary<"cumsum" | "cumprod">, fc.boolean(), fc.nat(), ([shape, axis], dtype, op, flat, seed) => {
        const size = shape.reduce((a, b) => a * b, 1);
        const data = Array.from({ length: size }, (_, i) => (dtype === "bool" ? (seed + i) % 2 : (seed + i * 3) % 3));
        const x = np.array(data, { dtype }).reshape(shape);
        const out = np[op](x, flat ? null : axis);
        expect(out.dtype).toBe(dtype === "bool" ? "int32" : dtype);
        const want = flat ? hostScan(op, data, [size], 0, false) : hostScan(op, data, shape, axis, false);
        expect(values(out)).toEqual(want);
      }),
      { numRuns: 60 },
    );
  });

  it("nancumsum/nancumprod count NaN as the identity", () => {
    const x = np.array([1, NaN, 2, NaN], { dtype: "float64" });
    expect(values(np.nancumsum(x))).toEqual([1, 1, 3, 3]);
    expect(values(np.nancumprod(x))).toEqual([1, 1, 2, 2]);
  });

  it("cumulativeSum/cumulativeProd with include_initial, and axis required above rank 1", () => {
    const x = np.array([[1, 2], [3, 4]], { dtype: "float32" });
    expect(values(np.cumulativeSum(x, { axis: 1 }))).toEqual([1, 3, 3, 7]);
    const s = np.cumulativeSum(x, { axis: 0, includeInitial: true });
    expect(s.shape).toEqual([3, 2]);
    expect(values(s)).toEqual([0, 0, 1, 2, 4, 6]);
    expect(values(np.cumulativeProd(np.array([2, 3, 4], { dtype: "int32" }), { includeInitial: true }))).toEqual([1, 2, 6, 24]);
    expect(() => np.cumulativeSum(x)).toThrow(/cumulativeSum: x has 2 axes; pass \{ axis \}/);
  });
});

describe("transforms", () => {
  // Distinct values (no ties) so the extremes' positions are stable under finite differences.
  const x2 = np.array([[0.3, -1.2, 0.8, 1.7], [-0.5, 0.9, -1.4, 0.2], [1.1, -0.7, 0.4, -0.9]], { dtype: "float64" });
  it.each(["cumsum", "cumprod", "cummax", "cummin"] as const)("%s: gradients of order 2 on every axis and direction", (op) => {
    for (const axis of [0, 1]) {
      for (const reverse of [false, true]) {
        checkGrads((a: NdArray) => lax[op](a, axis, reverse), [x2], { order: 2, modes: ["fwd", "rev"], atol: 1e-6, rtol: 1e-5 });
      }
    }
  });

  it("cumprod's gradient is exact at zeros (one zero and two zeros in a line)", () => {
    const z = np.array([2, 0, 3, 0.5, 0, 4], { dtype: "float64" });
    const data = values(z);
    const g = values(grad((a: NdArray) => np.sum(lax.cumprod(a)))(z) as NdArray);
    // d/dx_j Σ_i Π_{k≤i} x_k = Σ_{i≥j} Π_{k≤i, k≠j} x_k, by host loops
    const want = data.map((_, j) => {
      let total = 0;
      for (let i = j; i < data.length; i++) total += data.slice(0, i + 1).reduce((p, v, k) => (k === j ? p : p * v), 1);
      return total;
    });
    expect(g).toEqual(want);
    checkGrads((a: NdArray) => lax.cumprod(a), [z], { order: 2, atol: 1e-6, rtol: 1e-5 });
  });

  it("cummax's tangent comes from the first element attaining a tied running maximum", () => {
    const x = np.array([1, 3, 3, 2, 5], { dtype: "float64" });
    // Row i of the Jacobian: the gradient of output i.
    const jac = [0, 1, 2, 3, 4].map((i) => values(grad((a: NdArray) => lax.slice(lax.cummax(a), [i], [i + 1]).sum())(x) as NdArray));
    // outputs 1..3 follow x[1] (the first 3), output 4 follows x[4]
    expect(jac.map((row) => row.indexOf(1))).toEqual([0, 1, 1, 1, 4]);
  });

  it("vmap moves the scanned axis past the batch axis (in_axes 0 and 1)", () => {
    const xs = np.array([[1, 2, 3], [4, 5, 6]], { dtype: "float32" });
    expect(values(vmap((r: NdArray) => lax.cumsum(r, 0))(xs) as NdArray)).toEqual([1, 3, 6, 4, 9, 15]);
    expect(values(vmap((c: NdArray) => lax.cumsum(c, 0, true), { inAxes: 1 })(xs) as NdArray)).toEqual([5, 4, 7, 5, 9, 6]);
  });

  it("jit(f) = f with a cumulative step in the program, for a value and its gradient", () => {
    const f = (a: NdArray) => np.sum(lax.cummax(lax.cumsum(a.mul(a), 1, true), 0).mul(lax.cumprod(a, 1)));
    const a = np.array([[0.5, -1.5, 2, 0.25], [1.25, -0.75, -2, 1]], { dtype: "float32" });
    expect(values(jit(f)(a) as NdArray)).toEqual(values(f(a)));
    const g = grad(f);
    expect(values(jit(g)(a) as NdArray)).toEqual(values(g(a) as NdArray));
    const program = jit(f).lower(a).toString();
    expect(program).toMatch(/cumsum along axis 1 \(reverse\)/);
    expect(program).toMatch(/cummax along axis 0/);
  });
});

it("prints as JAX prints cumsum and cummax", () => {
  expect(makeJaxpr((a: NdArray) => lax.cummax(lax.cumsum(a, 0), -1, true))(np.zeros([2, 3])).toString()).toBe(
    [
      "{ lambda ; a:f32[2,3]. let",
      "    b:f32[2,3] = cumsum[axis=0 reverse=False] a",
      "    c:f32[2,3] = cummax[axis=1 reverse=True] b",
      "  in (c,) }",
    ].join("\n"),
  );
});

describe("errors", () => {
  it("an axis out of range names the op, the shape and the fix", () => {
    expect(() => lax.cumsum(np.zeros([2, 3]), 2)).toThrow(ArgumentError);
    expect(() => lax.cumsum(np.zeros([2, 3]), 2)).toThrow("cumsum: axis 2 is out of range for an operand of shape [2, 3]; pass an axis in [-2, 1].");
    expect(() => lax.cummax(np.zeros([]), 0)).toThrow("cummax: axis 0 is out of range for an operand of shape []; reshape it to rank 1 first.");
    expect(() => np.cumsum(np.zeros([]), 0)).toThrow(/cumsum: axis 0 given for a rank-0 operand; pass axis null/);
  });

  it("cumsum and cumprod reject bool operands at the lax level, with the cast to use", () => {
    expect(() => lax.cumsum(np.array([true, false]))).toThrow(DTypeError);
    expect(() => lax.cumprod(np.array([true, false]))).toThrow(/cumprod: .*bool.*cast with \.astype/);
  });
});
