// jit composes with grad both ways: jit(grad(f)) (the gradient's jaxpr compiled into
// one program) and grad(jit(f)) (jit inlined under the transformation) equal the
// eager gradient, for random smooth programs and for a small MLP's loss.
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { grad, jit, numpy as np, tidy, valueAndGrad } from "../../src/index.js";
import { ShapedArray } from "../../src/core/index.js";
import { getBackend } from "../../src/trace/backend.js";
import { concreteFromValues } from "../../src/trace/concrete.js";
import type { Array as NdArray } from "../../src/trace/array.js";
import { hostArb } from "../helpers/arbitraries.js";
import { programArb } from "../helpers/programs.js";
import { expectAgree } from "./compare.js";
import { mlpLoss, mlpParams, type Params } from "./mlp.js";

const RUNS = Number(process.env.JIT_RUNS ?? 300);

describe("jit and grad", () => {
  for (const dtype of ["float32", "float64"] as const) {
    test(`jit(grad(f)) and grad(jit(f)) equal grad(f) for random smooth programs on ${dtype}`, () => {
      const arb = fc
        .array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 })
        .chain((shape) => fc.tuple(programArb(shape, dtype, { smooth: true }), hostArb(dtype, shape, { min: -2, max: 2 }), hostArb(dtype, shape, { min: -2, max: 2 })));
      fc.assert(
        fc.property(arb, ([prog, hx, hy]) => {
          tidy(() => {
            const place = (h: typeof hx) => concreteFromValues(h.values, new ShapedArray(h.shape, h.dtype), getBackend("wasm")) as NdArray;
            const [x, y] = [place(hx), place(hy)];
            const f = (a: NdArray) => np.sum(prog.run(a, y));
            const want = grad(f)(x);
            try {
              expectAgree("jit(grad(f))", jit(grad(f))(x), want, true);
              expectAgree("grad(jit(f))", grad(jit(f))(x), want, true);
            } catch (e) {
              throw new Error(`${prog}\n${(e as Error).message}`);
            }
          });
        }),
        { numRuns: Math.round(RUNS / 3) },
      );
    });
  }

  test("an MLP's loss and gradients under jit equal eager", () => {
    const p = mlpParams(5, 16, 3);
    const x = np.linspace(-1, 1, 40).reshape([8, 5]);
    const y = np.cos(np.linspace(0, 3, 24)).reshape([8, 3]);
    const [l0, g0] = valueAndGrad(mlpLoss)(p, x, y) as [NdArray, Params];
    const [l1, g1] = jit(valueAndGrad(mlpLoss))(p, x, y) as [NdArray, Params];
    expectAgree("loss", l1, l0, true);
    for (const k of ["w1", "b1", "w2", "b2"] as const) expectAgree(k, g1[k], g0[k], true);
    const g2 = grad(jit(mlpLoss))(p, x, y) as Params;
    for (const k of ["w1", "b1", "w2", "b2"] as const) expectAgree(k, g2[k], g0[k], true);
    expect(jit(valueAndGrad(mlpLoss)).lower(p, x, y).compiled.describe()).toMatch(/matmul/);
  });
});
