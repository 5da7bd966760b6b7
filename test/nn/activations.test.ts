// The elementwise activations of nn: values on both backends against float64 closed
// forms over drawn shapes and values, JAX's derivatives at the kinks, gradients against
// finite differences, vmap against a loop, jit against eager, integer promotion.
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { type DType, grad, jit, makeJaxpr, nn, numpy as np } from "../../src/index.js";
import { checkGrads } from "../../src/testing/index.js";
import type { Array as NdArray } from "../../src/trace/array.js";
import { hostArb, shapeArb } from "../helpers/arbitraries.js";
import { INTERP, WASM, runOn } from "../helpers/parity.js";
import { RUNS, batchOf, checkVmap, det, expectClose, host } from "../numpy/helpers.js";
import { ACTIVATIONS } from "./reference.js";

type Unary = (x: NdArray) => NdArray;
const FNS: Record<string, Unary> = {
  relu: nn.relu, relu6: nn.relu6, leakyRelu: (x) => nn.leakyRelu(x), hardTanh: nn.hardTanh, hardSigmoid: nn.hardSigmoid,
  hardSilu: nn.hardSilu, sparsePlus: nn.sparsePlus, sparseSigmoid: nn.sparseSigmoid, sigmoid: nn.sigmoid,
  softplus: nn.softplus, logSigmoid: nn.logSigmoid, softSign: nn.softSign, silu: nn.silu, mish: nn.mish,
  squareplus: (x) => nn.squareplus(x), gelu: (x) => nn.gelu(x), geluExact: (x) => nn.gelu(x, false),
  elu: (x) => nn.elu(x), celu: (x) => nn.celu(x), selu: nn.selu,
};
/** Functions whose derivative jumps somewhere: checked to first order only, away from the kinks. */
const PIECEWISE = new Set(["relu", "relu6", "leakyRelu", "hardTanh", "hardSigmoid", "hardSilu", "sparsePlus", "sparseSigmoid", "elu", "selu"]);

const unit = (d: DType): number => (d === "float64" ? 2 ** -53 : 2 ** -24);

describe("activations: values on both backends against float64 closed forms", () => {
  const arb = fc.tuple(fc.constantFrom<DType>("float32", "float64"), shapeArb({ maxRank: 3, maxDim: 4 }), fc.boolean()).chain(([dtype, shape, small]) =>
    hostArb(dtype, shape, { finite: true, min: -20, max: 20, small }),
  );
  test.each(Object.keys(FNS))("%s", (name) => {
    const f = FNS[name]!;
    const ref = ACTIVATIONS[name]!;
    fc.assert(
      fc.property(arb, (h) => {
        for (const backend of [WASM, INTERP]) {
          const r = runOn(backend, [h], f);
          expect(r.dtype).toBe(h.dtype);
          expect(r.shape).toEqual(h.shape);
          // A few ulps of the input and output magnitudes (cancellation in 1 + tanh etc. is absolute).
          const u = unit(h.dtype);
          r.values.forEach((got, i) => {
            const x = h.values[i]!;
            const want = ref(x);
            const tol = 64 * u * (1 + Math.abs(x) + Math.abs(want));
            if (!(Math.abs(got - want) <= tol)) expect(got, `${name}(${x}) on ${backend} ${h.dtype}: want ${want}`).toBe(want);
          });
        }
      }),
      RUNS,
    );
  });
});

describe("derivatives", () => {
  const d = (f: Unary, x: number): number => grad((v: NdArray) => f(v))(np.array(x, { dtype: "float64" })).item() as number;

  test("JAX's conventions at the kinks", () => {
    expect(d(nn.relu, 0)).toBe(0);
    expect(d(nn.relu, 1e-300)).toBe(1);
    expect(d(nn.relu6, 0)).toBe(0);
    expect(d(nn.relu6, 6)).toBe(0);
    expect(d(nn.relu6, 3)).toBe(1);
    expect(d(nn.hardSigmoid, -3)).toBe(0);
    expect(d(nn.hardSigmoid, 3)).toBe(0);
    expect(d((x) => nn.leakyRelu(x), 0)).toBe(1);
    expect(d((x) => nn.leakyRelu(x, 0.2), -1)).toBeCloseTo(0.2, 15);
    expect(d(nn.hardTanh, 1)).toBe(1);
    expect(d(nn.hardTanh, -1)).toBe(1);
    expect(d(nn.hardTanh, 1.5)).toBe(0);
    expect(d((x) => nn.elu(x), 0)).toBe(1);
    expect(d((x) => nn.elu(x, 2), 0)).toBe(2);
    // celu: max and min split a tie evenly (JAX's rule), 1/2 + 1/2.
    expect(d((x) => nn.celu(x), 0)).toBe(1);
    expect(d(nn.sparsePlus, 1)).toBe(1);
    expect(d(nn.sparsePlus, -1)).toBe(0);
  });

  test("relu's rule also holds in forward mode, under vmap and jit", () => {
    const x = np.array([-1, 0, 2], { dtype: "float64" });
    expect(grad((v: NdArray) => jit(nn.relu)(v).sum())(x).tolist()).toEqual([0, 0, 1]);
    expect(jit(grad((v: NdArray) => nn.relu(v).sum()))(x).tolist()).toEqual([0, 0, 1]);
    expect(grad((v: NdArray) => nn.relu6(v.mul(3)).sum())(np.array([0, 1, 2, 3], { dtype: "float64" })).tolist()).toEqual([0, 3, 0, 0]);
  });

  test.each(Object.keys(FNS))("%s against finite differences (forward and reverse)", (name) => {
    const f = FNS[name]!;
    // Points away from every kink (0, ±1, ±3, 6) by at least 0.05.
    const x = np.array([-4.3, -2.2, -1.4, -0.6, -0.2, 0.3, 0.7, 1.6, 2.4, 4.1, 7.5], { dtype: "float64" });
    checkGrads(f as never, [x], { order: PIECEWISE.has(name) ? 1 : 2, atol: 1e-6, rtol: 1e-5 });
  });
});

