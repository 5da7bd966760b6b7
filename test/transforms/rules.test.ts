// Every primitive's autodiff rules, checked generically: JVP and VJP against finite
// differences (checkGrads, order 2, in float64) for the differentiable ones, zero
// tangents for the rest, and the dot-product identity for every transpose rule.
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { ALL_PRIMS, Prim, jvp, lax, numpy as np, vjp } from "../../src/index.js";
import { arrays, checkGrads, shapes } from "../../src/testing/index.js";

const f64 = (opts: { min?: number; max?: number } = {}, shape = shapes({ maxRank: 3, maxDim: 3 })) =>
  arrays({ shape, dtype: "float64", min: opts.min ?? -2, max: opts.max ?? 2 });
/** Values bounded away from zero (for log, div, pow bases, abs, sqrt). */
const awayFromZero = (shape = shapes({ maxRank: 3, maxDim: 3 })) =>
  f64({ min: 0.3, max: 2 }, shape).chain((x) =>
    fc.array(fc.boolean(), { minLength: x.size, maxLength: x.size }).map((signs) =>
      x.mul(np.array(signs.map((s) => (s ? 1 : -1)), { dtype: "float64" }).reshape([...x.shape])),
    ),
  );
/** Values with pairwise distinct entries, so max/min have no ties. */
const distinct = (shape = shapes({ maxRank: 3, maxDim: 3 })) =>
  shape.map((s) => {
    const n = s.reduce((a, b) => a * b, 1);
    const vals = Array.from({ length: n }, (_, i) => ((i * 7919) % (n + 3)) * 0.37 - 1 + i * 1e-3);
    return np.array(vals, { dtype: "float64" }).reshape(s);
  });
const pair = (shape = shapes({ maxRank: 3, maxDim: 3 })) =>
  shape.chain((s) => fc.tuple(f64({}, fc.constant(s)), f64({}, fc.constant(s))));

type Case = fc.Arbitrary<{ f: (...xs: np.Array[]) => unknown; args: np.Array[] }>;
const unaryCase = (f: (x: np.Array) => unknown, xs: fc.Arbitrary<np.Array>): Case => xs.map((x) => ({ f: f as never, args: [x] }));

