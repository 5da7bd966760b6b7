/** `lax`: thin wrappers over the primitives, with JAX's names in camelCase. */
export * from "./elementwise.js";
export * from "./shape.js";
export * from "./reduce.js";
export { stopGradient } from "./autodiff.js";
export * from "./structural.js";
export { cholesky, triangularSolve, lu, qr, eigh, svd, type TriangularSolveOptions, type SvdOptions } from "./linalg.js";
export * from "./conv.js";
export * from "./window.js";
export { cumsum, cumprod, cummax, cummin } from "./cumulative.js";
export { sort, sortKeyVal, topK } from "./sort.js";
