/**
 * Staging: a trace that records primitives into a jaxpr instead of running them
 * (JAX's DynamicJaxprTrace). Values from enclosing traces and concrete arrays
 * become constvars; rank-0 host constants (JS numbers) are inlined as literals.
 */
import { ArgumentError, ShapedArray, scalarType, type TreeDef } from "../core/index.js";
import { flatten, flattenWithPath, unflatten } from "../core/pytree.js";
import { abstractEval } from "./abstract-eval.js";
import { Array } from "./array.js";
import { asArray } from "./array-ops.js";
import { ConcreteArray } from "./concrete.js";
import { ClosedJaxpr, Jaxpr, Literal, Var, type Atom, type JaxprEqn } from "./jaxpr.js";
import type { Prim, PrimParams } from "./prim.js";
import { Trace, currentTrace, withTrace } from "./trace.js";

export class JaxprTracer extends Array {
  constructor(
    readonly trace: StagingTrace,
    readonly aval: ShapedArray,
    readonly variable: Var,
  ) {
    super();
  }
}

export class StagingTrace extends Trace {
  protected readonly eqns: JaxprEqn[] = [];
  protected readonly invars: Var[] = [];
  protected readonly constvars = new Map<Array, Var>();

  constructor(parent: Trace, kind: string) {
    super(parent, kind);
  }

  /** A fresh input of the jaxpr being built. */
  newArg(aval: ShapedArray): JaxprTracer {
    const v = new Var(aval);
    this.invars.push(v);
    return new JaxprTracer(this, aval, v);
  }

  /** The atom standing for `x` in this jaxpr. */
  lift(x: Array): Atom {
    if (x instanceof JaxprTracer && x.trace === this) return x.variable;
    this.checkNotEscaped(x, this.kind);
    // Scalar constants are inlined as literals, as JAX's _inline_literals does.
    if (x instanceof ConcreteArray && x.ndim === 0) return new Literal(x.hostValues?.[0] ?? Number(x.dataSync()[0]), x.aval);
    let v = this.constvars.get(x);
    if (!v) this.constvars.set(x, (v = new Var(x.aval)));
    return v;
  }

  processPrimitive<P extends Prim>(prim: P, args: readonly Array[], params: PrimParams<P>): Array[] {
    const inputs = args.map((x) => this.lift(x));
    const outAvals = abstractEval(prim, inputs.map((a) => a.aval), params);
    const outvars = outAvals.map((a) => new Var(a));
    this.eqns.push({ prim, inputs, params, outvars } as JaxprEqn);
    return outvars.map((v) => new JaxprTracer(this, v.aval, v));
  }

  /** The jaxpr with outputs `outs`, closed over the captured constants. */
  finish(outs: readonly Array[]): ClosedJaxpr {
    const outvars = outs.map((x) => this.lift(x));
    const consts = [...this.constvars.keys()];
    const jaxpr = new Jaxpr([...this.constvars.values()], this.invars, this.eqns, outvars);
    return new ClosedJaxpr(jaxpr, consts);
  }
}

/** The aval an argument leaf is traced with: JS numbers are weakly typed float32 scalars. */
export function argAval(leaf: unknown, path: string, op: string): ShapedArray {
  if (leaf instanceof Array) return leaf.aval;
  if (typeof leaf === "number") return new ShapedArray([], "float32", true);
  if (typeof leaf === "boolean") return new ShapedArray([], scalarType(leaf).dtype);
  throw new ArgumentError(
    `${op}: argument${path} is ${leaf === null ? "null" : typeof leaf}, not an array or number; ` +
      `pass arrays (np.array(...)), numbers, or nested arrays/objects of them.`,
  );
}

export interface TracedFunction {
  readonly closedJaxpr: ClosedJaxpr;
  readonly inTree: TreeDef;
  readonly outTree: TreeDef;
}

/** Traces `f` on abstract values shaped like `args` into a closed jaxpr. */
/** Any function of arrays: the parameter types are the caller's business. */
export type TraceableFunction = (...args: never[]) => unknown;

export function traceToJaxpr(f: TraceableFunction, args: readonly unknown[], kind: string): TracedFunction {
  const [leaves, paths, inTree] = flattenWithPath(args);
  const trace = new StagingTrace(currentTrace(), kind);
  const tracers = leaves.map((l, i) => trace.newArg(argAval(l, paths[i]!, kind)));
  const call = f as (...args: unknown[]) => unknown;
  const out = withTrace(trace, () => call(...unflatten<unknown[]>(inTree, tracers)));
  const [outLeaves, outTree] = flatten(out);
  const outArrays = outLeaves.map((l, i) => {
    if (l instanceof Array || typeof l === "number" || typeof l === "boolean") return asArray(l, kind);
    throw new ArgumentError(`${kind}: output ${i} of the function is ${typeof l}; return arrays or numbers.`);
  });
  return { closedJaxpr: trace.finish(outArrays), inTree, outTree };
}

export interface MakeJaxprOptions {
  /** Positions of arguments that are static: passed to `f` as they are, not traced. */
  readonly staticArgnums?: readonly number[];
}

/**
 * `makeJaxpr(f)(...args)`: the closed jaxpr of `f` at the shapes and dtypes of `args`
 * (JAX's jax.make_jaxpr). Print it with `toString()`.
 */
export function makeJaxpr(
  f: TraceableFunction,
  opts: MakeJaxprOptions = {},
): (...args: unknown[]) => ClosedJaxpr {
  const known = new Set(["staticArgnums"]);
  for (const k of Object.keys(opts)) {
    if (!known.has(k)) throw new ArgumentError(`makeJaxpr: unknown option "${k}"; the options are: staticArgnums.`);
  }
  const statics = new Set(opts.staticArgnums ?? []);
  return (...args: unknown[]) => {
    const dynamicPositions = args.map((_, i) => i).filter((i) => !statics.has(i));
    const g = (...dyn: unknown[]): unknown => {
      const full = [...args];
      dynamicPositions.forEach((p, k) => (full[p] = dyn[k]));
      return (f as (...args: unknown[]) => unknown)(...full);
    };
    return traceToJaxpr(g, dynamicPositions.map((i) => args[i]), "makeJaxpr").closedJaxpr;
  };
}
