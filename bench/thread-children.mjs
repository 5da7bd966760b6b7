// Runs a script's `--child` mode in fresh processes at 1 and at `threads` threads
// (FERRAX_THREADS is read at import, so each setting needs its own process), the two
// settings alternating for `rounds` rounds so load drifts hit both alike. A child
// prints one JSON line `{ threads, ms: { name: milliseconds } }` last.
import { spawnSync } from "node:child_process";

/** The best (smallest) time per name at each setting: `{ "1": {...}, [threads]: {...} }`. */
export function bestOfChildren(script, threads, rounds) {
  const best = { 1: {}, [threads]: {} };
  for (let r = 0; r < rounds; r++) {
    for (const t of ["1", String(threads)]) {
      const p = spawnSync(process.execPath, [script, "--child"], { env: { ...process.env, FERRAX_THREADS: t }, encoding: "utf8" });
      if (p.status !== 0) throw new Error(p.stderr);
      const o = JSON.parse(p.stdout.trim().split("\n").pop());
      if (String(o.threads) !== t) throw new Error(`asked for ${t} threads, got ${o.threads}`);
      for (const [k, v] of Object.entries(o.ms)) best[t][k] = Math.min(best[t][k] ?? Infinity, v);
    }
  }
  return best;
}
