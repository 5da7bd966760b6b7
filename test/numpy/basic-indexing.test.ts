// numpy's index through x.at(...): integers, slices (negative steps, empty, bounds
// out of range), None, the ellipsis anywhere, integer arrays and boolean masks, and
// their mixes, against the plain-JS reference in index-reference.ts (checked there
// against numpy's rules); the string form; get/set/add/mul/min/max; jit equals eager;
// vmap equals a loop; gradients against finite differences; the lowering's
// primitives; errors.
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { ArgumentError, ConcretizationError, DTypeError, ShapeError, jit, makeJaxpr, numpy as np } from "../../src/index.js";
import type { DType } from "../../src/core/index.js";
import { checkGrads } from "../../src/testing/index.js";
import type { Array as NdArray } from "../../src/trace/array.js";
import { type Host, checkVmap, det, device, expectClose, fromFn, host, ravelIndex } from "./helpers.js";
import { type BuildOptions, type RefItem, buildIndex, refGet, refIndex, refUpdate, toIndex, toText } from "./index-reference.js";
import { smallShape } from "./values.js";

const EXACT = { rtol: 0, atol: 0 };
const i32 = (v: number[] | number): NdArray => np.array(v, { dtype: "int32" });
/** Distinct exact values 1, 2, 3, ... so that every position is identifiable (0/1 for bool). */
const counting = (shape: readonly number[], dtype: DType = "float32"): Host =>
  fromFn(shape, (idx) => (dtype === "bool" ? Number(ravelIndex(idx, shape) % 3 === 0) : ravelIndex(idx, shape) + 1));
const DTYPES: DType[] = ["float32", "float64", "int32", "uint32", "bool"];

/** A shape (rank 0-4, dims 1-4, sometimes 0) and a random valid index for it. */
const caseArb = (opts: BuildOptions, maxRank = 4) =>
  fc
    .tuple(
      fc.oneof({ arbitrary: smallShape({ maxRank, minDim: 1, maxDim: 4 }), weight: 4 }, { arbitrary: smallShape({ maxRank, maxDim: 4 }), weight: 1 }),
      fc.array(fc.nat({ max: 9999 }), { minLength: 48, maxLength: 48 }),
    )
    .map(([shape, tape]) => ({ shape, items: buildIndex(shape, tape, opts) }));

const show = (c: { shape: number[]; items: RefItem[] }): string => `shape [${c.shape}] index ${JSON.stringify(c.items)}`;

describe("x.at(index).get() follows numpy", () => {
  test("integers, slices (any step, empty, bounds out of range), None and the ellipsis anywhere", () => {
    fc.assert(
      fc.property(caseArb({}), (c) => {
        const x = counting(c.shape);
        expectClose(device(x).at(toIndex(c.items)).get(), refGet(x, c.items), EXACT, show(c));
      }),
      { numRuns: 150 },
    );
  });

  test("mixed with integer arrays (adjacent or separated) and boolean masks, every dtype", () => {
    fc.assert(
      fc.property(caseArb({ arrays: true, masks: true }), fc.constantFrom(...DTYPES), (c, dtype) => {
        const x = counting(c.shape, dtype);
        const out = device(x, dtype).at(toIndex(c.items)).get();
        expect(out.dtype).toBe(dtype);
        expectClose(out, refGet(x, c.items), EXACT, show(c));
      }),
      { numRuns: 150 },
    );
  });

  test("the string form reads the same index, alone or as items of a list", () => {
    fc.assert(
      fc.property(caseArb({ arrays: true }), (c) => {
        const x = device(counting(c.shape));
        const want = host(x.at(toIndex(c.items)).get());
        const mixed = c.items.map((i, k) => (typeof i === "object" && i !== null && "array" in i ? toIndex([i])[0]! : toText([i])));
        expectClose(x.at(mixed).get(), want, EXACT, show(c));
        if (c.items.length > 0 && mixed.every((m) => typeof m === "string")) expectClose(x.at(toText(c.items)).get(), want, EXACT, show(c));
      }),
      { numRuns: 100 },
    );
  });

  test("variadic, list and single-item forms agree; np.newaxis and np.ellipsis are null and '...'", () => {
    const x = device(counting([2, 3, 4]));
    const want = host(x.at([1, np.slice(null, null, -1), null, "..."]).get());
    expectClose(x.at(1, np.slice(null, null, -1), np.newaxis, np.ellipsis).get(), want, EXACT);
    expectClose(x.at("1, ::-1, None, ...").get(), want, EXACT);
    expectClose(x.at(" 1 ,::-1,newaxis,... ").get(), want, EXACT);
    expectClose(x.at(np.slice(2)).get(), host(x.at("0:2").get()), EXACT);
    expectClose(x.at(np.slice(1, null)).get(), host(x.at("1:").get()), EXACT);
    expectClose(x.at().get(), host(x), EXACT);
    expectClose(x.at(null).get(), refGet(counting([2, 3, 4]), [null]), EXACT);
    expect(np.newaxis).toBe(null);
    expect(np.ellipsis).toBe("...");
  });

  test("the README's examples", () => {
    const m = np.array([[1, 2, 3], [4, 5, 6]]);
    expectClose(m.at("::-1, None, 1:").get(), { shape: [2, 1, 2], data: [5, 6, 2, 3] }, EXACT);
    expectClose(m.at(0, np.slice(null, null, -2)).set(0), { shape: [2, 3], data: [0, 2, 0, 4, 5, 6] }, EXACT);
    expectClose(m.at(np.greater(m, 2)).get(), { shape: [4], data: [3, 4, 5, 6] }, EXACT);
  });

  test("jit equals eager, masks closed over as constants", () => {
    fc.assert(
      fc.property(caseArb({ arrays: true, masks: true }, 3), (c) => {
        const x = counting(c.shape);
        const idx = toIndex(c.items);
        expectClose(jit((p: NdArray) => p.at(idx).get())(device(x)), refGet(x, c.items), EXACT, show(c));
      }),
      { numRuns: 30 },
    );
  });
});

