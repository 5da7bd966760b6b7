/**
 * Partial evaluation (JAX's pe.JaxprTrace, in its stackless form): operations whose
 * operands are all known — values of enclosing traces — are evaluated right away in
 * the parent trace; operations that touch an unknown value (a tracer of this trace)
 * are staged into a jaxpr, and the known values they read become its constvars
 * (the residuals). Linearize uses this on a JVP to split primal from tangent work.
 */
import type { Array } from "../trace/array.js";
import { Prim, type PrimParams } from "../trace/prim.js";
import { StagingTrace } from "../trace/staging.js";
import { bind, withTrace } from "../trace/trace.js";
import { checkpointPartialEval } from "./checkpoint.js";

/** A primitive's own partial evaluation, given a way to stage it as a plain equation. */
type PartialEvalRule<P extends Prim> = (
  trace: StagingTrace,
  stage: (args: readonly Array[], params: PrimParams<P>) => Array[],
  args: readonly Array[],
  params: PrimParams<P>,
) => Array[];

/** Primitives whose known and unknown parts split in their own way (JAX's partial_eval_jaxpr_custom_rules). */
const partialEvalRules: Partial<{ [P in Prim]: PartialEvalRule<P> }> = {
  [Prim.Checkpoint]: checkpointPartialEval,
};

export class PartialEvalTrace extends StagingTrace {
  override processPrimitive<P extends Prim>(prim: P, args: readonly Array[], params: PrimParams<P>): Array[] {
    if (!args.some((x) => this.owns(x))) return withTrace(this.parent!, () => bind(prim, args, params));
    const rule = partialEvalRules[prim] as PartialEvalRule<P> | undefined;
    const stage = (a: readonly Array[], p: PrimParams<P>): Array[] => super.processPrimitive(prim, a, p);
    return rule ? rule(this, stage, args, params) : stage(args, params);
  }
}
