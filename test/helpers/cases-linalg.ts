/**
 * Parity cases for the linear-algebra primitives: batch shapes of 0-2 axes (sizes
 * 1-3) and matrices of order 1-8, built on the host in float64 to be well
 * conditioned (SPD as B·Bᵀ + n·I, triangular with dominant diagonals) and rounded
 * once to the dtype. Both backends compute each matrix in float64 with the same
 * algorithm and operation order, so every output is compared exactly (bit for bit).
 */
import fc from "fast-check";
import { type DType, TYPED_ARRAY, shapeSize } from "../../src/core/index.js";
import type { Array as NdArray } from "../../src/trace/array.js";
import { Prim, type PrimParams } from "../../src/trace/prim.js";
import { bind } from "../../src/trace/trace.js";
import { FLOAT_DTYPES, type HostArray } from "./arbitraries.js";
import { type CaseTable, checkParity, exact } from "./parity.js";

export const batchArb = fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 2 });
export const orderArb = fc.integer({ min: 1, max: 8 });

/** Uniform values in [-1, 1] for `count` matrices of [rows, cols]. */
const uniformArb = (size: number): fc.Arbitrary<number[]> =>
  fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: size, maxLength: size });

const host = (dtype: DType, shape: number[], values: number[]): HostArray => ({
  dtype,
  shape,
  values: TYPED_ARRAY[dtype].from(values),
});

/** Random [...batch, rows, cols] values in [-1, 1]. */
export const generalArb = (dtype: DType, batch: number[], rows: number, cols: number): fc.Arbitrary<HostArray> =>
  uniformArb(shapeSize(batch) * rows * cols).map((v) => host(dtype, [...batch, rows, cols], v));

/** Symmetric positive definite matrices B·Bᵀ + n·I (B uniform in [-1, 1]), computed in float64. */
export function spdArb(dtype: DType, batch: number[], n: number): fc.Arbitrary<HostArray> {
  return uniformArb(shapeSize(batch) * n * n).map((bv) => {
    const out: number[] = [];
    for (let k = 0; k < shapeSize(batch); k++) {
      const b = (i: number, j: number) => bv[k * n * n + i * n + j]!;
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          let s = i === j ? n : 0;
          for (let p = 0; p < n; p++) s += b(i, p) * b(j, p);
          out.push(s);
        }
      }
    }
    return host(dtype, [...batch, n, n], out);
  });
}

/** Symmetric matrices (B + Bᵀ)/2. */
export function symmetricArb(dtype: DType, batch: number[], n: number): fc.Arbitrary<HostArray> {
  return uniformArb(shapeSize(batch) * n * n).map((bv) => {
    const out = bv.map((_, f) => {
      const [k, i, j] = [Math.floor(f / (n * n)), Math.floor(f / n) % n, f % n];
      return (bv[k * n * n + i * n + j]! + bv[k * n * n + j * n + i]!) / 2;
    });
    return host(dtype, [...batch, n, n], out);
  });
}

/** Square matrices with diagonal entries of magnitude >= n + 1 (well conditioned in either triangle). */
export function dominantArb(dtype: DType, batch: number[], n: number): fc.Arbitrary<HostArray> {
  return uniformArb(shapeSize(batch) * n * n).map((v) =>
    host(dtype, [...batch, n, n], v.map((x, f) => (Math.floor(f / n) % n === f % n ? (x >= 0 ? n + 1 + x : -(n + 1) + x) : x))),
  );
}

/** Every output of `prim` on `inputs`, each compared exactly. */
function checkOutputs<P extends Prim>(prim: P, params: PrimParams<P>, inputs: HostArray[], nout: number): void {
  for (let k = 0; k < nout; k++) {
    checkParity(`${prim} ${JSON.stringify(params)} output ${k}`, inputs, (...xs: NdArray[]) => bind(prim, xs, params)[k]!, exact);
  }
}

const squareCase = (prim: Prim.Cholesky | Prim.Eigh, arb: typeof spdArb, params: (b: boolean) => PrimParams<typeof prim>, nout: number) => ({
  dtypes: FLOAT_DTYPES,
  numRuns: 20,
  property: (dtype: DType) =>
    fc.property(
      fc.tuple(batchArb, orderArb, fc.boolean()).chain(([b, n, flag]) => fc.tuple(arb(dtype, b, n), fc.constant(flag))),
      ([a, flag]) => checkOutputs(prim, params(flag) as never, [a], nout),
    ),
});

const rectangularArb = (dtype: DType) =>
  fc.tuple(batchArb, orderArb, orderArb, fc.boolean(), fc.boolean()).chain(([b, m, n, f1, f2]) =>
    fc.tuple(generalArb(dtype, b, m, n), fc.constant(f1), fc.constant(f2)),
  );

export const linalgCases: CaseTable<Prim.Cholesky | Prim.TriangularSolve | Prim.Lu | Prim.Qr | Prim.Eigh | Prim.Svd> = {
  [Prim.Cholesky]: squareCase(Prim.Cholesky, spdArb, () => ({}), 1),
  [Prim.Eigh]: squareCase(Prim.Eigh, symmetricArb, (lower) => ({ lower, sortEigenvalues: true, subsetByIndex: null, algorithm: null }), 2),
  [Prim.TriangularSolve]: {
    dtypes: FLOAT_DTYPES,
    numRuns: 20,
    property: (dtype) =>
      fc.property(
        fc
          .tuple(batchArb, orderArb, orderArb, fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }))
          .chain(([b, m, n, flags]) =>
            fc.tuple(dominantArb(dtype, b, flags[0] ? m : n), generalArb(dtype, b, m, n), fc.constant(flags)),
          ),
        ([a, b, [leftSide, lower, transposeA, unitDiagonal]]) =>
          checkOutputs(Prim.TriangularSolve, { leftSide: leftSide!, lower: lower!, transposeA: transposeA!, conjugateA: false, unitDiagonal: unitDiagonal! }, [a, b], 1),
      ),
  },
  [Prim.Lu]: {
    dtypes: FLOAT_DTYPES,
    numRuns: 20,
    property: (dtype) => fc.property(rectangularArb(dtype), ([a]) => checkOutputs(Prim.Lu, {}, [a], 3)),
  },
  [Prim.Qr]: {
    dtypes: FLOAT_DTYPES,
    numRuns: 20,
    property: (dtype) =>
      fc.property(rectangularArb(dtype), ([a, fullMatrices]) => checkOutputs(Prim.Qr, { fullMatrices, pivoting: false, useMagma: null }, [a], 2)),
  },
  [Prim.Svd]: {
    dtypes: FLOAT_DTYPES,
    numRuns: 20,
    property: (dtype) =>
      fc.property(rectangularArb(dtype), ([a, fullMatrices, computeUv]) =>
        checkOutputs(Prim.Svd, { fullMatrices, computeUv, subsetByIndex: null, algorithm: null }, [a], computeUv ? 3 : 1),
      ),
  },
};
