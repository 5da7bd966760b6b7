// vmap composed with itself, with grad, over pytrees, with outAxes and axisSize, each
// checked against its definition (a loop over the batch: test/helpers/batching.ts);
// and the "no hidden loop" property: a batched matmul is one dot_general, and an
// unbatched bias is not broadcast to the batch size.
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { checkpoint, customJvp, grad, lax, makeJaxpr, numpy as np, vmap } from "../../src/index.js";
import { arrays, shapes } from "../../src/testing/index.js";
import type { Array as NdArray } from "../../src/trace/array.js";
import { EXACT, batchSizeArb, batchedShape, expectClose, expectTreeClose, loopMap, rel, runs, take, toDevice, toHost } from "../helpers/batching.js";
import { programArb } from "../helpers/programs.js";

const values = (x: unknown): number[] => Array.from((x as NdArray).dataSync());
const countOf = (text: string, prim: string): number => text.split(`= ${prim}`).length - 1;

describe("vmap ∘ grad: per-example gradients", () => {
  const B = 256;
  const D = 100;
  const w = np.array(Array.from({ length: D }, (_, i) => Math.sin(i) / 10));
  const X = np.array(Array.from({ length: B * D }, (_, i) => Math.cos(0.37 * i))).reshape([B, D]);
  const Y = np.array(Array.from({ length: B }, (_, i) => Math.sin(3 * i)));
  const loss = (w: NdArray, x: NdArray, y: NdArray) => np.square(np.dot(x, w).sub(y));

  test(`linear model, batch ${B} × dim ${D}: vmap(grad(loss), { inAxes: [null, 0, 0] }) equals a loop of grads and the closed form`, () => {
    const perExample = vmap(grad(loss), { inAxes: [null, 0, 0] })(w, X, Y) as NdArray;
    expect(perExample.shape).toEqual([B, D]);
    const loop = loopMap(grad(loss), [null, 0, 0], () => 0, B)(w, X, Y) as NdArray;
    expectClose("per-example gradients vs loop", toHost(perExample), toHost(loop), rel(1e-5));
    // d/dw (x·w - y)^2 = 2 (x·w - y) x, in float64 on the host.
    const wv = values(w);
    const xv = values(X);
    const yv = values(Y);
    const closed = Array.from({ length: B * D }, (_, k) => {
      const i = Math.floor(k / D);
      const r = xv.slice(i * D, (i + 1) * D).reduce((s, xj, j) => s + xj * wv[j]!, 0) - yv[i]!;
      return 2 * r * xv[k]!;
    });
    const scale = Math.max(...closed.map(Math.abs));
    values(perExample).forEach((v, k) => expect(Math.abs(v - closed[k]!)).toBeLessThanOrEqual(1e-5 * scale));
  });

  test("with a pytree of parameters: the gradient tree gets a batch axis on every leaf", () => {
    const lossP = (p: { w: NdArray; b: NdArray }, x: NdArray, y: NdArray) => np.square(np.dot(x, p.w).add(p.b).sub(y));
    const p = { w, b: np.array(0.25) };
    const n = 32;
    const xs = lax.slice(X, [0, 0], [n, D]);
    const ys = lax.slice(Y, [0], [n]);
    const got = vmap(grad(lossP), { inAxes: [null, 0, 0] })(p, xs, ys) as { w: NdArray; b: NdArray };
    expect(got.w.shape).toEqual([n, D]);
    expect(got.b.shape).toEqual([n]);
    const want = loopMap(grad(lossP), [null, null, 0, 0], () => 0, n)(p, xs, ys);
    expectTreeClose("per-example {w, b} gradients", got, want, rel(1e-5));
  });

  test("no hidden loop: the per-example gradient jaxpr is the same size for any batch, with two dot_generals", () => {
    const text = (b: number) => makeJaxpr(vmap(grad(loss), { inAxes: [null, 0, 0] }))(w, np.ones([b, D]), np.ones([b])).toString();
    const small = text(8);
    const large = text(B);
    expect(countOf(small, "dot_general")).toBe(2);
    expect(countOf(large, "dot_general")).toBe(2);
    expect(large.split("\n").filter((l) => / = /.test(l)).length).toBe(small.split("\n").filter((l) => / = /.test(l)).length);
  });

  test("property: vmap(grad(sum ∘ program), { inAxes: [null, 0] }) equals a loop of grads (random smooth programs)", () => {
    const arb = shapes({ maxRank: 2, minDim: 1, maxDim: 3 }).chain((s) =>
      fc.tuple(programArb(s, "float64", { smooth: true, maxSteps: 4 }), batchSizeArb, arrays({ shape: s, dtype: "float64", min: -1.5, max: 1.5 })).chain(([prog, n, w0]) =>
        arrays({ shape: batchedShape(s, 0, n), dtype: "float64", min: -1.5, max: 1.5 }).map((ys) => ({ prog, n, w0, ys })),
      ),
    );
    fc.assert(
      fc.property(arb, ({ prog, n, w0, ys }) => {
        const f = (a: NdArray, y: NdArray) => np.sum(prog.run(a, y));
        const got = vmap(grad(f), { inAxes: [null, 0] })(w0, ys);
        const want = loopMap(grad(f), [null, 0], () => 0, n)(w0, ys);
        expectClose(String(prog), toHost(got as NdArray), toHost(want as NdArray), rel(1e-12));
      }),
      { numRuns: runs(30) },
    );
  });

  test("through checkpoint and a customJvp rule", () => {
    const softplus = customJvp((x: NdArray) => np.log(np.exp(x).add(1))).defJvp(([x]: NdArray[], [t]: NdArray[]) => [
      np.log(np.exp(x!).add(1)),
      // A deliberately scaled derivative, so the rule's use is visible.
      t!.mul(np.divide(2, np.exp(np.negative(x!)).add(1))),
    ]);
    const block = checkpoint((w: NdArray, x: NdArray) => softplus(np.tanh(np.matmul(x, w))));
    const f = (w: NdArray, x: NdArray) => np.sum(block(w, x));
    const w0 = np.array([[0.3, -0.2], [0.1, 0.5], [-0.4, 0.2]], { dtype: "float64" });
    const xs = np.array(Array.from({ length: 5 * 4 * 3 }, (_, i) => Math.sin(i)), { dtype: "float64" }).reshape([5, 4, 3]);
    const got = vmap(grad(f), { inAxes: [null, 0] })(w0, xs);
    const want = loopMap(grad(f), [null, 0], () => 0, 5)(w0, xs);
    expectClose("vmap(grad(checkpoint ∘ customJvp))", toHost(got as NdArray), toHost(want as NdArray), rel(1e-12));
    // The rule's factor 2 is in there: compare with the true softplus derivative.
    const plain = (w: NdArray, x: NdArray) => np.sum(np.log(np.exp(np.tanh(np.matmul(x, w))).add(1)));
    const truth = vmap(grad(plain), { inAxes: [null, 0] })(w0, xs) as NdArray;
    values(got).forEach((v, i) => expect(v).toBeCloseTo(2 * values(truth)[i]!, 10));
  });
});

