/**
 * Counts calls across the JS -> WASM boundary, for tests and benchmarks: every
 * call of a compute export (a kernel or a program run) and, separately, calls of
 * the allocator exports. The backend's Heap talks to the counted exports, so
 * nothing else needs to know.
 */
import type { KernelExports } from "./abi.js";

export interface CallCounts {
  /** Kernel and program calls (fx_unary ... fx_program_run). */
  compute: number;
  /** fx_alloc and fx_free calls. */
  alloc: number;
  /** Program runs alone (fx_program_run). */
  programs: number;
}

const ALLOCATOR = new Set<string>(["fx_alloc", "fx_free"]);
const UNCOUNTED = new Set<string>(["memory", "fx_abi_version", "fx_threads"]);

/** `k` with every function export wrapped to bump `counts`. */
export function countingExports(k: KernelExports): { exports: KernelExports; counts: CallCounts } {
  const counts: CallCounts = { compute: 0, alloc: 0, programs: 0 };
  const wrapped: Record<string, unknown> = {};
  for (const name of Object.keys(k) as (keyof KernelExports)[]) {
    const v = k[name] as unknown;
    if (UNCOUNTED.has(name) || typeof v !== "function") {
      Object.defineProperty(wrapped, name, { get: () => k[name], enumerable: true });
      continue;
    }
    const f = v as (...args: number[]) => number;
    if (ALLOCATOR.has(name)) {
      wrapped[name] = (...args: number[]) => (counts.alloc++, f(...args));
    } else if (name === "fx_program_run") {
      wrapped[name] = (p: number, s: number) => (counts.compute++, counts.programs++, f(p, s));
    } else {
      wrapped[name] = (...args: number[]) => (counts.compute++, f(...args));
    }
  }
  return { exports: wrapped as unknown as KernelExports, counts };
}
