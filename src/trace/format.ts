/**
 * numpy-style text for arrays (numpy's array2string): `String(x)` gives numpy's str,
 * `[1.  2.5]`; `inspect`/`console.log` give the repr, `Array([1. , 2.5], dtype=float32)`,
 * as JAX prints. Floats use the shortest repr (at most 8 decimals), aligned on the
 * point; scientific notation when values span too many orders of magnitude; arrays
 * of more than 1000 elements are summarized with 3 items at each edge.
 */
import { type DType, type TypedArray, contiguousStrides } from "../core/index.js";

const PRECISION = 8;
const THRESHOLD = 1000;
const EDGE = 3;
const WIDTH = 75;

/** Formats every element to a string of one common width, numpy style. */
function elementFormatter(values: readonly number[], dtype: DType): (v: number) => string {
  if (dtype === "bool") return (v) => (v ? " True" : "False");
  if (dtype !== "float32" && dtype !== "float64") {
    const w = Math.max(1, ...values.map((v) => String(v).length));
    return (v) => String(v).padStart(w);
  }
  const finite = values.filter(Number.isFinite);
  const abs = finite.map(Math.abs).filter((v) => v !== 0);
  const max = abs.length ? Math.max(...abs) : 0;
  const min = abs.length ? Math.min(...abs) : 0;
  const scientific = max >= 1e8 || (abs.length > 0 && (min < 1e-4 || max / min > 1e3));
  const digits = (v: number): string => {
    // Shortest round-trip repr, then at most PRECISION decimals.
    const r = dtype === "float32" ? shortestF32(v) : v;
    return scientific ? r.toExponential(Math.min(PRECISION, significant(r) - 1)) : fixedTrimmed(r);
  };
  const special = (v: number): string | null => (Number.isNaN(v) ? "nan" : v === Infinity ? "inf" : v === -Infinity ? "-inf" : null);
  if (scientific) {
    const mant = Math.max(0, ...finite.map((v) => digits(v).split("e")[0]!.split(".")[1]?.length ?? 0));
    const sci = (v: number): string => special(v) ?? negZero(v) + pyExp((dtype === "float32" ? shortestF32(v) : v).toExponential(mant));
    const w = Math.max(...values.map((v) => sci(v).length));
    return (v) => sci(v).padStart(w);
  }
  const parts = finite.map((v) => digits(v).split("."));
  const fracW = Math.max(0, ...parts.map((p) => p[1]?.length ?? 0));
  // nan/inf widen the integer part so every element has one width (numpy's fillFormat).
  const specialW = Math.max(0, ...values.filter((v) => !Number.isFinite(v)).map((v) => special(v)!.length));
  const intW = Math.max(1, ...parts.map((p) => p[0]!.length), specialW - fracW - 1);
  return (v) => {
    const s = special(v);
    if (s) return s.padStart(intW + 1 + fracW);
    const [i, f = ""] = digits(v).split(".");
    return `${i!.padStart(intW)}.${f.padEnd(fracW)}`;
  };
}

const shortestF32 = (v: number): number => {
  if (v === 0) return v; // keeps -0's sign (toPrecision drops it)
  for (let p = 1; p <= 9; p++) {
    const r = Number(v.toPrecision(p));
    if (Math.fround(r) === v) return r;
  }
  return v;
};

const significant = (v: number): number => (v === 0 ? 1 : v.toExponential().split("e")[0]!.replace(/[-.]/g, "").length);

/** JS drops the sign of -0 in toFixed/toExponential; numpy prints it (`-0.`). */
const negZero = (v: number): string => (Object.is(v, -0) ? "-" : "");

/** Fixed notation with at most PRECISION decimals and no trailing zeros: `1.`, `2.5`, `-0.`. */
function fixedTrimmed(v: number): string {
  const s = negZero(v) + v.toFixed(PRECISION).replace(/0+$/, "");
  return s.endsWith(".") ? s : s.includes(".") ? s : `${s}.`;
}

/**
 * numpy's str of a 0-d float array is Python's repr of the scalar: the shortest
 * round-trip digits, positional for 1e-4 <= |v| < 1e16 (with `.0` when integral),
 * else scientific with a two-digit exponent: `1.0`, `-0.0`, `1e-07`, `1e+20`.
 */
function pyFloatRepr(v: number): string {
  if (Number.isNaN(v)) return "nan";
  if (!Number.isFinite(v)) return v > 0 ? "inf" : "-inf";
  const a = Math.abs(v);
  if (a === 0 || (a >= 1e-4 && a < 1e16)) {
    const s = negZero(v) + String(v);
    return s.includes(".") ? s : `${s}.0`;
  }
  return v.toExponential().replace(/e([+-])(\d)$/, "e$10$2");
}

/** numpy writes a mantissa point and exponents with a sign and two digits: `1.e-05`, `1.5e+10`. */
const pyExp = (s: string): string => s.replace(/^(-?\d)e/, "$1.e").replace(/e([+-])(\d)$/, "e$10$2");

