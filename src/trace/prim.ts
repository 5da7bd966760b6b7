/**
 * The primitives: a string enum whose values are JAX's primitive names, and the typed
 * params each one carries. Array operands are positional; everything static is a param.
 * Param names are camelCase here and print snake_case, sorted, as JAX prints them.
 */
import type { DType, ShapedArray } from "../core/index.js";
import type { Array } from "./array.js";
import type { ClosedJaxpr } from "./jaxpr.js";

export enum Prim {
  // elementwise unary
  Neg = "neg",
  Exp = "exp",
  Log = "log",
  Sin = "sin",
  Cos = "cos",
  Tanh = "tanh",
  Sqrt = "sqrt",
  Logistic = "logistic",
  Abs = "abs",
  Sign = "sign",
  IntegerPow = "integer_pow",
  ConvertElementType = "convert_element_type",
  // elementwise binary
  Add = "add",
  Sub = "sub",
  Mul = "mul",
  Div = "div",
  Max = "max",
  Min = "min",
  Pow = "pow",
  // comparisons (bool result)
  Eq = "eq",
  Ne = "ne",
  Lt = "lt",
  Le = "le",
  Gt = "gt",
  Ge = "ge",
  // n-ary
  SelectN = "select_n",
  // reductions
  ReduceSum = "reduce_sum",
  ReduceMax = "reduce_max",
  ReduceMin = "reduce_min",
  ReduceProd = "reduce_prod",
  Argmax = "argmax",
  Argmin = "argmin",
  // shape and movement
  BroadcastInDim = "broadcast_in_dim",
  Reshape = "reshape",
  Transpose = "transpose",
  Squeeze = "squeeze",
  Slice = "slice",
  Concatenate = "concatenate",
  // structural: reversal, dynamic windows
  Rev = "rev",
  DynamicSlice = "dynamic_slice",
  DynamicUpdateSlice = "dynamic_update_slice",
  Gather = "gather",
  Scatter = "scatter",
  ScatterAdd = "scatter-add",
  ScatterMul = "scatter-mul",
  ScatterMin = "scatter-min",
  ScatterMax = "scatter-max",
  // contraction and creation
  DotGeneral = "dot_general",
  Iota = "iota",
  // convolution and windowed reductions
  ConvGeneralDilated = "conv_general_dilated",
  ReduceWindowSum = "reduce_window_sum",
  ReduceWindowMax = "reduce_window_max",
  ReduceWindowMin = "reduce_window_min",
  // autodiff
  StopGradient = "stop_gradient",
  // linear algebra over the trailing two axes (leading axes are batch axes)
  Cholesky = "cholesky",
  TriangularSolve = "triangular_solve",
  Lu = "lu",
  Qr = "qr",
  Eigh = "eigh",
  Svd = "svd",
  // higher-order (initial-style: params hold closed jaxprs or user rules)
  CustomJvpCall = "custom_jvp_call",
  CustomVjpCall = "custom_vjp_call",
  CustomLin = "custom_lin",
  Checkpoint = "checkpoint",
  // --- elementwise additions ---
  // rounding and integer-ish
  Floor = "floor",
  Ceil = "ceil",
  Round = "round",
  IsFinite = "is_finite",
  Rem = "rem",
  // bitwise (logical on bool)
  And = "and",
  Or = "or",
  Xor = "xor",
  Not = "not",
  ShiftLeft = "shift_left",
  ShiftRightArithmetic = "shift_right_arithmetic",
  ShiftRightLogical = "shift_right_logical",
  PopulationCount = "population_count",
  Clz = "clz",
  // transcendentals
  Tan = "tan",
  Asin = "asin",
  Acos = "acos",
  Atan = "atan",
  Atan2 = "atan2",
  Sinh = "sinh",
  Cosh = "cosh",
  Asinh = "asinh",
  Acosh = "acosh",
  Atanh = "atanh",
  Exp2 = "exp2",
  Expm1 = "expm1",
  Log1p = "log1p",
  Cbrt = "cbrt",
  Rsqrt = "rsqrt",
  Erf = "erf",
  Erfc = "erfc",
  ErfInv = "erf_inv",
  Lgamma = "lgamma",
  Digamma = "digamma",
  // cumulative scans along one axis
  Cumsum = "cumsum",
  Cumprod = "cumprod",
  Cummax = "cummax",
  Cummin = "cummin",
  // sorting (several operands sorted together along one axis)
  Sort = "sort",
}

