/**
 * Smooth activations, as jax.nn defines them: sigmoid, logSigmoid, softplus, softSign,
 * silu (swish), mish, squareplus, gelu (tanh approximation by default, or exact).
 * Integer and bool inputs are promoted to float32 first (JAX's promote_args_inexact).
 * The multi-op ones (silu, mish, gelu) are wrapped in jit, as JAX's are: called
 * eagerly each runs as one cached fused program; under a transform jit traces inline.
 */
import type { Array } from "../trace/array.js";
import type { ArrayLike } from "../trace/array-ops.js";
import { logistic, erfc, integerPow } from "../lax/elementwise.js";
import { abs, add, divide as div, logaddexp, multiply as mul, negative as neg, sqrt, square, tanh } from "../numpy/index.js";
import { toInexact } from "../numpy/internal.js";
import { tidy } from "../trace/memory.js";
import { jit } from "../transforms/jit.js";

/** 1 / (1 + exp(-x)): the logistic primitive. */
export function sigmoid(x: ArrayLike): Array {
  return logistic(toInexact(x, "sigmoid"));
}

/** log(1 + exp(x)), computed stably as logaddexp(x, 0). */
export function softplus(x: ArrayLike): Array {
  return logaddexp(toInexact(x, "softplus"), 0);
}

/** log(sigmoid(x)) = -softplus(-x). */
export function logSigmoid(x: ArrayLike): Array {
  return tidy(() => neg(softplus(neg(toInexact(x, "logSigmoid")))));
}

/** x / (|x| + 1). */
export function softSign(x: ArrayLike): Array {
  return tidy(() => {
    const a = toInexact(x, "softSign");
    return div(a, add(abs(a), 1));
  });
}

/** x · sigmoid(x); also exported as swish. */
export function silu(x: ArrayLike): Array {
  return tidy(() => compiledSilu(toInexact(x, "silu")));
}

const compiledSilu = jit((a: Array) => mul(a, sigmoid(a)));

/** The same function as silu. */
export const swish = silu;

/** x · tanh(softplus(x)). */
export function mish(x: ArrayLike): Array {
  return tidy(() => compiledMish(toInexact(x, "mish")));
}

const compiledMish = jit((a: Array) => mul(a, tanh(softplus(a))));

/** (x + sqrt(x² + b)) / 2, a smooth relu (default b = 4). */
export function squareplus(x: ArrayLike, b: ArrayLike = 4): Array {
  return tidy(() => {
    const a = toInexact(x, "squareplus");
    return div(add(a, sqrt(add(square(a), b))), 2);
  });
}

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

/**
 * Gaussian error linear unit x·Φ(x), by default (`approximate`, as JAX) with the tanh
 * form x/2 · (1 + tanh(sqrt(2/π) · (x + 0.044715 x³))); otherwise exactly x/2 · erfc(-x/√2).
 */
export function gelu(x: ArrayLike, approximate = true): Array {
  return tidy(() => compiledGelu(toInexact(x, "gelu"), approximate));
}

const compiledGelu = jit(
  (a: Array, approximate: boolean): Array => {
    if (approximate) {
      const inner = mul(SQRT_2_OVER_PI, add(a, mul(0.044715, integerPow(a, 3))));
      return mul(a, mul(0.5, add(1, tanh(inner))));
    }
    return mul(mul(0.5, a), erfc(mul(neg(a), Math.SQRT1_2)));
  },
  { staticArgnums: [1] },
);
