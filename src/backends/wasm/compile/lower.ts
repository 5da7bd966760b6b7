/**
 * Lowering a jaxpr into steps: elementwise ops and reductions go to fusion,
 * movement ops become views (strides and offsets, no instruction), the rest
 * become kernel steps. Higher-order primitives are inlined (custom_lin raises,
 * as evaluating it eagerly does).
 */
import { ArgumentError, DTypeError, shapeSize, type DType } from "../../../core/index.js";
import { higherOrderImpls } from "../../../trace/higher-order.js";
import { ClosedJaxpr, Jaxpr, Literal, type Atom, type JaxprEqn, type Var } from "../../../trace/jaxpr.js";
import { varName } from "../../../trace/printer.js";
import {
  BINARY_PRIMS, COMPARE_PRIMS, LINALG_PRIMS, Prim, REDUCE_PRIMS, UNARY_PRIMS, type CumulativePrim, type LinalgPrim, type PrimParams, type ReduceWindowPrim,
} from "../../../trace/prim.js";
import { isContiguous, revView } from "../array.js";
import type { Builder, Val } from "./builder.js";
import { broadcastView, elementwise, reduce } from "./fusion.js";
import { dotGeneral } from "./matmul.js";
import { gatherGeometry, scatterGeometry } from "../../../trace/gather-geometry.js";
import { linalgCall } from "../linalg.js";
import type {
  ArgReduceStep, ConvStep, CopyStep, CumulativeStep, DynamicWindowStep, IndexedStep, IotaStep, LinalgStep, ReduceWindowStep, SortStep, View,
} from "./types.js";
import { convWorkDtype } from "../window-desc.js";

const UNARY = new Set<Prim>(UNARY_PRIMS);
const BINARY = new Set<Prim>([...BINARY_PRIMS, ...COMPARE_PRIMS]);
const REDUCE = new Set<Prim>(REDUCE_PRIMS);
const LINALG = new Set<Prim>(LINALG_PRIMS);

/** Names variables as the jaxpr printer does (a, b, …; nested jaxprs continue the count). */
export function nameVars(j: Jaxpr, names: Map<Var, string>): Map<Var, string> {
  const used = new Set<Atom>(j.outvars);
  for (const e of j.eqns) for (const a of e.inputs) used.add(a);
  const name = (v: Var) => names.has(v) || names.set(v, varName(names.size));
  j.constvars.forEach(name);
  j.invars.forEach(name);
  for (const e of j.eqns) {
    e.outvars.forEach((v) => used.has(v) && name(v));
    const params = Object.entries(e.params as object).sort(([a], [b]) => (a < b ? -1 : 1));
    for (const [, p] of params) if (p instanceof ClosedJaxpr) nameVars(p.jaxpr, names);
  }
  return names;
}

/**
 * dot_general equations whose only use is a transpose that swaps their lhs-free and
 * rhs-free axes (as gradients of matmuls are written), with that transpose.
 */
function transposedProducts(j: Jaxpr): Map<JaxprEqn, JaxprEqn> {
  const uses = new Map<Var, JaxprEqn[]>();
  for (const e of j.eqns) for (const a of e.inputs) if (!(a instanceof Literal)) uses.set(a, [...(uses.get(a) ?? []), e]);
  const outs = new Set<Atom>(j.outvars);
  const found = new Map<JaxprEqn, JaxprEqn>();
  for (const e of j.eqns) {
    if (e.prim !== Prim.DotGeneral) continue;
    const o = e.outvars[0]!;
    const u = uses.get(o) ?? [];
    if (outs.has(o) || u.length !== 1 || u[0]!.prim !== Prim.Transpose) continue;
    const [[lc, rc], [lb, rb]] = (e.params as PrimParams<Prim.DotGeneral>).dimensionNumbers;
    const nb = lb.length;
    const nl = e.inputs[0]!.aval.ndim - lc.length - nb;
    const nr = e.inputs[1]!.aval.ndim - rc.length - rb.length;
    const range = (a: number, n: number) => Array.from({ length: n }, (_, i) => a + i);
    const swap = [...range(0, nb), ...range(nb + nl, nr), ...range(nb, nl)];
    const perm = (u[0]!.params as PrimParams<Prim.Transpose>).permutation;
    if (nl > 0 && nr > 0 && perm.every((p, i) => p === swap[i])) found.set(e, u[0]!);
  }
  return found;
}

export class Lowerer {
  constructor(
    readonly b: Builder,
    readonly names: Map<Var, string>,
    /** A higher-order primitive's captured constants, as program inputs. */
    readonly constInput: (x: unknown) => Val,
  ) {}

  name(v: Var): string {
    return this.names.get(v) ?? "_";
  }

