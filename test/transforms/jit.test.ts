// jit at the API level: caching, static and donated arguments, composition with grad
// and vmap, and the jaxpr optimizations it runs. (test/jit/ covers the WASM programs.)
import { describe, expect, test } from "vitest";
import { ArgumentError, ConcretizationError, DisposedArrayError, grad, jit, lax, makeJaxpr, numpy as np, setDefaultBackend, vmap } from "../../src/index.js";
import { ConcreteArray } from "../../src/trace/concrete.js";
import { optimizeJaxpr } from "../../src/transforms/optimize.js";

const values = (x: unknown): number[] => Array.from((x as np.Array).dataSync());

describe("jit", () => {
  test("equals eager and traces once per shape/dtype", () => {
    let traces = 0;
    const f = jit((x: np.Array) => {
      traces++;
      return np.sum(np.tanh(x.mul(2).add(1)).mul(np.exp(x.neg())));
    });
    const eager = (x: np.Array) => np.sum(np.tanh(x.mul(2).add(1)).mul(np.exp(x.neg())));
    const x = np.linspace(-2, 2, 64);
    expect(f(x).item()).toBeCloseTo(eager(x).item() as number, 5);
    f(np.linspace(0, 1, 64));
    expect(traces).toBe(1);
    f(np.linspace(0, 1, 32));
    f(np.linspace(0, 1, 32).astype("float64"));
    expect(traces).toBe(3);
    expect(f.cacheSize).toBe(3);
  });

  test("a program runs on the default backend of its call: switching backends compiles again", () => {
    const f = jit((x: np.Array) => np.exp(x).sum());
    const backendOf = (y: unknown) => (y as ConcreteArray).backend?.name;
    const prev = setDefaultBackend("wasm");
    try {
      const onWasm = f(np.arange(8));
      expect(backendOf(onWasm)).toBe("wasm");
      setDefaultBackend("interpreter");
      const onInterpreter = f(np.arange(8));
      expect(backendOf(onInterpreter)).toBe("interpreter");
      expect(onInterpreter.item()).toBeCloseTo(onWasm.item() as number, 3);
      expect(f.cacheSize).toBe(2);
    } finally {
      if (prev !== null) setDefaultBackend(prev);
    }
  });

  test("static arguments select the compilation; unhashable ones are refused", () => {
    const f = jit((x: np.Array, opts: { scale: number }) => x.mul(opts.scale), { staticArgnums: [1] });
    expect(values(f(np.array([1, 2]), { scale: 3 }))).toEqual([3, 6]);
    expect(values(f(np.array([1, 2]), { scale: 4 }))).toEqual([4, 8]);
    expect(f.cacheSize).toBe(2);
    // Values JSON would merge (NaN and null, -0 and 0, undefined and null in a list) are kept apart.
    const label = (s: unknown): number =>
      Object.is(s, -0) ? 1 : Number.isNaN(s) ? 2 : s === null ? 3 : globalThis.Array.isArray(s) ? (s[0] === undefined ? 4 : 6) : 5;
    const h = jit((x: np.Array, s: unknown) => x.add(label(s)), { staticArgnums: [1] });
    const zero = np.array([0]);
    expect([0, -0, NaN, null, [undefined], [null]].map((s) => values(h(zero, s))[0])).toEqual([5, 1, 2, 3, 4, 6]);
    expect(h.cacheSize).toBe(6);
    const g = jit((x: np.Array, h: (v: np.Array) => np.Array) => h(x), { staticArgnums: [1] });
    expect(() => g(np.ones([2]), (v: np.Array) => v)).toThrow(ArgumentError);
    expect(() => g(np.ones([2]), (v: np.Array) => v)).toThrow(/jit: static argument 1 is not hashable \(got a function\)/);
    expect(() => jit((x: np.Array) => x, { static: [1] } as never)).toThrow('jit: unknown option "static"; the options are: staticArgnums, donateArgnums.');
  });

  test("donated arguments are consumed; using one afterwards names the donation", () => {
    const step = jit((w: np.Array, g: np.Array) => w.sub(g.mul(0.1)), { donateArgnums: [0] });
    const w = np.array([1, 2, 3]);
    const w2 = step(w, np.array([1, 1, 1]));
    expect(values(w2)).toEqual([0.9, 1.9, 2.9].map(Math.fround));
    expect(() => w.add(1)).toThrow(DisposedArrayError);
    expect(() => w.add(1)).toThrow(/donated to a jit call \(donateArgnums\); use the call's outputs instead/);
  });

  test("composes with grad and vmap in both orders, and nested jit inlines", () => {
    const f = (x: np.Array) => np.sum(np.sin(x).mul(x));
    const x = np.array([0.5, 1, 2]);
    const want = values(grad(f)(x));
    expect(values(jit(grad(f))(x))).toEqual(want);
    expect(values(grad(jit(f))(x))).toEqual(want);
    const xs = np.array([[1, 2], [3, 4], [5, 6]]);
    const rowNorm = (r: np.Array) => np.sqrt(np.sum(r.mul(r)));
    const eager = values(vmap(rowNorm)(xs));
    expect(values(jit(vmap(rowNorm))(xs))).toEqual(eager);
    expect(values(vmap(jit(rowNorm))(xs))).toEqual(eager);
    const inner = jit((v: np.Array) => v.mul(2));
    const outer = jit((v: np.Array) => inner(v).add(1));
    expect(values(outer(np.array([1, 2])))).toEqual([3, 5]);
    expect(outer.lower(np.array([1, 2])).jaxpr.toString()).toBe(
      "{ lambda ; a:f32[2]. let\n    b:f32[2] = mul a 2.0:f32[]\n    c:f32[2] = add b 1.0:f32[]\n  in (c,) }",
    );
  });

  test("a dynamic shape under jit is a clear error", () => {
    const f = jit((x: np.Array, n: np.Array) => np.zeros([n as unknown as number]).add(x.sum()));
    expect(() => f(np.ones([2]), np.array(3))).toThrow(ConcretizationError);
    expect(() => f(np.ones([2]), np.array(3))).toThrow(/zeros: got an array where a static size was expected.*staticArgnums/);
    const g = jit((x: np.Array) => x.reshape([x.sum() as unknown as number]));
    expect(() => g(np.ones([2]))).toThrow(/reshape: got an array where a static size was expected/);
    const ok = jit((x: np.Array, n: number) => np.zeros([n]).add(x.sum()), { staticArgnums: [1] });
    expect(values(ok(np.ones([2]), 3))).toEqual([2, 2, 2]);
  });

  test("pytrees in and out; JS numbers are weak float32 arguments", () => {
    const f = jit((p: { w: np.Array; b: np.Array }, s: number) => ({ y: p.w.mul(s).add(p.b), s }));
    const out = f({ w: np.array([1, 2]), b: np.array([10, 20]) }, 3) as unknown as { y: np.Array; s: np.Array };
    expect(values(out.y)).toEqual([13, 26]);
    expect(out.s.item()).toBe(3);
  });
});

describe("jaxpr optimizations", () => {
  test("CSE keeps literals 0.0 and -0.0 apart", () => {
    const closed = makeJaxpr((x: np.Array) => [np.maximum(x, 0), np.maximum(x, -0)])(np.ones([2]));
    const text = optimizeJaxpr(closed).toString();
    expect(text).toContain("max a 0.0:f32[]");
    expect(text).toContain("max a -0.0:f32[]");
    expect(text).toContain("in (b, c)");
  });

  test("reductions over size-1 axes become reshapes, and reshapes of reshapes collapse", () => {
    const f = (x: np.Array) => {
      const a = np.sum(x.reshape([1, 6]), 0); // back to x's shape: gone
      const b = np.max(x.reshape([2, 1, 3]), 1).reshape([3, 2]); // one reshape of x
      const c = np.sum(x.reshape([2, 3]), 1); // a real reduction stays
      return [a, b, c];
    };
    const x = np.arange(6).astype("float32");
    const closed = makeJaxpr(f)(x);
    expect(optimizeJaxpr(closed).toString()).toBe(
      "{ lambda ; a:f32[6]. let\n" +
        "    b:f32[2,3] = reshape[dimensions=None new_sizes=(2, 3) sharding=None] a\n" +
        "    c:f32[3,2] = reshape[dimensions=None new_sizes=(3, 2) sharding=None] a\n" +
        "    d:f32[2] = reduce_sum[axes=(1,) out_sharding=None] b\n" +
        "  in (a, c, d) }",
    );
    const [a, b, c] = jit(f)(x) as np.Array[];
    expect(a!.tolist()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(b!.tolist()).toEqual([[0, 1], [2, 3], [4, 5]]);
    expect(c!.tolist()).toEqual([3, 12]);
  });

  test("reshapes hoist above elementwise ops (one fused loop), not above shared values or strided views", () => {
    const f = (x: np.Array) => np.sum(np.tanh(x.mul(2)).reshape([4, 6]), 1);
    const x = np.linspace(-1, 1, 24);
    expect(optimizeJaxpr(makeJaxpr(f)(x)).toString()).toBe(
      "{ lambda ; a:f32[24]. let\n" +
        "    b:f32[4,6] = reshape[dimensions=None new_sizes=(4, 6) sharding=None] a\n" +
        "    c:f32[4,6] = mul b 2.0:f32[]\n" +
        "    d:f32[4,6] = tanh c\n" +
        "    e:f32[4] = reduce_sum[axes=(1,) out_sharding=None] d\n" +
        "  in (e,) }",
    );
    expect(jit(f).lower(x).toString()).toContain("program:\n1 instruction");
    expect((jit(f)(x) as np.Array).tolist()).toEqual((f(x) as np.Array).tolist());
    // The tanh is also an output: the reshape stays below it.
    const g = (v: np.Array) => {
      const t = np.tanh(v);
      return [t, t.reshape([4, 6])];
    };
    expect(optimizeJaxpr(makeJaxpr(g)(x)).toString()).toContain("reshape[dimensions=None new_sizes=(4, 6) sharding=None] b");
    // A transposed operand would be copied to reshape: not hoisted.
    const h = (m: np.Array) => np.exp(m.T).reshape([24]);
    expect(optimizeJaxpr(makeJaxpr(h)(x.reshape([4, 6]))).toString()).toMatch(/= exp [\s\S]*= reshape/);
  });

  test("dot_generals over size-1 contractions become products; squeeze, unit broadcasts and unit transposes become reshapes", () => {
    // vmap(grad) of a linear model: per-example outer products with a contraction of size 1.
    const loss = (w: np.Array, x: np.Array, y: np.Array) => {
      const r = np.dot(x, w).sub(y);
      return r.mul(r);
    };
    const f = vmap(grad(loss), { inAxes: [null, 0, 0] });
    const w = np.linspace(-1, 1, 5);
    const x = np.linspace(-2, 2, 15).reshape([3, 5]);
    const y = np.array([0.5, -1, 2]);
    const text = optimizeJaxpr(makeJaxpr(f)(w, x, y)).toString();
    expect(text.match(/dot_general/g)).toHaveLength(1); // the forward x·w only
    expect(text).not.toMatch(/squeeze|transpose/);
    expect(text).toMatch(/= mul /);
    const got = (jit(f)(w, x, y) as np.Array).tolist() as number[][];
    const want = (f(w, x, y) as np.Array).tolist() as number[][];
    got.flat().forEach((v, i) => expect(v).toBeCloseTo(want.flat()[i]!, 5));
    // A batched outer product with an explicit unit contraction, against its loop.
    const outer = (a: np.Array, b: np.Array) => lax.dotGeneral(a, b, [[[2], [1]], [[0], [0]]]);
    const a = np.linspace(-1, 1, 2 * 3).reshape([2, 3, 1]);
    const b = np.linspace(0, 2, 2 * 4).reshape([2, 1, 4]);
    expect(optimizeJaxpr(makeJaxpr(outer)(a, b)).toString()).not.toContain("dot_general");
    // Equal values; a product keeps the sign of a zero that a sum from 0 drops (as in XLA).
    const plusZero = (t: np.Array) => Array.from(t.dataSync(), (v) => v + 0);
    expect(plusZero(jit(outer)(a, b) as np.Array)).toEqual(plusZero(outer(a, b) as np.Array));
  });

  test("identities, literal folding, CSE and DCE", () => {
    const f = (x: np.Array) => {
      const unused = np.exp(x); // dead
      void unused;
      const a = x.mul(1).add(0).sin(); // identities removed
      const b = x.sin(); // CSE with a
      return a.add(b).mul(np.array(2).mul(3).add(1)); // scalar arithmetic folds to 7
    };
    const closed = makeJaxpr(f)(np.ones([3]));
    expect(optimizeJaxpr(closed).toString()).toBe(
      "{ lambda ; a:f32[3]. let\n    b:f32[3] = sin a\n    c:f32[3] = add b b\n    d:f32[3] = mul c 7.0:f32[]\n  in (d,) }",
    );
  });
});
