/**
 * Backend parity: run one function on arrays placed on the WASM backend and on the
 * interpreter backend (the oracle), read both results, compare them.
 *
 * Comparisons (each names its tolerance):
 * - `exact`: same dtype, shape and values; floats bit-for-bit up to NaN payload
 *   (NaN equals NaN, and -0 differs from +0). For ints, bools, comparisons, movement
 *   ops, casts, and IEEE's correctly rounded float ops (+ - * / sqrt neg abs max min).
 * - `ulps(n)`: floats within n units in the last place of the dtype, or within the
 *   smallest normal of each other (so flushing or rounding in the subnormal range is
 *   tolerated); NaN and ±Infinity must match. For transcendentals.
 * - `bounded(b)`: |wasm - interp| <= b[i] per element (NaN and ±Infinity must
 *   match). For sums and dot products, whose rounding depends on summation order.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type DType, ShapedArray, type TypedArray, isFloat } from "../../src/core/index.js";
import "../../src/backends/index.js";
import { getBackend, setDefaultBackend } from "../../src/trace/backend.js";
import { ConcreteArray, concreteFromValues } from "../../src/trace/concrete.js";
import type { Array as NdArray } from "../../src/trace/array.js";
import type { Prim } from "../../src/trace/prim.js";
import { tidy } from "../../src/trace/memory.js";
import { type HostArray, showHost } from "./arbitraries.js";

export const WASM = "wasm";
export const INTERP = "interpreter";

/** The same host data as a concrete array on the named backend (no kernel runs). */
export function place(h: HostArray, backend: string, weakType = false): NdArray {
  return concreteFromValues(h.values, new ShapedArray(h.shape, h.dtype, weakType), getBackend(backend));
}

/** The same data on both backends: `[wasm, interpreter]`. */
export function onBoth(h: HostArray, weakType = false): [NdArray, NdArray] {
  return [place(h, WASM, weakType), place(h, INTERP, weakType)];
}

export interface Result {
  readonly backend: string;
  readonly dtype: DType;
  readonly shape: readonly number[];
  readonly weakType: boolean;
  readonly values: TypedArray;
}

/**
 * Runs `f` on `inputs` placed on `backend` (also made the default backend, so
 * host constants and input-less primitives such as iota run there too), reads the
 * result, and frees every array made. Fails if the result lives on another backend,
 * unless `allowConstant` and it is a host constant (a value f never computed, such
 * as isnan of an integer scalar: false).
 */
export function runOn(backend: string, inputs: readonly HostArray[], f: (...xs: NdArray[]) => NdArray, allowConstant = false): Result {
  const prev = setDefaultBackend(backend);
  try {
    return tidy(() => {
      const y = f(...inputs.map((h) => place(h, backend)));
      const where = y instanceof ConcreteArray ? (y.backend?.name ?? "host") : "not concrete";
      if (where !== backend && !(where === "host" && (inputs.length === 0 || allowConstant))) {
        throw new Error(`parity: the result was computed on ${where}, not on ${backend}; the test is not exercising ${backend}.`);
      }
      return { backend, dtype: y.dtype, shape: [...y.shape], weakType: y.weakType, values: y.dataSync() };
    });
  } finally {
    if (prev !== null) setDefaultBackend(prev);
  }
}

// --- comparison -----------------------------------------------------------------------

export type Comparison =
  | { readonly kind: "exact" }
  | { readonly kind: "ulps"; readonly ulps: number }
  | { readonly kind: "bounded"; readonly bound: ArrayLike<number> };

export const exact: Comparison = { kind: "exact" };
export const ulps = (n: number): Comparison => ({ kind: "ulps", ulps: n });
export const bounded = (bound: ArrayLike<number>): Comparison => ({ kind: "bounded", bound });

/** Unit roundoff (half an ulp of 1) of a float dtype. */
export const unitRoundoff = (d: DType): number => (d === "float64" ? 2 ** -53 : 2 ** -24);
const SMALLEST_NORMAL: Partial<Record<DType, number>> = { float32: 2 ** -126, float64: 2 ** -1022 };

const f32 = new Float32Array(1);
const i32 = new Int32Array(f32.buffer);
const f64 = new Float64Array(1);
const i64 = new BigInt64Array(f64.buffer);

/** A monotone integer key: adjacent floats of the dtype differ by 1 (+0 and -0 share 0). */
function orderedKey(x: number, dtype: DType): bigint {
  if (dtype === "float32") {
    f32[0] = x;
    const b = i32[0]!;
    return BigInt(b >= 0 ? b : -(b & 0x7fffffff));
  }
  f64[0] = x;
  const b = i64[0]!;
  return b >= 0n ? b : -(b & 0x7fffffffffffffffn);
}

