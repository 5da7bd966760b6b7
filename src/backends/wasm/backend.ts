/**
 * WasmBackend: eager execution of every primitive on kernels.wasm.
 *
 * Movement ops (broadcast_in_dim, transpose, slice, squeeze, reshape of
 * contiguous data, same-dtype convert_element_type) return views: new handles
 * on the input's block with new shape/strides/offset. Everything else calls one
 * kernel (two for a few composites) that reads strided inputs and writes a new
 * contiguous block.
 */
import {
  ArgumentError,
  DTypeError,
  DisposedArrayError,
  ITEM_SIZE,
  ShapeError,
  TYPED_ARRAY,
  contiguousStrides,
  shapeSize,
  ShapedArray,
  type DType,
  type TypedArray,
} from "../../core/index.js";
import type { Backend, BackendData, BackendMemoryStats, Compiled } from "../../trace/backend.js";
import type { ClosedJaxpr } from "../../trace/jaxpr.js";
import { gatherGeometry, scatterGeometry } from "../../trace/gather-geometry.js";
import { Prim, type ArgReducePrim, type CumulativePrim, type KernelPrim, type PrimParams, type ReducePrim, type ScatterPrim } from "../../trace/prim.js";
import { ARG_OP, BINARY_OP, CUMULATIVE_OP, DTYPE_CODE, REDUCE_OP, ROUND_OP, UNARY_OP } from "./abi.js";
import { WasmBuffer, revView, windowOffset } from "./array.js";
import { compileProgram } from "./compile/compile.js";
import { argReduce, dotGeneral, reduce } from "./contract.js";
import { gather, scatter } from "./gather.js";
import { convGeneralDilated, reduceWindow } from "./conv.js";
import { countingExports, type CallCounts } from "./counting.js";
import { linalg } from "./linalg.js";
import { Heap } from "./memory.js";
import { Ops } from "./ops.js";
import { kernels } from "./loader.js";

/** How one primitive runs: inputs are live handles of this backend. */
type Rule<P extends Prim> = (
  ops: Ops,
  xs: readonly WasmBuffer[],
  params: PrimParams<P>,
  outAvals: readonly ShapedArray[],
) => WasmBuffer[];

/** Distinct host scalars a backend keeps uploaded (see WasmBackend.keptScalar). */
const KEPT_SCALARS = 256;

const unary = (p: keyof typeof UNARY_OP): Rule<Prim> => (ops, [x]) => [ops.unary(UNARY_OP[p], p, x!)];
const binary = (p: keyof typeof BINARY_OP, cmp = false): Rule<Prim> => (ops, [a, b]) => [
  ops.binary(BINARY_OP[p], p, a!, b!, cmp ? "bool" : a!.dtype),
];
const reducer = (p: ReducePrim): Rule<ReducePrim> => (ops, [x], { axes }, [out]) => [
  reduce(ops, REDUCE_OP[p], p, x!, axes, out!.shape),
];
/** cumsum/cumprod/cummax/cummin: one scan per line along `axis`, reading x's strides, writing contiguous. */
const cumulative = (p: CumulativePrim): Rule<CumulativePrim> => (ops, [x], { axis, reverse }) => {
  const out = ops.alloc(x!.dtype, x!.shape);
  if (out.size === 0) return [out];
  const [sh, st] = ops.heap.args(x!.shape, x!.strides);
  const status = ops.k.fx_cumulative(CUMULATIVE_OP[p], DTYPE_CODE[x!.dtype], reverse ? 1 : 0, x!.shape.length, sh!, st!, axis, x!.ptr, out.ptr);
  return [ops.done(status, `${p} on ${x!.dtype}`, out)];
};
/** sort: one fx_sort call over the operands' strides; one contiguous output per operand. */
const sortRule: Rule<Prim.Sort> = (ops, xs, { dimension, numKeys }) => {
  const outs = xs.map((x) => ops.alloc(x.dtype, x.shape));
  if (outs[0]!.size === 0) return outs;
  const shape = xs[0]!.shape;
  const [sh, dts, st, ins, res] = ops.heap.args(
    shape, xs.map((x) => DTYPE_CODE[x.dtype]), xs.flatMap((x) => x.strides), xs.map((x) => x.ptr), outs.map((o) => o.ptr),
  );
  const status = ops.k.fx_sort(shape.length, sh!, dimension, xs.length, numKeys, dts!, st!, ins!, res!);
  if (status !== 0) outs.forEach((o) => ops.release(o));
  ops.check(status, `sort of ${xs.map((x) => x.dtype).join(", ")}`);
  return outs;
};
const argReducer = (p: ArgReducePrim): Rule<ArgReducePrim> => (ops, [x], { axes, indexDtype }, [out]) => {
  if (axes.length !== 1) throw new ArgumentError(`wasm: ${p} reduces exactly one axis, got axes ${JSON.stringify(axes)}.`);
  if (indexDtype !== "int32" && indexDtype !== "uint32") {
    throw new DTypeError(`wasm: ${p} returns int32 or uint32 indices, not ${indexDtype}.`);
  }
  return [argReduce(ops, ARG_OP[p], p, x!, axes[0]!, out!.shape, indexDtype)];
};

