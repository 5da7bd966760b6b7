/**
 * WASM backend == interpreter backend for dot_general: the per-dtype property from
 * cases-dot.ts (batch dims, every contracting-dim layout, zero-size dims), then
 * views feeding dot_general, numpy's matmul/dot (1-D operands, broadcast batch
 * dims, promotion), and preferred_element_type different from the operands'.
 * Float tolerance as stated in cases-dot.ts.
 */
import fc from "fast-check";
import { describe, it } from "vitest";
import { type DType, isFloat } from "../../src/core/index.js";
import * as np from "../../src/numpy/index.js";
import type { Array as NdArray } from "../../src/trace/array.js";
import type { DotDimensionNumbers } from "../../src/trace/prim.js";
import { type HostArray, NUMERIC_DTYPES, type ValueOptions, broadcastableTo, dimArb, dtypeArb, hostArb, shapeArb } from "../helpers/arbitraries.js";
import { dotBound, dotCases, dotFn, dotLayoutArb } from "../helpers/cases-dot.js";
import { tinyOf } from "../helpers/cases-reduce.js";
import { NUM_RUNS, type Comparison, bounded, checkParity, exact, oracle, runCases, unitRoundoff } from "../helpers/parity.js";
import { viewOntoArb } from "../helpers/views.js";

runCases(dotCases);

const VALUES = (d: DType): ValueOptions => (isFloat(d) ? { min: -1000, max: 1000 } : { small: true });

describe("dot_general: every layout of rank-3 operands", () => {
  const perms = (n: number): number[][] =>
    n === 0 ? [[]] : perms(n - 1).flatMap((p) => Array.from({ length: n }, (_, i) => [...p.slice(0, i), n - 1, ...p.slice(i)]));
  it("each (batch count, contracting count, lhs axis order, rhs axis order), float32 and int32", () => {
    const sizes = { b: [2], c: [3, 4, 5], l: [5, 2], r: [3, 1] };
    for (const [nb, nc] of [[0, 1], [0, 2], [1, 1], [1, 2], [0, 3]] as const) {
      const nf = 3 - nb - nc;
      const logicalL = [...sizes.b.slice(0, nb), ...sizes.c.slice(0, nc), ...sizes.l.slice(0, nf)];
      const logicalR = [...sizes.b.slice(0, nb), ...sizes.c.slice(0, nc), ...sizes.r.slice(0, nf)];
      for (const lp of perms(3)) {
        for (const rp of perms(3)) {
          const place = (perm: number[], logical: number[]): number[] => {
            const shape = new Array<number>(3);
            perm.forEach((pos, k) => (shape[pos] = logical[k]!));
            return shape;
          };
          const dims: DotDimensionNumbers = [[lp.slice(nb, nb + nc), rp.slice(nb, nb + nc)], [lp.slice(0, nb), rp.slice(0, nb)]];
          for (const d of ["float32", "int32"] as const) {
            const [a, b] = fc.sample(fc.tuple(hostArb(d, place(lp, logicalL), VALUES(d)), hostArb(d, place(rp, logicalR), VALUES(d))), { numRuns: 1, seed: 7 })[0]!;
            const k = logicalL.slice(nb, nb + nc).reduce((x, y) => x * y, 1);
            checkParity(`dot_general ${JSON.stringify(dims)}`, [a, b], dotFn(dims), isFloat(d) ? dotBound([a, b], dims, k, d) : exact);
          }
        }
      }
    }
  });
});

describe("dot_general reads views", () => {
  it("transposed, strided, broadcast and offset operands", () => {
    const arb = fc
      .tuple(dotLayoutArb(3), dtypeArb(NUMERIC_DTYPES))
      .chain(([lay, d]) => fc.tuple(fc.constant(lay), fc.constant(d), viewOntoArb(lay.lhsShape), viewOntoArb(lay.rhsShape)))
      .chain(([lay, d, vl, vr]) =>
        fc.tuple(fc.constant(lay), hostArb(d, vl.hostShape, VALUES(d)), hostArb(d, vr.hostShape, VALUES(d)), fc.constant(vl), fc.constant(vr)),
      );
    fc.assert(
      fc.property(arb, ([lay, a, b, vl, vr]) => {
        const operands = (x: NdArray, y: NdArray): [NdArray, NdArray] => [vl.apply(x), vr.apply(y)];
        const cmp = isFloat(a.dtype) ? dotBound([a, b], lay.dims, lay.k, a.dtype, (x, y) => operands(x!, y!)) : exact;
        checkParity(`dot_general ${JSON.stringify(lay.dims)} of (${vl.name}, ${vr.name})`, [a, b], (x, y) =>
          dotFn(lay.dims)(...operands(x!, y!)), cmp);
      }),
      { numRuns: NUM_RUNS * 4 },
    );
  });
});

