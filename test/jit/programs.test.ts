// jit(f)(x) equals f(x) evaluated eagerly on the WASM backend, for random programs
// over every kernel primitive and dtype (random-programs.ts), and for the shared
// random numpy-level programs (test/helpers/programs.ts). Tolerances: compare.ts.
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { jit, lax, makeJaxpr, tidy } from "../../src/index.js";
import { KERNEL_PRIMS } from "../../src/trace/prim.js";
import { ClosedJaxpr, type Jaxpr } from "../../src/trace/jaxpr.js";
import { ShapedArray, shapeSize } from "../../src/core/index.js";
import { getBackend } from "../../src/trace/backend.js";
import { concreteFromValues } from "../../src/trace/concrete.js";
import type { Array as NdArray } from "../../src/trace/array.js";
import { programArb } from "../helpers/programs.js";
import { hostArb } from "../helpers/arbitraries.js";
import { expectAgree } from "./compare.js";
import { randomProgram } from "./random-programs.js";

const RUNS = Number(process.env.JIT_RUNS ?? 300);

describe("jit equals eager", () => {
  test("random programs over every kernel primitive and dtype", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
        const p = randomProgram(seed);
        tidy(() => {
          // Some inputs arrive as strided views (transposed or broadcast), as eager results can.
          const make = () => p.inputs.map((m, k) => {
            const layout = (seed >> (2 * k)) & 3;
            const rank = m.shape.length;
            if (layout === 1 && rank >= 2) {
              const rev = [...m.shape].reverse();
              const base = concreteFromValues(p.values[k]!, new ShapedArray(rev, m.dtype), getBackend("wasm"));
              return lax.transpose(base, rev.map((_, a) => rank - 1 - a));
            }
            if (layout === 2 && rank >= 1 && shapeSize(m.shape) > 0) {
              const one = [1, ...m.shape.slice(1)];
              const n = shapeSize(one);
              const base = concreteFromValues(p.values[k]!.slice(0, n), new ShapedArray(one, m.dtype), getBackend("wasm"));
              return lax.broadcastInDim(base, m.shape, m.shape.map((_, a) => a));
            }
            return concreteFromValues(p.values[k]!, new ShapedArray(m.shape, m.dtype), getBackend("wasm")) as NdArray;
          });
          const xs = make();
          const want = p.run(...xs);
          const got = jit((...a: NdArray[]) => p.run(...a))(...xs);
          // Again with every input donated (fresh copies: donation disposes them).
          const donated = jit((...a: NdArray[]) => p.run(...a), { donateArgnums: p.inputs.map((_, k) => k) })(...make());
          want.forEach((w, k) => {
            try {
              expectAgree(`output ${k}`, got[k]!, w, p.outputs[k]!.inexact);
              expectAgree(`output ${k}, inputs donated`, donated[k]!, w, p.outputs[k]!.inexact);
            } catch (e) {
              throw new Error(`seed ${seed}\n${p.text}\n${(e as Error).message}`);
            }
          });
        });
      }),
      { numRuns: RUNS },
    );
  });

  test("the random programs cover every kernel primitive and dtype", () => {
    const prims = new Set<string>();
    const dtypes = new Set<string>();
    for (let seed = 0; seed < 1500; seed++) {
      const p = randomProgram(seed);
      tidy(() => {
        const xs = p.inputs.map((m, k) => concreteFromValues(p.values[k]!, new ShapedArray(m.shape, m.dtype)) as NdArray);
        const walk = (j: Jaxpr): void => {
          for (const e of j.eqns) {
            prims.add(e.prim);
            e.outvars.forEach((v) => dtypes.add(v.aval.dtype));
            for (const q of Object.values(e.params as object)) if (q instanceof ClosedJaxpr) walk(q.jaxpr);
          }
        };
        walk(makeJaxpr((...a: NdArray[]) => p.run(...a))(...xs).jaxpr);
      });
    }
    expect(KERNEL_PRIMS.filter((q) => !prims.has(q))).toEqual([]);
    expect([...dtypes].sort()).toEqual(["bool", "float32", "float64", "int32", "uint32"]);
  });

  for (const dtype of ["float32", "float64"] as const) {
    test(`numpy-level program chains on ${dtype}`, () => {
      const arb = fc
        .tuple(fc.array(fc.integer({ min: 1, max: 4 }), { maxLength: 3 }), fc.integer({ min: 0, max: 2 ** 31 - 1 }))
        .chain(([shape]) => fc.tuple(programArb(shape, dtype), hostArb(dtype, shape), hostArb(dtype, shape)));
      fc.assert(
        fc.property(arb, ([prog, x, y]) => {
          tidy(() => {
            const place = (h: typeof x) => concreteFromValues(h.values, new ShapedArray(h.shape, h.dtype), getBackend("wasm")) as NdArray;
            const [a, b] = [place(x), place(y)];
            const want = prog.run(a, b);
            const got = jit(prog.run)(a, b);
            const inexact = !prog.steps.every((s) => s.exact) || prog.steps.some((s) => /sum|mean|prod|matmul/.test(s.name));
            try {
              expectAgree(String(prog), got, want, inexact);
            } catch (e) {
              throw new Error(`${prog}\n${(e as Error).message}`);
            }
          });
        }),
        { numRuns: Math.round(RUNS / 2) },
      );
    });
  }
});
