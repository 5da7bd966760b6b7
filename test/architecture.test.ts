// The layering of DESIGN.md, checked on the import statements of src/:
// core <- trace <- lax <- transforms <- numpy <- (random/nn/optim); backends import core and trace only.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve, dirname } from "node:path";
import { describe, expect, test } from "vitest";

const SRC = resolve(__dirname, "../src");

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith(".ts") ? [p] : [];
  });
}

/** The layer a source file belongs to: its first folder under src/ ("index" for the barrel). */
const layerOf = (file: string): string => relative(SRC, file).split("/")[0]!.replace(/\.ts$/, "");

const ALLOWED: Record<string, readonly string[]> = {
  core: ["core"],
  trace: ["core", "trace"],
  lax: ["core", "trace", "lax"],
  transforms: ["core", "trace", "lax", "transforms"],
  backends: ["core", "trace", "backends"],
  numpy: ["core", "trace", "lax", "transforms", "numpy"],
  nn: ["core", "trace", "lax", "transforms", "numpy", "nn"],
  testing: ["core", "trace", "lax", "transforms", "numpy", "testing"],
  index: ["core", "trace", "lax", "transforms", "numpy", "nn", "backends", "testing"],
};

const imports = (file: string): string[] =>
  [...readFileSync(file, "utf8").matchAll(/^\s*(?:import|export)[^'"]*from\s+["'](\.[^"']+)["']/gm)].map((m) =>
    resolve(dirname(file), m[1]!),
  );

describe("architecture", () => {
  const all = files(SRC);

  test("every layer imports only the layers below it", () => {
    const violations = all.flatMap((file) =>
      imports(file)
        .map((target) => layerOf(target))
        .filter((target) => !(ALLOWED[layerOf(file)] ?? []).includes(target))
        .map((target) => `${relative(SRC, file)} imports ${target}`),
    );
    expect(violations).toEqual([]);
  });

  test("no `any` in trace/ or transforms/", () => {
    const offenders = all
      .filter((f) => ["trace", "transforms"].includes(layerOf(f)))
      .flatMap((f) =>
        readFileSync(f, "utf8")
          .split("\n")
          .map((line, i) => [line, i + 1] as const)
          .filter(([line]) => /:\s*any\b|as any\b|<any>|any\[\]/.test(line.replace(/\/\/.*$|\/\*.*\*\//g, "")))
          .map(([, n]) => `${relative(SRC, f)}:${n}`),
      );
    expect(offenders).toEqual([]);
  });

  test("the layer table covers every folder", () => {
    expect(all.map(layerOf).filter((l) => !(l in ALLOWED))).toEqual([]);
  });
});
