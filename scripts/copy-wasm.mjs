#!/usr/bin/env node
// Copies the committed kernels.wasm next to the compiled backend in dist/
// (tsc does not copy assets). Run after `tsc -p tsconfig.build.json`.
import { copyFileSync, existsSync, mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const SRC = join(ROOT, "src", "backends", "wasm", "kernels.wasm");
const DEST = join(ROOT, "dist", "backends", "wasm", "kernels.wasm");

if (!existsSync(SRC)) {
  console.error("copy-wasm: src/backends/wasm/kernels.wasm is missing; run npm run build:kernels");
  process.exit(1);
}
mkdirSync(dirname(DEST), { recursive: true });
copyFileSync(SRC, DEST);
console.log("copy-wasm: dist/backends/wasm/kernels.wasm");
