/**
 * The Backend interface: what the eager evaluation trace needs from a place that
 * stores and computes on array data. Backends import core and trace only.
 */
import { ArgumentError, type ShapedArray, type TypedArray } from "../core/index.js";
import type { ConcreteArray } from "./concrete.js";
import type { ClosedJaxpr } from "./jaxpr.js";
import type { KernelPrim, PrimParams } from "./prim.js";

/** A backend's handle to array data. Opaque outside the backend that made it. */
export interface BackendData {
  readonly __backendData: true;
}

export interface BackendMemoryStats {
  /** Buffers currently allocated (views share their base buffer and do not count). */
  readonly liveBuffers: number;
  /** Bytes held by those buffers. */
  readonly liveBytes: number;
  /** Bytes of memory the backend has reserved in total (e.g. WASM linear memory). */
  readonly reservedBytes: number;
}

export interface Backend {
  readonly name: string;
  /** Threads the backend computes with (absent: 1). */
  readonly threads?: number;
  /** Copies row-major host values, already of `aval.dtype`, into new backend data. */
  fromHost(values: TypedArray, aval: ShapedArray): BackendData;
  /**
   * Optional: one host value (`value.length === 1`) as data of `aval`'s shape with every
   * element equal to it (a broadcast view), for an elementwise operand; backends that
   * have it may keep the value uploaded across calls.
   */
  broadcastHostScalar?(value: TypedArray, aval: ShapedArray): BackendData;
  /** A row-major copy of the values (bool as Uint8Array of 0/1). */
  readSync(data: BackendData, aval: ShapedArray): TypedArray;
  /** Drops one handle; the storage is freed once no handle or view refers to it. */
  release(data: BackendData): void;
  /**
   * Runs one primitive. Inputs are never consumed or mutated. `outAvals` come from
   * abstract evaluation, so the backend does not re-check shapes.
   */
  execute<P extends KernelPrim>(
    prim: P,
    inputs: readonly BackendData[],
    inAvals: readonly ShapedArray[],
    params: PrimParams<P>,
    outAvals: readonly ShapedArray[],
  ): BackendData[];
  memoryStats(): BackendMemoryStats;
  /**
   * Optional: compiles an optimized jaxpr (consts first, then arguments) into one
   * program. `donated[i]` says input i's buffer may be reused. jit falls back to eager
   * evaluation on backends without it.
   */
  compileJaxpr?(jaxpr: ClosedJaxpr, donated: readonly boolean[]): Compiled;
}

/** A compiled jaxpr: runs on concrete arrays of its backend (consts first, then arguments). */
export interface Compiled {
  run(inputs: readonly ConcreteArray[]): ConcreteArray[];
  /** The program as text: kernels, fused groups, buffers and sizes. */
  describe(): string;
}

// --- Registry -------------------------------------------------------------------

const registry = new Map<string, Backend>();
let defaultName: string | null = null;

/** Makes a backend available by name; the first one registered becomes the default. */
export function registerBackend(backend: Backend): void {
  registry.set(backend.name, backend);
  defaultName ??= backend.name;
}

export function backendNames(): string[] {
  return [...registry.keys()];
}

/** The named backend, or the default one (where new arrays live unless told otherwise). */
export function getBackend(name?: string): Backend {
  const key = name ?? defaultName;
  const b = key === null ? undefined : registry.get(key);
  if (!b) {
    throw new ArgumentError(
      `getBackend: no backend named ${JSON.stringify(key)}; available: ${backendNames().join(", ") || "(none loaded)"}.`,
    );
  }
  return b;
}

/** Sets the default backend by name, returning the previous one's name. */
export function setDefaultBackend(name: string): string | null {
  getBackend(name);
  const prev = defaultName;
  defaultName = name;
  return prev;
}
