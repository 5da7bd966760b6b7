/** `np`: the jax.numpy-like API. Functions take Arrays or JS numbers and broadcast and promote as numpy does. */
export { Array } from "../trace/array.js";
export { slice, newaxis, ellipsis, type Index, type IndexItem } from "../trace/index-items.js";
export type { ArrayLike, AxisArg, AxisOrOptions, ReduceOptions } from "../trace/array-ops.js";
export {
  add, sub as subtract, mul as multiply, div as divide, div as trueDivide, pow as power, pow,
  maximum, minimum, neg as negative, abs, abs as absolute, sign, exp, log, sin, cos, tanh,
  sqrt, square, equal, notEqual, less, lessEqual, greater, greaterEqual, where,
  sum, prod, max, min, mean, argmax, argmin, max as amax, min as amin,
  reshape, transpose, squeeze, expandDims, broadcastTo, concatenate, matmul, dot, astype,
} from "../trace/array-ops.js";
export * from "./creation.js";
export * from "./elementwise.js";
export * from "./rounding.js";
export * from "./bitwise.js";
export {
  isnan, isinf, isposinf, isneginf, isfinite, logicalAnd, logicalOr, logicalXor, logicalNot,
  all, any, isclose, allclose, arrayEqual, arrayEquiv, select, isin, type IsCloseOptions,
} from "./logic.js";
export { variance as var, std, logsumexp, countNonzero, average, ptp } from "./reductions.js";
export type { VarOptions, LogsumexpOptions, AverageOptions } from "./reductions.js";
export * from "./nan-reductions.js";
export * from "./axes.js";
export * from "./joining.js";
export * from "./tiling.js";
export * from "./pad.js";
export * from "./triangular.js";
export * from "./grids.js";
export * from "./products.js";
export * from "./convolve.js";
export * from "./differences.js";
export * from "./unwrap.js";
export * from "./float-parts.js";
export * from "./statistics.js";
export * from "./index-helpers.js";
export { einsum, type EinsumOptions } from "./einsum.js";
export * from "./polynomial.js";
export * from "./windows.js";
export * from "./functional.js";
export * from "./dtype-info.js";
export * as linalg from "./linalg/index.js";
export * from "./flip.js";
export * from "./take.js";
export * from "./cumulative.js";
export * from "./sorting.js";
export { searchsorted, type SearchsortedOptions } from "./searchsorted.js";
export * from "./nonzero.js";
