/**
 * customJvp (JAX's jax.custom_jvp): a function with a user-written JVP rule. The
 * function is traced to a jaxpr and bound as `custom_jvp_call`; under forward or
 * reverse mode the JVP trace calls the user's rule instead of differentiating the body.
 */
import { ArgumentError, FerraxError } from "../core/index.js";
import { flatten, unflatten, type TreeDef } from "../core/pytree.js";
import type { Array } from "../trace/array.js";
import { asArray } from "../trace/array-ops.js";
import { closureConvert } from "../trace/jaxpr-utils.js";
import { Prim, type PrimParams } from "../trace/prim.js";
import { traceToJaxpr } from "../trace/staging.js";
import { bind } from "../trace/trace.js";
import { toArrayLeaves } from "./jvp.js";
import { instantiate, isZero, type Tangent } from "./zero.js";

type Fn = (...args: never[]) => unknown;
const call = (f: Fn, args: readonly unknown[]): unknown => (f as (...a: unknown[]) => unknown)(...args);

export interface CustomOptions {
  /** Positions of arguments that are not differentiated; rules receive them first. */
  readonly nondiffArgnums?: readonly number[];
}

/** `rule(...nondiffArgs, primals, tangents)` → `[primalOut, tangentOut]`, as JAX's defjvp. */
export type JvpRuleFn = (...args: never[]) => [unknown, unknown];

export type CustomJvpFunction<F extends Fn> = F & {
  /** Sets the JVP rule and returns the function. */
  defJvp(rule: JvpRuleFn): CustomJvpFunction<F>;
};

/** Splits a call's arguments into the non-differentiated ones and the flat differentiable leaves. */
export function splitArgs(op: string, args: readonly unknown[], opts: CustomOptions) {
  const nondiff = [...(opts.nondiffArgnums ?? [])];
  for (const n of nondiff) {
    if (!Number.isInteger(n) || n < 0 || n >= args.length) {
      throw new ArgumentError(`${op}: nondiffArgnums ${JSON.stringify(nondiff)} is out of range for a call with ${args.length} argument(s).`);
    }
  }
  const diffPos = args.map((_, i) => i).filter((i) => !nondiff.includes(i));
  const [leaves, inDef] = toArrayLeaves(diffPos.map((i) => args[i]), op);
  const nondiffArgs = nondiff.map((i) => args[i]);
  /** The full argument list with the differentiable leaves replaced. */
  const withLeaves = (xs: readonly Array[]): unknown[] => {
    const full = [...args];
    const diff = unflatten<unknown[]>(inDef, xs);
    diffPos.forEach((p, k) => (full[p] = diff[k]));
    return full;
  };
  return { leaves, inDef, nondiffArgs, withLeaves };
}

/** Flattens a rule's output pytree, checking it against the function's output structure. */
export function flattenLike(op: string, what: string, x: unknown, def: TreeDef): Array[] {
  const [leaves, d] = flatten(x);
  if (!d.equals(def)) {
    throw new ArgumentError(`${op}: the ${what} has structure ${d}, but ${def.numLeaves === 1 && def.kind === "leaf" ? "a single array" : `the structure ${def}`} was expected; they must match.`);
  }
  return leaves.map((l) => asArray(l as Array, op));
}

/**
 * Traces `call(leaves)` (the user function on flat differentiable leaves) into a
 * closure-converted jaxpr for a higher-order primitive: its constants become leading
 * operands. Also returns the output structure.
 */
export function traceForPrimitive(op: string, call: (xs: readonly Array[]) => unknown, leaves: readonly Array[]) {
  let outDef: TreeDef | null = null;
  const flat = (...xs: Array[]): Array[] => {
    const [outs, def] = flatten(call(xs));
    outDef = def;
    return outs.map((o) => asArray(o as Array, op));
  };
  const { jaxpr, consts } = closureConvert(traceToJaxpr(flat, leaves, op).closedJaxpr);
  return { jaxpr, consts, outDef: outDef! as TreeDef };
}

export function customJvp<F extends Fn>(f: F, opts: CustomOptions = {}): CustomJvpFunction<F> {
  let rule: JvpRuleFn | null = null;
  const name = f.name || "fun";
  const g = ((...args: unknown[]) => {
    if (!rule) throw new FerraxError(`customJvp: ${name} has no JVP rule; call .defJvp(rule) before calling it.`);
    const jvpRule = rule;
    const { leaves, inDef, nondiffArgs, withLeaves } = splitArgs("customJvp", args, opts);
    const { jaxpr, consts, outDef } = traceForPrimitive("customJvp", (xs) => call(f, withLeaves(xs)), leaves);
    const jvp = (primals: Array[], tangents: Array[]): [Array[], Array[]] => {
      const ps = unflatten<unknown[]>(inDef, primals);
      const ts = unflatten<unknown[]>(inDef, tangents);
      const [out, tout] = call(jvpRule, [...nondiffArgs, ps, ts]) as [unknown, unknown];
      return [flattenLike("customJvp", "rule's primal output", out, outDef), flattenLike("customJvp", "rule's tangent output", tout, outDef)];
    };
    const outs = bind(Prim.CustomJvpCall, [...consts, ...leaves], {
      name,
      callJaxpr: jaxpr,
      jvp,
      numConsts: consts.length,
      symbolicZeros: false,
    });
    return unflatten(outDef, outs);
  }) as unknown as CustomJvpFunction<F>;
  g.defJvp = (r: JvpRuleFn) => {
    rule = r;
    return g;
  };
  return g;
}

/** Rejects differentiation with respect to values the function closed over (JAX does too). */
export function checkNoClosedOverTangents(op: string, tangents: readonly Tangent[], numConsts: number): void {
  if (tangents.slice(0, numConsts).some((t) => !isZero(t))) {
    throw new FerraxError(
      `${op}: the function closes over a value that is being differentiated by an enclosing transformation; ` +
        `a custom rule only differentiates with respect to the function's explicit arguments. Pass that value as an argument.`,
    );
  }
}

/** JVP of custom_jvp_call: the user's rule, on instantiated tangents (JAX's symbolic_zeros=False). */
export function customJvpCallJvp(
  primals: readonly Array[],
  tangents: readonly Tangent[],
  params: PrimParams<Prim.CustomJvpCall>,
): [Array[], Tangent[]] {
  const n = params.numConsts;
  checkNoClosedOverTangents("customJvp", tangents, n);
  const [outs, touts] = params.jvp(primals.slice(n), tangents.slice(n).map(instantiate));
  const want = params.callJaxpr.outAvals;
  outs.forEach((o, i) => {
    if (!o.aval.compatible(want[i]!) || !touts[i]!.aval.compatible(want[i]!)) {
      throw new ArgumentError(
        `customJvp: ${params.name}'s rule returned primal ${o.aval.strShort()} and tangent ${touts[i]!.aval.strShort()} ` +
          `for output ${i}, but the function returns ${want[i]!.strShort()}; both must have that type.`,
      );
    }
  });
  return [outs, touts];
}
