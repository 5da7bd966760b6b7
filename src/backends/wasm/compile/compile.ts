/**
 * compileJaxpr for the WASM backend: the (already optimized) jaxpr becomes one
 * program that kernels.wasm runs in a single call (kernels-rs/src/program.rs).
 *
 * 1. lower.ts: equations become steps. Movement ops (broadcast_in_dim, transpose,
 *    squeeze, slice, reshape of contiguous data) are views: strides and offsets,
 *    no instruction. Elementwise ops and reductions go to fusion.ts; dot_general,
 *    argmax/argmin, non-trailing reductions, concatenate, iota and layout copies
 *    are kernel steps. Higher-order primitives are inlined.
 * 2. fusion.ts: elementwise chains (with broadcasts, casts, selects) group into
 *    FusedSteps; a trailing reduction joins its prologue's group; independent ops
 *    reading the same buffer over the same domain share a group.
 * 3. plan.ts: steps are ordered; temps get arena offsets by lifetime, outputs get
 *    their own blocks (allocated by the program per call), donated inputs may be
 *    reused for outputs.
 * 4. encode.ts / fused-code.ts: the words, and describe()'s text.
 *
 * Decisions: one scratch arena per backend (Heap.reserveArena), shared by all
 * programs since they never run at once, grown at compile time and never shrunk;
 * programs read inputs through their strides, compiling a variant per input layout
 * (program.ts), so calls never copy inputs.
 */
import { ClosedJaxpr, type Jaxpr, type Var } from "../../../trace/jaxpr.js";
import type { ConcreteArray } from "../../../trace/concrete.js";
import type { ShapedArray } from "../../../core/index.js";
import { Builder, type Val } from "./builder.js";
import { encodeProgram, viewNamer } from "./encode.js";
import { fmtBytes, fmtType } from "./format.js";
import { Lowerer, nameVars } from "./lower.js";
import { plan, type Plan } from "./plan.js";
import { WasmProgram, type Layouts, type OutputSpec, type ProgramHost, type ProgramParts } from "./program.js";
import { stepViews, wholeView, type Buf, type View } from "./types.js";

export function compileProgram(host: ProgramHost, closed: ClosedJaxpr, donated: readonly boolean[]): WasmProgram {
  const n = closed.jaxpr.constvars.length + closed.jaxpr.invars.length + extraConsts(closed.jaxpr).length;
  return new WasmProgram(host, (layouts) => build(host, closed, donated, layouts), n);
}

/** Constants captured by higher-order primitives' jaxprs (they become extra inputs), in lowering order. */
function extraConsts(j: Jaxpr, out: unknown[] = []): unknown[] {
  for (const e of j.eqns) {
    for (const p of Object.values(e.params as object)) {
      if (!(p instanceof ClosedJaxpr)) continue;
      for (const c of p.consts) if (!out.includes(c)) out.push(c);
      extraConsts(p.jaxpr, out);
    }
  }
  return out;
}

