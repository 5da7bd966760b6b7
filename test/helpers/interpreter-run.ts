/** Running one primitive directly on the interpreter backend, for its own tests. */
import { expect } from "vitest";
import { type DType, ShapedArray, TYPED_ARRAY } from "../../src/core/index.js";
import { interpreterBackend } from "../../src/backends/interpreter/index.js";
import type { KernelPrim, PrimParams } from "../../src/trace/prim.js";

/** Host data of one operand. */
export interface Host {
  readonly dtype: DType;
  readonly shape: readonly number[];
  readonly values: readonly number[];
}

export const h = (dtype: DType, shape: readonly number[], values: readonly number[]): Host => ({ dtype, shape, values });

/**
 * Runs one primitive on the singleton backend and returns the (first) output's values;
 * `moreOuts` are the types of a multi-output primitive's other outputs.
 * Also checks that inputs are unchanged and that no buffer leaks.
 */
export function run<P extends KernelPrim>(
  prim: P,
  args: readonly Host[],
  params: PrimParams<P>,
  out: readonly [DType, readonly number[]],
  moreOuts: readonly (readonly [DType, readonly number[]])[] = [],
): number[] {
  const B = interpreterBackend;
  const before = B.memoryStats();
  const inAvals = args.map((a) => new ShapedArray(a.shape, a.dtype));
  const hostIn = args.map((a) => TYPED_ARRAY[a.dtype].from(a.values));
  const datas = args.map((_, i) => B.fromHost(hostIn[i]!, inAvals[i]!));
  const outAval = new ShapedArray(out[1], out[0]);
  try {
    const others = moreOuts.map(([d, shape]) => new ShapedArray(shape, d));
    const results = B.execute(prim, datas, inAvals, params, [outAval, ...others]);
    expect(results).toHaveLength(1 + others.length);
    const got = B.readSync(results[0]!, outAval);
    expect(got).toBeInstanceOf(TYPED_ARRAY[out[0]]);
    datas.forEach((d, i) => expect(B.readSync(d, inAvals[i]!)).toEqual(hostIn[i]));
    results.forEach((r) => B.release(r));
    return Array.from(got);
  } finally {
    datas.forEach((d) => B.release(d));
    expect(B.memoryStats()).toEqual(before);
  }
}