export const ALL_PRIMS: readonly Prim[] = Object.values(Prim);

/** Primitives evaluated by interpreting their params (jaxprs, user rules), never by a backend kernel. */
export const HIGHER_ORDER_PRIMS = [Prim.CustomJvpCall, Prim.CustomVjpCall, Prim.CustomLin, Prim.Checkpoint] as const;
export type HigherOrderPrim = (typeof HIGHER_ORDER_PRIMS)[number];
/** Primitives a backend implements with kernels. */
export type KernelPrim = Exclude<Prim, HigherOrderPrim>;
export const KERNEL_PRIMS: readonly KernelPrim[] = ALL_PRIMS.filter(
  (p): p is KernelPrim => !(HIGHER_ORDER_PRIMS as readonly Prim[]).includes(p),
);
export const isHigherOrder = (p: Prim): p is HigherOrderPrim => (HIGHER_ORDER_PRIMS as readonly Prim[]).includes(p);

/** A user's JVP rule for customJvp: (primals, tangents) → [primal outputs, tangent outputs]. */
export type CustomJvpRule = (primals: Array[], tangents: Array[]) => [Array[], Array[]];
/** customVjp's forward pass: primals → [outputs, flat residuals]. */
export type CustomVjpFwd = (primals: Array[]) => [Array[], Array[]];
/** customVjp's backward pass: (flat residuals, output cotangents) → input cotangents (null: zero). */
export type CustomVjpBwd = (residuals: Array[], cotangents: Array[]) => (Array | null)[];

type NoParams = Record<string, never>;
type Axes = { readonly axes: readonly number[] };
type AxesSharded = Axes & { readonly outSharding: null };

/** `(([lhs contracting], [rhs contracting]), ([lhs batch], [rhs batch]))`, as in JAX. */
export type DotDimensionNumbers = readonly [
  readonly [readonly number[], readonly number[]],
  readonly [readonly number[], readonly number[]],
];

/**
 * How gather and scatter treat start indices whose window would leave the operand
 * (JAX's GatherScatterMode): clamp the window into range, fill (gather returns
 * fill_value for the window; scatter drops the update), or promise they are in
 * range (treated as clip here).
 */
export type GatherScatterMode = "clip" | "fill" | "promise_in_bounds";

/** JAX's GatherDimensionNumbers; the index vector is the last axis of the indices. */
export interface GatherDimensionNumbers {
  /** Output axes that hold the window (the other output axes are the indices' batch axes, in order). */
  readonly offsetDims: readonly number[];
  /** Operand axes with window size 1 that do not appear in the output. */
  readonly collapsedSliceDims: readonly number[];
  /** Operand axis indexed by each component of the index vector. */
  readonly startIndexMap: readonly number[];
  /** Operand axes batched with the indices' `startIndicesBatchingDims` (pairwise; not in the output). */
  readonly operandBatchingDims: readonly number[];
  readonly startIndicesBatchingDims: readonly number[];
}

/** JAX's ScatterDimensionNumbers; the index vector is the last axis of the indices. */
export interface ScatterDimensionNumbers {
  /** Axes of the updates that are window axes (the others are the indices' batch axes, in order). */
  readonly updateWindowDims: readonly number[];
  /** Operand axes with window size 1 that the updates do not have. */
  readonly insertedWindowDims: readonly number[];
  /** Operand axis indexed by each component of the index vector. */
  readonly scatterDimsToOperandDims: readonly number[];
  readonly operandBatchingDims: readonly number[];
  readonly scatterIndicesBatchingDims: readonly number[];
}

