/**
 * Partial evaluation (JAX's pe.JaxprTrace, in its stackless form): operations whose
 * operands are all known — values of enclosing traces — are evaluated right away in
 * the parent trace; operations that touch an unknown value (a tracer of this trace)
 * are staged into a jaxpr, and the known values they read become its constvars
 * (the residuals). Linearize uses this on a JVP to split primal from tangent work.
 */
import type { Array } from "../trace/array.js";
import type { Prim, PrimParams } from "../trace/prim.js";
import { StagingTrace } from "../trace/staging.js";
import { bind, withTrace } from "../trace/trace.js";

export class PartialEvalTrace extends StagingTrace {
  override processPrimitive<P extends Prim>(prim: P, args: readonly Array[], params: PrimParams<P>): Array[] {
    if (args.some((x) => this.owns(x))) return super.processPrimitive(prim, args, params);
    return withTrace(this.parent!, () => bind(prim, args, params));
  }
}
