/** lax reductions over explicit axes, and dot_general. */
import type { DType } from "../core/index.js";
import type { Array } from "../trace/array.js";
import { asArray, type ArrayLike } from "../trace/array-ops.js";
import { Prim, type DotDimensionNumbers } from "../trace/prim.js";
import { bind1 } from "../trace/trace.js";

const reducer =
  (prim: Prim.ReduceSum | Prim.ReduceMax | Prim.ReduceMin | Prim.ReduceProd) =>
  (x: ArrayLike, axes: readonly number[]): Array =>
    bind1(prim, [asArray(x, prim)], { axes: [...axes], outSharding: null });

export const reduceSum = reducer(Prim.ReduceSum);
export const reduceMax = reducer(Prim.ReduceMax);
export const reduceMin = reducer(Prim.ReduceMin);
export const reduceProd = reducer(Prim.ReduceProd);

export function argmax(x: ArrayLike, axis: number, indexDtype: DType = "int32"): Array {
  return bind1(Prim.Argmax, [asArray(x, "argmax")], { axes: [axis], indexDtype });
}
export function argmin(x: ArrayLike, axis: number, indexDtype: DType = "int32"): Array {
  return bind1(Prim.Argmin, [asArray(x, "argmin")], { axes: [axis], indexDtype });
}

export function dotGeneral(
  lhs: ArrayLike,
  rhs: ArrayLike,
  dimensionNumbers: DotDimensionNumbers,
  preferredElementType: DType | null = null,
): Array {
  return bind1(Prim.DotGeneral, [asArray(lhs, "dot_general"), asArray(rhs, "dot_general")], {
    dimensionNumbers,
    precision: null,
    preferredElementType,
    outSharding: null,
  });
}
