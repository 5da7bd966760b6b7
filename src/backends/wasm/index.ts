/**
 * The WASM backend: Rust kernels (kernels-rs) compiled to kernels.wasm, loaded by
 * top-level await when this module is imported.
 */
export { WasmBackend, wasmRules } from "./backend.js";
export { WasmBuffer } from "./array.js";
import { WasmBackend } from "./backend.js";

/** The process-wide WASM backend. */
export const wasmBackend = new WasmBackend();
