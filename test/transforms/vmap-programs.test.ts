// vmap of random programs (test/helpers/programs.ts: chains of unary/binary ops,
// reductions with keepdims, transposes, reshapes, matmuls, slices, ...) equals the
// loop over the batch; nested vmaps of them equal nested loops; and their Jacobians
// (jacfwd and jacrev are built on vmap) agree with each other and with a loop of
// jvps / vjps over the standard basis.
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { type DType, jacfwd, jacrev, jvp, numpy as np, vjp, vmap, type VmapOptions } from "../../src/index.js";
import { shapeSize } from "../../src/core/index.js";
import { arrays, shapes } from "../../src/testing/index.js";
import type { Array as NdArray } from "../../src/trace/array.js";
import {
  type LeafAxis,
  batchSizeArb,
  batchedShape,
  expectClose,
  foldAxis,
  inAxisArb,
  loopMap,
  rel,
  stack,
  toDevice,
  runs,
  toHost,
} from "../helpers/batching.js";
import { type Program, programArb } from "../helpers/programs.js";

const RTOL: Record<string, number> = { float32: 1e-4, float64: 1e-10 };
const dtypeArb = fc.constantFrom<DType>("float32", "float64");

interface Case {
  readonly prog: Program;
  readonly B: number;
  readonly axes: [LeafAxis, LeafAxis];
  readonly outPick: number | undefined;
  readonly x: NdArray;
  readonly y: NdArray;
}

/** Example shapes: mostly non-empty, sometimes with a zero-size axis. */
const exampleShapes = (maxRank: number) =>
  fc.oneof({ arbitrary: shapes({ maxRank, minDim: 1, maxDim: 3 }), weight: 5 }, { arbitrary: shapes({ maxRank, maxDim: 3 }), weight: 1 });

const caseArb: fc.Arbitrary<Case> = fc
  .tuple(exampleShapes(3), dtypeArb)
  .chain(([s, dtype]) =>
    fc.tuple(
      programArb(s, dtype),
      batchSizeArb,
      inAxisArb(s.length, false),
      inAxisArb(s.length),
      fc.option(fc.integer({ min: -5, max: 5 }), { nil: undefined }),
    ),
  )
  .chain(([prog, B, ax, ay, outPick]) =>
    fc
      .tuple(
        arrays({ shape: batchedShape(prog.inShape, ax, B), dtype: prog.dtype, min: -2, max: 2 }),
        arrays({ shape: batchedShape(prog.inShape, ay, B), dtype: prog.dtype, min: -2, max: 2 }),
      )
      .map(([x, y]) => ({
        prog,
        B,
        axes: [ax, ay] as [LeafAxis, LeafAxis],
        outPick,
        x,
        y,
        [fc.toStringMethod]: () => `${prog}; B=${B} inAxes=[${ax}, ${ay}] outAxes=${outPick ?? "default"}\n  x=${x}\n  y=${y}`,
      })),
  );

