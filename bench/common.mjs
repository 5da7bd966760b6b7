// Small helpers shared by workloads (kept out of workloads/, whose every file is a workload).

/**
 * What ferrax's jit did for these arguments, for the report's notes: the first line of
 * the program part of `jit(f).lower(...args).toString()` (e.g. an eagerly evaluated
 * optimized jaxpr, or a compiled program), so a table always says which path it timed.
 */
export function ferraxJitNote(jf, ...args) {
  const text = jf.lower(...args).toString();
  const eqns = /optimized jaxpr:\n([\s\S]*?)\n\nprogram:/.exec(text)?.[1]?.split("\n").filter((l) => l.includes(" = ")).length;
  const program = text.split("\nprogram:\n")[1]?.trim().split("\n")[0] ?? "(no program section)";
  const short = program.length > 160 ? `${program.slice(0, 157)}...` : program;
  return `jit: ${eqns ?? "?"} eqns after optimization; program: ${short}`;
}

/** Reads a ferrax/tfjs array (dataSync) and disposes it. */
export function readDispose(x) {
  const v = x.dataSync();
  x.dispose();
  return v;
}

/** Concatenates flat value lists into one Float64Array. */
export function concat(parts) {
  const n = parts.reduce((s, p) => s + p.length, 0);
  const out = new Float64Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
