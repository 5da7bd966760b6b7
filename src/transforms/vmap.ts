/**
 * vmap: automatic batching (JAX's BatchTrace). A batch tracer carries a value with
 * one extra axis, the batch dimension (or none, for values that do not vary along
 * the batch). Rules move batch dimensions into primitives' own dimensions, so a
 * batched matmul is one dot_general, never a loop.
 */
import { ArgumentError, ShapeError, type ShapedArray } from "../core/index.js";
import { flatten, flattenWithPath, unflatten, type TreeDef } from "../core/pytree.js";
import { Array } from "../trace/array.js";
import { asArray } from "../trace/array-ops.js";
import type { Prim, PrimParams } from "../trace/prim.js";
import { tidy } from "../trace/memory.js";
import { Trace, bind, currentTrace, withTrace } from "../trace/trace.js";
import { moveBatchAxis, vmapRules, type BatchDim, type VmapRule } from "./vmap-rules.js";

export class BatchTracer extends Array {
  readonly aval: ShapedArray;
  constructor(
    readonly trace: BatchTrace,
    readonly val: Array,
    readonly batchDim: number,
  ) {
    super();
    this.aval = val.aval.update({ shape: val.shape.filter((_, i) => i !== batchDim) });
  }
}

export class BatchTrace extends Trace {
  constructor(
    parent: Trace,
    readonly axisSize: number,
    kind = "vmap",
  ) {
    super(parent, kind);
  }

  unpack(x: Array): [Array, BatchDim] {
    if (x instanceof BatchTracer && x.trace === this) return [x.val, x.batchDim];
    this.checkNotEscaped(x, this.kind);
    return [x, null];
  }

  wrap(val: Array, dim: BatchDim): Array {
    return dim === null ? val : new BatchTracer(this, val, dim);
  }

  processPrimitive<P extends Prim>(prim: P, args: readonly Array[], params: PrimParams<P>): Array[] {
    const unpacked = args.map((x) => this.unpack(x));
    const vals = unpacked.map((u) => u[0]);
    const dims = unpacked.map((u) => u[1]);
    const parent = this.parent!;
    if (dims.every((d) => d === null)) return withTrace(parent, () => bind(prim, vals, params));
    const rule = vmapRules[prim] as VmapRule<P>;
    const [outs, outDims] = withTrace(parent, () => rule(vals, dims, params, this.axisSize));
    return outs.map((o, i) => this.wrap(o, outDims[i]!));
  }
}

/** Runs `f` batched: inputs carry their batch dims; outputs come back with theirs. */
export function vmapFlat(
  f: (...xs: Array[]) => Array[],
  axisSize: number,
  vals: readonly Array[],
  dims: readonly BatchDim[],
  kind = "vmap",
): [Array[], BatchDim[]] {
  const trace = new BatchTrace(currentTrace(), axisSize, kind);
  const outs = withTrace(trace, () => f(...vals.map((v, i) => trace.wrap(v, dims[i]!))));
  const unpacked = outs.map((o) => trace.unpack(o));
  return [unpacked.map((u) => u[0]), unpacked.map((u) => u[1])];
}

/** Batched outputs with the batch axis at `outDims` (unbatched outputs are broadcast when an axis is asked). */
export function vmapFlatTo(
  f: (...xs: Array[]) => Array[],
  axisSize: number,
  vals: readonly Array[],
  dims: readonly BatchDim[],
  outDims: readonly BatchDim[],
  kind = "vmap",
): Array[] {
  const [outs, got] = vmapFlat(f, axisSize, vals, dims, kind);
  return outs.map((o, i) => moveBatchAxis(o, got[i]!, outDims[i]!, axisSize));
}

export type AxisSpec = number | null | readonly AxisSpec[] | { readonly [k: string]: AxisSpec };

export interface VmapOptions {
  /** Batch axis of each argument: a number, null (not batched), or a pytree prefix of the arguments. Default 0. */
  readonly inAxes?: AxisSpec;
  /** Where the batch axis goes in each output: a number, null, or a pytree prefix of the outputs. Default 0. */
  readonly outAxes?: AxisSpec;
  /** The batch size, needed when no argument is batched. */
  readonly axisSize?: number;
}

/**
 * Broadcasts an axis-spec prefix over a full tree (JAX's flatten_axes): each leaf of
 * the spec applies to every leaf beneath the matching node of `tree`.
 */
