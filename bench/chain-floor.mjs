#!/usr/bin/env node
// How far jit of the elementwise chain can go: `sum(tanh(x*2+1)*exp(-x))` on the
// same 1M f32 as workloads/elementwise-chain.mjs, timed as ferrax eager, ferrax jit,
// and as the floor: one hand-fused loop over the library's own tanh and exp
// (kernels-rs/src/chain_floor.rs, built here with the `chain-floor` feature, never
// shipped). Each element is loaded once and the expression stays in registers, so no
// program keeping those tanh/exp can do less work; on T threads no jit can beat the
// floor's one-thread time / T (perfect scaling). The ceiling column is therefore the
// largest jit-over-eager ratio this machine allows: eager / (floor / T).
//
// Needs `npm run build` at the repo root and Debian's Rust with the wasm32 std (as
// `npm run build:kernels`). Not a test: it prints medians; every result is checked
// against the float64 sum with the workload's tolerance.
//
//   node bench/chain-floor.mjs [threads=2] [rounds=3]
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { bestOfChildren } from "./thread-children.mjs";
import { reference, tolerance, X } from "./workloads/elementwise-chain.mjs";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const CRATE = join(ROOT, "kernels-rs");
const TARGET_DIR = join(CRATE, "target", "chain-floor");
const FLOOR_WASM = join(TARGET_DIR, "wasm32-unknown-unknown", "release", "ferrax_kernels.wasm");

function buildFloor() {
  const env = { ...process.env, RUSTC: "/usr/bin/rustc", CARGO_TARGET_DIR: TARGET_DIR, RUSTFLAGS: "-C target-feature=+simd128" };
  const args = ["build", "--release", "--locked", "--offline", "--target", "wasm32-unknown-unknown", "--features", "chain-floor"];
  const r = spawnSync("/usr/bin/cargo", args, { cwd: CRATE, env, stdio: ["ignore", "inherit", "inherit"] });
  if (r.status !== 0) {
    throw new Error("chain-floor: cargo build failed; install Debian's Rust: apt-get install -y rustc cargo libstd-rust-dev-wasm32");
  }
}

/** Median ms of 15 calls after 5 calls and 500 ms of warmup; `f` returns the sum. */
function time(f, check) {
  for (let i = 0, t = performance.now(); i < 5 || performance.now() - t < 500; i++) check(f());
  const ms = [];
  for (let i = 0; i < 15; i++) {
    const t0 = performance.now();
    const s = f();
    ms.push(performance.now() - t0);
    check(s);
  }
  return ms.sort((a, b) => a - b)[7];
}

async function child() {
  const [want] = reference();
  const checker = (name) => (got) => {
    if (!(Math.abs(got - want) <= tolerance.atol)) throw new Error(`${name}: ${got} is not the sum ${want}`);
  };

  const { backendInfo, jit, tidy, numpy: np } = await import("../dist/index.js");
  const chain = (v) => np.sum(np.tanh(v.mul(2).add(1)).mul(np.exp(v.neg())));
  const compiled = jit(chain);
  const x = np.array(X);
  // Kernels run synchronously: a result is complete when the call returns; reading
  // one float back is the same small cost in both rows.
  const read = (r) => {
    const s = r.item();
    r.dispose();
    return s;
  };
  const eager = time(() => read(tidy(() => chain(x))), checker("eager"));
  const jitted = time(() => read(compiled(x)), checker("jit"));

  const floor = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(FLOOR_WASM)), {}).exports;
  const ptr = floor.fx_alloc(4 * X.length);
  new Float32Array(floor.memory.buffer, ptr, X.length).set(X);
  const floorMs = time(() => floor.fx_chain_floor(ptr, X.length), checker("floor"));
  console.log(JSON.stringify({ threads: backendInfo().threads, ms: { eager, jit: jitted, floor: floorMs } }));
}

function parent() {
  const n = process.argv[2] ?? "2";
  const rounds = Number(process.argv[3] ?? 3);
  buildFloor();
  const best = bestOfChildren(fileURLToPath(import.meta.url), n, rounds);
  console.log(`sum(tanh(x*2+1)*exp(-x)), 1M f32; load average ${loadavg().map((l) => l.toFixed(2)).join(" ")}; best of ${rounds} medians of 15 (ms)`);
  console.log("| threads | eager | jit | floor (1 thread) | jit/eager | floor/T | ceiling eager/(floor/T) | jit over floor/T |");
  console.log("|---:|---:|---:|---:|---:|---:|---:|---:|");
  for (const t of ["1", n]) {
    const b = best[t];
    const bound = b.floor / Number(t);
    console.log(
      `| ${t} | ${b.eager.toFixed(2)} | ${b.jit.toFixed(2)} | ${b.floor.toFixed(2)} | ${(b.eager / b.jit).toFixed(2)}× | ` +
        `${bound.toFixed(2)} | ${(b.eager / bound).toFixed(2)}× | ${(b.jit / bound).toFixed(2)}× |`,
    );
  }
}

if (process.argv.includes("--child")) await child();
else parent();
