/**
 * jit (JAX's jax.jit): traces a function once per (argument structure, avals, static
 * values) into a jaxpr, optimizes it, compiles it for the backend, caches the result,
 * and runs cached calls with minimal JS work. Under another transformation a jit'd
 * function is inlined (its body is traced by that transformation), so jit composes
 * with grad and vmap both ways.
 */
import { ArgumentError, type ShapedArray } from "../core/index.js";
import { flatten, flattenWithPath, unflatten, type TreeDef } from "../core/pytree.js";
import { Array } from "../trace/array.js";
import { asArray, scalar } from "../trace/array-ops.js";
import { getBackend, type Backend, type Compiled } from "../trace/backend.js";
import { ConcreteArray } from "../trace/concrete.js";
import { evalJaxpr, type ClosedJaxpr } from "../trace/jaxpr.js";
import { tidy } from "../trace/memory.js";
import { traceToJaxpr } from "../trace/staging.js";
import { isTransforming, rootTrace, withTrace } from "../trace/trace.js";
import { optimizeJaxpr } from "./optimize.js";

type Fn = (...args: never[]) => unknown;

export interface JitOptions {
  /** Arguments passed as they are (not traced); each distinct value compiles anew. Must be hashable. */
  readonly staticArgnums?: readonly number[];
  /** Arguments whose buffers the call may reuse; they are disposed by the call. */
  readonly donateArgnums?: readonly number[];
}


/** What `jit(f).lower(...args)` returns: the optimized jaxpr and the compiled program. */
export class Lowered {
  constructor(
    readonly jaxpr: ClosedJaxpr,
    readonly compiled: Compiled,
  ) {}
  toString(): string {
    return `optimized jaxpr:\n${this.jaxpr}\n\nprogram:\n${this.compiled.describe()}`;
  }
}

/** The portable executable: the optimized jaxpr evaluated eagerly, intermediates freed at once. */
function evalCompiled(jaxpr: ClosedJaxpr): Compiled {
  const nConsts = jaxpr.consts.length;
  return {
    run: (inputs) =>
      withTrace(rootTrace(), () =>
        tidy(() => evalJaxpr(jaxpr.jaxpr, inputs.slice(0, nConsts), inputs.slice(nConsts)) as ConcreteArray[]),
      ),
    describe: () => `eager evaluation of the ${jaxpr.jaxpr.eqns.length} equations above (this backend has no program compiler)`,
  };
}

/** Compiles for `backend` if it has a compiler, else evaluates eagerly. */
function compileFor(backend: Backend, jaxpr: ClosedJaxpr, donated: readonly boolean[]): Compiled {
  return backend.compileJaxpr ? backend.compileJaxpr(jaxpr, donated) : evalCompiled(jaxpr);
}

interface Entry {
  readonly lowered: Lowered;
  readonly outTree: TreeDef;
}

/** A cache key for a static argument; only values with structural identity are allowed. */
function staticKey(value: unknown, index: number): string {
  const ok = (v: unknown): boolean =>
    v === null ||
    v === undefined ||
    ["number", "string", "boolean", "bigint"].includes(typeof v) ||
    (globalThis.Array.isArray(v) && v.every(ok)) ||
    (typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype && Object.values(v as object).every(ok));
  if (!ok(value)) {
    throw new ArgumentError(
      `jit: static argument ${index} is not hashable (got ${value instanceof Array ? "an Array" : typeof value === "function" ? "a function" : `a ${(value as object)?.constructor?.name ?? typeof value}`}); ` +
        `static arguments must be numbers, strings, booleans, null or plain arrays/objects of them. Pass arrays as ordinary (traced) arguments.`,
    );
  }
  return JSON.stringify(value, exactValues);
}

/**
 * JSON.stringify's replacer for static keys: the values JSON would drop or merge with
 * others (bigint, NaN and ±Infinity as null, -0 as 0, undefined) as tagged strings.
 */
function exactValues(_key: string, v: unknown): unknown {
  if (typeof v === "bigint") return `\u0000${v}n`;
  if (typeof v === "number" && (!Number.isFinite(v) || Object.is(v, -0))) return `\u0000${Object.is(v, -0) ? "-0" : v}`;
  return v === undefined ? "\u0000undefined" : v;
}