describe("grad ∘ vmap: the gradient of a summed batched function is the sum of per-example gradients", () => {
  test("property over random smooth programs", () => {
    const arb = shapes({ maxRank: 2, minDim: 1, maxDim: 3 }).chain((s) =>
      fc
        .tuple(programArb(s, "float64", { smooth: true, maxSteps: 4 }), batchSizeArb, arrays({ shape: s, dtype: "float64", min: -1.5, max: 1.5 }), fc.nat(s.length))
        .chain(([prog, n, w0, axis]) =>
          arrays({ shape: batchedShape(s, axis, n), dtype: "float64", min: -1.5, max: 1.5 }).map((ys) => ({ prog, n, w0, axis, ys })),
        ),
    );
    fc.assert(
      fc.property(arb, ({ prog, n, w0, axis, ys }) => {
        const total = (a: NdArray) => np.sum(vmap(prog.run, { inAxes: [null, axis] })(a, ys) as NdArray);
        const got = toHost(grad(total)(w0) as NdArray);
        const per = (a: NdArray, y: NdArray) => np.sum(prog.run(a, y));
        const want = new Float64Array(got.values.length);
        const magnitude = new Float64Array(got.values.length);
        const yh = toHost(ys);
        for (let i = 0; i < n; i++) {
          values(grad(per)(w0, toDevice(take(yh, axis, i)))).forEach((v, k) => {
            want[k]! += v;
            magnitude[k]! += Math.abs(v);
          });
        }
        // The two sides add the same per-example terms in different orders (and the
        // batched kernels reassociate inside each term), so they agree to a few ulps of
        // the terms' magnitudes, not of a sum where examples cancel.
        const bound = Array.from(magnitude, (m) => 1e-11 * m + 2 ** -1022);
        expectClose(String(prog), got, { ...got, values: want }, { kind: "bound", bound });
      }),
      { numRuns: runs(30) },
    );
  });
});

