/**
 * The threads build (kernels-threads.wasm + workers, kernels-rs/src/parallel.rs):
 * large kernels and jit programs are cut into chunks fixed by the shape alone, so a
 * threaded instance gives the same bits as the single-threaded kernels.wasm. Both
 * are loaded here side by side (each with its own memory), and the threaded results
 * are also checked against the interpreter, so a wrong chunk cut cannot hide behind
 * agreement of the two builds.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { backendInfo, jit, lax, numpy as np, setDefaultBackend, type Array as NdArray } from "../../src/index.js";
import { FerraxError, type TypedArray } from "../../src/core/index.js";
import { WasmBackend } from "../../src/backends/wasm/index.js";
import { Heap } from "../../src/backends/wasm/memory.js";
import { loadKernels, parseThreads } from "../../src/backends/wasm/loader.js";
import { getBackend, registerBackend } from "../../src/trace/backend.js";

const THREADS = 3;
const single = new WasmBackend(new Heap(await loadKernels(1)), "wasm-single");
const multi = new WasmBackend(new Heap(await loadKernels(THREADS)), "wasm-threads");
registerBackend(single);
registerBackend(multi);

/** Deterministic values in [-2, 2) from a seed (an LCG; exact in f32). */
function values(seed: number, n: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = (s >>> 8) / (1 << 22) - 2;
  }
  return out;
}

interface Case {
  readonly seed: number;
  /** x is [rows, cols]; v is [n]. */
  readonly rows: number;
  readonly cols: number;
  readonly n: number;
}

/** Every kernel family the pool splits, eager and jit'd, on backend `name`. */
function run(name: string, c: Case): Record<string, TypedArray> {
  const previous = getBackend().name;
  setDefaultBackend(name);
  try {
    const put = (v: Float32Array, shape: number[]) => np.array(v, { backend: name }).reshape(shape);
    const x = put(values(c.seed, c.rows * c.cols), [c.rows, c.cols]);
    const y = put(values(c.seed + 1, c.rows * c.cols), [c.rows, c.cols]);
    const row = put(values(c.seed + 2, c.cols), [1, c.cols]);
    const v = put(values(c.seed + 3, c.n), [c.n]);
    const a = put(values(c.seed + 4, 200 * 300), [200, 300]);
    const b = put(values(c.seed + 5, 300 * 150), [300, 150]);
    const ba = put(values(c.seed + 6, 3 * 130 * 64), [3, 130, 64]);
    const bb = put(values(c.seed + 7, 3 * 64 * 100), [3, 64, 100]);
    // Batched products with fewer rows than the pool's row blocks (one batch element per chunk).
    const sa = put(values(c.seed + 8, 8 * 40 * 128), [8, 40, 128]);
    const sb = put(values(c.seed + 9, 8 * 128 * 100), [8, 128, 100]);
    // A conv large enough for im2col in chunks of rows (chunks start inside an image).
    const img = put(values(c.seed + 10, 3 * 15 * 13 * 8), [3, 15, 13, 8]);
    const ker = put(values(c.seed + 11, 3 * 3 * 8 * 16), [3, 3, 8, 16]);
    const chain = (t: NdArray) => np.tanh(t.mul(2).add(1)).mul(np.exp(t.neg()));
    const out: Record<string, NdArray> = {
      exp: np.exp(x),
      addBroadcast: x.add(row),
      transposedMul: np.transpose(x).mul(y.T),
      sumRows: np.sum(x, 1),
      sumCols: np.sum(x, 0),
      sumAll: np.sum(v),
      maxAll: np.max(x),
      where: np.where(x.gt(0), x, y),
      cast: x.mul(100).astype("int32"),
      matmul: np.matmul(a, b),
      batchedMatmul: np.matmul(ba, bb),
      smallBatchedMatmul: np.matmul(sa, sb),
      transposedMatmul: np.matmul(b.T, a.T),
      conv: lax.convGeneralDilated(img, ker, [1, 1], "SAME", { dimensionNumbers: ["NHWC", "HWIO", "NHWC"] }),
      convNchwOut: lax.convGeneralDilated(img, ker, [2, 1], [[1, 0], [0, 2]], { dimensionNumbers: ["NHWC", "HWIO", "NCHW"] }),
      jitChainSum: jit((t: NdArray) => np.sum(chain(t)))(v),
      jitChain: jit(chain)(x),
      jitRowSums: jit((t: NdArray) => np.sum(np.exp(t), 1))(x),
      jitColSums: jit((t: NdArray) => np.sum(np.exp(t), 0))(x),
    };
    return Object.fromEntries(Object.entries(out).map(([k, r]) => [k, r.dataSync()]));
  } finally {
    setDefaultBackend(previous);
  }
}