type ScatterParams = {
  readonly dimensionNumbers: ScatterDimensionNumbers;
  readonly indicesAreSorted: boolean;
  readonly uniqueIndices: boolean;
  readonly mode: GatherScatterMode;
  readonly updateJaxpr: null;
  readonly updateConsts: readonly never[];
};

/**
 * JAX's ConvDimensionNumbers: for each operand, the axis of its batch (rhs: output
 * feature) dimension, then of its feature (rhs: input feature) dimension, then of
 * its spatial dimensions in the order they pair up across the three operands.
 */
export class ConvDimensionNumbers {
  constructor(
    readonly lhsSpec: readonly number[],
    readonly rhsSpec: readonly number[],
    readonly outSpec: readonly number[],
  ) {}
  /** Python's repr of the NamedTuple, as JAX prints the param. */
  toString(): string {
    const t = (xs: readonly number[]) => (xs.length === 1 ? `(${xs[0]},)` : `(${xs.join(", ")})`);
    return `ConvDimensionNumbers(lhs_spec=${t(this.lhsSpec)}, rhs_spec=${t(this.rhsSpec)}, out_spec=${t(this.outSpec)})`;
  }
}

/** Per spatial (conv) or per operand axis (reduce_window): `[low, high]` padding, possibly negative. */
export type Padding = readonly (readonly [number, number])[];

/** reduce_window_{sum,max,min}: JAX's params, one entry per operand axis. */
export interface ReduceWindowParams {
  readonly windowDimensions: readonly number[];
  readonly windowStrides: readonly number[];
  readonly padding: Padding;
  readonly baseDilation: readonly number[];
  readonly windowDilation: readonly number[];
}

