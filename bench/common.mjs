// Small helpers shared by workloads (kept out of workloads/, whose every file is a workload).

/**
 * What ferrax's jit did for these arguments, for the report's notes, from
 * `jit(f).lower(...args).toString()`: the number of equations after optimization and the
 * program's first line (e.g. "eager evaluation of ..." or "N instructions, run by one call
 * into wasm:"), followed by its instructions when there are one or two, else a count of
 * them by kind. So a table always says which path it timed.
 */
export function ferraxJitNote(jf, ...args) {
  const text = jf.lower(...args).toString();
  const jaxpr = /optimized jaxpr:\n([\s\S]*?)\n\nprogram:/.exec(text)?.[1] ?? "";
  const eqns = jaxpr.split("\n").filter((l) => l.includes(" = ")).length;
  const program = (text.split("\nprogram:\n")[1] ?? "").trim().split("\n");
  const head = program[0] ?? "(no program section)";
  const instrs = program.map((l) => /^\s*#\d+\s+(.*)$/.exec(l)?.[1]).filter(Boolean);
  let detail = "";
  if (instrs.length > 0 && instrs.length <= 2) {
    detail = ` ${instrs.join("; ")}`;
  } else if (instrs.length > 2) {
    const kinds = new Map();
    for (const i of instrs) {
      const kind = i.startsWith("reduce") ? i.split(" ").slice(0, 2).join(" ") : i.split(" ")[0];
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    }
    detail = ` ${[...kinds].map(([k, n]) => `${n} ${k}`).join(", ")}`;
  }
  const line = `${head}${detail}`;
  return `jit: ${eqns} eqns after optimization; program: ${line.length > 200 ? `${line.slice(0, 197)}...` : line}`;
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
