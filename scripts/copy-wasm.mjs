#!/usr/bin/env node
// Copies the committed kernel modules (kernels.wasm, kernels-threads.wasm) next to
// the compiled backend in dist/ (tsc does not copy assets). Run after
// `tsc -p tsconfig.build.json`.
import { copyFileSync, existsSync, mkdirSync } from "node:fs";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const SRC_DIR = join(ROOT, "src", "backends", "wasm");
const DEST_DIR = join(ROOT, "dist", "backends", "wasm");

mkdirSync(DEST_DIR, { recursive: true });
for (const file of ["kernels.wasm", "kernels-threads.wasm"]) {
  if (!existsSync(join(SRC_DIR, file))) {
    console.error(`copy-wasm: src/backends/wasm/${file} is missing; run npm run build:kernels`);
    process.exit(1);
  }
  copyFileSync(join(SRC_DIR, file), join(DEST_DIR, file));
  console.log(`copy-wasm: dist/backends/wasm/${file}`);
}
