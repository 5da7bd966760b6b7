/** `np`: the jax.numpy-like API. Functions take Arrays or JS numbers and broadcast and promote as numpy does. */
export { Array } from "../trace/array.js";
export type { ArrayLike, AxisArg, AxisOrOptions, ReduceOptions } from "../trace/array-ops.js";
export {
  add, sub as subtract, mul as multiply, div as divide, div as trueDivide, pow as power,
  maximum, minimum, neg as negative, abs, abs as absolute, sign, exp, log, sin, cos, tanh,
  sqrt, square, equal, notEqual, less, lessEqual, greater, greaterEqual, where,
  sum, prod, max, min, mean, argmax, argmin, max as amax, min as amin,
  reshape, transpose, squeeze, expandDims, broadcastTo, concatenate, matmul, dot, astype,
} from "../trace/array-ops.js";
export * from "./creation.js";
export * from "./extras.js";
