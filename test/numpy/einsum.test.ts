// einsum: random subscripts (1-3 operands, repeated labels for diagonals, size-1
// broadcasting, implicit and explicit outputs) against a brute-force JS reference
// over dtypes; ellipsis forms against their explicit-letter equivalents; the greedy
// contraction order; gradients; vmap; errors for bad subscripts.
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { ArgumentError, ShapeError, makeJaxpr, numpy as np } from "../../src/index.js";
import { type DType, shapeSize } from "../../src/core/index.js";
import { checkGrads } from "../../src/testing/index.js";
import type { Array as NdArray } from "../../src/trace/array.js";
import { at, batchOf, checkVmap, det, expectClose, host, tolFor, unravel } from "./helpers.js";
import { arrayArb } from "./values.js";

interface Spec {
  readonly inputs: string[];
  readonly output: string | null;
  readonly shapes: number[][];
  readonly sizes: Record<string, number>;
}

const LETTERS = ["a", "b", "c", "d"];

const specArb: fc.Arbitrary<Spec> = fc
  .tuple(
    fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 4, maxLength: 4 }),
    fc.array(fc.array(fc.constantFrom(...LETTERS), { maxLength: 3 }), { minLength: 1, maxLength: 3 }),
    fc.boolean(),
    fc.nat(),
    fc.array(fc.boolean(), { minLength: 9, maxLength: 9 }),
    fc.boolean(),
  )
  .map(([sz, terms, explicit, seed, ones, zero]) => {
    const sizes: Record<string, number> = {};
    LETTERS.forEach((l, i) => (sizes[l] = zero && i === 3 ? 0 : sz[i]!));
    let k = 0;
    // Some axes broadcast (size 1) when the label is bigger; a repeated label keeps one size per operand.
    const shapes = terms.map((t) => {
      const perLabel: Record<string, number> = {};
      return t.map((l) => (perLabel[l] ??= ones[k++ % ones.length] && !t.slice(t.indexOf(l) + 1).includes(l) ? 1 : sizes[l]!));
    });
    const used = [...new Set(terms.flat())];
    let output: string | null = null;
    if (explicit) {
      const perm = [...used].sort((p, q) => ((seed * (p.charCodeAt(0) + 7)) % 11) - ((seed * (q.charCodeAt(0) + 7)) % 11));
      output = perm.slice(0, seed % (perm.length + 1)).join("");
    }
    // A label's size is its non-1 size where some operand broadcasts a size-1 axis.
    const actual: Record<string, number> = {};
    terms.forEach((t, i) => t.forEach((l, ax) => (actual[l] = actual[l] === undefined || actual[l] === 1 ? shapes[i]![ax]! : actual[l]!)));
    return { inputs: terms.map((t) => t.join("")), output, shapes, sizes: actual };
  });

const subscriptsOf = (s: Spec): string => s.inputs.join(",") + (s.output === null ? "" : `->${s.output}`);

/** Brute force: sum over every assignment of every label. */
function reference(s: Spec, xs: readonly NdArray[], dtype: DType) {
  const hs = xs.map(host);
  const labels = [...new Set(s.inputs.join(""))];
  const counts = new Map<string, number>();
  for (const c of s.inputs.join("")) counts.set(c, (counts.get(c) ?? 0) + 1);
  const out = s.output ?? [...counts].filter(([, n]) => n === 1).map(([l]) => l).sort().join("");
  const outShape = [...out].map((l) => s.sizes[l]!);
  const acc = new Array<number>(shapeSize(outShape)).fill(0);
  const ranges = labels.map((l) => s.sizes[l]!);
  for (let i = 0; i < shapeSize(ranges); i++) {
    const v = unravel(i, ranges);
    const val = (l: string): number => v[labels.indexOf(l)]!;
    let p = 1;
    s.inputs.forEach((t, k) => {
      p *= at(hs[k]!, [...t].map((l, ax) => (s.shapes[k]![ax] === 1 ? 0 : val(l))));
    });
    const o = [...out].reduce((a, l, ax) => a * outShape[ax]! + val(l), 0);
    acc[o] = acc[o]! + p;
  }
  const data = acc.map((x) => (dtype === "bool" ? +(x !== 0) : x));
  return { shape: outShape, data };
}

