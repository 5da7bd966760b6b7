// Loads the libraries under comparison. Each loader returns a handle
//   { key, label, version, detail, mod, live?() }
// or { key, label, error } when the library cannot be loaded, so one missing peer
// shows as "n/a" in the table instead of stopping the run.
//   mod    what workloads receive (the library's namespace, ready to use)
//   live() a count of live arrays/tensors, for the leak check (absent: no check)
//   liveBytes() the bytes those hold, by the library's own count (absent: none)
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { DIST_ENTRY, ROOT, ensureFerraxBuilt } from "./ensure-ferrax.mjs";

const require = createRequire(import.meta.url);

/** Order of the table's columns; ferrax first, the ratios are ferrax against each peer. */
export const LIB_KEYS = ["ferrax", "jax-js", "tfjs-wasm"];

function packageDir(name) {
  // Resolve through the package's main entry (some packages do not export package.json).
  let dir = path.dirname(require.resolve(name));
  while (!readJson(path.join(dir, "package.json"))?.name?.startsWith(name)) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`cannot find package.json of ${name}`);
    dir = up;
  }
  return dir;
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch {
    return null;
  }
}

function gitDescribe() {
  try {
    const sha = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: ROOT, encoding: "utf8" }).trim();
    const dirty = execFileSync("git", ["status", "--porcelain", "--", "src"], { cwd: ROOT, encoding: "utf8" }).trim();
    return dirty ? `${sha}+dirty src` : sha;
  } catch {
    return "no git";
  }
}

async function loadFerrax({ backend, noBuild }) {
  const label = "ferrax";
  const built = ensureFerraxBuilt({ skip: noBuild });
  if (!built.ok) return { key: "ferrax", label, error: built.note };
  const fx = await import(pathToFileURL(DIST_ENTRY).href);
  if (backend) fx.setDefaultBackend(backend);
  const name = fx.getBackend().name;
  const version = readJson(path.join(ROOT, "package.json")).version;
  return {
    key: "ferrax",
    label,
    version: `${version} (${gitDescribe()})`,
    detail: `backend ${name}, ${fx.backendInfo().threads} thread(s) (FERRAX_THREADS to set); ${built.note}`,
    mod: fx,
    live: () => fx.memoryStats().liveArrays,
    liveBytes: () => fx.memoryStats().liveBytes,
  };
}

async function loadJaxJs() {
  const label = "jax-js";
  const jx = await import("@jax-js/jax");
  const devices = await jx.init("wasm");
  if (!devices.includes("wasm")) throw new Error(`jax-js init: no wasm device (got ${devices.join(", ")})`);
  jx.defaultDevice("wasm");
  const version = readJson(path.join(packageDir("@jax-js/jax"), "package.json")).version;
  // jax-js exposes no public count of live arrays, so there is no leak check for it.
  // jax-js runs its wasm kernels on worker threads only where SharedArrayBuffer and a
  // global Worker both exist; Node has no global Worker.
  const threads = typeof SharedArrayBuffer !== "undefined" && typeof Worker !== "undefined";
  return { key: "jax-js", label, version, detail: `device wasm; threads ${threads ? "on" : "off"}`, mod: jx };
}

async function loadTfjsWasm() {
  const label = "tfjs-wasm";
  // The tfjs union package prints a hint about tfjs-node when it loads in Node; it is
  // not what is being compared here, so keep it out of the report.
  const warn = console.warn;
  const log = console.log;
  console.warn = console.log = () => {};
  let tf, wasm;
  try {
    tf = await import("@tensorflow/tfjs");
    wasm = await import("@tensorflow/tfjs-backend-wasm");
  } finally {
    console.warn = warn;
    console.log = log;
  }
  // The .wasm binaries ship in the package's dist/ folder: load them from there.
  const distDir = path.join(packageDir("@tensorflow/tfjs-backend-wasm"), "dist") + path.sep;
  wasm.setWasmPaths(distDir);
  if (!(await tf.setBackend("wasm"))) throw new Error("tf.setBackend('wasm') failed");
  await tf.ready();
  const simd = tf.env().getBool("WASM_HAS_SIMD_SUPPORT");
  const threads = tf.env().getBool("WASM_HAS_MULTITHREAD_SUPPORT");
  return {
    key: "tfjs-wasm",
    label,
    version: `tfjs ${tf.version.tfjs}, tfjs-backend-wasm ${wasm.version_wasm}`,
    detail: `backend ${tf.getBackend()}; simd ${simd ? "on" : "off"}, threads ${threads ? "on" : "off"}`,
    mod: tf,
    live: () => tf.memory().numTensors,
    liveBytes: () => tf.memory().numBytes,
  };
}

const LOADERS = { ferrax: loadFerrax, "jax-js": loadJaxJs, "tfjs-wasm": loadTfjsWasm };

/** Loads the requested libraries (all by default), in column order. */
export async function loadLibs(keys = LIB_KEYS, options = {}) {
  const libs = [];
  for (const key of LIB_KEYS.filter((k) => keys.includes(k))) {
    try {
      libs.push(await LOADERS[key](options));
    } catch (e) {
      libs.push({ key, label: key, error: `failed to load: ${e?.message ?? e}` });
    }
  }
  return libs;
}
