/**
 * The interpreter's rule table: one ImplRule per primitive, typed exhaustively so a
 * primitive without an implementation does not compile.
 */
import { Prim, type KernelPrim } from "../../trace/prim.js";
import type { ImplRule } from "./common.js";
import { convRule, reduceWindowRules } from "./conv.js";
import { cumulativeRules } from "./cumulative.js";
import { sortRule } from "./sort.js";
import { convertElementTypeRule } from "./convert.js";
import { dotGeneralRule } from "./dot.js";
import { gatherRules } from "./gather.js";
import { binaryRules, compareRules, integerPowRule, roundingBitwiseOtherRules, roundingBitwiseSpecialUnaryRules, unaryRules } from "./elementwise.js";
import { iotaRule } from "./iota.js";
import { linalgRules } from "./linalg.js";
import { reduceRules } from "./reduce.js";
import { selectNRule } from "./select.js";
import { shapeRules } from "./shape-ops.js";

export const implRules: { readonly [P in KernelPrim]: ImplRule<P> } = {
  ...unaryRules,
  [Prim.IntegerPow]: integerPowRule,
  [Prim.ConvertElementType]: convertElementTypeRule,
  ...binaryRules,
  ...compareRules,
  [Prim.SelectN]: selectNRule,
  ...reduceRules,
  ...shapeRules,
  ...gatherRules,
  [Prim.DotGeneral]: dotGeneralRule,
  [Prim.Iota]: iotaRule,
  [Prim.ConvGeneralDilated]: convRule,
  [Prim.ReduceWindowSum]: reduceWindowRules.reduceWindowSum,
  [Prim.ReduceWindowMax]: reduceWindowRules.reduceWindowMax,
  [Prim.ReduceWindowMin]: reduceWindowRules.reduceWindowMin,
  // Identity on values; only its autodiff rule differs.
  [Prim.StopGradient]: ([x]) => [x!.slice()],
  ...linalgRules,
  ...roundingBitwiseSpecialUnaryRules,
  ...roundingBitwiseOtherRules,
  ...cumulativeRules,
  [Prim.Sort]: sortRule,
};