describe("values", () => {
  test("random subscripts against brute force", () => {
    const arb = fc
      .tuple(specArb, fc.constantFrom<DType>("float32", "float64", "int32", "bool"))
      .chain(([s, d]) => fc.tuple(fc.constant(s), fc.tuple(...s.shapes.map((sh) => arrayArb(sh, d, { lim: 3 }))), fc.constant(d)));
    fc.assert(
      fc.property(arb, ([s, xs, d]) => {
        for (const optimize of [true, false]) {
          const y = np.einsum(subscriptsOf(s), ...xs, { optimize });
          expect(y.dtype).toBe(d);
          expectClose(y, reference(s, xs, d), d === "float32" ? { rtol: 1e-5, atol: 1e-4 } : tolFor(d), subscriptsOf(s));
        }
      }),
      { numRuns: 40 },
    );
  });

  test("ellipsis: broadcast leading axes, implicit output, summed when the output omits it", () => {
    const a = det([2, 1, 3, 4], 1);
    const b = det([5, 4, 2], 2);
    const explicit = np.einsum("xyij,yjk->xyik", a, np.broadcastTo(b, [5, 4, 2]).reshape([5, 4, 2]));
    expectClose(np.einsum("...ij,...jk->...ik", a, b), host(np.einsum("xyij,yjk->xyik", np.broadcastTo(a, [2, 5, 3, 4]), b)), tolFor("float64"));
    expect(explicit.shape).toEqual([2, 5, 3, 2]);
    expectClose(np.einsum("...ij,...jk", a, b), host(np.einsum("...ij,...jk->...ik", a, b)), tolFor("float64"));
    expectClose(np.einsum("...i->i", det([2, 3])), host(det([2, 3]).sum(0)), tolFor("float64"));
    expectClose(np.einsum("i...->...", det([2, 3])), host(det([2, 3]).sum(0)), tolFor("float64"));
    expectClose(np.einsum("...,...", det([3]), det([2, 1])), host(det([3]).mul(det([2, 1]))), tolFor("float64"));
    expectClose(np.einsum("ij...,j->i...", det([2, 3]), det([3], 2)), host(np.matmul(det([2, 3]), det([3], 2))), tolFor("float64"));
    expectClose(np.einsum(" i j , j k -> i k ", det([2, 3]), det([3, 2])), host(np.matmul(det([2, 3]), det([3, 2]))), tolFor("float64"));
    expect(np.einsum("Ba", np.ones([2, 3])).shape).toEqual([2, 3]);
    expect(np.einsum("bA", np.ones([2, 3])).shape).toEqual([3, 2]);
    expect(np.einsum("ij->", np.arange(6).reshape([2, 3])).item()).toBe(15);
    expect(np.einsum("i,i", np.array([1, 2]), np.array([3])).item()).toBe(9);
  });

  test("greedy order contracts the pair with the smallest result first", () => {
    const a = np.ones([8, 2]);
    const b = np.ones([2, 8]);
    const c = np.ones([8, 2]);
    const text = makeJaxpr((x: NdArray, y: NdArray, z: NdArray) => np.einsum("ij,jk,kl->il", x, y, z))(a, b, c).toString();
    expect(text).toMatch(/f32\[2,2\] = dot_general/);
    expect(text).not.toMatch(/f32\[8,8\] = dot_general/);
    const leftToRight = makeJaxpr((x: NdArray, y: NdArray, z: NdArray) => np.einsum("ij,jk,kl->il", x, y, z, { optimize: false }))(a, b, c).toString();
    expect(leftToRight).toMatch(/f32\[8,8\] = dot_general/);
    expect(np.einsum("ij,jk,kl->il", a, b, c).tolist()).toEqual(np.einsum("ij,jk,kl->il", a, b, c, { optimize: false }).tolist());
  });
});

