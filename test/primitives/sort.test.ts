/**
 * sort (lax.sort, sortKeyVal, topK): WASM equals the interpreter (cases-sort.ts, views
 * included), values against a host insertion sort over every dtype with NaN, ties and
 * signed zeros (stability and NaN-last checked bit for bit), gradients against finite
 * differences, vmap against a loop, jit(f) = f with the SORT program step, JAX's
 * printing, and the errors.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ArgumentError, ShapeError, grad, jit, lax, makeJaxpr, numpy as np, vmap } from "../../src/index.js";
import { DTYPES, type DType } from "../../src/core/index.js";
import { checkGrads } from "../../src/testing/index.js";
import type { Array as NdArray } from "../../src/trace/array.js";
import { type HostArray, hostArb, shapeArb } from "../helpers/arbitraries.js";
import { before, bits, stableOrder } from "../helpers/host-sort.js";
import { sortCases } from "../helpers/cases-sort.js";
import { runCases } from "../helpers/parity.js";
import { checkVmap, det, device } from "../numpy/helpers.js";

runCases(sortCases);

const values = (x: NdArray): number[] => Array.from(x.dataSync(), Number);

/**
 * For each line along `axis`, the source positions in sorted order: a stable insertion
 * sort by the key columns (lexicographic), written independently of the implementations.
 */
function hostOrder(keys: readonly (readonly number[])[], shape: readonly number[], axis: number): number[] {
  const n = shape[axis]!;
  const inner = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const outer = shape.slice(0, axis).reduce((a, b) => a * b, 1);
  const src = new Array<number>(keys[0]!.length);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const at = (j: number) => o * n * inner + j * inner + i;
      const less = (p: number, q: number): boolean => {
        for (const k of keys) {
          if (before(k[at(p)]!, k[at(q)]!)) return true;
          if (before(k[at(q)]!, k[at(p)]!)) return false;
        }
        return false;
      };
      stableOrder(n, less).forEach((j, r) => (src[at(r)] = at(j)));
    }
  }
  return src;
}

const arrayOf = (h: HostArray): NdArray => device({ shape: [...h.shape], data: Array.from(h.values) }, h.dtype);

const problem = (dtypes: readonly DType[] = DTYPES) =>
  shapeArb({ minRank: 1, maxRank: 3, maxDim: 5 }).chain((shape) =>
    fc.tuple(
      fc.constant(shape),
      fc.integer({ min: 0, max: shape.length - 1 }),
      fc.constantFrom(...dtypes).chain((d) => hostArb(d, shape, { small: true })),
      fc.constantFrom(...dtypes).chain((d) => hostArb(d, shape, { small: true })),
    ),
  );

