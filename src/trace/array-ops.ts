/**
 * The numpy-level semantics behind Array methods and the `np.*` functions: JS
 * numbers become weakly typed constants, operands are promoted along JAX's lattice
 * and broadcast with broadcast_in_dim, then the lax-level primitive is bound. The
 * numpy layer re-exports these; nothing here knows which trace is current.
 */
import {
  ArgumentError,
  type DType,
  DTypeError,
  ShapedArray,
  ShapeError,
  broadcastShapes,
  castScalar,
  checkStatic,
  checkStaticSizes,
  fmtShape,
  isFloat,
  normalizeAxes,
  normalizeAxis,
  parseDType,
  promoteTypes,
  scalarType,
  shapeEqual,
  shapeSize,
} from "../core/index.js";
import { Array } from "./array.js";
import { Prim, type BinaryPrim, type ComparePrim, type UnaryPrim } from "./prim.js";
import { tidy } from "./memory.js";
import { bind1, rootTrace } from "./trace.js";

/** What operations accept where an array is expected: an Array or a JS scalar. */
export type ArrayLike = Array | number | boolean;
export type AxisArg = number | readonly number[] | null;
/** Reductions take an axis, or JAX-style options `{ axis, keepdims }`. */
export type AxisOrOptions = AxisArg | ReduceOptions;
export interface ReduceOptions {
  readonly axis?: AxisArg;
  readonly keepdims?: boolean;
}

/** A constant scalar of the given type. */
export function scalar(value: number | boolean, dtype: DType, weakType = false): Array {
  return rootTrace().constant([castScalar(value, dtype)], new ShapedArray([], dtype, weakType));
}

export function asArray(x: ArrayLike, op: string): Array {
  if (x instanceof Array) return x;
  if (typeof x === "number" || typeof x === "boolean") {
    const t = scalarType(x);
    return scalar(x, t.dtype, t.weakType);
  }
  throw new ArgumentError(
    `${op}: expected an Array or a number, got ${x === null ? "null" : typeof x}; wrap data with np.array(...).`,
  );
}

function typeOf(x: ArrayLike): { dtype: DType; weakType: boolean } {
  return x instanceof Array ? { dtype: x.dtype, weakType: x.weakType } : scalarType(x);
}

/** convert_element_type, skipped when nothing changes (as JAX's _convert_element_type does). */
export function convert(x: Array, dtype: DType, weakType = false): Array {
  if (x.dtype === dtype && x.weakType === weakType) return x;
  return bind1(Prim.ConvertElementType, [x], { newDtype: dtype, weakType, sharding: null });
}

export function astype(x: Array, dtype: DType | string): Array {
  return convert(x, parseDType(dtype, "astype"));
}

/** Promotes operands to their common type (JAX's `promote_dtypes`). */
export function promote(op: string, ...xs: ArrayLike[]): Array[] {
  const { dtype, weakType } = promoteTypes(...xs.map(typeOf));
  return xs.map((x) => (x instanceof Array ? convert(x, dtype, weakType) : scalar(x, dtype, weakType)));
}

/** Broadcasts `x` to `shape` with broadcast_in_dim (numpy rules: align trailing axes). */
export function broadcastTo(xl: ArrayLike, shape: readonly number[]): Array {
  const x = asArray(xl, "broadcastTo");
  checkStaticSizes(shape, "broadcastTo");
  if (shapeEqual(x.shape, shape)) return x;
  const out = broadcastShapes("broadcastTo", x.shape, shape);
  if (!shapeEqual(out, shape)) {
    throw new ShapeError(
      `broadcastTo: cannot broadcast ${x.aval.strShort()} to shape ${fmtShape(shape)}; ` +
        `each axis of the input must be 1 or equal the target axis it aligns with (from the right).`,
    );
  }
  const lead = shape.length - x.ndim;
  return bind1(Prim.BroadcastInDim, [x], {
    shape: [...shape],
    broadcastDimensions: x.shape.map((_, i) => i + lead),
    sharding: null,
  });
}