describe("gradients (finite differences, float64, order 2)", () => {
  test.each([
    ["ij,jk->ik", [[2, 3], [3, 4]]],
    ["ii->i", [[3, 3]]],
    ["ii", [[3, 3]]],
    ["i,i->", [[4], [4]]],
    ["bij,bjk->bik", [[2, 2, 3], [2, 3, 2]]],
    ["...ij,...j->...i", [[2, 3, 4], [4]]],
    ["ij,jk,kl,li", [[2, 3], [3, 2], [2, 2], [2, 2]]],
    ["iij,k->jk", [[2, 2, 3], [2]]],
  ] as [string, number[][]][])("%s", (subs, shapes) => {
    const args = shapes.map((s, i) => det(s, i + 1));
    checkGrads(((...xs: NdArray[]) => np.einsum(subs, ...xs)) as never, args, { order: 2, atol: 1e-6, rtol: 1e-5 });
  });
});

describe("vmap equals stacking per-example results", () => {
  const xs = batchOf(3, [3, 3], 1);
  const ys = batchOf(3, [3, 2], 2);
  test.each([
    ["ij,jk->ik", (x: NdArray, y: NdArray) => np.einsum("ij,jk->ik", x, y)],
    ["ii->i", (x: NdArray) => np.einsum("ii->i", x)],
    ["ii", (x: NdArray) => np.einsum("ii", x)],
    ["ij,ik->jk", (x: NdArray, y: NdArray) => np.einsum("ij,ik->jk", x, y)],
    ["j...,jk->...k", (x: NdArray, y: NdArray) => np.einsum("j...,jk->...k", x, y)],
    ["ij,jk,ik->", (x: NdArray, y: NdArray) => np.einsum("ij,jk,ik->", x, y, y)],
  ])("%s", (_, f) => checkVmap(f as (...a: NdArray[]) => NdArray, f.length === 1 ? [xs] : [xs, ys], { rtol: 1e-12, atol: 1e-12 }));
});

describe("errors name the subscripts and the operand shapes", () => {
  const a = np.ones([2, 3]);
  const b = np.ones([4, 5]);
  test("bad subscripts", () => {
    expect(() => np.einsum("ij,jk->ik", a)).toThrow(ArgumentError);
    expect(() => np.einsum("ij,jk->ik", a)).toThrow('einsum: the subscripts name 2 operand(s) but 1 were given; subscripts "ij,jk->ik", operand shapes [2,3].');
    expect(() => np.einsum("i1", a)).toThrow(/einsum: invalid character "1" in operand 0 subscripts "i1"/);
    expect(() => np.einsum("ij->i->j", a)).toThrow(/einsum: more than one "->"/);
    expect(() => np.einsum("i.j", a)).toThrow(/einsum: operand 0 subscripts "i.j" has a "." that is not part of "..."/);
    expect(() => np.einsum("...i...", a)).toThrow(/has more than one "..."/);
    expect(() => np.einsum("ij->k", a)).toThrow('einsum: output label "k" does not appear in any input; subscripts "ij->k", operand shapes [2,3].');
    expect(() => np.einsum("ij->ii", a)).toThrow(/einsum: output label "i" appears more than once/);
    expect(() => np.einsum("ij")).toThrow('einsum: needs at least one operand after the subscripts "ij".');
  });
  test("subscripts that do not fit the shapes", () => {
    expect(() => np.einsum("ijk", a)).toThrow(ShapeError);
    expect(() => np.einsum("ijk", a)).toThrow('einsum: operand 0 has shape [2,3] (rank 2) but its subscripts "ijk" name 3 axes; subscripts "ijk", operand shapes [2,3].');
    expect(() => np.einsum("ij,jk->ik", a, b)).toThrow(
      'einsum: label "j" has size 3 in one place and 4 on axis 0 of operand 1; sizes of one label must match (or be 1); subscripts "ij,jk->ik", operand shapes [2,3], [4,5].',
    );
    expect(() => np.einsum("ii", a)).toThrow(/einsum: label "i" repeats in operand 0 \("ii"\) on axes of different sizes 2 and 3/);
    expect(() => np.einsum("...ijk", a)).toThrow(/einsum: operand 0 has shape \[2,3\] \(rank 2\) but its subscripts "...ijk" name 3 axes plus an ellipsis/);
    expect(() => np.einsum("...i,...i", np.ones([2, 3]), np.ones([4, 3]))).toThrow(/einsum: label "...\[0\]" has size 2 in one place and 4/);
  });
});
