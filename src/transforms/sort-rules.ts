/**
 * Autodiff and batching rules of sort (JAX's _sort_jvp and _sort_batch_rule). sort is
 * not linear: its tangents are the operands' tangents permuted like the operands,
 * which is read off by sorting an iota along with them (an extra, non-key operand).
 */
import { isFloat } from "../core/index.js";
import * as lax from "../lax/index.js";
import { Prim } from "../trace/prim.js";
import { bind } from "../trace/trace.js";
import { takeAlong } from "./cumulative-rules.js";
import type { JvpRule } from "./jvp-rules.js";
import { moveBatchAxis, type VmapRule } from "./vmap-rules.js";
import { Zero, isZero } from "./zero.js";

/** Each output tangent is its operand's tangent gathered through the sorting permutation. */
export const sortJvp: JvpRule<Prim.Sort> = (primals, tangents, params) => {
  const positions = lax.broadcastedIota("int32", primals[0]!.shape, params.dimension);
  const sorted = bind(Prim.Sort, [...primals, positions], params);
  const perm = sorted.pop()!;
  const outTangents = tangents.map((t, i) =>
    isZero(t) || !isFloat(primals[i]!.dtype) ? new Zero(sorted[i]!.aval) : takeAlong(t, perm, params.dimension),
  );
  return [sorted, outTangents];
};

/**
 * Every operand gets its batch axis where the first batched operand has it (unbatched
 * ones are broadcast there); the sorted dimension moves past it when at or after it.
 */
export const sortVmap: VmapRule<Prim.Sort> = (vals, dims, params, axisSize) => {
  const at = dims.find((d) => d !== null)!;
  const moved = vals.map((v, i) => moveBatchAxis(v, dims[i]!, at, axisSize));
  const dimension = params.dimension >= at ? params.dimension + 1 : params.dimension;
  return [bind(Prim.Sort, moved, { ...params, dimension }), moved.map(() => at)];
};
