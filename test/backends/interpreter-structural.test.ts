/**
 * The interpreter backend, part 2: reductions, argmax/argmin, shape and movement
 * primitives, dot_general and iota. Hand-computed values, identities on empty
 * reductions, zero-size shapes for every primitive, and fast-check laws checked
 * against coordinate-by-coordinate reference loops written here.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ArgumentError, type DType, DTypeError, unravelIndex } from "../../src/core/index.js";
import {
  ConvDimensionNumbers, KERNEL_PRIMS, type KernelPrim, type DotDimensionNumbers, Prim, type PrimParams, SCATTER_PRIMS, type ScatterPrim,
} from "../../src/trace/prim.js";
import { type Host, h, run } from "../helpers/interpreter-run.js";

// --- helpers --------------------------------------------------------------------------


const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);
const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
/** 0, 1, 2, … laid out in `shape`. */
const ar = (dtype: DType, shape: readonly number[]): Host => h(dtype, shape, range(size(shape)));


const ravel = (idx: readonly number[], shape: readonly number[]): number =>
  idx.reduce((acc, i, d) => acc * shape[d]! + i, 0);

const I32_MIN = -2147483648;
const I32_MAX = 2147483647;
const U32_MAX = 4294967295;
const NONE = {} as Record<string, never>;

const reduce = (prim: Prim.ReduceSum | Prim.ReduceMax | Prim.ReduceMin | Prim.ReduceProd, x: Host, axes: number[]) => {
  const outShape = x.shape.filter((_, d) => !axes.includes(d));
  return run(prim, [x], { axes, outSharding: null }, [x.dtype, outShape]);
};
const argred = (prim: Prim.Argmax | Prim.Argmin, x: Host, axis: number, indexDtype: DType = "int32") =>
  run(prim, [x], { axes: [axis], indexDtype }, [indexDtype, x.shape.filter((_, d) => d !== axis)]);

/** Arrays of rank ≤ 4 with sides ≤ 3 (zero included) and small integer values. */
const hostArb = (dtype: DType, lo = -50, hi = 50): fc.Arbitrary<Host> =>
  fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 4 }).chain((shape) =>
    fc.array(fc.integer({ min: lo, max: hi }), { minLength: size(shape), maxLength: size(shape) })
      .map((values) => h(dtype, shape, values)),
  );

// --- reductions ---------------------------------------------------------------------------