/** A function of float64 arrays exercising the primitive, with its arguments. */
const differentiable: Partial<Record<Prim, Case>> = {
  [Prim.Neg]: unaryCase(lax.neg, f64()),
  [Prim.Exp]: unaryCase(lax.exp, f64()),
  [Prim.Log]: unaryCase(lax.log, f64({ min: 0.3, max: 3 })),
  [Prim.Sin]: unaryCase(lax.sin, f64()),
  [Prim.Cos]: unaryCase(lax.cos, f64()),
  [Prim.Tanh]: unaryCase(lax.tanh, f64()),
  [Prim.Sqrt]: unaryCase(lax.sqrt, f64({ min: 0.3, max: 3 })),
  [Prim.Logistic]: unaryCase(lax.logistic, f64()),
  [Prim.Abs]: unaryCase(lax.abs, awayFromZero()),
  [Prim.IntegerPow]: fc
    .tuple(awayFromZero(), fc.integer({ min: -2, max: 4 }))
    .map(([x, y]) => ({ f: (a: np.Array) => lax.integerPow(a, y), args: [x] })),
  // f64 -> f32 -> f64: finite differences see float32 rounding, so this case uses a wide step.
  [Prim.ConvertElementType]: unaryCase((x) => lax.convertElementType(lax.convertElementType(x, "float32").mul(1.5), "float64"), f64()),
  [Prim.Add]: pair().map(([x, y]) => ({ f: lax.add as never, args: [x, y] })),
  [Prim.Sub]: pair().map(([x, y]) => ({ f: lax.sub as never, args: [x, y] })),
  [Prim.Mul]: pair().map(([x, y]) => ({ f: lax.mul as never, args: [x, y] })),
  [Prim.Div]: shapes({ maxRank: 3, maxDim: 3 }).chain((s) =>
    fc.tuple(f64({}, fc.constant(s)), awayFromZero(fc.constant(s))).map(([x, y]) => ({ f: lax.div as never, args: [x, y] })),
  ),
  [Prim.Max]: distinct().map((x) => ({ f: (a: np.Array) => lax.max(a, lax.mul(a, -0.5).add(0.25)), args: [x] })),
  [Prim.Min]: distinct().map((x) => ({ f: (a: np.Array) => lax.min(a, lax.mul(a, -0.5).add(0.25)), args: [x] })),
  [Prim.Pow]: shapes({ maxRank: 2, maxDim: 3 }).chain((s) =>
    fc.tuple(f64({ min: 0.3, max: 2 }, fc.constant(s)), f64({ min: -1.5, max: 1.5 }, fc.constant(s))).map(([x, y]) => ({ f: lax.pow as never, args: [x, y] })),
  ),
  [Prim.SelectN]: pair().map(([x, y]) => ({ f: (a: np.Array, b: np.Array) => lax.selectN(lax.gt(x, y), a.mul(b), a.sin()), args: [x, y] })),
  [Prim.ReduceSum]: f64().chain((x) => fc.subarray(x.shape.map((_, i) => i)).map((axes) => ({ f: (a: np.Array) => lax.reduceSum(a, axes), args: [x] }))),
  [Prim.ReduceMax]: distinct(shapes({ minRank: 1, maxRank: 3, minDim: 1, maxDim: 3 })).chain((x) =>
    fc.subarray(x.shape.map((_, i) => i)).map((axes) => ({ f: (a: np.Array) => lax.reduceMax(a, axes), args: [x] })),
  ),
  [Prim.ReduceMin]: distinct(shapes({ minRank: 1, maxRank: 3, minDim: 1, maxDim: 3 })).chain((x) =>
    fc.subarray(x.shape.map((_, i) => i)).map((axes) => ({ f: (a: np.Array) => lax.reduceMin(a, axes), args: [x] })),
  ),
  [Prim.ReduceProd]: f64({ min: -1.5, max: 1.5 }).chain((x) =>
    fc.subarray(x.shape.map((_, i) => i)).map((axes) => ({ f: (a: np.Array) => lax.reduceProd(a, axes), args: [x] })),
  ),
  [Prim.BroadcastInDim]: f64().map((x) => ({ f: (a: np.Array) => np.broadcastTo(np.expandDims(a, 0), [2, 1, ...a.shape].slice(0, 1).concat([1], a.shape)), args: [x] })),
  [Prim.Reshape]: f64().map((x) => ({ f: (a: np.Array) => a.reshape([-1]), args: [x] })),
  [Prim.Transpose]: f64().map((x) => ({ f: (a: np.Array) => a.transpose(), args: [x] })),
  [Prim.Squeeze]: f64().map((x) => ({ f: (a: np.Array) => lax.squeeze(a.reshape([1, ...a.shape]), [0]), args: [x] })),
  [Prim.Slice]: f64({}, shapes({ minRank: 1, maxRank: 3, minDim: 1, maxDim: 5 })).chain((x) =>
    fc
      .tuple(...x.shape.map((d) => fc.tuple(fc.integer({ min: 0, max: d }), fc.integer({ min: 0, max: d }), fc.integer({ min: 1, max: 3 }))))
      .map((spec) => {
        const start = spec.map(([a, b]) => Math.min(a, b));
        const limit = spec.map(([a, b]) => Math.max(a, b));
        const strides = spec.map(([, , s]) => s);
        return { f: (a: np.Array) => lax.slice(a, start, limit, strides), args: [x] };
      }),
  ),
  [Prim.Concatenate]: pair(shapes({ minRank: 1, maxRank: 3, maxDim: 3 })).map(([x, y]) => ({
    f: (a: np.Array, b: np.Array) => lax.concatenate([a, b.sin(), a], 0),
    args: [x, y],
  })),
  [Prim.DotGeneral]: fc
    .tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 2 }))
    .chain(([m, k, n, b]) => fc.tuple(f64({}, fc.constant([b, k, m])), f64({}, fc.constant([n, b, k]))))
    .map(([x, y]) => ({ f: (a: np.Array, c: np.Array) => lax.dotGeneral(a, c, [[[1], [2]], [[0], [1]]]), args: [x, y] })),
  // --- issue 6 ---
  // rem on a = 2.5 + 0.1x, b = 1 + 0.025y: a/b stays in (2.19, 2.84), away from the jumps at integers.
  [Prim.Rem]: pair().map(([x, y]) => ({
    f: (a: np.Array, b: np.Array) => lax.rem(lax.add(lax.mul(a, 0.1), 2.5), lax.add(lax.mul(b, 0.025), 1)),
    args: [x, y],
  })),
  [Prim.Tan]: unaryCase((x) => lax.tan(lax.mul(x, 0.6)), f64()),
  [Prim.Asin]: unaryCase((x) => lax.asin(lax.mul(x, 0.4)), f64()),
  [Prim.Acos]: unaryCase((x) => lax.acos(lax.mul(x, 0.4)), f64()),
  [Prim.Atan]: unaryCase(lax.atan, f64()),
  // atan2(a, b) with b > 0: away from the branch cut on the negative b axis.
  [Prim.Atan2]: pair().map(([x, y]) => ({ f: (a: np.Array, b: np.Array) => lax.atan2(a, lax.add(lax.mul(b, b), 0.5)), args: [x, y] })),
  [Prim.Sinh]: unaryCase(lax.sinh, f64()),
  [Prim.Cosh]: unaryCase(lax.cosh, f64()),
  [Prim.Asinh]: unaryCase(lax.asinh, f64()),
  [Prim.Acosh]: unaryCase(lax.acosh, f64({ min: 1.3, max: 3 })),
  [Prim.Atanh]: unaryCase((x) => lax.atanh(lax.mul(x, 0.4)), f64()),
  [Prim.Exp2]: unaryCase(lax.exp2, f64()),
  [Prim.Expm1]: unaryCase(lax.expm1, f64()),
  [Prim.Log1p]: unaryCase(lax.log1p, f64({ min: -0.5, max: 2 })),
  [Prim.Cbrt]: unaryCase(lax.cbrt, awayFromZero()),
  [Prim.Rsqrt]: unaryCase(lax.rsqrt, f64({ min: 0.3, max: 3 })),
  [Prim.Erf]: unaryCase(lax.erf, f64()),
  [Prim.Erfc]: unaryCase(lax.erfc, f64()),
  [Prim.ErfInv]: unaryCase((x) => lax.erfInv(lax.mul(x, 0.4)), f64()),
  [Prim.Lgamma]: unaryCase(lax.lgamma, f64({ min: 0.3, max: 6 })),
  [Prim.Digamma]: unaryCase(lax.digamma, f64({ min: 0.3, max: 6 })),
};

