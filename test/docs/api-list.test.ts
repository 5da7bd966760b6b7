// docs/api.md is generated from src/index.ts's exports; it must match what the
// generator would write now, so the README's function list never drifts from the code.
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { expect, test } from "vitest";

test("docs/api.md is up to date with the exports", () => {
  const r = spawnSync(process.execPath, [resolve(__dirname, "../../scripts/api-list.mjs"), "--check"], { encoding: "utf8" });
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
}, 60_000);
