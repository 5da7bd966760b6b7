/**
 * np.linalg's factorisations and solvers: reconstruction laws on random
 * well-conditioned batches (fast-check), values against closed forms and float64
 * host references, gradients (det via lu, solve, inv, pinv) against finite
 * differences, errors, jit, and JAX's jaxpr text for the primitives' params.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { grad, jit, lax, makeJaxpr, numpy as np } from "../../src/index.js";
import { checkGrads } from "../../src/testing/index.js";

type A = np.Array;
const f64 = (v: number[] | number[][] | number[][][]): A => np.array(v, { dtype: "float64" });
const T = (x: A): A => np.matrixTranspose(x);
const mm = (a: A, b: A): A => np.matmul(a, b);
const eyeLike = (x: A): A => np.broadcastTo(np.eye(x.shape.at(-1)!, x.shape.at(-1)!, 0, { dtype: x.dtype }), x.shape);
/** max |x - y| over all elements. */
const maxErr = (x: A, y: A): number => np.max(np.abs(np.subtract(x, y))).item() as number;

/** [...batch, m, n] float64 with unbiased entries in [-1, 1] (batch of 0-2 axes, sizes 1-3). */
const matrixArb = (square: boolean, maxN = 6) =>
  fc
    .tuple(fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 2 }), fc.integer({ min: 1, max: maxN }), fc.integer({ min: 1, max: maxN }))
    .chain(([b, m, n]) => {
      const shape = [...b, m, square ? m : n];
      const size = shape.reduce((p, q) => p * q, 1);
      return fc
        .array(fc.noBias(fc.integer({ min: -1e6, max: 1e6 })).map((k) => k / 1e6), { minLength: size, maxLength: size })
        .map((v) => f64(v as never).reshape(shape));
    });
/** B·Bᵀ + n·I: symmetric positive definite. */
const spd = (b: A): A => np.add(mm(b, T(b)), np.multiply(eyeLike(b), b.shape.at(-1)!));
/** A diagonally dominant (well-conditioned) square matrix. */
const dominant = (b: A): A => np.add(b, np.multiply(eyeLike(b), b.shape.at(-1)! + 1));

/** Cofactor expansion in float64 on the host (the reference for det). */
function hostDet(m: number[][]): number {
  if (m.length === 1) return m[0]![0]!;
  return m[0]!.reduce((acc, v, j) => acc + (j % 2 ? -1 : 1) * v * hostDet(m.slice(1).map((row) => row.filter((_, k) => k !== j))), 0);
}

const RUNS = { numRuns: 25 };

