/**
 * Creation functions: `array` from JS data, and numpy's `zeros`, `ones`, `full`,
 * `arange`, `linspace`, `eye` and the `*Like` forms. Arrays default to float32
 * (JS has no int/float distinction in literals); pass `{ dtype }` for others.
 */
import {
  ArgumentError,
  type DType,
  ShapedArray,
  ShapeError,
  TYPED_ARRAY,
  castScalar,
  checkShape,
  checkStaticSizes,
  parseDType,
  type TypedArray,
} from "../core/index.js";
import { Array } from "../trace/array.js";
import { asArray, broadcastTo, scalar, type ArrayLike } from "../trace/array-ops.js";
import { getBackend } from "../trace/backend.js";
import { concreteFromValues } from "../trace/concrete.js";
import { Prim } from "../trace/prim.js";
import { bind1 } from "../trace/trace.js";
import { add, mul } from "../trace/array-ops.js";
import { tidy } from "../trace/memory.js";

/** Nested JS data accepted by `array`. */
export type NestedData = number | boolean | TypedArray | readonly NestedData[];

export interface DTypeOption {
  readonly dtype?: DType | string;
}
export interface ArrayOptions extends DTypeOption {
  /** Name of the backend to place the array on (default: the default backend). */
  readonly backend?: string;
}

const KNOWN_ARRAY_OPTIONS = new Set(["dtype", "backend"]);

function checkOptions(op: string, opts: object | undefined, known: ReadonlySet<string>): void {
  for (const k of Object.keys(opts ?? {})) {
    if (!known.has(k)) {
      throw new ArgumentError(`${op}: unknown option "${k}"; the options are: ${[...known].join(", ")}.`);
    }
  }
}

function typedArrayDType(t: TypedArray): DType {
  if (t instanceof Float32Array) return "float32";
  if (t instanceof Float64Array) return "float64";
  if (t instanceof Int32Array) return "int32";
  if (t instanceof Uint32Array) return "uint32";
  return "bool";
}

/** Infers the shape of nested data and flattens it; ragged nesting is an error. */
function flattenData(data: NestedData): { shape: number[]; values: (number | boolean)[]; hint: DType | null } {
  const values: (number | boolean)[] = [];
  let hint: DType | null = null;
  let allBool = true;
  const shapeOf = (d: NestedData): number[] =>
    typeof d === "number" || typeof d === "boolean" ? [] : ArrayBuffer.isView(d) ? [d.length] : [d.length, ...(d.length ? shapeOf(d[0]!) : [])];
  const shape = shapeOf(data);
  const visit = (d: NestedData, depth: number, path: string): void => {
    if (typeof d === "number" || typeof d === "boolean") {
      if (depth !== shape.length) throw ragged(path);
      if (typeof d !== "boolean") allBool = false;
      values.push(d);
      return;
    }
    if (ArrayBuffer.isView(d)) {
      if (depth !== shape.length - 1 || d.length !== shape[depth]) throw ragged(path);
      hint = typedArrayDType(d);
      allBool = false;
      for (const v of d) values.push(v);
      return;
    }
    if (!globalThis.Array.isArray(d)) {
      throw new ArgumentError(`array: element${path} is ${typeof d}; expected numbers, booleans, typed arrays or nested JS arrays.`);
    }
    if (depth >= shape.length || d.length !== shape[depth]) throw ragged(path);
    d.forEach((x, i) => visit(x, depth + 1, `${path}[${i}]`));
  };
  const ragged = (path: string): ShapeError =>
    new ShapeError(`array: ragged nested data at${path || " the top level"}; every row must have the same length (expected shape [${shape.join(",")}]).`);
  visit(data, 0, "");
  if (hint === null && allBool && values.length > 0) hint = "bool";
  return { shape, values, hint };
}

/**
 * An array from JS data (nested arrays, numbers, booleans, typed arrays) or a copy
 * of an existing Array converted to `dtype`.
 */
