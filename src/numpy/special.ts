/**
 * `special`: scipy.special-like functions (jax.scipy.special's names, camelCase) on
 * the erf, erfc, erf_inv, lgamma and digamma primitives. Integer and bool inputs are
 * promoted to float32 first, as jax.scipy.special does.
 */
import type { Array } from "../trace/array.js";
import { type ArrayLike, unaryFloat } from "../trace/array-ops.js";
import { Prim } from "../trace/prim.js";

/** The error function, 2/sqrt(pi) ∫₀ˣ e^(-t²) dt. */
export const erf: (x: ArrayLike) => Array = unaryFloat(Prim.Erf, "erf");
/** The complementary error function 1 - erf(x), accurate where erf(x) is near 1. */
export const erfc: (x: ArrayLike) => Array = unaryFloat(Prim.Erfc, "erfc");
/** The inverse of erf on (-1, 1): ±inf at ±1, NaN outside [-1, 1]. */
export const erfinv: (x: ArrayLike) => Array = unaryFloat(Prim.ErfInv, "erfinv");
/** ln|Γ(x)|: +inf at 0 and the negative integers. */
export const gammaln: (x: ArrayLike) => Array = unaryFloat(Prim.Lgamma, "gammaln");
/** ψ(x) = d/dx ln Γ(x): NaN at 0 and the negative integers. */
export const digamma: (x: ArrayLike) => Array = unaryFloat(Prim.Digamma, "digamma");
