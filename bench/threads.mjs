#!/usr/bin/env node
// The kernels on 1 thread vs N (FERRAX_THREADS is read at import, so each setting
// runs in its own child process; runs alternate so load drifts hit both alike).
// Needs `npm run build` at the repo root. Not a test: prints medians and ratios of warm
// calls (V8 first runs WASM in its baseline tier, on each worker too).
//
//   node bench/threads.mjs [threads=2] [rounds=3]
import { loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { bestOfChildren } from "./thread-children.mjs";

const WORKLOADS = ["exp 1M f32 (eager)", "jit chain sum 1M f32", "matmul 1024x1024 f32"];

async function child() {
  const { backendInfo, jit, numpy: np } = await import("../dist/index.js");
  const x = np.arange(1 << 20).astype("float32").mul(1 / (1 << 20));
  const a = np.ones([1024, 1024]).mul(0.5);
  const b = np.ones([1024, 1024]).mul(0.25);
  const chain = jit((v) => np.sum(np.tanh(v.mul(2).add(1)).mul(np.exp(v.neg()))));
  const runs = {
    [WORKLOADS[0]]: () => np.exp(x),
    [WORKLOADS[1]]: () => chain(x),
    [WORKLOADS[2]]: () => np.matmul(a, b),
  };
  const out = { threads: backendInfo().threads, ms: {} };
  for (const [name, f] of Object.entries(runs)) {
    // Warm up (compile the jit, let V8 tier the kernels up on every thread): 5 calls and 500 ms.
    for (let i = 0, t = performance.now(); i < 5 || performance.now() - t < 500; i++) f().dispose();
    const times = [];
    for (let i = 0; i < 7; i++) {
      // Kernels run synchronously: the result is complete when f returns (reading a
      // 4 MB result back to JS would time the copy and its garbage instead).
      const t0 = performance.now();
      const r = f();
      times.push(performance.now() - t0);
      r.dispose();
    }
    out.ms[name] = times.sort((p, q) => p - q)[3];
  }
  console.log(JSON.stringify(out));
}

function parent() {
  const n = process.argv[2] ?? "2";
  const rounds = Number(process.argv[3] ?? 3);
  const best = bestOfChildren(fileURLToPath(import.meta.url), n, rounds);
  console.log(`load average ${loadavg().map((l) => l.toFixed(2)).join(" ")} (best of ${rounds} medians of 7)`);
  for (const k of WORKLOADS) {
    const [one, many] = [best[1][k], best[n][k]];
    console.log(`${k.padEnd(24)} 1 thread ${one.toFixed(2).padStart(8)} ms   ${n} threads ${many.toFixed(2).padStart(8)} ms   speedup ${(one / many).toFixed(2)}x`);
  }
}

if (process.argv.includes("--child")) await child();
else parent();
