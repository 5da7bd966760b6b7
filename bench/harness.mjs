// The measuring harness: warmup, timed repetitions interleaved across libraries,
// median and spread, every repetition's result checked against a float64 reference.
// A library whose result is wrong is reported WRONG, never with a time.
//
// A workload file exports `cases`, a list of:
//   {
//     name:   row label, unit included, e.g. "add f32[4] + 1, 1000 dependent (µs/op)"
//     ops:    operations per repetition; times are reported per operation
//     reference(): the expected values, flat, computed in float64 plain JS
//     tolerance?: { rtol, atol }   |got - want| <= atol + rtol * |want|
//     impls: { [libKey]: (mod) => instance }   libKey: "ferrax" | "jax-js" | "tfjs-wasm"
//   }
// where an instance (made untimed, once per case and library) is
//   {
//     run():     the timed work; returns an output, or a promise of one
//     read(out): untimed; the output's values, flat, and frees the output
//     teardown?(): untimed; frees what the instance made
//     note?:     a line for the report's notes (e.g. which path a jit took); may be a
//                function, called once after the timed repetitions
//   }
// run() must leave the work done (for a lazy library: forced), not just queued.
// Workloads make their inputs with `rng(seed)` below, so every run sees the same values.
//
// A case may also carry
//     external?: { [key]: ({ warmup, reps, ops }) => result }
// for a reference implementation outside this process (numpy, in numpy.mjs), which
// times itself and returns { samples (µs per op), values } or { skipped: reason }; it
// gets its own column and a ferrax/key ratio.
//
// A memory case ({ kind: "memory", ... }, measured by measureMemoryCase, not timed)
// has the same name/reference/tolerance/impls fields, with instances
//   {
//     check():   untimed, before anything is measured: an output to read and compare
//                with the reference (it also warms the library up)
//     read(out): as above
//     run():     the work whose memory is measured; may return a promise
//     teardown?(): frees what the instance made
//     note?:     as above
//   }

/**
 * A small deterministic generator (xorshift32 state, seeded through a multiplicative
 * scramble). Not for statistics: only to make the same benchmark inputs on every run.
 *   uniform(lo, hi)  a float in [lo, hi) rounded to float32 (Math.fround), so the float64
 *                    reference and the float32 libraries start from identical values
 *   f32(n, lo, hi)   a Float32Array of n such values
 */
export function rng(seed) {
  let s = (Math.imul(seed | 0, 0x9e3779b1) ^ 0x2545f491) >>> 0 || 1;
  const next = () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
  for (let i = 0; i < 8; i++) next(); // move away from the seed's bit pattern
  const unit = () => next() / 4294967296; // [0, 1)
  const uniform = (lo = 0, hi = 1) => Math.fround(lo + (hi - lo) * unit());
  const f32 = (n, lo = 0, hi = 1) => {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = uniform(lo, hi);
    return out;
  };
  const int = (n) => Math.floor(unit() * n); // an integer in [0, n)
  return { unit, uniform, f32, int };
}

/** Median and quartiles of a list of numbers. */
export function summarize(samples) {
  const s = [...samples].sort((a, b) => a - b);
  const q = (p) => {
    const i = (s.length - 1) * p;
    const lo = Math.floor(i);
    const hi = Math.ceil(i);
    return s[lo] + (s[hi] - s[lo]) * (i - lo);
  };
  return { n: s.length, median: q(0.5), q1: q(0.25), q3: q(0.75), min: s[0], max: s[s.length - 1] };
}

/** null when `got` matches `want` within tolerance, else a description of the mismatch. */
export function compareValues(got, want, { rtol = 1e-6, atol = 1e-6 } = {}) {
  if (got == null || typeof got.length !== "number") return `expected ${want.length} values, got ${String(got)}`;
  if (got.length !== want.length) return `expected ${want.length} values, got ${got.length}`;
  let bad = 0;
  let first = -1;
  let worst = 0;
  for (let i = 0; i < want.length; i++) {
    const g = Number(got[i]);
    const w = want[i];
    const err = Math.abs(g - w);
    if (!(err <= atol + rtol * Math.abs(w))) {
      bad++;
      if (first < 0) first = i;
      worst = Math.max(worst, Number.isNaN(err) ? Infinity : err);
    }
  }
  if (bad === 0) return null;
  return `${bad}/${want.length} values off (first at [${first}]: got ${Number(got[first])}, want ${want[first]}; max abs error ${worst})`;
}