  /** Lowers `j` with its constvars and invars bound to `ins`; returns its outputs. */
  jaxpr(j: Jaxpr, ins: readonly Val[]): Val[] {
    const env = new Map<Var, Val>();
    [...j.constvars, ...j.invars].forEach((v, i) => env.set(v, ins[i]!));
    const read = (a: Atom): Val => {
      if (!(a instanceof Literal)) return env.get(a)!;
      if (a.aval.ndim === 0) return { kind: "const", value: a.value, dtype: a.aval.dtype };
      return { kind: "view", view: broadcastView(this.b.poolConst(a.value, a.aval.dtype), a.aval.shape) };
    };
    const skip = new Set<JaxprEqn>();
    const swaps = transposedProducts(j);
    for (const e of j.eqns) {
      if (skip.has(e)) continue;
      const t = swaps.get(e);
      let outs: Val[];
      if (t) {
        // transpose(dot_general(a, b)) computed as dot_general(b, a): the product lands in the layout it is read in.
        skip.add(t);
        const [[lc, rc], [lb, rb]] = (e.params as PrimParams<Prim.DotGeneral>).dimensionNumbers;
        const tv = t.outvars[0]!;
        const [a, b] = e.inputs.map(read);
        outs = [dotGeneral(this.b, b!, a!, [e.inputs[1]!.aval, e.inputs[0]!.aval], [[rc, lc], [rb, lb]], tv.aval.shape, tv.aval.dtype, this.name(tv))];
        env.set(tv, outs[0]!);
      } else outs = this.eqn(e, e.inputs.map(read));
      e.outvars.forEach((v, i) => env.set(v, outs[i]!));
    }
    return j.outvars.map(read);
  }

  private view(v: Val): View {
    return this.b.materialize(v);
  }

  /** A linear-algebra kernel step over contiguous operands (copied when strided or broadcast). */
  private linalg(e: JaxprEqn, xs: Val[]): Val[] {
    const b = this.b;
    const prim = e.prim as LinalgPrim;
    const inputs = xs.map((x, i) => {
      const v = broadcastView(this.view(x), e.inputs[i]!.aval.shape);
      return isContiguous(v.shape, v.strides) ? v : b.copy(v, `${prim} operand`);
    });
    const outputs = e.outvars.map((o) => b.temp(o.aval.dtype, o.aval.shape, this.name(o)));
    const call = linalgCall(prim, e.params as PrimParams<LinalgPrim>, e.inputs.map((a) => a.aval.shape));
    b.step<LinalgStep>({ kind: "linalg", prim, call, dtype: e.inputs[0]!.aval.dtype, inputs, outputs });
    return outputs.map((view) => ({ kind: "view", view }));
  }