/**
 * jnp's _promote_shapes: checks that operands broadcast, then only raises ranks
 * (leading size-1 axes); lax's elementwise rules broadcast size-1 axes and scalars.
 */
function broadcastAll(op: string, xs: Array[]): Array[] {
  const rank = broadcastShapes(op, ...xs.map((x) => x.shape)).length;
  return xs.map((x) =>
    x.ndim === 0 || x.ndim === rank
      ? x
      : bind1(Prim.BroadcastInDim, [x], {
          shape: [...new globalThis.Array<number>(rank - x.ndim).fill(1), ...x.shape],
          broadcastDimensions: x.shape.map((_, i) => i + rank - x.ndim),
          sharding: null,
        }),
  );
}

/**
 * The operands of a binary op in the common cases that need no new backend array, or
 * null: two arrays of one type and shape (promote and broadcastAll would return them
 * as they are), or a strongly typed float array and a JS number (the lattice joins
 * them at the array's type, as promote would; the number becomes a rank-0 host
 * constant, which broadcastAll would leave as it is, as it would the other operand).
 */
function directOperands(x: ArrayLike, y: ArrayLike): Array[] | null {
  if (!(x instanceof Array) || !(y instanceof Array)) {
    if (x instanceof Array && typeof y === "number" && !x.weakType && isFloat(x.dtype)) return [x, scalar(y, x.dtype)];
    if (y instanceof Array && typeof x === "number" && !y.weakType && isFloat(y.dtype)) return [scalar(x, y.dtype), y];
    return null;
  }
  const a = x.aval;
  const b = y.aval;
  if (a.dtype === b.dtype && a.weakType === b.weakType && (a.shape === b.shape || shapeEqual(a.shape, b.shape))) return [x, y];
  return null;
}

/** The two operands of a binary op, promoted and broadcast (ranks raised). */
function binaryOperands(op: string, x: ArrayLike, y: ArrayLike): Array[] {
  if (!(x instanceof Array) || !(y instanceof Array)) return promote(op, x, y); // rank-0 scalars need no broadcast
  return broadcastAll(op, promote(op, x, y));
}

/**
 * A lax binary op after numpy promotion and broadcasting. The direct path is one bind;
 * the others run in a tidy scope, which frees the casts and broadcasts they make.
 */
export function binary(prim: BinaryPrim | ComparePrim, op: string, x: ArrayLike, y: ArrayLike): Array {
  const direct = directOperands(x, y);
  if (direct) return bind1(prim, direct, {});
  return tidy(() => bind1(prim, binaryOperands(op, x, y), {}));
}

/** Promotes integers and bools to float (JAX's promote_to_inexact), for float-only ops. */
function toInexact(x: ArrayLike, op: string): Array {
  const a = asArray(x, op);
  return isFloat(a.dtype) ? a : convert(a, "float32", a.weakType);
}

function noBool(op: string, xs: readonly Array[]): void {
  for (const x of xs) {
    if (x.dtype === "bool") {
      throw new DTypeError(`${op}: got a bool operand ${x.aval.strShort()}; cast it first with .astype('int32') or .astype('float32').`);
    }
  }
}

const arith =
  (prim: BinaryPrim, op: string) =>
  (x: ArrayLike, y: ArrayLike): Array => {
    const direct = directOperands(x, y);
    if (direct) {
      noBool(op, direct);
      return bind1(prim, direct, {});
    }
    return tidy(() => {
      const operands = binaryOperands(op, x, y);
      noBool(op, operands);
      return bind1(prim, operands, {});
    });
  };

export const add = arith(Prim.Add, "add");
export const sub = arith(Prim.Sub, "subtract");
export const mul = arith(Prim.Mul, "multiply");
export const maximum = (x: ArrayLike, y: ArrayLike): Array => binary(Prim.Max, "maximum", x, y);
export const minimum = (x: ArrayLike, y: ArrayLike): Array => binary(Prim.Min, "minimum", x, y);