describe("values", () => {
  it("sort of one operand equals a host insertion sort, for every dtype (NaN last, signed zeros in input order)", () => {
    fc.assert(
      fc.property(problem(), ([shape, axis, k]) => {
        const data = Array.from(k.values);
        const want = hostOrder([data], shape, axis).map((s) => data[s]!);
        expect(bits(values(lax.sort(arrayOf(k), axis)))).toEqual(bits(want));
      }),
      { numRuns: 80 },
    );
  });

  it("two keys and a payload: lexicographic, and ties keep the input order (stability)", () => {
    fc.assert(
      fc.property(problem(), fc.integer({ min: 1, max: 2 }), ([shape, axis, k1, k2], numKeys) => {
        const [d1, d2] = [Array.from(k1.values), Array.from(k2.values)];
        const positions = d1.map((_, i) => i);
        const src = hostOrder([d1, d2].slice(0, numKeys), shape, axis);
        const out = lax.sort([arrayOf(k1), arrayOf(k2), device({ shape, data: positions }, "int32")], axis, true, numKeys);
        expect(out.map((o) => o.dtype)).toEqual([k1.dtype, k2.dtype, "int32"]);
        expect(bits(values(out[0]!))).toEqual(bits(src.map((s) => d1[s]!)));
        expect(bits(values(out[1]!))).toEqual(bits(src.map((s) => d2[s]!)));
        expect(values(out[2]!)).toEqual(src);
      }),
      { numRuns: 80 },
    );
  });

  it("NaN sorts last, -0 and +0 tie (input order kept), bool and uint32 sort as numbers", () => {
    expect(bits(values(lax.sort(np.array([NaN, 0, -0, -Infinity, 0, 1], { dtype: "float64" }))))).toEqual(["-Infinity", "0", "-0", "0", "1", "NaN"]);
    expect(bits(values(lax.sort(np.array([0, -0, NaN, 0], { dtype: "float32" }).mul(-1))))).toEqual(["-0", "0", "-0", "NaN"]);
    expect(values(lax.sort(np.array([true, false, true, false])))).toEqual([0, 0, 1, 1]);
    expect(values(lax.sort(np.array([4294967295, 0, 2147483648], { dtype: "uint32" })))).toEqual([0, 2147483648, 4294967295]);
    expect(values(lax.sort(np.array([-2147483648, 2147483647, -1], { dtype: "int32" })))).toEqual([-2147483648, -1, 2147483647]);
  });

  it("sortKeyVal permutes the values like the keys", () => {
    const [k, v] = lax.sortKeyVal(np.array([[3, 1, 2], [0, 0, -1]], { dtype: "float32" }), np.array([[10, 11, 12], [20, 21, 22]], { dtype: "int32" }));
    expect(values(k)).toEqual([1, 2, 3, -1, 0, 0]);
    expect(values(v)).toEqual([11, 12, 10, 22, 20, 21]);
    const [k0, v0] = lax.sortKeyVal(np.array([[3, 1], [0, 5]]), np.array([[1, 2], [3, 4]]), 0);
    expect([values(k0), values(v0)]).toEqual([[0, 1, 3, 5], [3, 2, 1, 4]]);
  });

  it("topK: the k largest along the last axis, largest first, lower index first on ties, NaN largest", () => {
    fc.assert(
      fc.property(
        shapeArb({ minRank: 1, maxRank: 3, maxDim: 5 }).chain((s) =>
          fc.tuple(fc.constantFrom<DType>(...DTYPES).chain((d) => hostArb(d, s, { small: true })), fc.integer({ min: 0, max: s.at(-1)! })),
        ),
        ([h, k]) => {
          const [v, i] = lax.topK(arrayOf(h), k);
          const n = h.shape.at(-1)!;
          const rows = h.values.length / Math.max(n, 1);
          const wantV: number[] = [];
          const wantI: number[] = [];
          for (let r = 0; r < (n === 0 ? 0 : rows); r++) {
            const line = Array.from(h.values.slice(r * n, (r + 1) * n));
            // descending: p first when line[q] sorts before line[p]; stability keeps lower indices first
            stableOrder(n, (p, q) => before(line[q]!, line[p]!)).slice(0, k).forEach((j) => (wantV.push(line[j]!), wantI.push(j)));
          }
          expect(v.shape).toEqual([...h.shape.slice(0, -1), k]);
          expect(i.dtype).toBe("int32");
          expect(bits(values(v))).toEqual(bits(wantV));
          expect(values(i)).toEqual(wantI);
        },
      ),
      { numRuns: 80 },
    );
  });
});

describe("transforms", () => {
  // Distinct values: sort is differentiable away from ties.
  const x2 = det([3, 4], 1);
  it("sort: gradients of order 2 along every dimension, with a carried operand", () => {
    for (const d of [0, 1]) {
      checkGrads((a: NdArray) => lax.sort(a, d), [x2], { order: 2, modes: ["fwd", "rev"], atol: 1e-6, rtol: 1e-5 });
      checkGrads(
        (a: NdArray, b: NdArray) => lax.sort([a, b], d),
        [x2, det([3, 4], 7)],
        { order: 2, modes: ["fwd", "rev"], atol: 1e-6, rtol: 1e-5 },
      );
    }
  });

  it("topK: gradients of the values (order 2), and the gradient lands on the selected entries", () => {
    checkGrads((a: NdArray) => lax.topK(a, 2)[0], [x2], { order: 2, modes: ["fwd", "rev"], atol: 1e-6, rtol: 1e-5 });
    const x = np.array([0.5, 3, -1, 2], { dtype: "float64" });
    const g = grad((a: NdArray) => np.sum(lax.topK(a, 2)[0].mul(np.array([1, 10], { dtype: "float64" }))))(x) as NdArray;
    expect(values(g)).toEqual([0, 1, 0, 10]);
  });

  it("an integer operand carried along gets no tangent; a key's gradient follows the permutation", () => {
    const x = np.array([2, -1, 5], { dtype: "float64" });
    const f = (a: NdArray) => {
      const [s, i] = lax.sort([a, lax.iota("int32", 3)]);
      return np.sum(s!.mul(np.array([1, 2, 3], { dtype: "float64" }))).add(np.sum(i!.astype("float64")));
    };
    // sorted: -1 (x1), 2 (x0), 5 (x2): weights 1, 2, 3 land on x1, x0, x2
    expect(values(grad(f)(x) as NdArray)).toEqual([2, 1, 3]);
  });

  it("vmap equals a loop (batch axis before, at and after the sorted dimension; unbatched operands)", () => {
    const xs = det([4, 3, 5], 2);
    for (const d of [0, 1, -1]) checkVmap((a: NdArray) => lax.sort(a, d), [xs]);
    checkVmap((a: NdArray) => lax.topK(a, 3), [xs]);
    checkVmap((a: NdArray, b: NdArray) => lax.sortKeyVal(a, b, 0), [np.round(xs), det([4, 3, 5], 3)]);
    const keys = np.array([[3, 1, 2], [1, 1, 0]], { dtype: "float32" });
    const payload = np.array([7, 8, 9], { dtype: "int32" });
    const got = vmap((k: NdArray, p: NdArray) => lax.sortKeyVal(k, p), { inAxes: [0, null] })(keys, payload) as NdArray[];
    expect(values(got[1]!)).toEqual([8, 9, 7, 9, 7, 8]);
    const cols = vmap((k: NdArray) => lax.sort(k), { inAxes: 1 })(keys) as NdArray;
    expect(values(cols)).toEqual([1, 3, 1, 1, 0, 2]);
  });

  it("jit(f) = f with a SORT step in the program, for a value and its gradient", () => {
    const f = (a: NdArray) => np.sum(lax.sort(lax.transpose(a, [1, 0]), 0).mul(lax.topK(a, 2)[0].sum()));
    const a = np.array([[0.5, -1.5, 2, 0.25], [1.25, -0.75, -2, 1]], { dtype: "float32" });
    expect(values(jit(f)(a) as NdArray)).toEqual(values(f(a)));
    const g = grad(f);
    expect(values(jit(g)(a) as NdArray)).toEqual(values(g(a) as NdArray));
    expect(jit(f).lower(a).toString()).toMatch(/sort along axis 0 by 1 key\(s\)/);
    const many = (k: NdArray, v: NdArray) => lax.sort([k, v, lax.neg(v)], 1, true, 2);
    const k = np.array([[1, 0, 1, 0], [2, 2, 2, 2]], { dtype: "int32" });
    const v = np.array([[NaN, 1, -0, 0], [3, NaN, 1, 1]], { dtype: "float64" });
    const [e, j] = [many(k, v), jit(many)(k, v) as NdArray[]];
    e.forEach((o, i) => expect(bits(values(j[i]!))).toEqual(bits(values(o))));
  });
});

