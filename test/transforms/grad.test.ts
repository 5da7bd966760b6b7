import { describe, expect, test } from "vitest";
import {
  ConcretizationError,
  DTypeError,
  ShapeError,
  UnexpectedTracerError,
  grad,
  lax,
  jvp,
  linearize,
  makeJaxpr,
  numpy as np,
  setDebug,
  valueAndGrad,
  vjp,
} from "../../src/index.js";

const values = (x: unknown): number[] => Array.from((x as np.Array).dataSync());

describe("grad, vjp, jvp, linearize", () => {
  test("grad of sum(sin(x) * x) matches the closed form", () => {
    const g = grad((x: np.Array) => np.sum(np.sin(x).mul(x)))(np.array([1, 2, 3]));
    const want = [1, 2, 3].map((v) => Math.cos(v) * v + Math.sin(v));
    values(g).forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 5));
  });

  test("makeJaxpr(grad(f)) prints the jaxpr JAX prints for sum(sin(x)**2)", () => {
    const f = (x: np.Array) => np.sum(np.sin(x).pow(2));
    expect(makeJaxpr(grad(f))(np.ones([3])).toString()).toBe(
      [
        "{ lambda ; a:f32[3]. let",
        "    b:f32[3] = sin a",
        "    c:f32[3] = cos a",
        "    d:f32[3] = integer_pow[y=2] b",
        "    e:f32[3] = mul 2.0:f32[] b",
        "    _:f32[] = reduce_sum[axes=(0,) out_sharding=None] d",
        "    f:f32[3] = broadcast_in_dim 1.0:f32[]",
        "    g:f32[3] = mul f e",
        "    h:f32[3] = mul g c",
        "  in (h,) }",
      ].join("\n"),
    );
  });

  test("valueAndGrad, argnums lists and hasAux over pytrees", () => {
    const loss = (p: { w: np.Array; b: np.Array }, x: np.Array) => {
      const y = np.matmul(x, p.w).add(p.b);
      return [np.sum(y.square()), { mean: y.mean() }] as const;
    };
    const p = { w: np.array([[1], [2]]), b: np.array([0.5]) };
    const x = np.array([[1, 0], [0, 1], [1, 1]]);
    const [[value, aux], g] = valueAndGrad(loss, { hasAux: true })(p, x) as [[np.Array, { mean: np.Array }], { w: np.Array; b: np.Array }];
    // y = [1.5, 2.5, 3.5]; value = sum(y^2); dL/db = 2 sum(y); dL/dw = 2 x^T y
    expect(value.item()).toBeCloseTo(1.5 ** 2 + 2.5 ** 2 + 3.5 ** 2, 5);
    expect(aux.mean.item()).toBeCloseTo(2.5, 5);
    expect(values(g.b)).toEqual([15]);
    expect(values(g.w)).toEqual([2 * (1.5 + 3.5), 2 * (2.5 + 3.5)]);
    const [gw, gx] = grad((w: np.Array, x2: np.Array) => np.sum(w.mul(x2)), { argnums: [0, 1] })(np.array([1, 2]), np.array([3, 4])) as np.Array[];
    expect([values(gw), values(gx)]).toEqual([[3, 4], [1, 2]]);
  });

  test("jvp and linearize agree; vjp's pullback is the transpose", () => {
    const f = (x: np.Array) => np.tanh(x).mul(x);
    const x = np.array([0.3, -1.2]);
    const t = np.array([1, 2]);
    const [y, ty] = jvp(f, [x], [t]) as [np.Array, np.Array];
    const [y2, fJvp] = linearize(f, x);
    expect(values(y2)).toEqual(values(y));
    expect(values(fJvp(t))).toEqual(values(ty));
    const [, pullback] = vjp(f, x);
    const [ct] = pullback(np.array([1, 2])) as np.Array[];
    // f is elementwise, so J is diagonal and J^T u = J u
    values(ct).forEach((v, i) => expect(v).toBeCloseTo(values(ty)[i]!, 5));
    pullback.dispose();
  });

  test("nested grad has no perturbation confusion", () => {
    // d/dx [ d/dy (x * y) at y=c ] = d/dx x = 1 (JAX's answer; a tagless system gives 2)
    const c = np.array(2.0);
    const outer = grad((x: np.Array) => grad((y: np.Array) => x.mul(y))(c) as np.Array)(c) as np.Array;
    expect(outer.item()).toBe(1);
    // d/dx [ x * d/dy (x + y) ] = 1
    const f = (x: np.Array) => x.mul(grad((y: np.Array) => x.add(y))(np.array(1.0)) as np.Array);
    expect((grad(f)(np.array(3.0)) as np.Array).item()).toBe(1);
  });

  test("higher order: grad^3 matches closed forms at random points", () => {
    const third = (f: (x: np.Array) => np.Array) => grad(grad(grad(f)));
    const logistic = (v: number) => 1 / (1 + Math.exp(-v));
    for (const x0 of [-1.3, 0.2, 0.9]) {
      const x = np.array(x0, { dtype: "float64" });
      const s = logistic(x0);
      const th = Math.tanh(x0);
      const cases: [string, (x: np.Array) => np.Array, number][] = [
        ["sin", (x) => np.sin(x), -Math.cos(x0)],
        ["tanh", (x) => np.tanh(x), -2 * (1 - th * th) * (1 - 3 * th * th)],
        ["logistic", (x) => lax.logistic(x), s * (1 - s) * (1 - 6 * s + 6 * s * s)],
        ["pow", (x) => np.power(x.mul(x).add(1), 2.5), 0],
        ["composite", (x) => np.exp(np.sin(x)), 0],
      ];
      // (x^2+1)^2.5: third derivative by hand
      const u = x0 * x0 + 1;
      cases[3]![2] = 2.5 * 1.5 * (2 * 6 * x0 * Math.pow(u, 0.5) + 0.5 * 8 * x0 ** 3 * Math.pow(u, -0.5));
      const e = Math.exp(Math.sin(x0));
      const c1 = Math.cos(x0);
      const s1 = Math.sin(x0);
      cases[4]![2] = e * (c1 ** 3 - 3 * c1 * s1 - c1);
      for (const [name, f, want] of cases) {
        expect((third(f)(x) as np.Array).item(), `${name} at ${x0}`).toBeCloseTo(want, 8);
      }
    }
  });

  test("grad of grad of a function with a JS for-loop (unrolled by tracing)", () => {
    // p(x) = sum_{k=1..5} x^k / k  =>  p'' = sum_{k=2..5} (k-1) x^(k-2)
    const p = (x: np.Array) => {
      let acc = np.zerosLike(x);
      let pw = x;
      for (let k = 1; k <= 5; k++) {
        acc = acc.add(pw.div(k));
        pw = pw.mul(x);
      }
      return acc;
    };
    const x0 = 0.7;
    const d2 = grad(grad(p))(np.array(x0, { dtype: "float64" })) as np.Array;
    expect(d2.item()).toBeCloseTo(1 + 2 * x0 + 3 * x0 ** 2 + 4 * x0 ** 3, 10);
  });
});