/** True division, as numpy's `/`: integers are promoted to float first. */
export function div(x: ArrayLike, y: ArrayLike): Array {
  const direct = directOperands(x, y);
  if (direct && isFloat(direct[0]!.dtype)) return bind1(Prim.Div, direct, {});
  return tidy(() => {
    const [a, b] = promote("divide", x, y);
    return divArith(toInexact(a!, "divide"), toInexact(b!, "divide"));
  });
}
const divArith = arith(Prim.Div, "divide");

/** numpy's `**`: an integer JS exponent uses integer_pow, as jnp.power does. */
export function pow(x: ArrayLike, y: ArrayLike): Array {
  if (typeof y === "number" && Number.isInteger(y) && x instanceof Array && Math.abs(y) <= 64) {
    if (y < 0 && !isFloat(x.dtype)) return tidy(() => pow(toInexact(x, "power"), y));
    return bind1(Prim.IntegerPow, [x], { y });
  }
  return tidy(() => {
    const [a, b] = promote("power", x, y);
    return powArith(toInexact(a!, "power"), toInexact(b!, "power"));
  });
}
const powArith = arith(Prim.Pow, "power");

export const square = (x: ArrayLike): Array => bind1(Prim.IntegerPow, [asArray(x, "square")], { y: 2 });

export const equal = (x: ArrayLike, y: ArrayLike): Array => binary(Prim.Eq, "equal", x, y);
export const notEqual = (x: ArrayLike, y: ArrayLike): Array => binary(Prim.Ne, "not_equal", x, y);
export const less = (x: ArrayLike, y: ArrayLike): Array => binary(Prim.Lt, "less", x, y);
export const lessEqual = (x: ArrayLike, y: ArrayLike): Array => binary(Prim.Le, "less_equal", x, y);
export const greater = (x: ArrayLike, y: ArrayLike): Array => binary(Prim.Gt, "greater", x, y);
export const greaterEqual = (x: ArrayLike, y: ArrayLike): Array => binary(Prim.Ge, "greater_equal", x, y);

const unaryNumeric =
  (prim: UnaryPrim, op: string) =>
  (x: ArrayLike): Array => {
    const a = asArray(x, op);
    noBool(op, [a]);
    return bind1(prim, [a], {});
  };
/** A float-only lax unary op, integers and bools promoted to float first. */
export const unaryFloat =
  (prim: UnaryPrim, op: string) =>
  (x: ArrayLike): Array => {
    const a = asArray(x, op);
    // An integer or bool input is cast first; the scope frees the cast.
    return isFloat(a.dtype) ? bind1(prim, [a], {}) : tidy(() => bind1(prim, [toInexact(a, op)], {}));
  };

export const neg = unaryNumeric(Prim.Neg, "negative");
export const abs = unaryNumeric(Prim.Abs, "abs");
export const sign = unaryNumeric(Prim.Sign, "sign");
export const exp = unaryFloat(Prim.Exp, "exp");
export const log = unaryFloat(Prim.Log, "log");
export const sin = unaryFloat(Prim.Sin, "sin");
export const cos = unaryFloat(Prim.Cos, "cos");
export const tanh = unaryFloat(Prim.Tanh, "tanh");
export const sqrt = unaryFloat(Prim.Sqrt, "sqrt");
export const sigmoid = unaryFloat(Prim.Logistic, "sigmoid");

/** `where(cond, x, y)`: x where cond is true, else y (select_n's cases are [false, true]). */
export function where(cond: ArrayLike, x: ArrayLike, y: ArrayLike): Array {
  // Direct path: a bool condition and two arrays of one type, all of one shape.
  if (cond instanceof Array && x instanceof Array && y instanceof Array && cond.dtype === "bool" &&
    x.dtype === y.dtype && x.weakType === y.weakType && shapeEqual(x.shape, y.shape) && shapeEqual(cond.shape, x.shape)) {
    return bind1(Prim.SelectN, [cond, y, x], {});
  }
  return tidy(() => {
    const c = asArray(cond, "where");
    const pred = c.dtype === "bool" ? c : notEqual(c, 0);
    const [a, b] = promote("where", x, y);
    const shape = broadcastShapes("where", pred.shape, a!.shape, b!.shape);
    const [p, t, f] = [pred, a!, b!].map((v) => broadcastTo(v, shape));
    return bind1(Prim.SelectN, [p!, f!, t!], {});
  });
}

