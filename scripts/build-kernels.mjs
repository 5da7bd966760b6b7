#!/usr/bin/env node
// Builds kernels-rs into the two committed modules (so installing the package needs
// no Rust):
//   src/backends/wasm/kernels.wasm          single-threaded, own memory, no imports
//   src/backends/wasm/kernels-threads.wasm  feature `threads`: imports a shared memory
//                                           and the futex calls of src/parallel.rs
//
//   node scripts/build-kernels.mjs           build and write both
//   node scripts/build-kernels.mjs --check   build and fail if either differs from the committed file
//
// Toolchain: Debian's rustc/cargo 1.63 with the wasm32 std (a rustup toolchain
// without the wasm32 target must not shadow it, so both are called by path).
// Output is byte-identical across checkouts: the checkout path is remapped,
// debug info is stripped, and LTO with one codegen unit fixes the code order.
// Each module builds in its own target directory, so neither clobbers the other.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const CRATE = join(ROOT, "kernels-rs");
const TARGET = "wasm32-unknown-unknown";
const WASM_DIR = join(ROOT, "src", "backends", "wasm");
const CARGO = process.env.FERRAX_CARGO ?? "/usr/bin/cargo";
const RUSTC = process.env.FERRAX_RUSTC ?? "/usr/bin/rustc";
const APT = "apt-get install -y rustc cargo libstd-rust-dev-wasm32";
// The threads module's memory: THREADS_MEMORY in src/backends/wasm/abi.ts must match.
const PAGE = 65536;
const THREADS_INITIAL_PAGES = 32;
const THREADS_MAXIMUM_PAGES = 65536;

const BUILDS = [
  {
    file: "kernels.wasm",
    features: [],
    targetDir: join(CRATE, "target"),
    rustflags: ["-C", "target-feature=+simd128"],
    imports: [],
  },
  {
    file: "kernels-threads.wasm",
    features: ["threads"],
    targetDir: join(CRATE, "target", "threads"),
    rustflags: [
      "-C", "target-feature=+atomics,+bulk-memory,+mutable-globals,+simd128",
      // The prebuilt std/compiler_builtins lack the atomics feature flag (their code
      // is still valid in a shared memory; std's allocator gets a lock in parallel.rs).
      "-C", "link-arg=--no-check-features",
      "-C", "link-arg=--shared-memory",
      "-C", "link-arg=--import-memory",
      "-C", `link-arg=--initial-memory=${THREADS_INITIAL_PAGES * PAGE}`,
      "-C", `link-arg=--max-memory=${THREADS_MAXIMUM_PAGES * PAGE}`,
      // Each worker's instance points its own stack pointer at a stack of its own.
      "-C", "link-arg=--export=__stack_pointer",
    ],
    imports: ["env.memory:memory", "ferrax.fx_notify:function", "ferrax.fx_wait:function"],
  },
];

function fail(msg) {
  console.error(`build-kernels: ${msg}`);
  process.exit(1);
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: "utf8", ...opts });
  if (r.error) fail(`could not run ${cmd}: ${r.error.message}`);
  return r;
}

// --- toolchain checks -------------------------------------------------------
for (const tool of [CARGO, RUSTC]) {
  if (!existsSync(tool)) fail(`${tool} not found. Install Debian's Rust with the wasm32 std:\n  ${APT}`);
}
const sysroot = run(RUSTC, ["--print", "sysroot"]).stdout.trim();
if (!existsSync(join(sysroot, "lib", "rustlib", TARGET))) {
  fail(`${RUSTC} has no ${TARGET} standard library (looked in ${sysroot}/lib/rustlib). Install it:\n  ${APT}`);
}

// --- build ------------------------------------------------------------------
const baseEnv = { ...process.env };
for (const k of Object.keys(baseEnv)) {
  // Anything that could change the output or pick another toolchain.
  if (/^(CARGO_|RUSTC_|RUSTFLAGS$|RUSTDOCFLAGS$|RUSTUP_)/.test(k)) delete baseEnv[k];
}
const home = process.env.CARGO_HOME ?? join(process.env.HOME ?? "/root", ".cargo");
const check = process.argv.includes("--check");

for (const b of BUILDS) {
  const env = {
    ...baseEnv,
    RUSTC,
    CARGO_TARGET_DIR: b.targetDir,
    CARGO_NET_OFFLINE: "true",
    RUSTFLAGS: [
      ...b.rustflags,
      `--remap-path-prefix=${CRATE}=/ferrax/kernels-rs`,
      `--remap-path-prefix=${home}=/cargo-home`,
    ].join(" "),
  };
  const features = b.features.length ? ["--features", b.features.join(",")] : [];
  const build = run(
    CARGO,
    ["build", "--release", "--locked", "--offline", "--target", TARGET, ...features, "--manifest-path", join(CRATE, "Cargo.toml")],
    { cwd: CRATE, env, stdio: ["ignore", "inherit", "inherit"] },
  );
  if (build.status !== 0) fail(`cargo build of ${b.file} failed (exit ${build.status})`);

  const built = join(b.targetDir, TARGET, "release", "ferrax_kernels.wasm");
  const bytes = readFileSync(built);
  const sha = createHash("sha256").update(bytes).digest("hex");
  const mod = new WebAssembly.Module(bytes);
  const imports = WebAssembly.Module.imports(mod).map((i) => `${i.module}.${i.name}:${i.kind}`).sort();
  if (imports.join() !== b.imports.join()) {
    fail(`${b.file} imports [${imports.join(", ")}] but must import exactly [${b.imports.join(", ")}]`);
  }
  const out = join(WASM_DIR, b.file);
  if (check) {
    const committed = existsSync(out) ? readFileSync(out) : Buffer.alloc(0);
    if (!committed.equals(bytes)) {
      fail(`src/backends/wasm/${b.file} differs from a fresh build (fresh sha256 ${sha}); run npm run build:kernels`);
    }
    console.log(`build-kernels: ${b.file} is up to date (${bytes.length} bytes, sha256 ${sha})`);
  } else {
    mkdirSync(dirname(out), { recursive: true });
    copyFileSync(built, out);
    console.log(`build-kernels: wrote src/backends/wasm/${b.file} (${bytes.length} bytes, sha256 ${sha})`);
  }
}