describe("reductions", () => {
  const x23 = h("float32", [2, 3], [1, 2, 3, 4, 5, 6]);

  it("reduce_sum over one axis, both axes and no axes", () => {
    expect(reduce(Prim.ReduceSum, x23, [1])).toEqual([6, 15]);
    expect(reduce(Prim.ReduceSum, x23, [0])).toEqual([5, 7, 9]);
    expect(reduce(Prim.ReduceSum, x23, [0, 1])).toEqual([21]);
    expect(reduce(Prim.ReduceSum, x23, [])).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it("reduce_sum over non-adjacent axes of a rank-3 array", () => {
    // x[i,j,k] = 12i + 4j + k, shape [2,3,4]; sum over i and k: Σ_i Σ_k = 2·(4·4j) + 4·12 + 2·6
    expect(reduce(Prim.ReduceSum, ar("int32", [2, 3, 4]), [0, 2])).toEqual([0, 1, 2].map((j) => 32 * j + 48 + 12));
  });

  it("float32 sums accumulate in f64 and round once", () => {
    // In f32 arithmetic 1e8 + 1 = 1e8; accumulated in f64 the sixteen ones survive.
    expect(reduce(Prim.ReduceSum, h("float32", [17], [1e8, ...new Array(16).fill(1)]), [0])).toEqual([100000016]);
    expect(reduce(Prim.ReduceSum, h("float32", [3], [0.1, 0.2, 0.3]), [0]))
      .toEqual([Math.fround(Math.fround(0.1) + Math.fround(0.2) + Math.fround(0.3))]);
  });

  it("integer sums and products wrap", () => {
    expect(reduce(Prim.ReduceSum, h("int32", [2], [I32_MAX, 1]), [0])).toEqual([I32_MIN]);
    expect(reduce(Prim.ReduceSum, h("uint32", [2], [U32_MAX, 2]), [0])).toEqual([1]);
    expect(reduce(Prim.ReduceProd, h("int32", [3], [65536, 65536, 3]), [0])).toEqual([0]);
    expect(reduce(Prim.ReduceProd, h("int32", [3], [-2, 3, 4]), [0])).toEqual([-24]);
    expect(reduce(Prim.ReduceProd, h("uint32", [2], [U32_MAX, U32_MAX]), [0])).toEqual([1]);
    expect(reduce(Prim.ReduceProd, h("float64", [2, 2], [1, 2, 3, 4]), [1])).toEqual([2, 12]);
  });

  it("max/min propagate NaN and order -0 below +0", () => {
    const f = (vals: number[]) => h("float64", [vals.length], vals);
    expect(reduce(Prim.ReduceMax, f([1, NaN, 3]), [0])).toEqual([NaN]);
    expect(reduce(Prim.ReduceMin, f([NaN, 1, 3]), [0])).toEqual([NaN]);
    expect(reduce(Prim.ReduceMax, f([-0, 0]), [0])).toEqual([0]);
    expect(reduce(Prim.ReduceMax, f([0, -0]), [0])).toEqual([0]);
    expect(reduce(Prim.ReduceMin, f([0, -0]), [0])).toEqual([-0]);
    expect(reduce(Prim.ReduceMax, f([-Infinity, -5]), [0])).toEqual([-5]);
    expect(reduce(Prim.ReduceMax, h("float32", [2, 2], [4, 1, 2, 3]), [1])).toEqual([4, 3]);
    expect(reduce(Prim.ReduceMin, h("int32", [3], [5, I32_MIN, 0]), [0])).toEqual([I32_MIN]);
    expect(reduce(Prim.ReduceMax, h("uint32", [2], [1, U32_MAX]), [0])).toEqual([U32_MAX]);
    expect(reduce(Prim.ReduceMax, h("bool", [2, 2], [0, 0, 0, 1]), [1])).toEqual([0, 1]);
    expect(reduce(Prim.ReduceMin, h("bool", [2, 2], [1, 1, 0, 1]), [1])).toEqual([1, 0]);
  });

  it("empty reductions give the identity of each op and dtype", () => {
    const empty = (dtype: DType) => h(dtype, [2, 0], []);
    const cases: [Prim.ReduceSum | Prim.ReduceMax | Prim.ReduceMin | Prim.ReduceProd, DType, number][] = [
      [Prim.ReduceSum, "float32", 0], [Prim.ReduceSum, "int32", 0], [Prim.ReduceSum, "uint32", 0],
      [Prim.ReduceProd, "float64", 1], [Prim.ReduceProd, "int32", 1], [Prim.ReduceProd, "uint32", 1],
      [Prim.ReduceMax, "float32", -Infinity], [Prim.ReduceMax, "float64", -Infinity],
      [Prim.ReduceMax, "int32", I32_MIN], [Prim.ReduceMax, "uint32", 0], [Prim.ReduceMax, "bool", 0],
      [Prim.ReduceMin, "float32", Infinity], [Prim.ReduceMin, "float64", Infinity],
      [Prim.ReduceMin, "int32", I32_MAX], [Prim.ReduceMin, "uint32", U32_MAX], [Prim.ReduceMin, "bool", 1],
    ];
    for (const [prim, dtype, id] of cases) {
      expect(reduce(prim, empty(dtype), [1])).toEqual([id, id]);
      expect(reduce(prim, empty(dtype), [0, 1])).toEqual([id]);
      expect(reduce(prim, empty(dtype), [0])).toEqual([]);
    }
  });

  it("reduce_sum and reduce_prod reject bool", () => {
    expect(() => reduce(Prim.ReduceSum, h("bool", [2], [1, 1]), [0])).toThrow(DTypeError);
    expect(() => reduce(Prim.ReduceProd, h("bool", [2], [1, 1]), [0])).toThrow(DTypeError);
  });

  it("agree with a coordinate-by-coordinate reference over any set of axes", () => {
    const arb = hostArb("float64").chain((x) =>
      fc.tuple(fc.constant(x), fc.subarray(range(x.shape.length))),
    );
    fc.assert(
      fc.property(arb, ([x, axes]) => {
        const outShape = x.shape.filter((_, d) => !axes.includes(d));
        const sum = new Array<number>(size(outShape)).fill(0);
        const max = new Array<number>(size(outShape)).fill(-Infinity);
        x.values.forEach((val, flat) => {
          const o = ravel(unravelIndex(flat, x.shape).filter((_, d) => !axes.includes(d)), outShape);
          sum[o] = sum[o]! + val;
          max[o] = Math.max(max[o]!, val);
        });
        expect(reduce(Prim.ReduceSum, x, axes)).toEqual(sum.map((s) => s + 0));
        expect(reduce(Prim.ReduceMax, x, axes)).toEqual(max);
      }),
    );
  });

  it("reducing a set of axes at once equals reducing them one at a time", () => {
    const arb = hostArb("int32").chain((x) => fc.tuple(fc.constant(x), fc.subarray(range(x.shape.length))));
    fc.assert(
      fc.property(arb, fc.constantFrom(Prim.ReduceSum, Prim.ReduceMin, Prim.ReduceProd), ([x, axes], prim) => {
        let y = x;
        for (const a of [...axes].reverse()) {
          y = h(x.dtype, y.shape.filter((_, d) => d !== a), reduce(prim, y, [a]));
        }
        expect(reduce(prim, x, axes)).toEqual(y.values);
      }),
    );
  });

  it("the sum over all axes is the sum of the values", () => {
    fc.assert(
      fc.property(hostArb("int32", -1000, 1000), (x) => {
        expect(reduce(Prim.ReduceSum, x, range(x.shape.length))).toEqual([x.values.reduce((a, b) => a + b, 0)]);
      }),
    );
  });
});

describe("argmax / argmin", () => {
  it("return the first index of the extreme value", () => {
    expect(argred(Prim.Argmax, h("float32", [4], [1, 3, 3, 2]), 0)).toEqual([1]);
    expect(argred(Prim.Argmin, h("float32", [4], [2, 1, 5, 1]), 0)).toEqual([1]);
    expect(argred(Prim.Argmax, h("float64", [2], [-0, 0]), 0)).toEqual([0]);
    expect(argred(Prim.Argmin, h("float64", [2], [0, -0]), 0)).toEqual([0]);
    expect(argred(Prim.Argmax, h("float64", [3], [-Infinity, -Infinity, -Infinity]), 0)).toEqual([0]);
  });

  it("count NaN as the extreme; the first NaN wins", () => {
    expect(argred(Prim.Argmax, h("float32", [4], [1, NaN, 5, NaN]), 0)).toEqual([1]);
    expect(argred(Prim.Argmin, h("float32", [4], [1, -5, NaN, NaN]), 0)).toEqual([2]);
    expect(argred(Prim.Argmin, h("float64", [3], [NaN, -Infinity, 0]), 0)).toEqual([0]);
  });

  it("work along either axis of a matrix, on every dtype", () => {
    const m = h("int32", [2, 3], [5, -1, 7, 9, 9, -2]);
    expect(argred(Prim.Argmax, m, 1)).toEqual([2, 0]);
    expect(argred(Prim.Argmax, m, 0)).toEqual([1, 1, 0]);
    expect(argred(Prim.Argmin, m, 1)).toEqual([1, 2]);
    expect(argred(Prim.Argmax, h("uint32", [3], [1, U32_MAX, 2]), 0, "uint32")).toEqual([1]);
    expect(argred(Prim.Argmax, h("bool", [3], [0, 1, 1]), 0)).toEqual([1]);
    expect(argred(Prim.Argmin, h("bool", [3], [1, 1, 0]), 0)).toEqual([2]);
  });

  it("an empty axis gives index 0; an empty output gives nothing", () => {
    expect(argred(Prim.Argmax, h("float32", [2, 0], []), 1)).toEqual([0, 0]);
    expect(argred(Prim.Argmin, h("float32", [0, 3], []), 1)).toEqual([]);
  });

  it("reject more than one axis", () => {
    const x = ar("float32", [2, 2]);
    expect(() => run(Prim.Argmax, [x], { axes: [0, 1], indexDtype: "int32" }, ["int32", []])).toThrow(ArgumentError);
  });

  it("point at the first occurrence of the max along the axis", () => {
    const arb = hostArb("float64", -3, 3).filter((x) => x.shape.length > 0)
      .chain((x) => fc.tuple(fc.constant(x), fc.integer({ min: 0, max: x.shape.length - 1 })));
    fc.assert(
      fc.property(arb, ([x, axis]) => {
        const got = argred(Prim.Argmax, x, axis);
        const outShape = x.shape.filter((_, d) => d !== axis);
        got.forEach((k, o) => {
          const base = unravelIndex(o, outShape);
          const at = (j: number) => x.values[ravel([...base.slice(0, axis), j, ...base.slice(axis)], x.shape)]!;
          const line = range(x.shape[axis]!).map(at);
          expect(k).toBe(line.length === 0 ? 0 : line.indexOf(Math.max(...line)));
        });
      }),
    );
  });
});

// --- shape and movement ----------------------------------------------------------------------

describe("broadcast_in_dim", () => {
  const bcast = (x: Host, shape: number[], broadcastDimensions: number[]) =>
    run(Prim.BroadcastInDim, [x], { shape, broadcastDimensions, sharding: null }, [x.dtype, shape]);

  it("maps operand dims onto output dims, repeating size-1 dims", () => {
    expect(bcast(h("float32", [3], [1, 2, 3]), [2, 3], [1])).toEqual([1, 2, 3, 1, 2, 3]);
    expect(bcast(h("int32", [3], [1, 2, 3]), [3, 2], [0])).toEqual([1, 1, 2, 2, 3, 3]);
    expect(bcast(h("uint32", [1, 3], [1, 2, 3]), [2, 3], [0, 1])).toEqual([1, 2, 3, 1, 2, 3]);
    expect(bcast(h("bool", [], [1]), [2, 2], [])).toEqual([1, 1, 1, 1]);
    expect(bcast(h("float64", [2, 1], [7, 8]), [2, 2, 3], [0, 2])).toEqual([7, 7, 7, 7, 7, 7, 8, 8, 8, 8, 8, 8]);
  });

  it("handles zero-size dims", () => {
    expect(bcast(h("float32", [0], []), [2, 0], [1])).toEqual([]);
    expect(bcast(h("float32", [1], [5]), [0, 3], [1])).toEqual([]);
  });

  it("every output element reads the operand at the mapped coordinate", () => {
    const arb = hostArb("int32").chain((x) =>
      fc.tuple(
        fc.constant(x),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), fc.nat()), { maxLength: 2 }),
        fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
      ),
    );
    fc.assert(
      fc.property(arb, ([x, extra, stretch]) => {
        // Insert new dims among the operand dims (which keep their order); stretch some size-1 dims.
        const slots = x.shape.map((s, i) => ({ s: s === 1 && stretch[i] ? 3 : s, op: i }));
        for (const [s, p] of extra) slots.splice(p % (slots.length + 1), 0, { s, op: -1 });
        const shape = slots.map((slot) => slot.s);
        const dims = range(x.shape.length).map((i) => slots.findIndex((slot) => slot.op === i));
        const got = bcast(x, shape, dims);
        got.forEach((val, flat) => {
          const idx = unravelIndex(flat, shape);
          const src = dims.map((d, i) => (x.shape[i] === 1 ? 0 : idx[d]!));
          expect(val).toBe(x.values[ravel(src, x.shape)]);
        });
        expect(got).toHaveLength(size(shape));
      }),
    );
  });
});

