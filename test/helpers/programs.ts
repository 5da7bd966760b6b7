/**
 * Random programs: short chains of array operations (numpy and lax level) applied to
 * a value `x`, some steps also reading a second argument `y` (of x's shape) or a
 * captured constant. Shapes are tracked while generating, so every program is valid.
 * Steps: unary math, binary ops with y, with y's sum, or with constants (some with
 * size-1 axes), where/compare, reductions with and without keepdims, transposes,
 * reshapes, matmuls, slices, concatenations, broadcasts, argmax, dtype round trips.
 *
 * `smooth` programs use only differentiable steps (for Jacobian checks).
 */
import fc from "fast-check";
import { type DType, shapeSize } from "../../src/core/index.js";
import * as lax from "../../src/lax/index.js";
import * as np from "../../src/numpy/index.js";
import type { Array as NdArray } from "../../src/trace/array.js";
import { type Shape, axesArb, permutationArb } from "./arbitraries.js";
import { reshapeTargetArb } from "./cases-shape.js";

export interface Step {
  readonly name: string;
  readonly apply: (c: NdArray, y: NdArray) => NdArray;
  readonly out: number[];
  /** No step so far reorders floating-point arithmetic (sums, matmuls), so argmax sees identical values. */
  readonly exact: boolean;
}

export interface Program {
  readonly dtype: DType;
  readonly inShape: number[];
  readonly steps: readonly Step[];
  readonly outShape: number[];
  readonly run: (x: NdArray, y: NdArray) => NdArray;
  readonly toString: () => string;
}

export interface ProgramOptions {
  readonly maxSteps?: number;
  readonly smooth?: boolean;
  /** Largest intermediate size (elements). */
  readonly maxSize?: number;
}

/** A deterministic constant of a shape: values of sin, in [-1, 1]. */
export function constant(shape: Shape, seed: number, dtype: DType): NdArray {
  const n = shapeSize(shape);
  return np.array(Array.from({ length: n }, (_, i) => Math.sin(seed + 1.37 * i)), { dtype }).reshape([...shape]);
}

const UNARY: Record<string, (c: NdArray) => NdArray> = {
  neg: (c) => np.negative(c),
  sin: (c) => np.sin(c),
  cos: (c) => np.cos(c),
  tanh: (c) => np.tanh(c),
  logistic: (c) => lax.logistic(c),
  "exp∘tanh": (c) => np.exp(np.tanh(c)),
  square: (c) => np.square(c),
  "integer_pow 3": (c) => lax.integerPow(c, 3),
  abs: (c) => np.abs(c),
  "sqrt∘abs": (c) => np.sqrt(np.abs(c)),
};
const SMOOTH_UNARY = ["neg", "sin", "cos", "tanh", "logistic", "exp∘tanh", "square", "integer_pow 3"];

const BINARY: Record<string, (a: NdArray, b: NdArray) => NdArray> = {
  add: (a, b) => np.add(a, b),
  sub: (a, b) => np.subtract(a, b),
  mul: (a, b) => np.multiply(a, b),
  max: (a, b) => np.maximum(a, b),
  min: (a, b) => np.minimum(a, b),
};
const SMOOTH_BINARY = ["add", "sub", "mul"];

