// standardize: JAX's definition (variance = mean(x²) - mean²) on both backends against a
// float64 reference over drawn shapes, axes and masks; given mean/variance; gradients,
// vmap, jit; errors.
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { type DType, jit, nn, numpy as np } from "../../src/index.js";
import { checkGrads } from "../../src/testing/index.js";
import type { Array as NdArray } from "../../src/trace/array.js";
import { hostArb, shapeArb } from "../helpers/arbitraries.js";
import { INTERP, WASM, runOn } from "../helpers/parity.js";
import { RUNS, batchOf, checkVmap, det, expectClose, host } from "../numpy/helpers.js";
import { axesOf, axisArgArb } from "../numpy/values.js";
import { groups } from "./reference.js";

const unit = (d: DType): number => (d === "float64" ? 2 ** -53 : 2 ** -24);
const LIM = 4;
const EPS = 1e-5;

/** The float64 result and a bound on a float32/float64 evaluation's error, element by element. */
function reference(values: ArrayLike<number>, shape: readonly number[], axes: readonly number[], mask: ArrayLike<number> | null, u: number) {
  const want = new Float64Array(values.length);
  const tol = new Float64Array(values.length);
  for (const g of groups(shape, axes)) {
    const inside = g.filter((i) => !mask || mask[i]);
    const n = inside.length;
    const m = inside.reduce((s, i) => s + values[i]!, 0) / n;
    const m2 = inside.reduce((s, i) => s + values[i]! ** 2, 0) / n;
    const r = 1 / Math.sqrt(m2 - m * m + EPS);
    for (const i of g) {
      const d = values[i]! - m;
      want[i] = d * r;
      // Rounding of the mean (n terms) moves d; rounding of mean(x²) - m² moves r (as r³/2 per unit of variance).
      tol[i] = 8 * u * (n + 2) * (LIM * r + Math.abs(d) * r ** 3 * LIM * LIM);
    }
  }
  return { want, tol };
}

const caseArb = fc
  .tuple(fc.constantFrom<DType>("float32", "float64"), shapeArb({ minRank: 1, maxRank: 3, maxDim: 4, zeroSize: false }), fc.boolean())
  .chain(([dtype, shape, small]) =>
    fc.record({ x: hostArb(dtype, shape, { finite: true, min: -LIM, max: LIM, small }), axis: axisArgArb(shape.length), masked: fc.boolean() }),
  );

describe("standardize", () => {
  test("both backends against a float64 reference (axes, masks)", () => {
    fc.assert(
      fc.property(caseArb, ({ x, axis, masked }) => {
        const axes = axesOf(axis, x.shape.length);
        // A mask that keeps the first element of every group (so no group is empty).
        const mask = masked ? Uint8Array.from({ length: x.values.length }, (_, i) => +(i % 3 !== 1)) : null;
        if (mask) for (const g of groups(x.shape, axes)) mask[g[0]!] = 1;
        const { want, tol } = reference(x.values, x.shape, axes, mask, unit(x.dtype));
        const inputs = mask ? [x, { dtype: "bool" as DType, shape: x.shape, values: mask }] : [x];
        for (const backend of [WASM, INTERP]) {
          const r = runOn(backend, inputs, (a, m) => nn.standardize(a!, axis, m ? { where: m } : {}));
          expect(r.dtype).toBe(x.dtype);
          r.values.forEach((got, i) => {
            if (!(Math.abs(got - want[i]!) <= tol[i]!)) expect(got, `${backend} element ${i}, axes ${axes}: want ${want[i]} ± ${tol[i]}`).toBe(want[i]);
          });
        }
      }),
      RUNS,
    );
  });

  test("given mean and variance, epsilon, the options form, the default axis -1", () => {
    const x = det([2, 3], 1);
    const h = host(x);
    const mean = np.array([[1], [-1]], { dtype: "float64" });
    const variance = np.array([[4], [0.25]], { dtype: "float64" });
    const want = h.data.map((v, i) => (v - [1, -1][Math.floor(i / 3)]!) / Math.sqrt([4, 0.25][Math.floor(i / 3)]! + 0.5));
    expectClose(nn.standardize(x, -1, { mean, variance, epsilon: 0.5 }), { shape: [2, 3], data: want }, { rtol: 1e-14, atol: 1e-14 });
    expectClose(nn.standardize(x, { axis: -1, mean, variance, epsilon: 0.5 }), { shape: [2, 3], data: want }, { rtol: 1e-14, atol: 1e-14 });
    const { want: w1 } = reference(h.data, [2, 3], [1], null, 0);
    expectClose(nn.standardize(x), { shape: [2, 3], data: [...w1] }, { rtol: 1e-13, atol: 1e-13 });
    expect(nn.standardize(np.array([1, 2, 3], { dtype: "int32" })).dtype).toBe("float32");
  });

  test("gradients (order 2), vmap, jit", () => {
    const x = det([3, 4], 2);
    checkGrads(((a: NdArray) => nn.standardize(a)) as never, [x], { order: 2, atol: 1e-6, rtol: 1e-5 });
    checkGrads(((a: NdArray) => nn.standardize(a, [0, 1])) as never, [x], { order: 1, atol: 1e-6, rtol: 1e-5 });
    const m = np.array([[1], [0.5], [-1]], { dtype: "float64" });
    const v = np.array([[2], [1], [3]], { dtype: "float64" });
    checkGrads(((a: NdArray, mm: NdArray, vv: NdArray) => nn.standardize(a, -1, { mean: mm, variance: vv })) as never, [x, m, v], { order: 2, atol: 1e-6, rtol: 1e-5 });
    checkVmap((a: NdArray) => nn.standardize(a, 0), [batchOf(3, [4, 2])], { rtol: 1e-14, atol: 1e-14 });
    expectClose(jit((a: NdArray) => nn.standardize(a))(x), host(nn.standardize(x)), { rtol: 1e-13, atol: 1e-13 });
  });

  test("errors name the op", () => {
    const x = np.ones([2, 3]);
    expect(() => nn.standardize(x, 3)).toThrow("standardize: axis 3 is out of range for an array of shape [2,3] (rank 2); use an integer in [-2, 1].");
    expect(() => nn.standardize(x, -1, { eps: 1 } as never)).toThrow('standardize: unknown option "eps"; the options are: mean, variance, epsilon, where.');
    expect(() => nn.standardize(x, -1, { where: np.ones([4]) })).toThrow("standardize: the where mask f32[4] does not broadcast to the input f32[2,3].");
  });
});
