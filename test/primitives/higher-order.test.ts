/**
 * WASM backend == interpreter backend for stop_gradient and the higher-order
 * primitives (checkpoint, custom_jvp_call, custom_vjp_call evaluate their jaxpr on
 * the operands' backend; custom_lin raises the same error on both). Cases in
 * cases-higher-order.ts; compared exactly.
 */
import { higherOrderCases } from "../helpers/cases-higher-order.js";
import { runCases } from "../helpers/parity.js";

runCases(higherOrderCases);