describe("reshape / squeeze / transpose", () => {
  it("reshape and squeeze keep row-major order", () => {
    const x = h("float32", [2, 3], [1, 2, 3, 4, 5, 6]);
    expect(run(Prim.Reshape, [x], { newSizes: [3, 2], dimensions: null, sharding: null }, ["float32", [3, 2]])).toEqual(x.values);
    expect(run(Prim.Reshape, [x], { newSizes: [6], dimensions: null, sharding: null }, ["float32", [6]])).toEqual(x.values);
    expect(run(Prim.Reshape, [h("int32", [0, 3], [])], { newSizes: [3, 0], dimensions: null, sharding: null }, ["int32", [3, 0]])).toEqual([]);
    expect(run(Prim.Squeeze, [h("bool", [1, 3, 1], [1, 0, 1])], { dimensions: [0, 2] }, ["bool", [3]])).toEqual([1, 0, 1]);
    expect(run(Prim.Squeeze, [h("uint32", [1], [U32_MAX])], { dimensions: [0] }, ["uint32", []])).toEqual([U32_MAX]);
  });

  it("reshape round-trips through any shape of the same size", () => {
    const arb = hostArb("float64").chain((x) => fc.tuple(fc.constant(x), fc.shuffledSubarray([...x.shape])));
    fc.assert(
      fc.property(arb, ([x, perm]) => {
        const other = perm.length === x.shape.length ? [...perm, 1] : [size(x.shape)];
        const y = run(Prim.Reshape, [x], { newSizes: other, dimensions: null, sharding: null }, ["float64", other]);
        expect(y).toEqual(x.values);
        const back = run(Prim.Reshape, [h("float64", other, y)], { newSizes: [...x.shape], dimensions: null, sharding: null }, ["float64", x.shape]);
        expect(back).toEqual(x.values);
      }),
    );
  });

  it("transpose: hand-computed matrices and rank-3 arrays", () => {
    const tr = (x: Host, permutation: number[]) =>
      run(Prim.Transpose, [x], { permutation }, [x.dtype, permutation.map((p) => x.shape[p]!)]);
    expect(tr(h("int32", [2, 3], [1, 2, 3, 4, 5, 6]), [1, 0])).toEqual([1, 4, 2, 5, 3, 6]);
    // x[i,j,k] = 4i... shape [2,1,2] → perm [2,0,1]: out[k,i,j]
    expect(tr(ar("float32", [2, 1, 2]), [2, 0, 1])).toEqual([0, 2, 1, 3]);
    expect(tr(h("bool", [], [1]), [])).toEqual([1]);
    expect(tr(h("float32", [0, 2], []), [1, 0])).toEqual([]);
  });

  it("transpose reads in[idx[perm⁻¹]] and its inverse undoes it", () => {
    const arb = hostArb("int32").chain((x) => fc.tuple(fc.constant(x), fc.shuffledSubarray(range(x.shape.length), { minLength: x.shape.length })));
    fc.assert(
      fc.property(arb, ([x, perm]) => {
        const outShape = perm.map((p) => x.shape[p]!);
        const y = run(Prim.Transpose, [x], { permutation: perm }, ["int32", outShape]);
        y.forEach((val, flat) => {
          const idx = unravelIndex(flat, outShape);
          const src = new Array<number>(perm.length);
          perm.forEach((p, i) => (src[p] = idx[i]!));
          expect(val).toBe(x.values[ravel(src, x.shape)]);
        });
        const inv = new Array<number>(perm.length);
        perm.forEach((p, i) => (inv[p] = i));
        const back = run(Prim.Transpose, [h("int32", outShape, y)], { permutation: inv }, ["int32", x.shape]);
        expect(back).toEqual(x.values);
      }),
    );
  });
});

