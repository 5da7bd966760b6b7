/**
 * float64 references for the nn tests, written from the math (not from any library):
 * the activations as scalar functions, erfc, and softmax-like reductions over groups
 * of a host array's elements.
 */
import { shapeSize } from "../../src/core/index.js";

/** erfc(x): a power series for |x| < 2.5, a continued fraction (modified Lentz) beyond. */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x < 0) return 2 - erfc(-x);
  if (x < 2.5) {
    // erf(x) = 2/√π Σ (-1)^n x^(2n+1) / (n! (2n+1))
    let term = x;
    let sum = x;
    for (let n = 1; n < 200 && Math.abs(term) > 1e-18 * Math.abs(sum); n++) {
      term *= (-x * x) / n;
      sum += term / (2 * n + 1);
    }
    return 1 - (2 / Math.sqrt(Math.PI)) * sum;
  }
  // erfc(x) = exp(-x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + …)))))
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let k = 1; k < 500; k++) {
    const a = k / 2;
    d = x + a * d;
    d = d === 0 ? tiny : d;
    c = x + a / c;
    c = c === 0 ? tiny : c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / Math.sqrt(Math.PI) / f;
}

const sigmoid = (x: number): number => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));
const softplus = (x: number): number => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
const relu6 = (x: number): number => Math.min(Math.max(x, 0), 6);
const elu = (x: number, alpha = 1): number => (x > 0 ? x : alpha * Math.expm1(x));
export const SELU_ALPHA = 1.6732632423543772848170429916717;
export const SELU_SCALE = 1.0507009873554804934193349852946;

/** Each activation as a float64 function of one element. */
export const ACTIVATIONS: Record<string, (x: number) => number> = {
  relu: (x) => Math.max(x, 0),
  relu6,
  leakyRelu: (x) => (x >= 0 ? x : 0.01 * x),
  hardTanh: (x) => Math.min(Math.max(x, -1), 1),
  hardSigmoid: (x) => relu6(x + 3) / 6,
  hardSilu: (x) => (x * relu6(x + 3)) / 6,
  sparsePlus: (x) => (x <= -1 ? 0 : x >= 1 ? x : (x + 1) ** 2 / 4),
  sparseSigmoid: (x) => Math.min(Math.max((x + 1) / 2, 0), 1),
  sigmoid,
  softplus,
  logSigmoid: (x) => -softplus(-x),
  softSign: (x) => x / (Math.abs(x) + 1),
  silu: (x) => x * sigmoid(x),
  mish: (x) => x * Math.tanh(softplus(x)),
  squareplus: (x) => (x + Math.sqrt(x * x + 4)) / 2,
  gelu: (x) => 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3))),
  geluExact: (x) => 0.5 * x * erfc(-x / Math.SQRT2),
  elu: (x) => elu(x),
  celu: (x) => Math.max(x, 0) + Math.expm1(Math.min(x, 0)),
  selu: (x) => SELU_SCALE * elu(x, SELU_ALPHA),
};

/** The flat indices of the elements sharing every coordinate outside `axes` (one group per output row). */
export function groups(shape: readonly number[], axes: readonly number[]): number[][] {
  const out = new Map<string, number[]>();
  const n = shapeSize(shape);
  for (let i = 0; i < n; i++) {
    let rest = i;
    const key: number[] = [];
    for (let k = shape.length - 1; k >= 0; k--) {
      const c = rest % shape[k]!;
      rest = Math.floor(rest / shape[k]!);
      if (!axes.includes(k)) key.push(c);
    }
    const s = key.join(",");
    if (!out.has(s)) out.set(s, []);
    out.get(s)!.push(i);
  }
  return [...out.values()];
}

/** softmax (or its log) over each group, with masked-out elements 0 (or -inf); float64. */
export function softmaxRef(values: ArrayLike<number>, shape: readonly number[], axes: readonly number[], mask: ArrayLike<number> | null, log: boolean): Float64Array {
  const out = new Float64Array(values.length);
  for (const g of groups(shape, axes)) {
    const inside = g.filter((i) => !mask || mask[i]);
    const m = Math.max(...inside.map((i) => values[i]!));
    const s = inside.reduce((acc, i) => acc + Math.exp(values[i]! - m), 0);
    for (const i of g) {
      const on = !mask || mask[i];
      out[i] = log ? (on ? values[i]! - m - Math.log(s) : -Infinity) : on ? Math.exp(values[i]! - m) / s : 0;
    }
  }
  return out;
}
