// Every primitive's autodiff rules, checked generically: JVP and VJP against finite
// differences (checkGrads, order 2, in float64) for the differentiable ones, zero
// tangents for the rest, and the dot-product identity for every transpose rule.
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { ALL_PRIMS, Prim, jvp, lax, numpy as np, vjp } from "../../src/index.js";
import { arrays, checkGrads, shapes } from "../../src/testing/index.js";
import { type GatherLayout, gatherLayoutArb, indicesArb, scatterNumbers } from "../helpers/cases-gather.js";

/** A random gather layout (clip or fill mode) with float64 operand data and int32 indices in and out of range. */
const withLayout = fc
  .tuple(gatherLayoutArb(), fc.constantFrom<"clip" | "fill">("clip", "fill"))
  .map(([l, mode]) => ({ ...l, mode }))
  .chain((l: GatherLayout) =>
    fc.tuple(fc.constant(l), f64({}, fc.constant(l.operandShape)), indicesArb(l).filter((i) => i.dtype === "int32"), f64({}, fc.constant(l.outShape))),
  )
  .map(([l, x, i, u]) => ({ l, x, idx: np.array(Array.from(i.values), { dtype: "int32" }).reshape(i.shape), u }));
const gatherOf = (l: GatherLayout, a: np.Array, idx: np.Array, fillValue = 1.5) => lax.gather(a, idx, l.dn, l.sliceSizes, { mode: l.mode, fillValue });
const scatterOf = (prim: "scatter" | "scatterAdd" | "scatterMul" | "scatterMin" | "scatterMax", l: GatherLayout, opts = {}) =>
  (a: np.Array, idx: np.Array, u: np.Array) => lax[prim](a, idx, u, scatterNumbers(l.dn), { mode: l.mode, ...opts });
/** scatter-min/max without ties: distinct operand values, updates apart from them and from each other. */
const extremal = (prim: "scatterMin" | "scatterMax") =>
  fc.integer({ min: 1, max: 4 }).map((k) => {
    const x = np.array([0.1, 0.9, -0.4, 0.55], { dtype: "float64" });
    const idx = np.array([1, 3, 1, 0, 2, 1].slice(0, k + 2), { dtype: "int32" }).reshape([k + 2, 1]);
    const u = np.array([0.3, -0.7, 1.3, 0.05, -0.2, 0.75].slice(0, k + 2), { dtype: "float64" });
    const dn = { updateWindowDims: [], insertedWindowDims: [0], scatterDimsToOperandDims: [0], operandBatchingDims: [], scatterIndicesBatchingDims: [] };
    return { f: (a: np.Array, b: np.Array) => lax[prim](a.mul(a), idx, b.sin(), dn), args: [x, u] };
  });
import { convFn, convProblemArb, windowFn, windowProblemArb } from "../helpers/cases-conv.js";

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
/** A cumulative reduction along a random axis, in a random direction (cummax/cummin get distinct values: no ties). */
const cumulativeCase = (scan: (x: np.Array, axis: number, reverse: boolean) => np.Array, xs: fc.Arbitrary<np.Array>): Case =>
  xs.chain((x) =>
    fc.tuple(fc.integer({ min: 0, max: x.ndim - 1 }), fc.boolean()).map(([axis, reverse]) => ({ f: ((a: np.Array) => scan(a, axis, reverse)) as never, args: [x] })),
  );
const RANK1 = shapes({ minRank: 1, maxRank: 3, minDim: 1, maxDim: 4 });
const unaryCase = (f: (x: np.Array) => unknown, xs: fc.Arbitrary<np.Array>): Case => xs.map((x) => ({ f: f as never, args: [x] }));

/** A conv problem (small, any layout, groups, dilations, padding) with float64 operands. */
const convCase: Case = convProblemArb({ maxSpatial: 2, maxSize: 4 }).chain((p) =>
  fc.tuple(f64({}, fc.constant(p.lhsShape)), f64({}, fc.constant(p.rhsShape))).map(([l, r]) => ({ f: convFn(p.params) as never, args: [l, r] })),
);
/** A reduce_window problem; max/min get distinct values (no ties). */
const windowCase = (prim: Prim.ReduceWindowSum | Prim.ReduceWindowMax | Prim.ReduceWindowMin): Case =>
  windowProblemArb(2, prim !== Prim.ReduceWindowSum).chain((w) =>
    (prim === Prim.ReduceWindowSum ? f64({}, fc.constant(w.shape)) : distinct(fc.constant(w.shape))).map((x) => ({ f: windowFn(prim, w.params) as never, args: [x] })),
  );

