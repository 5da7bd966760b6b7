/**
 * Fusion: which FusedStep an elementwise op or a reduction joins.
 *
 * - An elementwise op joins the group of its operands computed in the same
 *   domain (same shape); operands from several such groups merge them when no
 *   dependence path links the groups. Operands of another shape (broadcasts,
 *   scalars), memory, and nodes of groups it cannot join are read from memory
 *   (those nodes get stored). It starts a new group if joining would make a
 *   group depend on itself (e.g. reading a reduction of the same group), except
 *   for a reduction's epilogue (`epilogueRead`), which runs in the group's tiles.
 * - An elementwise op on a group's per-segment values (its reductions' results,
 *   its per-segment ops), constants, and memory with one value per segment (or a
 *   scalar) joins that group as a per-segment op (`segmentGroup`): it runs once
 *   per segment in the tile loop, between the reduction and the epilogue that
 *   reads its stored result.
 * - A reduction joins its operand's group as a trailing reduction when the
 *   reduced axes come last (size-1 axes aside) and the group reduces nothing
 *   else; the prologue then runs in the same tile loop as the reduction. A
 *   trailing reduction of memory with segments of at most MAX_SEGMENT_TILE joins a
 *   recent group over the same domain reading that memory (and reducing nothing
 *   else), or starts one (for its epilogue to join). Other reductions become
 *   REDUCE kernel calls on memory.
 */
import { contiguousStrides, shapeEqual, shapeSize, type DType, type Shape } from "../../../core/index.js";
import type { ReducePrim } from "../../../trace/prim.js";
import type { Builder, Val } from "./builder.js";
import { MAX_SEGMENT_TILE } from "./format.js";
import { find, type ElemOp, type ENode, type FusedStep, type Operand, type ReduceStep, type Step, type View } from "./types.js";

/** `v` read over `shape`: rank-0 and size-1 axes broadcast with stride 0. */
export function broadcastView(v: View, shape: Shape): View {
  if (shapeEqual(v.shape, shape)) return v;
  const strides = v.shape.length === 0 ? shape.map(() => 0) : v.strides.map((s, i) => (v.shape[i] === 1 ? 0 : s));
  return { ...v, shape: [...shape], strides };
}

const fusable = (v: Val, shape: Shape): v is Extract<Val, { kind: "node" }> =>
  v.kind === "node" && v.node.op.kind !== "reduce" && !v.node.seg && shapeEqual(v.node.shape, shape);

const sameAxes = (a: readonly number[], b: readonly number[]): boolean =>
  a.length === b.length && [...a].sort().every((x, i) => x === [...b].sort()[i]);

function canMerge(b: Builder, g: FusedStep, c: FusedStep): boolean {
  if (g.redAxes && c.redAxes && !sameAxes(g.redAxes, c.redAxes)) return false;
  return !b.reaches(g, c) && !b.reaches(c, g);
}

function merge(g: FusedStep, c: FusedStep): FusedStep {
  c.mergedInto = g;
  for (const n of c.nodes) n.group = g;
  g.nodes = [...g.nodes, ...c.nodes].sort((x, y) => x.id - y.id);
  c.nodes = [];
  for (const d of c.deps) if (find(d) !== g) g.deps.add(d);
  g.redAxes ??= c.redAxes;
  return g;
}

function operands(b: Builder, vals: readonly Val[], shape: Shape, g: FusedStep | null): Operand[] {
  return vals.map((v) => {
    if (v.kind === "const") return v;
    if (g && fusable(v, shape) && find(v.node.group) === g) return v;
    return { kind: "view", view: broadcastView(b.materialize(v), shape) };
  });
}

/** An elementwise op over `shape` (operands broadcast to it); returns its node. */
export function elementwise(b: Builder, op: ElemOp, vals: readonly Val[], shape: Shape, dtype: DType, name: string): Val {
  const seg = segmentGroup(b, vals, shape);
  if (seg) return { kind: "node", node: b.node(op, seg.ops, shape, dtype, seg.g, name, true) };
  let g: FusedStep | null = null;
  for (const v of vals) {
    if (!fusable(v, shape)) continue;
    const c = find(v.node.group);
    if (g === null) g = c;
    else if (c !== g && canMerge(b, g, c)) g = merge(g, c);
  }
  let ops = operands(b, vals, shape, g);
  const cyclic = (grp: FusedStep) =>
    ops.some(
      (o) => o.kind === "view" && !epilogueRead(grp, o.view, shape) && b.writers(o.view.buf).some((w) => w === grp || b.reaches(w, grp)),
    );
  if (g && cyclic(g)) {
    g = null;
    ops = operands(b, vals, shape, null);
  }
  g ??= epilogueOf(b, ops, shape, cyclic) ?? sibling(b, ops, shape, cyclic) ?? b.fused(shape);
  return { kind: "node", node: b.node(op, ops, shape, dtype, g, name) };
}