it("prints as JAX prints sort", () => {
  expect(makeJaxpr((a: NdArray, b: NdArray) => lax.sort([a, b], 0, true, 2))(np.zeros([2, 3]), np.zeros([2, 3], { dtype: "int32" })).toString()).toBe(
    [
      "{ lambda ; a:f32[2,3] b:i32[2,3]. let",
      "    c:f32[2,3] d:i32[2,3] = sort[dimension=0 is_stable=True num_keys=2] a b",
      "  in (c, d) }",
    ].join("\n"),
  );
});

describe("errors name the op, the shapes and the fix", () => {
  it("bad dimension, numKeys, mismatched shapes, no operands, k out of range", () => {
    const x = np.zeros([2, 3]);
    expect(() => lax.sort(x, 2)).toThrow(ArgumentError);
    expect(() => lax.sort(x, 2)).toThrow(/sort: dimension 2 is out of range for an operand of shape \[2, 3\]; pass a dimension in \[-2, 1\]/);
    expect(() => lax.sort(np.array(1))).toThrow(/sort: dimension -1 is out of range for an operand of shape \[\]; reshape it to rank 1 first/);
    expect(() => lax.sort([x, x], 0, true, 3)).toThrow(/sort: numKeys 3 does not fit 2 operand\(s\); pass numKeys in \[1, 2\]/);
    expect(() => lax.sort([x], 0, true, 0)).toThrow(/numKeys 0/);
    expect(() => lax.sort([x, np.zeros([3, 2])])).toThrow(ShapeError);
    expect(() => lax.sort([x, np.zeros([3, 2])])).toThrow(/sort: operands of shapes \[2, 3\], \[3, 2\] differ; every operand must have one shape \(broadcast them first\)/);
    expect(() => lax.sort([])).toThrow(/sort: got no operands/);
    expect(() => lax.sortKeyVal(x, np.zeros([2]))).toThrow(/sortKeyVal: operands of shapes \[2, 3\], \[2\] differ/);
    expect(() => lax.topK(x, 4)).toThrow(/topK: k = 4 is out of range for an operand of shape \[2, 3\]; pass an integer k in \[0, 3\]/);
    expect(() => lax.topK(x, -1)).toThrow(/topK: k = -1/);
    expect(() => lax.topK(np.array(2), 1)).toThrow(/topK: the operand is a scalar/);
  });

  it("abstract evaluation rejects bad params bound directly", async () => {
    const { bind } = await import("../../src/trace/trace.js");
    const { Prim } = await import("../../src/trace/prim.js");
    const x = np.zeros([2, 3]);
    expect(() => bind(Prim.Sort, [x], { dimension: -1, isStable: true, numKeys: 1 })).toThrow(/sort: dimension -1 is out of range for f32\[2,3\]; pass a dimension in \[0, 2\)/);
    expect(() => bind(Prim.Sort, [x, np.zeros([3])], { dimension: 0, isStable: true, numKeys: 1 })).toThrow(/sort: operands f32\[2,3\], f32\[3\] differ in shape/);
    expect(() => bind(Prim.Sort, [x], { dimension: 0, isStable: true, numKeys: 2 })).toThrow(/sort: numKeys 2 does not fit 1 operand/);
  });
});
