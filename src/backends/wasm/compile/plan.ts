/**
 * Scheduling and the memory plan.
 *
 * - Steps run in a topological order of their dependences (ties: creation order,
 *   which is the jaxpr's order).
 * - Liveness: a temp buffer lives from its first writer to its last reader, in
 *   step indices (closed intervals, so a step never reads and writes one block).
 * - Temps that back an output get their own block per call (allocated by the
 *   program, returned as the output's storage). All other temps share one arena:
 *   offsets are assigned first-fit, reusing space whose lifetime has ended.
 * - Donation: an output block may reuse a donated input of the same dtype and size
 *   when no step reads that input after the output's first write, or when that
 *   very step is a fused elementwise group reading the input in the output's own
 *   layout (tile by tile, every read of a tile precedes its writes). Whether the
 *   input's storage is really free (no other view of it) is checked per call.
 */
import { contiguousStrides, shapeEqual } from "../../../core/index.js";
import type { Buf, FusedStep, Step, View } from "./types.js";
import { find, stepViews } from "./types.js";

export interface OutputBlock {
  readonly buf: Buf;
  /** A donated input whose storage this block may take over. */
  donor: number | null;
}

export interface Plan {
  readonly order: readonly Step[];
  readonly blocks: readonly OutputBlock[];
  readonly arenaBytes: number;
  /** Temps placed in the arena, by offset. */
  readonly arena: readonly Buf[];
}

const ALIGN = 16;
const align = (n: number): number => Math.ceil(n / ALIGN) * ALIGN;

/** Steps in dependence order (lowest creation id first among the ready ones). */
export function schedule(steps: readonly Step[]): Step[] {
  const live = steps.filter((s) => !s.mergedInto);
  const done = new Set<Step>();
  const order: Step[] = [];
  const ready = (s: Step) => [...s.deps].every((d) => done.has(find(d)) || find(d) === s);
  while (order.length < live.length) {
    const next = live.find((s) => !done.has(s) && ready(s));
    if (!next) throw new Error("wasm compiler: cyclic step dependences (internal error).");
    done.add(next);
    order.push(next);
  }
  return order;
}

/** Whether `step` may write `out` over `input` in place (see the module docs). */
function inPlace(step: Step, input: Buf, out: Buf, writers: readonly Step[]): boolean {
  if (step.kind !== "fused" || step.redAxes !== null || writers.length !== 1 || writers[0] !== step) return false;
  const natural = contiguousStrides(step.domain);
  const identity = (v: View) => v.offset === 0 && shapeEqual(v.shape, step.domain) && v.strides.every((s, i) => s === natural[i] || step.domain[i] === 1);
  const { reads, writes } = stepViews(step as FusedStep);
  return reads.every((v) => v.buf !== input || identity(v)) && writes.every((v) => v.buf !== out || identity(v));
}

export function plan(steps: readonly Step[], outputs: readonly View[], donated: readonly boolean[], inputBufs: readonly Buf[]): Plan {
  const order = schedule(steps);
  const first = new Map<Buf, number>();
  const last = new Map<Buf, number>();
  const writers = new Map<Buf, Step[]>();
  order.forEach((s, i) => {
    const { reads, writes } = stepViews(s);
    for (const v of writes) {
      if (!first.has(v.buf)) first.set(v.buf, i);
      last.set(v.buf, Math.max(last.get(v.buf) ?? i, i));
      const w = writers.get(v.buf) ?? [];
      if (!w.includes(s)) w.push(s);
      writers.set(v.buf, w);
    }
    for (const v of reads) last.set(v.buf, Math.max(last.get(v.buf) ?? i, i));
  });
  // Output blocks: temps an output views, each once.
  const blocks: OutputBlock[] = [];
  for (const v of outputs) {
    if (v.buf.kind !== "temp" || v.buf.place) continue;
    v.buf.place = { kind: "output", index: blocks.length };
    blocks.push({ buf: v.buf, donor: null });
  }
  // Donation.
  const viewedByOutput = new Set(outputs.map((v) => v.buf));
  const donors = inputBufs.filter((b) => b.place?.kind === "input" && donated[b.place.index] && !viewedByOutput.has(b));
  for (const blk of blocks) {
    const def = first.get(blk.buf);
    if (def === undefined) continue;
    const k = donors.findIndex((d) => {
      if (d.dtype !== blk.buf.dtype || d.size !== blk.buf.size) return false;
      const lastRead = last.get(d) ?? -1;
      return lastRead < def || (lastRead === def && inPlace(order[def]!, d, blk.buf, writers.get(blk.buf) ?? []));
    });
    if (k < 0) continue;
    const d = donors.splice(k, 1)[0]!;
    blk.donor = (d.place as { index: number }).index;
  }
  // The arena: first fit over lifetimes.
  const temps = [...first.keys()].filter((b) => b.kind === "temp" && !b.place).sort((a, b) => first.get(a)! - first.get(b)! || a.id - b.id);
  const active: { buf: Buf; offset: number; end: number }[] = [];
  let arenaBytes = 0;
  for (const b of temps) {
    const start = first.get(b)!;
    for (let i = active.length - 1; i >= 0; i--) if (last.get(active[i]!.buf)! < start) active.splice(i, 1);
    active.sort((x, y) => x.offset - y.offset);
    const size = align(Math.max(b.bytes, 1));
    let offset = 0;
    for (const a of active) {
      if (a.offset - offset >= size) break;
      offset = Math.max(offset, a.end);
    }
    b.place = { kind: "arena", offset };
    active.push({ buf: b, offset, end: offset + size });
    arenaBytes = Math.max(arenaBytes, offset + size);
  }
  return { order, blocks, arenaBytes, arena: temps };
}