describe("slice / concatenate", () => {
  const slice = (x: Host, startIndices: number[], limitIndices: number[], strides: number[] | null) => {
    const st = strides ?? startIndices.map(() => 1);
    const shape = startIndices.map((s, d) => Math.max(0, Math.ceil((limitIndices[d]! - s) / st[d]!)));
    return run(Prim.Slice, [x], { startIndices, limitIndices, strides }, [x.dtype, shape]);
  };
  const concat = (xs: Host[], dimension: number) => {
    const shape = [...xs[0]!.shape];
    shape[dimension] = xs.reduce((a, x) => a + x.shape[dimension]!, 0);
    return run(Prim.Concatenate, xs, { dimension }, [xs[0]!.dtype, shape]);
  };

  it("slice with and without strides", () => {
    const x = ar("float32", [7]);
    expect(slice(x, [1], [4], null)).toEqual([1, 2, 3]);
    expect(slice(x, [0], [7], [2])).toEqual([0, 2, 4, 6]);
    expect(slice(x, [0], [6], [2])).toEqual([0, 2, 4]);
    expect(slice(x, [1], [6], [3])).toEqual([1, 4]);
    expect(slice(x, [3], [3], null)).toEqual([]);
    // x[i,j] = 4i + j, shape [3,4]; rows 1:3, cols 0:4:3
    expect(slice(ar("int32", [3, 4]), [1, 0], [3, 4], [1, 3])).toEqual([4, 7, 8, 11]);
    expect(slice(h("bool", [], [1]), [], [], null)).toEqual([1]);
  });

  it("concatenate along each axis, with zero-size operands", () => {
    const a = h("int32", [2, 2], [1, 2, 3, 4]);
    const b = h("int32", [2, 1], [5, 6]);
    expect(concat([a, b], 1)).toEqual([1, 2, 5, 3, 4, 6]);
    expect(concat([a, h("int32", [0, 2], []), h("int32", [1, 2], [7, 8])], 0)).toEqual([1, 2, 3, 4, 7, 8]);
    expect(concat([h("float32", [0], []), h("float32", [0], [])], 0)).toEqual([]);
    expect(concat([h("uint32", [1], [U32_MAX])], 0)).toEqual([U32_MAX]);
  });

  it("slicing the concatenation returns the parts", () => {
    const arb = fc.tuple(
      fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 3 }),
      fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 4 }),
    ).chain(([shape, sizes]) =>
      fc.tuple(fc.constant(shape), fc.integer({ min: 0, max: shape.length - 1 }), fc.constant(sizes)),
    );
    fc.assert(
      fc.property(arb, ([shape, dim, sizes]) => {
        let counter = 0;
        const parts = sizes.map((s) => {
          const sh = shape.map((d, i) => (i === dim ? s : d));
          return h("float64", sh, range(size(sh)).map(() => counter++));
        });
        const whole = concat(parts, dim);
        const wholeShape = shape.map((d, i) => (i === dim ? sizes.reduce((a, b) => a + b, 0) : d));
        let start = 0;
        for (const p of parts) {
          const lo = shape.map((_, i) => (i === dim ? start : 0));
          const hi = wholeShape.map((d, i) => (i === dim ? start + p.shape[dim]! : d));
          expect(slice(h("float64", wholeShape, whole), lo, hi, null)).toEqual(p.values);
          start += p.shape[dim]!;
        }
      }),
    );
  });

  it("strided slices agree with a coordinate reference", () => {
    const arb = hostArb("int32").chain((x) =>
      fc.tuple(
        fc.constant(x),
        fc.tuple(...x.shape.map((n) => fc.tuple(fc.integer({ min: 0, max: n }), fc.integer({ min: 0, max: n }), fc.integer({ min: 1, max: 3 })))),
      ),
    );
    fc.assert(
      fc.property(arb, ([x, specs]) => {
        const lo = specs.map(([a, b]) => Math.min(a, b));
        const hi = specs.map(([a, b]) => Math.max(a, b));
        const st = specs.map(([, , s]) => s);
        const got = slice(x, lo, hi, st);
        const outShape = lo.map((l, d) => Math.ceil((hi[d]! - l) / st[d]!));
        expect(got).toEqual(range(size(outShape)).map((flat) =>
          x.values[ravel(unravelIndex(flat, outShape).map((i, d) => lo[d]! + i * st[d]!), x.shape)]));
      }),
    );
  });
});

// --- dot_general ---------------------------------------------------------------------------

