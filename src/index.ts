/**
 * ferrax: JAX for TypeScript. The one public entry: explicit named exports only.
 */
export * as numpy from "./numpy/index.js";
export * as lax from "./lax/index.js";
export * as special from "./numpy/special.js";
export * as nn from "./nn/index.js";
export { Array } from "./trace/array.js";
export type { ArrayLike } from "./trace/array-ops.js";
export { makeJaxpr, type MakeJaxprOptions } from "./trace/staging.js";
export { ClosedJaxpr, Jaxpr, evalJaxpr, typecheckJaxpr } from "./trace/jaxpr.js";
export { Prim, ALL_PRIMS } from "./trace/prim.js";
export { tidy, keep } from "./trace/memory.js";
export { setDebug } from "./trace/debug.js";
export { jvp } from "./transforms/jvp.js";
export { linearize } from "./transforms/linearize.js";
export { vjp, grad, valueAndGrad, type GradOptions, type GradOf, type VjpFunction } from "./transforms/vjp.js";
export { jacfwd, jacrev, hessian, type JacobianOptions } from "./transforms/jacobian.js";
export { vmap, type VmapOptions, type AxisSpec } from "./transforms/vmap.js";
export { jit, Lowered, type JitFunction, type JitOptions } from "./transforms/jit.js";
export { customJvp, type CustomJvpFunction, type CustomOptions } from "./transforms/custom-jvp.js";
export { customVjp, type CustomVjpFunction } from "./transforms/custom-vjp.js";
export { checkpoint, checkpoint as remat, type CheckpointOptions } from "./transforms/checkpoint.js";
export {
  memoryStats, resetPeakMemory, getBackend, setDefaultBackend, backendInfo, type MemoryStats, type BackendInfo,
} from "./backends/index.js";
export type { Backend, BackendMemoryStats } from "./trace/backend.js";
export * as tree from "./core/pytree.js";
export {
  type DType,
  type Shape,
  ShapedArray,
  promoteTypes,
  FerraxError,
  ShapeError,
  DTypeError,
  ArgumentError,
  DisposedArrayError,
  ConcretizationError,
  UnexpectedTracerError,
  JaxprTypeError,
} from "./core/index.js";