const avalKey = (a: ShapedArray): string => `${a.strShort()}${a.weakType ? "w" : ""}`;

export type JitFunction<F extends Fn> = F & {
  /** The optimized jaxpr and compiled program for these arguments (compiling if needed). */
  lower(...args: Parameters<F>): Lowered;
  /** How many compilations are cached. */
  readonly cacheSize: number;
};

export function jit<F extends Fn>(f: F, opts: JitOptions = {}): JitFunction<F> {
  for (const k of Object.keys(opts)) {
    if (k !== "staticArgnums" && k !== "donateArgnums") {
      throw new ArgumentError(`jit: unknown option "${k}"; the options are: staticArgnums, donateArgnums.`);
    }
  }
  const statics = new Set(opts.staticArgnums ?? []);
  const donate = new Set(opts.donateArgnums ?? []);
  for (const d of donate) {
    if (statics.has(d)) throw new ArgumentError(`jit: argument ${d} cannot be both static and donated.`);
  }
  const cache = new Map<string, Entry>();
  const call = f as unknown as (...a: unknown[]) => unknown;

  const prepare = (args: unknown[]) => {
    for (const i of [...statics, ...donate]) {
      if (!Number.isInteger(i) || i < 0 || i >= args.length) {
        throw new ArgumentError(`jit: staticArgnums/donateArgnums entry ${i} is out of range for a call with ${args.length} argument(s).`);
      }
    }
    const dynamicPos = args.map((_, i) => i).filter((i) => !statics.has(i));
    const [leaves, paths, inTree] = flattenWithPath(dynamicPos.map((i) => args[i]));
    const arrays = leaves.map((l, k) => {
      if (l instanceof Array) return l;
      if (typeof l === "number") return scalar(l, "float32", true);
      if (typeof l === "boolean") return asArray(l, "jit");
      throw new ArgumentError(`jit: argument${paths[k]} is ${l === null ? "null" : typeof l}; pass arrays or numbers, or mark the argument static.`);
    });
    // A program is compiled for the default backend of its first call: the backend is part of the key.
    const key = `${getBackend().name}|${inTree}|${arrays.map((a) => avalKey(a.aval)).join(",")}|${[...statics].sort().map((i) => staticKey(args[i], i)).join(",")}`;
    // Which flat leaves come from donated arguments.
    const leafArg = dynamicPos.flatMap((p) => flatten(args[p])[0].map(() => p));
    return { dynamicPos, arrays, inTree, key, donatedLeaves: leafArg.map((p) => donate.has(p)) };
  };

  const compile = (args: unknown[], p: ReturnType<typeof prepare>): Entry => {
    const hit = cache.get(p.key);
    if (hit) return hit;
    const g = (...dyn: unknown[]): unknown => {
      const full = [...args];
      const tree = unflatten<unknown[]>(p.inTree, dyn);
      p.dynamicPos.forEach((pos, k) => (full[pos] = tree[k]));
      return call(...full);
    };
    const traced = traceToJaxpr(g as Fn, p.arrays, "jit");
    const jaxpr = optimizeJaxpr(traced.closedJaxpr);
    const donated = [...jaxpr.consts.map(() => false), ...p.donatedLeaves];
    const entry = { lowered: new Lowered(jaxpr, compileFor(getBackend(), jaxpr, donated)), outTree: traced.outTree };
    cache.set(p.key, entry);
    return entry;
  };

  const jitted = ((...args: unknown[]) => {
    if (isTransforming()) return call(...args);
    const p = prepare(args);
    const entry = compile(args, p);
    const inputs = [...entry.lowered.jaxpr.consts, ...p.arrays] as ConcreteArray[];
    const outs = entry.lowered.compiled.run(inputs);
    p.arrays.forEach((a, i) => {
      if (p.donatedLeaves[i]) (a as ConcreteArray).disposeAs("donated to a jit call (donateArgnums); use the call's outputs instead");
    });
    return unflatten(entry.outTree, outs);
  }) as unknown as JitFunction<F>;
  Object.defineProperty(jitted, "lower", {
    value: (...args: unknown[]) => compile(args, prepare(args)).lowered,
  });
  Object.defineProperty(jitted, "cacheSize", { get: () => cache.size });
  return jitted;
}
