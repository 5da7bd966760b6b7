// The shape of compiled programs: a cached call crosses into WASM once, the
// reduction chain is one fused instruction, softmax's reductions fuse with their
// prologue and epilogue (layernorm's also with its ops on the row statistics),
// large reductions (tiles split within an output) and matmul epilogues; and the
// inputs a program may meet (strided views, JS numbers, host constants, captured
// constants of higher-order primitives).
import { describe, expect, test } from "vitest";
import { customJvp, grad, jit, lax, makeJaxpr, numpy as np } from "../../src/index.js";
import { Prim } from "../../src/trace/prim.js";
import { bind } from "../../src/trace/trace.js";
import { higherOrderParams } from "../helpers/cases-higher-order.js";
import { wasmBackend } from "../../src/backends/wasm/index.js";
import type { Array as NdArray } from "../../src/trace/array.js";
import { expectAgree } from "./compare.js";

const chain = (x: NdArray) => np.sum(np.tanh(x.mul(2).add(1)).mul(np.exp(x.neg())));

const softmax = (x: NdArray) => {
  const m = np.max(x, -1, { keepdims: true });
  const e = np.exp(x.sub(lax.stopGradient(m)));
  return e.div(np.sum(e, -1, { keepdims: true }));
};

/** The instruction lines (`#i ...`) of a lowered program's text. */
const instructions = (text: string) => text.split("\n").filter((l) => /^ {2}#\d+ /.test(l));

/** The lines of instruction `i` (its header and its ops). */
function instruction(text: string, i: number): string {
  const lines = text.split("\n");
  const start = lines.findIndex((l) => l.startsWith(`  #${i} `));
  const end = lines.findIndex((l, k) => k > start && !l.startsWith("      "));
  return lines.slice(start, end).join("\n");
}

describe("one call per jit call", () => {
  test("a cached call of a small function crosses into WASM exactly once", () => {
    const f = jit((x: NdArray, y: NdArray) => np.maximum(x.mul(y).add(1), np.matmul(x, y.T)).sum(0));
    const x = np.ones([4, 4]);
    const y = np.full([4, 4], 2);
    f(x, y).dispose(); // compile
    const before = { ...wasmBackend.callCounts };
    const out = f(x, y);
    expect(wasmBackend.callCounts.compute - before.compute).toBe(1);
    expect(wasmBackend.callCounts.programs - before.programs).toBe(1);
    expect(out.tolist()).toEqual([32, 32, 32, 32]); // x*y+1 = 3 < x@y.T = 8, summed over 4 rows
  });

  test("sum(tanh(x*2+1)*exp(-x)) compiles to one fused instruction", () => {
    const x = np.linspace(-2, 2, 1000);
    const text = jit(chain).lower(x).compiled.describe();
    expect(instructions(text)).toHaveLength(1);
    expect(instructions(text)[0]).toMatch(/#0 fused f32\[1000\] reducing axes \(0\)/);
    for (const op of ["mul", "add", "tanh", "neg", "exp", "reduce_sum"]) expect(text).toContain(op);
    expect(text).toMatch(/arena: 0 B/);
    expectAgree("chain", jit(chain)(x), chain(x), true);
  });

  test("rev is a view; dynamic_slice and dynamic_update_slice read their indices at run time", () => {
    const x = np.arange(12).reshape([3, 4]).astype("float32");
    const f = (a: NdArray, i: NdArray, j: NdArray) => {
      const w = lax.dynamicSlice(lax.rev(a, [1]), [i, j], [2, 2]);
      return lax.dynamicUpdateSlice(a, w.mul(10), [j, i]);
    };
    const i32 = (v: number) => np.array(v, { dtype: "int32" });
    const text = jit(f).lower(x, i32(0), i32(0)).compiled.describe();
    expect(text).toMatch(/dynamic_slice: .* at \(/);
    expect(text).toMatch(/dynamic_update_slice: .* with .* at \(/);
    expect(text).not.toMatch(/copy \(/);
    const g = jit(f);
    for (const [i, j] of [[0, 0], [1, 2], [5, -3], [-1, 9], [2, 1]] as const) {
      expectAgree(`f at (${i}, ${j})`, g(x, i32(i), i32(j)), f(x, i32(i), i32(j)), false);
    }
  });

  test("gather and scatter-add lower to one GATHER and one SCATTER instruction", () => {
    const x = np.arange(12).reshape([4, 3]).astype("float32");
    const f = (a: NdArray, i: NdArray) => a.at(i).add(a.at(i).get().mul(2));
    const i = np.array([3, 0, 3, 9], { dtype: "int32" });
    const text = jit(f).lower(x, i).compiled.describe();
    expect(text).toMatch(/gather \(mode promise_in_bounds\): .* at /);
    expect(text).toMatch(/scatter-add \(mode fill\): .* with /);
    expectAgree("at().add(at().get())", jit(f)(x, i), f(x, i), false);
  });

  test("softmax is one instruction: max, then sub/exp and the sum, then the division reading the sum", () => {
    const x = np.linspace(-3, 3, 60).reshape([6, 10]);
    const lowered = jit(softmax).lower(x);
    const text = lowered.toString();
    const ins = instructions(text);
    expect(ins).toHaveLength(1);
    expect(ins[0]).toMatch(/fused f32\[6,10\] reducing axes \(1\)/);
    // Each reduction's results are loaded back after its REDUCE, one per row (the ops
    // on whole rows read them broadcast along the row).
    expect(instruction(text, 0)).toMatch(/reduce_max r\d+ \(a\) -> (\w+)\s+r\d+ = load \1 \(per segment\)[\s\S]*= sub [\s\S]*= exp [\s\S]*reduce_sum r\d+ \(\w+\) -> (\w+)\s+r\d+ = load \2 \(per segment\)[\s\S]*= div /);
    expectAgree("softmax", jit(softmax)(x), softmax(x), true);
    // The optimized jaxpr comes first, then the program.
    expect(text.indexOf("optimized jaxpr:")).toBe(0);
    expect(text).toContain("program:\n1 instruction");
  });

  test("layernorm is one instruction: its ops on the row statistics run once per row, between the reductions and the epilogues", () => {
    const layernorm = (x: NdArray) => {
      const d = x.sub(np.mean(x, -1, { keepdims: true }));
      return d.div(np.sqrt(np.mean(d.mul(d), -1, { keepdims: true }).add(1e-5)));
    };
    const x = np.linspace(-3, 3, 32).reshape([4, 8]);
    const text = jit(layernorm).lower(x).toString();
    expect(instructions(text)).toHaveLength(1);
    expect(instruction(text, 0)).toBe(
      [
        "  #0 fused f32[4,8] reducing axes (1): 7 ops (4 per segment), 5 registers, iteration [4,8]",
        "          r0 = 8.0:f32[]",
        "          r1 = 1e-05:f32[]",
        "          r2 = load a",
        "          reduce_sum r2 (a) -> b",
        "          r3 = load b (per segment)",
        "          r4 = div r3 8.0:f32[]                # d:f32[4,1] (per segment)",
        "          store r4 (d) -> d (per segment)",
        "          r3 = load d (per segment)",
        "          r4 = sub r2 r3                       # e:f32[4,8]",
        "          r2 = mul r4 r4                       # f:f32[4,8]",
        "          reduce_sum r2 (f) -> g",
        "          r3 = load g (per segment)",
        "          r2 = div r3 8.0:f32[]                # i:f32[4,1] (per segment)",
        "          r3 = add r2 1e-05:f32[]              # j:f32[4,1] (per segment)",
        "          r2 = sqrt r3                         # k:f32[4,1] (per segment)",
        "          store r2 (k) -> k (per segment)",
        "          r3 = load k (per segment)",
        "          r2 = div r4 r3                       # l:f32[4,8]",
        "          store r2 (l) -> l",
      ].join("\n"),
    );
    // The centred rows stay in registers: only the row statistics reach the arena.
    expect(text).toMatch(/arena: 64 B/);
    expectAgree("layernorm", jit(layernorm)(x), layernorm(x), true);
    // Its gradient: the backward pass's row statistics run per segment too, reading
    // the forward pass's from memory (two instructions; were ten).
    const w = np.cos(np.linspace(0, 9, 32)).reshape([4, 8]);
    const loss = (x: NdArray) => np.sum(layernorm(x).mul(w));
    expect(instructions(jit(grad(loss)).lower(x).toString())).toHaveLength(2);
    expectAgree("grad(layernorm)", jit(grad(loss))(x), grad(loss)(x), true);
    // Several reductions of one input share its pass.
    const stats = (x: NdArray) => [np.sum(x, -1), np.max(x, -1), x.sub(np.min(x, -1, { keepdims: true }))];
    expect(instructions(jit(stats).lower(x).toString())).toHaveLength(1);
    const got = jit(stats)(x) as NdArray[];
    stats(x).forEach((w, k) => expectAgree(`stats output ${k}`, got[k]!, w, true));
  });

  test("reductions longer than a tile, over rows and whole arrays, agree with eager", () => {
    for (const shape of [[5000], [3, 2000], [700, 3], [2, 3, 1111]]) {
      for (const dtype of ["float32", "float64", "int32"] as const) {
        const x = np.arange(np.prod(np.array(shape)).item() as number).reshape(shape).astype(dtype).mul(dtype === "int32" ? 3 : 0.001);
        const f = (v: NdArray) => [np.sum(v.mul(v), -1), np.max(v.add(1), -1), np.min(v.sub(2), [-1]), np.sum(np.sin(v))];
        const got = jit(f)(x) as NdArray[];
        f(x).forEach((w, k) => expectAgree(`${shape} ${dtype} output ${k}`, got[k]!, w, w.dtype !== "int32"));
      }
    }
  });

  test("a matmul's bias and activation run as one fused epilogue", () => {
    const x = np.linspace(-1, 1, 24).reshape([4, 6]);
    const w = np.linspace(-1, 1, 18).reshape([6, 3]);
    const b = np.array([0.1, -0.2, 0.3]);
    const layer = (x: NdArray, w: NdArray, b: NdArray) => np.tanh(np.matmul(x, w).add(b));
    const text = jit(layer).lower(x, w, b).compiled.describe();
    expect(instructions(text)).toHaveLength(2);
    expect(instructions(text)[0]).toMatch(/matmul f32 batch 1: \[4x6\] @ \[6x3\]/);
    expect(instruction(text, 1)).toMatch(/add [\s\S]*tanh/);
    expectAgree("layer", jit(layer)(x, w, b), layer(x, w, b), false);
  });
});

describe("inputs", () => {
  test("strided views, JS numbers, host constants and captured constants", () => {
    const base = np.arange(12).reshape([3, 4]).astype("float32");
    const xt = base.T; // a transposed view
    const c = np.array([1, 2, 3]); // host-only until used
    const f = jit((x: NdArray, s: number) => x.mul(s).add(c));
    expectAgree("view", f(xt, 2), xt.mul(2).add(c), false);
    expectAgree("number", f(xt, 3), xt.mul(3).add(c), false);
    const cube = customJvp((v: NdArray) => v.mul(v).mul(np.array([1, 2, 3])));
    cube.defJvp(((primals: NdArray[], tangents: NdArray[]) => [cube(primals[0]!), tangents[0]!.mul(3)]) as never);
    const g = (v: NdArray) => cube(v).add(1);
    expectAgree("custom_jvp with a captured constant", jit(g)(np.array([1, 2, 3])), g(np.array([1, 2, 3])), false);
    // A checkpoint whose closed jaxpr keeps its own constant (an extra program input).
    const k = np.array([10, 20, 30]);
    const h = (v: NdArray) => {
      const cj = makeJaxpr((u: NdArray) => u.mul(k))(v);
      return bind(Prim.Checkpoint, [v], higherOrderParams(Prim.Checkpoint, cj, cj.outAvals))[0]!.add(1);
    };
    expect(makeJaxpr((u: NdArray) => u.mul(k))(np.array([1, 2, 3])).consts).toHaveLength(1);
    expectAgree("checkpoint with a constant", jit(h)(np.array([1, 2, 3])), h(np.array([1, 2, 3])), false);
  });

  test("outputs that are inputs, views of inputs, constants and repeated values", () => {
    const f = jit((x: NdArray) => [x, x.T, np.zeros([2]), x.reshape([-1]), x.mul(2), x.mul(2)]);
    const x = np.array([[1, 2], [3, 4]]);
    const outs = f(x) as NdArray[];
    expect(outs.map((o) => o.tolist())).toEqual([[[1, 2], [3, 4]], [[1, 3], [2, 4]], [0, 0], [1, 2, 3, 4], [[2, 4], [6, 8]], [[2, 4], [6, 8]]]);
    x.dispose();
    expect(outs[1]!.tolist()).toEqual([[1, 3], [2, 4]]); // the view keeps its storage
  });

  test("many inputs, no inputs, high rank with broadcasts, empty arrays", () => {
    const many = Array.from({ length: 300 }, (_, i) => np.full([3], i));
    const outs = jit((xs: NdArray[]) => xs.map((x, i) => x.mul(i % 7).add(1)))(many) as NdArray[];
    expect(outs[299]!.tolist()).toEqual([299 * (299 % 7) + 1, 299 * (299 % 7) + 1, 299 * (299 % 7) + 1]);
    const [a, b, c] = jit(() => [np.array(2.5), np.zeros([2, 3]), lax.broadcastedIota("int32", [2, 2], 1)])() as NdArray[];
    expect([a!.item(), b!.tolist(), c!.tolist()]).toEqual([2.5, [[0, 0, 0], [0, 0, 0]], [[0, 1], [0, 1]]]);
    const h = (x: NdArray, y: NdArray) => x.add(y).mul(x);
    const x = np.arange(2 * 3 * 2 * 3 * 2 * 3 * 2).reshape([2, 3, 2, 3, 2, 3, 2]);
    const y = np.arange(3 * 3 * 3).reshape([1, 3, 1, 3, 1, 3, 1]);
    expectAgree("rank 7", jit(h)(x, y), h(x, y), false);
    const e = (v: NdArray) => [np.sum(v, 0), np.max(v.add(1), 1), v.T, np.concatenate([v, v], 0)];
    const z = np.zeros([0, 4]);
    const got = jit(e)(z) as NdArray[];
    e(z).forEach((w, k) => expectAgree(`empty ${k}`, got[k]!, w, false));
  });
});