// --- reductions -------------------------------------------------------------------

function keepDims(out: Array, inShape: readonly number[], axes: readonly number[]): Array {
  const shape = inShape.map((d, i) => (axes.includes(i) ? 1 : d));
  const kept = inShape.map((_, i) => i).filter((i) => !axes.includes(i));
  return bind1(Prim.BroadcastInDim, [out], { shape, broadcastDimensions: kept, sharding: null });
}

type ReduceP = Prim.ReduceSum | Prim.ReduceMax | Prim.ReduceMin | Prim.ReduceProd;

const REDUCE_OPTIONS = ["axis", "keepdims"];

/**
 * Accepts `f(x, axis, opts)` and `f(x, { axis, keepdims })`. An Array in the axis
 * position is an error (axes are static), not an options object, and so is an
 * unknown option.
 */
function splitAxis(op: string, a: AxisOrOptions | undefined, opts: ReduceOptions | undefined): [AxisArg | undefined, ReduceOptions | undefined] {
  if (a instanceof Array) checkStatic(a, op, "axis");
  const isOptions = a !== null && typeof a === "object" && !globalThis.Array.isArray(a);
  const o = isOptions ? (a as ReduceOptions) : opts;
  const unknown = Object.keys(o ?? {}).find((k) => !REDUCE_OPTIONS.includes(k));
  if (unknown !== undefined) throw new ArgumentError(`${op}: unknown option "${unknown}"; the options are: ${REDUCE_OPTIONS.join(", ")}.`);
  return isOptions ? [(a as ReduceOptions).axis, o] : [a as AxisArg | undefined, opts];
}

function reduction(prim: ReduceP, op: string, x: ArrayLike, axisOrOpts: AxisOrOptions | undefined, options?: ReduceOptions): Array {
  const [axis, opts] = splitAxis(op, axisOrOpts, options);
  const a = asArray(x, op);
  const cast = (prim === Prim.ReduceSum || prim === Prim.ReduceProd) && a.dtype === "bool";
  // A cast or keepdims makes a second array: then a scope frees the intermediate.
  return cast || opts?.keepdims ? tidy(() => reduceArray(prim, op, a, axis, opts, cast)) : reduceArray(prim, op, a, axis, opts, cast);
}

function reduceArray(prim: ReduceP, op: string, x: Array, axis: AxisArg | undefined, opts: ReduceOptions | undefined, cast: boolean): Array {
  const a = cast ? convert(x, "int32") : x;
  const axes = normalizeAxes(axis, a.shape, op);
  if ((prim === Prim.ReduceMax || prim === Prim.ReduceMin) && a.size === 0 && axes.some((i) => a.shape[i] === 0)) {
    throw new ShapeError(
      `${op}: zero-size array ${a.aval.strShort()} has no ${op} along axes (${axes.join(", ")}); ` +
        `reduce a non-empty axis or use a where/initial value.`,
    );
  }
  const out = bind1(prim, [a], { axes, outSharding: null });
  return opts?.keepdims ? keepDims(out, a.shape, axes) : out;
}

export const sum = (x: ArrayLike, axis?: AxisOrOptions, opts?: ReduceOptions): Array =>
  reduction(Prim.ReduceSum, "sum", x, axis, opts);
export const prod = (x: ArrayLike, axis?: AxisOrOptions, opts?: ReduceOptions): Array =>
  reduction(Prim.ReduceProd, "prod", x, axis, opts);
export const max = (x: ArrayLike, axis?: AxisOrOptions, opts?: ReduceOptions): Array =>
  reduction(Prim.ReduceMax, "max", x, axis, opts);