export function ulpDistance(x: number, y: number, dtype: DType): number {
  const d = orderedKey(x, dtype) - orderedKey(y, dtype);
  return Number(d < 0n ? -d : d);
}

const sameBits = (x: number, y: number): boolean => (Number.isNaN(x) && Number.isNaN(y)) || Object.is(x, y);

function agrees(cmp: Comparison, dtype: DType, x: number, y: number, i: number): boolean {
  if (cmp.kind === "exact" || !isFloat(dtype)) return sameBits(x, y);
  if (Number.isNaN(x) || Number.isNaN(y) || !Number.isFinite(x) || !Number.isFinite(y)) return sameBits(x, y);
  if (cmp.kind === "bounded") return Math.abs(x - y) <= cmp.bound[i]!;
  return ulpDistance(x, y, dtype) <= cmp.ulps || Math.abs(x - y) <= SMALLEST_NORMAL[dtype]!;
}

const fmt = (v: number): string => (Object.is(v, -0) ? "-0" : String(v));

/** Asserts the WASM result equals the interpreter's under `cmp`; the message shows inputs and both outputs. */
export function expectAgree(label: string, inputs: readonly HostArray[], w: Result, o: Result, cmp: Comparison): void {
  const context = (): string =>
    `${label}\n  inputs: ${inputs.map(showHost).join("\n          ") || "(none)"}\n` +
    `  wasm:        ${w.dtype}[${w.shape.join(",")}] [${Array.from(w.values, fmt).join(", ")}]\n` +
    `  interpreter: ${o.dtype}[${o.shape.join(",")}] [${Array.from(o.values, fmt).join(", ")}]`;
  expect(w.dtype, `dtype differs: ${context()}`).toBe(o.dtype);
  expect(w.shape, `shape differs: ${context()}`).toEqual(o.shape);
  expect(w.weakType, `weak type differs: ${context()}`).toBe(o.weakType);
  expect(w.values.length, `length differs: ${context()}`).toBe(o.values.length);
  for (let i = 0; i < o.values.length; i++) {
    if (!agrees(cmp, o.dtype, w.values[i]!, o.values[i]!, i)) {
      const extra =
        cmp.kind === "ulps" && isFloat(o.dtype) ? ` (${ulpDistance(w.values[i]!, o.values[i]!, o.dtype)} ulps; allowed ${cmp.ulps})` :
        cmp.kind === "bounded" ? ` (|diff| ${Math.abs(w.values[i]! - o.values[i]!)}; allowed ${cmp.bound[i]})` : "";
      throw new Error(
        `backends disagree at flat index ${i}: wasm ${fmt(w.values[i]!)} vs interpreter ${fmt(o.values[i]!)}${extra}\n${context()}`,
      );
    }
  }
}

/**
 * Runs `f` on both backends and compares. `cmp` may depend on the interpreter's
 * result (e.g. a summation bound computed from the inputs).
 */
export function checkParity(
  label: string,
  inputs: readonly HostArray[],
  f: (...xs: NdArray[]) => NdArray,
  cmp: Comparison | ((oracle: Result) => Comparison) = exact,
): void {
  const o = runOn(INTERP, inputs, f);
  const w = runOn(WASM, inputs, f);
  expectAgree(label, inputs, w, o, typeof cmp === "function" ? cmp(o) : cmp);
}

/** The value of `f` on the interpreter alone (for tolerance bounds). */
export const oracle = (inputs: readonly HostArray[], f: (...xs: NdArray[]) => NdArray): Result => runOn(INTERP, inputs, f);

// --- per-primitive cases ------------------------------------------------------------------

/** The parity property of one primitive, instantiated once per operand dtype it accepts. */
export interface ParityCase {
  /** Every dtype abstract evaluation accepts for the (first data) operand; checked by coverage.test.ts. */
  readonly dtypes: readonly DType[];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly property: (dtype: DType) => fc.IRawProperty<any>;
  readonly numRuns?: number;
}

export type CaseTable<P extends Prim> = { readonly [K in P]: ParityCase };

/**
 * Default runs per (primitive, dtype); small shapes keep each run around a millisecond.
 * `PARITY_RUNS=1000 npx vitest run test/primitives` searches harder (every property scales).
 */
export const NUM_RUNS = Number(process.env.PARITY_RUNS ?? 50);
const SCALE = NUM_RUNS / 50;

/** One `it` per (primitive, dtype), each a fast-check property. */
export function runCases(table: Partial<Record<Prim, ParityCase>>): void {
  for (const [prim, c] of Object.entries(table) as [Prim, ParityCase][]) {
    describe(prim, () => {
      for (const dtype of c.dtypes) {
        it(`${prim} on ${dtype}: wasm equals interpreter`, () => {
          fc.assert(c.property(dtype), { numRuns: Math.round((c.numRuns ?? 50) * SCALE) });
        });
      }
    });
  }
}
