/** A small MLP for jit tests: parameters and a mean-squared-error loss. */
import { numpy as np } from "../../src/index.js";
import type { Array as NdArray } from "../../src/trace/array.js";

export type Params = { w1: NdArray; b1: NdArray; w2: NdArray; b2: NdArray };

/** A 2-layer MLP's mean squared error. */
export function mlpLoss(p: Params, x: NdArray, y: NdArray): NdArray {
  const h = np.maximum(np.matmul(x, p.w1).add(p.b1), 0);
  const out = np.matmul(h, p.w2).add(p.b2);
  return np.mean(np.square(out.sub(y)));
}

export function mlpParams(nin: number, nh: number, nout: number): Params {
  const r = (shape: number[], s: number) => np.sin(np.arange(shape.reduce((a, b) => a * b, 1)).mul(s)).mul(0.5).reshape(shape);
  return { w1: r([nin, nh], 1.3), b1: np.zeros([nh]), w2: r([nh, nout], 0.7), b2: np.zeros([nout]) };
}
