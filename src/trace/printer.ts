/**
 * Prints jaxprs exactly as current JAX does (jax/_src/core.py pp_jaxpr):
 * `{ lambda a:f32[3]; b:f32[]. let c:f32[3] = mul a b in (c,) }` when it fits in 80
 * columns, else one equation per line indented by 4, `in` indented by 2. Variables
 * are named a…z, ba, bb… in order of appearance (constvars, invars, equations);
 * params print sorted by their snake_case name; literals print typed, `2.0:f32[]`.
 */
import type { DType } from "../core/index.js";
import { Prim } from "./prim.js";
import { ShapedArray } from "../core/aval.js";
import { ClosedJaxpr, Jaxpr, type Atom, type JaxprEqn, type Var } from "./jaxpr.js";

const WIDTH = 80;

/** JAX's _encode_digits_alphabetic: 0 → a, 25 → z, 26 → ba. */
export function varName(n: number): string {
  let s = "";
  do {
    s = String.fromCharCode(97 + (n % 26)) + s;
    n = Math.floor(n / 26);
  } while (n > 0);
  return s;
}

/** Python's repr of a float of the given width, e.g. `1.0`, `0.1`, `1e-05`, `inf`. */
export function pyFloatRepr(v: number, dtype: DType): string {
  if (Number.isNaN(v)) return "nan";
  if (!Number.isFinite(v)) return v > 0 ? "inf" : "-inf";
  if (v === 0) return Object.is(v, -0) ? "-0.0" : "0.0";
  let exp = v.toExponential();
  if (dtype === "float32") {
    for (let p = 0; p < 9; p++) {
      const s = v.toExponential(p);
      if (Math.fround(Number(s)) === v) {
        exp = s;
        break;
      }
    }
  }
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(exp)!;
  const sign = m[1]!;
  const digits = m[2]! + (m[3] ?? "");
  const e = Number(m[4]);
  if (e < -4 || e >= 16) {
    const mant = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${mant}e${e < 0 ? "-" : "+"}${String(Math.abs(e)).padStart(2, "0")}`;
  }
  if (e < 0) return `${sign}0.${"0".repeat(-e - 1)}${digits}`;
  const int = digits.slice(0, e + 1).padEnd(e + 1, "0");
  const frac = digits.slice(e + 1) || "0";
  return `${sign}${int}.${frac}`;
}

export function pyScalarRepr(v: number, dtype: DType): string {
  if (dtype === "bool") return v ? "True" : "False";
  if (dtype === "float32" || dtype === "float64") return pyFloatRepr(v, dtype);
  return String(v);
}

const snake = (k: string): string => k.replace(/[A-Z]/g, (c) => "_" + c.toLowerCase());

/** Python's repr of a param value: tuples for number lists, None, True/False. */
function pyParam(v: unknown): string {
  if (v === null || v === undefined) return "None";
  if (typeof v === "boolean") return v ? "True" : "False";
  if (typeof v === "number") return String(v);
  if (typeof v === "string") return v;
  if (Array.isArray(v)) {
    if (v.length === 1) return `(${pyParam(v[0])},)`;
    return `(${v.map(pyParam).join(", ")})`;
  }
  return String(v);
}

/** dot_general's dimension_numbers print as tuples of lists: `(([1], [0]), ([], []))`. */
function pyDimensionNumbers(v: readonly (readonly (readonly number[])[])[]): string {
  const list = (l: readonly number[]): string => `[${l.join(", ")}]`;
  return `(${v.map((pair) => `(${pair.map(list).join(", ")})`).join(", ")})`;
}

/**
 * Per-primitive param elision, as JAX's pp rules do: dot_general drops None params
 * (_dot_general_pp_rule), broadcast_in_dim drops the shape (it is in the output type),
 * empty broadcast_dimensions and a None sharding; convert_element_type drops a None sharding.
 */
const PARAM_RULES: Partial<Record<Prim, (params: Record<string, unknown>) => Record<string, unknown>>> = {
  [Prim.DotGeneral]: (p) => Object.fromEntries(Object.entries(p).filter(([, v]) => v !== null)),
  [Prim.BroadcastInDim]: ({ shape: _shape, sharding, broadcastDimensions, ...rest }) => ({
    ...rest,
    ...((broadcastDimensions as unknown[]).length ? { broadcastDimensions } : {}),
    ...(sharding === null ? {} : { sharding }),
  }),
  [Prim.ConvertElementType]: ({ sharding, ...rest }) => ({ ...rest, ...(sharding === null ? {} : { sharding }) }),
};

class Namer {
  private readonly names = new Map<Var, string>();
  /** Equation outputs nothing reads print as `_`, as JAX prints dropped variables. */
  readonly unused = new Set<Var>();
  name(v: Var): string {
    let n = this.names.get(v);
    if (n === undefined) this.names.set(v, (n = varName(this.names.size)));
    return n;
  }
  binder(v: Var): string {
    return `${this.unused.has(v) ? "_" : this.name(v)}:${v.aval.strShort()}`;
  }
  atom(a: Atom): string {
    if ("value" in a) return `${pyScalarRepr(a.value, a.aval.dtype)}:${a.aval.strShort()}`;
    return this.name(a);
  }
}

/**
 * A param's printed form as lines: the first follows `name=`; later lines carry their
 * own indentation (a nested jaxpr printed at `column`).
 */
function paramLines(value: unknown, key: string, names: Namer, column: number): string[] {
  if (value instanceof ClosedJaxpr) return jaxprLines(value.jaxpr, names, column);
  if (value instanceof Jaxpr) return jaxprLines(value, names, column);
  if (typeof value === "function") return [`<function ${value.name || "anonymous"}>`];
  if (globalThis.Array.isArray(value) && value.every((v) => v instanceof ShapedArray)) {
    return [pyParam(value.map((v: ShapedArray) => v.strShort()))];
  }
  return [key === "dimension_numbers" && globalThis.Array.isArray(value) ? pyDimensionNumbers(value as never) : pyParam(value)];
}

function shownParams(prim: Prim, params: object): [string, unknown][] {
  const rule = PARAM_RULES[prim];
  const shown = rule ? rule(params as Record<string, unknown>) : params;
  return Object.entries(shown)
    .map(([k, v]) => [snake(k), v] as [string, unknown])
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** One equation at `indent`: on one line, or (if too wide or holding a jaxpr) with one param per line. */
function eqnLines(eqn: JaxprEqn, names: Namer, indent: number): string[] {
  const lhs = eqn.outvars.map((v) => names.binder(v)).join(" ");
  const args = eqn.inputs.map((a) => names.atom(a)).join(" ");
  const params = shownParams(eqn.prim, eqn.params);
  const head = `${lhs} = ${eqn.prim}`;
  const tail = args ? " " + args : "";
  const pad = " ".repeat(indent);
  const inner = params.map(([k, v]) => [k, paramLines(v, k, names, indent + 2)] as const);
  const flat = inner.every(([, l]) => l.length === 1);
  if (params.length === 0 || flat) {
    const one = `${pad}${head}${params.length ? `[${inner.map(([k, l]) => `${k}=${l[0]}`).join(" ")}]` : ""}${tail}`;
    if (params.length === 0 || one.length <= WIDTH) return [one];
  }
  const body = inner.flatMap(([k, l]) => [`${pad}  ${k}=${l[0]}`, ...l.slice(1)]);
  return [`${pad}${head}[`, ...body, `${pad}]${tail}`];
}

/**
 * A jaxpr whose opening brace is at `column`: one line when it fits in 80 columns,
 * else equations at column + 4 and `in` at column + 2. The first line has no indent.
 */
function jaxprLines(jaxpr: Jaxpr, names: Namer, column: number): string[] {
  const used = new Set<Atom>(jaxpr.outvars);
  for (const e of jaxpr.eqns) for (const a of e.inputs) used.add(a);
  for (const e of jaxpr.eqns) for (const v of e.outvars) if (!used.has(v)) names.unused.add(v);
  const consts = jaxpr.constvars.map((v) => names.binder(v)).join(" ");
  const ins = jaxpr.invars.map((v) => names.binder(v)).join(" ");
  const header = `{ lambda ${consts}; ${ins}. let`;
  const eqns = jaxpr.eqns.map((e) => eqnLines(e, names, column + 4));
  const outs = jaxpr.outvars.map((a) => names.atom(a));
  const tuple = `(${outs.join(", ")}${outs.length === 1 ? "," : ""})`;
  if (eqns.every((l) => l.length === 1)) {
    const one = `${header} ${eqns.map((l) => l[0]!.trimStart()).join("; ")} in ${tuple} }`;
    if (column + one.length <= WIDTH) return [one];
  }
  return [header, ...eqns.flat(), `${" ".repeat(column + 2)}in ${tuple} }`];
}

export function printJaxpr(jaxpr: Jaxpr): string {
  return jaxprLines(jaxpr, new Namer(), 0).join("\n");
}
