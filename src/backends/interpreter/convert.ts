/**
 * convert_element_type: the one place a value changes dtype.
 *
 * - float → int32/uint32 as Rust's `as`: truncate toward zero, saturate to the
 *   integer range, NaN → 0.
 * - anything → bool: x != 0 (so NaN → true).
 * - int32 ↔ uint32: reinterpret the 32 bits (wraps).
 * - → float32: round to nearest even (f64 → f32, and large integers).
 * - bool → number: 0/1.
 */
import { type DType, isFloat } from "../../core/index.js";
import type { Prim } from "../../trace/prim.js";
import {
  type ImplRule,
  INT32_MAX,
  INT32_MIN,
  UINT32_MAX,
  allocate,
  first,
} from "./common.js";

/** Float → integer as Rust's `as`: truncate, saturate to [lo, hi], NaN → 0. */
function saturatingTrunc(x: number, lo: number, hi: number): number {
  if (Number.isNaN(x)) return 0;
  return Math.min(hi, Math.max(lo, Math.trunc(x)));
}

/** One value of dtype `from` converted to dtype `to`, as the number stored. */
export function convertValue(x: number, from: DType, to: DType): number {
  switch (to) {
    case "bool":
      return x !== 0 ? 1 : 0;
    case "float32":
      return Math.fround(x);
    case "float64":
      return x;
    case "int32":
      if (isFloat(from)) return saturatingTrunc(x, INT32_MIN, INT32_MAX);
      return x | 0;
    case "uint32":
      if (isFloat(from)) return saturatingTrunc(x, 0, UINT32_MAX);
      return x >>> 0;
  }
}

export const convertElementTypeRule: ImplRule<Prim.ConvertElementType> = (
  inputs,
  inAvals,
  { newDtype },
) => {
  const from = first(inAvals).dtype;
  const x = first(inputs);
  const out = allocate(newDtype, x.length);
  for (let i = 0; i < x.length; i++) out[i] = convertValue(x[i]!, from, newDtype);
  return [out];
};