/** is_finite as |x| < inf: abs, then lt against a broadcast inf scalar (no kernel of its own). */
function isFinite(ops: Ops, x: WasmBuffer): WasmBuffer {
  const a = ops.unary(UNARY_OP[Prim.Abs], "is_finite", x);
  const inf = ops.alloc(x.dtype, []);
  ops.heap.view(x.dtype, inf.ptr, 1)[0] = Infinity;
  const infs = ops.view(inf, x.shape, x.shape.map(() => 0), 0);
  const out = ops.binary(BINARY_OP[Prim.Lt], "is_finite", a, infs, "bool");
  for (const t of [a, inf, infs]) ops.release(t);
  return out;
}

/** A view of `x` with `shape` if x is contiguous, else a contiguous copy reshaped. */
function reshape(ops: Ops, x: WasmBuffer, shape: readonly number[]): WasmBuffer {
  if (x.contiguous) return ops.view(x, shape, contiguousStrides(shape), x.offset);
  const copy = ops.materialize(x);
  const v = ops.view(copy, shape, contiguousStrides(shape), 0);
  ops.release(copy);
  return v;
}

function scatterRule<P extends ScatterPrim>(prim: P): Rule<P> {
  return (ops, [x, idx, u], p) => {
    const g = scatterGeometry(prim, x!.shape, idx!.shape, idx!.dtype, u!.shape, p.dimensionNumbers);
    return [scatter(ops, prim, x!, idx!, u!, g, p.mode)];
  };
}

/** The host values of rank-0 index operands. */
const startsOf = (ops: Ops, indices: readonly WasmBuffer[]): number[] =>
  indices.map((i) => Number(ops.heap.view(i.dtype, i.ptr, 1)[0]));