function stepArbs(shape: number[], inShape: number[], dtype: DType, exact: boolean, opts: ProgramOptions): fc.Arbitrary<Step>[] {
  const smooth = opts.smooth ?? false;
  const maxSize = opts.maxSize ?? 48;
  const r = shape.length;
  const size = shapeSize(shape);
  const step = (name: string, apply: Step["apply"], out: number[] = [...shape], keepsExact = true): Step => ({
    name,
    apply,
    out,
    exact: exact && keepsExact,
  });
  const arbs: fc.Arbitrary<Step>[] = [];
  const unary = smooth ? SMOOTH_UNARY : Object.keys(UNARY);
  const binary = smooth ? SMOOTH_BINARY : Object.keys(BINARY);
  // sqrt is not Lipschitz at 0: only where no rounding difference can have crept in.
  const unaryHere = exact ? unary : unary.filter((n) => n !== "sqrt∘abs");
  arbs.push(fc.constantFrom(...unaryHere).map((n) => step(n, (c) => UNARY[n]!(c))));
  // With y itself (same shape as the input) or with y's sum (a batched or unbatched scalar).
  if (shape.join() === inShape.join()) arbs.push(fc.constantFrom(...binary).map((n) => step(`${n}(c, y)`, (c, y) => BINARY[n]!(c, y))));
  arbs.push(fc.constantFrom(...binary).map((n) => step(`${n}(c, tanh(sum(y)))`, (c, y) => BINARY[n]!(c, np.tanh(np.sum(y))), [...shape], false)));
  // With a captured constant, full shape or with size-1 axes, or of lower rank (numpy broadcasting).
  arbs.push(
    fc
      .tuple(fc.constantFrom(...binary), fc.array(fc.boolean(), { minLength: r, maxLength: r }), fc.nat(r), fc.nat(1000), fc.boolean())
      .map(([n, ones, drop, seed, swap]) => {
        const cs = shape.slice(drop).map((d, i) => (ones[i + drop] ? 1 : d));
        return step(`${n}(${swap ? `const[${cs}], c` : `c, const[${cs}]`})`, (c) => {
          const k = constant(cs, seed, dtype);
          return swap ? BINARY[n]!(k, c) : BINARY[n]!(c, k);
        });
      }),
  );
  if (!smooth && exact) {
    arbs.push(fc.nat(1000).map((seed) => step("where(c > const, c, c/2)", (c) => np.where(np.greater(c, constant(shape, seed, dtype)), c, c.mul(0.5)))));
  }
  // Reductions over some axes, with and without keepdims.
  if (r > 0) {
    const reducers = smooth ? ["sum", "mean"] : ["sum", "mean", "max", "min", "prod"];
    arbs.push(
      fc
        .tuple(fc.constantFrom(...reducers), axesArb(r), fc.boolean())
        // max/min over a zero-size axis have no identity; mean there is 0/0, whose
        // forward tangent is NaN while its cotangent vanishes into the empty axis
        // (JAX's jacfwd and jacrev disagree there too).
        .filter(([n, axes]) => n === "sum" || n === "prod" || axes.every((a) => shape[a]! > 0))
        .map(([n, axes, keepdims]) => {
          const out = keepdims ? shape.map((d, i) => (axes.includes(i) ? 1 : d)) : shape.filter((_, i) => !axes.includes(i));
          const o = { keepdims };
          const apply = (c: NdArray): NdArray => {
            if (n === "sum") return np.sum(c, axes, o);
            if (n === "mean") return np.mean(c, axes, o);
            if (n === "prod") return np.prod(np.tanh(c), axes, o);
            return n === "max" ? np.max(c, axes, o) : np.min(c, axes, o);
          };
          return step(`${n}(axes=${axes}, keepdims=${keepdims})`, apply, out, n === "max" || n === "min");
        }),
    );
  }
  if (r >= 2) arbs.push(permutationArb(r).map((perm) => step(`transpose(${perm})`, (c) => np.transpose(c, perm), perm.map((p) => shape[p]!))));
  arbs.push(reshapeTargetArb(size).filter((s) => s.length <= 3).map((s) => step(`reshape(${s})`, (c) => np.reshape(c, s), s)));
  if (r >= 1) {
    arbs.push(
      fc.tuple(fc.integer({ min: 1, max: 3 }), fc.nat(1000)).map(([k, seed]) => {
        const out = r === 1 ? [k] : [...shape.slice(0, -1), k];
        return step(`matmul(c, const[${shape[r - 1]},${k}])`, (c) => np.matmul(c, constant([shape[r - 1]!, k], seed, dtype)), out, false);
      }),
    );
    arbs.push(
      fc.tuple(fc.integer({ min: 1, max: 3 }), fc.nat(1000)).map(([k, seed]) => {
        const out = r === 1 ? [k] : [...shape.slice(0, -2), k, shape[r - 1]!];
        return step(`matmul(const[${k},${shape[r - 2] ?? shape[0]}], c)`, (c) => np.matmul(constant([k, r === 1 ? shape[0]! : shape[r - 2]!], seed, dtype), c), out, false);
      }),
    );
    arbs.push(
      fc.tuple(...shape.map((d) => fc.tuple(fc.integer({ min: 0, max: d }), fc.integer({ min: 0, max: d }), fc.integer({ min: 1, max: 2 })))).map((spec) => {
        const start = spec.map(([a, b]) => Math.min(a, b));
        const limit = spec.map(([a, b]) => Math.max(a, b));
        const strides = spec.map(([, , s]) => s);
        const out = start.map((s, i) => Math.ceil((limit[i]! - s) / strides[i]!));
        return step(`slice(${start}:${limit}:${strides})`, (c) => lax.slice(c, start, limit, strides), out);
      }),
    );
    if (2 * size <= maxSize) {
      arbs.push(
        fc.nat(r - 1).map((axis) =>
          step(`concatenate([c, sin(c)], ${axis})`, (c) => np.concatenate([c, np.sin(c)], axis), shape.map((d, i) => (i === axis ? 2 * d : d))),
        ),
      );
    }
    const nonEmpty = shape.flatMap((d, i) => (d > 0 ? [i] : []));
    if (!smooth && exact && nonEmpty.length) {
      arbs.push(
        fc.constantFrom(...nonEmpty).map((axis) =>
          step(`argmax(axis=${axis})`, (c) => np.argmax(c, axis).astype(dtype), shape.filter((_, i) => i !== axis)),
        ),
      );
    }
  }
  if (r <= 2 && 2 * size <= maxSize) {
    arbs.push(fc.constant(step("broadcast to [2, ...]", (c) => np.broadcastTo(np.expandDims(c, 0), [2, ...shape]), [2, ...shape])));
  }
  const other: DType = dtype === "float32" ? "float64" : "float32";
  // (Not in smooth programs: forward and reverse mode round at different places through float32.)
  if (!smooth) arbs.push(fc.constant(step(`astype(${other}).astype(${dtype})`, (c) => c.astype(other).astype(dtype))));
  return arbs;
}

function stepsArb(shape: number[], inShape: number[], dtype: DType, exact: boolean, depth: number, opts: ProgramOptions): fc.Arbitrary<Step[]> {
  if (depth === 0) return fc.constant([]);
  return fc
    .oneof(...stepArbs(shape, inShape, dtype, exact, opts))
    .chain((s) => stepsArb(s.out, inShape, dtype, s.exact, depth - 1, opts).map((rest) => [s, ...rest]));
}

/** A random program over an input of shape `inShape`. */
export function programArb(inShape: number[], dtype: DType, opts: ProgramOptions = {}): fc.Arbitrary<Program> {
  return fc
    .integer({ min: 1, max: opts.maxSteps ?? 5 })
    .chain((n) => stepsArb(inShape, inShape, dtype, true, n, opts))
    .map((steps) => ({
      dtype,
      inShape,
      steps,
      outShape: steps.length ? steps[steps.length - 1]!.out : inShape,
      run: (x: NdArray, y: NdArray) => steps.reduce((c, s) => s.apply(c, y), x),
      toString: () => `(x: ${dtype}[${inShape}], y) => ${steps.map((s) => s.name).join(" → ")}`,
    }));
}
