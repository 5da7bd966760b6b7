import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { grad, hessian, jacfwd, jacrev, numpy as np } from "../../src/index.js";
import { arrays, shapes } from "../../src/testing/index.js";

const values = (x: unknown): number[] => Array.from((x as np.Array).dataSync());

describe("jacobians", () => {
  test("jacfwd and jacrev agree with each other and the closed form", () => {
    // f(x) = sin(x) * sum(x): J_ij = cos(x_i) s δ_ij + sin(x_i)
    const f = (x: np.Array) => np.sin(x).mul(x.sum());
    const xs = [0.5, -1, 2];
    const x = np.array(xs, { dtype: "float64" });
    const s = xs.reduce((a, b) => a + b, 0);
    const want = xs.flatMap((xi, i) => xs.map((_, j) => (i === j ? Math.cos(xi) * s : 0) + Math.sin(xi)));
    const jf = jacfwd(f)(x) as np.Array;
    const jr = jacrev(f)(x) as np.Array;
    expect(jf.shape).toEqual([3, 3]);
    values(jf).forEach((v, k) => expect(v).toBeCloseTo(want[k]!, 12));
    values(jr).forEach((v, k) => expect(v).toBeCloseTo(want[k]!, 12));
  });

  test("property: jacfwd == jacrev on random shapes; shape is out.shape + in.shape", () => {
    fc.assert(
      fc.property(arrays({ shape: shapes({ maxRank: 2, maxDim: 3 }), dtype: "float64", min: -1, max: 1 }), (x) => {
        const f = (a: np.Array) => np.tanh(a.mul(2)).mul(a.sum()).T;
        const jf = jacfwd(f)(x) as np.Array;
        const jr = jacrev(f)(x) as np.Array;
        expect(jf.shape).toEqual([...[...x.shape].reverse(), ...x.shape]);
        expect(jr.shape).toEqual(jf.shape);
        values(jr).forEach((v, k) => expect(v).toBeCloseTo(values(jf)[k]!, 10));
      }),
      { numRuns: 20 },
    );
  });

  test("pytrees: the Jacobian is the output structure of input structures", () => {
    const f = (p: { a: np.Array; b: np.Array }) => ({ u: p.a.mul(p.b), v: p.a.sum() });
    const p = { a: np.array([1, 2], { dtype: "float64" }), b: np.array([3, 4], { dtype: "float64" }) };
    for (const jac of [jacfwd, jacrev]) {
      const j = jac(f)(p) as { u: { a: np.Array; b: np.Array }; v: { a: np.Array; b: np.Array } };
      expect(j.u.a.shape).toEqual([2, 2]);
      expect(values(j.u.a)).toEqual([3, 0, 0, 4]);
      expect(values(j.u.b)).toEqual([1, 0, 0, 2]);
      expect(values(j.v.a)).toEqual([1, 1]);
      expect(values(j.v.b)).toEqual([0, 0]);
    }
  });

  test("the hessian of a batch-norm function of a matrix matches finite differences", () => {
    const w = np.array([[0.3, -1.2, 0.5], [1.1, 0.4, -0.7], [0.2, 0.9, 1.3], [-0.5, 0.6, 0.1]], { dtype: "float64" });
    const batchNorm = (x: np.Array) => {
      const mean = x.mean(0, { keepdims: true });
      const centered = x.sub(mean);
      const variance = centered.square().mean(0, { keepdims: true });
      return centered.div(np.sqrt(variance.add(1e-3))).mul(w).sum();
    };
    const x = np.array([[0.1, 1.5, -0.3], [0.8, -0.2, 0.4], [-1.1, 0.3, 0.9], [0.5, 0.7, -1.4]], { dtype: "float64" });
    const h = hessian(batchNorm)(x) as np.Array;
    expect(h.shape).toEqual([4, 3, 4, 3]);
    const hv = values(h);
    const eps = 1e-5;
    const g = grad(batchNorm);
    const base = values(x);
    for (let k = 0; k < 12; k++) {
      const bump = (d: number) => np.array(base.map((v, i) => (i === k ? v + d : v)), { dtype: "float64" }).reshape([4, 3]);
      const col = values(g(bump(eps))).map((v, i) => (v - values(g(bump(-eps)))[i]!) / (2 * eps));
      col.forEach((v, i) => expect(hv[i * 12 + k]!).toBeCloseTo(v, 5));
    }
  });
});
