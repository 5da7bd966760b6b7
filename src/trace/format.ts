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
    const strs = values.map((v) => special(v) ?? pyExp(v === 0 ? "0e+00" : (dtype === "float32" ? shortestF32(v) : v).toExponential(mant)));
    const w = Math.max(...strs.map((s) => s.length));
    return (v) => (special(v) ?? pyExp((dtype === "float32" ? shortestF32(v) : v).toExponential(mant))).padStart(w);
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
  for (let p = 1; p <= 9; p++) {
    const r = Number(v.toPrecision(p));
    if (Math.fround(r) === v) return r;
  }
  return v;
};

const significant = (v: number): number => (v === 0 ? 1 : v.toExponential().split("e")[0]!.replace(/[-.]/g, "").length);

/** Fixed notation with at most PRECISION decimals and no trailing zeros: `1.`, `2.5`. */
function fixedTrimmed(v: number): string {
  const s = v.toFixed(PRECISION).replace(/0+$/, "");
  return s.endsWith(".") ? s : s.includes(".") ? s : `${s}.`;
}

/** numpy writes a mantissa point and exponents with a sign and two digits: `1.e-05`, `1.5e+10`. */
const pyExp = (s: string): string => s.replace(/^(-?\d)e/, "$1.e").replace(/e([+-])(\d)$/, "e$10$2");

interface Layout {
  readonly shape: readonly number[];
  readonly values: TypedArray;
  readonly format: (v: number) => string;
  readonly sep: string;
}

function render(l: Layout, dim: number, offset: number, indent: string, summarize: boolean): string {
  const n = l.shape[dim]!;
  const stride = contiguousStrides(l.shape)[dim]!;
  const idx = summarize && n > 2 * EDGE ? [...Array(EDGE).keys(), -1, ...Array.from({ length: EDGE }, (_, i) => n - EDGE + i)] : [...Array(n).keys()];
  if (dim === l.shape.length - 1) {
    const items = idx.map((i) => (i < 0 ? "..." : l.format(l.values[offset + i * stride]!)));
    // Wrap rows at WIDTH columns, continuing under the first element.
    const lines: string[] = [];
    let line = "";
    for (const [k, item] of items.entries()) {
      const piece = item + (k < items.length - 1 ? l.sep.trimEnd() : "");
      if (line && indent.length + 1 + line.length + 1 + piece.length > WIDTH) {
        lines.push(line);
        line = piece;
      } else line = line ? `${line} ${piece}` : piece;
    }
    lines.push(line);
    return `[${lines.join(`\n${indent} `)}]`;
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

/** JAX's repr: `Array([1., 2.], dtype=float32)`. */
export function formatRepr(values: TypedArray, shape: readonly number[], dtype: DType): string {
  const body = formatValues(values, shape, dtype, ", ", "      ");
  return `Array(${body}, dtype=${dtype})`;
}
