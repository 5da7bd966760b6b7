/**
 * trigamma(x) = ψ'(x) = polygamma(1, x) composed of lax ops: digamma's derivative
 * (JAX differentiates digamma with polygamma(1, x); ferrax has no polygamma
 * primitive, so its derivative is this composite, itself differentiable).
 *
 * For x ≥ 1/2: ψ'(x) = Σ_{k<8} 1/(x+k)² + ψ'(x+8), with ψ'(z) for z ≥ 8.5 from the
 * asymptotic series 1/z + 1/(2z²) + Σ B₂ₖ / z^(2k+1) (truncation error below 1e-13).
 * For x < 1/2, the reflection ψ'(x) = π² / sin²(πx) - ψ'(1 - x).
 */
import * as lax from "../lax/index.js";
import type { Array } from "../trace/array.js";

const SHIFT = 8;
/** B₂, B₄, ..., B₁₀ (Bernoulli numbers): the asymptotic series' coefficients. */
const BERNOULLI = [1 / 6, -1 / 30, 1 / 42, -1 / 30, 5 / 66];

function trigammaAbove(x: Array): Array {
  let acc = lax.integerPow(x, -2);
  let z = x;
  for (let k = 1; k <= SHIFT; k++) {
    z = lax.add(z, 1);
    if (k < SHIFT) acc = lax.add(acc, lax.integerPow(z, -2));
  }
  const r = lax.integerPow(z, -1);
  const r2 = lax.mul(r, r);
  let poly = lax.mul(r2, BERNOULLI[BERNOULLI.length - 1]!);
  for (let i = BERNOULLI.length - 2; i >= 0; i--) poly = lax.mul(r2, lax.add(poly, BERNOULLI[i]!));
  // poly = Σ B₂ₖ r^(2k); the series is r + r²/2 + r · poly.
  return lax.add(acc, lax.add(r, lax.add(lax.mul(r2, 0.5), lax.mul(r, poly))));
}

export function trigamma(x: Array): Array {
  const reflect = lax.lt(x, 0.5);
  const base = trigammaAbove(lax.selectN(reflect, x, lax.sub(1, x)));
  const s = lax.sin(lax.mul(x, Math.PI));
  return lax.selectN(reflect, base, lax.sub(lax.div(Math.PI * Math.PI, lax.mul(s, s)), base));
}
