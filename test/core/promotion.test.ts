/**
 * dtype promotion against JAX's table (jax.numpy type promotion semantics), written
 * out by hand for ferrax's types: bool, uint32, int32, float32, float64 and the weak
 * types of JS scalars, i* (integral numbers) and f* (other numbers). JAX without
 * x64 is the reference: its int32 ⊔ uint32 = int64 canonicalises to int32, which is
 * ferrax's documented choice (there is no int64). Weak results materialise as
 * int32 (i*) and float32 (f*) with weak_type=True.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type DType, promoteTypes } from "../../src/core/index.js";
import { numpy as np } from "../../src/index.js";
import type { Array as NdArray } from "../../src/trace/array.js";

type T = "b" | "u32" | "i32" | "f32" | "f64" | "i*" | "f*";
const TYPES: readonly T[] = ["b", "u32", "i32", "f32", "f64", "i*", "f*"];

/** JAX's table restricted to our types; row ⊔ column. */
const TABLE: Record<T, Record<T, T>> = {
  //        b       u32     i32     f32     f64     i*      f*
  b:   { b: "b",   u32: "u32", i32: "i32", f32: "f32", f64: "f64", "i*": "i*",  "f*": "f*" },
  u32: { b: "u32", u32: "u32", i32: "i32", f32: "f32", f64: "f64", "i*": "u32", "f*": "f*" },
  i32: { b: "i32", u32: "i32", i32: "i32", f32: "f32", f64: "f64", "i*": "i32", "f*": "f*" },
  f32: { b: "f32", u32: "f32", i32: "f32", f32: "f32", f64: "f64", "i*": "f32", "f*": "f32" },
  f64: { b: "f64", u32: "f64", i32: "f64", f32: "f64", f64: "f64", "i*": "f64", "f*": "f64" },
  "i*": { b: "i*", u32: "u32", i32: "i32", f32: "f32", f64: "f64", "i*": "i*",  "f*": "f*" },
  "f*": { b: "f*", u32: "f*",  i32: "f*",  f32: "f32", f64: "f64", "i*": "f*",  "f*": "f*" },
};

const DTYPE_OF: Record<T, { dtype: DType; weakType: boolean }> = {
  b: { dtype: "bool", weakType: false },
  u32: { dtype: "uint32", weakType: false },
  i32: { dtype: "int32", weakType: false },
  f32: { dtype: "float32", weakType: false },
  f64: { dtype: "float64", weakType: false },
  "i*": { dtype: "int32", weakType: true },
  "f*": { dtype: "float32", weakType: true },
};

const nameOf = (t: { dtype: DType; weakType: boolean }): T =>
  TYPES.find((n) => DTYPE_OF[n].dtype === t.dtype && DTYPE_OF[n].weakType === t.weakType)!;

const promote = (...ts: T[]): T => nameOf(promoteTypes(...ts.map((t) => DTYPE_OF[t])));

/** A value of each type as user code writes it: arrays for the strong types, JS numbers for the weak ones. */
const operand = (t: T): NdArray | number => {
  switch (t) {
    case "i*":
      return 3;
    case "f*":
      return 1.5;
    default:
      return np.array([1, 0], { dtype: DTYPE_OF[t].dtype });
  }
};

const pairs = TYPES.flatMap((a) => TYPES.map((b) => [a, b] as const));
const triples = pairs.flatMap(([a, b]) => TYPES.map((c) => [a, b, c] as const));

describe("promoteTypes against JAX's table", () => {
  it.each(pairs)("%s ⊔ %s", (a, b) => {
    expect(promote(a, b)).toBe(TABLE[a][b]);
  });

  it("the table itself is symmetric (a typo check on the expectation)", () => {
    for (const [a, b] of pairs) expect(TABLE[a][b], `${a} ⊔ ${b}`).toBe(TABLE[b][a]);
  });

  it("no operands gives float32, one operand gives itself", () => {
    expect(promoteTypes()).toEqual({ dtype: "float32", weakType: false });
    for (const t of TYPES) expect(promote(t)).toBe(t);
  });

  it("n-ary promotion is the left fold of the table", () => {
    for (const [a, b, c] of triples) expect(promote(a, b, c), `${a} ⊔ ${b} ⊔ ${c}`).toBe(TABLE[TABLE[a][b]][c]);
  });
});

