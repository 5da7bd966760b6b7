/**
 * Piecewise-linear activations, as jax.nn defines them: relu, relu6, leakyRelu,
 * hardTanh, hardSigmoid, hardSilu (hardSwish), sparsePlus, sparseSigmoid.
 * At the kinks the derivatives are JAX's: relu'(0) = 0 and relu6'(0) = relu6'(6) = 0
 * (custom JVP rules); leakyRelu'(0) = 1 and hardTanh'(±1) = 1 (from `where`).
 */
import type { Array } from "../trace/array.js";
import { type ArrayLike, asArray } from "../trace/array-ops.js";
import { clip, divide as div, greater, greaterEqual, less, lessEqual, logicalAnd, maximum, minimum, multiply as mul, where } from "../numpy/index.js";
import { toInexact } from "../numpy/internal.js";
import { withCustomJvp } from "./custom-jvp.js";
import { tidy } from "../trace/memory.js";

/** Rectified linear unit, max(x, 0); its derivative at 0 is 0 (JAX's custom JVP rule). */
export const relu: (x: ArrayLike) => Array = withCustomJvp(
  function relu(x: ArrayLike): Array {
    return maximum(x, 0);
  },
  ([x]: Array[], [t]: Array[]) => [relu(x!), where(greater(x!, 0), t!, 0)],
);

/** min(max(x, 0), 6); its derivative is 0 at 0 and at 6 (JAX's custom JVP rule). */
export const relu6: (x: ArrayLike) => Array = withCustomJvp(
  function relu6(x: ArrayLike): Array {
    // JAX clips at the float 6.0, so integer inputs come out float32.
    return tidy(() => minimum(maximum(toInexact(x, "relu6"), 0), 6));
  },
  ([x]: Array[], [t]: Array[]) => [relu6(x!), where(logicalAnd(greater(x!, 0), less(x!, 6)), t!, 0)],
);

/** x where x >= 0, else negativeSlope·x (default slope 0.01, as JAX). */
export function leakyRelu(x: ArrayLike, negativeSlope: ArrayLike = 0.01): Array {
  return tidy(() => {
    const a = asArray(x, "leakyRelu");
    return where(greaterEqual(a, 0), a, mul(negativeSlope, a));
  });
}

/** x clipped to [-1, 1] (derivative 1 at ±1, as JAX's nested `where`). */
export function hardTanh(x: ArrayLike): Array {
  return tidy(() => {
    const a = asArray(x, "hardTanh");
    return where(greater(a, 1), 1, where(less(a, -1), -1, a));
  });
}

/** relu6(x + 3) / 6. */
export function hardSigmoid(x: ArrayLike): Array {
  return tidy(() => div(relu6(asArray(x, "hardSigmoid").add(3)), 6));
}

/** x · hardSigmoid(x); also exported as hardSwish. */
export function hardSilu(x: ArrayLike): Array {
  return tidy(() => {
    const a = asArray(x, "hardSilu");
    return mul(a, hardSigmoid(a));
  });
}

/** The same function as hardSilu. */
export const hardSwish = hardSilu;

/** 0 for x <= -1, (x + 1)²/4 on (-1, 1), x for x >= 1 (a piecewise twin of softplus). */
export function sparsePlus(x: ArrayLike): Array {
  return tidy(() => {
    const a = asArray(x, "sparsePlus");
    return where(lessEqual(a, -1), 0, where(greaterEqual(a, 1), a, div(a.add(1).square(), 4)));
  });
}

/** (x + 1)/2 clipped to [0, 1]: the derivative of sparsePlus. */
export function sparseSigmoid(x: ArrayLike): Array {
  return tidy(() => mul(0.5, clip(asArray(x, "sparseSigmoid").add(1), 0, 2)));
}
