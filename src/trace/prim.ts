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
  // contraction and creation
  DotGeneral = "dot_general",
  Iota = "iota",
  // autodiff
  StopGradient = "stop_gradient",
  // higher-order (initial-style: params hold closed jaxprs or user rules)
  CustomJvpCall = "custom_jvp_call",
  CustomVjpCall = "custom_vjp_call",
  CustomLin = "custom_lin",
  Checkpoint = "checkpoint",
  // --- elementwise additions (issue 6) ---
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
  [Prim.StopGradient]: NoParams;
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
  // --- elementwise additions (issue 6) ---
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
  // issue 6
  Prim.Floor, Prim.Ceil, Prim.Not, Prim.PopulationCount, Prim.Clz,
  Prim.Tan, Prim.Asin, Prim.Acos, Prim.Atan, Prim.Sinh, Prim.Cosh, Prim.Asinh, Prim.Acosh, Prim.Atanh,
  Prim.Exp2, Prim.Expm1, Prim.Log1p, Prim.Cbrt, Prim.Rsqrt, Prim.Erf, Prim.Erfc, Prim.ErfInv, Prim.Lgamma, Prim.Digamma,
] as const;
export type UnaryPrim = (typeof UNARY_PRIMS)[number];

export const BINARY_PRIMS = [
  Prim.Add, Prim.Sub, Prim.Mul, Prim.Div, Prim.Max, Prim.Min, Prim.Pow,
  // issue 6
  Prim.Rem, Prim.And, Prim.Or, Prim.Xor, Prim.ShiftLeft, Prim.ShiftRightArithmetic, Prim.ShiftRightLogical, Prim.Atan2,
] as const;
export type BinaryPrim = (typeof BINARY_PRIMS)[number];

export const COMPARE_PRIMS = [Prim.Eq, Prim.Ne, Prim.Lt, Prim.Le, Prim.Gt, Prim.Ge] as const;
export type ComparePrim = (typeof COMPARE_PRIMS)[number];

export const REDUCE_PRIMS = [Prim.ReduceSum, Prim.ReduceMax, Prim.ReduceMin, Prim.ReduceProd] as const;
export type ReducePrim = (typeof REDUCE_PRIMS)[number];

export const ARG_REDUCE_PRIMS = [Prim.Argmax, Prim.Argmin] as const;
export type ArgReducePrim = (typeof ARG_REDUCE_PRIMS)[number];