describe("dot_general", () => {
  const dot = (lhs: Host, rhs: Host, dn: DotDimensionNumbers, out: [DType, number[]]) =>
    run(Prim.DotGeneral, [lhs, rhs], { dimensionNumbers: dn, precision: null, preferredElementType: null, outSharding: null }, out);
  const MATMUL: DotDimensionNumbers = [[[1], [0]], [[], []]];

  it("matrix products, vector dots, outer products", () => {
    const a = h("float32", [2, 3], [1, 2, 3, 4, 5, 6]);
    const b = h("float32", [3, 2], [7, 8, 9, 10, 11, 12]);
    expect(dot(a, b, MATMUL, ["float32", [2, 2]])).toEqual([58, 64, 139, 154]);
    expect(dot(h("float64", [3], [1, 2, 3]), h("float64", [3], [4, 5, 6]), [[[0], [0]], [[], []]], ["float64", []])).toEqual([32]);
    expect(dot(h("int32", [2], [1, 2]), h("int32", [3], [3, 4, 5]), [[[], []], [[], []]], ["int32", [2, 3]]))
      .toEqual([3, 4, 5, 6, 8, 10]);
    // contract lhs dim 0 with rhs dim 1: aᵀ·bᵀ = (b·a)ᵀ
    expect(dot(a, b, [[[0], [1]], [[], []]], ["float32", [3, 3]])).toEqual([39, 49, 59, 54, 68, 82, 69, 87, 105]);
  });

  it("batch dims come first, then lhs free, then rhs free", () => {
    // lhs [2(b),1,2], rhs [2(b),2,3]: per-batch matmul
    const lhs = h("float64", [2, 1, 2], [1, 2, 3, 4]);
    const rhs = h("float64", [2, 2, 3], [1, 0, 0, 0, 1, 0, 1, 1, 1, 2, 2, 2]);
    expect(dot(lhs, rhs, [[[2], [1]], [[0], [0]]], ["float64", [2, 1, 3]])).toEqual([1, 2, 0, 11, 11, 11]);
    // batch dim is last in the rhs: rhs' [2,3,2(b)] = rhs transposed
    const rhsT = h("float64", [2, 3, 2], [1, 1, 0, 2, 0, 0, 0, 1, 1, 2, 0, 2].map((_, i) => {
      const [k, n, b] = unravelIndex(i, [2, 3, 2]);
      return rhs.values[ravel([b!, k!, n!], [2, 2, 3])]!;
    }));
    expect(dot(lhs, rhsT, [[[2], [0]], [[0], [2]]], ["float64", [2, 1, 3]])).toEqual([1, 2, 0, 11, 11, 11]);
  });

  it("float32 accumulates in f64; ints wrap; bool is or-of-and", () => {
    expect(dot(h("float32", [3], [1e8, 1, -1e8]), h("float32", [3], [1, 1, 1]), [[[0], [0]], [[], []]], ["float32", []])).toEqual([1]);
    expect(dot(h("int32", [2], [65536, 3]), h("int32", [2], [65536, 4]), [[[0], [0]], [[], []]], ["int32", []])).toEqual([12]);
    expect(dot(h("uint32", [2], [U32_MAX, 1]), h("uint32", [2], [2, 3]), [[[0], [0]], [[], []]], ["uint32", []])).toEqual([1]);
    expect(dot(h("bool", [2, 2], [1, 0, 0, 0]), h("bool", [2, 2], [0, 1, 1, 0]), MATMUL, ["bool", [2, 2]])).toEqual([0, 1, 0, 0]);
  });

  it("preferredElementType widens the accumulation", () => {
    const got = run(Prim.DotGeneral, [h("int32", [2], [I32_MAX, I32_MAX]), h("int32", [2], [2, 2])],
      { dimensionNumbers: [[[0], [0]], [[], []]], precision: null, preferredElementType: "float64", outSharding: null }, ["float64", []]);
    expect(got).toEqual([4 * I32_MAX]);
    expect(() => run(Prim.DotGeneral, [h("float32", [1], [1]), h("float32", [1], [1])],
      { dimensionNumbers: [[[0], [0]], [[], []]], precision: null, preferredElementType: "int32", outSharding: null }, ["int32", []]))
      .toThrow(DTypeError);
  });

  it("zero-size contraction gives zeros; zero-size free dims give empty", () => {
    expect(dot(h("float32", [2, 0], []), h("float32", [0, 3], []), MATMUL, ["float32", [2, 3]])).toEqual([0, 0, 0, 0, 0, 0]);
    expect(dot(h("float32", [0, 2], []), h("float32", [2, 3], range(6)), MATMUL, ["float32", [0, 3]])).toEqual([]);
  });

  it("agrees with a naive loop for random dimension numbers and layouts", () => {
    type Role = readonly ["b" | "c" | "f", number];
    const sizes = (n: number) => fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: n });
    const arb = fc.tuple(sizes(2), sizes(2), sizes(2), sizes(2)).chain(([bs, cs, lf, rf]) => {
      const lRoles: Role[] = [...bs.map((_, i) => ["b", i] as const), ...cs.map((_, i) => ["c", i] as const), ...lf.map((_, i) => ["f", i] as const)];
      const rRoles: Role[] = [...bs.map((_, i) => ["b", i] as const), ...cs.map((_, i) => ["c", i] as const), ...rf.map((_, i) => ["f", i] as const)];
      return fc.tuple(
        fc.constant({ bs, cs, lf, rf }),
        fc.shuffledSubarray(lRoles, { minLength: lRoles.length }),
        fc.shuffledSubarray(rRoles, { minLength: rRoles.length }),
        fc.infiniteStream(fc.integer({ min: -9, max: 9 })),
      );
    });
    fc.assert(
      fc.property(arb, ([{ bs, cs, lf, rf }, lOrder, rOrder, stream]) => {
        const sizeOf = (free: number[]) => ([role, i]: Role) => (role === "b" ? bs : role === "c" ? cs : free)[i]!;
        const lShape = lOrder.map(sizeOf(lf));
        const rShape = rOrder.map(sizeOf(rf));
        const gen = stream[Symbol.iterator]();
        const lhs = h("float64", lShape, range(size(lShape)).map(() => gen.next().value as number));
        const rhs = h("float64", rShape, range(size(rShape)).map(() => gen.next().value as number));
        const pos = (order: Role[], role: string, i: number) => order.findIndex(([r, j]) => r === role && j === i);
        const dn: DotDimensionNumbers = [
          [cs.map((_, i) => pos(lOrder, "c", i)), cs.map((_, i) => pos(rOrder, "c", i))],
          [bs.map((_, i) => pos(lOrder, "b", i)), bs.map((_, i) => pos(rOrder, "b", i))],
        ];
        // Free dims appear in the output in the order they sit in each operand.
        const lFreeDims = range(lShape.length).filter((d) => lOrder[d]![0] === "f");
        const rFreeDims = range(rShape.length).filter((d) => rOrder[d]![0] === "f");
        const outShape = [...bs, ...lFreeDims.map((d) => lShape[d]!), ...rFreeDims.map((d) => rShape[d]!)];
        const want: number[] = [];
        for (let o = 0; o < size(outShape); o++) {
          const oi = unravelIndex(o, outShape);
          const b = oi.slice(0, bs.length);
          const lFree = oi.slice(bs.length, bs.length + lFreeDims.length);
          const rFree = oi.slice(bs.length + lFreeDims.length);
          let acc = 0;
          for (let k = 0; k < size(cs); k++) {
            const ki = unravelIndex(k, cs);
            const coord = (order: Role[], free: number[], freeDims: number[]) =>
              order.map(([role, i], d) => (role === "b" ? b[i]! : role === "c" ? ki[i]! : free[freeDims.indexOf(d)]!));
            acc += lhs.values[ravel(coord(lOrder, lFree, lFreeDims), lShape)]! *
              rhs.values[ravel(coord(rOrder, rFree, rFreeDims), rShape)]!;
          }
          want.push(acc + 0);
        }
        expect(dot(lhs, rhs, dn, ["float64", outShape]).map((x) => x + 0)).toEqual(want);
      }),
    );
  });
});

