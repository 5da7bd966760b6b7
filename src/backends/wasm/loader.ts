/**
 * Instantiates the kernels with top-level await, so importing the WASM backend
 * needs no `init()`. The modules sit next to this file (`new URL(..., import.meta.url)`,
 * which bundlers also understand): Node reads them from disk, Deno and browsers fetch them.
 *
 * Threads: where SharedArrayBuffer exists and the host is Node, Deno or a
 * cross-origin-isolated page, kernels-threads.wasm runs over a shared memory with
 * N-1 workers (workers.ts); otherwise, or with N = 1, kernels.wasm runs alone.
 * N defaults to min(cores, 8) (1 in Deno, whose workers cannot be unref'd); the env
 * variable FERRAX_THREADS (Node, Deno with --allow-env) or `globalThis.FERRAX_THREADS`
 * set before the import overrides it.
 */
import { FerraxError } from "../../core/index.js";
import {
  ABI_VERSION, EXPORT_NAMES, MAX_THREADS, THREAD_EXPORT_NAMES, THREADS_MEMORY,
  type KernelExports, type ThreadExports,
} from "./abi.js";
import { startWorkers } from "./workers.js";

const WASM_URL = new URL("./kernels.wasm", import.meta.url);
const THREADS_URL = new URL("./kernels-threads.wasm", import.meta.url);
/** Each worker's stack (the main thread's is linked into the module). */
const WORKER_STACK_BYTES = 1 << 20;
/** Default thread count ceiling. */
const DEFAULT_MAX_THREADS = 8;

interface Host {
  readonly node: boolean;
  readonly deno: boolean;
}