const bits = (t: TypedArray): number[] =>
  Array.from(t instanceof Float32Array ? new Uint32Array(t.buffer, t.byteOffset, t.length) : t);

const caseArb: fc.Arbitrary<Case> = fc.record({
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  rows: fc.integer({ min: 4, max: 9 }),
  cols: fc.integer({ min: 17_000, max: 40_000 }),
  n: fc.integer({ min: 65_536, max: 300_000 }),
});

describe("threaded kernels (kernels-threads.wasm)", () => {
  it(`runs on ${THREADS} threads, and the single-threaded module on 1`, () => {
    expect(multi.threads).toBe(THREADS);
    expect(single.threads).toBe(1);
  });

  it("gives the same bits as kernels.wasm for large elementwise, reductions, matmul and jit programs", () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const [s, m] = [run("wasm-single", c), run("wasm-threads", c)];
        for (const k of Object.keys(s)) expect(bits(m[k]!), k).toEqual(bits(s[k]!));
      }),
      { numRuns: 3 },
    );
  });

  it("agrees with the interpreter on the same large cases", () => {
    const c: Case = { seed: 7, rows: 5, cols: 33_000, n: 100_000 };
    const [m, ref] = [run("wasm-threads", c), run("interpreter", c)];
    for (const k of Object.keys(ref)) {
      const [got, want] = [Array.from(m[k]!), Array.from(ref[k]!)];
      expect(got.length, k).toBe(want.length);
      const scale = want.reduce((m, w) => Math.max(m, Math.abs(w)), 1);
      const worst = got.reduce((w, g, i) => Math.max(w, Math.abs(g - want[i]!)), 0);
      // Long f32 sums differ by association only; everything else to a few ulps.
      expect(worst / scale, k).toBeLessThan(k.startsWith("sum") || k.endsWith("Sums") || k === "jitChainSum" ? 1e-4 : 1e-5);
    }
  });

  it("keeps a shared memory's views fresh when it grows", () => {
    const before = multi.memoryStats().reservedBytes;
    setDefaultBackend("wasm-threads");
    try {
      const big = np.ones([1 << 22]).mul(3);
      expect(multi.memoryStats().reservedBytes).toBeGreaterThan(before);
      expect(np.sum(big).item()).toBe(3 * (1 << 22));
      expect(np.max(big.mul(np.arange(1 << 22).astype("float32"))).item()).toBe(3 * ((1 << 22) - 1));
    } finally {
      setDefaultBackend("wasm");
    }
  });
});

describe("thread count", () => {
  it("honours FERRAX_THREADS, else uses min(cores, 8)", async () => {
    const os = await import("node:os");
    const env = process.env.FERRAX_THREADS;
    const want = env === undefined ? Math.min(os.availableParallelism(), 8) : parseThreads(env);
    expect(backendInfo()).toEqual({ name: "wasm", threads: want });
    expect(backendInfo("interpreter").threads).toBe(1);
  });

  it("parses FERRAX_THREADS and rejects anything but a positive integer", () => {
    expect(parseThreads("1")).toBe(1);
    expect(parseThreads(" 4 ")).toBe(4);
    expect(parseThreads("1000")).toBe(64);
    for (const bad of ["0", "-2", "1.5", "two", ""]) {
      expect(() => parseThreads(bad)).toThrow(FerraxError);
      expect(() => parseThreads(bad)).toThrow(/FERRAX_THREADS must be a positive integer/);
    }
  });
});