/** Integer-only primitives, applied to x cast to int32 and cast back. */
const viaInt = (f: (i: np.Array) => np.Array) => (x: np.Array) =>
  lax.convertElementType(f(lax.convertElementType(lax.mul(x, 100), "int32")), "float64");
const bitwise: Partial<Record<Prim, (x: np.Array) => np.Array>> = {
  [Prim.And]: viaInt((i) => lax.bitwiseAnd(i, 12)),
  [Prim.Or]: viaInt((i) => lax.bitwiseOr(i, 12)),
  [Prim.Xor]: viaInt((i) => lax.bitwiseXor(i, 12)),
  [Prim.Not]: viaInt(lax.bitwiseNot),
  [Prim.ShiftLeft]: viaInt((i) => lax.shiftLeft(i, 2)),
  [Prim.ShiftRightArithmetic]: viaInt((i) => lax.shiftRightArithmetic(i, 2)),
  [Prim.ShiftRightLogical]: viaInt((i) => lax.shiftRightLogical(i, 2)),
  [Prim.PopulationCount]: viaInt(lax.populationCount),
  [Prim.Clz]: viaInt(lax.clz),
};

/** Primitives whose outputs carry no derivative (integer/bool results or piecewise constant). */
const nonDifferentiable: Partial<Record<Prim, (x: np.Array) => np.Array>> = {
  [Prim.Sign]: (x) => lax.sign(x),
  [Prim.Eq]: (x) => lax.convertElementType(lax.eq(x, lax.mul(x, 2)), "float64"),
  [Prim.Ne]: (x) => lax.convertElementType(lax.ne(x, lax.mul(x, 2)), "float64"),
  [Prim.Lt]: (x) => lax.convertElementType(lax.lt(x, lax.mul(x, 2)), "float64"),
  [Prim.Le]: (x) => lax.convertElementType(lax.le(x, lax.mul(x, 2)), "float64"),
  [Prim.Gt]: (x) => lax.convertElementType(lax.gt(x, lax.mul(x, 2)), "float64"),
  [Prim.Ge]: (x) => lax.convertElementType(lax.ge(x, lax.mul(x, 2)), "float64"),
  [Prim.Argmax]: (x) => lax.convertElementType(lax.argmax(x.reshape([-1, 1]), 0), "float64"),
  [Prim.Argmin]: (x) => lax.convertElementType(lax.argmin(x.reshape([-1, 1]), 0), "float64"),
  [Prim.Iota]: (x) => lax.convertElementType(lax.iota("int32", 3), "float64").add(lax.reduceSum(x, x.shape.map((_, i) => i)).mul(0)),
  [Prim.StopGradient]: (x) => lax.stopGradient(x),
  // --- issue 6 ---
  [Prim.Floor]: (x) => lax.floor(x),
  [Prim.Ceil]: (x) => lax.ceil(x),
  [Prim.Round]: (x) => lax.round(x, lax.RoundingMethod.ToNearestEven),
  [Prim.IsFinite]: (x) => lax.convertElementType(lax.isFinite(x), "float64"),
  ...bitwise,
};