export const min = (x: ArrayLike, axis?: AxisOrOptions, opts?: ReduceOptions): Array =>
  reduction(Prim.ReduceMin, "min", x, axis, opts);

export function mean(x: ArrayLike, axisOrOpts?: AxisOrOptions, options?: ReduceOptions): Array {
  const [axis, opts] = splitAxis("mean", axisOrOpts, options);
  // tidy: the sum (and the cast of an integer input) are freed now, not left to the GC.
  return tidy(() => {
    const a = toInexact(x, "mean");
    const axes = normalizeAxes(axis, a.shape, "mean");
    const n = axes.reduce((k, i) => k * a.shape[i]!, 1);
    return div(sum(a, axes, opts), n);
  });
}

function argReduce(prim: Prim.Argmax | Prim.Argmin, op: string, x: ArrayLike, axisOrOpts?: number | ReduceOptions, options?: ReduceOptions): Array {
  const [axisArg, opts] = splitAxis(op, axisOrOpts, options);
  if (axisArg !== undefined && axisArg !== null && typeof axisArg !== "number") {
    throw new ArgumentError(`${op}: axis must be a single integer or null, got ${JSON.stringify(axisArg)}.`);
  }
  const axis = axisArg;
  const a = asArray(x, op);
  // Flattening or keepdims makes a second array: then a scope frees the intermediate.
  const direct = axis !== undefined && axis !== null && !opts?.keepdims;
  return direct ? argReduceArray(prim, op, a, axis, opts) : tidy(() => argReduceArray(prim, op, a, axis, opts));
}

function argReduceArray(prim: Prim.Argmax | Prim.Argmin, op: string, x: Array, axis: number | null | undefined, opts: ReduceOptions | undefined): Array {
  let a = x;
  let ax: number;
  if (axis === undefined || axis === null) {
    a = reshape(a, [-1]);
    ax = 0;
  } else ax = normalizeAxis(axis, a.shape, op);
  const out = bind1(prim, [a], { axes: [ax], indexDtype: "int32" });
  if (!opts?.keepdims) return out;
  return axis === undefined || axis === null
    ? reshape(out, x.shape.map(() => 1))
    : keepDims(out, a.shape, [ax]);
}

export const argmax = (x: ArrayLike, axis?: number | ReduceOptions, opts?: ReduceOptions): Array =>
  argReduce(Prim.Argmax, "argmax", x, axis, opts);
export const argmin = (x: ArrayLike, axis?: number | ReduceOptions, opts?: ReduceOptions): Array =>
  argReduce(Prim.Argmin, "argmin", x, axis, opts);

// --- shape ------------------------------------------------------------------------

/** reshape with numpy's single inferred `-1` axis. */
export function reshape(xl: ArrayLike, shape: readonly number[]): Array {
  const x = asArray(xl, "reshape");
  checkStaticSizes(shape, "reshape");
  const unknown = shape.filter((d) => d === -1).length;
  const known = shapeSize(shape.filter((d) => d !== -1));
  const bad = unknown > 1 || shape.some((d) => !Number.isInteger(d) || d < -1) ||
    (unknown === 1 ? known === 0 || x.size % known !== 0 : known !== x.size);
  if (bad) {
    throw new ShapeError(
      `reshape: cannot reshape ${x.aval.strShort()} (${x.size} elements) into shape ${fmtShape(shape)}; ` +
        `the sizes must multiply to ${x.size}, with at most one -1.`,
    );
  }
  const newSizes = shape.map((d) => (d === -1 ? x.size / known : d));
  if (shapeEqual(newSizes, x.shape)) return x;
  return bind1(Prim.Reshape, [x], { newSizes, dimensions: null, sharding: null });
}

export function transpose(xl: ArrayLike, axes?: readonly number[]): Array {
  const x = asArray(xl, "transpose");
  const perm = axes ? axes.map((a) => normalizeAxis(a, x.shape, "transpose")) : x.shape.map((_, i) => x.ndim - 1 - i);
  return bind1(Prim.Transpose, [x], { permutation: perm });
}