interface Layout {
  readonly shape: readonly number[];
  readonly values: TypedArray;
  readonly format: (v: number) => string;
  readonly sep: string;
}

/**
 * One row (the last axis) wrapped as numpy wraps it: lines start with a hanging indent
 * (the width of the brackets and prefix before the first element), an element moves to
 * a new line when the line plus the element would pass `width` - 1 (room for a closing
 * bracket or separator) and the line holds something besides the indent; lines are
 * right-trimmed. The first line's indent becomes the opening bracket.
 */
function renderRow(items: readonly string[], sep: string, hanging: number, width: number): string {
  const indent = " ".repeat(hanging);
  const lines: string[] = [];
  let line = indent;
  items.forEach((item, k) => {
    if (line.length + item.length > width - 1 && line.length > hanging) {
      lines.push(line.trimEnd());
      line = indent;
    }
    line += item + (k < items.length - 1 ? sep : "");
  });
  lines.push(line);
  return `[${lines.join("\n").slice(hanging)}]`;
}

function render(l: Layout, dim: number, offset: number, indent: string, summarize: boolean): string {
  const n = l.shape[dim]!;
  const stride = contiguousStrides(l.shape)[dim]!;
  const idx = summarize && n > 2 * EDGE ? [...Array(EDGE).keys(), -1, ...Array.from({ length: EDGE }, (_, i) => n - EDGE + i)] : [...Array(n).keys()];
  if (dim === l.shape.length - 1) {
    const items = idx.map((i) => (i < 0 ? "..." : l.format(l.values[offset + i * stride]!)));
    // Each enclosing bracket takes a column; the repr's trailing "," takes one more (numpy's suffix).
    return renderRow(items, l.sep, indent.length + 1, WIDTH - dim - (l.sep === ", " ? 1 : 0));
  }
  const blank = "\n".repeat(Math.max(1, l.shape.length - dim - 1));
  const rows = idx.map((i) => (i < 0 ? "..." : render(l, dim + 1, offset + i * stride, indent + " ", summarize)));
  return `[${rows.join(`${l.sep.trimEnd()}${blank}${indent} `)}]`;
}

/** numpy's str (sep " ") or the body of its repr (sep ", "), with `indent` for continuation lines. */
export function formatValues(values: TypedArray, shape: readonly number[], dtype: DType, sep: " " | ", ", indent = ""): string {
  const size = values.length;
  const summarize = size > THRESHOLD;
  const shown = summarize ? summaryValues(values, shape) : Array.from(values);
  const format = elementFormatter(shown, dtype);
  if (shape.length === 0 && sep === " " && (dtype === "float32" || dtype === "float64")) {
    return pyFloatRepr(dtype === "float32" ? shortestF32(values[0]!) : values[0]!);
  }
  if (shape.length === 0) return format(values[0]!).trim();
  if (size === 0) return "[]";
  return render({ shape, values, format, sep }, 0, 0, indent, summarize);
}

/** The values a summarized print shows (the edges of every axis), for choosing the format. */
function summaryValues(values: TypedArray, shape: readonly number[]): number[] {
  const strides = contiguousStrides(shape);
  const out: number[] = [];
  const walk = (dim: number, offset: number): void => {
    if (dim === shape.length) return void out.push(values[offset]!);
    const n = shape[dim]!;
    const idx = n > 2 * EDGE ? [...Array(EDGE).keys(), ...Array.from({ length: EDGE }, (_, i) => n - EDGE + i)] : [...Array(n).keys()];
    for (const i of idx) walk(dim + 1, offset + i * strides[dim]!);
  };
  walk(0, 0);
  return out;
}

/** A shape as Python prints a tuple: `(0, 3)`, `(0,)`. */
const pyTuple = (shape: readonly number[]): string => (shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(", ")})`);

/**
 * JAX's repr: `Array([1., 2.], dtype=float32)`, with `, weak_type=True` for weakly typed
 * values and `[], shape=(0, 3)` for empty ones. When the dtype would pass the line width
 * after the last line, JAX separates it by the prefix's width in spaces (not a newline).
 */
export function formatRepr(values: TypedArray, shape: readonly number[], dtype: DType, weakType = false): string {
  const prefix = "Array(";
  const dtypeStr = `dtype=${dtype}${weakType ? ", weak_type=True" : ""})`;
  const body = values.length === 0 ? `[], shape=${pyTuple(shape)}` : formatValues(values, shape, dtype, ", ", " ".repeat(prefix.length));
  // JAX measures the last line as len(s) - s.rfind("\n") + 1 (two more than its length).
  const lastLine = body.length - body.lastIndexOf("\n") + 1;
  const sep = lastLine + dtypeStr.length + 1 > WIDTH ? " ".repeat(prefix.length) : " ";
  return `${prefix}${body},${sep}${dtypeStr}`;
}
