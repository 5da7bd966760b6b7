/**
 * Special functions in float64 for the interpreter: erf, erfc, erf_inv, lgamma,
 * digamma. kernels-rs/src/math_special.rs computes them with the same algorithms,
 * step for step, so both backends agree to a few ulps.
 *
 * - erf: the all-positive series erf(x) = 2/sqrt(pi) e^(-x²) Σ (2x²)^n x / (2n+1)!!
 *   (no cancellation) for |x| < 2.5; ±1 beyond 6.
 * - erfc: 1 - erf below 2, else the continued fraction
 *   erfc(x) = e^(-x²)/sqrt(pi) · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))) by Lentz's method.
 * - erf_inv: a closed-form first guess refined by three Halley steps on erf (or erfc
 *   when |y| > 1/2, where 1 - |y| is exact).
 * - lgamma, digamma: shifted up to z ≥ 10 by the recurrences, then Stirling's series
 *   (coefficients B₂ₖ/(2k(2k-1)) and B₂ₖ/(2k)); negative x by reflection.
 */

const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);
const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/** erf by the positive series; accurate for |x| < 2.5 (about 60 terms at the end). */
function erfSeries(x: number): number {
  const x2 = x * x;
  let term = x;
  let sum = x;
  for (let n = 1; n < 200; n++) {
    term *= (2 * x2) / (2 * n + 1);
    sum += term;
    if (Math.abs(term) <= Math.abs(sum) * 1e-17) break;
  }
  return TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
}

/** erfc for x ≥ 2 by the continued fraction (modified Lentz). */
function erfcFraction(x: number): number {
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let n = 1; n < 500; n++) {
    const a = n / 2;
    d = x + a * d;
    d = d === 0 ? tiny : 1 / d;
    c = x + a / c;
    if (c === 0) c = tiny;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / (f * Math.sqrt(Math.PI));
}

export function erf(x: number): number {
  if (Number.isNaN(x)) return x;
  const a = Math.abs(x);
  if (a >= 6) return x > 0 ? 1 : -1;
  if (a < 2.5) return erfSeries(x);
  const r = 1 - erfcFraction(a);
  return x > 0 ? r : -r;
}

export function erfc(x: number): number {
  if (Number.isNaN(x)) return x;
  if (x < 2) return 1 - erf(x);
  if (x > 27.3) return 0;
  return erfcFraction(x);
}

export function erfInv(y: number): number {
  if (Number.isNaN(y) || y < -1 || y > 1) return NaN;
  if (y === 1) return Infinity;
  if (y === -1) return -Infinity;
  if (y === 0) return y;
  const a = Math.abs(y);
  // First guess: the closed form that inverts erf(x)² ≈ 1 - exp(-x² (4/pi + k x²)/(1 + k x²)), k = 0.147.
  const k = 0.147;
  const w = Math.log((1 - a) * (1 + a));
  const t = 2 / (Math.PI * k) + w / 2;
  let x = Math.sqrt(Math.sqrt(t * t - w / k) - t);
  // Halley on g(x) = erf(x) - a (or erfc(x) - (1 - a), exact, for a > 1/2): with
  // d = g/g', x -= d / (1 + x d), since g''/g' = -2x.
  const tail = a > 0.5;
  const target = tail ? 1 - a : a;
  for (let i = 0; i < 3; i++) {
    const g = tail ? target - erfc(x) : erf(x) - target;
    const d = g / (TWO_OVER_SQRT_PI * Math.exp(-x * x));
    if (!Number.isFinite(d)) break;
    x -= d / (1 + x * d);
  }
  return y < 0 ? -x : x;
}

/** sin(pi x) with the argument reduced exactly (x - 2 round(x/2) is exact), as math_special.rs. */
function sinPi(x: number): number {
  const r = x - 2 * Math.floor(x / 2 + 0.5);
  return Math.sin(Math.PI * r);
}

/** Stirling's series for lgamma(z), z ≥ 10: (z - 1/2) ln z - z + ln(2pi)/2 + Σ B₂ₖ/(2k(2k-1) z^(2k-1)). */
function lgammaStirling(z: number): number {
  const r = 1 / z;
  const r2 = r * r;
  const series =
    r * (1 / 12 + r2 * (-1 / 360 + r2 * (1 / 1260 + r2 * (-1 / 1680 + r2 * (1 / 1188 + r2 * (-691 / 360360 + r2 / 156))))));
  return (z - 0.5) * Math.log(z) - z + HALF_LOG_2PI + series;
}

export function lgamma(x: number): number {
  if (Number.isNaN(x)) return x;
  if (x === Infinity || x === -Infinity) return Infinity;
  if (x <= 0 && Math.floor(x) === x) return Infinity;
  if (x === 1 || x === 2) return 0; // Γ(1) = Γ(2) = 1 exactly; the series would leave ~1e-15
  if (x < 0.5) {
    // Reflection: lgamma(x) = ln(pi / |sin(pi x)|) - lgamma(1 - x).
    return Math.log(Math.PI / Math.abs(sinPi(x))) - lgamma(1 - x);
  }
  let z = x;
  let prod = 1;
  while (z < 10) {
    prod *= z;
    z += 1;
  }
  return lgammaStirling(z) - Math.log(prod);
}

export function digamma(x: number): number {
  if (Number.isNaN(x) || x === Infinity) return x;
  if (x <= 0 && Math.floor(x) === x) return NaN;
  if (x < 0.5) {
    // Reflection: digamma(x) = digamma(1 - x) - pi / tan(pi x).
    return digamma(1 - x) - Math.PI / (sinPi(x) / sinPi(x + 0.5));
  }
  let z = x;
  let acc = 0;
  while (z < 10) {
    acc += 1 / z;
    z += 1;
  }
  const r2 = 1 / (z * z);
  // ln z - 1/(2z) - Σ B₂ₖ/(2k z^(2k)).
  const series = r2 * (1 / 12 + r2 * (-1 / 120 + r2 * (1 / 252 + r2 * (-1 / 240 + r2 * (1 / 132 + r2 * (-691 / 32760 + r2 / 12))))));
  return Math.log(z) - 0.5 / z - series - acc;
}