describe("random programs", () => {
  test("vmap(program)(x, y) equals the loop over the batch", () => {
    fc.assert(
      fc.property(caseArb, ({ prog, B, axes, outPick, x, y }) => {
        const outAxis = outPick === undefined ? 0 : foldAxis(outPick, prog.outShape.length);
        const want = loopMap(prog.run, axes, () => outAxis, B)(x, y) as NdArray;
        const opts: VmapOptions = { inAxes: axes, ...(outPick === undefined ? {} : { outAxes: outAxis }) };
        const got = vmap(prog.run, opts)(x, y) as NdArray;
        expectClose(`${prog}; B=${B} inAxes=${JSON.stringify(axes)} outAxes=${outAxis}`, toHost(got), toHost(want), rel(RTOL[prog.dtype]!));
      }),
      { numRuns: runs(150) },
    );
  });

  test("vmap of vmap (different axes at each level) equals a loop of loops", () => {
    const arb = fc
      .tuple(exampleShapes(2), dtypeArb)
      .chain(([s, dtype]) =>
        fc.tuple(
          programArb(s, dtype, { maxSteps: 4 }),
          fc.integer({ min: 0, max: 3 }),
          fc.integer({ min: 1, max: 3 }),
          inAxisArb(s.length, false),
          inAxisArb(s.length),
          fc.integer({ min: -5, max: 5 }),
          fc.option(fc.integer({ min: -5, max: 5 })),
          fc.integer({ min: -5, max: 5 }),
          fc.integer({ min: -5, max: 5 }),
        ),
      )
      .chain(([prog, B1, B2, ix, iy, ox, oy, innerOut, outerOut]) => {
        // Inner axes index the example shape; outer axes index the inner-batched shape.
        const inner = [ix, iy] as const;
        const innerShapes = inner.map((a) => batchedShape(prog.inShape, a, B2));
        const outer = [foldAxis(ox, innerShapes[0]!.length), oy === null ? null : foldAxis(oy, innerShapes[1]!.length)] as const;
        return fc
          .tuple(
            arrays({ shape: batchedShape(innerShapes[0]!, outer[0], B1), dtype: prog.dtype, min: -2, max: 2 }),
            arrays({ shape: batchedShape(innerShapes[1]!, outer[1], B1), dtype: prog.dtype, min: -2, max: 2 }),
          )
          .map(([x, y]) => ({
            prog,
            B1,
            B2,
            inner: [...inner],
            outer: [...outer],
            innerOut: foldAxis(innerOut, prog.outShape.length),
            outerOut: foldAxis(outerOut, prog.outShape.length + 1),
            x,
            y,
            [fc.toStringMethod]: () => `${prog}; inner B=${B2} inAxes=[${inner}]; outer B=${B1} inAxes=[${outer}]\n  x=${x}\n  y=${y}`,
          }));
      });
    fc.assert(
      fc.property(arb, ({ prog, B1, B2, inner, outer, innerOut, outerOut, x, y }) => {
        // y may be mapped by either vmap, both, or neither; x always by both.
        const outerOpts = (axes: LeafAxis[]): VmapOptions => ({ inAxes: axes, outAxes: outerOut, ...(axes.every((a) => a === null) ? { axisSize: B1 } : {}) });
        const got = vmap(vmap(prog.run, { inAxes: inner, outAxes: innerOut }), outerOpts(outer))(x, y) as NdArray;
        const want = loopMap(loopMap(prog.run, inner, () => innerOut, B2), outer, () => outerOut, B1)(x, y) as NdArray;
        expectClose(`${prog}`, toHost(got), toHost(want), rel(RTOL[prog.dtype]!));
      }),
      { numRuns: runs(60) },
    );
  });
});

/** J[out..., in...] by definition: one jvp per basis vector of the input (forward), or one vjp per basis vector of the output (reverse). */
function jacobianByLoop(f: (x: NdArray) => NdArray, x: NdArray, mode: "fwd" | "rev"): NdArray {
  const out = f(x);
  const n = mode === "fwd" ? x.size : out.size;
  const like = mode === "fwd" ? x : out;
  const basis = (j: number) => np.array(Array.from({ length: n }, (_, k) => (k === j ? 1 : 0)), { dtype: like.dtype }).reshape([...like.shape]);
  const cols = Array.from({ length: n }, (_, j) => {
    if (mode === "fwd") return toHost((jvp(f, [x], [basis(j)]) as [NdArray, NdArray])[1]);
    const [, pullback] = vjp(f, x);
    return toHost((pullback(basis(j)) as NdArray[])[0]!);
  });
  // fwd: columns J[..., j] stacked last; rev: rows J[i, ...] stacked first.
  const exampleShape = mode === "fwd" ? out.shape : x.shape;
  const stacked = toDevice(stack(cols, mode === "fwd" ? exampleShape.length : 0, { shape: exampleShape, dtype: out.dtype }));
  return stacked.reshape([...out.shape, ...x.shape]);
}

describe("Jacobians (vmap of jvp and of vjp)", () => {
  test("jacfwd == jacrev on random smooth programs, and each equals its loop definition", () => {
    const arb = shapes({ maxRank: 2, minDim: 1, maxDim: 3 }).chain((s) =>
      fc.tuple(programArb(s, "float64", { smooth: true, maxSteps: 4 }), arrays({ shape: s, dtype: "float64", min: -1.5, max: 1.5 })),
    );
    fc.assert(
      fc.property(arb, fc.nat(1000), ([prog, x], seed) => {
        const y = np.array(Array.from({ length: shapeSize(prog.inShape) }, (_, i) => Math.cos(seed + i)), { dtype: "float64" }).reshape(prog.inShape);
        const f = (a: NdArray) => prog.run(a, y);
        const jf = jacfwd(f)(x) as NdArray;
        const jr = jacrev(f)(x) as NdArray;
        expect(jf.shape).toEqual([...prog.outShape, ...prog.inShape]);
        expectClose(`${prog}: jacrev vs jacfwd`, toHost(jr), toHost(jf), rel(1e-10));
        expectClose(`${prog}: jacfwd vs loop of jvp`, toHost(jf), toHost(jacobianByLoop(f, x, "fwd")), rel(1e-12));
        expectClose(`${prog}: jacrev vs loop of vjp`, toHost(jr), toHost(jacobianByLoop(f, x, "rev")), rel(1e-12));
      }),
      { numRuns: runs(30) },
    );
  });
});
