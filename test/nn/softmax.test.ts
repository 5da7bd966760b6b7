// softmax and logSoftmax: values on both backends against a float64 reference over
// drawn shapes, axes and masks; JAX's gradient conventions (softmax's custom JVP rule,
// logSoftmax's stopGradient on the max); gradients, vmap, jit; stability; errors.
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { type DType, ArgumentError, grad, jit, jvp, makeJaxpr, memoryStats, nn, numpy as np, vmap } from "../../src/index.js";
import { checkGrads } from "../../src/testing/index.js";
import type { Array as NdArray } from "../../src/trace/array.js";
import { hostArb, shapeArb } from "../helpers/arbitraries.js";
import { INTERP, WASM, runOn } from "../helpers/parity.js";
import { RUNS, batchOf, checkVmap, det, expectClose, host } from "../numpy/helpers.js";
import { axesOf, axisArgArb } from "../numpy/values.js";
import { softmaxRef } from "./reference.js";

const unit = (d: DType): number => (d === "float64" ? 2 ** -53 : 2 ** -24);
const LIM = 10;

const caseArb = fc
  .tuple(fc.constantFrom<DType>("float32", "float64"), shapeArb({ minRank: 1, maxRank: 3, maxDim: 4 }), fc.boolean())
  .chain(([dtype, shape, small]) =>
    fc.record({
      x: hostArb(dtype, shape, { finite: true, min: -LIM, max: LIM, small }),
      axis: axisArgArb(shape.length),
      mask: fc.option(hostArb("bool", shape), { nil: null }),
    }),
  );

describe.each([false, true])("%s: log", (log) => {
  const f = log ? nn.logSoftmax : nn.softmax;
  const name = log ? "logSoftmax" : "softmax";

  test(`${name}: both backends against a float64 reference (axes, masks, empty shapes)`, () => {
    fc.assert(
      fc.property(caseArb, ({ x, axis, mask }) => {
        const axes = axesOf(axis, x.shape.length);
        const want = softmaxRef(x.values, x.shape, axes, mask?.values ?? null, log);
        const n = axes.reduce((k, a) => k * x.shape[a]!, 1);
        const inputs = mask ? [x, mask] : [x];
        for (const backend of [WASM, INTERP]) {
          const r = runOn(backend, inputs, (a, m) => f(a!, axis, m ? { where: m } : {}));
          expect(r.dtype).toBe(x.dtype);
          expect(r.shape).toEqual(x.shape);
          // exp of x - max (rounded to half an ulp of LIM) and a sum of n terms; logSoftmax's error is absolute.
          const tol = 16 * unit(x.dtype) * (1 + LIM + n);
          r.values.forEach((got, i) => {
            const w = want[i]!;
            const ok = w === -Infinity ? got === -Infinity : log ? Math.abs(got - w) <= tol : Math.abs(got - w) <= tol * Math.abs(w) + unit(x.dtype);
            if (!ok) expect(got, `${name} on ${backend}, element ${i}, axes ${axes}: want ${w}`).toBe(w);
          });
        }
      }),
      RUNS,
    );
  });

  test(`${name}: large inputs do not overflow; default axis is -1; axis lists and null`, () => {
    const big = np.array([[1000, 1001, 1002], [-1000, -1000, -1000]]);
    const r = (row: number[]) => softmaxRef(row, [3], [0], null, log);
    expectClose(f(big), { shape: [2, 3], data: [...r([1000, 1001, 1002]), ...r([-1000, -1000, -1000])] }, { rtol: 1e-5, atol: 1e-6 });
    const x = det([2, 3], 1);
    const h = host(x);
    expectClose(f(x, [0, 1]), { shape: [2, 3], data: [...softmaxRef(h.data, [2, 3], [0, 1], null, log)] }, { rtol: 1e-13, atol: 1e-14 });
    expectClose(f(x, null), { shape: [2, 3], data: [...softmaxRef(h.data, [2, 3], [0, 1], null, log)] }, { rtol: 1e-13, atol: 1e-14 });
    expectClose(f(x, { axis: 0 }), { shape: [2, 3], data: [...softmaxRef(h.data, [2, 3], [0], null, log)] }, { rtol: 1e-13, atol: 1e-14 });
  });

  test(`${name}: gradients (order 2, forward and reverse), with a mask too; vmap; jit`, () => {
    const x = det([3, 4], 2);
    checkGrads(((a: NdArray) => f(a)) as never, [x], { order: 2, atol: 1e-7, rtol: 1e-6 });
    checkGrads(((a: NdArray) => f(a, 0)) as never, [x], { order: 2, atol: 1e-7, rtol: 1e-6 });
    const mask = np.array([[true, false, true, true], [false, false, false, false], [true, true, false, true]]);
    // Masked-out elements are constants (0 or -inf): differentiate the masked-in ones only.
    const g = (a: NdArray): NdArray => np.where(mask, f(a, -1, { where: mask }), 0);
    checkGrads(g as never, [x], { order: 2, atol: 1e-7, rtol: 1e-6 });
    checkVmap((a: NdArray) => f(a, 0), [batchOf(3, [4, 2])], { rtol: 1e-15, atol: 1e-15 });
    checkVmap((a: NdArray, m: NdArray) => f(a, -1, { where: m.gt(0) }), [batchOf(3, [2, 4]), batchOf(3, [2, 4], 5)], { rtol: 1e-15, atol: 1e-15 });
    expectClose(jit((a: NdArray) => f(a))(x), host(f(x)), { rtol: 1e-14, atol: 1e-14 });
    expectClose(jit((a: NdArray) => f(a, 0, { where: mask }))(x), host(f(x, 0, { where: mask })), { rtol: 1e-14, atol: 1e-14 });
  });
});