describe("autodiff errors", () => {
  test("grad of a non-scalar output", () => {
    expect(() => grad((x: np.Array) => x.mul(2))(np.ones([3]))).toThrow(ShapeError);
    expect(() => grad((x: np.Array) => x.mul(2))(np.ones([3]))).toThrow(
      "grad: the function must return a float scalar, got f32[3]; use vjp or jacrev for non-scalar outputs, or reduce the output (e.g. np.sum).",
    );
  });

  test("grad with respect to an integer input", () => {
    expect(() => grad((x: np.Array) => x.sum().astype("float32"))(np.array([1, 2], { dtype: "int32" }))).toThrow(DTypeError);
    expect(() => grad((x: np.Array) => x.sum().astype("float32"))(np.array([1, 2], { dtype: "int32" }))).toThrow(
      /grad: input leaf 0 of the differentiated arguments has type i32\[2\]; grad differentiates with respect to floating inputs only/,
    );
  });

  test("branching on a traced value is a concretization error with a fix", () => {
    const f = (x: np.Array) => ((x.sum().item() as number) > 0 ? x.sum() : x.sum().neg());
    expect(() => grad(f)(np.ones([2]))).toThrow(ConcretizationError);
    expect(() => grad(f)(np.ones([2]))).toThrow(/item\(\): cannot read the values of a traced array f32\[\] inside grad.*np\.where/);
  });

  test("a tracer that escapes its transformation", () => {
    let leaked: np.Array | null = null;
    grad((x: np.Array) => {
      leaked = x.mul(2);
      return x.sum();
    })(np.ones([2]));
    expect(() => leaked!.add(1)).toThrow(UnexpectedTracerError);
    expect(() => leaked!.add(1)).toThrow(
      /got a traced value f32\[2\] created by grad \(call setDebug\(\{ traceSites: true \}\) to record where\) after that transformation finished/,
    );
    // With traceSites on, the error names the line that called grad.
    setDebug({ traceSites: true });
    try {
      grad((x: np.Array) => {
        leaked = x.mul(2);
        return x.sum();
      })(np.ones([2]));
    } finally {
      setDebug({ traceSites: false });
    }
    expect(() => leaked!.add(1)).toThrow(/got a traced value f32\[2\] created by grad \(called at .*grad\.test\.ts.*\) after that transformation finished/);
  });

  test("unknown options", () => {
    expect(() => grad((x: np.Array) => x, { argnum: 1 } as never)).toThrow('grad: unknown option "argnum"; the options are: argnums, hasAux.');
    expect(() => grad((x: np.Array) => x.sum(), { argnums: 3 })(np.ones([2]))).toThrow("grad: argnums 3 is out of range for a call with 1 argument(s).");
  });
});