const host: Host = {
  deno: typeof (globalThis as { Deno?: unknown }).Deno !== "undefined",
  node:
    typeof (globalThis as { Deno?: unknown }).Deno === "undefined" &&
    typeof (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node === "string",
};

async function readBytes(url: URL): Promise<BufferSource> {
  if (url.protocol === "file:" && !host.deno) {
    // Node (and Bun): fetch() has no file: support. The specifier is a variable so
    // browser bundlers do not try to resolve a Node builtin.
    const fsName = "node:fs/promises";
    const fs = (await import(/* @vite-ignore */ fsName)) as typeof import("node:fs/promises");
    return fs.readFile(url);
  }
  const res = await fetch(url);
  if (!res.ok) throw new FerraxError(`ferrax: could not load ${url.href} (HTTP ${res.status}).`);
  return res.arrayBuffer();
}

async function compile(url: URL): Promise<WebAssembly.Module> {
  let bytes: BufferSource;
  try {
    bytes = await readBytes(url);
  } catch (e) {
    throw new FerraxError(
      `ferrax: could not read the kernels at ${url.href} (${(e as Error).message}). ` +
        `They ship next to the wasm backend's JS; if a bundler moved the code, copy kernels*.wasm along.`,
    );
  }
  return WebAssembly.compile(bytes);
}

function checkExports(exports: KernelExports, names: readonly string[], file: string): void {
  const missing = names.filter((n) => !(n in exports));
  if (missing.length) throw new FerraxError(`ferrax: ${file} lacks exports ${missing.join(", ")}.`);
  const version = exports.fx_abi_version();
  if (version !== ABI_VERSION) {
    throw new FerraxError(
      `ferrax: ${file} speaks ABI ${version} but this build expects ${ABI_VERSION}; ` +
        `rebuild it with npm run build:kernels.`,
    );
  }
}

/** The FERRAX_THREADS setting, if any: the environment first, then `globalThis`. */
async function threadSetting(): Promise<string | undefined> {
  if (host.node) {
    const v = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.FERRAX_THREADS;
    if (v !== undefined) return v;
  } else if (host.deno) {
    type DenoEnv = {
      env: { get(k: string): string | undefined };
      permissions: { querySync?(d: { name: "env"; variable: string }): { state: string } };
    };
    const deno = (globalThis as unknown as { Deno: DenoEnv }).Deno;
    // Read only when granted: never prompt, never throw without --allow-env.
    const granted = deno.permissions.querySync?.({ name: "env", variable: "FERRAX_THREADS" }).state === "granted";
    const v = granted ? deno.env.get("FERRAX_THREADS") : undefined;
    if (v !== undefined) return v;
  }
  const g = (globalThis as { FERRAX_THREADS?: unknown }).FERRAX_THREADS;
  return g === undefined ? undefined : String(g);
}

async function defaultThreads(): Promise<number> {
  // Deno's Worker has no unref(), so live workers would keep a Deno program from ever
  // exiting: there threads are opt-in (FERRAX_THREADS=N, then end with Deno.exit()).
  if (host.deno) return 1;
  let cores = 1;
  if (host.node) {
    const osName = "node:os";
    const os = (await import(/* @vite-ignore */ osName)) as typeof import("node:os");
    cores = os.availableParallelism?.() ?? os.cpus().length;
  } else {
    cores = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 1;
  }
  return Math.max(1, Math.min(cores, DEFAULT_MAX_THREADS));
}

/** The requested thread count (1..MAX_THREADS). */
async function requestedThreads(): Promise<number> {
  const s = await threadSetting();
  return s === undefined ? defaultThreads() : parseThreads(s);
}

/** A FERRAX_THREADS value as a thread count, clamped to MAX_THREADS. */
export function parseThreads(s: string): number {
  const n = s.trim() === "" ? NaN : Number(s);
  if (!Number.isInteger(n) || n < 1) {
    throw new FerraxError(
      `ferrax: FERRAX_THREADS must be a positive integer (1 = single-threaded), got ${JSON.stringify(s)}.`,
    );
  }
  return Math.min(n, MAX_THREADS);
}

/** Whether this host can share a memory with workers. */
function canShare(): boolean {
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
  return (
    typeof SharedArrayBuffer === "function" &&
    typeof Atomics === "object" &&
    (host.node || ((host.deno || isolated) && typeof Worker === "function"))
  );
}

async function single(): Promise<KernelExports> {
  const { exports } = await WebAssembly.instantiate(await compile(WASM_URL), {});
  const k = exports as unknown as KernelExports;
  checkExports(k, EXPORT_NAMES, "kernels.wasm");
  return k;
}

async function threaded(n: number): Promise<KernelExports> {
  const module = await compile(THREADS_URL);
  const memory = new WebAssembly.Memory({ ...THREADS_MEMORY, shared: true });
  const i32 = new Int32Array(memory.buffer);
  // The main thread parks while workers finish a job's last chunks where the host
  // lets it block (Node, Deno); a browser main thread cannot, so there it spins.
  let canBlock = true;
  const { exports } = await WebAssembly.instantiate(module, {
    env: { memory },
    ferrax: {
      fx_wait: (addr: number, expected: number) => {
        if (!canBlock) return;
        try {
          Atomics.wait(i32, addr >>> 2, expected);
        } catch {
          canBlock = false;
        }
      },
      fx_notify: (addr: number) => void Atomics.notify(i32, addr >>> 2),
    },
  });
  // The memory is imported here, not exported: the backend finds it with the functions.
  const k = { ...exports, memory } as unknown as KernelExports & ThreadExports;
  checkExports(k, [...EXPORT_NAMES, ...THREAD_EXPORT_NAMES], "kernels-threads.wasm");
  const stacks: number[] = [];
  for (let i = 1; i < n; i++) {
    const base = k.fx_alloc(WORKER_STACK_BYTES) >>> 0;
    if (base === 0) throw new FerraxError("ferrax: out of memory allocating worker stacks.");
    stacks.push(base + WORKER_STACK_BYTES);
  }
  await startWorkers(module, memory, stacks, host.node);
  // Workers report ready just before entering their loop; wait until all have joined.
  const deadline = Date.now() + 10_000;
  while (k.fx_threads() < n) {
    if (Date.now() > deadline) throw new FerraxError(`ferrax: only ${k.fx_threads()} of ${n} kernel threads started.`);
    await new Promise((r) => setTimeout(r, 1));
  }
  return k;
}

/**
 * A new kernel instance on `threads` threads: kernels-threads.wasm with its own shared
 * memory and threads-1 workers when the host can share memory and threads > 1,
 * else kernels.wasm. (The backend uses one, `kernels`; tests load others to compare.)
 */
export async function loadKernels(threads: number): Promise<KernelExports> {
  return threads > 1 && canShare() ? threaded(Math.min(threads, MAX_THREADS)) : single();
}

/** The instantiated kernel module (one per process / page). */
export const kernels: KernelExports = await loadKernels(await requestedThreads());