describe("factorisations reconstruct their input", () => {
  it("cholesky: L·Lᵀ = A, L lower; upper gives Lᵀ", () => {
    fc.assert(
      fc.property(matrixArb(true), (b) => {
        const a = spd(b);
        const l = np.linalg.cholesky(a);
        expect(maxErr(mm(l, T(l)), a)).toBeLessThan(1e-12 * b.shape.at(-1)! ** 2);
        expect(maxErr(l, np.tril(l))).toBe(0);
        expect(maxErr(np.linalg.cholesky(a, { upper: true }), T(l))).toBe(0);
      }),
      RUNS,
    );
  });
  it("qr: Q·R = A, QᵀQ = I, R upper, for reduced, complete and r modes", () => {
    fc.assert(
      fc.property(matrixArb(false), fc.constantFrom("reduced" as const, "complete" as const), (a, mode) => {
        const [q, r] = np.linalg.qr(a, mode);
        const [m, n] = a.shape.slice(-2) as [number, number];
        const k = mode === "complete" ? m : Math.min(m, n);
        expect(q.shape.slice(-2)).toEqual([m, k]);
        expect(r.shape.slice(-2)).toEqual([k, n]);
        expect(maxErr(mm(q, r), a)).toBeLessThan(1e-13);
        expect(maxErr(mm(T(q), q), eyeLike(mm(T(q), q)))).toBeLessThan(1e-13);
        expect(maxErr(r, np.triu(r))).toBe(0);
        if (mode === "reduced") expect(maxErr(np.linalg.qr(a, "r"), r)).toBe(0);
      }),
      RUNS,
    );
  });
  it("eigh: V·diag(w)·Vᵀ = A, VᵀV = I, w ascending; eigvalsh agrees", () => {
    fc.assert(
      fc.property(matrixArb(true), (b) => {
        const a = np.divide(np.add(b, T(b)), 2);
        const [w, v] = np.linalg.eigh(a);
        const vw = np.multiply(v, np.expandDims(w, -2));
        expect(maxErr(mm(vw, T(v)), a)).toBeLessThan(1e-13);
        expect(maxErr(mm(T(v), v), eyeLike(v))).toBeLessThan(1e-13);
        expect(np.all(np.lessEqual(lax.slice(w, w.shape.map(() => 0), [...w.shape.slice(0, -1), w.shape.at(-1)! - 1]), lax.slice(w, [...w.shape.slice(0, -1).map(() => 0), 1], w.shape))).item()).toBe(true);
        expect(maxErr(np.linalg.eigvalsh(a), w)).toBe(0);
      }),
      RUNS,
    );
  });
  it("svd: U·diag(s)·Vh = A with orthonormal U, Vh and s descending, full or reduced; svdvals agrees", () => {
    fc.assert(
      fc.property(matrixArb(false), fc.boolean(), (a, fullMatrices) => {
        const [u, s, vh] = np.linalg.svd(a, { fullMatrices });
        const [m, n] = a.shape.slice(-2) as [number, number];
        const k = Math.min(m, n);
        expect(u.shape.slice(-2)).toEqual(fullMatrices ? [m, m] : [m, k]);
        expect(vh.shape.slice(-2)).toEqual(fullMatrices ? [n, n] : [k, n]);
        const uk = lax.slice(u, u.shape.map(() => 0), [...u.shape.slice(0, -1), k]);
        const vk = lax.slice(vh, vh.shape.map(() => 0), [...vh.shape.slice(0, -2), k, n]);
        expect(maxErr(mm(np.multiply(uk, np.expandDims(s, -2)), vk), a)).toBeLessThan(1e-13);
        expect(maxErr(mm(T(u), u), eyeLike(mm(T(u), u)))).toBeLessThan(1e-13);
        expect(maxErr(mm(vh, T(vh)), eyeLike(mm(vh, T(vh))))).toBeLessThan(1e-13);
        expect(maxErr(np.linalg.svdvals(a), s)).toBe(0);
        expect(np.all(np.greaterEqual(s, 0)).item()).toBe(true);
      }),
      RUNS,
    );
  });
  it("lu: P·L·U = A through lax.linalg.lu's permutation (a[perm] = L·U)", () => {
    fc.assert(
      fc.property(matrixArb(true), (a) => {
        const [lu, pivots, perm] = lax.lu(a);
        const n = a.shape.at(-1)!;
        expect(pivots.dtype).toBe("int32");
        expect(perm.dtype).toBe("int32");
        const l = np.add(np.tril(lu, -1), eyeLike(lu));
        const u = np.triu(lu);
        const p = np.equal(np.expandDims(perm, -1), np.arange(n)).astype("float64"); // p[i, j] = perm[i] == j
        expect(maxErr(mm(T(p), mm(l, u)), a)).toBeLessThan(1e-13);
      }),
      RUNS,
    );
  });
});