describe("JAX's gradient conventions", () => {
  test("softmax's tangent is y·(ẋ - Σ y·ẋ) (its custom rule), also under jit and vmap", () => {
    const x = det([2, 3], 3);
    const t = det([2, 3], 4);
    const [y, dy] = jvp((a: NdArray) => nn.softmax(a), [x], [t]) as NdArray[];
    const want = y!.mul(t.sub(np.sum(y!.mul(t), -1, { keepdims: true })));
    expectClose(dy!, host(want), { rtol: 1e-14, atol: 1e-15 });
    const [, dyJit] = jvp(jit((a: NdArray) => nn.softmax(a)), [x], [t]) as NdArray[];
    expectClose(dyJit!, host(want), { rtol: 1e-14, atol: 1e-15 });
    const text = makeJaxpr((a: NdArray) => nn.softmax(a))(x).toString();
    expect(text).toContain("custom_jvp_call[");
    expect(text).toContain("name=softmax");
    // The tangent is exactly zero along the all-ones direction (softmax is shift invariant).
    const [, dShift] = jvp((a: NdArray) => nn.softmax(a), [x], [np.onesLike(x)]) as NdArray[];
    expect(Math.max(...Array.from(dShift!.dataSync(), Math.abs))).toBeLessThan(1e-15);
  });

  test("logSoftmax stops the gradient through the max, as JAX", () => {
    const text = makeJaxpr((a: NdArray) => nn.logSoftmax(a))(np.ones([2, 3])).toString();
    expect(text).toContain("stop_gradient");
    // d/dx Σ_i w_i·logSoftmax(x)_i = w - softmax(x)·Σw.
    const x = det([4], 5);
    const w = np.array([1, -2, 0.5, 3], { dtype: "float64" });
    const g = grad((a: NdArray) => nn.logSoftmax(a).mul(w).sum())(x);
    expectClose(g, host(w.sub(nn.softmax(x).mul(w.sum()))), { rtol: 1e-13, atol: 1e-14 });
  });

  test("per-example gradients: vmap(grad) through softmax", () => {
    const xs = batchOf(3, [4]);
    const gs = vmap(grad((a: NdArray) => nn.softmax(a).at(0).get()))(xs);
    for (let i = 0; i < 3; i++) {
      const y = nn.softmax(xs.at(i).get());
      const y0 = y.at(0).get();
      const want = np.zerosLike(y).at(0).set(y0).sub(y.mul(y0));
      expectClose(gs.at(i).get(), host(want), { rtol: 1e-13, atol: 1e-15 });
    }
  });
});

describe("memory and errors", () => {
  test("eager calls leave only their result alive", () => {
    const x = det([50, 40], 1);
    const mask = x.gt(0);
    for (const f of [() => nn.softmax(x), () => nn.logSoftmax(x, 0, { where: mask }), () => nn.standardize(x), () => nn.gelu(x), () => nn.relu(x)]) {
      f().dispose();
      const before = memoryStats().liveArrays;
      const y = f();
      expect(memoryStats().liveArrays, f.toString()).toBe(before + 1);
      y.dispose();
    }
  });

  test("errors name the op", () => {
    const x = np.ones([2, 3]);
    expect(() => nn.softmax(x, 2)).toThrow("softmax: axis 2 is out of range for an array of shape [2,3] (rank 2); use an integer in [-2, 1].");
    expect(() => nn.logSoftmax(x, [0, 0])).toThrow("logSoftmax: repeated axis in [0,0]; list each axis once.");
    expect(() => nn.softmax(np.array(1))).toThrow("softmax: axis -1 is out of range");
    expect(() => nn.softmax(x, -1, { where: np.ones([3, 2]) })).toThrow("softmax: the where mask f32[3,2] does not broadcast to the input f32[2,3].");
    expect(() => nn.softmax(x, { axis: 0, initial: 0 } as never)).toThrow(ArgumentError);
    expect(() => nn.softmax(x, { axis: 0, initial: 0 } as never)).toThrow('softmax: unknown option "initial"');
  });
});