/**
 * Whether `v`, read by an op over `shape`, is one of `g`'s own reductions (or
 * per-segment ops) in its epilogue layout: each element reads the result of its own segment (the value
 * broadcast along g's reduced axes, kept axes in the result's row-major layout).
 * The op can then run in g's tile loop after the reduction (softmax's divide by
 * its sum, layernorm's normalisation): with reduced extents of at most
 * MAX_SEGMENT_TILE a tile holds whole segments, and the VM's REDUCE writes a
 * tile's results before the tile's later ops run (see encodeFused).
 */
export function epilogueRead(g: FusedStep, v: View, shape: Shape): boolean {
  if (!g.redAxes || !shapeEqual(shape, g.domain)) return false;
  const red = new Set(g.redAxes);
  if (shapeSize(g.redAxes.map((a) => g.domain[a]!)) > MAX_SEGMENT_TILE) return false;
  const r = g.nodes.find((n) => perSegment(n) && n.stored?.buf === v.buf);
  if (!r || v.offset !== r.stored!.offset) return false;
  const keptStrides = contiguousStrides(g.domain.filter((_, i) => !red.has(i)));
  let k = 0;
  for (let i = 0; i < g.domain.length; i++) {
    const want = red.has(i) ? 0 : keptStrides[k++]!;
    if (g.domain[i] !== 1 && v.strides[i] !== want) return false;
  }
  return true;
}

/** A reduction's result, or a per-segment op's: one value per segment of its group. */
const perSegment = (n: ENode): boolean => n.op.kind === "reduce" || n.seg;

/**
 * Whether `g`'s tiles hold whole segments, each at least one element (so that
 * per-segment ops run once for every segment): see encodeFused's tile size.
 */
function wholeSegments(g: FusedStep): boolean {
  if (!g.redAxes) return false;
  const r = shapeSize(g.redAxes.map((a) => g.domain[a]!));
  return r >= 1 && r <= MAX_SEGMENT_TILE && shapeSize(g.domain) > 0;
}

/** Whether `v`, read by an op over `shape`, walks its memory contiguously in row-major order. */
function inOrder(v: View, shape: Shape): boolean {
  const want = contiguousStrides(shape);
  return shape.every((d, i) => d === 1 || v.strides[i] === want[i]);
}

/** `g`'s per-segment value that `v` reads in segment order (element i: segment i), if it is one. */
function ownSegmentRead(g: FusedStep, v: View, shape: Shape): boolean {
  const n = g.nodes.find((n) => perSegment(n) && n.stored?.buf === v.buf);
  return !!n && v.offset === n.stored!.offset && v.dtype === n.dtype && shapeSize(shape) === shapeSize(n.shape) && inOrder(v, shape);
}

/**
 * The group, and the op's operands, if an op over `shape` can run per segment in
 * it: one whose per-segment values (nodes, or stored values read in segment order)
 * some operands are, latest first (it may read an earlier one's from memory).
 */
function segmentGroup(b: Builder, vals: readonly Val[], shape: Shape): { g: FusedStep; ops: Operand[] } | null {
  const cands = new Set<FusedStep>();
  for (const v of vals) {
    if (v.kind === "node" && v.node.seg) cands.add(find(v.node.group));
    if (v.kind !== "view") continue;
    const view = broadcastView(v.view, shape);
    for (const w of b.writers(view.buf)) if (w.kind === "fused" && ownSegmentRead(w, view, shape)) cands.add(w);
  }
  for (const g of [...cands].sort((x, y) => y.id - x.id)) {
    const ops = segmentOperands(b, g, vals, shape);
    if (ops) return { g, ops };
  }
  return null;
}

/**
 * The operands of an op over `shape` running per segment in `g`, if it can: every
 * operand is a constant, one of g's per-segment nodes or stored per-segment values,
 * or a value g does not write (a node of another group, memory) that is a scalar or
 * one value per segment in segment order (a per-row weight, another group's row
 * statistics), and the op has one element per segment. Other groups' nodes are
 * then stored, and read from memory.
 */