export interface PrimParamsMap {
  [Prim.Neg]: NoParams;
  [Prim.Exp]: NoParams;
  [Prim.Log]: NoParams;
  [Prim.Sin]: NoParams;
  [Prim.Cos]: NoParams;
  [Prim.Tanh]: NoParams;
  [Prim.Sqrt]: NoParams;
  [Prim.Logistic]: NoParams;
  [Prim.Abs]: NoParams;
  [Prim.Sign]: NoParams;
  [Prim.IntegerPow]: { readonly y: number };
  [Prim.ConvertElementType]: {
    readonly newDtype: DType;
    readonly weakType: boolean;
    readonly sharding: null;
  };
  [Prim.Add]: NoParams;
  [Prim.Sub]: NoParams;
  [Prim.Mul]: NoParams;
  [Prim.Div]: NoParams;
  [Prim.Max]: NoParams;
  [Prim.Min]: NoParams;
  [Prim.Pow]: NoParams;
  [Prim.Eq]: NoParams;
  [Prim.Ne]: NoParams;
  [Prim.Lt]: NoParams;
  [Prim.Le]: NoParams;
  [Prim.Gt]: NoParams;
  [Prim.Ge]: NoParams;
  [Prim.SelectN]: NoParams;
  [Prim.ReduceSum]: AxesSharded;
  [Prim.ReduceMax]: AxesSharded;
  [Prim.ReduceMin]: AxesSharded;
  [Prim.ReduceProd]: AxesSharded;
  [Prim.Argmax]: Axes & { readonly indexDtype: DType };
  [Prim.Argmin]: Axes & { readonly indexDtype: DType };
  [Prim.BroadcastInDim]: {
    readonly shape: readonly number[];
    readonly broadcastDimensions: readonly number[];
    readonly sharding: null;
  };
  [Prim.Reshape]: {
    readonly newSizes: readonly number[];
    readonly dimensions: null;
    readonly sharding: null;
  };
  [Prim.Transpose]: { readonly permutation: readonly number[] };
  [Prim.Squeeze]: { readonly dimensions: readonly number[] };
  [Prim.Slice]: {
    readonly startIndices: readonly number[];
    readonly limitIndices: readonly number[];
    readonly strides: readonly number[] | null;
  };
  [Prim.Concatenate]: { readonly dimension: number };
  /** Reverses the listed axes. */
  [Prim.Rev]: { readonly dimensions: readonly number[] };
  /** Operands: the array, then one scalar integer start index per axis (clamped into range). */
  [Prim.DynamicSlice]: { readonly sliceSizes: readonly number[] };
  /** Operands: the array, the update, then one scalar integer start index per axis (clamped). */
  [Prim.DynamicUpdateSlice]: NoParams;
  /** Operands: the array and the indices (last axis: the index vector). */
  [Prim.Gather]: {
    readonly dimensionNumbers: GatherDimensionNumbers;
    readonly sliceSizes: readonly number[];
    readonly indicesAreSorted: boolean;
    readonly uniqueIndices: boolean;
    readonly mode: GatherScatterMode;
    /** For mode "fill"; null: NaN for floats, the lowest int32, the largest uint32, true. */
    readonly fillValue: number | null;
  };
  /** Operands: the array, the indices, the updates. */
  [Prim.Scatter]: ScatterParams;
  [Prim.ScatterAdd]: ScatterParams;
  [Prim.ScatterMul]: ScatterParams;
  [Prim.ScatterMin]: ScatterParams;
  [Prim.ScatterMax]: ScatterParams;
  [Prim.DotGeneral]: {
    readonly dimensionNumbers: DotDimensionNumbers;
    readonly precision: null;
    readonly preferredElementType: DType | null;
    readonly outSharding: null;
  };
  [Prim.Iota]: {
    readonly dtype: DType;
    readonly shape: readonly number[];
    readonly dimension: number;
    readonly sharding: null;
  };
  [Prim.ConvGeneralDilated]: {
    readonly windowStrides: readonly number[];
    readonly padding: Padding;
    readonly lhsDilation: readonly number[];
    readonly rhsDilation: readonly number[];
    readonly dimensionNumbers: ConvDimensionNumbers;
    readonly featureGroupCount: number;
    readonly batchGroupCount: number;
    readonly precision: null;
    readonly preferredElementType: DType | null;
  };
  [Prim.ReduceWindowSum]: ReduceWindowParams;
  [Prim.ReduceWindowMax]: ReduceWindowParams;
  [Prim.ReduceWindowMin]: ReduceWindowParams;
  [Prim.StopGradient]: NoParams;
  [Prim.Cholesky]: NoParams;
  /** Solves op(a)·x = b (leftSide) or x·op(a) = b, reading one triangle of a (JAX's lax.linalg.triangular_solve). */
  [Prim.TriangularSolve]: {
    readonly leftSide: boolean;
    readonly lower: boolean;
    readonly transposeA: boolean;
    readonly conjugateA: boolean;
    readonly unitDiagonal: boolean;
  };
  [Prim.Lu]: NoParams;
  /** Householder QR; only pivoting=false is implemented, use_magma is always None. */
  [Prim.Qr]: { readonly fullMatrices: boolean; readonly pivoting: false; readonly useMagma: null };
  /** Outputs [v, w]: eigenvectors (columns) and ascending eigenvalues. */
  [Prim.Eigh]: { readonly lower: boolean; readonly sortEigenvalues: true; readonly subsetByIndex: null; readonly algorithm: null };
  /** Outputs [s] or [s, u, vt], singular values descending. */
  [Prim.Svd]: {
    readonly fullMatrices: boolean;
    readonly computeUv: boolean;
    readonly subsetByIndex: null;
    readonly algorithm: null;
  };
  [Prim.CustomJvpCall]: {
    readonly name: string;
    /** The function, closed over nothing: its first `numConsts` inputs are the captured values. */
    readonly callJaxpr: ClosedJaxpr;
    readonly jvp: CustomJvpRule;
    readonly numConsts: number;
    readonly symbolicZeros: boolean;
  };
  [Prim.CustomVjpCall]: {
    readonly name: string;
    readonly callJaxpr: ClosedJaxpr;
    readonly fwd: CustomVjpFwd;
    readonly bwd: CustomVjpBwd;
    readonly numConsts: number;
    readonly symbolicZeros: boolean;
  };
  [Prim.CustomLin]: {
    /** The first `numRes` operands are residuals; the rest are tangents (the linear inputs). */
    readonly numRes: number;
    readonly bwd: CustomVjpBwd;
    readonly outAvals: readonly ShapedArray[];
    readonly symbolicZeros: boolean;
  };
  [Prim.Checkpoint]: {
    readonly jaxpr: ClosedJaxpr;
    readonly preventCse: boolean;
    readonly differentiated: boolean;
    readonly policy: null;
  };
  // --- elementwise additions ---
  [Prim.Floor]: NoParams;
  [Prim.Ceil]: NoParams;
  /** JAX's RoundingMethod: 0 rounds halves away from zero, 1 to the nearest even integer. */
  [Prim.Round]: { readonly roundingMethod: RoundingMethod };
  [Prim.IsFinite]: NoParams;
  [Prim.Rem]: NoParams;
  [Prim.And]: NoParams;
  [Prim.Or]: NoParams;
  [Prim.Xor]: NoParams;
  [Prim.Not]: NoParams;
  [Prim.ShiftLeft]: NoParams;
  [Prim.ShiftRightArithmetic]: NoParams;
  [Prim.ShiftRightLogical]: NoParams;
  [Prim.PopulationCount]: NoParams;
  [Prim.Clz]: NoParams;
  [Prim.Tan]: NoParams;
  [Prim.Asin]: NoParams;
  [Prim.Acos]: NoParams;
  [Prim.Atan]: NoParams;
  [Prim.Atan2]: NoParams;
  [Prim.Sinh]: NoParams;
  [Prim.Cosh]: NoParams;
  [Prim.Asinh]: NoParams;
  [Prim.Acosh]: NoParams;
  [Prim.Atanh]: NoParams;
  [Prim.Exp2]: NoParams;
  [Prim.Expm1]: NoParams;
  [Prim.Log1p]: NoParams;
  [Prim.Cbrt]: NoParams;
  [Prim.Rsqrt]: NoParams;
  [Prim.Erf]: NoParams;
  [Prim.Erfc]: NoParams;
  [Prim.ErfInv]: NoParams;
  [Prim.Lgamma]: NoParams;
  [Prim.Digamma]: NoParams;
  [Prim.Cumsum]: CumulativeParams;
  [Prim.Cumprod]: CumulativeParams;
  [Prim.Cummax]: CumulativeParams;
  [Prim.Cummin]: CumulativeParams;
  [Prim.Sort]: SortParams;
}