/** A function of float64 arrays exercising the primitive, with its arguments. */
const differentiable: Partial<Record<Prim, Case>> = {
  [Prim.Neg]: unaryCase(lax.neg, f64()),
  [Prim.Exp]: unaryCase(lax.exp, f64()),
  // Away from 0: the order-2 finite differences of log err by ~eps²·6/x⁴ (too much near 0.3).
  [Prim.Log]: unaryCase(lax.log, f64({ min: 0.6, max: 3 })),
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
  [Prim.ConvGeneralDilated]: convCase,
  [Prim.ReduceWindowSum]: windowCase(Prim.ReduceWindowSum),
  [Prim.ReduceWindowMax]: windowCase(Prim.ReduceWindowMax),
  [Prim.ReduceWindowMin]: windowCase(Prim.ReduceWindowMin),
  [Prim.Cumsum]: cumulativeCase(lax.cumsum, f64({}, RANK1)),
  // includes zeros' neighbourhoods: the scan-form tangent is exact there (no division)
  [Prim.Cumprod]: cumulativeCase(lax.cumprod, f64({ min: -1.5, max: 1.5 }, RANK1)),
  [Prim.Cummax]: cumulativeCase(lax.cummax, distinct(RANK1)),
  [Prim.Cummin]: cumulativeCase(lax.cummin, distinct(RANK1)),
  // distinct keys (no ties, where the sort is not differentiable); a second operand sorted along by the first
  [Prim.Sort]: distinct(RANK1).chain((x) =>
    fc.integer({ min: 0, max: x.ndim - 1 }).map((d) => ({
      f: (a: np.Array) => {
        const [keys, carried] = lax.sort([a, lax.sin(a)], d);
        return lax.add(keys!, lax.mul(carried!, 3));
      },
      args: [x],
    })),
  ),
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
  [Prim.Rev]: f64({}, shapes({ minRank: 1, maxRank: 3, maxDim: 3 })).chain((x) =>
    fc.subarray(x.shape.map((_, i) => i)).map((dims) => ({ f: (a: np.Array) => lax.rev(a.sin(), dims), args: [x] })),
  ),
  // Windows at traced indices, clamped when they run past the end.
  [Prim.DynamicSlice]: f64({}, shapes({ minRank: 1, maxRank: 3, minDim: 1, maxDim: 4 })).chain((x) =>
    fc.tuple(...x.shape.map((n) => fc.tuple(fc.integer({ min: -2, max: n + 1 }), fc.integer({ min: 0, max: n })))).map((spec) => ({
      f: (a: np.Array) => lax.dynamicSlice(a.mul(a), spec.map(([i]) => np.array(i, { dtype: "int32" })), spec.map(([, w]) => w)),
      args: [x],
    })),
  ),
  [Prim.DynamicUpdateSlice]: f64({}, shapes({ minRank: 1, maxRank: 3, minDim: 1, maxDim: 4 })).chain((x) =>
    fc.tuple(...x.shape.map((n) => fc.tuple(fc.integer({ min: -2, max: n + 1 }), fc.integer({ min: 0, max: n })))).chain((spec) =>
      f64({}, fc.constant(spec.map(([, w]) => w))).map((u) => ({
        f: (a: np.Array, b: np.Array) => lax.dynamicUpdateSlice(a.mul(a), b.sin(), spec.map(([i]) => np.array(i, { dtype: "int32" }))),
        args: [x, u],
      })),
    ),
  ),
  [Prim.Gather]: withLayout.map(({ l, x, idx }) => ({ f: (a: np.Array) => gatherOf(l, a.sin(), idx), args: [x] })),
  // Repeated indices: only the last update reaching an element carries its tangent.
  [Prim.Scatter]: withLayout.map(({ l, x, idx, u }) => ({ f: (a: np.Array, b: np.Array) => scatterOf("scatter", l)(a.sin(), idx, b.mul(b)), args: [x, u] })),
  [Prim.ScatterAdd]: withLayout.map(({ l, x, idx, u }) => ({ f: (a: np.Array, b: np.Array) => scatterOf("scatterAdd", l)(a.sin(), idx, b.mul(b)), args: [x, u] })),
  [Prim.ScatterMul]: f64({}, fc.constant([5, 2])).chain((x) =>
    f64({}, fc.constant([3, 2])).map((u) => ({
      f: (a: np.Array, b: np.Array) =>
        lax.scatterMul(a.sin(), np.array([[3], [0], [4]], { dtype: "int32" }), b.mul(b), {
          updateWindowDims: [1], insertedWindowDims: [0], scatterDimsToOperandDims: [0], operandBatchingDims: [], scatterIndicesBatchingDims: [],
        }, { uniqueIndices: true }),
      args: [x, u],
    })),
  ),
  [Prim.ScatterMin]: extremal("scatterMin"),
  [Prim.ScatterMax]: extremal("scatterMax"),
  [Prim.DotGeneral]: fc
    .tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 2 }))
    .chain(([m, k, n, b]) => fc.tuple(f64({}, fc.constant([b, k, m])), f64({}, fc.constant([n, b, k]))))
    .map(([x, y]) => ({ f: (a: np.Array, c: np.Array) => lax.dotGeneral(a, c, [[[1], [2]], [[0], [1]]]), args: [x, y] })),
  // --- rounding, bitwise, shifts, inverse trig and special functions ---
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
  [Prim.Lgamma]: unaryCase(lax.lgamma, f64({ min: 0.6, max: 6 })),
  [Prim.Digamma]: unaryCase(lax.digamma, f64({ min: 0.6, max: 6 })),
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