  private eqn(e: JaxprEqn, xs: Val[]): Val[] {
    const b = this.b;
    const out = e.outvars[0];
    const shape = out?.aval.shape ?? [];
    const dtype: DType = out?.aval.dtype ?? "float32";
    const name = out ? this.name(out) : "_";
    const ew = (op: Parameters<typeof elementwise>[1]) => [elementwise(b, op, xs, shape, dtype, name)];
    const p = e.params as PrimParams<Prim>;
    if (UNARY.has(e.prim)) return ew({ kind: "unary", prim: e.prim as never });
    if (BINARY.has(e.prim)) return ew({ kind: "binary", prim: e.prim as never });
    if (REDUCE.has(e.prim)) {
      const { axes } = p as PrimParams<Prim.ReduceSum>;
      return [reduce(b, e.prim as never, xs[0]!, axes, e.inputs[0]!.aval.shape, shape, dtype, name)];
    }
    if (LINALG.has(e.prim)) return this.linalg(e, xs);
    switch (e.prim) {
      case Prim.IntegerPow:
        return ew({ kind: "ipow", y: (p as PrimParams<Prim.IntegerPow>).y });
      case Prim.ConvertElementType:
        return e.inputs[0]!.aval.dtype === dtype ? [xs[0]!] : ew({ kind: "cast" });
      case Prim.SelectN:
        return ew({ kind: "select" });
      case Prim.StopGradient:
        return [xs[0]!];
      case Prim.Round:
        return ew({ kind: "round", method: (p as PrimParams<Prim.Round>).roundingMethod });
      case Prim.IsFinite: {
        // |x| < inf (the eager backend computes it the same way).
        const a = elementwise(b, { kind: "unary", prim: Prim.Abs }, xs, shape, e.inputs[0]!.aval.dtype, `${name}_abs`);
        const inf: Val = { kind: "const", value: Infinity, dtype: e.inputs[0]!.aval.dtype };
        return [elementwise(b, { kind: "binary", prim: Prim.Lt }, [a, inf], shape, dtype, name)];
      }
      case Prim.Argmax:
      case Prim.Argmin: {
        const { axes, indexDtype } = p as PrimParams<Prim.Argmax>;
        if (axes.length !== 1) throw new ArgumentError(`wasm: ${e.prim} reduces exactly one axis, got axes ${JSON.stringify(axes)}.`);
        if (indexDtype !== "int32" && indexDtype !== "uint32") {
          throw new DTypeError(`wasm: ${e.prim} returns int32 or uint32 indices, not ${indexDtype}.`);
        }
        const o = b.temp(indexDtype, shape, name);
        b.step<ArgReduceStep>({ kind: "argreduce", max: e.prim === Prim.Argmax, x: this.view(xs[0]!), axis: axes[0]!, out: o });
        return [{ kind: "view", view: o }];
      }
      case Prim.BroadcastInDim: {
        const x = this.view(xs[0]!);
        const { broadcastDimensions: bd } = p as PrimParams<Prim.BroadcastInDim>;
        const strides = shape.map(() => 0);
        bd.forEach((d, i) => (strides[d] = x.shape[i] === shape[d] ? x.strides[i]! : 0));
        return [{ kind: "view", view: { ...x, shape: [...shape], strides } }];
      }
      case Prim.Reshape: {
        if ((p as PrimParams<Prim.Reshape>).dimensions !== null) {
          throw new ArgumentError("wasm: reshape with dimensions is not supported; transpose first.");
        }
        let x = this.view(xs[0]!);
        if (!isContiguous(x.shape, x.strides)) x = b.copy(x, "reshape of a strided view");
        const strides = shape.map((_, i) => shapeSize(shape.slice(i + 1)));
        return [{ kind: "view", view: { ...x, shape: [...shape], strides } }];
      }
      case Prim.Transpose: {
        const x = this.view(xs[0]!);
        const { permutation: perm } = p as PrimParams<Prim.Transpose>;
        return [{ kind: "view", view: { ...x, shape: perm.map((i) => x.shape[i]!), strides: perm.map((i) => x.strides[i]!) } }];
      }
      case Prim.Squeeze: {
        const x = this.view(xs[0]!);
        const nd = x.shape.length;
        const drop = new Set((p as PrimParams<Prim.Squeeze>).dimensions.map((d) => (d < 0 ? d + nd : d)));
        const keep = x.shape.map((_, i) => i).filter((i) => !drop.has(i));
        return [{ kind: "view", view: { ...x, shape: keep.map((i) => x.shape[i]!), strides: keep.map((i) => x.strides[i]!) } }];
      }
      case Prim.Slice: {
        const x = this.view(xs[0]!);
        const { startIndices: start, strides: step } = p as PrimParams<Prim.Slice>;
        let offset = x.offset;
        start.forEach((s, i) => (offset += s * x.strides[i]!));
        const strides = x.strides.map((s, i) => s * (step?.[i] ?? 1));
        return [{ kind: "view", view: { ...x, shape: [...shape], strides, offset } }];
      }
      case Prim.Concatenate: {
        const { dimension } = p as PrimParams<Prim.Concatenate>;
        const o = b.temp(dtype, shape, name);
        let at = 0;
        for (const [i, v] of xs.entries()) {
          const piece = broadcastView(this.view(v), e.inputs[i]!.aval.shape);
          const dst: View = { ...o, shape: [...piece.shape], offset: at * o.strides[dimension]! };
          if (shapeSize(piece.shape) > 0) b.step<CopyStep>({ kind: "copy", src: piece, dst, why: "concatenate" });
          at += piece.shape[dimension]!;
        }
        return [{ kind: "view", view: o }];
      }
      case Prim.Rev: {
        const x = this.view(xs[0]!);
        return [{ kind: "view", view: { ...x, ...revView(x, (p as PrimParams<Prim.Rev>).dimensions) } }];
      }
      case Prim.DynamicSlice:
      case Prim.DynamicUpdateSlice: {
        const update = e.prim === Prim.DynamicUpdateSlice;
        const [x, ...rest] = xs.map((v) => this.view(v));
        const o = b.temp(dtype, shape, name);
        const step = { kind: "dynwindow", x: x!, indices: update ? rest.slice(1) : rest, update: update ? rest[0]! : null, out: o } as const;
        b.step<DynamicWindowStep>(step);
        return [{ kind: "view", view: o }];
      }
      case Prim.Gather: {
        const q = p as PrimParams<Prim.Gather>;
        const [a, idx] = e.inputs.map((v) => v.aval);
        const geometry = gatherGeometry(a!.shape, idx!.shape, idx!.dtype, q.dimensionNumbers, q.sliceSizes);
        const o = b.temp(dtype, shape, name);
        const [x, indices] = xs.map((v) => this.view(v));
        b.step<IndexedStep>({ kind: "indexed", prim: Prim.Gather, geometry, mode: q.mode, fillValue: q.fillValue, x: x!, indices: indices!, updates: null, out: o });
        return [{ kind: "view", view: o }];
      }
      case Prim.Scatter:
      case Prim.ScatterAdd:
      case Prim.ScatterMul:
      case Prim.ScatterMin:
      case Prim.ScatterMax: {
        const q = p as PrimParams<Prim.ScatterAdd>;
        const [a, idx, u] = e.inputs.map((v) => v.aval);
        const geometry = scatterGeometry(e.prim, a!.shape, idx!.shape, idx!.dtype, u!.shape, q.dimensionNumbers);
        const o = b.temp(dtype, shape, name);
        const [x, indices, updates] = xs.map((v) => this.view(v));
        b.step<IndexedStep>({ kind: "indexed", prim: e.prim, geometry, mode: q.mode, fillValue: null, x: x!, indices: indices!, updates: updates!, out: o });
        return [{ kind: "view", view: o }];
      }
      case Prim.DotGeneral: {
        const { dimensionNumbers } = p as PrimParams<Prim.DotGeneral>;
        return [dotGeneral(b, xs[0]!, xs[1]!, e.inputs.map((a) => a.aval), dimensionNumbers, shape, dtype, name)];
      }
      case Prim.Iota: {
        const o = b.temp(dtype, shape, name);
        b.step<IotaStep>({ kind: "iota", out: o, dimension: (p as PrimParams<Prim.Iota>).dimension });
        return [{ kind: "view", view: o }];
      }
      case Prim.ConvGeneralDilated: {
        // Kernel step on the operands' strides; casts (fused) when preferred_element_type differs.
        const work = convWorkDtype(e.inputs[0]!.aval.dtype, dtype);
        const prep = (v: Val, i: number): View =>
          this.view(e.inputs[i]!.aval.dtype === work ? v : elementwise(b, { kind: "cast" }, [v], e.inputs[i]!.aval.shape, work, name));
        const [l, r] = [prep(xs[0]!, 0), prep(xs[1]!, 1)];
        const o = b.temp(work, shape, name);
        b.step<ConvStep>({ kind: "conv", dtype: work, lhs: l, rhs: r, out: o, params: p as PrimParams<Prim.ConvGeneralDilated> });
        const res: Val = { kind: "view", view: o };
        return [work === dtype ? res : elementwise(b, { kind: "cast" }, [res], shape, dtype, name)];
      }
      case Prim.ReduceWindowSum:
      case Prim.ReduceWindowMax:
      case Prim.ReduceWindowMin: {
        const o = b.temp(dtype, shape, name);
        const params = p as PrimParams<ReduceWindowPrim>;
        b.step<ReduceWindowStep>({ kind: "reduce_window", prim: e.prim, x: this.view(xs[0]!), out: o, params });
        return [{ kind: "view", view: o }];
      }
      case Prim.Cumsum:
      case Prim.Cumprod:
      case Prim.Cummax:
      case Prim.Cummin: {
        const o = b.temp(dtype, shape, name);
        const params = p as PrimParams<CumulativePrim>;
        b.step<CumulativeStep>({ kind: "cumulative", prim: e.prim, x: this.view(xs[0]!), out: o, params });
        return [{ kind: "view", view: o }];
      }
      case Prim.Sort: {
        // Operands read in place (strided, broadcast views too); one contiguous output each.
        const ins = xs.map((v, i) => broadcastView(this.view(v), e.inputs[i]!.aval.shape));
        const outs = e.outvars.map((o) => b.temp(o.aval.dtype, o.aval.shape, this.name(o)));
        b.step<SortStep>({ kind: "sort", xs: ins, outs, params: p as PrimParams<Prim.Sort> });
        return outs.map((view) => ({ kind: "view", view }));
      }
      case Prim.CustomJvpCall:
      case Prim.CustomVjpCall: {
        const cj = (p as PrimParams<Prim.CustomJvpCall>).callJaxpr;
        return this.jaxpr(cj.jaxpr, [...cj.consts.map((c) => this.constInput(c)), ...xs]);
      }
      case Prim.Checkpoint: {
        const cj = (p as PrimParams<Prim.Checkpoint>).jaxpr;
        return this.jaxpr(cj.jaxpr, [...cj.consts.map((c) => this.constInput(c)), ...xs]);
      }
      case Prim.CustomLin:
        higherOrderImpls[Prim.CustomLin]([], p as PrimParams<Prim.CustomLin>); // raises
        throw new ArgumentError("custom_lin cannot be evaluated.");
      default:
        throw new ArgumentError(`wasm: cannot compile primitive ${JSON.stringify(e.prim)}.`);
    }
  }
}
