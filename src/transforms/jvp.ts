/**
 * Forward mode: the JVP trace carries (primal, tangent) pairs (JAX's JVPTrace).
 * A rule runs with the parent trace current, so the primal and tangent operations it
 * binds go to whatever lies below: eager evaluation, staging, or another transform.
 */
import { ArgumentError, type ShapedArray } from "../core/index.js";
import { flatten, unflatten } from "../core/pytree.js";
import { Array } from "../trace/array.js";
import { asArray, scalar } from "../trace/array-ops.js";
import type { Prim, PrimParams } from "../trace/prim.js";
import { tidy } from "../trace/memory.js";
import { Trace, bind, currentTrace, withTrace } from "../trace/trace.js";
import { jvpRules, type JvpRule } from "./jvp-rules.js";
import { Zero, instantiate, isZero, type Tangent } from "./zero.js";

export class JVPTracer extends Array {
  constructor(
    readonly trace: JVPTrace,
    readonly primal: Array,
    readonly tangent: Array,
  ) {
    super();
  }
  get aval(): ShapedArray {
    return this.primal.aval;
  }
}

export class JVPTrace extends Trace {
  constructor(parent: Trace, kind: string) {
    super(parent, kind);
  }

  /** The (primal, tangent) view of any value: values of enclosing traces have zero tangents. */
  pair(x: Array): [Array, Tangent] {
    if (x instanceof JVPTracer && x.trace === this) return [x.primal, x.tangent];
    this.checkNotEscaped(x, this.kind);
    return [x, new Zero(x.aval)];
  }

  /** Wraps rule outputs; a zero tangent needs no tracer. */
  wrap(primal: Array, tangent: Tangent): Array {
    return isZero(tangent) ? primal : new JVPTracer(this, primal, tangent);
  }

  processPrimitive<P extends Prim>(prim: P, args: readonly Array[], params: PrimParams<P>): Array[] {
    const pairs = args.map((x) => this.pair(x));
    const primals = pairs.map((p) => p[0]);
    const tangents = pairs.map((p) => p[1]);
    const parent = this.parent!;
    if (tangents.every(isZero)) return withTrace(parent, () => bind(prim, primals, params));
    const rule = jvpRules[prim] as JvpRule<P>;
    const [outs, outTangents] = withTrace(parent, () => rule(primals, tangents, params));
    return outs.map((p, i) => this.wrap(p, outTangents[i]!));
  }
}

/** Splits outputs of a function run under `trace` into primals and tangents. */
export function unzipOutputs(trace: JVPTrace, outs: readonly Array[]): [Array[], Tangent[]] {
  const pairs = outs.map((x) => trace.pair(x));
  return [pairs.map((p) => p[0]), pairs.map((p) => p[1])];
}

/** Runs `f` on JVP tracers of (primals, tangents) and returns output primals and tangents. */
export function jvpFlat(
  f: (...xs: Array[]) => Array[],
  primals: readonly Array[],
  tangents: readonly Tangent[],
  kind = "jvp",
): [Array[], Tangent[]] {
  const trace = new JVPTrace(currentTrace(), kind);
  const ins = primals.map((p, i) => trace.wrap(p, tangents[i]!));
  const outs = withTrace(trace, () => f(...ins));
  return unzipOutputs(trace, outs);
}

/** Converts a pytree's leaves (arrays or JS numbers) to arrays; JS numbers become weak float32. */
export function toArrayLeaves(x: unknown, op: string): [Array[], ReturnType<typeof flatten>[1]] {
  const [leaves, def] = flatten(x);
  return [
    leaves.map((l, i) => {
      if (l instanceof Array) return l;
      if (typeof l === "number") return scalar(l, "float32", true);
      throw new ArgumentError(`${op}: leaf ${i} of the arguments is ${typeof l}; pass arrays or numbers.`);
    }),
    def,
  ];
}

/**
 * `jvp(f, primals, tangents)`: f's outputs and their directional derivatives along
 * `tangents` (JAX's jax.jvp). `primals` and `tangents` are lists of arguments (pytrees).
 */
export function jvp<T>(f: (...args: never[]) => T, primals: readonly unknown[], tangents: readonly unknown[]): [T, T] {
  const [ps, inDef] = toArrayLeaves(primals, "jvp");
  const [ts, tDef] = toArrayLeaves(tangents, "jvp");
  if (!inDef.equals(tDef)) {
    throw new ArgumentError(`jvp: primals have structure ${inDef} but tangents have ${tDef}; they must match.`);
  }
  ts.forEach((t, i) => {
    if (t.dtype !== ps[i]!.dtype || t.shape.join() !== ps[i]!.shape.join()) {
      throw new ArgumentError(
        `jvp: tangent ${i} is ${t.aval.strShort()} but its primal is ${ps[i]!.aval.strShort()}; a tangent has its primal's shape and dtype.`,
      );
    }
  });
  let outDef: ReturnType<typeof flatten>[1] | null = null;
  const flat = (...xs: Array[]): Array[] => {
    const out = (f as (...a: unknown[]) => T)(...unflatten<unknown[]>(inDef, xs));
    const [leaves, def] = flatten(out);
    outDef = def;
    return leaves.map((l) => asArray(l as Array, "jvp"));
  };
  return tidy(() => {
    const [po, to] = jvpFlat(flat, ps, ts);
    return [unflatten<T>(outDef!, po), unflatten<T>(outDef!, to.map(instantiate))] as [T, T];
  });
}
