import { describe, expect, test } from "vitest";
import {
  FerraxError,
  checkpoint,
  customJvp,
  customVjp,
  grad,
  jit,
  jvp,
  lax,
  makeJaxpr,
  memoryStats,
  numpy as np,
  resetPeakMemory,
  tidy,
  valueAndGrad,
  vjp,
  vmap,
} from "../../src/index.js";
import { checkGrads } from "../../src/testing/index.js";

const item = (x: unknown): number => (x as np.Array).item() as number;

describe("customJvp", () => {
  // log(1 + e^x): the naive derivative e^x / (1 + e^x) is inf/inf = nan at x = 100 in float32.
  const naive = (x: np.Array) => np.log(np.exp(x).add(1));
  const log1pexp = customJvp(naive).defJvp(([x]: np.Array[], [t]: np.Array[]) => {
    const ans = log1pexp(x!);
    return [ans, t!.mul(np.subtract(1, np.divide(1, np.exp(x!).add(1))))];
  });

  test("a stable rule gives finite gradients where the naive one overflows", () => {
    expect(Number.isNaN(item(grad(naive)(100.0)))).toBe(true);
    expect(item(grad(log1pexp)(100.0))).toBeCloseTo(1, 6);
    expect(item(grad(log1pexp)(0.0))).toBeCloseTo(0.5, 6);
    expect(item(log1pexp(np.array(3.0)))).toBeCloseTo(Math.log1p(Math.exp(3)), 5);
    // Second order through the rule: d2/dx2 log1pexp = s(1 - s) with s = logistic(x).
    const s = 1 / (1 + Math.exp(-0.3));
    expect(item(grad(grad(log1pexp))(0.3))).toBeCloseTo(s * (1 - s), 5);
  });

  test("the rule is used in forward mode too, and jaxprs show custom_jvp_call", () => {
    // The primal overflows in float32 (as JAX's does); the tangent comes from the rule.
    const [, t] = jvp(log1pexp, [np.array(100.0)], [np.array(2.0)]) as np.Array[];
    expect(item(t)).toBeCloseTo(2, 6);
    const text = makeJaxpr(log1pexp)(1.0).toString();
    expect(text).toContain("custom_jvp_call[");
    expect(text).toContain("call_jaxpr={ lambda ; c:f32[]. let\n          d:f32[] = exp c");
    expect(text).toContain("jvp=<function jvp>");
  });

  test("nondiffArgnums are passed to the rule first", () => {
    const scaled = customJvp((k: number, x: np.Array) => x.mul(k), { nondiffArgnums: [0] }).defJvp(
      (k: number, [x]: np.Array[], [t]: np.Array[]) => [x!.mul(k), t!.mul(2 * k)],
    );
    expect(item(grad((x: np.Array) => scaled(3, x))(np.array(1.0)))).toBe(6);
  });

  test("errors: no rule, a rule of the wrong type, closing over a differentiated value", () => {
    expect(() => customJvp((x: np.Array) => x)(np.array(1.0))).toThrow("customJvp: fun has no JVP rule; call .defJvp(rule) before calling it.");
    const bad = customJvp(function twice(x: np.Array) {
      return x.mul(2);
    }).defJvp(([x]: np.Array[], [t]: np.Array[]) => [x!.mul(2), t!.sum()]);
    expect(() => grad((x: np.Array) => bad(x).sum())(np.ones([3]))).toThrow(
      "customJvp: twice's rule returned primal f32[3] and tangent f32[] for output 0, but the function returns f32[3]; both must have that type.",
    );
    const f = (y: np.Array) => {
      const inner = customJvp((x: np.Array) => x.mul(y)).defJvp(([x]: np.Array[], [t]: np.Array[]) => [x!.mul(y), t!.mul(y)]);
      return inner(np.array(2.0));
    };
    expect(() => grad(f)(np.array(3.0))).toThrow(/closes over a value that is being differentiated/);
  });
});