// --- iota ---------------------------------------------------------------------------------------

describe("iota", () => {
  const iota = (dtype: DType, shape: number[], dimension: number) =>
    run(Prim.Iota, [], { dtype, shape, dimension, sharding: null }, [dtype, shape]);

  it("counts along the chosen dimension, in every dtype", () => {
    expect(iota("int32", [4], 0)).toEqual([0, 1, 2, 3]);
    expect(iota("float32", [2, 3], 0)).toEqual([0, 0, 0, 1, 1, 1]);
    expect(iota("uint32", [2, 3], 1)).toEqual([0, 1, 2, 0, 1, 2]);
    expect(iota("float64", [2, 2, 2], 1)).toEqual([0, 0, 1, 1, 0, 0, 1, 1]);
    expect(iota("bool", [3], 0)).toEqual([0, 1, 1]);
    expect(iota("int32", [2, 0], 0)).toEqual([]);
    expect(iota("int32", [0, 2], 1)).toEqual([]);
  });
});

// --- rev and dynamic windows ----------------------------------------------------------------------

describe("rev, dynamic_slice, dynamic_update_slice", () => {
  const x23 = h("int32", [2, 3], [1, 2, 3, 4, 5, 6]);
  const i = (v: number) => h("int32", [], [v]);

  it("rev reverses the listed axes only", () => {
    expect(run(Prim.Rev, [x23], { dimensions: [1] }, ["int32", [2, 3]])).toEqual([3, 2, 1, 6, 5, 4]);
    expect(run(Prim.Rev, [x23], { dimensions: [0] }, ["int32", [2, 3]])).toEqual([4, 5, 6, 1, 2, 3]);
    expect(run(Prim.Rev, [x23], { dimensions: [0, 1] }, ["int32", [2, 3]])).toEqual([6, 5, 4, 3, 2, 1]);
    expect(run(Prim.Rev, [x23], { dimensions: [] }, ["int32", [2, 3]])).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it("dynamic_slice reads the window at the start indices, clamped so the window fits", () => {
    const ds = (a: number, b: number, sizes: number[]) => run(Prim.DynamicSlice, [x23, i(a), i(b)], { sliceSizes: sizes }, ["int32", sizes]);
    expect(ds(0, 1, [2, 2])).toEqual([2, 3, 5, 6]);
    expect(ds(1, 0, [1, 3])).toEqual([4, 5, 6]);
    expect(ds(5, 9, [1, 2])).toEqual([5, 6]); // clamped to (1, 1)
    expect(ds(-4, -1, [2, 1])).toEqual([1, 4]); // clamped to (0, 0)
    expect(run(Prim.DynamicSlice, [x23, h("uint32", [], [1]), h("uint32", [], [2])], { sliceSizes: [1, 1] }, ["int32", [1, 1]])).toEqual([6]);
  });

  it("dynamic_update_slice writes the update over the clamped window and leaves the rest", () => {
    const u = h("int32", [1, 2], [-1, -2]);
    const dus = (a: number, b: number) => run(Prim.DynamicUpdateSlice, [x23, u, i(a), i(b)], NONE, ["int32", [2, 3]]);
    expect(dus(0, 0)).toEqual([-1, -2, 3, 4, 5, 6]);
    expect(dus(1, 1)).toEqual([1, 2, 3, 4, -1, -2]);
    expect(dus(3, 3)).toEqual([1, 2, 3, 4, -1, -2]);
    expect(dus(-2, -2)).toEqual([-1, -2, 3, 4, 5, 6]);
  });
});

// --- gather and scatter ----------------------------------------------------------------------------

describe("gather and scatter", () => {
  const x = h("float32", [3], [10, 20, 30]);
  const idx = h("int32", [4, 1], [2, 0, -1, 5]);
  const take = { offsetDims: [], collapsedSliceDims: [0], startIndexMap: [0], operandBatchingDims: [], startIndicesBatchingDims: [] };
  const put = { updateWindowDims: [], insertedWindowDims: [0], scatterDimsToOperandDims: [0], operandBatchingDims: [], scatterIndicesBatchingDims: [] };
  const g = (mode: "clip" | "fill", fillValue: number | null) =>
    run(Prim.Gather, [x, idx], { dimensionNumbers: take, sliceSizes: [1], indicesAreSorted: false, uniqueIndices: false, mode, fillValue }, ["float32", [4]]);
  const sc = (prim: Prim.Scatter | Prim.ScatterAdd | Prim.ScatterMax, mode: "clip" | "fill") =>
    run(prim, [x, h("int32", [4, 1], [1, 1, -1, 7]), h("float32", [4], [1, 2, 3, 4])], {
      dimensionNumbers: put, indicesAreSorted: false, uniqueIndices: false, mode, updateJaxpr: null, updateConsts: [],
    }, ["float32", [3]]);

  it("gather picks elements; out-of-range starts clamp (clip) or give the fill value (fill)", () => {
    expect(g("clip", null)).toEqual([30, 10, 10, 30]);
    expect(g("fill", null)).toEqual([30, 10, NaN, NaN]);
    expect(g("fill", -7)).toEqual([30, 10, -7, -7]);
  });

  it("scatter: the later update wins; scatter-add accumulates; fill drops out-of-range updates", () => {
    expect(sc(Prim.Scatter, "clip")).toEqual([3, 2, 4]);
    expect(sc(Prim.Scatter, "fill")).toEqual([10, 2, 30]);
    expect(sc(Prim.ScatterAdd, "fill")).toEqual([10, 23, 30]);
    expect(sc(Prim.ScatterAdd, "clip")).toEqual([13, 23, 34]);
    expect(sc(Prim.ScatterMax, "clip")).toEqual([10, 20, 30]);
  });

  it("a 2x3 operand: rows by index, with batching dims pairing operand rows and index rows", () => {
    const m = h("int32", [2, 3], [1, 2, 3, 4, 5, 6]);
    const rows = { offsetDims: [1], collapsedSliceDims: [0], startIndexMap: [0], operandBatchingDims: [], startIndicesBatchingDims: [] };
    const params = { dimensionNumbers: rows, sliceSizes: [1, 3], indicesAreSorted: false, uniqueIndices: false, mode: "clip" as const, fillValue: null };
    expect(run(Prim.Gather, [m, h("int32", [3, 1], [1, 0, 1])], params, ["int32", [3, 3]])).toEqual([4, 5, 6, 1, 2, 3, 4, 5, 6]);
    // take_along_axis on axis 1: row r reads column idx[r].
    const along = { offsetDims: [], collapsedSliceDims: [1], startIndexMap: [1], operandBatchingDims: [0], startIndicesBatchingDims: [0] };
    const p2 = { ...params, dimensionNumbers: along, sliceSizes: [1, 1] };
    expect(run(Prim.Gather, [m, h("int32", [2, 1], [2, 0])], p2, ["int32", [2]])).toEqual([3, 4]);
  });
});

// --- zero-size arrays through every primitive ----------------------------------------------------

type ZeroCase<P extends KernelPrim> = {
  readonly args: readonly Host[];
  readonly params: PrimParams<P>;
  readonly out: readonly [DType, readonly number[]];
  readonly want?: readonly number[];
  /** The other outputs of a multi-output primitive. */
  readonly more?: readonly (readonly [DType, readonly number[]])[];
};
const Z = h("float32", [0, 2], []);
const unaryZ = { args: [Z], params: NONE, out: ["float32", [0, 2]] } as const;
const binaryZ = { args: [Z, Z], params: NONE, out: ["float32", [0, 2]] } as const;
const ZI = h("int32", [0, 2], []);
const unaryIntZ = { args: [ZI], params: NONE, out: ["int32", [0, 2]] } as const;
const binaryIntZ = { args: [ZI, ZI], params: NONE, out: ["int32", [0, 2]] } as const;
const compareZ = { args: [Z, Z], params: NONE, out: ["bool", [0, 2]] } as const;
const reduceZ = { args: [Z], params: { axes: [0], outSharding: null }, out: ["float32", [2]] } as const;

const windowZ = { windowDimensions: [1, 2], windowStrides: [1, 1], padding: [[0, 0], [0, 1]], baseDilation: [1, 1], windowDilation: [1, 1] } as const;

const zeroCases: { [P in KernelPrim]: ZeroCase<P> } = {
  [Prim.Neg]: unaryZ, [Prim.Exp]: unaryZ, [Prim.Log]: unaryZ, [Prim.Sin]: unaryZ, [Prim.Cos]: unaryZ,
  [Prim.Tanh]: unaryZ, [Prim.Sqrt]: unaryZ, [Prim.Logistic]: unaryZ, [Prim.Abs]: unaryZ, [Prim.Sign]: unaryZ,
  [Prim.IntegerPow]: { args: [Z], params: { y: 3 }, out: ["float32", [0, 2]] },
  [Prim.ConvertElementType]: { args: [Z], params: { newDtype: "int32", weakType: false, sharding: null }, out: ["int32", [0, 2]] },
  [Prim.Add]: binaryZ, [Prim.Sub]: binaryZ, [Prim.Mul]: binaryZ, [Prim.Div]: binaryZ,
  [Prim.Max]: binaryZ, [Prim.Min]: binaryZ, [Prim.Pow]: binaryZ,
  [Prim.Eq]: compareZ, [Prim.Ne]: compareZ, [Prim.Lt]: compareZ, [Prim.Le]: compareZ, [Prim.Gt]: compareZ, [Prim.Ge]: compareZ,
  [Prim.SelectN]: { args: [h("bool", [0, 2], []), Z, Z], params: NONE, out: ["float32", [0, 2]] },
  [Prim.ReduceSum]: { ...reduceZ, want: [0, 0] },
  [Prim.ReduceProd]: { ...reduceZ, want: [1, 1] },
  [Prim.ReduceMax]: { ...reduceZ, want: [-Infinity, -Infinity] },
  [Prim.ReduceMin]: { ...reduceZ, want: [Infinity, Infinity] },
  [Prim.Argmax]: { args: [Z], params: { axes: [0], indexDtype: "int32" }, out: ["int32", [2]], want: [0, 0] },
  [Prim.Argmin]: { args: [Z], params: { axes: [1], indexDtype: "int32" }, out: ["int32", [0]] },
  [Prim.BroadcastInDim]: { args: [Z], params: { shape: [3, 0, 2], broadcastDimensions: [1, 2], sharding: null }, out: ["float32", [3, 0, 2]] },
  [Prim.Reshape]: { args: [Z], params: { newSizes: [2, 0], dimensions: null, sharding: null }, out: ["float32", [2, 0]] },
  [Prim.Transpose]: { args: [Z], params: { permutation: [1, 0] }, out: ["float32", [2, 0]] },
  [Prim.Squeeze]: { args: [h("float32", [0, 1], [])], params: { dimensions: [1] }, out: ["float32", [0]] },
  [Prim.Slice]: { args: [Z], params: { startIndices: [0, 1], limitIndices: [0, 2], strides: null }, out: ["float32", [0, 1]] },
  [Prim.Concatenate]: { args: [Z, Z], params: { dimension: 1 }, out: ["float32", [0, 4]] },
  [Prim.Rev]: { args: [Z], params: { dimensions: [0, 1] }, out: ["float32", [0, 2]] },
  [Prim.DynamicSlice]: { args: [Z, h("int32", [], [3]), h("int32", [], [-1])], params: { sliceSizes: [0, 1] }, out: ["float32", [0, 1]] },
  [Prim.DynamicUpdateSlice]: {
    args: [Z, h("float32", [0, 1], []), h("int32", [], [0]), h("int32", [], [7])], params: NONE, out: ["float32", [0, 2]],
  },
  [Prim.Gather]: {
    args: [Z, h("int32", [3, 1], [0, 1, 2])],
    params: {
      dimensionNumbers: { offsetDims: [1, 2], collapsedSliceDims: [], startIndexMap: [1], operandBatchingDims: [], startIndicesBatchingDims: [] },
      sliceSizes: [0, 1], indicesAreSorted: false, uniqueIndices: false, mode: "clip", fillValue: null,
    },
    out: ["float32", [3, 0, 1]],
  },
  ...(Object.fromEntries(
    SCATTER_PRIMS.map((p) => [
      p,
      {
        args: [Z, h("int32", [0, 1], []), h("float32", [0, 0], [])],
        params: {
          dimensionNumbers: { updateWindowDims: [1], insertedWindowDims: [1], scatterDimsToOperandDims: [1], operandBatchingDims: [], scatterIndicesBatchingDims: [] },
          indicesAreSorted: false, uniqueIndices: false, mode: "fill", updateJaxpr: null, updateConsts: [],
        },
        out: ["float32", [0, 2]],
      },
    ]),
  ) as unknown as { [P in ScatterPrim]: ZeroCase<P> }),
  [Prim.DotGeneral]: {
    args: [Z, h("float32", [0, 3], [])],
    params: { dimensionNumbers: [[[0], [0]], [[], []]], precision: null, preferredElementType: null, outSharding: null },
    out: ["float32", [2, 3]], want: [0, 0, 0, 0, 0, 0],
  },
  [Prim.Iota]: { args: [], params: { dtype: "int32", shape: [0, 5], dimension: 1, sharding: null }, out: ["int32", [0, 5]] },
  [Prim.StopGradient]: unaryZ,
  // linear algebra: an empty batch, and empty matrices
  [Prim.Cholesky]: { args: [h("float32", [0, 3, 3], [])], params: NONE, out: ["float32", [0, 3, 3]] },
  [Prim.TriangularSolve]: {
    args: [h("float32", [2, 2], [1, 0, 0, 1]), h("float32", [2, 0], [])],
    params: { leftSide: true, lower: true, transposeA: false, conjugateA: false, unitDiagonal: false },
    out: ["float32", [2, 0]],
  },
  [Prim.Lu]: { args: [h("float32", [0, 2], [])], params: NONE, out: ["float32", [0, 2]], more: [["int32", [0]], ["int32", [0]]] },
  [Prim.Qr]: {
    args: [h("float32", [0, 2], [])],
    params: { fullMatrices: false, pivoting: false, useMagma: null },
    out: ["float32", [0, 0]],
    more: [["float32", [0, 2]]],
  },
  [Prim.Eigh]: {
    args: [h("float32", [0, 0], [])],
    params: { lower: true, sortEigenvalues: true, subsetByIndex: null, algorithm: null },
    out: ["float32", [0, 0]],
    more: [["float32", [0]]],
  },
  [Prim.Svd]: {
    args: [h("float32", [3, 0], [])],
    params: { fullMatrices: false, computeUv: false, subsetByIndex: null, algorithm: null },
    out: ["float32", [0]],
  },
  [Prim.ConvGeneralDilated]: {
    // Zero input channels: every output is an empty sum.
    args: [h("float32", [1, 0, 3], []), h("float32", [2, 0, 2], [])],
    params: {
      windowStrides: [1], padding: [[0, 0]], lhsDilation: [1], rhsDilation: [1], dimensionNumbers: new ConvDimensionNumbers([0, 1, 2], [0, 1, 2], [0, 1, 2]),
      featureGroupCount: 1, batchGroupCount: 1, precision: null, preferredElementType: null,
    },
    out: ["float32", [1, 2, 2]], want: [0, 0, 0, 0],
  },
  [Prim.ReduceWindowSum]: { args: [Z], params: windowZ, out: ["float32", [0, 2]] },
  [Prim.ReduceWindowMax]: { args: [Z], params: windowZ, out: ["float32", [0, 2]] },
  [Prim.ReduceWindowMin]: { args: [Z], params: windowZ, out: ["float32", [0, 2]] },
  // rounding, bitwise and special functions (bitwise ops on int32 zero-size operands)
  [Prim.Floor]: unaryZ, [Prim.Ceil]: unaryZ,
  [Prim.Round]: { args: [Z], params: { roundingMethod: 1 }, out: ["float32", [0, 2]] },
  [Prim.IsFinite]: { args: [Z], params: NONE, out: ["bool", [0, 2]] },
  [Prim.Rem]: binaryZ, [Prim.Atan2]: binaryZ,
  [Prim.And]: binaryIntZ, [Prim.Or]: binaryIntZ, [Prim.Xor]: binaryIntZ,
  [Prim.ShiftLeft]: binaryIntZ, [Prim.ShiftRightArithmetic]: binaryIntZ, [Prim.ShiftRightLogical]: binaryIntZ,
  [Prim.Not]: unaryIntZ, [Prim.PopulationCount]: unaryIntZ, [Prim.Clz]: unaryIntZ,
  [Prim.Tan]: unaryZ, [Prim.Asin]: unaryZ, [Prim.Acos]: unaryZ, [Prim.Atan]: unaryZ, [Prim.Sinh]: unaryZ,
  [Prim.Cosh]: unaryZ, [Prim.Asinh]: unaryZ, [Prim.Acosh]: unaryZ, [Prim.Atanh]: unaryZ, [Prim.Exp2]: unaryZ,
  [Prim.Expm1]: unaryZ, [Prim.Log1p]: unaryZ, [Prim.Cbrt]: unaryZ, [Prim.Rsqrt]: unaryZ, [Prim.Erf]: unaryZ,
  [Prim.Erfc]: unaryZ, [Prim.ErfInv]: unaryZ, [Prim.Lgamma]: unaryZ, [Prim.Digamma]: unaryZ,
  // scans over an empty axis and along an axis of an empty array
  [Prim.Cumsum]: { args: [Z], params: { axis: 0, reverse: false }, out: ["float32", [0, 2]] },
  [Prim.Cumprod]: { args: [Z], params: { axis: 1, reverse: true }, out: ["float32", [0, 2]] },
  [Prim.Cummax]: { args: [Z], params: { axis: 0, reverse: true }, out: ["float32", [0, 2]] },
  [Prim.Cummin]: { args: [Z], params: { axis: 1, reverse: false }, out: ["float32", [0, 2]] },
  // sorting lines of an empty array (two operands: two empty outputs)
  [Prim.Sort]: { args: [Z, ZI], params: { dimension: 1, isStable: true, numKeys: 1 }, out: ["float32", [0, 2]], more: [["int32", [0, 2]]] },
};

describe("zero-size arrays", () => {
  it.each(KERNEL_PRIMS)("%s", (prim) => {
    const c = zeroCases[prim] as ZeroCase<typeof prim>;
    expect(run(prim, c.args, c.params, c.out, c.more)).toEqual(c.want ?? []);
  });
});