/**
 * What runs before each timed repetition (needs node --expose-gc, else nothing):
 * "minor" a young-generation collection, so one library's short-lived garbage is not
 * collected on another's clock; "major" a full collection (it also drops warm state
 * and makes the next repetition slower, so it is not the default); "none".
 */
function collector(mode) {
  const gc = globalThis.gc;
  if (typeof gc !== "function" || mode === "none") return () => {};
  if (mode === "major") return () => gc();
  return () => gc({ type: "minor" });
}

const isThenable = (x) => x !== null && (typeof x === "object" || typeof x === "function") && typeof x.then === "function";

/**
 * Measures one case on every loaded library that implements it. Returns, per library
 * key, { status, stats?, message?, leak? } (leak: the most arrays one repetition left
 * alive, for libraries that can count them) with status one of
 *   "ok" | "wrong" | "error" | "n/a" (library not loaded) | "none" (no implementation).
 * Timed repetitions go round-robin over the libraries, starting with a different one
 * each round, so slow drift in the machine's state falls on all of them alike.
 */
/** Most untimed repetitions per case and library. */
const MAX_WARMUP = 200;

export async function measureCase(c, libs, { warmup, warmupMs = 0, reps, gcMode = "minor" }) {
  const results = {};
  const active = [];
  const want = Float64Array.from(c.reference());
  const gc = collector(gcMode);

  const fail = (entry, status, message) => {
    results[entry.lib.key] = { status, message };
    entry.done = true;
  };

  // One repetition: returns the time per op in µs, or null after recording a failure.
  // Also counts arrays a timed repetition left alive once its output was read and freed
  // (compared within the repetition, so arrays collected by a library's GC safety net
  // in between, from an earlier case, cannot hide or fake a leak). Warmup repetitions
  // are not counted: a first call may legitimately keep arrays for good (a jit cache
  // holding its compiled constants); a real leak recurs on every repetition.
  const once = async (entry, timed) => {
    try {
      const before = entry.lib.live?.();
      const t0 = performance.now();
      let out = entry.inst.run();
      if (isThenable(out)) out = await out;
      const t1 = performance.now();
      const mismatch = compareValues(entry.inst.read(out), want, c.tolerance);
      if (mismatch) {
        fail(entry, "wrong", mismatch);
        return null;
      }
      if (timed && before !== undefined) entry.leak = Math.max(entry.leak, entry.lib.live() - before);
      return ((t1 - t0) * 1000) / c.ops;
    } catch (e) {
      fail(entry, "error", e?.stack?.split("\n").slice(0, 3).join(" / ") ?? String(e));
      return null;
    }
  };

  for (const lib of libs) {
    if (lib.error) {
      results[lib.key] = { status: "n/a", message: lib.error };
      continue;
    }
    const impl = c.impls[lib.key];
    if (!impl) {
      results[lib.key] = { status: "none", message: "no implementation of this case" };
      continue;
    }
    const entry = { lib, samples: [], done: false, leak: 0 };
    try {
      entry.inst = impl(lib.mod);
      if (entry.inst == null || typeof entry.inst.run !== "function") throw new Error("the implementation returned no { run, read }");
    } catch (e) {
      fail(entry, "error", `setup: ${e?.message ?? e}`);
      continue;
    }
    active.push(entry);
  }

  // Untimed: `warmup` calls, then more until `warmupMs` have passed (at most
  // MAX_WARMUP calls), so every library's WASM has left V8's baseline tier.
  for (const entry of active) {
    const start = performance.now();
    for (let i = 0; !entry.done && i < MAX_WARMUP && (i < warmup || performance.now() - start < warmupMs); i++) await once(entry, false);
  }

  for (let r = 0; r < reps; r++) {
    for (let k = 0; k < active.length; k++) {
      const entry = active[(r + k) % active.length];
      if (entry.done) continue;
      gc();
      const us = await once(entry, true);
      if (us !== null) entry.samples.push(us);
    }
  }

  for (const entry of active) {
    if (!entry.done) {
      try {
        const note = typeof entry.inst.note === "function" ? entry.inst.note() : entry.inst.note;
        if (note) entry.note = String(note);
      } catch (e) {
        entry.note = `(note failed: ${e?.message ?? e})`;
      }
    }
    try {
      entry.inst.teardown?.();
    } catch (e) {
      if (!entry.done) fail(entry, "error", `teardown: ${e?.message ?? e}`);
    }
    if (entry.done) continue;
    const res = { status: "ok", stats: summarize(entry.samples) };
    if (entry.leak > 0) res.leak = entry.leak;
    if (entry.note) res.note = entry.note;
    results[entry.lib.key] = res;
  }
  return results;
}