type Method = "set" | "add" | "mul" | "min" | "max";
const COMBINE: Record<Method, (a: number, b: number) => number> = {
  set: (_, b) => b,
  add: (a, b) => a + b,
  mul: (a, b) => a * b,
  min: Math.min,
  max: Math.max,
};

/** Updates of the result's shape (or a trailing part of it, broadcast), small exact integers. */
const updatesFor = (shape: readonly number[], drop: number): Host => {
  const s = shape.slice(Math.min(drop, shape.length));
  return fromFn(s, (idx) => ((ravelIndex(idx, s) * 7) % 11) - 5);
};

describe("x.at(index).set/add/mul/min/max", () => {
  const updateArb = fc.tuple(
    caseArb({ arrays: true, masks: true }),
    fc.constantFrom<Method>("set", "add", "mul", "min", "max"),
    fc.nat(3),
    fc.constantFrom<DType>("float32", "float64", "int32"),
  );

  test("equal the reference: updates applied in the result's order (repeats: set keeps the last, the others accumulate)", () => {
    fc.assert(
      fc.property(updateArb, ([c, m, drop, dtype]) => {
        const x = counting(c.shape, dtype);
        const y = updatesFor(refIndex(c.shape, c.items).shape, drop);
        const out = device(x, dtype).at(toIndex(c.items))[m](device(y, dtype));
        expect(out.dtype).toBe(dtype);
        expectClose(out, refUpdate(x, c.items, y, COMBINE[m]), EXACT, `${m} ${show(c)}`);
      }),
      { numRuns: 200 },
    );
  });

  test("jit equals eager", () => {
    fc.assert(
      fc.property(fc.tuple(caseArb({ arrays: true, masks: true }, 3), fc.constantFrom<Method>("set", "add", "mul", "min", "max")), ([c, m]) => {
        const x = counting(c.shape);
        const y = updatesFor(refIndex(c.shape, c.items).shape, 0);
        const idx = toIndex(c.items);
        expectClose(jit((p: NdArray, q: NdArray) => p.at(idx)[m](q))(device(x), device(y)), refUpdate(x, c.items, y, COMBINE[m]), EXACT, `${m} ${show(c)}`);
      }),
      { numRuns: 30 },
    );
  });

  test("modes apply to the array indices of a mixed index; uint32 indices do not wrap", () => {
    const x = device(counting([2, 3]));
    const far = i32([1, 5, -1]);
    expectClose(x.at("::-1", far).get(), { shape: [2, 3], data: [5, 6, 6, 2, 3, 3] }, EXACT);
    expectClose(x.at("::-1", far).get({ mode: "fill", fillValue: -1 }), { shape: [2, 3], data: [5, -1, 6, 2, -1, 3] }, EXACT);
    expectClose(x.at(1, far).set(0), { shape: [2, 3], data: [1, 2, 3, 4, 0, 0] }, EXACT);
    expectClose(x.at(1, far).add(10, { mode: "clip" }), { shape: [2, 3], data: [1, 2, 3, 4, 15, 26] }, EXACT);
    expectClose(x.at(":", np.array([2, 0], { dtype: "uint32" })).get(), { shape: [2, 2], data: [3, 1, 6, 4] }, EXACT);
  });

  test("a value with extra leading size-1 dims is accepted, as in numpy", () => {
    const x = device(counting([3, 4]));
    expectClose(x.at("1:3, ::2").set(np.zeros([1, 1, 2, 2])), host(x.at("1:3, ::2").set(0)), EXACT);
  });
});