/**
 * float64 [...batch, rows, cols] (batch of 0-1 axes, sizes 1-4 unless given) with
 * entries uniform in [-1, 1] (unbiased: no pile-up of zeros, which makes matrices singular).
 */
const matrices = (rows?: number, cols?: number, batch?: readonly number[]) =>
  fc
    .tuple(fc.array(fc.integer({ min: 1, max: 2 }), { maxLength: 1 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }))
    .chain(([b, m, n]) => {
      const shape = [...(batch ?? b), rows ?? m, cols ?? rows ?? m];
      const size = shape.reduce((x, y) => x * y, 1);
      return fc
        .array(fc.noBias(fc.integer({ min: -1e6, max: 1e6 })).map((k) => k / 1e6), { minLength: size, maxLength: size })
        .map((v) => np.array(v, { dtype: "float64" }).reshape(shape));
    });
/** x plus d·k at (k, k) for k = 1.. (spread = true) or d on the whole main diagonal. */
const plusDiag = (x: np.Array, d: number, spread = false): np.Array => {
  const [m, n] = x.shape.slice(-2) as [number, number];
  const diag = Array.from({ length: m * n }, (_, f) => (Math.floor(f / n) === f % n ? d * (spread ? 1 + (f % n) : 1) : 0));
  return x.add(np.array(diag, { dtype: "float64" }).reshape([m, n]));
};
const spd = (x: np.Array): np.Array => plusDiag(np.matmul(x, np.matrixTranspose(x)), x.shape.at(-1)!);
const triangularCase = (leftSide: boolean) =>
  fc.tuple(matrices(), fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }), fc.integer({ min: 1, max: 3 })).chain(([a, flags, k]) => {
    const n = a.shape.at(-1)!;
    return matrices(leftSide ? n : k, leftSide ? k : n, a.shape.slice(0, -2)).map((b) => ({
      b,
      a,
      solve: (x: np.Array, y: np.Array) =>
        lax.triangularSolve(plusDiag(x, n + 1), y, { leftSide, lower: flags[0]!, transposeA: flags[1]!, unitDiagonal: flags[2]! }),
    }));
  });

/**
 * Linear algebra: functions whose derivative is well defined (sign-invariant
 * functions of eigen- and singular vectors, as JAX's own tests use; spectra kept
 * apart by a spread diagonal), checked at order 1 (their rules are written with
 * the primitives themselves).
 */
