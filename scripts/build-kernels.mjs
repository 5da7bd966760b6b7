#!/usr/bin/env node
// Builds kernels-rs into src/backends/wasm/kernels.wasm (committed, so installing
// the package needs no Rust).
//
//   node scripts/build-kernels.mjs           build and write kernels.wasm
//   node scripts/build-kernels.mjs --check   build and fail if it differs from the committed file
//
// Toolchain: Debian's rustc/cargo 1.63 with the wasm32 std (a rustup toolchain
// without the wasm32 target must not shadow it, so both are called by path).
// Output is byte-identical across checkouts: the checkout path is remapped,
// debug info is stripped, and LTO with one codegen unit fixes the code order.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const CRATE = join(ROOT, "kernels-rs");
const TARGET = "wasm32-unknown-unknown";
const OUT = join(ROOT, "src", "backends", "wasm", "kernels.wasm");
const CARGO = process.env.FERRAX_CARGO ?? "/usr/bin/cargo";
const RUSTC = process.env.FERRAX_RUSTC ?? "/usr/bin/rustc";
const APT = "apt-get install -y rustc cargo libstd-rust-dev-wasm32";

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
const env = { ...process.env };
for (const k of Object.keys(env)) {
  // Anything that could change the output or pick another toolchain.
  if (/^(CARGO_|RUSTC_|RUSTFLAGS$|RUSTDOCFLAGS$|RUSTUP_)/.test(k)) delete env[k];
}
const home = process.env.CARGO_HOME ?? join(process.env.HOME ?? "/root", ".cargo");
Object.assign(env, {
  RUSTC,
  CARGO_TARGET_DIR: join(CRATE, "target"),
  CARGO_NET_OFFLINE: "true",
  RUSTFLAGS: [
    "-C", "target-feature=+simd128",
    `--remap-path-prefix=${CRATE}=/ferrax/kernels-rs`,
    `--remap-path-prefix=${home}=/cargo-home`,
  ].join(" "),
});
const build = run(
  CARGO,
  ["build", "--release", "--locked", "--offline", "--target", TARGET, "--manifest-path", join(CRATE, "Cargo.toml")],
  { cwd: CRATE, env, stdio: ["ignore", "inherit", "inherit"] },
);
if (build.status !== 0) fail(`cargo build failed (exit ${build.status})`);

const built = join(CRATE, "target", TARGET, "release", "ferrax_kernels.wasm");
const bytes = readFileSync(built);
const sha = createHash("sha256").update(bytes).digest("hex");
const mod = new WebAssembly.Module(bytes);
if (WebAssembly.Module.imports(mod).length) fail("kernels.wasm must not import anything");

if (process.argv.includes("--check")) {
  const committed = existsSync(OUT) ? readFileSync(OUT) : Buffer.alloc(0);
  if (!committed.equals(bytes)) {
    fail(`src/backends/wasm/kernels.wasm differs from a fresh build (fresh sha256 ${sha}); run npm run build:kernels`);
  }
  console.log(`build-kernels: kernels.wasm is up to date (${bytes.length} bytes, sha256 ${sha})`);
} else {
  mkdirSync(dirname(OUT), { recursive: true });
  copyFileSync(built, OUT);
  console.log(`build-kernels: wrote src/backends/wasm/kernels.wasm (${bytes.length} bytes, sha256 ${sha})`);
}