export function array(data: NestedData | Array, opts: ArrayOptions = {}): Array {
  checkOptions("array", opts, KNOWN_ARRAY_OPTIONS);
  const backend = opts.backend === undefined ? undefined : getBackend(opts.backend);
  if (data instanceof Array) {
    const dtype = opts.dtype === undefined ? data.dtype : parseDType(opts.dtype, "array");
    return concreteFromValues(data.astype(dtype).dataSync(), new ShapedArray(data.shape, dtype), backend ?? getBackend());
  }
  const { shape, values, hint } = flattenData(data);
  const dtype = opts.dtype === undefined ? (hint ?? "float32") : parseDType(opts.dtype, "array");
  const host = TYPED_ARRAY[dtype].from(values.map((v) => castScalar(v, dtype)));
  return concreteFromValues(host, new ShapedArray(shape, dtype), backend ?? getBackend());
}

/** Like `array`, but returns Arrays unchanged. */
export function asarray(data: NestedData | Array, opts: DTypeOption = {}): Array {
  if (data instanceof Array && (opts.dtype === undefined || data.dtype === opts.dtype)) return data;
  return array(data, opts);
}

const dtypeOf = (opts: DTypeOption | undefined, op: string, fallback: DType = "float32"): DType =>
  opts?.dtype === undefined ? fallback : parseDType(opts.dtype, op);

const DTYPE_ONLY = new Set(["dtype"]);

function filled(op: string, shape: readonly number[], fillValue: number | boolean, opts: DTypeOption): Array {
  checkOptions(op, opts, DTYPE_ONLY);
  checkShape(shape, op);
  const dtype = dtypeOf(opts, op, typeof fillValue === "boolean" ? "bool" : "float32");
  return broadcastTo(scalar(fillValue, dtype), shape);
}

/** An array of `shape` filled with `fillValue` (a broadcast scalar: no per-element storage on WASM). */
export const full = (shape: readonly number[], fillValue: number | boolean, opts: DTypeOption = {}): Array =>
  filled("full", shape, fillValue, opts);
export const zeros = (shape: readonly number[], opts: DTypeOption = {}): Array => filled("zeros", shape, 0, opts);
export const ones = (shape: readonly number[], opts: DTypeOption = {}): Array => filled("ones", shape, 1, opts);

export function fullLike(x: ArrayLike, fillValue: number | boolean, opts: DTypeOption = {}): Array {
  const a = asArray(x, "fullLike");
  return full(a.shape, fillValue, { dtype: dtypeOf(opts, "fullLike", a.dtype) });
}
export const zerosLike = (x: ArrayLike, opts: DTypeOption = {}): Array => fullLike(x, 0, opts);
export const onesLike = (x: ArrayLike, opts: DTypeOption = {}): Array => fullLike(x, 1, opts);

/**
 * `arange(stop)`, `arange(start, stop, step?)`: evenly spaced values in [start, stop).
 * The dtype is int32 when every bound is an integer, else float32 (as jnp.arange).
 */
export function arange(start: number, stop?: number, step = 1, opts: DTypeOption = {}): Array {
  return tidy<Array>(() => {
    checkOptions("arange", opts, DTYPE_ONLY);
    checkStaticSizes([start, stop, step], "arange");
    if (stop === undefined) [start, stop] = [0, start];
    if (step === 0 || !Number.isFinite(step)) throw new ArgumentError(`arange: step must be a finite non-zero number, got ${step}.`);
    const ints = [start, stop, step].every(Number.isInteger);
    const dtype = dtypeOf(opts, "arange", ints ? "int32" : "float32");
    const n = Math.max(0, Math.ceil((stop - start) / step));
    let out = bind1(Prim.Iota, [], { dtype, shape: [n], dimension: 0, sharding: null });
    if (step !== 1) out = mul(out, scalar(step, dtype, true));
    if (start !== 0) out = add(out, scalar(start, dtype, true));
    return out;
  });
}

