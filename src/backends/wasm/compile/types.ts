/**
 * The program compiler's intermediate form. A compiled jaxpr is a list of Steps
 * (each becomes one or a few instructions) over Bufs (storage) read through Views
 * (strided windows, so movement ops cost nothing). Elementwise work lives in ENodes
 * grouped into FusedSteps; a node's value reaches memory only when something needs
 * it there (it is then "stored").
 */
import { ITEM_SIZE, contiguousStrides, shapeSize, type DType, type Shape } from "../../../core/index.js";
import type { IndexGeometry } from "../../../trace/gather-geometry.js";
import type {
  BinaryPrim, ComparePrim, CumulativePrim, DotDimensionNumbers, GatherScatterMode, Prim, PrimParams, ReducePrim, ReduceWindowPrim, RoundingMethod, ScatterPrim,
  UnaryPrim,
} from "../../../trace/prim.js";
import type { LinalgCall } from "../linalg.js";

/** Where a buffer lives: a program input, the constant pool, or memory a step writes. */
export type BufKind = "input" | "pool" | "temp";

/** Storage decided by the memory plan. */
export type Place =
  | { readonly kind: "input"; readonly index: number }
  | { readonly kind: "pool"; readonly offset: number }
  | { readonly kind: "arena"; readonly offset: number }
  | { readonly kind: "output"; readonly index: number };

export class Buf {
  place: Place | null = null;
  constructor(
    readonly id: number,
    readonly kind: BufKind,
    readonly dtype: DType,
    readonly shape: readonly number[],
    /** For describe(): the jaxpr variable it first held. */
    public name: string,
  ) {}
  get size(): number {
    return shapeSize(this.shape);
  }
  get bytes(): number {
    return this.size * ITEM_SIZE[this.dtype];
  }
}

/** A strided window on a buffer; strides and offset in elements. */
export interface View {
  readonly buf: Buf;
  readonly dtype: DType;
  readonly shape: readonly number[];
  readonly strides: readonly number[];
  readonly offset: number;
}

export const wholeView = (buf: Buf, shape: Shape): View => ({
  buf,
  dtype: buf.dtype,
  shape: [...shape],
  strides: contiguousStrides(shape),
  offset: 0,
});

export const viewSize = (v: View): number => shapeSize(v.shape);

export type ElemOp =
  | { readonly kind: "unary"; readonly prim: UnaryPrim }
  | { readonly kind: "round"; readonly method: RoundingMethod }
  | { readonly kind: "ipow"; readonly y: number }
  | { readonly kind: "binary"; readonly prim: BinaryPrim | ComparePrim }
  | { readonly kind: "select" }
  | { readonly kind: "cast" }
  | { readonly kind: "reduce"; readonly prim: ReducePrim };

/** An operand inside a fused group: another node, memory, or a scalar constant. */
export type Operand =
  | { readonly kind: "node"; readonly node: ENode }
  | { readonly kind: "view"; readonly view: View }
  | { readonly kind: "const"; readonly value: number; readonly dtype: DType };

/**
 * An elementwise op (or a trailing reduction) inside a FusedStep. A per-segment
 * op (`seg`) runs once per segment of the group's reduction, on its results.
 */
export class ENode {
  /** Set when the value is written to memory (always, for reductions). */
  stored: View | null = null;
  constructor(
    readonly id: number,
    readonly op: ElemOp,
    readonly operands: readonly Operand[],
    /** The output shape (for reductions and per-segment ops: the kept axes, in any shape of that size). */
    readonly shape: readonly number[],
    readonly dtype: DType,
    public group: FusedStep,
    readonly name: string,
    readonly seg: boolean = false,
  ) {}
}

interface StepBase {
  readonly id: number;
  /** Steps whose output this one reads (possibly merged away: resolve with `find`). */
  readonly deps: Set<Step>;
  /** Set when merged into another step. */
  mergedInto: Step | null;
}

/** Elementwise nodes over one domain, with optional reductions over `redAxes`. */
export interface FusedStep extends StepBase {
  readonly kind: "fused";
  readonly domain: readonly number[];
  redAxes: readonly number[] | null;
  nodes: ENode[];
}

export interface MatmulStep extends StepBase {
  readonly kind: "matmul";
  readonly dtype: DType;
  readonly batch: number;
  readonly m: number;
  readonly n: number;
  readonly k: number;
  /** Operands with strides [batch, rows, cols] (rows/cols: m×k for a, k×n for b). */
  readonly a: { readonly view: View; readonly s: readonly [number, number, number] };
  readonly b: { readonly view: View; readonly s: readonly [number, number, number] };
  readonly out: View;
  readonly dims: DotDimensionNumbers;
}

export interface ReduceStep extends StepBase {
  readonly kind: "reduce";
  readonly prim: ReducePrim;
  readonly x: View;
  readonly axes: readonly number[];
  readonly out: View;
}

