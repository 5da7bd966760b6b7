/** Structural utilities over jaxprs: closure conversion, dependence, dead-code elimination. */
import { ClosedJaxpr, Jaxpr, Var, type Atom, type JaxprEqn } from "./jaxpr.js";
import type { Array } from "./array.js";

/**
 * Turns a closed jaxpr's constants into leading inputs (JAX's closure conversion), so
 * a higher-order primitive can take them as explicit operands: returns the jaxpr
 * with no consts and the const values to pass first.
 */
export function closureConvert(closed: ClosedJaxpr): { jaxpr: ClosedJaxpr; consts: readonly Array[] } {
  const j = closed.jaxpr;
  const jaxpr = new Jaxpr([], [...j.constvars, ...j.invars], j.eqns, j.outvars);
  return { jaxpr: new ClosedJaxpr(jaxpr, []), consts: closed.consts };
}

/** For each output, whether it depends on any input marked in `inputs`. */
export function outputsDependingOn(jaxpr: Jaxpr, inputs: readonly boolean[]): boolean[] {
  const dep = new Set<Var>(jaxpr.invars.filter((_, i) => inputs[i]));
  for (const e of jaxpr.eqns) {
    if (e.inputs.some((a) => a instanceof Var && dep.has(a))) e.outvars.forEach((v) => dep.add(v));
  }
  return jaxpr.outvars.map((a) => a instanceof Var && dep.has(a));
}

/**
 * Keeps only the outputs marked in `used` and the equations they need (JAX's
 * dce_jaxpr); inputs and constvars are kept as they are.
 */
export function dceJaxpr(jaxpr: Jaxpr, used: readonly boolean[]): Jaxpr {
  const outvars = jaxpr.outvars.filter((_, i) => used[i]);
  const live = new Set<Atom>(outvars);
  const eqns: JaxprEqn[] = [];
  for (let i = jaxpr.eqns.length - 1; i >= 0; i--) {
    const e = jaxpr.eqns[i]!;
    if (!e.outvars.some((v) => live.has(v))) continue;
    eqns.push(e);
    e.inputs.forEach((a) => live.add(a));
  }
  return new Jaxpr(jaxpr.constvars, jaxpr.invars, eqns.reverse(), outvars);
}