/**
 * JAX's sort_p params: operands of one shape sorted together along `dimension`,
 * lexicographically by the first `numKeys` of them (NaN last); `isStable` keeps ties
 * in input order (ferrax always sorts stably).
 */
export interface SortParams {
  readonly dimension: number;
  readonly isStable: boolean;
  readonly numKeys: number;
}

/** A running reduction along `axis`, from the last element backwards when `reverse` (JAX's lax.cumsum params). */
export interface CumulativeParams {
  readonly axis: number;
  readonly reverse: boolean;
}

/** JAX's lax.RoundingMethod (an IntEnum; jaxprs print its value). */
export const RoundingMethod = { AwayFromZero: 0, ToNearestEven: 1 } as const;
export type RoundingMethod = (typeof RoundingMethod)[keyof typeof RoundingMethod];

export type PrimParams<P extends Prim> = PrimParamsMap[P];

/** A primitive together with its params, discriminated on `prim`. */
export type PrimApp = { [P in Prim]: { readonly prim: P; readonly params: PrimParams<P> } }[Prim];

export const UNARY_PRIMS = [
  Prim.Neg, Prim.Exp, Prim.Log, Prim.Sin, Prim.Cos, Prim.Tanh, Prim.Sqrt,
  Prim.Logistic, Prim.Abs, Prim.Sign,
  // rounding, bitwise, inverse trig and special functions
  Prim.Floor, Prim.Ceil, Prim.Not, Prim.PopulationCount, Prim.Clz,
  Prim.Tan, Prim.Asin, Prim.Acos, Prim.Atan, Prim.Sinh, Prim.Cosh, Prim.Asinh, Prim.Acosh, Prim.Atanh,
  Prim.Exp2, Prim.Expm1, Prim.Log1p, Prim.Cbrt, Prim.Rsqrt, Prim.Erf, Prim.Erfc, Prim.ErfInv, Prim.Lgamma, Prim.Digamma,
] as const;
export type UnaryPrim = (typeof UNARY_PRIMS)[number];

