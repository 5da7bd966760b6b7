/**
 * The backends ferrax ships: `wasm` (Rust kernels, the default) and `interpreter`
 * (plain TypeScript, the test oracle). Loading this module registers both.
 */
import { getBackend, registerBackend, setDefaultBackend } from "../trace/backend.js";
import { liveArrayCount, peakResidentArrayCount, residentArrayCount, resetPeakMemory } from "../trace/concrete.js";
import "../trace/eval-trace.js";
import { interpreterBackend } from "./interpreter/index.js";
import { wasmBackend } from "./wasm/index.js";

registerBackend(wasmBackend);
registerBackend(interpreterBackend);

export { getBackend, setDefaultBackend, resetPeakMemory };

export interface MemoryStats {
  /** Concrete arrays not yet disposed (views included). */
  readonly liveArrays: number;
  /** Of those, the arrays whose values live on a backend (not host-only constants). */
  readonly residentArrays: number;
  /** The most backend-resident arrays alive at once since `resetPeakMemory()`. */
  readonly peakResidentArrays: number;
  /** Backend buffers currently allocated. */
  readonly liveBuffers: number;
  /** Bytes held by those buffers. */
  readonly liveBytes: number;
  /** Bytes the backend has reserved (WASM linear memory size). */
  readonly reservedBytes: number;
}

/** Live arrays, buffers and bytes on a backend (the default one unless named). */
export function memoryStats(backend?: string): MemoryStats {
  return {
    liveArrays: liveArrayCount(),
    residentArrays: residentArrayCount(),
    peakResidentArrays: peakResidentArrayCount(),
    ...getBackend(backend).memoryStats(),
  };
}