export const wasmRules: { readonly [P in KernelPrim]: Rule<P> } = {
  [Prim.Neg]: unary(Prim.Neg),
  [Prim.Exp]: unary(Prim.Exp),
  [Prim.Log]: unary(Prim.Log),
  [Prim.Sin]: unary(Prim.Sin),
  [Prim.Cos]: unary(Prim.Cos),
  [Prim.Tanh]: unary(Prim.Tanh),
  [Prim.Sqrt]: unary(Prim.Sqrt),
  [Prim.Logistic]: unary(Prim.Logistic),
  [Prim.Abs]: unary(Prim.Abs),
  [Prim.Sign]: unary(Prim.Sign),
  [Prim.IntegerPow]: (ops, [x], { y }) => [ops.integerPow(x!, y)],
  [Prim.ConvertElementType]: (ops, [x], { newDtype }) => [
    newDtype === x!.dtype ? ops.view(x!, x!.shape, x!.strides, x!.offset) : ops.cast(x!, newDtype),
  ],
  [Prim.Add]: binary(Prim.Add),
  [Prim.Sub]: binary(Prim.Sub),
  [Prim.Mul]: binary(Prim.Mul),
  [Prim.Div]: binary(Prim.Div),
  [Prim.Max]: binary(Prim.Max),
  [Prim.Min]: binary(Prim.Min),
  [Prim.Pow]: binary(Prim.Pow),
  [Prim.Eq]: binary(Prim.Eq, true),
  [Prim.Ne]: binary(Prim.Ne, true),
  [Prim.Lt]: binary(Prim.Lt, true),
  [Prim.Le]: binary(Prim.Le, true),
  [Prim.Gt]: binary(Prim.Gt, true),
  [Prim.Ge]: binary(Prim.Ge, true),
  [Prim.SelectN]: (ops, [pred, ...cases], _p, [out]) => [ops.select(pred!, cases, out!.shape)],
  [Prim.ReduceSum]: reducer(Prim.ReduceSum),
  [Prim.ReduceMax]: reducer(Prim.ReduceMax),
  [Prim.ReduceMin]: reducer(Prim.ReduceMin),
  [Prim.ReduceProd]: reducer(Prim.ReduceProd),
  [Prim.Argmax]: argReducer(Prim.Argmax),
  [Prim.Argmin]: argReducer(Prim.Argmin),
  [Prim.BroadcastInDim]: (ops, [x], { shape, broadcastDimensions: bd }) => {
    // Axes the operand does not cover, and size-1 operand axes, get stride 0.
    const strides = shape.map(() => 0);
    bd.forEach((d, i) => (strides[d] = x!.shape[i] === shape[d] ? x!.strides[i]! : 0));
    return [ops.view(x!, shape, strides, x!.offset)];
  },
  [Prim.Reshape]: (ops, [x], { newSizes, dimensions }) => {
    if (dimensions !== null) throw new ArgumentError("wasm: reshape with dimensions is not supported; transpose first.");
    return [reshape(ops, x!, newSizes)];
  },
  [Prim.Transpose]: (ops, [x], { permutation }) => [
    ops.view(x!, permutation.map((p) => x!.shape[p]!), permutation.map((p) => x!.strides[p]!), x!.offset),
  ],
  [Prim.Squeeze]: (ops, [x], { dimensions }) => {
    const nd = x!.shape.length;
    const drop = new Set(dimensions.map((d) => (d < 0 ? d + nd : d)));
    const keep = x!.shape.map((_, i) => i).filter((i) => !drop.has(i));
    return [ops.view(x!, keep.map((i) => x!.shape[i]!), keep.map((i) => x!.strides[i]!), x!.offset)];
  },
  [Prim.Slice]: (ops, [x], { startIndices: start, limitIndices: limit, strides: step }) => {
    let offset = x!.offset;
    const shape = start.map((s, i) => {
      const st = step?.[i] ?? 1;
      offset += s * x!.strides[i]!;
      return Math.max(0, Math.ceil((limit[i]! - s) / st));
    });
    const strides = x!.strides.map((s, i) => s * (step?.[i] ?? 1));
    return [ops.view(x!, shape, strides, offset)];
  },
  [Prim.Concatenate]: (ops, xs, { dimension }, [out]) => [ops.concatenate(xs, dimension, out!.shape)],
  [Prim.Rev]: (ops, [x], { dimensions }) => {
    const r = revView(x!, dimensions);
    return [ops.view(x!, x!.shape, r.strides, r.offset)];
  },
  // The clamped window is a view: the index scalars are read from memory (no kernel).
  [Prim.DynamicSlice]: (ops, [x, ...indices], { sliceSizes }) => {
    const offset = x!.offset + windowOffset(x!, startsOf(ops, indices), sliceSizes);
    return [ops.view(x!, sliceSizes, x!.strides, offset)];
  },
  [Prim.DynamicUpdateSlice]: (ops, [x, update, ...indices]) => {
    const out = ops.materialize(x!);
    const at = windowOffset(out, startsOf(ops, indices), update!.shape);
    if (update!.size > 0) ops.copyInto(update!, out.ptr + at * ITEM_SIZE[out.dtype], out.strides);
    return [out];
  },
  [Prim.Gather]: (ops, [x, idx], p) => {
    const g = gatherGeometry(x!.shape, idx!.shape, idx!.dtype, p.dimensionNumbers, p.sliceSizes);
    return [gather(ops, x!, idx!, g, p.mode, p.fillValue)];
  },
  [Prim.Scatter]: scatterRule(Prim.Scatter),
  [Prim.ScatterAdd]: scatterRule(Prim.ScatterAdd),
  [Prim.ScatterMul]: scatterRule(Prim.ScatterMul),
  [Prim.ScatterMin]: scatterRule(Prim.ScatterMin),
  [Prim.ScatterMax]: scatterRule(Prim.ScatterMax),
  [Prim.DotGeneral]: (ops, [a, b], { dimensionNumbers }, [out]) => [
    dotGeneral(ops, a!, b!, dimensionNumbers, out!.shape, out!.dtype),
  ],
  [Prim.Iota]: (ops, _xs, { dtype, shape, dimension }) => [ops.iota(dtype, shape, dimension)],
  // convolution and windowed reductions (conv.ts)
  [Prim.ConvGeneralDilated]: (ops, [a, b], p, [out]) => [convGeneralDilated(ops, a!, b!, p, out!)],
  [Prim.ReduceWindowSum]: (ops, [x], p, [out]) => [reduceWindow(ops, Prim.ReduceWindowSum, x!, p, out!)],
  [Prim.ReduceWindowMax]: (ops, [x], p, [out]) => [reduceWindow(ops, Prim.ReduceWindowMax, x!, p, out!)],
  [Prim.ReduceWindowMin]: (ops, [x], p, [out]) => [reduceWindow(ops, Prim.ReduceWindowMin, x!, p, out!)],
  [Prim.Cumsum]: cumulative(Prim.Cumsum),
  [Prim.Cumprod]: cumulative(Prim.Cumprod),
  [Prim.Cummax]: cumulative(Prim.Cummax),
  [Prim.Cummin]: cumulative(Prim.Cummin),
  [Prim.Sort]: sortRule,
  // Identity on values (a view); only its autodiff rule differs.
  [Prim.StopGradient]: (ops, [x]) => [ops.view(x!, x!.shape, x!.strides, x!.offset)],
  // linear algebra: one fx_linalg call over contiguous operands
  [Prim.Cholesky]: (ops, xs, p, outs) => linalg(ops, Prim.Cholesky, xs, p, outs),
  [Prim.TriangularSolve]: (ops, xs, p, outs) => linalg(ops, Prim.TriangularSolve, xs, p, outs),
  [Prim.Lu]: (ops, xs, p, outs) => linalg(ops, Prim.Lu, xs, p, outs),
  [Prim.Qr]: (ops, xs, p, outs) => linalg(ops, Prim.Qr, xs, p, outs),
  [Prim.Eigh]: (ops, xs, p, outs) => linalg(ops, Prim.Eigh, xs, p, outs),
  [Prim.Svd]: (ops, xs, p, outs) => linalg(ops, Prim.Svd, xs, p, outs),
  // --- elementwise additions ---
  [Prim.Round]: (ops, [x], { roundingMethod }) => [ops.unary(ROUND_OP[roundingMethod], "round", x!)],
  [Prim.IsFinite]: (ops, [x]) => [isFinite(ops, x!)],
  [Prim.Floor]: unary(Prim.Floor),
  [Prim.Ceil]: unary(Prim.Ceil),
  [Prim.Not]: unary(Prim.Not),
  [Prim.PopulationCount]: unary(Prim.PopulationCount),
  [Prim.Clz]: unary(Prim.Clz),
  [Prim.Tan]: unary(Prim.Tan),
  [Prim.Asin]: unary(Prim.Asin),
  [Prim.Acos]: unary(Prim.Acos),
  [Prim.Atan]: unary(Prim.Atan),
  [Prim.Sinh]: unary(Prim.Sinh),
  [Prim.Cosh]: unary(Prim.Cosh),
  [Prim.Asinh]: unary(Prim.Asinh),
  [Prim.Acosh]: unary(Prim.Acosh),
  [Prim.Atanh]: unary(Prim.Atanh),
  [Prim.Exp2]: unary(Prim.Exp2),
  [Prim.Expm1]: unary(Prim.Expm1),
  [Prim.Log1p]: unary(Prim.Log1p),
  [Prim.Cbrt]: unary(Prim.Cbrt),
  [Prim.Rsqrt]: unary(Prim.Rsqrt),
  [Prim.Erf]: unary(Prim.Erf),
  [Prim.Erfc]: unary(Prim.Erfc),
  [Prim.ErfInv]: unary(Prim.ErfInv),
  [Prim.Lgamma]: unary(Prim.Lgamma),
  [Prim.Digamma]: unary(Prim.Digamma),
  [Prim.Rem]: binary(Prim.Rem),
  [Prim.And]: binary(Prim.And),
  [Prim.Or]: binary(Prim.Or),
  [Prim.Xor]: binary(Prim.Xor),
  [Prim.ShiftLeft]: binary(Prim.ShiftLeft),
  [Prim.ShiftRightArithmetic]: binary(Prim.ShiftRightArithmetic),
  [Prim.ShiftRightLogical]: binary(Prim.ShiftRightLogical),
  [Prim.Atan2]: binary(Prim.Atan2),
};