const linalgDifferentiable: Partial<Record<Prim, Case>> = {
  [Prim.Cholesky]: unaryCase((x) => lax.cholesky(spd(x)), matrices()),
  [Prim.TriangularSolve]: fc.boolean().chain(triangularCase).map(({ a, b, solve }) => ({ f: solve as never, args: [a, b] })),
  // Pivots by a wide margin (a dominant anti-diagonal, so rows do swap): finite
  // differences must not cross a change of pivot, where lu's output jumps.
  [Prim.Lu]: unaryCase((x) => lax.lu(np.flipud(plusDiag(np.flipud(x), 8, true)))[0], matrices()),
  [Prim.Qr]: fc
    .tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 2 }))
    .chain(([n, extra]) => matrices(n + extra, n))
    // Full column rank by a wide margin (an all-zero draw has no derivative; finite
    // differences must not cross a sign flip of R's diagonal).
    .map((x) => ({ f: (a: np.Array) => lax.qr(plusDiag(a, 8, true), { fullMatrices: false }), args: [x] })),
  [Prim.Eigh]: unaryCase((x) => {
    const [v, w] = lax.eigh(plusDiag(x, 8, true));
    return [w, v.mul(v)];
  }, matrices()),
  [Prim.Svd]: fc
    .tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }))
    .chain(([m, n]) => matrices(m, n))
    .map((x) => ({
      f: (a: np.Array) => {
        const [s, u, vt] = lax.svd(plusDiag(a, 8, true), { fullMatrices: false });
        return [s, np.matmul(u, vt)];
      },
      args: [x],
    })),
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
  // --- rounding, bitwise, shifts, inverse trig and special functions ---
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
    const covered = new Set<string>([
      ...Object.keys(differentiable),
      ...Object.keys(linalgDifferentiable),
      ...Object.keys(nonDifferentiable),
      ...testedInCustom,
    ]);
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

  for (const [prim, cases] of Object.entries(linalgDifferentiable)) {
    test(`${prim}: checkGrads, order 1, forward and reverse`, () => {
      fc.assert(
        fc.property(cases!, ({ f, args }) => {
          checkGrads(f as never, args, { order: 1, modes: ["fwd", "rev"], atol: 1e-5, rtol: 1e-4 });
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
    ["gather", withLayout.map(({ l, x, idx }) => ({ f: (a: np.Array) => gatherOf(l, a, idx, 0), args: [x] }))],
    ["scatter-add (operand and updates)", withLayout.map(({ l, x, idx }) => ({
      f: (a: np.Array) => scatterOf("scatterAdd", l)(a.mul(2), idx, gatherOf(l, a, idx, 0)),
      args: [x],
    }))],
    ["rev", f64({}, shapes({ minRank: 1, maxRank: 3, maxDim: 3 })).map((x) => ({ f: (a: np.Array) => lax.rev(a, [...new Set([0, a.ndim - 1])]), args: [x] }))],
    ["dynamic_slice", f64({}, shapes({ minRank: 2, maxRank: 2, minDim: 1, maxDim: 4 })).map((x) => ({
      f: (a: np.Array) => lax.dynamicSlice(a, [np.array(1, { dtype: "int32" }), np.array(-1, { dtype: "int32" })], [1, 1]),
      args: [x],
    }))],
    ["dynamic_update_slice (operand and update)", f64({}, shapes({ minRank: 2, maxRank: 2, minDim: 1, maxDim: 4 })).map((x) => ({
      f: (a: np.Array) => lax.dynamicUpdateSlice(a, lax.slice(a, [0, 0], [1, 1]).mul(2), [np.array(9, { dtype: "int32" }), np.array(0, { dtype: "int32" })]),
      args: [x],
    }))],
    ["dynamic_update_slice (update into zeros)", f64({}, shapes({ minRank: 2, maxRank: 2, minDim: 1, maxDim: 4 })).map((x) => ({
      f: (b: np.Array) =>
        lax.dynamicUpdateSlice(np.zeros([b.shape[0]! + 1, b.shape[1]! + 2], { dtype: "float64" }), b, [np.array(0, { dtype: "int32" }), np.array(-2, { dtype: "int32" })]),
      args: [x],
    }))],
    ...(([Prim.ReduceSum, Prim.BroadcastInDim, Prim.Reshape, Prim.Transpose, Prim.Squeeze, Prim.Slice, Prim.DotGeneral, Prim.ConvGeneralDilated, Prim.ReduceWindowSum, Prim.Cumsum] as const).map(
      (p) => [p, differentiable[p]!.map(({ f, args }) => ({ f: (a: np.Array) => (f as unknown as (...x: np.Array[]) => np.Array)(a, ...args.slice(1)), args }))] as [string, Case],
    )),
    ["concatenate", pair(shapes({ minRank: 1, maxRank: 3, maxDim: 3 })).map(([x]) => ({ f: (a: np.Array) => lax.concatenate([a, lax.mul(a, 2), a], 0), args: [x] }))],
    ["select_n", pair().map(([x, y]) => ({ f: (a: np.Array) => lax.selectN(lax.gt(x, y), lax.mul(a, y), lax.mul(a, 3)), args: [x] }))],
    ...(([true, false] as const).map((leftSide) => [
      `triangular_solve (in b, leftSide=${leftSide})`,
      triangularCase(leftSide).map(({ a, b, solve }) => ({ f: (y: np.Array) => solve(a, y), args: [b] })),
    ] as [string, Case])),
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
