/**
 * select_n(pred, ...cases): picks, elementwise, the case that `pred` names.
 *
 * `pred` is bool (false → cases[0], true → cases[1]) or an integer index into the
 * cases. Operands have the output's shape up to broadcasting (rank-0 operands stand
 * for every element, size-1 axes repeat), as for the other elementwise primitives.
 * An index out of range is clamped (below 0 → the first case, past the end → the
 * last), which is what JAX's lowering to a tree of `which < mid` selects computes.
 */
import { ArgumentError } from "../../core/index.js";
import type { Prim } from "../../trace/prim.js";
import { type ImplRule, allocate, first, operandOffsets, requireDtype } from "./common.js";

export const selectNRule: ImplRule<Prim.SelectN> = (inputs, inAvals, _params, outAvals) => {
  const cases = inputs.length - 1;
  requireDtype("select_n", first(inAvals).dtype, (d) => d !== "float32" && d !== "float64",
    "a bool or integer predicate");
  if (cases < 1) {
    throw new ArgumentError("select_n: needs a predicate and at least one case.");
  }
  const outAval = first(outAvals);
  const out = allocate(outAval.dtype, outAval.size);
  const at = inAvals.map((a) => operandOffsets(a.shape, outAval.shape));
  const read = (n: number, i: number): number => inputs[n]![at[n] ? at[n][i]! : i]!;
  const last = cases - 1;
  for (let i = 0; i < out.length; i++) {
    const which = read(0, i);
    const k = which < 0 ? 0 : which > last ? last : which;
    out[i] = read(k + 1, i);
  }
  return [out];
};
