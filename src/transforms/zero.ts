/**
 * Symbolic zero tangents (JAX's ad.Zero): a tangent known to be zero carries only its
 * aval, so rules can skip work and integer values never get float tangents.
 */
import { ShapedArray, isFloat } from "../core/index.js";
import type { Array } from "../trace/array.js";
import { broadcastTo, scalar } from "../trace/array-ops.js";

export class Zero {
  /** Nominal tag: an Array also has an aval, but is never a Zero. */
  readonly kind = "symbolic-zero";
  constructor(readonly aval: ShapedArray) {}
}

export type Tangent = Array | Zero;

export const isZero = (t: Tangent): t is Zero => t instanceof Zero;

/** The aval of tangents for values of `aval` (JAX's to_tangent_aval; integers have none worth storing). */
export const tangentAval = (aval: ShapedArray): ShapedArray => aval;

/** Zeros of an aval, bound in the current trace (JAX's zeros_like_aval: a broadcast scalar). */
export function zerosLikeAval(aval: ShapedArray): Array {
  return broadcastTo(scalar(0, aval.dtype, aval.weakType), aval.shape);
}

/** A concrete tangent: symbolic zeros become real zeros. */
export function instantiate(t: Tangent): Array {
  return t instanceof Zero ? zerosLikeAval(t.aval) : t;
}

/** Whether values of this aval can carry a nonzero tangent. */
export const isDifferentiable = (aval: ShapedArray): boolean => isFloat(aval.dtype);