export interface LinspaceOptions extends DTypeOption {
  readonly endpoint?: boolean;
}

/** `num` evenly spaced values from start to stop (inclusive unless `endpoint: false`). */
export function linspace(start: number, stop: number, num = 50, opts: LinspaceOptions = {}): Array {
  checkOptions("linspace", opts, new Set(["dtype", "endpoint"]));
  checkStaticSizes([start, stop, num], "linspace");
  if (!Number.isInteger(num) || num < 0) throw new ArgumentError(`linspace: num must be a non-negative integer, got ${num}.`);
  const endpoint = opts.endpoint ?? true;
  const div = endpoint ? num - 1 : num;
  const step = div > 0 ? (stop - start) / div : 0;
  const values = globalThis.Array.from({ length: num }, (_, i) => start + i * step);
  if (endpoint && num > 1) values[num - 1] = stop;
  return array(values, { dtype: dtypeOf(opts, "linspace") });
}

/** A 2-D array with ones on the k-th diagonal. */
export function eye(n: number, m: number = n, k = 0, opts: DTypeOption = {}): Array {
  checkOptions("eye", opts, DTYPE_ONLY);
  checkShape([n, m], "eye");
  const dtype = dtypeOf(opts, "eye");
  const values = new (TYPED_ARRAY[dtype])(n * m);
  for (let i = 0; i < n; i++) if (i + k >= 0 && i + k < m) values[i * m + i + k] = 1;
  return concreteFromValues(values, new ShapedArray([n, m], dtype), getBackend());
}

/** jnp.empty: XLA has no uninitialised memory, so this is zeros. */
export const empty = (shape: readonly number[], opts: DTypeOption = {}): Array => filled("empty", shape, 0, opts);
/** jnp.empty_like: zeros shaped like x. */
export const emptyLike = (x: ArrayLike, opts: DTypeOption = {}): Array => fullLike(x, 0, opts);

/** A copy of x (arrays are immutable, so x itself, as jnp.copy returns an equal array). */
export const copy = (x: ArrayLike): Array => asArray(x, "copy");

export interface LogspaceOptions extends LinspaceOptions {
  /** The base of the exponents (default 10). */
  readonly base?: number;
}

/** `num` values base**t for t evenly spaced from start to stop. */
export function logspace(start: number, stop: number, num = 50, opts: LogspaceOptions = {}): Array {
  return tidy<Array>(() => {
    checkOptions("logspace", opts, new Set(["dtype", "endpoint", "base"]));
    const base = opts.base ?? 10;
    const t = linspace(start, stop, num, { endpoint: opts.endpoint ?? true, dtype: "float64" }).dataSync();
    return array(globalThis.Array.from(t, (v) => base ** v), { dtype: dtypeOf(opts, "logspace") });
  });
}

/** `num` values spaced evenly on a log scale from start to stop (both non-zero, of one sign); the ends are exact. */
export function geomspace(start: number, stop: number, num = 50, opts: LinspaceOptions = {}): Array {
  return tidy<Array>(() => {
    checkOptions("geomspace", opts, new Set(["dtype", "endpoint"]));
    if (start === 0 || stop === 0 || Math.sign(start) !== Math.sign(stop)) {
      throw new ArgumentError(`geomspace: start ${start} and stop ${stop} must be non-zero and of the same sign.`);
    }
    const s = Math.sign(start);
    const t = linspace(Math.log10(Math.abs(start)), Math.log10(Math.abs(stop)), num, { endpoint: opts.endpoint ?? true, dtype: "float64" }).dataSync();
    const values = globalThis.Array.from(t, (v) => s * 10 ** v);
    if (num > 0) values[0] = start;
    if (num > 1 && (opts.endpoint ?? true)) values[num - 1] = stop;
    return array(values, { dtype: dtypeOf(opts, "geomspace") });
  });
}
