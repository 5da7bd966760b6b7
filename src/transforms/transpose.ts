/**
 * Transposition of linear jaxprs (JAX's ad.backward_pass): given cotangents of the
 * outputs, walk the equations backwards, applying each linear primitive's transpose
 * rule and summing cotangents per variable. Equations that do not depend on the
 * linear inputs are evaluated forward first.
 */
import { FerraxError, shapeEqual, type ShapedArray } from "../core/index.js";
import type { Array } from "../trace/array.js";
import { type Atom, type Jaxpr, type JaxprEqn, Literal, Var, literalValue } from "../trace/jaxpr.js";
import { type Prim, type PrimParams } from "../trace/prim.js";
import { bind } from "../trace/trace.js";
import { multiOutputTransposeRules, transposeRules, type MultiTransposeRule, type TransposeRule } from "./transpose-rules.js";
import { Zero, type Tangent } from "./zero.js";
import * as lax from "../lax/index.js";

/** A linear input of a primitive being transposed: only its aval is known. */
export class UndefinedPrimal {
  /** Nominal tag: an Array also has an aval, but is never an UndefinedPrimal. */
  readonly kind = "undefined-primal";
  constructor(readonly aval: ShapedArray) {}
}

export type TransposeInput = Array | UndefinedPrimal;

/**
 * Transposes `jaxpr` with respect to its inputs marked `UndefinedPrimal` in `args`
 * (the others are values): returns a cotangent per input (Zero for the non-linear ones).
 */
export function backwardPass(
  jaxpr: Jaxpr,
  consts: readonly Array[],
  args: readonly TransposeInput[],
  cotangentsOut: readonly Tangent[],
): Tangent[] {
  const linear = new Set<Var>();
  const primalEnv = new Map<Var, Array>();
  jaxpr.constvars.forEach((v, i) => primalEnv.set(v, consts[i]!));
  jaxpr.invars.forEach((v, i) => {
    const a = args[i]!;
    if (a instanceof UndefinedPrimal) linear.add(v);
    else primalEnv.set(v, a);
  });
  const read = (a: Atom): Array => (a instanceof Literal ? literalValue(a) : primalEnv.get(a)!);

  // Forward: evaluate what does not depend on the linear inputs (e.g. rematerialised values).
  const linearEqns: JaxprEqn[] = [];
  for (const eqn of jaxpr.eqns) {
    if (eqn.inputs.some((a) => a instanceof Var && linear.has(a))) {
      eqn.outvars.forEach((v) => linear.add(v));
      linearEqns.push(eqn);
    } else {
      const outs = bind(eqn.prim, eqn.inputs.map(read), eqn.params);
      eqn.outvars.forEach((v, i) => primalEnv.set(v, outs[i]!));
    }
  }

  const ctEnv = new Map<Var, Array>();
  const addCt = (v: Var, tangent: Tangent): void => {
    if (tangent instanceof Zero || !linear.has(v)) return;
    const ct: Array = tangent;
    if (!shapeEqual(ct.shape, v.aval.shape)) {
      throw new FerraxError(`transpose: a cotangent ${ct.aval.strShort()} arrived for a value of type ${v.aval.strShort()}; a transpose rule returned the wrong shape.`);
    }
    const prev = ctEnv.get(v);
    ctEnv.set(v, prev ? lax.add(prev, ct) : ct);
  };
  jaxpr.outvars.forEach((a, i) => {
    if (a instanceof Var) addCt(a, cotangentsOut[i]!);
  });

  // Backward: each linear equation's transpose, in reverse order.
  for (const eqn of linearEqns.reverse()) {
    const cts: Tangent[] = eqn.outvars.map((v) => ctEnv.get(v) ?? new Zero(v.aval));
    if (cts.every((c) => c instanceof Zero)) continue;
    const inputs: TransposeInput[] = eqn.inputs.map((a) =>
      a instanceof Var && linear.has(a) ? new UndefinedPrimal(a.aval) : read(a),
    );
    const multi = multiOutputTransposeRules[eqn.prim] as MultiTransposeRule<Prim> | undefined;
    const single = transposeRules[eqn.prim] as TransposeRule<Prim> | undefined;
    let ctsIn: (Tangent | null)[];
    if (multi) ctsIn = multi(cts, inputs, eqn.params as PrimParams<Prim>);
    else if (single && eqn.outvars.length === 1) ctsIn = single(cts[0] as Array, inputs, eqn.params as PrimParams<Prim>);
    else {
      throw new FerraxError(
        `transpose: ${eqn.prim} is not linear, but the linearized function applies it to a tangent; ` +
          `this is a bug in a JVP rule (it must only apply linear primitives to tangents).`,
      );
    }
    eqn.inputs.forEach((a, i) => {
      const c = ctsIn[i];
      if (a instanceof Var && c) addCt(a, c);
    });
  }
  return jaxpr.invars.map((v) => ctEnv.get(v) ?? new Zero(v.aval));
}