export function squeeze(xl: ArrayLike, axis?: AxisArg): Array {
  const x = asArray(xl, "squeeze");
  const dims =
    axis === undefined || axis === null
      ? x.shape.flatMap((d, i) => (d === 1 ? [i] : []))
      : normalizeAxes(axis, x.shape, "squeeze");
  return bind1(Prim.Squeeze, [x], { dimensions: dims });
}

/** Inserts size-1 axes at `axis` (positions in the result), via broadcast_in_dim as jnp.expand_dims does. */
export function expandDims(xl: ArrayLike, axis: AxisArg): Array {
  const x = asArray(xl, "expandDims");
  checkStatic(axis, "expandDims", "axis");
  const list = typeof axis === "number" ? [axis] : [...(axis ?? [])];
  const outRank = x.ndim + list.length;
  const inserted = normalizeAxes(list, outRank, "expandDims");
  const shape: number[] = [];
  const dims: number[] = [];
  let k = 0;
  for (let i = 0; i < outRank; i++) {
    if (inserted.includes(i)) shape.push(1);
    else (shape.push(x.shape[k++]!), dims.push(i));
  }
  return bind1(Prim.BroadcastInDim, [x], { shape, broadcastDimensions: dims, sharding: null });
}

export function concatenate(xs: readonly ArrayLike[], axis = 0): Array {
  if (xs.length === 0) throw new ArgumentError("concatenate: needs at least one array.");
  const x0 = xs[0];
  const same = xs.every((x) => x instanceof Array && x0 instanceof Array && x.dtype === x0.dtype && x.weakType === x0.weakType);
  // Operands of one type need no casts; otherwise a scope frees them.
  return same ? concatenateArrays(xs as Array[], axis) : tidy(() => concatenateArrays(promote("concatenate", ...xs), axis));
}

function concatenateArrays(arrays: readonly Array[], axis: number): Array {
  const nd = arrays[0]!.ndim;
  if (nd === 0) throw new ShapeError("concatenate: zero-dimensional arrays cannot be concatenated; use stack.");
  return bind1(Prim.Concatenate, arrays, { dimension: normalizeAxis(axis, arrays[0]!.shape, "concatenate") });
}

// --- linear algebra ---------------------------------------------------------------

function checkNumeric(op: string, a: Array, b: Array): void {
  if (a.ndim === 0 || b.ndim === 0) {
    throw new ShapeError(`${op}: operands must be at least 1-D, got ${a.aval.strShort()} and ${b.aval.strShort()}; use multiply for scalars.`);
  }
}

/** Elementwise product of operands of one dtype, as logical AND for bools (multiply rejects bools). */
export const mulAny = (a: Array, b: Array): Array => (a.dtype === "bool" ? minimum(a, b) : mul(a, b));

/**
 * dot_general with JAX's dimension numbers on operands of one dtype; bool operands
 * contract in int32 and come back as bool (an OR of ANDs, as XLA's pred dot).
 */
export function dotGeneralAny(
  a: Array,
  b: Array,
  contracting: readonly [readonly number[], readonly number[]],
  batch: readonly [readonly number[], readonly number[]] = [[], []],
): Array {
  if (a.dtype === "bool") {
    // Casts in, a compare out: the scope frees the int32 operands and product.
    return tidy(() => notEqual(dotGeneralRaw(convert(a, "int32"), convert(b, "int32"), contracting, batch), 0));
  }
  return dotGeneralRaw(a, b, contracting, batch);
}

function dotGeneralRaw(
  x: Array,
  y: Array,
  contracting: readonly [readonly number[], readonly number[]],
  batch: readonly [readonly number[], readonly number[]],
): Array {
  return bind1(Prim.DotGeneral, [x, y], {
    dimensionNumbers: [
      [[...contracting[0]], [...contracting[1]]],
      [[...batch[0]], [...batch[1]]],
    ],
    precision: null,
    preferredElementType: x.dtype,
    outSharding: null,
  });
}