function broadcastPrefix(op: string, what: string, spec: AxisSpec, tree: unknown, path = ""): BatchDim[] {
  if (spec === null || typeof spec === "number") return flatten(tree)[0].map(() => spec as BatchDim);
  if (globalThis.Array.isArray(spec)) {
    if (!globalThis.Array.isArray(tree) || tree.length !== spec.length) {
      throw new ArgumentError(
        `${op}: ${what}${path} is a list of ${spec.length} but the ${what === "inAxes" ? "arguments" : "outputs"} there ` +
          `${globalThis.Array.isArray(tree) ? `are a list of ${tree.length}` : `are ${flatten(tree)[1]}`}; the axes must be a prefix of their structure.`,
      );
    }
    return spec.flatMap((s, i) => broadcastPrefix(op, what, s, tree[i], `${path}[${i}]`));
  }
  if (typeof spec === "object") {
    const keys = Object.keys(spec).sort();
    const t = tree as Record<string, unknown> | null;
    // Only a plain-object node of the pytree has keys; an array leaf is "*".
    const node = flatten(tree)[1];
    const tk = node.kind === "object" ? (node.meta as string[]) : null;
    if (!tk || tk.join() !== keys.join()) {
      throw new ArgumentError(
        `${op}: ${what}${path} has keys {${keys.join(", ")}} but the value there ${tk ? `has keys {${tk.join(", ")}}` : `is ${flatten(tree)[1]}`}; the axes must be a prefix of its structure.`,
      );
    }
    return keys.flatMap((k) => broadcastPrefix(op, what, (spec as Record<string, AxisSpec>)[k]!, t![k], `${path}.${k}`));
  }
  throw new ArgumentError(`${op}: ${what}${path} is ${typeof spec}; use a number, null, or a list/object of them.`);
}

const VMAP_OPTIONS = new Set(["inAxes", "outAxes", "axisSize"]);

/** `vmap(f, { inAxes, outAxes, axisSize })(...args)`: f mapped over a batch axis of its arguments. */
export function vmap<F extends (...args: never[]) => unknown>(f: F, opts: VmapOptions = {}): (...args: Parameters<F>) => ReturnType<F> {
  for (const k of Object.keys(opts)) {
    if (!VMAP_OPTIONS.has(k)) throw new ArgumentError(`vmap: unknown option "${k}"; the options are: inAxes, outAxes, axisSize.`);
  }
  // At the top level, intermediates are freed when the call returns (tidy is a no-op under transforms).
  return ((...args: unknown[]) => tidy(() => {
    const inSpec = opts.inAxes === undefined ? 0 : opts.inAxes;
    const axes = broadcastPrefix("vmap", "inAxes", globalThis.Array.isArray(inSpec) ? inSpec : args.map(() => inSpec), args);
    const [leaves, paths, inDef] = flattenWithPath(args);
    const vals = leaves.map((l) => (l instanceof Array ? l : asArray(l as number, "vmap")));
    const dims: BatchDim[] = vals.map((v, i) => {
      const a = axes[i]!;
      if (a === null) return null;
      if (!Number.isInteger(a) || a < -v.ndim || a >= v.ndim) {
        throw new ArgumentError(
          `vmap: inAxes ${a} for argument${paths[i]} is out of range for its type ${v.aval.strShort()}; ` +
            (v.ndim === 0 ? "a scalar has no axis to map, so use null." : `use an axis in [${-v.ndim}, ${v.ndim - 1}] or null.`),
        );
      }
      return a < 0 ? a + v.ndim : a;
    });
    const sizes = vals.flatMap((v, i) => (dims[i] === null ? [] : [[paths[i]!, v.shape[dims[i]!]!] as const]));
    const distinct = [...new Set(sizes.map(([, n]) => n))];
    if (distinct.length > 1) {
      throw new ShapeError(
        `vmap: mapped axes have different sizes: ${sizes.map(([p, n]) => `argument${p} has ${n}`).join(", ")}; ` +
          `every mapped axis must have the same size.`,
      );
    }
    const axisSize = distinct[0] ?? opts.axisSize;
    if (axisSize === undefined) {
      throw new ArgumentError("vmap: no argument is mapped (every inAxes is null), so pass { axisSize } to say how many times to map.");
    }
    if (opts.axisSize !== undefined && distinct.length && opts.axisSize !== axisSize) {
      throw new ShapeError(`vmap: axisSize ${opts.axisSize} does not match the mapped size ${axisSize}.`);
    }
    let outDef: TreeDef | null = null;
    let outTree: unknown = null;
    const flat = (...xs: Array[]): Array[] => {
      outTree = (f as unknown as (...a: unknown[]) => unknown)(...unflatten<unknown[]>(inDef, xs));
      const [outs, def] = flatten(outTree);
      outDef = def;
      return outs.map((o) => asArray(o as Array, "vmap"));
    };
    const [outs, outDims] = vmapFlat(flat, axisSize, vals, dims);
    const outSpec = broadcastPrefix("vmap", "outAxes", opts.outAxes === undefined ? 0 : opts.outAxes, outTree);
    const placed = outs.map((o, i) => {
      const want = outSpec[i]!;
      if (want === null) {
        if (outDims[i] !== null) {
          throw new ArgumentError(`vmap: output ${i} varies along the batch axis, so its outAxes cannot be null.`);
        }
        return o;
      }
      const rank = o.ndim + (outDims[i] === null ? 1 : 0);
      if (!Number.isInteger(want) || want < -rank || want >= rank) {
        throw new ArgumentError(`vmap: outAxes ${want} for output ${i} is out of range for a batched output of rank ${rank}.`);
      }
      return moveBatchAxis(o, outDims[i]!, want < 0 ? want + rank : want, axisSize);
    });
    return unflatten(outDef!, placed);
  })) as (...args: Parameters<F>) => ReturnType<F>;
}

