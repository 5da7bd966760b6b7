/**
 * dtypes and JAX's type-promotion lattice, restricted to ferrax's five dtypes plus
 * the two weak types that JS numbers carry (as Python scalars do in JAX).
 */
import { DTypeError } from "./errors.js";

export type DType = "float32" | "float64" | "int32" | "uint32" | "bool";

export const DTYPES: readonly DType[] = ["float32", "float64", "int32", "uint32", "bool"];

/** The dtype arrays get when none is given (JAX's default float). */
export const DEFAULT_FLOAT: DType = "float32";
/** The dtype integer index results get (argmax, iota defaults). */
export const DEFAULT_INT: DType = "int32";

/** JAX's short names, as printed in jaxprs: `f32[3]`. */
export const SHORT_NAME: Readonly<Record<DType, string>> = {
  float32: "f32",
  float64: "f64",
  int32: "i32",
  uint32: "u32",
  bool: "bool",
};

export const ITEM_SIZE: Readonly<Record<DType, number>> = {
  float32: 4,
  float64: 8,
  int32: 4,
  uint32: 4,
  bool: 1,
};

export type TypedArray = Float32Array | Float64Array | Int32Array | Uint32Array | Uint8Array;

export interface TypedArrayFor {
  float32: Float32Array;
  float64: Float64Array;
  int32: Int32Array;
  uint32: Uint32Array;
  bool: Uint8Array;
}

type TypedArrayCtor = {
  new (length: number): TypedArray;
  /** A copy of `values`. */
  new (values: ArrayLike<number>): TypedArray;
  new (buffer: ArrayBufferLike, byteOffset: number, length: number): TypedArray;
  from(values: ArrayLike<number>): TypedArray;
};

export const TYPED_ARRAY: Readonly<Record<DType, TypedArrayCtor>> = {
  float32: Float32Array,
  float64: Float64Array,
  int32: Int32Array,
  uint32: Uint32Array,
  bool: Uint8Array,
};

export function isDType(x: unknown): x is DType {
  return typeof x === "string" && (DTYPES as readonly string[]).includes(x);
}

/** Accepts a dtype name (or its short form) and returns the canonical name, or throws. */
export function parseDType(x: unknown, op: string): DType {
  if (isDType(x)) return x;
  for (const d of DTYPES) if (SHORT_NAME[d] === x) return d;
  throw new DTypeError(
    `${op}: unknown dtype ${JSON.stringify(x)}; use one of ${DTYPES.join(", ")}.`,
  );
}

export const isFloat = (d: DType): boolean => d === "float32" || d === "float64";
export const isInt = (d: DType): boolean => d === "int32" || d === "uint32";
export const isBool = (d: DType): boolean => d === "bool";

/** The dtype a typed array of values of this dtype converts a JS number to. */
export function castScalar(value: number | boolean, dtype: DType): number {
  const v = Number(value);
  switch (dtype) {
    case "float32":
      return Math.fround(v);
    case "float64":
      return v;
    case "int32":
      return Number.isFinite(v) ? Math.trunc(v) | 0 : 0;
    case "uint32":
      return Number.isFinite(v) ? Math.trunc(v) >>> 0 : 0;
    case "bool":
      return v !== 0 ? 1 : 0;
  }
}

// --- Promotion ------------------------------------------------------------------
//
// JAX's lattice (jax._src.dtypes), restricted to our types. Nodes: bool, the weak
// integer type i*, the weak float type f*, int32, uint32, float32, float64.
//   bool -> i* -> {int32, uint32};  i* -> f*;  {int32, uint32} -> f* -> float32 -> float64
// The join of two types is their least upper bound. JAX's join of int32 and uint32
// is int64, which x64-disabled JAX canonicalises to int32; we have no int64 and do
// the same. A result is weak iff the join is i* or f*; weak i* lands on int32 and
// weak f* on float32.

type Node = DType | "i*" | "f*";

const UP: Readonly<Record<Node, readonly Node[]>> = {
  bool: ["i*"],
  "i*": ["int32", "uint32", "f*"],
  int32: ["f*"],
  uint32: ["f*"],
  "f*": ["float32"],
  float32: ["float64"],
  float64: [],
};

function upperBounds(n: Node): Set<Node> {
  const seen = new Set<Node>([n]);
  const stack: Node[] = [n];
  while (stack.length) {
    const m = stack.pop() as Node;
    for (const u of UP[m]) if (!seen.has(u)) (seen.add(u), stack.push(u));
  }
  return seen;
}

const NODES: readonly Node[] = ["bool", "i*", "int32", "uint32", "f*", "float32", "float64"];
const UPPER = new Map<Node, Set<Node>>(NODES.map((n) => [n, upperBounds(n)]));

function join(a: Node, b: Node): Node {
  if ((a === "int32" && b === "uint32") || (a === "uint32" && b === "int32")) return "int32";
  const ua = UPPER.get(a) as Set<Node>;
  const ub = UPPER.get(b) as Set<Node>;
  // The least upper bound: the common bound that all other common bounds lie above.
  const common = NODES.filter((n) => ua.has(n) && ub.has(n));
  for (const c of common) {
    const uc = UPPER.get(c) as Set<Node>;
    if (common.every((d) => uc.has(d))) return c;
  }
  throw new DTypeError(`cannot promote ${a} with ${b}`);
}

/** `join`, remembered per pair: promotion runs on every eager binary op. */
const JOINS = new Map<Node, Map<Node, Node>>(NODES.map((n) => [n, new Map<Node, Node>()]));
function joinMemo(a: Node, b: Node): Node {
  const row = JOINS.get(a) as Map<Node, Node>;
  let j = row.get(b);
  if (j === undefined) row.set(b, (j = join(a, b)));
  return j;
}

function toNode(dtype: DType, weak: boolean): Node {
  if (!weak) return dtype;
  if (isFloat(dtype)) return "f*";
  if (isInt(dtype)) return "i*";
  return "bool";
}

export interface DTypeAndWeak {
  readonly dtype: DType;
  readonly weakType: boolean;
}

/** JAX's `dtypes.result_type` for our lattice: the promoted dtype and whether it is weak. */
export function promoteTypes(...types: readonly DTypeAndWeak[]): DTypeAndWeak {
  if (types.length === 0) return { dtype: DEFAULT_FLOAT, weakType: false };
  let n = toNode(types[0]!.dtype, types[0]!.weakType);
  for (let i = 1; i < types.length; i++) n = joinMemo(n, toNode(types[i]!.dtype, types[i]!.weakType));
  if (n === "i*") return { dtype: "int32", weakType: true };
  if (n === "f*") return { dtype: "float32", weakType: true };
  return { dtype: n, weakType: false };
}

/** The dtype and weak type a JS scalar carries: integral numbers are weak int, others weak float. */
export function scalarType(value: number | boolean): DTypeAndWeak {
  if (typeof value === "boolean") return { dtype: "bool", weakType: false };
  return Number.isInteger(value)
    ? { dtype: "int32", weakType: true }
    : { dtype: "float32", weakType: true };
}