function segmentOperands(b: Builder, g: FusedStep, vals: readonly Val[], shape: Shape): Operand[] | null {
  if (!wholeSegments(g) || shapeSize(shape) !== shapeSize(g.domain.filter((_, i) => !g.redAxes!.includes(i)))) return null;
  const independent = (ws: readonly Step[]) => ws.every((w) => w !== g && !b.reaches(w, g));
  for (const v of vals) {
    if (v.kind === "const") continue;
    if (v.kind === "node") {
      // Of the op's size: broadcast only along size-1 axes, so in segment order.
      const h = find(v.node.group);
      const ok = v.node.op.kind !== "reduce" && shapeSize(v.node.shape) === shapeSize(shape) && (h === g ? v.node.seg : independent([h]));
      if (!ok) return null;
      continue;
    }
    const view = broadcastView(v.view, shape);
    if (ownSegmentRead(g, view, shape)) continue;
    if (!(view.strides.every((s) => s === 0) || inOrder(view, shape)) || !independent(b.writers(view.buf))) return null;
  }
  return vals.map((v) => {
    if (v.kind === "const" || (v.kind === "node" && find(v.node.group) === g)) return v;
    return { kind: "view", view: broadcastView(b.materialize(v), shape) };
  });
}

/** A group whose reduction these operands read in its epilogue layout, if the op can join it. */
function epilogueOf(b: Builder, ops: readonly Operand[], shape: Shape, cyclic: (g: FusedStep) => boolean): FusedStep | null {
  for (const o of ops) {
    if (o.kind !== "view") continue;
    for (const w of b.writers(o.view.buf)) if (w.kind === "fused" && epilogueRead(w, o.view, shape) && !cyclic(w)) return w;
  }
  return null;
}

/** How far back `sibling` looks for a group to join. */
const SIBLING_WINDOW = 16;

/**
 * A recent group over the same domain that already reads one of the buffers these
 * operands read, and that the op can join without a cycle (horizontal fusion: one
 * pass over the shared input instead of two).
 */
function sibling(
  b: Builder, ops: readonly Operand[], shape: Shape, cyclic: (g: FusedStep) => boolean, accept: (g: FusedStep) => boolean = () => true,
): FusedStep | null {
  const bufs = new Set(ops.flatMap((o) => (o.kind === "view" ? [o.view.buf] : [])));
  if (bufs.size === 0) return null;
  for (let i = b.steps.length - 1, seen = 0; i >= 0 && seen < SIBLING_WINDOW; i--) {
    const s = b.steps[i]!;
    if (s.mergedInto || s.kind !== "fused") continue;
    seen++;
    if (!shapeEqual(s.domain, shape)) continue;
    const shares = s.nodes.some((n) => n.operands.some((o) => o.kind === "view" && bufs.has(o.view.buf)));
    if (shares && accept(s) && !cyclic(s)) return s;
  }
  return null;
}

/** Whether the reduced axes are the last ones of `shape`, ignoring size-1 axes. */
export function trailing(axes: readonly number[], shape: Shape): boolean {
  const red = new Set(axes);
  let seen = false;
  for (let i = 0; i < shape.length; i++) {
    if (shape[i] === 1) continue;
    if (red.has(i)) seen = true;
    else if (seen) return false;
  }
  return true;
}

/** A reduction of `v` (of `inShape`) over `axes`; its value is always stored. */
export function reduce(
  b: Builder, prim: ReducePrim, v: Val, axes: readonly number[], inShape: Shape, outShape: Shape, dtype: DType, name: string,
): Val {
  if (fusable(v, inShape) && trailing(axes, inShape)) {
    const g = find(v.node.group);
    if (g.redAxes === null || sameAxes(g.redAxes, axes)) {
      g.redAxes = [...axes];
      const r = b.node({ kind: "reduce", prim }, [v], outShape, dtype, g, name);
      return { kind: "view", view: b.materialize({ kind: "node", node: r }) };
    }
  }
  // A reduction of memory whose segments fit a tile joins a group over the same
  // domain reading the same memory (and reducing nothing else), or starts one, so
  // that an epilogue (see epilogueRead) and per-segment ops can join it.
  if (v.kind === "view" && trailing(axes, inShape) && shapeSize(axes.map((a) => inShape[a]!)) <= MAX_SEGMENT_TILE) {
    const x = broadcastView(v.view, inShape);
    const cyclic = (grp: FusedStep) => b.writers(x.buf).some((w) => w === grp || b.reaches(w, grp));
    const g = sibling(b, [{ kind: "view", view: x }], inShape, cyclic, (s) => s.redAxes === null || sameAxes(s.redAxes, axes)) ?? b.fused(inShape);
    g.redAxes = [...axes];
    const r = b.node({ kind: "reduce", prim }, [{ kind: "view", view: x }], outShape, dtype, g, name);
    return { kind: "view", view: b.materialize({ kind: "node", node: r }) };
  }
  const x = broadcastView(b.materialize(v), inShape);
  const out = b.temp(dtype, outShape, name);
  b.step<ReduceStep>({ kind: "reduce", prim, x, axes: [...axes], out });
  return { kind: "view", view: out };
}