describe("customVjp", () => {
  // Gradient clipping: the identity forward, a clipped cotangent backward.
  const clipGradient = customVjp((x: np.Array) => x).defVjp(
    (x: np.Array) => [x, null],
    (_res: null, g: np.Array) => [np.clip(g, -1, 1)],
  );

  test("gradient clipping", () => {
    const f = (x: np.Array) => clipGradient(x).mul(5).sum();
    expect(Array.from((grad(f)(np.array([1, 2])) as np.Array).dataSync())).toEqual([1, 1]);
    const g = (x: np.Array) => clipGradient(x).mul(0.25).sum();
    expect(Array.from((grad(g)(np.array([1, 2])) as np.Array).dataSync())).toEqual([0.25, 0.25]);
  });

  test("gradient clipping under jit, in both orders", () => {
    const f = (x: np.Array) => clipGradient(x).mul(5).sum();
    expect(Array.from((jit(grad(f))(np.array([1, 2])) as np.Array).dataSync())).toEqual([1, 1]);
    expect(Array.from((grad(jit(f))(np.array([1, 2])) as np.Array).dataSync())).toEqual([1, 1]);
    expect(Array.from((jit(vmap(grad(f)))(np.array([[1, 2], [3, 4]])) as np.Array).dataSync())).toEqual([1, 1, 1, 1]);
  });

  test("residuals flow from fwd to bwd; pytrees of arguments", () => {
    const mulSin = customVjp((p: { a: np.Array; b: np.Array }) => np.sin(p.a).mul(p.b)).defVjp(
      (p: { a: np.Array; b: np.Array }) => [np.sin(p.a).mul(p.b), { cos: np.cos(p.a), sin: np.sin(p.a), b: p.b }],
      (r: { cos: np.Array; sin: np.Array; b: np.Array }, g: np.Array) => [{ a: g.mul(r.cos).mul(r.b), b: g.mul(r.sin) }],
    );
    checkGrads((a: np.Array, b: np.Array) => mulSin({ a, b }), [np.array([0.3, 1.1]), np.array([2, -1])], {
      modes: ["rev"],
      order: 2,
    });
    const [, pullback] = vjp((a: np.Array) => mulSin({ a, b: np.array([2, -1]) }), np.array([0.3, 1.1]));
    const [ct] = pullback(np.array([1, 1])) as np.Array[];
    expect(Array.from(ct!.dataSync()).map((v) => Number(v.toFixed(5)))).toEqual([2 * Math.cos(0.3), -Math.cos(1.1)].map((v) => Number(v.toFixed(5))));
  });

  test("forward mode is refused with JAX's reason; bad cotangents are named", () => {
    expect(() => jvp(clipGradient, [np.array([1.0])], [np.array([1.0])])).toThrow(FerraxError);
    expect(() => jvp(clipGradient, [np.array([1.0])], [np.array([1.0])])).toThrow(/can't apply forward-mode autodiff \(jvp\) to a customVjp function/);
    const wrong = customVjp(function f(x: np.Array) {
      return x.mul(2);
    }).defVjp(
      (x: np.Array) => [x.mul(2), null],
      (_r: null, g: np.Array) => [g.sum()],
    );
    expect(() => grad((x: np.Array) => wrong(x).sum())(np.ones([3]))).toThrow(
      "customVjp: f's bwd returned a cotangent f32[] for an input of type f32[3]; they must match.",
    );
  });
});

describe("checkpoint", () => {
  const block = (x: np.Array) => {
    let y = x;
    for (let i = 0; i < 8; i++) y = np.sin(y).mul(1.1);
    return y;
  };
  const deep = (useCheckpoint: boolean) => (x: np.Array) => {
    let y = x;
    const step = useCheckpoint ? checkpoint(block) : block;
    for (let i = 0; i < 8; i++) y = step(y);
    return y.sum();
  };

  test("identical gradients, fewer live buffers at the peak", () => {
    const x = np.linspace(-1, 1, 64);
    const peak = (f: (x: np.Array) => np.Array) => {
      resetPeakMemory();
      const before = memoryStats().liveArrays;
      const g = tidy(() => grad(f)(x) as np.Array);
      return { g: Array.from(g.dataSync()), peak: memoryStats().peakLiveArrays - before };
    };
    const plain = peak(deep(false));
    const remat = peak(deep(true));
    expect(remat.g).toEqual(plain.g);
    expect(remat.peak).toBeLessThan(plain.peak / 2);
  });

  test("checkpoint composes with grad of grad and shows in jaxprs", () => {
    const f = checkpoint((x: np.Array) => np.sin(np.sin(x)));
    const x0 = 0.4;
    const c = Math.cos(x0);
    const s1 = Math.sin(x0);
    // (sin(sin x))'' = -sin(sin x) cos^2 x - cos(sin x) sin x
    expect(item(grad(grad(f))(x0))).toBeCloseTo(-Math.sin(s1) * c * c - Math.cos(s1) * s1, 5);
    const text = makeJaxpr(grad(f))(1.0).toString();
    expect(text).toContain("checkpoint[");
    expect(text).toContain("differentiated=True");
    expect(() => checkpoint(f, { policy: "dots" } as never)).toThrow("checkpoint: only policy null (save only the inputs) is supported.");
  });
});

describe("stopGradient", () => {
  test("blocks derivatives, keeps values", () => {
    const f = (x: np.Array) => x.mul(lax.stopGradient(x)).sum();
    const [v, g] = valueAndGrad(f)(np.array([2, 3])) as [np.Array, np.Array];
    expect(item(v)).toBe(13);
    expect(Array.from(g.dataSync())).toEqual([2, 3]);
    expect(makeJaxpr((x: np.Array) => lax.stopGradient(x))(1.0).toString()).toBe(
      "{ lambda ; a:f32[]. let b:f32[] = stop_gradient a in (b,) }",
    );
  });
});