/**
 * Runs the case's external references (see the contract above) and adds their results,
 * checked against the same reference and tolerance, to `results`.
 */
export function measureExternal(c, results, { warmup, reps }) {
  if (!c.external) return;
  const want = Float64Array.from(c.reference());
  for (const [key, run] of Object.entries(c.external)) {
    try {
      const r = run({ warmup, reps, ops: c.ops });
      if (r.skipped) {
        results[key] = { status: "skipped", message: r.skipped };
        continue;
      }
      const mismatch = compareValues(r.values, want, c.tolerance);
      results[key] = mismatch ? { status: "wrong", message: mismatch } : { status: "ok", stats: summarize(r.samples), note: r.note };
    } catch (e) {
      results[key] = { status: "error", message: e?.message ?? String(e) };
    }
  }
}

/** What memory cases record, each after a full collection: name, and how to read it. */
const MEMORY_METRICS = [
  {
    name: "growth of external bytes (memoryUsage().external: WASM memories, ArrayBuffers)",
    read: () => process.memoryUsage().external,
  },
  { name: "growth of JS heap bytes (memoryUsage().heapUsed)", read: () => process.memoryUsage().heapUsed },
  { name: "growth of live array bytes (the library's own count)", read: (lib) => lib.liveBytes?.() },
];

/**
 * Full collections with pauses between them, so that finalizers they schedule
 * (FinalizationRegistry callbacks: a library's safety net freeing what was dropped)
 * run and freed ArrayBuffers' backing stores are returned before a snapshot.
 */
async function settle(gc) {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  gc();
}

/**
 * Measures a memory case (see the contract above) on every loaded library that
 * implements it: one check, then settle() (full collections, finalizers) and a snapshot
 * of MEMORY_METRICS, run(), settle() and a second snapshot. Returns one row per metric,
 * { name, results }, where an "ok" result holds { value: after − before, before, after }
 * (or status "none" for a metric the library cannot report). Libraries run one after
 * another, each once: these cases are long, and memory is not noisy as time is.
 */
export async function measureMemoryCase(c, libs) {
  const rows = MEMORY_METRICS.map((m) => ({ name: `${c.name}: ${m.name}`, results: {} }));
  const setAll = (key, res) => rows.forEach((r) => (r.results[key] = res));
  const gc = globalThis.gc;
  const want = Float64Array.from(c.reference());
  for (const lib of libs) {
    if (lib.error) {
      setAll(lib.key, { status: "n/a", message: lib.error });
      continue;
    }
    const impl = c.impls[lib.key];
    if (!impl) {
      setAll(lib.key, { status: "none", message: "no implementation of this case" });
      continue;
    }
    if (typeof gc !== "function") {
      setAll(lib.key, { status: "error", message: "memory cases need a full gc(): run node with --expose-gc" });
      continue;
    }
    let inst;
    try {
      inst = impl(lib.mod);
      let first = inst.check();
      if (isThenable(first)) first = await first;
      const mismatch = compareValues(inst.read(first), want, c.tolerance);
      if (mismatch) {
        setAll(lib.key, { status: "wrong", message: mismatch });
        inst.teardown?.();
        continue;
      }
      await settle(gc);
      const before = MEMORY_METRICS.map((m) => m.read(lib));
      const t0 = performance.now();
      const out = inst.run();
      if (isThenable(out)) await out;
      const ms = performance.now() - t0;
      await settle(gc);
      const after = MEMORY_METRICS.map((m) => m.read(lib));
      const note = [`run() took ${fmtNum(ms)} ms`, typeof inst.note === "function" ? inst.note() : inst.note].filter(Boolean).join("; ");
      inst.teardown?.();
      MEMORY_METRICS.forEach((_, i) => {
        rows[i].results[lib.key] =
          before[i] === undefined
            ? { status: "none", message: "the library reports no such count" }
            : { status: "ok", value: after[i] - before[i], before: before[i], after: after[i], note };
      });
    } catch (e) {
      setAll(lib.key, { status: "error", message: e?.stack?.split("\n").slice(0, 3).join(" / ") ?? String(e) });
    }
  }
  return rows;
}