describe("transforms and dtypes", () => {
  test.each(Object.keys(FNS))("%s: vmap equals a loop, jit equals eager", (name) => {
    const f = FNS[name]!;
    checkVmap(f, [batchOf(3, [2, 4])], { rtol: 1e-15, atol: 1e-15 });
    const x = det([3, 5], 2).mul(3);
    expectClose(jit(f)(x), host(f(x)), { rtol: 1e-14, atol: 1e-14 });
  });

  test("integer inputs: the rectifiers keep ints where JAX does, the smooth ones promote to float32", () => {
    const i = np.array([-2, 0, 3], { dtype: "int32" });
    expect(nn.relu(i).dtype).toBe("int32");
    expect(nn.relu(i).tolist()).toEqual([0, 0, 3]);
    expect(nn.hardTanh(i).dtype).toBe("int32");
    expect(nn.leakyRelu(i).dtype).toBe("float32");
    expect(nn.leakyRelu(i).tolist()).toEqual([-0.019999999552965164, 0, 3]);
    for (const f of [nn.sigmoid, nn.softplus, nn.silu, (x: NdArray) => nn.gelu(x), (x: NdArray) => nn.elu(x), nn.relu6, nn.hardSigmoid]) expect(f(i).dtype).toBe("float32");
    expect(nn.swish).toBe(nn.silu);
    expect(nn.hardSwish).toBe(nn.hardSilu);
  });

  test("JS numbers are weakly typed scalars", () => {
    expect(nn.relu(-3).tolist()).toBe(0);
    expect(nn.sigmoid(0).item()).toBe(0.5);
  });

  test("jaxprs: sigmoid is one logistic (as jax.make_jaxpr(jax.nn.sigmoid) prints); relu is a custom_jvp_call of max", () => {
    const x = np.array([1, 2, 3]);
    expect(makeJaxpr(nn.sigmoid)(x).toString()).toBe("{ lambda ; a:f32[3]. let b:f32[3] = logistic a in (b,) }");
    const relu = makeJaxpr(nn.relu)(x).toString();
    expect(relu).toContain("custom_jvp_call[");
    expect(relu).toContain("call_jaxpr={ lambda ; c:f32[3]. let d:f32[3] = max c 0.0:f32[] in (d,) }");
    expect(relu).toContain("name=relu");
  });
});

describe("glu", () => {
  test("values, axis, gradients, errors", () => {
    const x = det([2, 6], 3);
    const h = host(x);
    const want = { shape: [2, 3], data: [0, 1].flatMap((r) => [0, 1, 2].map((c) => h.data[r * 6 + c]! / (1 + Math.exp(-h.data[r * 6 + c + 3]!)))) };
    expectClose(nn.glu(x), want, { rtol: 1e-14, atol: 1e-15 });
    expectClose(nn.glu(x.T, 0), { shape: [3, 2], data: [0, 1, 2].flatMap((c) => [0, 1].map((r) => want.data[r * 3 + c]!)) }, { rtol: 1e-14, atol: 1e-15 });
    checkGrads(((v: NdArray) => nn.glu(v)) as never, [x], { order: 2, atol: 1e-7, rtol: 1e-6 });
    checkVmap((v: NdArray) => nn.glu(v, 0), [batchOf(2, [4, 3])], { rtol: 1e-15, atol: 1e-15 });
    expect(() => nn.glu(np.ones([2, 3]))).toThrow("glu: axis -1 of the input [2,3] has size 3; glu splits it into two halves, so it must be even.");
    expect(() => nn.glu(np.ones([2, 4]), 2)).toThrow("glu: axis 2 is out of range for an array of shape [2,4] (rank 2); use an integer in [-2, 1].");
  });
});