describe("closed forms", () => {
  it("cholesky, eigh, svd of small matrices", () => {
    expect(np.linalg.cholesky(f64([[4, 2], [2, 3]])).tolist()).toEqual([[2, 0], [1, Math.SQRT2]]);
    const [w, v] = np.linalg.eigh(f64([[2, 1], [1, 2]]));
    expect(maxErr(w, f64([1, 3]))).toBeLessThan(1e-15);
    expect(maxErr(np.abs(v), f64([[Math.SQRT1_2, Math.SQRT1_2], [Math.SQRT1_2, Math.SQRT1_2]]))).toBeLessThan(1e-15);
    // UPLO picks the triangle read: the lower one holds 5, the upper one 1.
    const lopsided = f64([[2, 1], [5, 2]]);
    expect(maxErr(np.linalg.eigvalsh(lopsided, { UPLO: "U", symmetrizeInput: false }), f64([1, 3]))).toBeLessThan(1e-15);
    expect(maxErr(np.linalg.eigvalsh(lopsided), f64([-1, 5]))).toBeLessThan(1e-15); // symmetrized first, as jnp does
    expect(maxErr(lax.eigh(lopsided, { symmetrizeInput: false })[1], f64([-3, 7]))).toBeLessThan(1e-14);
    expect(np.linalg.svdvals(f64([[3, 0], [0, -2], [0, 0]])).tolist()).toEqual([3, 2]);
    expect(maxErr(np.linalg.svdvals(f64([[1, 2, 3], [2, 4, 6]])), f64([Math.sqrt(70), 0]))).toBeLessThan(1e-14);
  });
  it("det and slogdet: 2x2 ad - bc, a permutation's sign, a singular matrix, and host cofactor expansion", () => {
    expect(np.linalg.det(f64([[1, 2], [3, 4]])).item()).toBeCloseTo(-2, 14);
    expect(np.linalg.det(f64([[0, 1, 0], [0, 0, 1], [1, 0, 0]])).item()).toBe(1);
    expect(np.linalg.det(f64([[0, 1], [1, 0]])).item()).toBe(-1);
    expect(Math.abs(np.linalg.det(f64([[1, 2], [2, 4]])).item() as number)).toBe(0);
    const [sign, logdet] = np.linalg.slogdet(f64([[0, 2], [3, 0]]));
    expect([sign.item(), logdet.item()]).toEqual([-1, Math.log(6)]);
    fc.assert(
      fc.property(matrixArb(true, 5), (a) => {
        const rows = a.reshape([-1, ...a.shape.slice(-2)]).tolist() as number[][][];
        const want = rows.map(hostDet);
        const got = Array.from(np.linalg.det(a).reshape([-1]).dataSync());
        got.forEach((g, i) => expect(Math.abs(g - want[i]!)).toBeLessThan(1e-12 * Math.max(1, Math.abs(want[i]!))));
        const [s, l] = np.linalg.slogdet(a);
        expect(maxErr(np.multiply(s, np.exp(l)), np.linalg.det(a))).toBeLessThan(1e-12);
      }),
      RUNS,
    );
  });
  it("inv and solve: A·inv(A) = I; A·x = b for vectors, matrices and broadcast batches", () => {
    expect(maxErr(np.linalg.inv(f64([[4, 7], [2, 6]])), f64([[0.6, -0.7], [-0.2, 0.4]]))).toBeLessThan(1e-15);
    fc.assert(
      fc.property(matrixArb(true), fc.integer({ min: 1, max: 3 }), (b, k) => {
        const a = dominant(b);
        const n = a.shape.at(-1)!;
        expect(maxErr(mm(a, np.linalg.inv(a)), eyeLike(a))).toBeLessThan(1e-13);
        const rhs = np.sin(np.arange(n * k, undefined, undefined, { dtype: "float64" })).reshape([n, k]);
        const x = np.linalg.solve(a, rhs); // rhs's batch broadcasts against a's
        expect(x.shape).toEqual([...a.shape.slice(0, -2), n, k]);
        expect(maxErr(mm(a, x), np.broadcastTo(rhs, x.shape))).toBeLessThan(1e-13);
        const vec = np.cos(np.arange(n, undefined, undefined, { dtype: "float64" }));
        const xv = np.linalg.solve(a, vec);
        expect(xv.shape).toEqual([...a.shape.slice(0, -2), n]);
        expect(maxErr(np.squeeze(mm(a, np.expandDims(xv, -1)), -1), np.broadcastTo(vec, xv.shape))).toBeLessThan(1e-13);
      }),
      RUNS,
    );
  });
  it("lstsq fits a line; pinv is the inverse of an invertible matrix and satisfies A·A⁺·A = A", () => {
    // y = 1 + 2t exactly at t = 0..3, plus a residual at t = 3.
    const a = f64([[1, 0], [1, 1], [1, 2], [1, 3]]);
    const [x, resid, rank, s] = np.linalg.lstsq(a, f64([1, 3, 5, 7]));
    expect(maxErr(x, f64([1, 2]))).toBeLessThan(1e-14);
    expect(resid.item()).toBeLessThan(1e-25);
    expect(rank.item()).toBe(2);
    expect(maxErr(s, np.linalg.svdvals(a))).toBe(0);
    const [x2, resid2] = np.linalg.lstsq(a, f64([[0], [0], [0], [4]]));
    // Normal equations: AᵀA = [[4, 6], [6, 14]], Aᵀb = [4, 12] → x = (-0.8, 1.2); residual (0.8, -0.4, -1.6, 1.2), 4.8.
    expect(maxErr(x2, f64([[-0.8], [1.2]]))).toBeLessThan(1e-14);
    expect(resid2.item()).toBeCloseTo(4.8, 13);
    const sq = f64([[4, 7], [2, 6]]);
    expect(maxErr(np.linalg.pinv(sq), np.linalg.inv(sq))).toBeLessThan(1e-14);
    fc.assert(
      fc.property(matrixArb(false), (m) => {
        const p = np.linalg.pinv(m);
        expect(p.shape).toEqual([...m.shape.slice(0, -2), m.shape.at(-1)!, m.shape.at(-2)!]);
        expect(maxErr(mm(mm(m, p), m), m)).toBeLessThan(1e-10);
      }),
      RUNS,
    );
  });
  it("matrixRank, matrixPower with negative exponents, cond, spectral norms", () => {
    expect(np.linalg.matrixRank(f64([[1, 2], [2, 4]])).item()).toBe(1);
    expect(np.linalg.matrixRank(np.eye(4)).item()).toBe(4);
    expect(np.linalg.matrixRank(f64([0, 0])).item()).toBe(0);
    expect(np.linalg.matrixRank(f64([[1, 0], [0, 1e-3]]), { tol: 1e-2 }).item()).toBe(1);
    const a = f64([[2, 1], [1, 1]]); // inverse [[1, -1], [-1, 2]]
    expect(maxErr(np.linalg.matrixPower(a, -2), f64([[2, -3], [-3, 5]]))).toBeLessThan(1e-14);
    expect(np.linalg.cond(f64([[1, 0], [0, 1e-3]])).item()).toBeCloseTo(1e3, 9);
    expect(np.linalg.cond(f64([[1, 0], [0, 1e-3]]), -2).item()).toBeCloseTo(1e-3, 15);
    expect(np.linalg.cond(f64([[2, 0], [0, 0.5]]), "fro").item()).toBeCloseTo(Math.sqrt(4.25) * Math.sqrt(4.25), 13);
    const d = f64([[3, 0], [0, -4]]);
    expect(np.linalg.norm(d, 2).item()).toBeCloseTo(4, 15);
    expect(np.linalg.norm(d, -2).item()).toBeCloseTo(3, 15);
    expect(np.linalg.norm(d, "nuc").item()).toBeCloseTo(7, 15);
    expect(np.linalg.matrixNorm(np.stack([d, np.multiply(d, 2)]), { ord: 2, keepdims: true }).tolist()).toEqual([[[4]], [[8]]]);
  });
  it("float32 inputs stay float32; integers are promoted", () => {
    expect(np.linalg.inv(np.array([[2, 0], [0, 4]])).dtype).toBe("float32");
    expect(np.linalg.det(np.array([[2, 0], [0, 4]], { dtype: "int32" })).item()).toBe(8);
    expect(np.linalg.svdvals(np.array([[2, 0], [0, 4]], { dtype: "float32" })).dtype).toBe("float32");
  });
});