export class WasmBackend implements Backend {
  /** 1 with kernels.wasm; with kernels-threads.wasm, the main thread plus its workers. */
  readonly threads: number;
  readonly ops: Ops;
  /** Calls into kernels.wasm made through this backend (see counting.ts). */
  readonly callCounts: CallCounts;

  /** On the process's kernels by default; `heap` over another instance (tests), under another `name`. */
  constructor(
    heap?: Heap,
    readonly name: string = "wasm",
  ) {
    const counted = countingExports(heap?.k ?? kernels);
    this.callCounts = counted.counts;
    this.ops = new Ops(heap ?? new Heap(counted.exports));
    this.threads = this.ops.heap.k.fx_threads();
  }

  /** Compiles a jaxpr into one program run by a single call into WASM (see compile/). */
  compileJaxpr(jaxpr: ClosedJaxpr, donated: readonly boolean[]): Compiled {
    return compileProgram(this, jaxpr, donated);
  }

  fromHost(values: TypedArray, aval: ShapedArray): BackendData {
    const Ctor = TYPED_ARRAY[aval.dtype];
    if (!(values instanceof Ctor)) {
      throw new DTypeError(`wasm.fromHost: values for ${aval.strShort()} must be a ${Ctor.name}, got ${values.constructor.name}.`);
    }
    if (values.length !== aval.size) {
      throw new ShapeError(`wasm.fromHost: ${aval.strShort()} holds ${aval.size} values, got ${values.length}.`);
    }
    return this.upload(values, aval);
  }

