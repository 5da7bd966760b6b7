/**
 * linearize = jvp + partial evaluation (JAX's ad.linearize): the primal outputs are
 * computed now; the tangent computation becomes a linear jaxpr whose constvars are
 * the residuals it needs from the primal computation.
 */
import type { Array } from "../trace/array.js";
import type { ClosedJaxpr } from "../trace/jaxpr.js";
import { currentTrace, withTrace } from "../trace/trace.js";
import { JVPTrace, unzipOutputs } from "./jvp.js";
import { PartialEvalTrace } from "./partial-eval.js";
import { Zero, instantiate, isDifferentiable, tangentAval } from "./zero.js";

export interface Linearized {
  /** The primal outputs, in the caller's trace. */
  readonly primalsOut: Array[];
  /** The linear map from input tangents to output tangents, closed over the residuals. */
  readonly linearJaxpr: ClosedJaxpr;
}

export function linearizeFlat(f: (...xs: Array[]) => Array[], primals: readonly Array[], kind: string): Linearized {
  const pe = new PartialEvalTrace(currentTrace(), kind);
  const tangentsIn = primals.map((p) => pe.newArg(tangentAval(p.aval)));
  const jvpTrace = new JVPTrace(pe, kind);
  const ins = primals.map((p, i) => (isDifferentiable(p.aval) ? jvpTrace.wrap(p, tangentsIn[i]!) : p));
  const outs = withTrace(jvpTrace, () => f(...ins));
  const [primalsOut, tangentsOut] = unzipOutputs(jvpTrace, outs);
  // Symbolic zeros become literal zeros (bound in `pe`, so they are known constants).
  const tangentArrays = withTrace(pe, () => tangentsOut.map((t) => (t instanceof Zero ? instantiate(t) : t)));
  return { primalsOut, linearJaxpr: pe.finish(tangentArrays) };
}
