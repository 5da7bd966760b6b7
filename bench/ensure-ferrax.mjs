// Makes sure the root package's dist/ is built and newer than its sources, so the
// bench always measures the code in the work tree. Builds with the root's own
// `npm run build` when dist/ is missing or stale; never touches anything else.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";

export const ROOT = fileURLToPath(new URL("..", import.meta.url));
export const DIST_ENTRY = path.join(ROOT, "dist", "index.js");

/** Newest modification time (ms) of the files under `p` (a file or a folder). */
function newestMtime(p) {
  if (!existsSync(p)) return 0;
  const st = statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(p)) {
    if (entry === "node_modules" || entry === "target") continue;
    newest = Math.max(newest, newestMtime(path.join(p, entry)));
  }
  return newest;
}

/** Why dist/ needs a rebuild, or null when it is up to date. */
export function staleReason() {
  if (!existsSync(DIST_ENTRY)) return "dist/index.js is missing";
  const built = statSync(DIST_ENTRY).mtimeMs;
  const inputs = ["src", "scripts", "tsconfig.json", "tsconfig.build.json", "package.json"];
  for (const input of inputs) {
    if (newestMtime(path.join(ROOT, input)) > built) return `${input} changed since the last build`;
  }
  return null;
}

/**
 * Builds the root package if needed. Returns { ok, note }: ok is false when a
 * needed build failed (the bench then reports ferrax as unavailable).
 */
export function ensureFerraxBuilt({ skip = false } = {}) {
  const reason = staleReason();
  if (reason === null) return { ok: true, note: "dist up to date" };
  if (skip) return { ok: existsSync(DIST_ENTRY), note: `not rebuilt (${reason}; BENCH_NO_BUILD set)` };
  process.stderr.write(`bench: building ferrax (${reason}): npm run build in ${ROOT}\n`);
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  const r = spawnSync(npm, ["run", "build", "--silent"], { cwd: ROOT, stdio: ["ignore", "inherit", "inherit"] });
  if (r.status !== 0) return { ok: false, note: `root build failed (exit ${r.status ?? r.signal})` };
  return { ok: true, note: `rebuilt (${reason})` };
}
