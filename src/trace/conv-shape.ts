/**
 * Shape rules of the windowed primitives: conv_general_dilated (JAX's
 * _conv_general_dilated_shape_rule and dtype rule) and reduce_window_{sum,max,min}
 * (JAX's _reduce_window_shape_rule), plus the window arithmetic they share with
 * the transpose rules and the kernels.
 *
 * Window arithmetic on one axis: the operand of size n is dilated (d - 1 holes
 * between elements: 1 + d(n - 1) positions), padded by `lo` and `hi` (negative
 * padding crops), and a window of w taps dilated by r spans 1 + r(w - 1) positions;
 * windows start every `stride` positions and must fit entirely.
 */
import { type DType, ArgumentError, DTypeError, ShapeError, ShapedArray, isFloat } from "../core/index.js";
import { type ConvDimensionNumbers, type Padding, Prim, type PrimParams, type ReduceWindowParams } from "./prim.js";

/** Positions an axis of `n` elements spans once dilated by `d` (0 stays 0). */
export const dilateSize = (n: number, d: number): number => (n === 0 ? 0 : 1 + d * (n - 1));

/** Windows along one axis (JAX: floor((padded - window) / stride) + 1, at least 0). */
export function windowCount(n: number, w: number, stride: number, [lo, hi]: readonly [number, number], baseDil: number, winDil: number): number {
  const padded = dilateSize(n, baseDil) + lo + hi;
  const span = dilateSize(w, winDil);
  return padded < span ? 0 : Math.floor((padded - span) / stride) + 1;
}

/**
 * The padding of the transposed window op that maps output cotangents back onto the
 * operand (JAX's _conv_general_vjp_lhs_padding): the window is slid over the
 * stride-dilated cotangent so that each operand position sees every window that read it.
 */
export function vjpLhsPadding(
  inSizes: readonly number[], window: readonly number[], strides: readonly number[], outSizes: readonly number[],
  padding: Padding, lhsDilation: readonly number[], rhsDilation: readonly number[],
): [number, number][] {
  return inSizes.map((n, i) => {
    const span = dilateSize(window[i]!, rhsDilation[i]!);
    const before = span - padding[i]![0] - 1;
    const after = dilateSize(n, lhsDilation[i]!) + span - 1 - dilateSize(outSizes[i]!, strides[i]!) - before;
    return [before, after];
  });
}

/**
 * The padding of the conv that computes the kernel cotangent (JAX's
 * _conv_general_vjp_rhs_padding): the low padding is kept, the high padding makes
 * the stride-dilated cotangent, used as a window, cover exactly the kernel's taps.
 */
export function vjpRhsPadding(
  inSizes: readonly number[], window: readonly number[], strides: readonly number[], outSizes: readonly number[],
  padding: Padding, lhsDilation: readonly number[], rhsDilation: readonly number[],
): [number, number][] {
  return inSizes.map((n, i) => {
    const lo = padding[i]![0];
    const hi = dilateSize(outSizes[i]!, strides[i]!) - dilateSize(n, lhsDilation[i]!) + dilateSize(window[i]!, rhsDilation[i]!) - lo - 1;
    return [lo, hi];
  });
}

const desc = (a: ShapedArray): string => a.strShort();
/** Python's repr of a tuple of numbers or pairs: `(1, 2)`, `(3,)`, `((0, 1),)`. */
const tuple = (xs: readonly unknown[]): string =>
  `(${xs.map((x) => (Array.isArray(x) ? tuple(x) : String(x))).join(", ")}${xs.length === 1 ? "," : ""})`;

function checkLengths(op: string, n: number, what: string, named: Record<string, readonly unknown[]>): void {
  for (const [name, xs] of Object.entries(named)) {
    if (xs.length !== n) {
      throw new ArgumentError(`${op}: ${name} ${tuple(xs)} has ${xs.length} entries, but the operand has ${n} ${what}; give one per ${what.replace(/s$/, "")}.`);
    }
  }
}

function checkPositive(op: string, named: Record<string, readonly number[]>): void {
  for (const [name, xs] of Object.entries(named)) {
    if (!xs.every((x) => Number.isInteger(x) && x >= 1)) {
      throw new ArgumentError(`${op}: ${name} ${tuple(xs)} must be positive integers.`);
    }
  }
}

function checkPadding(op: string, padding: Padding): void {
  if (!padding.every((p) => p.length === 2 && p.every((x) => Number.isInteger(x)))) {
    throw new ArgumentError(`${op}: padding ${tuple(padding)} must be (low, high) pairs of integers.`);
  }
}

/** The sizes of a conv operand's (batch, feature, spatial...) dims, as its spec orders them. */
const bySpec = (a: ShapedArray, spec: readonly number[]): number[] => spec.map((d) => a.shape[d]!);

function checkSpec(op: string, which: string, a: ShapedArray, spec: readonly number[]): void {
  const ok = spec.length === a.ndim && spec.every((d) => Number.isInteger(d) && d >= 0 && d < a.ndim) && new Set(spec).size === spec.length;
  if (!ok) {
    throw new ArgumentError(`${op}: dimension_numbers ${which}_spec ${tuple(spec)} must be a permutation of the ${a.ndim} axes of ${which} ${desc(a)}.`);
  }
}