describe("transforms", () => {
  test("vmap of get and of add equals a loop", () => {
    fc.assert(
      fc.property(caseArb({ arrays: true, masks: true }, 3), (c) => {
        const xs = det([3, ...c.shape], 1);
        const idx = toIndex(c.items);
        checkVmap((p: NdArray) => p.at(idx).get(), [xs]);
        const ys = det([3, ...refIndex(c.shape, c.items).shape], 2);
        checkVmap((p: NdArray, q: NdArray) => p.at(idx).add(q), [xs, ys]);
        checkVmap((p: NdArray, q: NdArray) => p.at(idx).set(q), [xs, ys]);
      }),
      { numRuns: 25 },
    );
  });

  test("vmap over the index arrays of a mixed index", () => {
    const xs = det([5, 3, 4, 6], 1);
    const is = i32([0, 2, -1, 1, 3]).reshape([5, 1]);
    checkVmap((p: NdArray, i: NdArray) => p.at(":", i, "::-2").get(), [xs, is]);
    checkVmap((p: NdArray, i: NdArray) => p.at(i, null, "1:").mul(3), [xs, is]);
  });

  test("gradients of get (slice, rev, reshape, gather) against finite differences", () => {
    const a = det([4, 3, 5], 2);
    const ix = i32([0, 2, -1]);
    const opts = { order: 2, modes: ["fwd", "rev"] } as const;
    checkGrads((p: NdArray) => p.at("1:, ::-2").get().sin().sum(), [a], opts);
    checkGrads((p: NdArray) => p.at(null, "...", 0).get().mul(p.at(1).get().sum()), [a], opts);
    checkGrads((p: NdArray) => p.at(ix, ":", i32([1, 0, 4])).get().square(), [a], opts);
    checkGrads((p: NdArray) => p.at("::-1", ix, null).get().sin(), [a], opts);
  });

  test("gradients of set/add/mul/max (dynamic_update_slice and scatter) against finite differences", () => {
    const a = det([4, 3, 5], 2);
    const opts = { order: 2, modes: ["fwd", "rev"] } as const;
    const q = (shape: number[]) => det(shape, 5);
    checkGrads((p: NdArray, v: NdArray) => p.at("::-1, 1").set(v.sin()).mul(p), [a, q([4, 5])], opts);
    checkGrads((p: NdArray, v: NdArray) => p.at("::2, :, 3::-2").set(v.sin()).mul(p), [a, q([2, 3, 2])], opts);
    checkGrads((p: NdArray, v: NdArray) => p.at("1:3, None, ..., ::-1").add(v.square()).sin(), [a, q([2, 1, 3, 5])], opts);
    checkGrads((p: NdArray, v: NdArray) => p.at("::3, 0").mul(v).sin(), [a, q([2, 5])], opts);
    checkGrads((p: NdArray, v: NdArray) => p.at(1, "::-1").mul(v).sin(), [a, q([3, 5])], opts);
    checkGrads((p: NdArray, v: NdArray) => p.at(i32([2, 0]), ":", "::2").add(v).sin(), [a, q([2, 3, 3])], opts);
    checkGrads((p: NdArray, v: NdArray) => p.at(i32([2, 0]), 1, "::2").set(v).mul(p), [a, q([2, 3])], opts);
    checkGrads((p: NdArray, v: NdArray) => p.at("2:, ::-1").max(v), [a, q([2, 3, 5])], { modes: ["fwd", "rev"] });
  });

  test("random mixed indices: gradients of get and add", () => {
    fc.assert(
      fc.property(caseArb({ arrays: true, masks: true }, 3), (c) => {
        const a = det(c.shape, 3);
        const idx = toIndex(c.items);
        const v = det(refIndex(c.shape, c.items).shape, 4);
        checkGrads((p: NdArray) => p.at(idx).get().sin(), [a], { modes: ["fwd", "rev"] });
        checkGrads((p: NdArray, w: NdArray) => p.at(idx).add(w.mul(w)).sin(), [a, v], { modes: ["fwd", "rev"] });
      }),
      { numRuns: 15 },
    );
  });
});