describe("vmap ∘ vmap with closures", () => {
  test("pairwise squared distances: the inner vmap closes over the outer one's batched value", () => {
    const X = np.array([[0, 1], [2, 3], [4, -1]], { dtype: "float64" });
    const Y = np.array([[1, 1], [0, -2]], { dtype: "float64" });
    const d = vmap((x: NdArray) => vmap((y: NdArray) => np.sum(np.square(x.sub(y))))(Y))(X) as NdArray;
    expect(d.shape).toEqual([3, 2]);
    const xv = [[0, 1], [2, 3], [4, -1]];
    const yv = [[1, 1], [0, -2]];
    expect(values(d)).toEqual(xv.flatMap((x) => yv.map((y) => (x[0]! - y[0]!) ** 2 + (x[1]! - y[1]!) ** 2)));
    // Swapping the roles with inAxes/outAxes gives the transpose.
    const dT = vmap((x: NdArray) => vmap((y: NdArray) => np.sum(np.square(x.sub(y))), { inAxes: 1 })(Y.T), { outAxes: 1 })(X) as NdArray;
    expect(dT.shape).toEqual([2, 3]);
    expectClose("transposed", toHost(dT), toHost(d.T), EXACT);
  });

  test("JS numbers as unmapped arguments", () => {
    const got = vmap((x: NdArray, s: number) => x.mul(s), { inAxes: [0, null] })(np.array([1, 2, 3]), 2) as NdArray;
    expect(values(got)).toEqual([2, 4, 6]);
  });
});

