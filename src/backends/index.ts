/**
 * The backends ferrax ships: `wasm` (Rust kernels, the default) and `interpreter`
 * (plain TypeScript, the test oracle). Loading this module registers both.
 */
import { getBackend, registerBackend, setDefaultBackend } from "../trace/backend.js";
import { liveArrayCount, peakLiveArrayCount, resetPeakMemory } from "../trace/concrete.js";
import "../trace/eval-trace.js";
import { interpreterBackend } from "./interpreter/index.js";
import { wasmBackend } from "./wasm/index.js";

registerBackend(wasmBackend);
registerBackend(interpreterBackend);

export { getBackend, setDefaultBackend, resetPeakMemory };

export interface MemoryStats {
  /** Arrays holding backend storage, not yet disposed (views included; host-only constants hold none). */
  readonly liveArrays: number;
  /** The most such arrays alive at once since `resetPeakMemory()`. */
  readonly peakLiveArrays: number;
  /** Backend buffers currently allocated. */
  readonly liveBuffers: number;
  /** Bytes held by those buffers. */
  readonly liveBytes: number;
  /** Bytes the backend has reserved (WASM linear memory size). */
  readonly reservedBytes: number;
}

export interface BackendInfo {
  readonly name: string;
  /**
   * Threads its kernels run on. On WASM: min(cores, 8) by default where memory can
   * be shared with workers (Node, Deno, cross-origin-isolated pages), else 1; set
   * with the env variable FERRAX_THREADS (or `globalThis.FERRAX_THREADS` before import).
   */
  readonly threads: number;
}

/** The default backend (or the named one) and how many threads it computes with. */
export function backendInfo(backend?: string): BackendInfo {
  const b = getBackend(backend);
  return { name: b.name, threads: b.threads ?? 1 };
}

/** Live arrays, buffers and bytes on a backend (the default one unless named). */
export function memoryStats(backend?: string): MemoryStats {
  return {
    liveArrays: liveArrayCount(),
    peakLiveArrays: peakLiveArrayCount(),
    ...getBackend(backend).memoryStats(),
  };
}
