/**
 * The compiler's working state while a jaxpr is lowered: buffers, steps, the
 * constant pool, and how a value reaches memory (`materialize`).
 */
import { ITEM_SIZE, type DType, type Shape } from "../../../core/index.js";
import { fmtConst } from "./format.js";
import {
  Buf,
  ENode,
  find,
  stepViews,
  wholeView,
  type BufKind,
  type CopyStep,
  type FusedStep,
  type Operand,
  type Step,
  type View,
} from "./types.js";

/** A jaxpr variable's value while lowering: a fused node, memory, or a scalar constant. */
export type Val = Operand;

/** Distributes Omit over a union, so each step kind keeps its own fields. */
type StepFields<S> = S extends Step ? Omit<S, "id" | "deps" | "mergedInto"> : never;

export class Builder {
  readonly bufs: Buf[] = [];
  readonly steps: Step[] = [];
  private nextNode = 0;
  /** Constant pool bytes, and the pool buffer of each distinct constant. */
  readonly pool: number[] = [];
  private readonly poolBufs = new Map<string, Buf>();
  readonly poolOffset = new Map<Buf, number>();
  private readonly writerOf = new Map<Buf, Step[]>();

  buf(kind: BufKind, dtype: DType, shape: Shape, name: string): Buf {
    const b = new Buf(this.bufs.length, kind, dtype, [...shape], name);
    this.bufs.push(b);
    return b;
  }

  /** A new step, with `deps` taken from the views it reads. */
  step<S extends Step>(fields: StepFields<S>): S {
    const s = { ...fields, id: this.steps.length, deps: new Set<Step>(), mergedInto: null } as unknown as S;
    this.steps.push(s);
    const { reads, writes } = stepViews(s);
    for (const v of reads) this.addDep(s, v);
    for (const v of writes) this.addWriter(v.buf, s);
    return s;
  }

  fused(domain: Shape): FusedStep {
    return this.step<FusedStep>({ kind: "fused", domain: [...domain], redAxes: null, nodes: [] });
  }

  node(op: ENode["op"], operands: readonly Operand[], shape: Shape, dtype: DType, group: FusedStep, name: string, seg = false): ENode {
    const n = new ENode(this.nextNode++, op, operands, [...shape], dtype, group, name, seg);
    group.nodes.push(n);
    for (const o of operands) if (o.kind === "view") this.addDep(group, o.view);
    return n;
  }

  /** Records that `s` reads `v` (so it runs after whatever writes v's buffer). */
  addDep(s: Step, v: View): void {
    for (const w of this.writers(v.buf)) if (find(w) !== find(s)) s.deps.add(w);
  }

  addWriter(buf: Buf, s: Step): void {
    const w = this.writerOf.get(buf);
    if (w) w.push(s);
    else this.writerOf.set(buf, [s]);
  }

  /** The steps writing `buf` (resolved). */
  writers(buf: Buf): Step[] {
    return [...new Set((this.writerOf.get(buf) ?? []).map((s) => find(s)))];
  }

  /** Whether `from` depends, directly or not, on `to`. */
  reaches(from: Step, to: Step): boolean {
    const target = find(to);
    const seen = new Set<Step>();
    const stack = [find(from)];
    while (stack.length) {
      const s = stack.pop()!;
      for (const d of s.deps) {
        const r = find(d);
        if (r === target) return true;
        if (r !== s && !seen.has(r)) (seen.add(r), stack.push(r));
      }
    }
    return false;
  }

  /** A scalar constant in the pool, as a rank-0 view. */
  poolConst(value: number, dtype: DType): View {
    const key = `${dtype}:${Object.is(value, -0) ? "-0" : value}`;
    let b = this.poolBufs.get(key);
    if (!b) {
      b = this.buf("pool", dtype, [], fmtConst(value, dtype));
      while (this.pool.length % 8) this.pool.push(0);
      this.poolOffset.set(b, this.pool.length);
      this.pool.push(...scalarBytes(value, dtype));
      this.poolBufs.set(key, b);
    }
    return { buf: b, dtype, shape: [], strides: [], offset: 0 };
  }

  /** `v` in memory: a stored node (its group gains a store), a pool constant, or the view itself. */
  materialize(v: Val): View {
    if (v.kind === "view") return v.view;
    if (v.kind === "const") return this.poolConst(v.value, v.dtype);
    const n = v.node;
    if (!n.stored) {
      const b = this.buf("temp", n.dtype, n.shape, n.name);
      n.stored = wholeView(b, n.shape);
      this.addWriter(b, n.group);
    }
    return n.stored;
  }

  /** A contiguous copy of `src` (a copy step), viewed whole. */
  copy(src: View, why: string): View {
    const dst = this.temp(src.dtype, src.shape, src.buf.name);
    this.step<CopyStep>({ kind: "copy", src, dst, why });
    return dst;
  }

  /** A new temp buffer of `shape`, viewed whole. */
  temp(dtype: DType, shape: Shape, name: string): View {
    return wholeView(this.buf("temp", dtype, shape, name), shape);
  }
}

/** The little-endian bytes of a scalar of `dtype`. */
export function scalarBytes(value: number, dtype: DType): number[] {
  const b = new ArrayBuffer(8);
  const dv = new DataView(b);
  switch (dtype) {
    case "float32":
      dv.setFloat32(0, value, true);
      break;
    case "float64":
      dv.setFloat64(0, value, true);
      break;
    case "int32":
      dv.setInt32(0, value, true);
      break;
    case "uint32":
      dv.setUint32(0, value >>> 0, true);
      break;
    case "bool":
      dv.setUint8(0, value ? 1 : 0);
      break;
  }
  return [...new Uint8Array(b, 0, ITEM_SIZE[dtype])];
}
