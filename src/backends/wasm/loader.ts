/**
 * Instantiates kernels.wasm with top-level await, so importing the WASM backend
 * needs no `init()`. The module sits next to this file (`new URL(..., import.meta.url)`,
 * which bundlers also understand): Node reads it from disk, Deno and browsers fetch it.
 */
import { FerraxError } from "../../core/index.js";
import { ABI_VERSION, EXPORT_NAMES, type KernelExports } from "./abi.js";

const WASM_URL = new URL("./kernels.wasm", import.meta.url);

async function readBytes(url: URL): Promise<BufferSource> {
  const isDeno = typeof (globalThis as { Deno?: unknown }).Deno !== "undefined";
  if (url.protocol === "file:" && !isDeno) {
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

async function instantiate(): Promise<KernelExports> {
  let bytes: BufferSource;
  try {
    bytes = await readBytes(WASM_URL);
  } catch (e) {
    throw new FerraxError(
      `ferrax: could not read the kernels at ${WASM_URL.href} (${(e as Error).message}). ` +
        `It ships next to the wasm backend's JS; if a bundler moved the code, copy kernels.wasm along.`,
    );
  }
  const { instance } = await WebAssembly.instantiate(bytes, {});
  const exports = instance.exports as unknown as KernelExports;
  const missing = EXPORT_NAMES.filter((n) => !(n in exports));
  if (missing.length) throw new FerraxError(`ferrax: kernels.wasm lacks exports ${missing.join(", ")}.`);
  const version = exports.fx_abi_version();
  if (version !== ABI_VERSION) {
    throw new FerraxError(
      `ferrax: kernels.wasm speaks ABI ${version} but this build expects ${ABI_VERSION}; ` +
        `rebuild it with npm run build:kernels.`,
    );
  }
  return exports;
}

/** The instantiated kernel module (one per process / page). */
export const kernels: KernelExports = await instantiate();
