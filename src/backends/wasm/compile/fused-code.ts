/**
 * A FusedStep as fused-VM bytecode (kernels-rs/src/fused.rs), plus its readable text.
 *
 * Iteration order: the domain's kept axes, then its reduced axes; axes that every
 * operand walks as one are merged. Constants and fully broadcast loads run once
 * (prologue) in registers that stay reserved; the body loads each operand before
 * its first use, runs the ops in jaxpr order with each reduction in place (its
 * results reach memory at once, so an epilogue later in the tile can load them),
 * then stores (stores come after all reads of a tile, which makes in-place
 * donation safe; groups that reduce are never in place). Registers are reused
 * once their value is dead, never as an op's own source.
 *
 * Per-segment ops (fusion.ts's segmentGroup) run in place in the body too, with
 * the SEG flag: their operands are the tile's per-segment values (LOAD|SEG of a
 * reduction's or per-segment op's output, or of other memory in segment order),
 * constants and scalars (prologue), and a stored one is written at once
 * (STORE|SEG), for the epilogue to read it like a reduction's result: per segment
 * (LOAD|SEG), which the VM broadcasts along each segment for whole-tile ops.
 */
import { contiguousStrides, shapeSize } from "../../../core/index.js";
import { BINARY_OP, DTYPE_CODE, REDUCE_OP, ROUND_OP, UNARY_OP } from "../abi.js";
import { coalesce } from "../array.js";
import { scalarBytes } from "./builder.js";
import { DIRECT, F, MAX_RANK, MAX_SEGMENT_TILE, SEG, TILE, fmtConst, fmtType, type Addr } from "./format.js";
import type { ENode, FusedStep, Operand, View } from "./types.js";

type Namer = (v: View) => string;

export interface FusedCode {
  readonly words: number[];
  readonly text: string[];
}

const constWords = (value: number, dtype: ENode["dtype"]): [number, number] => {
  const b = new Uint8Array(8);
  b.set(scalarBytes(value, dtype));
  const w = new Uint32Array(b.buffer);
  return [w[0]!, w[1]!];
};

const dtypeOf = (o: Operand): ENode["dtype"] => (o.kind === "node" ? o.node.dtype : o.kind === "view" ? o.view.dtype : o.dtype);

const opName = (n: ENode): string => {
  const o = n.op;
  switch (o.kind) {
    case "unary":
    case "binary":
      return o.prim;
    case "ipow":
      return `integer_pow[y=${o.y}]`;
    case "round":
      return `round[rounding_method=${o.method}]`;
    case "select":
      return "select_n";
    case "cast":
      return `convert_element_type[new_dtype=${n.dtype}]`;
    case "reduce":
      return o.prim;
  }
};

/**
 * `direct(v)`: whether the op computing a value stored to `v` may write it straight
 * into `v` (false where `v` may be a donated input this group still reads).
 */