export interface ArgReduceStep extends StepBase {
  readonly kind: "argreduce";
  readonly max: boolean;
  readonly x: View;
  readonly axis: number;
  readonly out: View;
}

export interface CopyStep extends StepBase {
  readonly kind: "copy";
  readonly src: View;
  readonly dst: View;
  readonly why: string;
}

export interface IotaStep extends StepBase {
  readonly kind: "iota";
  readonly out: View;
  readonly dimension: number;
}

/**
 * dynamic_slice (no `update`: the window of `x` at the clamped start indices is
 * copied to `out`) or dynamic_update_slice (`x` is copied to `out`, then `update`
 * over the window). `indices` are rank-0 integer views read at run time.
 */
export interface DynamicWindowStep extends StepBase {
  readonly kind: "dynwindow";
  readonly x: View;
  readonly indices: readonly View[];
  readonly update: View | null;
  readonly out: View;
}

/** gather (`updates` null: `out` gets windows of `x`) or a scatter (`out` = `x` with `updates` combined in). */
export interface IndexedStep extends StepBase {
  readonly kind: "indexed";
  readonly prim: Prim.Gather | ScatterPrim;
  readonly geometry: IndexGeometry;
  readonly mode: GatherScatterMode;
  readonly fillValue: number | null;
  readonly x: View;
  readonly indices: View;
  readonly updates: View | null;
  readonly out: View;
}

/** A linear-algebra kernel call (backends/wasm/linalg.ts) on contiguous views. */
export interface LinalgStep extends StepBase {
  readonly kind: "linalg";
  readonly prim: string;
  readonly call: LinalgCall;
  readonly dtype: DType;
  readonly inputs: readonly View[];
  readonly outputs: readonly View[];
}

/** conv_general_dilated in `dtype` (operands and output already in it). */
export interface ConvStep extends StepBase {
  readonly kind: "conv";
  readonly dtype: DType;
  readonly lhs: View;
  readonly rhs: View;
  readonly out: View;
  readonly params: PrimParams<Prim.ConvGeneralDilated>;
}

export interface ReduceWindowStep extends StepBase {
  readonly kind: "reduce_window";
  readonly prim: ReduceWindowPrim;
  readonly x: View;
  readonly out: View;
  readonly params: PrimParams<ReduceWindowPrim>;
}

/** cumsum/cumprod/cummax/cummin: x strided, out contiguous in x's shape. */
export interface CumulativeStep extends StepBase {
  readonly kind: "cumulative";
  readonly prim: CumulativePrim;
  readonly x: View;
  readonly out: View;
  readonly params: PrimParams<CumulativePrim>;
}

/** sort: operands strided (one shape), outputs contiguous in that shape. */
export interface SortStep extends StepBase {
  readonly kind: "sort";
  readonly xs: readonly View[];
  readonly outs: readonly View[];
  readonly params: PrimParams<Prim.Sort>;
}

export type Step =
  | FusedStep | MatmulStep | ReduceStep | ArgReduceStep | CopyStep | IotaStep | DynamicWindowStep | IndexedStep | LinalgStep | ConvStep | ReduceWindowStep
  | CumulativeStep | SortStep;

/** The step a (possibly merged) step now lives in. */
export function find<S extends Step>(s: S): S {
  let t: Step = s;
  while (t.mergedInto) t = t.mergedInto;
  return t as S;
}

/** The views a step reads and writes. */
export function stepViews(s: Step): { reads: View[]; writes: View[] } {
  switch (s.kind) {
    case "fused": {
      const reads: View[] = [];
      const writes: View[] = [];
      for (const n of s.nodes) {
        for (const o of n.operands) if (o.kind === "view") reads.push(o.view);
        if (n.stored) writes.push(n.stored);
      }
      return { reads, writes };
    }
    case "matmul":
      return { reads: [s.a.view, s.b.view], writes: [s.out] };
    case "reduce":
    case "argreduce":
      return { reads: [s.x], writes: [s.out] };
    case "copy":
      return { reads: [s.src], writes: [s.dst] };
    case "iota":
      return { reads: [], writes: [s.out] };
    case "dynwindow":
      return { reads: [s.x, ...s.indices, ...(s.update ? [s.update] : [])], writes: [s.out] };
    case "indexed":
      return { reads: [s.x, s.indices, ...(s.updates ? [s.updates] : [])], writes: [s.out] };
    case "linalg":
      return { reads: [...s.inputs], writes: [...s.outputs] };
    case "conv":
      return { reads: [s.lhs, s.rhs], writes: [s.out] };
    case "reduce_window":
    case "cumulative":
      return { reads: [s.x], writes: [s.out] };
    case "sort":
      return { reads: [...s.xs], writes: [...s.outs] };
  }
}
