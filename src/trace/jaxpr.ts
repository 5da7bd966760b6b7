/**
 * Jaxprs: JAX's typed, first-order IR. A jaxpr binds constvars and invars, runs
 * equations in order (each a primitive applied to atoms, binding fresh outvars) and
 * returns atoms. Variables are identities; names are given when printing.
 */
import { JaxprTypeError, ShapedArray } from "../core/index.js";
import { abstractEval } from "./abstract-eval.js";
import type { Array } from "./array.js";
import { type Prim, type PrimParams } from "./prim.js";
import { bind, rootTrace } from "./trace.js";
import { printJaxpr } from "./printer.js";

export class Var {
  constructor(readonly aval: ShapedArray) {}
}

/** A scalar constant inlined into an equation, printed `1.0:f32[]`. */
export class Literal {
  constructor(
    readonly value: number,
    readonly aval: ShapedArray,
  ) {}
}

export type Atom = Var | Literal;

export interface JaxprEqn<P extends Prim = Prim> {
  readonly prim: P;
  readonly inputs: readonly Atom[];
  readonly params: PrimParams<P>;
  readonly outvars: readonly Var[];
}

export class Jaxpr {
  constructor(
    readonly constvars: readonly Var[],
    readonly invars: readonly Var[],
    readonly eqns: readonly JaxprEqn[],
    readonly outvars: readonly Atom[],
  ) {}

  get inAvals(): ShapedArray[] {
    return this.invars.map((v) => v.aval);
  }
  get outAvals(): ShapedArray[] {
    return this.outvars.map((v) => v.aval);
  }

  toString(): string {
    return printJaxpr(this);
  }
}

/** A jaxpr with the values of its constvars. */
export class ClosedJaxpr {
  constructor(
    readonly jaxpr: Jaxpr,
    readonly consts: readonly Array[],
  ) {
    if (consts.length !== jaxpr.constvars.length) {
      throw new JaxprTypeError(`ClosedJaxpr: ${jaxpr.constvars.length} constvars but ${consts.length} consts.`);
    }
  }
  get inAvals(): ShapedArray[] {
    return this.jaxpr.inAvals;
  }
  get outAvals(): ShapedArray[] {
    return this.jaxpr.outAvals;
  }
  toString(): string {
    return printJaxpr(this.jaxpr);
  }
}

/**
 * Checks that every variable is bound once before use and that each equation's
 * outvars have the avals abstract evaluation gives. Throws JaxprTypeError.
 */
export function typecheckJaxpr(jaxpr: Jaxpr): void {
  const env = new Set<Var>();
  const define = (v: Var, where: string): void => {
    if (env.has(v)) throw new JaxprTypeError(`typecheckJaxpr: variable ${v.aval.strShort()} is bound twice (${where}).`);
    env.add(v);
  };
  const read = (a: Atom, where: string): ShapedArray => {
    if (a instanceof Var && !env.has(a)) {
      throw new JaxprTypeError(`typecheckJaxpr: variable of type ${a.aval.strShort()} is used in ${where} before it is bound.`);
    }
    return a.aval;
  };
  jaxpr.constvars.forEach((v) => define(v, "constvars"));
  jaxpr.invars.forEach((v) => define(v, "invars"));
  jaxpr.eqns.forEach((eqn, i) => {
    const where = `equation ${i} (${eqn.prim})`;
    const inAvals = eqn.inputs.map((a) => read(a, where));
    const expected = abstractEval(eqn.prim, inAvals, eqn.params);
    if (expected.length !== eqn.outvars.length || expected.some((e, k) => !e.compatible(eqn.outvars[k]!.aval))) {
      throw new JaxprTypeError(
        `typecheckJaxpr: ${where} binds ${eqn.outvars.map((v) => v.aval.strShort()).join(" ")} ` +
          `but its inputs give ${expected.map((e) => e.strShort()).join(" ")}.`,
      );
    }
    eqn.outvars.forEach((v) => define(v, where));
  });
  jaxpr.outvars.forEach((a) => read(a, "the outputs"));
}

/** A literal's value as a constant array of its aval. */
export function literalValue(l: Literal): Array {
  return rootTrace().constant([l.value], l.aval);
}

/** Evaluates a jaxpr by binding each equation in the current trace (so it composes with transforms). */
export function evalJaxpr(jaxpr: Jaxpr, consts: readonly Array[], args: readonly Array[]): Array[] {
  if (args.length !== jaxpr.invars.length) {
    throw new JaxprTypeError(
      `evalJaxpr: the jaxpr takes ${jaxpr.invars.length} inputs (${jaxpr.inAvals.map((a) => a.strShort()).join(", ")}) but got ${args.length}.`,
    );
  }
  const env = new Map<Var, Array>();
  jaxpr.constvars.forEach((v, i) => env.set(v, consts[i]!));
  jaxpr.invars.forEach((v, i) => {
    const x = args[i]!;
    if (!v.aval.compatible(x.aval)) {
      throw new JaxprTypeError(`evalJaxpr: input ${i} should be ${v.aval.strShort()} but is ${x.aval.strShort()}.`);
    }
    env.set(v, x);
  });
  const read = (a: Atom): Array => (a instanceof Literal ? literalValue(a) : env.get(a)!);
  for (const eqn of jaxpr.eqns) {
    const outs = bind(eqn.prim, eqn.inputs.map(read), eqn.params);
    eqn.outvars.forEach((v, i) => env.set(v, outs[i]!));
  }
  return jaxpr.outvars.map(read);
}