describe("lowering", () => {
  const primitives = (f: (p: NdArray) => NdArray, x: NdArray): string[] =>
    [...makeJaxpr(f)(x).toString().matchAll(/= (\w[\w-]*)/g)].map((m) => m[1]!);

  test("basic indices are slice, rev and reshape; only arrays gather; static unit-step updates are dynamic_update_slice", () => {
    const x = det([4, 5, 6]);
    expect(primitives((p) => p.at("1:3, None, ..., ::-2").get(), x)).toEqual(["slice", "rev", "reshape"]);
    expect(primitives((p) => p.at(1, 2).get(), x)).toEqual(["slice", "reshape"]);
    expect(primitives((p) => p.at("...").get(), x)).toEqual([]);
    expect(primitives((p) => p.at("::2", i32([1, 0])).get(), x)).toContain("gather");
    expect(primitives((p) => p.at("::2", i32([1, 0])).get(), x)).not.toContain("scatter");
    expect(primitives((p) => p.at("1:3, ::-1").set(0), x)).toContain("dynamic_update_slice");
    expect(primitives((p) => p.at("1:3, ::-1").add(1), x)).not.toContain("scatter-add");
    expect(primitives((p) => p.at("::2").add(1), x)).toContain("scatter-add");
  });
});

describe("errors name the operation, the shape and the fix", () => {
  const x = device(counting([2, 3]));

  test.each<[string, () => unknown, new (...a: never[]) => Error, RegExp]>([
    ["too many indices", () => x.at(0, 1, 2).get(), ShapeError, /x\.at\(0, 1, 2\)\.get: too many indices for an array of shape \[2, 3\].*drop some items/],
    ["two ellipses", () => x.at("..., 0, ...").get(), ArgumentError, /x\.at\(\.\.\., 0, \.\.\.\)\.get: an index can have only one ellipsis/],
    ["integer out of bounds", () => x.at(0, 3).set(1), ArgumentError, /x\.at\(0, 3\)\.set: index 3 is out of bounds for axis 1 of size 3 \(array of shape \[2, 3\]\).*\[-3, 2\].*integer array and pass \{ mode \}/],
    ["negative integer out of bounds", () => x.at(-3).get(), ArgumentError, /index -3 is out of bounds for axis 0 of size 2/],
    ["float index", () => x.at(0.5).get(), DTypeError, /x\.at\(0\.5\)\.get: index 0\.5 is not an integer/],
    ["float slice bound", () => x.at(np.slice(0, 1.5)).get(), DTypeError, /slice 0:1\.5 has a bound that is not an integer/],
    ["step 0", () => x.at(":, ::0").get(), ArgumentError, /x\.at\(:, ::0\)\.get: slice ::0 on axis 1 \(array of shape \[2, 3\]\) has step 0; use a positive step/],
    ["bad string", () => x.at("1:2:3:4").get(), ArgumentError, /cannot read "1:2:3:4" in the index string "1:2:3:4".*a slice \(1:3, ::-1, 2:\)/],
    ["bad string part", () => x.at("0, x").get(), ArgumentError, /cannot read "x" in the index string "0, x"/],
    ["empty string", () => x.at("").get(), ArgumentError, /cannot read "" in the index string ""/],
    ["boolean scalar", () => x.at([true as never]).get(), ArgumentError, /the boolean true is not an index item; use integers/],
    ["nested list", () => x.at([[0, 1] as never]).get(), ArgumentError, /a nested list is not an index item.*np\.array\(list, \{ dtype: 'int32' \}\)/],
    ["undefined", () => x.at([undefined as never]).get(), ArgumentError, /x\.at\(undefined\)\.get: undefined is not an index item/],
    ["arrays that do not broadcast", () => x.at(i32([0, 1]), i32([0, 1, 2])).get(), ShapeError, /x\.at\(i32\[2\], i32\[3\]\)\.get: shapes \[2\], \[3\] cannot be broadcast together/],
    ["float array", () => x.at(np.array([0.5])).get(), DTypeError, /index array for axis 0 has dtype float32; indices must be integers/],
    ["mask shape", () => x.at(np.array([true, false, true])).get(), ShapeError, /boolean mask of shape \[3\] at axis 0 must match the axes it covers, \[2\] \(array of shape \[2, 3\]\)/],
    ["array index on an empty axis", () => device(counting([0, 2])).at(i32([0])).set(1), ShapeError, /x\.at\(i32\[1\]\)\.set: the index arrays select 1 elements on axis 0, which has size 0 \(array of shape \[0, 2\]\).*Slice that axis/],
    ["traced mask", () => jit((p: NdArray) => p.at(np.greater(p, 2)).get())(x), ConcretizationError, /boolean mask bool\[2,3\] selects a number of elements that is not known inside .*np\.where\(mask, x, other\)/],
  ])("%s", (_, f, cls, message) => {
    expect(f).toThrow(cls);
    expect(f).toThrow(message);
  });
});
