// Entry point of `npm run bench`: loads ferrax (building the root first if its dist/
// is missing or stale) and the peers, runs every workload in workloads/, prints one
// table. Options (after `npm run bench --`):
//   [name ...]            only the workloads whose file name contains one of these
//   --reps N              timed repetitions per case and library (default 30)
//   --warmup N            untimed repetitions first, at least (default 10)
//   --warmup-ms T         ...and more until T ms of them have run, up to 200 (default 300):
//                         V8 runs WASM in a baseline tier until a function is hot, on
//                         every worker thread too, so a few calls are not steady state
//   --libs a,b            only these libraries (ferrax, jax-js, tfjs-wasm)
//   --gc minor|major|none garbage collection before each timed repetition (default minor)
//   --ferrax-backend B    run ferrax on backend B (default: its default, wasm)
// BENCH_NO_BUILD=1 skips the root build (the bench then uses dist/ as it is).
// Exit status 1 when ferrax could not be loaded or any result was WRONG or an ERROR.
import { readdirSync } from "node:fs";
import os from "node:os";
import { parseArgs } from "node:util";
import { formatReport, measureCase, measureExternal, measureMemoryCase } from "./harness.mjs";
import { LIB_KEYS, loadLibs } from "./libs.mjs";

const { values: opts, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    reps: { type: "string", default: "30" },
    warmup: { type: "string", default: "10" },
    "warmup-ms": { type: "string", default: "300" },
    libs: { type: "string", default: LIB_KEYS.join(",") },
    gc: { type: "string", default: "minor" },
    "ferrax-backend": { type: "string" },
  },
});
const reps = Number(opts.reps);
const warmup = Number(opts.warmup);
const warmupMs = Number(opts["warmup-ms"]);
if (!["minor", "major", "none"].includes(opts.gc)) {
  console.error("bench: --gc must be minor, major or none");
  process.exit(2);
}
if (!(Number.isInteger(reps) && reps > 0 && Number.isInteger(warmup) && warmup >= 0 && warmupMs >= 0)) {
  console.error("bench: --reps must be a positive integer, --warmup a non-negative one and --warmup-ms non-negative");
  process.exit(2);
}

const workloadDir = new URL("./workloads/", import.meta.url);
const files = readdirSync(workloadDir)
  .filter((f) => f.endsWith(".mjs"))
  .filter((f) => positionals.length === 0 || positionals.some((p) => f.includes(p)))
  .sort();
if (files.length === 0) {
  console.error(`bench: no workload matches ${positionals.join(", ")}`);
  process.exit(2);
}

const libs = await loadLibs(opts.libs.split(",").map((s) => s.trim()), {
  backend: opts["ferrax-backend"],
  noBuild: Boolean(process.env.BENCH_NO_BUILD),
});

const cpus = os.cpus();
const header = [
  `ferrax bench — ${new Date().toISOString()}`,
  `machine: ${cpus[0]?.model?.trim() ?? "unknown cpu"} × ${cpus.length} logical cores, ${os.platform()} ${os.arch()}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
  `load average at start: ${os.loadavg().map((l) => l.toFixed(2)).join(", ")} (1, 5, 15 min; other work on the machine skews times)`,
  `runtime: node ${process.version}, v8 ${process.versions.v8}; ${typeof globalThis.gc === "function" && opts.gc !== "none" ? `${opts.gc} gc before each timed repetition` : "no forced gc"}`,
  `method: ${warmup} warmup repetitions (more until ${warmupMs} ms of them, at most 200) + ${reps} timed repetitions per case and library, interleaved; median ±half the interquartile range`,
];
for (const lib of libs) {
  header.push(lib.error ? `${lib.label}: n/a — ${lib.error}` : `${lib.label}: ${lib.version} — ${lib.detail}`);
}
console.log(header.join("\n") + "\n");

const rows = [];
for (const file of files) {
  const { cases } = await import(new URL(file, workloadDir).href);
  for (const c of cases) {
    process.stderr.write(`bench: ${file}: ${c.name}\n`);
    if (c.kind === "memory") {
      rows.push(...(await measureMemoryCase(c, libs)));
      continue;
    }
    const results = await measureCase(c, libs, { warmup, warmupMs, reps, gcMode: opts.gc });
    measureExternal(c, results, { warmup, reps });
    rows.push({ name: c.name, results });
  }
}

const { table, notes } = formatReport(rows, libs);
console.log(table);
console.log("\nferrax/X is X's median time over ferrax's: \"2.00× faster\" means ferrax took half the time.");
if (notes.length) console.log("\n" + notes.join("\n"));

const ferraxMissing = libs.find((l) => l.key === "ferrax")?.error;
const failed = rows.some(({ results }) => Object.values(results).some((r) => r.status === "wrong" || r.status === "error"));
if (ferraxMissing || failed) process.exitCode = 1;
