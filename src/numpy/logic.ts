/**
 * Predicates and logic: isnan/isinf/isfinite, the logical ops (non-bool inputs are
 * tested against 0, as jnp does), all/any, and the closeness and equality tests.
 * Every result is bool.
 */
import { ArgumentError, DTypeError, broadcastShapes, shapeEqual } from "../core/index.js";
import type { Array } from "../trace/array.js";
import {
  type ArrayLike,
  type AxisOrOptions,
  type ReduceOptions,
  abs,
  add,
  asArray,
  binary,
  broadcastTo,
  div,
  equal,
  less,
  lessEqual,
  mul,
  notEqual,
  promote,
  scalar,
  sub,
  where,
} from "../trace/array-ops.js";
import { Prim } from "../trace/prim.js";
import { bind1 } from "../trace/trace.js";
import { checkBroadcast, checkOptions, isFloatArray, keepDims, reduceMaxRaw, reduceMinRaw, reducedAxes, splitReduceArgs } from "./internal.js";
import { tidy } from "../trace/memory.js";

const full = (x: Array, value: boolean): Array => broadcastTo(scalar(value, "bool"), x.shape);

/** True where x is NaN (never for integers and bools). */
export function isnan(x: ArrayLike): Array {
  const a = asArray(x, "isnan");
  return isFloatArray(a) ? notEqual(a, a) : full(a, false);
}

/** True where x is +inf or -inf. */
export function isinf(x: ArrayLike): Array {
  return tidy<Array>(() => {
    const a = asArray(x, "isinf");
    return isFloatArray(a) ? equal(abs(a), Infinity) : full(a, false);
  });
}

/** True where x is +inf. */
export function isposinf(x: ArrayLike): Array {
  const a = asArray(x, "isposinf");
  return isFloatArray(a) ? equal(a, Infinity) : full(a, false);
}

/** True where x is -inf. */
export function isneginf(x: ArrayLike): Array {
  const a = asArray(x, "isneginf");
  return isFloatArray(a) ? equal(a, -Infinity) : full(a, false);
}

/** True where x is neither infinite nor NaN (the is_finite primitive). */
export function isfinite(x: ArrayLike): Array {
  const a = asArray(x, "isfinite");
  return isFloatArray(a) ? bind1(Prim.IsFinite, [a], {}) : full(a, true);
}

/** x < 0 or x is -0 (a NaN's sign bit is not visible without a bitcast; NaN gives false). */
export function signbitNoNan(x: Array): Array {
  return tidy<Array>(() => {
    if (!isFloatArray(x)) return x.dtype === "int32" ? less(x, 0) : full(x, false);
    return logicalOr(less(x, 0), logicalAnd(equal(x, 0), less(div(1, x), 0)));
  });
}

const toBool = (x: ArrayLike, op: string): Array => {
  const a = asArray(x, op);
  return a.dtype === "bool" ? a : notEqual(a, 0);
};

/** Elementwise AND of truth values (non-bool inputs: x != 0): the and primitive on bool. */
export const logicalAnd = (x: ArrayLike, y: ArrayLike): Array => logical(Prim.And, "logical_and", x, y);
/** Elementwise OR of truth values (non-bool inputs: x != 0): the or primitive on bool. */
export const logicalOr = (x: ArrayLike, y: ArrayLike): Array => logical(Prim.Or, "logical_or", x, y);
/** Elementwise XOR of truth values (non-bool inputs: x != 0): the xor primitive on bool. */
export const logicalXor = (x: ArrayLike, y: ArrayLike): Array => logical(Prim.Xor, "logical_xor", x, y);

function logical(prim: Prim.And | Prim.Or | Prim.Xor, op: string, x: ArrayLike, y: ArrayLike): Array {
  return tidy<Array>(() => {
    checkBroadcast(op, x, y);
    return binary(prim, op, toBool(x, op), toBool(y, op));
  });
}
/** Elementwise NOT of truth values (non-bool inputs: x == 0): the not primitive on bool. */
export function logicalNot(x: ArrayLike): Array {
  const a = asArray(x, "logical_not");
  return a.dtype === "bool" ? bind1(Prim.Not, [a], {}) : equal(a, 0);
}

// --- logical reductions ----------------------------------------------------------------

function boolReduce(op: string, max: boolean, x: ArrayLike, axisOrOpts?: AxisOrOptions, options?: ReduceOptions): Array {
  return tidy<Array>(() => {
    const { axis, opts } = splitReduceArgs<ReduceOptions>(op, axisOrOpts, options, ["keepdims"]);
    const a = toBool(x, op);
    const axes = reducedAxes(axis, a.shape, op);
    const out = max ? reduceMaxRaw(a, axes) : reduceMinRaw(a, axes);
    return opts.keepdims ? keepDims(out, a.shape, axes) : out;
  });
}

