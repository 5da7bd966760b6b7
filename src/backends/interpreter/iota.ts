/**
 * iota{dtype, shape, dimension}: each element is its index along `dimension`,
 * converted to `dtype` as convert_element_type converts an int (bool: index != 0).
 */
import type { Prim } from "../../trace/prim.js";
import { type ImplRule, allocate } from "./common.js";
import { convertValue } from "./convert.js";

export const iotaRule: ImplRule<Prim.Iota> = (_inputs, _inAvals, { dtype, shape, dimension }) => {
  const out = allocate(dtype, shape.reduce((a, b) => a * b, 1));
  // Row-major: the index along `dimension` advances every `inner` elements.
  const inner = shape.slice(dimension + 1).reduce((a, b) => a * b, 1);
  const size = shape[dimension]!;
  for (let i = 0; i < out.length; i++) {
    out[i] = convertValue(Math.floor(i / inner) % size, "float64", dtype);
  }
  return [out];
};
