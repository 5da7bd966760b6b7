/** `lax`: thin wrappers over the primitives, with JAX's names in camelCase. */
export * from "./elementwise.js";
export * from "./shape.js";
export * from "./reduce.js";
export { stopGradient } from "./autodiff.js";
export * from "./conv.js";
export * from "./window.js";