describe("promotion is a join: commutative, associative, idempotent", () => {
  const t = fc.constantFrom(...TYPES);
  it("commutative over all pairs", () => {
    fc.assert(fc.property(t, t, (a, b) => promote(a, b) === promote(b, a)));
    for (const [a, b] of pairs) expect(promote(a, b)).toBe(promote(b, a));
  });
  it("associative over all triples", () => {
    fc.assert(fc.property(t, t, t, (a, b, c) => promote(promote(a, b), c) === promote(a, promote(b, c))));
    for (const [a, b, c] of triples) expect(promote(promote(a, b), c), `${a} ${b} ${c}`).toBe(promote(a, promote(b, c)));
  });
  it("idempotent and absorbing: a ⊔ a = a, a ⊔ (a ⊔ b) = a ⊔ b", () => {
    fc.assert(fc.property(t, t, (a, b) => promote(a, a) === a && promote(a, promote(a, b)) === promote(a, b)));
  });
  it("n-ary promotion does not depend on operand order", () => {
    fc.assert(
      fc.property(fc.array(t, { minLength: 1, maxLength: 5 }), fc.nat(), (ts, seed) => {
        const shuffled = [...ts].sort((x, y) => ((TYPES.indexOf(x) * 7 + seed) % 11) - ((TYPES.indexOf(y) * 7 + seed) % 11));
        return promote(...ts) === promote(...shuffled);
      }),
    );
  });
});

describe("the dtype of real ops follows the table", () => {
  it.each(pairs)("maximum(%s, %s)", (a, b) => {
    const y = np.maximum(operand(a), operand(b));
    expect(nameOf({ dtype: y.dtype, weakType: y.weakType })).toBe(TABLE[a][b]);
  });

  it.each(pairs.filter(([a, b]) => TABLE[a][b] !== "b"))("add(%s, %s)", (a, b) => {
    const x = operand(a);
    const y = typeof x === "number" ? np.add(x, operand(b)) : x.add(operand(b));
    expect(nameOf({ dtype: y.dtype, weakType: y.weakType })).toBe(TABLE[a][b]);
  });

  it("the examples JAX's docs give, and their values", () => {
    const i32 = np.array([1], { dtype: "int32" });
    const r = i32.add(1.5);
    expect([r.dtype, r.weakType, r.tolist()]).toEqual(["float32", true, [2.5]]);
    expect(np.array([1], { dtype: "int32" }).add(np.array([1.5], { dtype: "float32" })).dtype).toBe("float32");
    expect(np.array([1], { dtype: "float32" }).add(np.array([1], { dtype: "float64" })).dtype).toBe("float64");
    expect(np.array([1], { dtype: "uint32" }).add(np.array([-2], { dtype: "int32" })).dtype).toBe("int32");
    expect(np.array([true], { dtype: "bool" }).add(np.array([2], { dtype: "int32" })).tolist()).toEqual([3]);
    expect(np.array([true], { dtype: "bool" }).add(np.array([2], { dtype: "int32" })).dtype).toBe("int32");
    const u = np.array([4], { dtype: "uint32" }).add(1);
    expect([u.dtype, u.weakType, u.tolist()]).toEqual(["uint32", false, [5]]);
    const f = np.array([1.5, 2], { dtype: "float32" }).mul(2);
    expect([f.dtype, f.weakType, f.tolist()]).toEqual(["float32", false, [3, 4]]);
    const b = np.array([true, false]).add(1);
    expect([b.dtype, b.weakType, b.tolist()]).toEqual(["int32", true, [2, 1]]);
    const w = np.add(2, 0.5);
    expect([w.dtype, w.weakType, w.item()]).toEqual(["float32", true, 2.5]);
  });

  it("true division promotes integers to float32 (weak only if both operands are weak)", () => {
    const q = np.array([3], { dtype: "int32" }).div(2);
    expect([q.dtype, q.weakType, q.tolist()]).toEqual(["float32", false, [1.5]]);
    const w = np.divide(3, 2);
    expect([w.dtype, w.weakType]).toEqual(["float32", true]);
  });
});
