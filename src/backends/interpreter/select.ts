/**
 * select_n(pred, ...cases): picks, elementwise, the case that `pred` names.
 *
 * `pred` is bool (false → cases[0], true → cases[1]) or an integer index into the
 * cases. Every operand has the output's shape or is rank-0 (a scalar predicate, or a
 * scalar case, stands for every element). An index out of range is
 * clamped (below 0 → the first case, past the end → the last), which is what JAX's
 * lowering to a tree of `which < mid` selects computes.
 */
import { ArgumentError } from "../../core/index.js";
import type { Prim } from "../../trace/prim.js";
import { type ImplRule, allocate, first, requireDtype } from "./common.js";

export const selectNRule: ImplRule<Prim.SelectN> = (inputs, inAvals, _params, outAvals) => {
  const [pred, ...cases] = inputs;
  const predAval = first(inAvals);
  requireDtype("select_n", predAval.dtype, (d) => d !== "float32" && d !== "float64",
    "a bool or integer predicate");
  if (pred === undefined || cases.length === 0) {
    throw new ArgumentError("select_n: needs a predicate and at least one case.");
  }
  const out = allocate(first(outAvals).dtype, first(outAvals).size);
  const step = inAvals.map((a) => (a.ndim === 0 ? 0 : 1));
  const last = cases.length - 1;
  for (let i = 0; i < out.length; i++) {
    const which = pred[i * step[0]!]!;
    const k = which < 0 ? 0 : which > last ? last : which;
    out[i] = cases[k]![i * step[k + 1]!]!;
  }
  return [out];
};