export function convShape(avals: readonly ShapedArray[], p: PrimParams<Prim.ConvGeneralDilated>): ShapedArray[] {
  const op = "conv_general_dilated";
  if (avals.length !== 2) throw new ArgumentError(`${op}: expected 2 operand(s), got ${avals.length}.`);
  const [lhs, rhs] = avals as [ShapedArray, ShapedArray];
  if (lhs.ndim < 2 || lhs.ndim !== rhs.ndim) {
    throw new ShapeError(`${op}: lhs ${desc(lhs)} and rhs ${desc(rhs)} must have the same rank, at least 2 (batch, feature, then spatial dims).`);
  }
  const dn: ConvDimensionNumbers = p.dimensionNumbers;
  checkSpec(op, "lhs", lhs, dn.lhsSpec);
  checkSpec(op, "rhs", rhs, dn.rhsSpec);
  if (dn.outSpec.length !== lhs.ndim || !dn.outSpec.every((d) => d >= 0 && d < lhs.ndim) || new Set(dn.outSpec).size !== lhs.ndim) {
    throw new ArgumentError(`${op}: dimension_numbers out_spec ${tuple(dn.outSpec)} must be a permutation of ${lhs.ndim} axes.`);
  }
  const nsp = lhs.ndim - 2;
  const { windowStrides, padding, lhsDilation, rhsDilation, featureGroupCount: G, batchGroupCount: B } = p;
  checkLengths(op, nsp, "spatial dimensions", { window_strides: windowStrides, padding, lhs_dilation: lhsDilation, rhs_dilation: rhsDilation });
  checkPositive(op, { window_strides: windowStrides, lhs_dilation: lhsDilation, rhs_dilation: rhsDilation });
  checkPadding(op, padding);
  if (!Number.isInteger(G) || G < 1 || !Number.isInteger(B) || B < 1) {
    throw new ArgumentError(`${op}: feature_group_count (${G}) and batch_group_count (${B}) must be positive integers.`);
  }
  if (G > 1 && B > 1) {
    throw new ArgumentError(`${op}: at most one of feature_group_count (${G}) and batch_group_count (${B}) may exceed 1.`);
  }
  if (lhs.dtype !== rhs.dtype) {
    throw new DTypeError(`${op}: operands must have equal dtypes, got lhs ${desc(lhs)} and rhs ${desc(rhs)}; cast with .astype().`);
  }
  if (!isFloat(lhs.dtype)) {
    throw new DTypeError(`${op}: got operands of type ${desc(lhs)}, but ${op} needs a floating dtype (float32 or float64); cast with .astype('float32').`);
  }
  const pet: DType | null = p.preferredElementType;
  if (pet !== null && !isFloat(pet)) {
    throw new DTypeError(`${op}: preferred_element_type ${pet} must be float32 or float64 for ${lhs.dtype} operands.`);
  }
  const [n, c, ...inSp] = bySpec(lhs, dn.lhsSpec) as [number, number, ...number[]];
  const [o, i, ...win] = bySpec(rhs, dn.rhsSpec) as [number, number, ...number[]];
  if (c % G !== 0 || c / G !== i) {
    throw new ShapeError(
      `${op}: the lhs feature dimension (size ${c}) divided by feature_group_count ${G} must equal the rhs input feature ` +
        `dimension (size ${i}); lhs ${desc(lhs)}, rhs ${desc(rhs)}. Check the dimension_numbers and the kernel's in-feature size.`,
    );
  }
  if (o % G !== 0) {
    throw new ShapeError(`${op}: the rhs output feature dimension (size ${o}) must be a multiple of feature_group_count ${G}; rhs ${desc(rhs)}.`);
  }
  if (n % B !== 0 || o % B !== 0) {
    throw new ShapeError(
      `${op}: batch_group_count ${B} must divide both the lhs batch dimension (size ${n}) and the rhs output feature dimension (size ${o}).`,
    );
  }
  const outSp = inSp.map((s, k) => windowCount(s, win[k]!, windowStrides[k]!, padding[k]!, lhsDilation[k]!, rhsDilation[k]!));
  const shape = new Array<number>(lhs.ndim);
  [n / B, o, ...outSp].forEach((s, k) => (shape[dn.outSpec[k]!] = s));
  return [new ShapedArray(shape, pet ?? lhs.dtype, lhs.weakType && rhs.weakType)];
}

export function reduceWindowShape(op: string, a: ShapedArray, p: ReduceWindowParams): ShapedArray {
  const { windowDimensions: w, windowStrides: s, padding, baseDilation: bd, windowDilation: wd } = p;
  checkLengths(op, a.ndim, "axes", { window_dimensions: w, window_strides: s, padding, base_dilation: bd, window_dilation: wd });
  checkPositive(op, { window_dimensions: w, window_strides: s, base_dilation: bd, window_dilation: wd });
  checkPadding(op, padding);
  const shape = a.shape.map((n, k) => windowCount(n, w[k]!, s[k]!, padding[k]!, bd[k]!, wd[k]!));
  if (a.shape.some((n, k) => dilateSize(n, bd[k]!) + padding[k]![0] + padding[k]![1] < 0)) {
    throw new ShapeError(`${op}: padding ${tuple(padding)} crops more than the whole of ${desc(a)}.`);
  }
  return a.update({ shape });
}