describe("gradients", () => {
  it("det: d det(A)/dA = det(A)·A⁻ᵀ (Jacobi's formula) and checkGrads, through lu", () => {
    const a = f64([[2, 1, 0.5], [0.3, 3, 1], [1, -1, 4]]);
    const g = grad((x: A) => np.linalg.det(x))(a) as A;
    expect(maxErr(g, np.multiply(np.linalg.det(a), T(np.linalg.inv(a))))).toBeLessThan(1e-13);
    fc.assert(
      fc.property(matrixArb(true, 4), (b) => {
        checkGrads((x: A) => np.linalg.det(dominant(x)), [b], { order: 1, modes: ["fwd", "rev"], rtol: 1e-4, atol: 1e-6 });
        checkGrads((x: A) => np.linalg.slogdet(dominant(x))[1], [b], { order: 1, modes: ["fwd", "rev"], rtol: 1e-4, atol: 1e-6 });
      }),
      { numRuns: 10 },
    );
  });
  it("solve, inv, pinv, lstsq, eigvalsh, svdvals: checkGrads", () => {
    fc.assert(
      fc.property(matrixArb(true, 4), (b) => {
        const opts = { order: 1, modes: ["fwd", "rev"] as const, rtol: 1e-4, atol: 1e-6 };
        const rhs = np.cos(np.arange(b.shape.at(-1)!, undefined, undefined, { dtype: "float64" }));
        checkGrads((x: A, y: A) => np.linalg.solve(dominant(x), y), [b, rhs], opts);
        checkGrads((x: A) => np.linalg.inv(dominant(x)), [b], opts);
        checkGrads((x: A) => np.linalg.pinv(dominant(x)), [b], opts);
        checkGrads((x: A) => np.sum(np.square(np.linalg.eigvalsh(x))), [b], opts);
        checkGrads((x: A) => np.linalg.svdvals(dominant(x)), [b], opts);
      }),
      { numRuns: 8 },
    );
  });
});

