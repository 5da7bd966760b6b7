/** lax shape primitives and lax-level helpers built from them, with JAX's signatures. */
import { type DType, parseDType } from "../core/index.js";
import type { Array } from "../trace/array.js";
import { asArray, expandDims as npExpandDims, type ArrayLike } from "../trace/array-ops.js";
import { Prim } from "../trace/prim.js";
import { bind1 } from "../trace/trace.js";

export function broadcastInDim(x: ArrayLike, shape: readonly number[], broadcastDimensions: readonly number[]): Array {
  return bind1(Prim.BroadcastInDim, [asArray(x, "broadcast_in_dim")], {
    shape: [...shape],
    broadcastDimensions: [...broadcastDimensions],
    sharding: null,
  });
}

export function reshape(x: ArrayLike, newSizes: readonly number[]): Array {
  return bind1(Prim.Reshape, [asArray(x, "reshape")], { newSizes: [...newSizes], dimensions: null, sharding: null });
}

export function transpose(x: ArrayLike, permutation: readonly number[]): Array {
  return bind1(Prim.Transpose, [asArray(x, "transpose")], { permutation: [...permutation] });
}

export function squeeze(x: ArrayLike, dimensions: readonly number[]): Array {
  return bind1(Prim.Squeeze, [asArray(x, "squeeze")], { dimensions: [...dimensions] });
}

/** JAX has no expand_dims primitive: lax.expand_dims is a broadcast_in_dim. */
export function expandDims(x: ArrayLike, dimensions: readonly number[]): Array {
  return npExpandDims(x, dimensions);
}

export function slice(
  x: ArrayLike,
  startIndices: readonly number[],
  limitIndices: readonly number[],
  strides: readonly number[] | null = null,
): Array {
  return bind1(Prim.Slice, [asArray(x, "slice")], {
    startIndices: [...startIndices],
    limitIndices: [...limitIndices],
    strides: strides ? [...strides] : null,
  });
}

export function concatenate(xs: readonly ArrayLike[], dimension: number): Array {
  return bind1(Prim.Concatenate, xs.map((x) => asArray(x, "concatenate")), { dimension });
}

export function iota(dtype: DType | string, size: number): Array {
  return broadcastedIota(dtype, [size], 0);
}

export function broadcastedIota(dtype: DType | string, shape: readonly number[], dimension: number): Array {
  return bind1(Prim.Iota, [], { dtype: parseDType(dtype, "iota"), shape: [...shape], dimension, sharding: null });
}