export function encodeFused(g: FusedStep, addr: (v: View) => Addr, bufName: Namer, direct: (v: View) => boolean): FusedCode {
  const dom = g.domain;
  const red = new Set(g.redAxes ?? []);
  const kept = dom.map((_, i) => i).filter((i) => !red.has(i));
  const redAx = dom.map((_, i) => i).filter((i) => red.has(i));
  // A group's per-segment values (reductions' and per-segment ops' results): read
  // back per segment by per-segment ops, or broadcast by the epilogue (see
  // fusion.ts's epilogueRead), always in the body after the op that writes them.
  const ownOutputs = new Set(g.nodes.flatMap((n) => ((n.op.kind === "reduce" || n.seg) && n.stored ? [n.stored.buf] : [])));
  // A per-segment op's view operand: one of those values or other memory in segment
  // order (LOAD|SEG, keyed by its first element), or other memory with every stride
  // 0, loaded over the domain (in the prologue: the group does not write it).
  const segRead = (n: ENode, o: Operand): string | null =>
    n.seg && o.kind === "view" && (ownOutputs.has(o.view.buf) || !o.view.strides.every((s) => s === 0))
      ? `${o.view.buf.id}:${o.view.dtype}:${o.view.offset}`
      : null;
  const domView = (n: ENode, o: Operand): Operand =>
    n.seg && o.kind === "view" && !segRead(n, o) ? { kind: "view", view: { ...o.view, shape: [...dom], strides: dom.map(() => 0) } } : o;
  const operandsOf = (n: ENode): Operand[] => n.operands.map((o) => domView(n, o));
  // Every strided operand over the domain: loads (deduplicated) and stores.
  const loads = new Map<string, { view: View; reg: number }>();
  const keyOf = (v: View) => `${v.buf.id}:${v.dtype}:${v.offset}:${v.strides.join(",")}`;
  for (const n of g.nodes) {
    for (const o of operandsOf(n)) if (o.kind === "view" && !segRead(n, o) && !loads.has(keyOf(o.view))) loads.set(keyOf(o.view), { view: o.view, reg: -1 });
  }
  const stores = g.nodes.filter((n) => n.op.kind !== "reduce" && !n.seg && n.stored);
  const views = [...[...loads.values()].map((l) => l.view), ...stores.map((n) => n.stored!)];
  const part = (axes: number[]) => coalesce(axes.map((a) => dom[a]!), views.map((v) => axes.map((a) => v.strides[a]!)));
  const k = part(kept);
  const r = part(redAx);
  // The VM wants rank >= 1, and nred >= 1 when reducing: pad with a size-1 axis (stride 0).
  const pad = (c: { shape: number[]; strides: number[][] }) => (c.shape.push(1), c.strides.forEach((x) => x.push(0)));
  if (g.redAxes && r.shape.length === 0) pad(r);
  if (k.shape.length + r.shape.length === 0) pad(k);
  const dims = [...k.shape, ...r.shape];
  const nd = dims.length;
  if (nd > MAX_RANK) throw new Error(`wasm compiler: a fused domain of rank ${nd} (limit ${MAX_RANK}).`);
  const strides = new Map<View, number[]>();
  views.forEach((v, i) => strides.set(v, [...k.strides[i]!, ...r.strides[i]!]));
  const nred = g.redAxes ? r.shape.length : 0;
  // Tiles hold whole segments (see the tile size below): a load with one value per
  // segment in segment order, broadcast along the reduced axes (an epilogue's read
  // of a reduction), is a LOAD|SEG, which ops on whole tiles read per segment.
  const reduced = nred ? shapeSize(r.shape) : 0;
  const segTiles = reduced >= 1 && reduced <= MAX_SEGMENT_TILE && shapeSize(dims) > 0;
  const keptNatural = contiguousStrides(k.shape);
  const perSegment = (v: View): boolean =>
    segTiles && strides.get(v)!.every((s, i) => (i < k.shape.length ? k.shape[i] === 1 || s === keptNatural[i] : s === 0));

  // Register allocation.
  const free: number[] = [];
  let nregs = 0;
  const alloc = (avoid: readonly number[] = []): number => {
    const i = free.findIndex((x) => !avoid.includes(x));
    if (i >= 0) return free.splice(i, 1)[0]!;
    return nregs++;
  };
  const pro: number[] = [];
  const body: number[] = [];
  const text: string[] = [];
  const consts = new Map<string, number>();
  const constKey = (value: number, dtype: string) => `${dtype}:${Object.is(value, -0) ? "-0" : value}`;
  const nodeReg = new Map<ENode, number>();
  // The registers holding this tile's segment values, by segRead's key.
  const segLoads = new Map<string, number>();
  const regOf = (n: ENode, o: Operand): number => {
    if (o.kind === "node") return nodeReg.get(o.node)!;
    const sb = segRead(n, o);
    if (sb) return segLoads.get(sb)!;
    if (o.kind === "view") return loads.get(keyOf(o.view))!.reg;
    return consts.get(constKey(o.value, o.dtype))!;
  };
  const fmtOperand = (o: Operand): string =>
    o.kind === "node" ? o.node.name : o.kind === "view" ? bufName(o.view) : fmtConst(o.value, o.dtype);
  // Prologue: constants and loads with every stride 0.
  for (const n of g.nodes) {
    for (const o of operandsOf(n)) {
      if (o.kind === "const" && !consts.has(constKey(o.value, o.dtype))) {
        const reg = alloc();
        consts.set(constKey(o.value, o.dtype), reg);
        pro.push(F.Const, reg, DTYPE_CODE[o.dtype], ...constWords(o.value, o.dtype));
        text.push(`r${reg} = ${fmtConst(o.value, o.dtype)}`);
      } else if (o.kind === "view" && !ownOutputs.has(o.view.buf) && !segRead(n, o)) {
        const l = loads.get(keyOf(o.view))!;
        if (l.reg < 0 && strides.get(l.view)!.every((s) => s === 0)) {
          l.reg = alloc();
          pro.push(F.Load, l.reg, DTYPE_CODE[l.view.dtype], ...addr(l.view), ...strides.get(l.view)!);
          text.push(`r${l.reg} = load ${bufName(l.view)} (once)`);
        }
      }
    }
  }
  // Last use of each value, in body op order (reductions in place, stores at the end).
  const permanent = new Set<number>([...consts.values(), ...[...loads.values()].map((l) => l.reg).filter((r) => r >= 0)]);
  const valueKey = (n: ENode, o: Operand): unknown =>
    o.kind === "node" ? o.node : (segRead(n, o) ?? (o.kind === "view" ? keyOf(o.view) : null));
  const lastUse = new Map<unknown, number>();
  const endIndex = g.nodes.length;
  g.nodes.forEach((n, i) => operandsOf(n).forEach((o) => lastUse.set(valueKey(n, o), i)));
  for (const n of stores) lastUse.set(n, endIndex);
  const release = (key: unknown, reg: number, i: number) => {
    if (key !== null && !permanent.has(reg) && (lastUse.get(key) ?? -1) <= i && !free.includes(reg)) free.push(reg);
  };
  g.nodes.forEach((n, i) => {
    const operands = operandsOf(n);
    for (const o of operands) {
      if (o.kind !== "view") continue;
      const sb = segRead(n, o);
      if (sb) {
        if (segLoads.has(sb)) continue;
        const reg = alloc();
        segLoads.set(sb, reg);
        body.push(F.Load | SEG, reg, DTYPE_CODE[o.view.dtype], ...addr(o.view));
        text.push(`r${reg} = load ${bufName(o.view)} (per segment)`);
        continue;
      }
      const l = loads.get(keyOf(o.view))!;
      if (l.reg >= 0) continue;
      l.reg = alloc();
      if (perSegment(l.view)) {
        body.push(F.Load | SEG, l.reg, DTYPE_CODE[l.view.dtype], ...addr(l.view));
        text.push(`r${l.reg} = load ${bufName({ ...l.view, shape: [...l.view.buf.shape], strides: contiguousStrides(l.view.buf.shape) })} (per segment)`);
        continue;
      }
      body.push(F.Load, l.reg, DTYPE_CODE[l.view.dtype], ...addr(l.view), ...strides.get(l.view)!);
      text.push(`r${l.reg} = load ${bufName(l.view)}`);
    }
    const srcs = operands.map((o) => regOf(n, o));
    const releaseAll = () => operands.forEach((op, j) => release(valueKey(n, op), srcs[j]!, i));
    const o = n.op;
    if (o.kind === "reduce") {
      // Writes this tile's results at once: later ops of the tile may read them.
      const src = n.operands[0]!;
      body.push(F.Reduce, REDUCE_OP[o.prim], DTYPE_CODE[dtypeOf(src)], srcs[0]!, ...addr(n.stored!));
      text.push(`${o.prim} r${srcs[0]} (${fmtOperand(src)}) -> ${bufName(n.stored!)}`);
      releaseAll();
      return;
    }
    const dst = alloc(srcs);
    nodeReg.set(n, dst);
    const k = stores.indexOf(n);
    const dw = k >= 0 && direct(n.stored!) ? dst | ((k + 1) << 16) : dst;
    const od = dtypeOf(n.operands[0]!);
    const seg = n.seg ? SEG : 0;
    if (o.kind === "unary") body.push(F.Unary | seg, UNARY_OP[o.prim], DTYPE_CODE[od], dw, srcs[0]!);
    else if (o.kind === "round") body.push(F.Unary | seg, ROUND_OP[o.method], DTYPE_CODE[od], dw, srcs[0]!);
    else if (o.kind === "ipow") body.push(F.Ipow | seg, DTYPE_CODE[od], dw, srcs[0]!, o.y >>> 0);
    else if (o.kind === "binary") body.push(F.Binary | seg, BINARY_OP[o.prim], DTYPE_CODE[od], dw, srcs[0]!, srcs[1]!);
    else if (o.kind === "cast") body.push(F.Cast | seg, DTYPE_CODE[od], DTYPE_CODE[n.dtype], dw, srcs[0]!);
    else if (o.kind === "select") body.push(F.Select | seg, DTYPE_CODE[n.dtype], DTYPE_CODE[od], dw, srcs[0]!, srcs.length - 1, ...srcs.slice(1));
    const args = n.operands.map((op, j) => (op.kind === "const" ? fmtOperand(op) : `r${srcs[j]}`)).join(" ");
    text.push(`${`r${dst} = ${opName(n)} ${args}`.padEnd(36)} # ${n.name}:${fmtType(n.dtype, n.shape)}${n.seg ? " (per segment)" : ""}`);
    if (n.seg && n.stored) {
      // Written at once: the epilogue later in the tile loads it broadcast.
      body.push(F.Store | SEG, dst, DTYPE_CODE[n.dtype], ...addr(n.stored));
      text.push(`store r${dst} (${n.name}) -> ${bufName(n.stored)} (per segment)`);
    }
    releaseAll();
    release(n, dst, i - 1); // a value nothing reads
  });
  for (const n of stores) {
    const v = n.stored!;
    body.push(F.Store, (nodeReg.get(n)! | (direct(v) ? DIRECT : 0)) >>> 0, DTYPE_CODE[n.dtype], ...addr(v), ...strides.get(v)!);
    text.push(`store r${nodeReg.get(n)} (${n.name}) -> ${bufName(v)}`);
  }
  const total = shapeSize(dims);
  // Tiles of TILE elements (fewer for small domains); a reduced extent up to
  // MAX_SEGMENT_TILE gets a tile of its own, so each output is reduced in one piece.
  const tile = Math.max(Math.min(TILE, Math.max(16, Math.ceil(total / 16) * 16)), reduced <= MAX_SEGMENT_TILE ? reduced : 0);
  const words = [nd, nred, ...dims, nregs, tile, pro.length, ...pro, body.length, ...body];
  const nseg = g.nodes.filter((n) => n.seg).length;
  const head = `fused ${fmtType(g.nodes[0]?.dtype ?? "float32", dom)}` +
    (g.redAxes ? ` reducing axes (${[...red].join(",")})` : "") + `: ${g.nodes.filter((n) => n.op.kind !== "reduce").length} ops` +
    (nseg ? ` (${nseg} per segment)` : "") + `, ${nregs} registers, iteration [${dims.join(",")}]`;
  return { words, text: [head, ...text.map((t) => "    " + t)] };
}