describe("jit", () => {
  it("compiled programs with linalg steps equal eager, gradients included", () => {
    const a = spd(f64([[[0.3, -0.2, 0.5], [0.1, 0.9, -0.4], [0.7, 0.2, 0.6]], [[1, 0, 0], [0.5, 1, 0], [0, 0.25, 1]]]));
    const f = (x: A) => {
      const l = np.linalg.cholesky(x);
      const [w] = np.linalg.eigh(x);
      const [, s] = np.linalg.svd(l, { fullMatrices: false });
      return np.add(np.add(np.sum(np.linalg.solve(x, T(l))), np.sum(w)), np.add(np.sum(s), np.sum(np.linalg.det(x))));
    };
    expect(Math.abs((jit(f)(a) as A).item() as number - (f(a).item() as number))).toBeLessThan(1e-12);
    const g = grad(f);
    expect(maxErr(jit(g)(a) as A, g(a) as A)).toBeLessThan(1e-10);
  });
});

describe("errors name the function, the operands and the fix", () => {
  it("shapes, modes and options", () => {
    expect(() => np.linalg.cholesky(f64([[1, 2, 3]]))).toThrow(/linalg\.cholesky: needs square matrices in the last two axes, got f64\[1,3\] \(1x3\)/);
    expect(() => np.linalg.det(f64([1, 2]))).toThrow(/linalg\.det: needs a matrix .* got f64\[2\]; reshape to \[\.\.\., m, n\]/);
    expect(() => np.linalg.solve(np.eye(3), np.ones([2]))).toThrow(/linalg\.solve: b f32\[2\] must have length 3 to match a f32\[3,3\]/);
    expect(() => np.linalg.solve(np.eye(3), np.ones([2, 2]))).toThrow(/linalg\.solve: b f32\[2,2\] must have 3 rows/);
    expect(() => np.linalg.qr(np.eye(2), "economic" as never)).toThrow(/linalg\.qr: unknown mode "economic"; use "reduced", "complete" or "r"/);
    expect(() => np.linalg.eigh(np.eye(2), { UPLO: "X" as never })).toThrow(/linalg\.eigh: UPLO must be "L" or "U", got "X"/);
    expect(() => np.linalg.svd(np.eye(2), { full: true } as never)).toThrow(/linalg\.svd: unknown option "full"/);
  });
  it("derivatives that JAX does not define either say so", () => {
    expect(() => grad((x: A) => np.sum(np.linalg.qr(x, "complete")[0]))(np.ones([3, 2]))).toThrow(
      /qr: the derivative is implemented for m >= n with reduced factors .*use fullMatrices: false/,
    );
    expect(() => grad((x: A) => np.sum(np.linalg.svd(x)[0]))(np.ones([3, 2]))).toThrow(/svd: the derivative with full_matrices=True is implemented only for square matrices/);
  });
});