describe("pytrees with mixed null/0/1/-1 axes", () => {
  const f = (p: { a: NdArray; b: NdArray }, l: [NdArray, NdArray]) => ({
    u: p.a.mul(p.b).add(l[0]),
    v: [l[1].mul(p.a), np.sum(l[1]).add(p.b.sum())] as [NdArray, NdArray],
  });
  const B = 4;
  const seq = (shape: number[], k: number) =>
    np.array(Array.from({ length: shape.reduce((s, d) => s * d, 1) }, (_, i) => Math.sin(k + 0.7 * i)), { dtype: "float64" }).reshape(shape);
  // a: batched at 0; b: not batched; c = l[0]: batched at 1; d = l[1]: batched at -1.
  const a = seq([B, 3], 1);
  const b = seq([3], 2);
  const c = seq([3, B], 3);
  const d = seq([2, 3, B], 4);

  test("full axis trees and prefixes, objects and lists, outAxes trees with 1 and -1", () => {
    const got = vmap(f, { inAxes: [{ a: 0, b: null }, [1, -1]], outAxes: { u: 1, v: [-1, 0] } })({ a, b }, [c, d]) as ReturnType<typeof f>;
    expect(got.u.shape).toEqual([3, B]);
    expect(got.v[0].shape).toEqual([2, 3, B]);
    expect(got.v[1].shape).toEqual([B]);
    // Leaves in flattening order: a, b, c, d in; u, v[0], v[1] out.
    const want = loopMap(f, [0, null, 1, -1], (j) => [1, -1, 0][j]!, B)({ a, b }, [c, d]);
    expectTreeClose("full trees", got, want, EXACT);

    // A prefix: one axis for the whole list, one for the whole v subtree.
    // (c is batched at its last axis, like d.)
    const got2 = vmap(f, { inAxes: [{ a: 0, b: null }, -1], outAxes: { u: 0, v: -1 } })({ a, b }, [c, d]);
    const want2 = loopMap(f, [0, null, -1, -1], (j) => [0, -1, -1][j]!, B)({ a, b }, [c, d]);
    expectTreeClose("prefixes", got2, want2, EXACT);

    // null for a whole argument; a number for all outputs.
    const got3 = vmap(f, { inAxes: [null, [1, 2]], outAxes: -1 })({ a: b, b }, [c, d]);
    const want3 = loopMap(f, [null, null, 1, 2], () => -1, B)({ a: b, b }, [c, d]);
    expectTreeClose("null argument", got3, want3, EXACT);
  });

  test("property: random axes for every leaf", () => {
    const arb = fc
      .tuple(batchSizeArb, fc.constantFrom(null, 0, 1, -1), fc.constantFrom(null, 0, -1), fc.constantFrom(null, 0, 1, -1), fc.constantFrom(null, 0, 1, 2, -1, -2))
      .filter(([, ...axes]) => axes.some((x) => x !== null))
      .chain(([n, aa, ab, ac, ad]) =>
        fc
          .tuple(
            arrays({ shape: batchedShape([3], aa, n), dtype: "float64" }),
            arrays({ shape: batchedShape([3], ab, n), dtype: "float64" }),
            arrays({ shape: batchedShape([3], ac, n), dtype: "float64" }),
            arrays({ shape: batchedShape([2, 3], ad, n), dtype: "float64" }),
            fc.constantFrom(0, 1, -1),
            fc.constantFrom(0, 1, 2, -1),
          )
          .map(([xa, xb, xc, xd, ou, ov]) => ({ n, axes: [aa, ab, ac, ad], xs: [xa, xb, xc, xd], ou, ov })),
      );
    fc.assert(
      fc.property(arb, ({ n, axes, xs, ou, ov }) => {
        const [aa, ab, ac, ad] = axes;
        const [xa, xb, xc, xd] = xs as NdArray[];
        const got = vmap(f, { inAxes: [{ a: aa!, b: ab! }, [ac!, ad!]], outAxes: { u: ou, v: [ov, 0] } })({ a: xa!, b: xb! }, [xc!, xd!]);
        const want = loopMap(f, axes, (j) => [ou, ov, 0][j]!, n)({ a: xa, b: xb }, [xc, xd]);
        expectTreeClose(`inAxes ${JSON.stringify(axes)} outAxes u=${ou} v=[${ov}, 0]`, got, want, rel(1e-14));
      }),
      { numRuns: runs(40) },
    );
  });
});

describe("outAxes", () => {
  const xs = np.arange(12).reshape([4, 3]).astype("float32");

  test("1 and -1 put the batch axis there", () => {
    const f = (x: NdArray) => np.stack([x, x.mul(10)]);
    for (const outAxes of [1, -1, 2, -2, 0, -3]) {
      const got = vmap(f, { outAxes })(xs) as NdArray;
      const want = loopMap(f, [0], () => outAxes, 4)(xs) as NdArray;
      expect(got.shape).toEqual(want.shape);
      expectClose(`outAxes ${outAxes}`, toHost(got), toHost(want), EXACT);
    }
  });

  test("unbatched outputs are broadcast to the batch at their out axis; null leaves them as they are", () => {
    const f = (x: NdArray) => [x.sum(), np.ones([2, 3])] as [NdArray, NdArray];
    const [s, k] = vmap(f, { outAxes: [0, 1] })(xs) as [NdArray, NdArray];
    expect(values(s)).toEqual([3, 12, 21, 30]);
    expect(k.shape).toEqual([2, 4, 3]);
    const [, k2] = vmap(f, { outAxes: [0, null] })(xs) as [NdArray, NdArray];
    expect(k2.shape).toEqual([2, 3]);
  });

  test("outAxes null for a whole output that does not vary returns it unbatched", () => {
    const broadcast = vmap((_x: NdArray) => np.ones([2]))(xs) as NdArray;
    expect(broadcast.shape).toEqual([4, 2]);
    const still = vmap((_x: NdArray) => np.ones([2]), { outAxes: null })(xs) as NdArray;
    expect(still.shape).toEqual([2]);
  });
});