/** numpy's matmul: 1-D operands are promoted to matrices; leading dims broadcast as batch dims. */
export function matmul(x: ArrayLike, y: ArrayLike): Array {
  // Direct path: two matrices of one non-bool type are one dot_general.
  if (x instanceof Array && y instanceof Array && x.ndim === 2 && y.ndim === 2 && x.dtype === y.dtype &&
    x.weakType === y.weakType && x.dtype !== "bool" && x.shape[1] === y.shape[0]) {
    return dotGeneralRaw(x, y, [[1], [0]], [[], []]);
  }
  return tidy(() => matmulGeneral(x, y));
}

function matmulGeneral(x: ArrayLike, y: ArrayLike): Array {
  let [a, b] = promote("matmul", x, y) as [Array, Array];
  // Bools multiply as AND and accumulate as OR, as jnp.matmul (and einsum/tensordot here) do.
  checkNumeric("matmul", a, b);
  const aVec = a.ndim === 1;
  const bVec = b.ndim === 1;
  if (aVec) a = expandDims(a, 0);
  if (bVec) b = expandDims(b, 1);
  const k = a.shape[a.ndim - 1]!;
  if (b.shape[b.ndim - 2] !== k) {
    throw new ShapeError(
      `matmul: inner dimensions do not match: ${asArray(x, "matmul").aval.strShort()} @ ${asArray(y, "matmul").aval.strShort()} ` +
        `(${k} vs ${b.shape[b.ndim - 2]}); the last axis of the first must equal the second-to-last of the second.`,
    );
  }
  const [ba, bb] = [a.shape.slice(0, -2), b.shape.slice(0, -2)];
  let batch: number[];
  try {
    batch = broadcastShapes("matmul", ba, bb);
  } catch (e) {
    if (!(e instanceof ShapeError)) throw e;
    // Restated with the operands' full types: the batch shapes alone do not say which call failed.
    throw new ShapeError(
      `matmul: batch dimensions ${fmtShape(ba)} and ${fmtShape(bb)} of ${asArray(x, "matmul").aval.strShort()} @ ${asArray(y, "matmul").aval.strShort()} ` +
        `cannot be broadcast together; each leading axis must match or be 1 (reshape or expandDims one operand).`,
    );
  }
  a = broadcastTo(a, [...batch, ...a.shape.slice(-2)]);
  b = broadcastTo(b, [...batch, ...b.shape.slice(-2)]);
  const nb = batch.length;
  const bd = batch.map((_, i) => i);
  let out = dotGeneralAny(a, b, [[nb + 1], [nb]], [bd, bd]);
  if (aVec || bVec) {
    const drop = [...(aVec ? [nb] : []), ...(bVec ? [out.ndim - 1] : [])];
    out = bind1(Prim.Squeeze, [out], { dimensions: drop });
  }
  return out;
}

/** numpy's dot: matmul for ≤2-D operands; otherwise contracts the last axis of x with the second-to-last of y. */
export function dot(x: ArrayLike, y: ArrayLike): Array {
  return tidy(() => dotGeneralCase(x, y));
}

function dotGeneralCase(x: ArrayLike, y: ArrayLike): Array {
  const [a, b] = promote("dot", x, y) as [Array, Array];
  if (a.ndim === 0 || b.ndim === 0) return mulAny(a, b);
  if (a.ndim <= 2 && b.ndim <= 2) return matmul(a, b);
  const cb = b.ndim === 1 ? 0 : b.ndim - 2;
  if (a.shape[a.ndim - 1] !== b.shape[cb]) {
    throw new ShapeError(
      `dot: shapes ${a.aval.strShort()} and ${b.aval.strShort()} are not aligned (${a.shape[a.ndim - 1]} vs ${b.shape[cb]}); ` +
        `the last axis of the first must equal the second-to-last axis of the second (the only axis of a 1-D second).`,
    );
  }
  return dotGeneralAny(a, b, [[a.ndim - 1], [cb]]);
}
