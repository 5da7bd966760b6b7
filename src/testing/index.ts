/** `ferrax/testing`: property-test helpers for code written with ferrax. */
export { checkGrads, type CheckGradsOptions, type GradMode } from "./check-grads.js";
export {
  arrays,
  broadcastableShapes,
  dtypes,
  shapes,
  values,
  type ArrayOptions,
  type DTypeOptions,
  type ShapeOptions,
} from "./arbitraries.js";