/** The matmul bound: Σ|a·b| from np.matmul of |a|, |b| in f64 on the interpreter. */
function matmulBound(a: HostArray, b: HostArray, k: number, out: DType): Comparison {
  const abs64 = (x: NdArray): NdArray => np.abs(x.astype("float64"));
  const s = oracle([a, b], (x, y) => np.matmul(abs64(x!), abs64(y!))).values;
  const u = unitRoundoff(out);
  return bounded(Array.from(s, (v) => 2 * (k + 1) * u * v + (k + 1) * tinyOf(out)));
}

describe("numpy matmul and dot", () => {
  it("matmul: 1-D operands, broadcast batch dims, promotion between dtypes", () => {
    const arb = fc
      .record({
        m: dimArb({ maxDim: 4 }), k: dimArb({ maxDim: 4 }), n: dimArb({ maxDim: 4 }),
        batch: shapeArb({ maxRank: 2, maxDim: 3 }), aVec: fc.boolean(), bVec: fc.boolean(),
        da: dtypeArb(NUMERIC_DTYPES), db: dtypeArb(NUMERIC_DTYPES),
      })
      .chain((r) =>
        fc.tuple(fc.constant(r), r.aVec ? fc.constant([]) : broadcastableTo(r.batch), r.bVec ? fc.constant([]) : broadcastableTo(r.batch)),
      )
      .chain(([r, ba, bb]) =>
        fc.tuple(
          fc.constant(r.k),
          hostArb(r.da, r.aVec ? [r.k] : [...ba, r.m, r.k], VALUES(r.da)),
          hostArb(r.db, r.bVec ? [r.k] : [...bb, r.k, r.n], VALUES(r.db)),
        ),
      );
    fc.assert(
      fc.property(arb, ([k, a, b]) => {
        const out = oracle([a, b], (x, y) => np.matmul(x!, y!)).dtype;
        checkParity(`matmul ${a.dtype}[${a.shape}] @ ${b.dtype}[${b.shape}]`, [a, b], (x, y) => np.matmul(x!, y!),
          isFloat(out) ? matmulBound(a, b, k, out) : exact);
      }),
      { numRuns: NUM_RUNS * 3 },
    );
  });

  it("dot of an N-D array and a 1-D or M-D array contracts the last axis with the second-to-last", () => {
    const arb = fc
      .tuple(shapeArb({ minRank: 3, maxRank: 3, maxDim: 3 }), shapeArb({ minRank: 1, maxRank: 2, maxDim: 3 }), dtypeArb(NUMERIC_DTYPES))
      .chain(([sa, sb0, d]) => {
        const k = sa[sa.length - 1]!;
        const sb = sb0.length === 1 ? [k] : [k, sb0[1]!];
        return fc.tuple(fc.constant(k), hostArb(d, sa, VALUES(d)), hostArb(d, sb, VALUES(d)));
      });
    fc.assert(
      fc.property(arb, ([k, a, b]) =>
        checkParity(`dot ${a.dtype}[${a.shape}] . [${b.shape}]`, [a, b], (x, y) => np.dot(x!, y!),
          isFloat(a.dtype) ? dotBound([a, b], [[[2], [0]], [[], []]], k, a.dtype) : exact),
      ),
      { numRuns: NUM_RUNS },
    );
  });
});

describe("dot_general with preferred_element_type other than the operands' dtype", () => {
  const WIDER: Record<string, DType[]> = {
    int32: ["uint32", "float32", "float64"],
    uint32: ["int32", "float32", "float64"],
    float32: ["float64"],
    float64: ["float32"],
  };
  it("ints accumulate into the other int type (wrapping) or a float; float32 into float64 and back", () => {
    const arb = fc
      .tuple(dotLayoutArb(3), dtypeArb(NUMERIC_DTYPES))
      .chain(([lay, d]) =>
        fc.tuple(fc.constant(lay), fc.constantFrom(...WIDER[d]!), hostArb(d, lay.lhsShape, VALUES(d)), hostArb(d, lay.rhsShape, VALUES(d))),
      );
    fc.assert(
      fc.property(arb, ([lay, pref, a, b]) =>
        checkParity(`dot_general ${a.dtype} -> ${pref} ${JSON.stringify(lay.dims)}`, [a, b], dotFn(lay.dims, pref),
          isFloat(pref) ? dotBound([a, b], lay.dims, lay.k, pref) : exact),
      ),
      { numRuns: NUM_RUNS * 2 },
    );
  });
});