/** Higher-order primitives carry user rules or jaxprs; custom.test.ts checks them. */
const testedInCustom = [Prim.CustomJvpCall, Prim.CustomVjpCall, Prim.CustomLin, Prim.Checkpoint];

describe("JVP rules", () => {
  test("every primitive is covered here", () => {
    const covered = new Set<string>([...Object.keys(differentiable), ...Object.keys(nonDifferentiable), ...testedInCustom]);
    expect(ALL_PRIMS.filter((p) => !covered.has(p))).toEqual([]);
  });

  for (const [prim, cases] of Object.entries(differentiable)) {
    test(`${prim}: checkGrads, order 2, forward and reverse`, () => {
      const wide = prim === Prim.ConvertElementType;
      fc.assert(
        fc.property(cases!, ({ f, args }) => {
          checkGrads(f as never, args, { order: 2, modes: ["fwd", "rev"], atol: wide ? 1e-4 : 1e-6, rtol: wide ? 1e-4 : 1e-5, eps: wide ? 1e-2 : 1e-4 });
        }),
        { numRuns: 12 },
      );
    });
  }

  for (const [prim, f] of Object.entries(nonDifferentiable)) {
    test(`${prim}: the tangent is zero`, () => {
      fc.assert(
        fc.property(f64({}, shapes({ minRank: 1, maxRank: 2, minDim: 1, maxDim: 3 })), (x) => {
          const [, t] = jvp(f!, [x], [np.onesLike(x)]) as [np.Array, np.Array];
          expect(Array.from(t.dataSync()).every((v) => v === 0)).toBe(true);
        }),
        { numRuns: 10 },
      );
    });
  }
});

/** ⟨a, b⟩ over all elements, in float64. */
const inner = (a: np.Array, b: np.Array): number => {
  const av = Array.from(a.dataSync());
  const bv = Array.from(b.dataSync());
  return av.reduce((s, v, i) => s + v * bv[i]!, 0);
};

describe("transpose rules", () => {
  // Each linear map T of its first argument; the others are fixed.
  const linearMaps: [string, Case][] = [
    ["neg", unaryCase(lax.neg, f64())],
    ["add (both operands, scalar broadcast)", pair().map(([x, y]) => ({ f: (a: np.Array) => lax.add(a, lax.mul(y, 0).add(lax.reduceSum(a, a.shape.map((_, i) => i)))), args: [x] }))],
    ["sub", pair().map(([x, y]) => ({ f: (a: np.Array) => lax.sub(lax.mul(a, y), a), args: [x] }))],
    ["mul", pair().map(([x, y]) => ({ f: (a: np.Array) => lax.mul(y, a), args: [x] }))],
    ["div", pair().map(([x, y]) => ({ f: (a: np.Array) => lax.div(a, lax.add(lax.abs(y), 1)), args: [x] }))],
    ["convert_element_type", unaryCase((a) => lax.convertElementType(a, "float32"), f64())],
    ...(([Prim.ReduceSum, Prim.BroadcastInDim, Prim.Reshape, Prim.Transpose, Prim.Squeeze, Prim.Slice, Prim.DotGeneral] as const).map(
      (p) => [p, differentiable[p]!.map(({ f, args }) => ({ f: (a: np.Array) => (f as unknown as (...x: np.Array[]) => np.Array)(a, ...args.slice(1)), args }))] as [string, Case],
    )),
    ["concatenate", pair(shapes({ minRank: 1, maxRank: 3, maxDim: 3 })).map(([x]) => ({ f: (a: np.Array) => lax.concatenate([a, lax.mul(a, 2), a], 0), args: [x] }))],
    ["select_n", pair().map(([x, y]) => ({ f: (a: np.Array) => lax.selectN(lax.gt(x, y), lax.mul(a, y), lax.mul(a, 3)), args: [x] }))],
  ];

  for (const [name, cases] of linearMaps) {
    test(`${name}: <T v, w> = <v, T^T w>`, () => {
      fc.assert(
        fc.property(cases, fc.integer({ min: 1, max: 1000 }), ({ f, args }, seed) => {
          const v = args[0]!;
          const [out, pullback] = vjp(f as (a: np.Array) => np.Array, v);
          const o = out as np.Array;
          const w = np.array(Array.from({ length: o.size }, (_, i) => Math.sin(seed + i * 1.7)), { dtype: o.dtype }).reshape([...o.shape]);
          const [tw] = pullback(w) as np.Array[];
          const tv = (f as (a: np.Array) => np.Array)(v);
          expect(inner(tw!, v)).toBeCloseTo(inner(tv, w), name === "convert_element_type" ? 4 : 9);
        }),
        { numRuns: 15 },
      );
    });
  }
});
