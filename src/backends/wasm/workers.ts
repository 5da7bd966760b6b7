/**
 * The worker side of the threads build: N-1 workers (Node worker_threads, or Web
 * Workers in Deno and cross-origin-isolated pages), each instantiating the same
 * compiled module over the same shared memory, pointing its `__stack_pointer` at a
 * stack of its own and entering `fx_worker_loop(tid)` (kernels-rs/src/parallel.rs),
 * where it parks with Atomics.wait between jobs.
 *
 * The worker code is a string run with `eval` (Node) or from a Blob URL (Web), so it
 * needs no separate file that bundlers or the TS build would have to know about.
 */
import { FerraxError } from "../../core/index.js";

/** What a worker receives: the module, the shared memory, its stack top and thread id. */
interface WorkerInit {
  readonly module: WebAssembly.Module;
  readonly memory: WebAssembly.Memory;
  readonly stackTop: number;
  readonly tid: number;
}

/** The shared part of the worker script: instantiate, set the stack, report, park. */
const WORKER_CORE = `
async function ferraxWorker({ module, memory, stackTop, tid }, ready) {
  const i32 = new Int32Array(memory.buffer);
  const { exports } = await WebAssembly.instantiate(module, {
    env: { memory },
    ferrax: {
      fx_wait: (addr, expected) => { Atomics.wait(i32, addr >>> 2, expected); },
      fx_notify: (addr) => { Atomics.notify(i32, addr >>> 2); },
    },
  });
  exports.__stack_pointer.value = stackTop;
  ready();
  exports.fx_worker_loop(tid);
}
`;

const NODE_WORKER =
  WORKER_CORE +
  `
const { parentPort } = require("node:worker_threads");
parentPort.once("message", (init) =>
  ferraxWorker(init, () => parentPort.postMessage({ ready: true })).catch((e) =>
    parentPort.postMessage({ error: String(e && e.stack || e) })));
`;

const WEB_WORKER =
  WORKER_CORE +
  `
self.onmessage = (ev) =>
  ferraxWorker(ev.data, () => self.postMessage({ ready: true })).catch((e) =>
    self.postMessage({ error: String(e && e.stack || e) }));
`;

type Reply = { ready: true } | { error: string };

/** A started worker: resolves once it is parked in its loop. */
interface Started {
  readonly ready: Promise<void>;
  terminate(): void;
}

async function startNode(init: WorkerInit): Promise<Started> {
  const name = "node:worker_threads";
  const { Worker } = (await import(/* @vite-ignore */ name)) as typeof import("node:worker_threads");
  const w = new Worker(NODE_WORKER, { eval: true, name: `ferrax-${init.tid}` });
  // A parked worker must not keep the process alive.
  w.unref();
  const ready = new Promise<void>((resolve, reject) => {
    w.once("message", (m: Reply) => ("ready" in m ? resolve() : reject(new Error(m.error))));
    w.once("error", reject);
  });
  w.postMessage(init);
  return { ready, terminate: () => void w.terminate() };
}

function startWeb(init: WorkerInit, url: string): Started {
  const w = new Worker(url, { type: "module", name: `ferrax-${init.tid}` });
  // Deno's Worker has unref(); browsers end workers with the page.
  (w as { unref?: () => void }).unref?.();
  const ready = new Promise<void>((resolve, reject) => {
    w.onmessage = (ev: MessageEvent<Reply>) => ("ready" in ev.data ? resolve() : reject(new Error(ev.data.error)));
    w.onerror = (ev) => reject(new Error(ev.message));
  });
  w.postMessage(init);
  return { ready, terminate: () => w.terminate() };
}

/**
 * Starts one worker per stack (thread ids 1, 2, ...) and resolves once all are
 * parked; on any failure, terminates them all and rejects.
 */
export async function startWorkers(
  module: WebAssembly.Module,
  memory: WebAssembly.Memory,
  stackTops: readonly number[],
  node: boolean,
): Promise<void> {
  const url = node ? "" : URL.createObjectURL(new Blob([WEB_WORKER], { type: "text/javascript" }));
  const started: Started[] = [];
  try {
    for (let i = 0; i < stackTops.length; i++) {
      const init: WorkerInit = { module, memory, stackTop: stackTops[i]!, tid: i + 1 };
      started.push(node ? await startNode(init) : startWeb(init, url));
    }
    await Promise.all(started.map((s) => s.ready));
  } catch (e) {
    for (const s of started) s.terminate();
    throw new FerraxError(
      `ferrax: could not start kernel worker threads (${(e as Error).message}); ` +
        `set FERRAX_THREADS=1 to run the kernels single-threaded.`,
    );
  } finally {
    if (url) URL.revokeObjectURL(url);
  }
}