export const BINARY_PRIMS = [
  Prim.Add, Prim.Sub, Prim.Mul, Prim.Div, Prim.Max, Prim.Min, Prim.Pow,
  // rounding, bitwise, inverse trig and special functions
  Prim.Rem, Prim.And, Prim.Or, Prim.Xor, Prim.ShiftLeft, Prim.ShiftRightArithmetic, Prim.ShiftRightLogical, Prim.Atan2,
] as const;
export type BinaryPrim = (typeof BINARY_PRIMS)[number];

export const COMPARE_PRIMS = [Prim.Eq, Prim.Ne, Prim.Lt, Prim.Le, Prim.Gt, Prim.Ge] as const;
export type ComparePrim = (typeof COMPARE_PRIMS)[number];

/**
 * Elementwise prims: their array operands have the result's shape (numpy
 * broadcasting happens before binding) and element i of the result depends only
 * on element i of each operand.
 */
export const ELEMENTWISE_PRIMS: ReadonlySet<Prim> = new Set<Prim>([
  ...UNARY_PRIMS, ...BINARY_PRIMS, ...COMPARE_PRIMS,
  Prim.SelectN, Prim.IntegerPow, Prim.ConvertElementType, Prim.Round, Prim.IsFinite,
]);

export const REDUCE_PRIMS = [Prim.ReduceSum, Prim.ReduceMax, Prim.ReduceMin, Prim.ReduceProd] as const;
export type ReducePrim = (typeof REDUCE_PRIMS)[number];

export const LINALG_PRIMS = [Prim.Cholesky, Prim.TriangularSolve, Prim.Lu, Prim.Qr, Prim.Eigh, Prim.Svd] as const;
export type LinalgPrim = (typeof LINALG_PRIMS)[number];

export const ARG_REDUCE_PRIMS = [Prim.Argmax, Prim.Argmin] as const;
export type ArgReducePrim = (typeof ARG_REDUCE_PRIMS)[number];

export const SCATTER_PRIMS = [Prim.Scatter, Prim.ScatterAdd, Prim.ScatterMul, Prim.ScatterMin, Prim.ScatterMax] as const;
export type ScatterPrim = (typeof SCATTER_PRIMS)[number];
export const REDUCE_WINDOW_PRIMS = [Prim.ReduceWindowSum, Prim.ReduceWindowMax, Prim.ReduceWindowMin] as const;
export type ReduceWindowPrim = (typeof REDUCE_WINDOW_PRIMS)[number];
export const CUMULATIVE_PRIMS = [Prim.Cumsum, Prim.Cumprod, Prim.Cummax, Prim.Cummin] as const;
export type CumulativePrim = (typeof CUMULATIVE_PRIMS)[number];