describe("jaxpr text", () => {
  it("prints the primitives with JAX's params", () => {
    const a = np.eye(3);
    const b = np.ones([3, 2]);
    expect(makeJaxpr((x: A, y: A) => lax.triangularSolve(x, y, { leftSide: true, lower: true }))(a, b).toString()).toBe(
      [
        "{ lambda ; a:f32[3,3] b:f32[3,2]. let",
        "    c:f32[3,2] = triangular_solve[",
        "      conjugate_a=False",
        "      left_side=True",
        "      lower=True",
        "      transpose_a=False",
        "      unit_diagonal=False",
        "    ] a b",
        "  in (c,) }",
      ].join("\n"),
    );
    expect(makeJaxpr((x: A) => lax.cholesky(x, { symmetrizeInput: false }))(a).toString()).toBe(
      "{ lambda ; a:f32[3,3]. let b:f32[3,3] = cholesky a in (b,) }",
    );
    expect(makeJaxpr((x: A) => lax.lu(x))(a).toString()).toBe(
      "{ lambda ; a:f32[3,3]. let b:f32[3,3] c:i32[3] d:i32[3] = lu a in (b, c, d) }",
    );
    expect(makeJaxpr((x: A) => lax.qr(x, { fullMatrices: false }))(b).toString()).toBe(
      [
        "{ lambda ; a:f32[3,2]. let",
        "    b:f32[3,2] c:f32[2,2] = qr[",
        "      full_matrices=False",
        "      pivoting=False",
        "      use_magma=None",
        "    ] a",
        "  in (b, c) }",
      ].join("\n"),
    );
    expect(makeJaxpr((x: A) => lax.eigh(x, { symmetrizeInput: false }))(a).toString()).toBe(
      [
        "{ lambda ; a:f32[3,3]. let",
        "    b:f32[3,3] c:f32[3] = eigh[",
        "      algorithm=None",
        "      lower=True",
        "      sort_eigenvalues=True",
        "      subset_by_index=None",
        "    ] a",
        "  in (b, c) }",
      ].join("\n"),
    );
    expect(makeJaxpr((x: A) => lax.svd(x, { computeUv: false }))(b).toString()).toBe(
      [
        "{ lambda ; a:f32[3,2]. let",
        "    b:f32[2] = svd[",
        "      algorithm=None",
        "      compute_uv=False",
        "      full_matrices=True",
        "      subset_by_index=None",
        "    ] a",
        "  in (b,) }",
      ].join("\n"),
    );
  });
});
