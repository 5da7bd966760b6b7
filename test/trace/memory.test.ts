import { describe, expect, test } from "vitest";
import { DisposedArrayError, customJvp, customVjp, grad, jacfwd, jacrev, jvp, keep, memoryStats, numpy as np, setDebug, tidy, vjp, vmap } from "../../src/index.js";

describe("memory model", () => {
  test("ops never consume their inputs", () => {
    const x = np.array([1, 2, 3]);
    const y = x.add(1);
    const z = x.mul(y);
    expect(Array.from(x.dataSync())).toEqual([1, 2, 3]);
    expect(Array.from(z.dataSync())).toEqual([2, 6, 12]);
    [x, y, z].forEach((a) => a.dispose());
  });

  test("transformations free their intermediates: only their outputs stay alive", () => {
    const w = np.array([0.5, -1, 2]);
    const xs = np.array([[1, 2, 3], [4, 5, 6]]);
    const ys = np.array([1, 2]);
    const loss = (w_: np.Array, x: np.Array, y: np.Array) => np.dot(x, w_).sub(y).square();
    const before = memoryStats().liveArrays;
    const results = [
      vmap(grad(loss), { inAxes: [null, 0, 0] })(w, xs, ys),
      vmap((x: np.Array) => x.mul(2))(xs),
      ...(jvp((x: np.Array) => np.sin(x).mul(x), [w], [w]) as np.Array[]),
      jacrev((x: np.Array) => np.sin(x).mul(x.sum()))(w),
      jacfwd((x: np.Array) => np.sin(x).mul(x.sum()))(w),
    ] as np.Array[];
    expect(memoryStats().liveArrays).toBe(before + results.length);
    results.forEach((r) => r.dispose());
    const [out, pullback] = vjp((x: np.Array) => np.sin(x).mul(x), w);
    const kept = memoryStats().liveArrays - before;
    (out as np.Array).dispose();
    pullback.dispose();
    expect(memoryStats().liveArrays).toBe(before);
    expect(kept).toBeGreaterThan(1); // the output and the residuals (sin x, cos x, x...) until disposed
  });

  test("custom_jvp and custom_vjp functions called eagerly free their bodies' intermediates", () => {
    const body = (x: np.Array) => np.sin(x).mul(2).add(np.cos(x));
    const f = customJvp(body).defJvp(([x]: np.Array[], [t]: np.Array[]) => [body(x!), t!.mul(2)]);
    const g = customVjp(body).defVjp((x: np.Array) => [body(x), x], (x: np.Array, ct: np.Array) => [ct.mul(np.cos(x))]);
    const x = np.array([1, 2, 3]);
    const want = Array.from(tidy(() => body(x)).dataSync());
    const before = memoryStats().liveArrays;
    for (let i = 0; i < 5; i++) {
      const [a, b] = [f(x), g(x)];
      expect(Array.from(a.dataSync())).toEqual(want);
      expect(Array.from(b.dataSync())).toEqual(want);
      a.dispose();
      b.dispose();
    }
    expect(memoryStats().liveArrays).toBe(before);
    x.dispose();
  });

  test("`using` disposes at the end of the block", () => {
    const before = memoryStats().liveArrays;
    {
      using x = np.array([1, 2, 3]);
      using y = x.mul(2);
      expect(Array.from(y.dataSync())).toEqual([2, 4, 6]);
      expect(memoryStats().liveArrays).toBe(before + 2);
    }
    expect(memoryStats().liveArrays).toBe(before);
  });

  test("a JS number operand holds no backend memory after the op", () => {
    const x = np.array([1, 2, 3]);
    x.dataSync();
    const before = memoryStats();
    for (let i = 0; i < 100; i++) {
      const a = x.add(i);
      const b = a.mul(2.5);
      a.dispose();
      b.dispose();
    }
    const y = x.add(1);
    y.dispose();
    expect(memoryStats().liveBuffers).toBe(before.liveBuffers);
    expect(memoryStats().liveArrays).toBe(before.liveArrays);
    x.dispose();
  });

  test("tidy frees everything made inside except the result", () => {
    const x = np.array([1, 2, 3]);
    x.dataSync();
    const before = memoryStats();
    const y = tidy(() => x.mul(2).add(1).exp().sum());
    const during = memoryStats();
    expect(during.liveArrays).toBe(before.liveArrays + 1);
    expect(during.liveBuffers).toBe(before.liveBuffers + 1);
    expect(y.item()).toBeCloseTo(Math.exp(3) + Math.exp(5) + Math.exp(7), 2);
    y.dispose();
    expect(memoryStats().liveBuffers).toBe(before.liveBuffers);
    expect(memoryStats().liveArrays).toBe(before.liveArrays);
    x.dispose();
  });

  test("nested tidy moves returned arrays to the enclosing scope; pytrees are kept whole", () => {
    const before = memoryStats();
    const out = tidy(() => {
      const inner = tidy(() => ({ a: np.ones([4]).add(1), b: [np.zeros([2]).sub(1)] }));
      const tmp = inner.a.mul(3);
      expect(tmp.size).toBe(4);
      return inner;
    });
    expect(Array.from(out.a.dataSync())).toEqual([2, 2, 2, 2]);
    expect(Array.from(out.b[0]!.dataSync())).toEqual([-1, -1]);
    expect(memoryStats().liveArrays).toBe(before.liveArrays + 2);
    out.a.dispose();
    out.b[0]!.dispose();
    expect(memoryStats().liveBuffers).toBe(before.liveBuffers);
  });

  test("a single-array result is kept by identity through nested scopes; returned inputs are untouched", () => {
    const x = np.array([1, 2, 3]);
    x.dataSync();
    const before = memoryStats();
    let a: np.Array | null = null;
    let b: np.Array | null = null;
    let dropped: np.Array | null = null;
    const out = tidy(() => {
      a = tidy(() => x.add(1).mul(2)); // (x + 1) is freed here; a moves to this scope
      b = a.mul(3);
      dropped = tidy(() => tidy(() => b!.sub(1))); // moves up two scopes, then freed with this one
      expect(tidy(() => x)).toBe(x); // an input returned: not this scope's to free or keep
      return tidy(() => a!.add(b!));
    });
    expect(Array.from(out.dataSync())).toEqual([16, 24, 32]);
    expect(memoryStats().liveArrays).toBe(before.liveArrays + 1);
    for (const freed of [a!, b!, dropped!]) expect(() => freed.dataSync()).toThrow(DisposedArrayError);
    expect(Array.from(x.dataSync())).toEqual([1, 2, 3]);
    // A single result that is also kept: keep() took it out of the scope, tidy leaves it alone.
    const k = tidy(() => keep(x.add(10)));
    expect(Array.from(k.dataSync())).toEqual([11, 12, 13]);
    out.dispose();
    k.dispose();
    expect(memoryStats().liveBuffers).toBe(before.liveBuffers);
    expect(memoryStats().liveArrays).toBe(before.liveArrays);
    x.dispose();
  });

  test("composites free their intermediates inside a user's scope too, and keep aliased inputs", () => {
    const x = np.array([3, -4, 0.5]);
    const y = np.array([4]);
    x.dataSync();
    y.dataSync();
    const before = memoryStats();
    const [h, c] = tidy(() => [np.hypot(x, y), np.clip(x)]); // clip without bounds returns x itself
    expect(c).toBe(x);
    expect(memoryStats().liveArrays).toBe(before.liveArrays + 1);
    const expected = [5, Math.hypot(4, 4), Math.hypot(0.5, 4)];
    Array.from(h.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 5));
    h.dispose();
    expect(memoryStats().liveArrays).toBe(before.liveArrays);
    // fromfunction's index vectors are freed too (its function runs traced, under vmap).
    const grid = np.fromfunction((i: np.Array, j: np.Array) => i.mul(3).add(j), [2, 3]);
    expect(memoryStats().liveArrays).toBe(before.liveArrays + 1);
    expect(Array.from(grid.dataSync())).toEqual([0, 1, 2, 3, 4, 5]);
    grid.dispose();
    expect(memoryStats().liveArrays).toBe(before.liveArrays);
    expect(Array.from(x.dataSync())).toEqual([3, -4, 0.5]);
    x.dispose();
    y.dispose();
  });

  test("a throwing tidy frees what it made; keep() exempts an array", () => {
    const before = memoryStats();
    let kept: np.Array | null = null;
    expect(() =>
      tidy(() => {
        np.ones([8]).add(2);
        kept = keep(np.ones([3]).mul(5));
        throw new Error("boom");
      }),
    ).toThrow("boom");
    expect(memoryStats().liveArrays).toBe(before.liveArrays + 1);
    expect(Array.from(kept!.dataSync())).toEqual([5, 5, 5]);
    kept!.dispose();
    expect(memoryStats().liveBuffers).toBe(before.liveBuffers);
  });

  test("use after dispose names the array, where it was freed, and the fix", () => {
    const plain = np.array([1]);
    plain.dispose();
    expect(() => plain.item()).toThrow(/freed by dispose\(\); call setDebug\(\{ disposeSites: true \}\) to record where/);
    setDebug({ disposeSites: true });
    const x = np.array([1, 2, 3]);
    x.dispose();
    setDebug({ disposeSites: false });
    expect(() => x.add(1)).toThrow(DisposedArrayError);
    expect(() => x.dataSync()).toThrow(/array #\d+ \(f32\[3\]\) was used after it was disposed \(freed by dispose\(\) at .*memory\.test\.ts/);
    expect(() => x.dataSync()).toThrow(/Keep it alive by returning it from the tidy\(\) block/);
    let leaked: np.Array | null = null;
    tidy(() => {
      leaked = np.ones([2]).add(1);
    });
    expect(() => leaked!.mul(2)).toThrow(/f32\[2\]\) was used after it was disposed \(freed by a tidy\(\) scope; call setDebug/);
    setDebug({ disposeSites: true });
    tidy(() => {
      leaked = np.ones([2]).add(1);
    });
    setDebug({ disposeSites: false });
    expect(() => leaked!.mul(2)).toThrow(/f32\[2\]\) was used after it was disposed \(freed by the tidy\(\) scope opened at .*memory\.test\.ts/);
    x.dispose(); // disposing twice is harmless
  });

  test("10,000 eager ops in tidy scopes hold WASM memory flat", () => {
    let x = np.ones([256]);
    const step = (): void => {
      const next = tidy(() => x.mul(0.5).add(1).sqrt().sum().add(x));
      x.dispose();
      x = next;
    };
    for (let i = 0; i < 200; i++) step();
    const warm = memoryStats();
    for (let i = 0; i < 10_000; i++) step();
    const after = memoryStats();
    expect(after.liveBuffers).toBe(warm.liveBuffers);
    expect(after.liveBytes).toBe(warm.liveBytes);
    expect(after.reservedBytes).toBe(warm.reservedBytes);
    expect(after.liveArrays).toBe(warm.liveArrays);
    expect(Number.isFinite(x.dataSync()[0]!)).toBe(true);
    x.dispose();
  });

  test("the finalization safety net frees arrays that were dropped without dispose", async () => {
    const gc = (globalThis as { gc?: () => void }).gc;
    expect(gc, "vitest runs with --expose-gc (see vitest.config.ts)").toBeTypeOf("function");
    // Let earlier tests' unreferenced arrays be collected first, so the baseline is stable.
    for (let i = 0; i < 3; i++) (gc!(), await new Promise((r) => setTimeout(r, 10)));
    const base = np.ones([1]);
    base.dataSync();
    const before = memoryStats();
    (() => {
      for (let i = 0; i < 50; i++) base.add(i).mul(2);
    })();
    expect(memoryStats().liveBuffers).toBeGreaterThanOrEqual(before.liveBuffers + 100);
    for (let i = 0; i < 20 && memoryStats().liveBuffers > before.liveBuffers; i++) {
      gc!();
      await new Promise((r) => setTimeout(r, 10));
    }
    // Other tests' garbage may be collected too, so the counts can only drop to (or below) the baseline.
    expect(memoryStats().liveBuffers).toBeLessThanOrEqual(before.liveBuffers);
    expect(memoryStats().liveArrays).toBeLessThanOrEqual(before.liveArrays);
    base.dispose();
  });

  test("the safety net also covers an array made alone in its job and arrays that leave tidy scopes", async () => {
    // Registration with the safety net is deferred (to the end of the job, or until
    // enough arrays are pending) and skipped while a tidy scope holds an array; each
    // way an array can end up unscoped and dropped must still free it.
    const gc = (globalThis as { gc?: () => void }).gc!;
    const settle = async (target: number, rounds = 20): Promise<number> => {
      for (let i = 0; i < rounds && memoryStats().liveArrays > target; i++) (gc(), await new Promise((r) => setTimeout(r, 10)));
      return memoryStats().liveArrays;
    };
    const base = np.ones([2]);
    base.dataSync();
    const drops: [string, () => void][] = [
      ["one array, nothing after it in the job", () => void base.add(1)],
      ["returned from an outermost tidy", () => void tidy(() => base.add(1).mul(2))],
      ["returned through nested tidies", () => void tidy(() => tidy(() => [base.mul(3), { y: base.add(2) }]))],
      ["kept with keep() inside a tidy", () => tidy(() => void keep(base.add(1).mul(3)))],
    ];
    for (const [what, drop] of drops) {
      const before = await settle(-1, 3); // other tests' garbage first, so the baseline is stable
      drop();
      expect(memoryStats().liveArrays, what).toBeGreaterThan(before);
      expect(await settle(before), what).toBeLessThanOrEqual(before);
    }
    base.dispose();
  });
});