/** The program for inputs laid out with `layouts` (strides; null: contiguous). */
function build(host: ProgramHost, closed: ClosedJaxpr, donated: readonly boolean[], layouts: Layouts): ProgramParts {
  const j = closed.jaxpr;
  const names = nameVars(j, new Map<Var, string>());
  const b = new Builder();
  const inputBufs: Buf[] = [];
  const input = (aval: ShapedArray, name: string, index: number): Val => {
    const buf = b.buf("input", aval.dtype, aval.shape, name);
    buf.place = { kind: "input", index };
    inputBufs.push(buf);
    const view = wholeView(buf, aval.shape);
    const strides = layouts[index];
    return { kind: "view", view: strides ? { ...view, strides: [...strides] } : view };
  };
  const params = [...j.constvars, ...j.invars];
  const ins = params.map((v, i) => input(v.aval, names.get(v) ?? `in${i}`, i));
  // Constants captured by inlined higher-order primitives become extra inputs.
  const extras: ConcreteArray[] = [];
  const extraVals = new Map<unknown, Val>();
  const constInput = (x: unknown): Val => {
    let v = extraVals.get(x);
    if (!v) {
      const arr = x as ConcreteArray;
      v = input(arr.aval, `const${extras.length}`, params.length + extras.length);
      extras.push(arr);
      extraVals.set(x, v);
    }
    return v;
  };
  const outVals = new Lowerer(b, names, constInput).jaxpr(j, ins);
  const outViews = outVals.map((v) => {
    const view = b.materialize(v);
    return view.buf.kind === "pool" ? b.copy(view, "constant output") : view;
  });
  for (const [buf, offset] of b.poolOffset) buf.place = { kind: "pool", offset };
  const nInputs = params.length + extras.length;
  const p = plan(b.steps, outViews, [...donated, ...extras.map(() => false)], inputBufs);
  const display = displayNames(b.bufs);
  const name = viewNamer(display);
  const enc = encodeProgram(p, nInputs, name);
  host.ops.heap.reserveArena(p.arenaBytes);

  const used = new Set<number>();
  const note = (v: View) => v.buf.place?.kind === "input" && used.add(v.buf.place.index);
  for (const s of p.order) stepViews(s).reads.forEach(note);
  outViews.forEach(note);
  const outputs: OutputSpec[] = outViews.map((view) => {
    const pl = view.buf.place!;
    return pl.kind === "input" ? { kind: "input", index: pl.index, view } : { kind: "block", index: (pl as { index: number }).index, view };
  });
  const text = describe(p, enc.instructions.map((i) => i.text), display, inputBufs, outViews, name);
  return {
    words: enc.words,
    pool: b.pool,
    nslots: enc.nslots,
    nInputs,
    nConsts: j.constvars.length,
    nArgs: j.invars.length,
    extras,
    usedInputs: [...used].sort((x, y) => x - y),
    blocks: p.blocks.map((blk) => ({ bytes: blk.buf.bytes, donor: blk.donor })),
    outputs,
    outAvals: j.outvars.map((v) => v.aval),
    hasWork: enc.instructions.length > 0 || p.blocks.length > 0,
    text,
    instructionText: enc.instructions.map((i) => i.text[0]!),
  };
}

/** Unique display names: a buffer's variable name, suffixed when taken. */
function displayNames(bufs: readonly Buf[]): Map<Buf, string> {
  const out = new Map<Buf, string>();
  const taken = new Set<string>();
  for (const buf of bufs) {
    let n = buf.name;
    for (let k = 1; taken.has(n); k++) n = `${buf.name}'${k > 1 ? k : ""}`;
    taken.add(n);
    out.set(buf, n);
  }
  return out;
}

function describe(
  p: Plan, instrs: readonly (readonly string[])[], names: Map<Buf, string>, inputs: readonly Buf[], outs: readonly View[], view: (v: View) => string,
): string {
  const lines = [`${instrs.length} instruction${instrs.length === 1 ? "" : "s"}, run by one call into wasm:`];
  instrs.forEach((t, i) => {
    lines.push(`  #${i} ${t[0]}`);
    for (const l of t.slice(1)) lines.push(`      ${l}`);
  });
  lines.push("buffers:");
  const row = (b: Buf, where: string) =>
    lines.push(`  ${names.get(b)!.padEnd(8)} ${fmtType(b.dtype, b.shape).padEnd(16)} ${fmtBytes(b.bytes).padStart(10)}  ${where}`);
  inputs.forEach((b) => row(b, `input ${(b.place as { index: number }).index}`));
  for (const blk of p.blocks) {
    const outIdx = outs.flatMap((v, i) => (v.buf === blk.buf ? [i] : []));
    row(blk.buf, `output block (output ${outIdx.join(", ")})${blk.donor !== null ? `, may reuse donated input ${blk.donor}` : ""}`);
  }
  for (const b of [...p.arena].sort((x, y) => (x.place as { offset: number }).offset - (y.place as { offset: number }).offset)) {
    row(b, `arena @${(b.place as { offset: number }).offset}`);
  }
  outs.forEach((v, i) => {
    if (v.buf.kind === "input") lines.push(`  output ${i} is ${view(v)}`);
  });
  lines.push(`arena: ${fmtBytes(p.arenaBytes)} (intermediates share it when their lifetimes do not overlap)`);
  return lines.join("\n");
}