/** Whether every element (along `axis`) is true; true for empty axes. */
export const all = (x: ArrayLike, axis?: AxisOrOptions, opts?: ReduceOptions): Array => boolReduce("all", false, x, axis, opts);
/** Whether any element (along `axis`) is true; false for empty axes. */
export const any = (x: ArrayLike, axis?: AxisOrOptions, opts?: ReduceOptions): Array => boolReduce("any", true, x, axis, opts);

// --- closeness and equality ---------------------------------------------------------------

export interface IsCloseOptions {
  /** Relative tolerance (default 1e-5). */
  readonly rtol?: number;
  /** Absolute tolerance (default 1e-8). */
  readonly atol?: number;
  /** Whether NaN equals NaN (default false). */
  readonly equalNan?: boolean;
}

/**
 * |a - b| <= atol + rtol·|b| elementwise; infinities are close only to the same
 * infinity, NaN to nothing (unless `equalNan`). Integer inputs compare exactly.
 */
export function isclose(a: ArrayLike, b: ArrayLike, opts: IsCloseOptions = {}): Array {
  return tidy<Array>(() => {
    checkOptions("isclose", opts, ["rtol", "atol", "equalNan"]);
    checkBroadcast("isclose", a, b);
    const [x, y] = promote("isclose", a, b) as [Array, Array];
    if (!isFloatArray(x)) return equal(x, y);
    const rtol = opts.rtol ?? 1e-5;
    const atol = opts.atol ?? 1e-8;
    const near = lessEqual(abs(sub(x, y)), add(mul(abs(y), rtol), atol));
    let out = logicalOr(logicalAnd(near, logicalAnd(isfinite(x), isfinite(y))), logicalAnd(isinf(x), equal(x, y)));
    if (opts.equalNan) out = logicalOr(out, logicalAnd(isnan(x), isnan(y)));
    return out;
  });
}

/** Whether every element pair is close (see isclose); a 0-d bool array. */
export const allclose = (a: ArrayLike, b: ArrayLike, opts: IsCloseOptions = {}): Array => tidy<Array>(() => all(isclose(a, b, opts)));

/** True when the arrays have the same shape and elements (NaN equal to NaN only with `equalNan`). */
export function arrayEqual(a1: ArrayLike, a2: ArrayLike, opts: { readonly equalNan?: boolean } = {}): Array {
  return tidy<Array>(() => {
    checkOptions("arrayEqual", opts, ["equalNan"]);
    const a = asArray(a1, "arrayEqual");
    const b = asArray(a2, "arrayEqual");
    if (!shapeEqual(a.shape, b.shape)) return scalar(false, "bool");
    let eq = equal(a, b);
    if (opts.equalNan) eq = logicalOr(eq, logicalAnd(isnan(a), isnan(b)));
    return all(eq);
  });
}

/** True when the arrays broadcast together and are equal elementwise. */
export function arrayEquiv(a1: ArrayLike, a2: ArrayLike): Array {
  return tidy<Array>(() => {
    const a = asArray(a1, "arrayEquiv");
    const b = asArray(a2, "arrayEquiv");
    try {
      broadcastShapes("arrayEquiv", a.shape, b.shape);
    } catch {
      return scalar(false, "bool");
    }
    return all(equal(a, b));
  });
}

/**
 * Picks, elementwise, from the first choice whose condition holds, else `default`
 * (jnp.select); conditions and choices broadcast together.
 */
export function select(condlist: readonly ArrayLike[], choicelist: readonly ArrayLike[], defaultValue: ArrayLike = 0): Array {
  return tidy<Array>(() => {
    if (condlist.length !== choicelist.length) {
      throw new ArgumentError(`select: got ${condlist.length} conditions but ${choicelist.length} choices; pass one choice per condition.`);
    }
    if (condlist.length === 0) throw new ArgumentError("select: needs at least one condition and choice.");
    const conds = condlist.map((c) => asArray(c, "select"));
    for (const c of conds) {
      if (c.dtype !== "bool") throw new DTypeError(`select: conditions must be bool arrays, got ${c.aval.strShort()}; compare first (e.g. x.gt(0)).`);
    }
    checkBroadcast("select", ...conds, ...choicelist, defaultValue);
    let out = asArray(defaultValue, "select");
    for (let i = conds.length - 1; i >= 0; i--) out = where(conds[i]!, choicelist[i]!, out);
    return out;
  });
}

/** Whether each element of `element` occurs in `testElements` (compared with ==); `invert` negates. */
export function isin(element: ArrayLike, testElements: ArrayLike, opts: { readonly invert?: boolean } = {}): Array {
  return tidy<Array>(() => {
    checkOptions("isin", opts, ["invert"]);
    const [e, t] = promote("isin", element, testElements) as [Array, Array];
    const flat = t.reshape([-1]);
    const hit = any(equal(e.expandDims(-1), flat), -1);
    return opts.invert ? logicalNot(hit) : hit;
  });
}