// --- Formatting -----------------------------------------------------------------

function fmtNum(x) {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  if (a >= 100) return x.toFixed(0);
  if (a >= 10) return x.toFixed(1);
  if (a >= 1) return x.toFixed(2);
  return x.toPrecision(2);
}

function cell(res) {
  if (!res) return "—";
  switch (res.status) {
    case "ok": {
      if (res.value !== undefined) return `${res.value >= 0 ? "+" : ""}${res.value}`;
      const { median, q1, q3 } = res.stats;
      return `${fmtNum(median)} ±${fmtNum((q3 - q1) / 2)}${res.leak ? " LEAK" : ""}`;
    }
    case "wrong":
      return "WRONG";
    case "error":
      return "ERROR";
    case "n/a":
      return "n/a";
    case "skipped":
      return "skipped";
    default:
      return "—";
  }
}

/** "2.31× faster" when ferrax takes less time than the peer, "1.50× slower" otherwise. */
function ratio(ferrax, peer) {
  if (ferrax?.status !== "ok" || peer?.status !== "ok" || !ferrax.stats || !peer.stats) return "—";
  const f = ferrax.stats.median;
  const p = peer.stats.median;
  if (!(f > 0 && p > 0)) return "—";
  return p >= f ? `${(p / f).toFixed(2)}× faster` : `${(f / p).toFixed(2)}× slower`;
}

/** The results table (GitHub-flavoured markdown, so it pastes as is) and its notes. */
export function formatReport(rows, libs) {
  // External references (numpy) get a column and a ratio only when some row has one.
  const libKeys = new Set(libs.map((l) => l.key));
  const external = [...new Set(rows.flatMap(({ results }) => Object.keys(results).filter((k) => !libKeys.has(k))))];
  const columns = [...libs, ...external.map((key) => ({ key, label: key }))];
  const head = ["workload", ...columns.map((l) => l.label), "ferrax/jax-js", "ferrax/tfjs", ...external.map((k) => `ferrax/${k}`)];
  const body = rows.map(({ name, results }) => [
    name,
    ...columns.map((l) => cell(results[l.key])),
    ratio(results.ferrax, results["jax-js"]),
    ratio(results.ferrax, results["tfjs-wasm"]),
    ...external.map((k) => ratio(results.ferrax, results[k])),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  const line = (cells) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(" | ")} |`;
  const out = [line(head), `|${widths.map((w, i) => (i === 0 ? ":" : "-") + "-".repeat(w) + (i === 0 ? "-" : ":")).join("|")}|`];
  for (const r of body) out.push(line(r));

  const notes = [];
  for (const { name, results } of rows) {
    for (const l of columns) {
      const res = results[l.key];
      if (!res) continue;
      if (res.status === "ok" && res.value !== undefined) {
        notes.push(`  ${name} / ${l.label}: ${res.before} before, ${res.after} after${res.note ? `; ${res.note}` : ""}`);
      } else if (res.status === "skipped") {
        notes.push(`  ${name} / ${l.label}: skipped: ${res.message}`);
      } else if (res.status === "ok") {
        const s = res.stats;
        notes.push(`  ${name} / ${l.label}: median ${fmtNum(s.median)}, quartiles ${fmtNum(s.q1)}–${fmtNum(s.q3)}, min ${fmtNum(s.min)}, max ${fmtNum(s.max)}, n=${s.n}${res.leak ? `; LEAK: up to ${res.leak} arrays left alive per repetition after its output was freed` : ""}${res.note ? `; ${res.note}` : ""}`);
      } else if (res.status === "wrong" || res.status === "error") {
        notes.push(`  ${name} / ${l.label}: ${res.status.toUpperCase()}: ${res.message}`);
      }
    }
  }
  return { table: out.join("\n"), notes };
}
