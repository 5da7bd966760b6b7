/**
 * Parity cases for stop_gradient (identity on values) and the higher-order
 * primitives, which no backend implements with a kernel: eagerly they evaluate the
 * jaxpr in their params, binding its equations on the backend of their operands.
 * Their property runs a small traced program (with a captured constant) through
 * the primitive on each backend. custom_lin exists only between linearize and
 * transpose; evaluating it must raise the same error on both backends.
 */
import fc from "fast-check";
import { type DType, type ShapedArray } from "../../src/core/index.js";
import * as np from "../../src/numpy/index.js";
import type { Array as NdArray } from "../../src/trace/array.js";
import type { ClosedJaxpr } from "../../src/trace/jaxpr.js";
import { Prim, type PrimParams } from "../../src/trace/prim.js";
import { makeJaxpr } from "../../src/trace/staging.js";
import { bind, bind1 } from "../../src/trace/trace.js";
import { ALL_DTYPES, type HostArray, arrayArb } from "./arbitraries.js";
import { type CaseTable, INTERP, WASM, checkParity, runOn } from "./parity.js";

type HigherOrder = Prim.CustomJvpCall | Prim.CustomVjpCall | Prim.Checkpoint | Prim.CustomLin;

const never = (what: string) => (): never => {
  throw new Error(`parity: ${what} must not run during eager evaluation.`);
};

/** Params applying `cj` for each higher-order primitive (rules that eager evaluation never calls). */
export function higherOrderParams(prim: HigherOrder, cj: ClosedJaxpr, outAvals: readonly ShapedArray[]): PrimParams<HigherOrder> {
  switch (prim) {
    case Prim.Checkpoint:
      return { jaxpr: cj, preventCse: true, differentiated: false, policy: null };
    case Prim.CustomJvpCall:
      return { name: "parity", callJaxpr: cj, jvp: never("the custom jvp rule"), numConsts: 0, symbolicZeros: false };
    case Prim.CustomVjpCall:
      return { name: "parity", callJaxpr: cj, fwd: never("fwd"), bwd: never("bwd"), numConsts: 0, symbolicZeros: false };
    case Prim.CustomLin:
      return { numRes: 0, bwd: never("bwd"), outAvals, symbolicZeros: false };
  }
}

/** Programs valid for every dtype, exact on every backend, each capturing a constant. */
const PROGRAMS: Record<string, (x: NdArray) => NdArray> = {
  "maximum(transpose(x), c)": (x) => np.maximum(x.T, np.array(1, { dtype: x.dtype })),
  "reshape(where(x != c, x, c), -1)": (x) => {
    const c = np.array(0, { dtype: x.dtype });
    return np.where(x.ne(c), x, c).reshape([-1]);
  },
  "x > c, then where picks between x and its transpose-of-transpose": (x) =>
    np.where(x.gt(np.array(0, { dtype: x.dtype })), x, x.T.T),
};

function throughPrimitive(prim: HigherOrder, program: (x: NdArray) => NdArray) {
  return (x: NdArray): NdArray => {
    const cj = makeJaxpr(program)(x);
    return bind(prim, [x], higherOrderParams(prim, cj, cj.outAvals))[0]!;
  };
}

function callCase(prim: Exclude<HigherOrder, Prim.CustomLin>) {
  return {
    dtypes: ALL_DTYPES,
    property: (dtype: DType) =>
      fc.property(arrayArb(dtype), fc.constantFrom(...Object.keys(PROGRAMS)), (x, name) =>
        checkParity(`${prim} of ${name}`, [x], throughPrimitive(prim, PROGRAMS[name]!)),
      ),
  };
}

/** The error each backend raises, or null. */
function errorOn(backend: string, x: HostArray, f: (x: NdArray) => NdArray): string | null {
  try {
    runOn(backend, [x], (a) => f(a!));
    return null;
  } catch (e) {
    return `${(e as Error).constructor.name}: ${(e as Error).message}`;
  }
}

export const higherOrderCases: CaseTable<HigherOrder | Prim.StopGradient> = {
  [Prim.StopGradient]: {
    dtypes: ALL_DTYPES,
    property: (dtype) =>
      fc.property(arrayArb(dtype), (x) => checkParity("stop_gradient", [x], (a) => bind1(Prim.StopGradient, [a!], {}))),
  },
  [Prim.Checkpoint]: callCase(Prim.Checkpoint),
  [Prim.CustomJvpCall]: callCase(Prim.CustomJvpCall),
  [Prim.CustomVjpCall]: callCase(Prim.CustomVjpCall),
  [Prim.CustomLin]: {
    dtypes: ALL_DTYPES,
    numRuns: 10,
    property: (dtype) =>
      fc.property(arrayArb(dtype), (x) => {
        const f = throughPrimitive(Prim.CustomLin, (a) => a.reshape([-1]));
        const [w, o] = [errorOn(WASM, x, f), errorOn(INTERP, x, f)];
        if (o === null || w !== o) throw new Error(`custom_lin: expected the same error on both backends, got\n  wasm: ${w}\n  interpreter: ${o}`);
      }),
  },
};