  broadcastHostScalar(value: TypedArray, aval: ShapedArray): BackendData {
    const kept = this.keptScalar(Number(value[0]), aval.dtype);
    if (kept) return this.ops.view(kept, aval.shape, aval.shape.map(() => 0), 0);
    const one = this.upload(value, new ShapedArray([], aval.dtype));
    const view = this.ops.view(one, aval.shape, aval.shape.map(() => 0), 0);
    this.ops.release(one);
    return view;
  }

  private upload(values: TypedArray, aval: ShapedArray): WasmBuffer {
    const out = this.ops.alloc(aval.dtype, aval.shape);
    const dst = this.ops.heap.view(aval.dtype, out.ptr, values.length);
    if (aval.dtype === "bool") for (let i = 0; i < values.length; i++) dst[i] = values[i] ? 1 : 0;
    else dst.set(values);
    return out;
  }

  /**
   * Host scalars uploaded once and kept (eager `x.add(1)` in a loop uploads its 1 a
   * single time); callers get views. At most KEPT_SCALARS distinct values, after which
   * scalars are uploaded per call. Kept blocks stay allocated for the backend's life.
   */
  private readonly keptScalars = new Map<DType, Map<number, WasmBuffer>>();
  private keptCount = 0;

  private keptScalar(value: number, dtype: DType): WasmBuffer | null {
    // Map keys treat -0 as 0: keep -0 out (it is uploaded per call).
    if (Object.is(value, -0)) return null;
    let byValue = this.keptScalars.get(dtype);
    if (!byValue) this.keptScalars.set(dtype, (byValue = new Map()));
    let kept = byValue.get(value);
    if (!kept && this.keptCount < KEPT_SCALARS) {
      const one = new TYPED_ARRAY[dtype](1);
      one[0] = value;
      kept = this.upload(one, new ShapedArray([], dtype));
      this.ops.heap.disown(kept.block);
      byValue.set(value, kept);
      this.keptCount += 1;
    }
    return kept ?? null;
  }

  readSync(data: BackendData, _aval?: ShapedArray): TypedArray {
    const x = this.live(data, "readSync");
    const src = x.contiguous ? x : this.ops.materialize(x);
    const values = this.ops.heap.copyOut(x.dtype, src.ptr, shapeSize(x.shape));
    if (src !== x) this.ops.release(src);
    return values;
  }

  release(data: BackendData): void {
    this.ops.release(this.live(data, "release"));
  }

  execute<P extends KernelPrim>(
    prim: P,
    inputs: readonly BackendData[],
    _inAvals: readonly ShapedArray[],
    params: PrimParams<P>,
    outAvals: readonly ShapedArray[],
  ): BackendData[] {
    const rule = wasmRules[prim] as Rule<P> | undefined;
    if (rule === undefined) throw new ArgumentError(`wasm: unknown primitive ${JSON.stringify(prim)}.`);
    for (let i = 0; i < inputs.length; i++) this.live(inputs[i]!, prim);
    return rule(this.ops, inputs as readonly WasmBuffer[], params, outAvals); // each checked by live()
  }

  memoryStats(): BackendMemoryStats {
    return this.ops.heap.stats();
  }

  private live(data: BackendData, op: string): WasmBuffer {
    if (!(data instanceof WasmBuffer)) {
      throw new ArgumentError(`wasm.${op}: got data from another backend; move it to the wasm backend first.`);
    }
    if (data.released) throw new DisposedArrayError(`wasm.${op}: the buffer was already released.`);
    return data;
  }
}
