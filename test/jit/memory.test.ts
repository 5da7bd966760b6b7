// Memory under jit: a training step with donated parameters reuses their buffers
// and runs 10,000 steps at flat WASM memory; intermediates live in the shared arena
// with offsets reused; and the errors a jit call can raise.
import { describe, expect, test } from "vitest";
import { ArgumentError, DTypeError, DisposedArrayError, jit, memoryStats, numpy as np, tree, valueAndGrad } from "../../src/index.js";
import { ShapedArray } from "../../src/core/index.js";
import { ClosedJaxpr, Jaxpr, Var, type JaxprEqn } from "../../src/trace/jaxpr.js";
import { wasmBackend } from "../../src/backends/wasm/index.js";
import type { WasmBuffer } from "../../src/backends/wasm/array.js";
import type { ConcreteArray } from "../../src/trace/concrete.js";
import type { Array as NdArray } from "../../src/trace/array.js";
import { Prim } from "../../src/trace/prim.js";
import { bind } from "../../src/trace/trace.js";
import { makeJaxpr } from "../../src/trace/staging.js";
import { higherOrderParams } from "../helpers/cases-higher-order.js";
import { mlpLoss, mlpParams, type Params } from "./mlp.js";

const blockOf = (x: NdArray) => ((x as ConcreteArray).dataOn(wasmBackend) as WasmBuffer).block;

const sgd = (p: Params, x: NdArray, y: NdArray): [Params, NdArray] => {
  const [loss, g] = valueAndGrad(mlpLoss)(p, x, y) as [NdArray, Params];
  return [tree.map((w: NdArray, d: NdArray) => w.sub(d.mul(0.05)), p, g) as Params, loss];
};

describe("donation and flat memory", () => {
  test("a donated training step writes the new parameters into the old buffers", () => {
    const step = jit(sgd, { donateArgnums: [0] });
    const x = np.linspace(-1, 1, 32).reshape([8, 4]);
    const y = np.cos(np.linspace(0, 3, 16)).reshape([8, 2]);
    let p = mlpParams(4, 8, 2);
    const text = step.lower(p, x, y).compiled.describe();
    expect(text.match(/may reuse donated input/g)).toHaveLength(4);
    // Parameters built eagerly (zeros are broadcast views) get fresh blocks once; then they stay put.
    [p] = step(p, x, y);
    const blocks = (["w1", "b1", "w2", "b2"] as const).map((k) => blockOf(p[k]));
    for (let i = 0; i < 3; i++) {
      const [next, loss] = step(p, x, y);
      loss.dispose();
      expect((["w1", "b1", "w2", "b2"] as const).map((k) => blockOf(next[k]))).toEqual(blocks);
      expect(() => p.w1.add(1)).toThrow(DisposedArrayError);
      p = next;
    }
  });

  test("10,000 jit'd training steps with donated parameters hold WASM memory flat", () => {
    const step = jit(sgd, { donateArgnums: [0] });
    const x = np.linspace(-1, 1, 64).reshape([16, 4]);
    const y = np.sin(np.linspace(0, 3, 32)).reshape([16, 2]);
    let p = mlpParams(4, 8, 2);
    let first = Infinity;
    let loss = 0;
    const run = (n: number) => {
      for (let i = 0; i < n; i++) {
        const [next, l] = step(p, x, y);
        if (i === n - 1) loss = l.item() as number;
        l.dispose();
        p = next;
      }
    };
    run(20);
    first = (run(1), loss);
    const before = memoryStats();
    run(10_000);
    const after = memoryStats();
    expect(after.liveBuffers).toBe(before.liveBuffers);
    expect(after.liveBytes).toBe(before.liveBytes);
    expect(after.reservedBytes).toBe(before.reservedBytes);
    expect(loss).toBeLessThan(first);
  });

  test("intermediates share arena offsets when their lifetimes do not overlap", () => {
    const f = (x: NdArray) => {
      let h = x;
      for (let i = 0; i < 6; i++) h = np.matmul(np.tanh(h), x); // each matmul result dies after the next tanh
      return h;
    };
    const x = np.linspace(-1, 1, 64 * 64).reshape([64, 64]);
    const text = jit(f).lower(x).compiled.describe();
    const offsets = [...text.matchAll(/arena @(\d+)/g)].map((m) => Number(m[1]));
    expect(offsets.length).toBeGreaterThan(4);
    expect(new Set(offsets).size).toBeLessThan(offsets.length); // offsets are reused
    expect(text).toMatch(/arena: 32\.0 KiB/); // two 16 KiB buffers alive at a time
  });
});

describe("errors", () => {
  test("a static argument that is not hashable", () => {
    const f = jit((x: NdArray, cfg: unknown) => x.mul(2), { staticArgnums: [1] });
    expect(() => f(np.ones([2]), new Map())).toThrow(ArgumentError);
    expect(() => f(np.ones([2]), np.ones([1]))).toThrow(/static argument 1 is not hashable \(got an Array\)/);
  });

  test("a donated argument used after the call names the donation", () => {
    const f = jit((w: NdArray) => w.mul(2), { donateArgnums: [0] });
    const w = np.array([1, 2, 3]);
    const out = f(w);
    expect(out.tolist()).toEqual([2, 4, 6]);
    expect(() => w.tolist()).toThrow(DisposedArrayError);
    expect(() => w.mul(1)).toThrow(/donated to a jit call \(donateArgnums\); use the call's outputs instead/);
  });

  test("a kernel that rejects its dtype fails the call cleanly: the error names the instruction, nothing leaks", () => {
    // exp on int32 passes no type check; build the jaxpr by hand to reach the kernel.
    const a = new Var(new ShapedArray([3], "int32"));
    const b = new Var(new ShapedArray([3], "int32"));
    const c = new Var(new ShapedArray([3], "int32"));
    const eqns = [
      { prim: Prim.Add, inputs: [a, a], params: {}, outvars: [b] },
      { prim: Prim.Exp, inputs: [b], params: {}, outvars: [c] },
    ] as JaxprEqn[];
    const program = wasmBackend.compileJaxpr(new ClosedJaxpr(new Jaxpr([], [a], eqns, [c, b]), []), [false]);
    const x = np.array([1, 2, 3], { dtype: "int32" });
    x.dataSync();
    const before = memoryStats();
    expect(() => program.run([x as ConcreteArray])).toThrow(DTypeError);
    expect(() => program.run([x as ConcreteArray])).toThrow(/wasm: fused i32\[3\]: 2 ops.* is not supported/);
    expect(memoryStats().liveBuffers).toBe(before.liveBuffers);
    expect(memoryStats().liveBytes).toBe(before.liveBytes);
  });

  test("custom_lin cannot be compiled, with eager evaluation's message", () => {
    const lin = (x: NdArray) => {
      const cj = makeJaxpr((u: NdArray) => u)(x);
      return bind(Prim.CustomLin, [x], higherOrderParams(Prim.CustomLin, cj, cj.outAvals))[0]!;
    };
    const eager = (() => {
      try {
        lin(np.ones([2]));
      } catch (e) {
        return (e as Error).message;
      }
      return "no error";
    })();
    expect(eager).toMatch(/custom_lin: can't apply forward-mode autodiff/);
    expect(() => jit(lin)(np.ones([2]))).toThrow(eager);
  });
});