describe("axisSize", () => {
  test("no argument at all", () => {
    const got = vmap(() => np.arange(3), { axisSize: 4 })() as NdArray;
    expect(got.shape).toEqual([4, 3]);
    expect(values(got)).toEqual([0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2]);
    expect((vmap(() => np.arange(3), { axisSize: 0 })() as NdArray).shape).toEqual([0, 3]);
  });

  test("every inAxes null (as a list, and as a single null)", () => {
    const x = np.array([1, 2, 3]);
    const f = (a: NdArray) => a.mul(2);
    const got = vmap(f, { inAxes: [null], axisSize: 2 })(x) as NdArray;
    expect(got.shape).toEqual([2, 3]);
    expect(values(got)).toEqual([2, 4, 6, 2, 4, 6]);
    // inAxes: null means "map nothing", as JAX's in_axes=None.
    const same = vmap(f, { inAxes: null, axisSize: 2 })(x) as NdArray;
    expect(same.shape).toEqual([2, 3]);
    expect(values(same)).toEqual([2, 4, 6, 2, 4, 6]);
  });

  test("an axisSize equal to the mapped size is accepted", () => {
    const got = vmap((a: NdArray) => a.sum(), { axisSize: 2 })(np.ones([2, 5])) as NdArray;
    expect(values(got)).toEqual([5, 5]);
  });
});

describe("no hidden loop", () => {
  const B = 7;
  const D = 4;
  const H = 5;
  const O = 3;
  const mat = (r: number, c: number, k: number) => np.array(Array.from({ length: r * c }, (_, i) => Math.sin(k + i)), { dtype: "float32" }).reshape([r, c]);
  const W1 = mat(D, H, 1);
  const b1 = np.array(Array.from({ length: H }, (_, i) => i / 10));
  const W2 = mat(H, O, 2);
  const b2 = np.array(Array.from({ length: O }, (_, i) => -i / 10));
  const mlp = (x: NdArray) => np.matmul(np.tanh(np.matmul(x, W1).add(b1)), W2).add(b2);

  test("an MLP on one example, vmapped: one dot_general per matmul, the same jaxpr size for any batch", () => {
    const text = makeJaxpr(vmap(mlp))(np.ones([B, D])).toString();
    expect(countOf(text, "dot_general")).toBe(2);
    const big = makeJaxpr(vmap(mlp))(np.ones([64, D])).toString();
    expect(countOf(big, "dot_general")).toBe(2);
    expect(big.split("\n").length).toBe(text.split("\n").length);
    // And the value is the loop's.
    const xs = mat(B, D, 3);
    const got = vmap(mlp)(xs) as NdArray;
    expectClose("mlp", toHost(got), toHost(loopMap(mlp, [0], () => 0, B)(xs) as NdArray), rel(1e-6));
  });

  test("batched matmuls on both sides become one dot_general with a batch dimension", () => {
    const f = (a: NdArray, b: NdArray) => np.matmul(a, b);
    const text = makeJaxpr(vmap(f, { inAxes: [0, 2] }))(np.ones([B, D, H]), np.ones([H, O, B])).toString();
    expect(countOf(text, "dot_general")).toBe(1);
    expect(text).toMatch(/dimension_numbers=\(\(\[\d\], \[\d\]\), \(\[0\], \[0\]\)\)/);
  });

  test("unbatched biases get a size-1 axis, not the batch size", () => {
    const text = makeJaxpr(vmap(mlp))(np.ones([B, D])).toString();
    expect(text).toContain(`f32[1,${H}] = broadcast_in_dim`);
    expect(text).toContain(`f32[1,${O}] = broadcast_in_dim`);
    expect(text).not.toMatch(new RegExp(`f32\\[${B},${H}\\] = broadcast_in_dim`));
    expect(text).not.toMatch(new RegExp(`f32\\[${B},${O}\\] = broadcast_in_dim`));
    // No operand anywhere is broadcast to the batch size: every broadcast_in_dim with a
    // leading B keeps a batched operand's own axis 0.
    for (const line of text.split("\n").filter((l) => l.includes("= broadcast_in_dim"))) {
      if (line.includes(`f32[${B},`)) expect(line).toMatch(/broadcast_dimensions=\(0[,)]/);
    }
  });

  test("an elementwise op between a batched and an unbatched array of one shape broadcasts nothing", () => {
    const w = np.ones([D]);
    const text = makeJaxpr(vmap((x: NdArray) => np.multiply(x, w)))(np.ones([B, D])).toString();
    expect(text).not.toContain(`f32[${B},${D}] = broadcast_in_dim`);
    expect(countOf(text, "mul")).toBe(1);
  });
});
