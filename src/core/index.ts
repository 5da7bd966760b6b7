export * from "./dtype.js";
export * from "./shape.js";
export * from "./aval.js";
export * from "./errors.js";
export * as tree from "./pytree.js";
export { TreeDef, type KeyPath } from "./pytree.js";
