/**
 * Parity cases for the movement primitives (broadcast_in_dim, reshape, transpose,
 * squeeze, slice, concatenate) and iota: every dtype, zero-size dims, compared
 * exactly (they move values without arithmetic).
 */
import fc from "fast-check";
import { type DType, shapeSize } from "../../src/core/index.js";
import type { Array as NdArray } from "../../src/trace/array.js";
import { Prim, type PrimParams } from "../../src/trace/prim.js";
import { bind1 } from "../../src/trace/trace.js";
import { ALL_DTYPES, type HostArray, type Shape, dimArb, hostArb, permutationArb, shapeArb } from "./arbitraries.js";
import { type CaseTable, type ParityCase, checkParity } from "./parity.js";

type Movement =
  | Prim.BroadcastInDim | Prim.Reshape | Prim.Transpose | Prim.Squeeze | Prim.Slice | Prim.Concatenate | Prim.Iota
  | Prim.Rev | Prim.DynamicSlice | Prim.DynamicUpdateSlice;

/** A case whose arbitrary makes (inputs, params) for one dtype; compared exactly. */
function movementCase<P extends Prim>(
  prim: P,
  arb: (dtype: DType) => fc.Arbitrary<[HostArray[], PrimParams<P>]>,
): ParityCase {
  return {
    dtypes: ALL_DTYPES,
    property: (dtype) =>
      fc.property(arb(dtype), ([inputs, params]) =>
        checkParity(`${prim} ${JSON.stringify(params)}`, inputs, (...xs: NdArray[]) => bind1(prim, xs, params)),
      ),
  };
}

const withData = <T>(dtype: DType, shape: Shape, params: fc.Arbitrary<T>): fc.Arbitrary<[HostArray[], T]> =>
  fc.tuple(hostArb(dtype, shape).map((h) => [h]), params);

/** Output shape and broadcast_dimensions for an operand: its axes map, in order, into a rank >= its rank. */
export function broadcastInDimArb(shape: Shape): fc.Arbitrary<{ shape: number[]; broadcastDimensions: number[] }> {
  return fc.integer({ min: shape.length, max: Math.min(5, shape.length + 2) }).chain((outRank) =>
    fc
      .tuple(
        fc.subarray(Array.from({ length: outRank }, (_, i) => i), { minLength: shape.length, maxLength: shape.length }),
        fc.array(dimArb(), { minLength: outRank, maxLength: outRank }),
      )
      .map(([dims, fill]) => {
        const out = [...fill];
        dims.forEach((d, i) => {
          if (shape[i] !== 1) out[d] = shape[i]!;
        });
        return { shape: out, broadcastDimensions: dims };
      }),
  );
}

/** A shape with the given number of elements: its prime factors spread over 0-4 axes, with 1s mixed in. */
export function reshapeTargetArb(size: number): fc.Arbitrary<number[]> {
  if (size === 0) return shapeArb({ minRank: 1 }).chain((s) => fc.integer({ min: 0, max: s.length - 1 }).map((i) => s.map((d, k) => (k === i ? 0 : d))));
  const primes: number[] = [];
  for (let n = size, p = 2; n > 1; ) {
    if (n % p === 0) (primes.push(p), (n /= p));
    else p++;
  }
  return fc.integer({ min: primes.length ? 1 : 0, max: 4 }).chain((rank) =>
    fc.array(fc.integer({ min: 0, max: Math.max(0, rank - 1) }), { minLength: primes.length, maxLength: primes.length }).map((slots) => {
      const out = new Array<number>(rank).fill(1);
      primes.forEach((p, i) => (out[slots[i]!]! *= p));
      return out;
    }),
  );
}

const sliceParamsArb = (shape: Shape) =>
  fc
    .tuple(fc.boolean(), ...shape.map((d) => fc.tuple(fc.integer({ min: 0, max: d }), fc.integer({ min: 0, max: d }), fc.integer({ min: 1, max: 3 }))))
    .map(([unit, ...axes]) => ({
      startIndices: axes.map(([a, b]) => Math.min(a, b)),
      limitIndices: axes.map(([a, b]) => Math.max(a, b)),
      strides: unit ? null : axes.map(([, , s]) => s),
    }));

/**
 * One scalar start index per axis of `shape`, of one integer dtype, reaching past
 * both ends (so the clamp is exercised; uint32 indices are never negative).
 */
export const startIndicesArb = (shape: Shape): fc.Arbitrary<HostArray[]> =>
  fc.constantFrom<DType>("int32", "uint32").chain((d) =>
    fc.tuple(...shape.map((n) => fc.integer({ min: d === "uint32" ? 0 : -3, max: n + 3 }))).map((vs) =>
      vs.map((v) => ({ dtype: d, shape: [], values: d === "uint32" ? Uint32Array.of(v) : Int32Array.of(v) })),
    ),
  );

/** A window shape inside `shape`. */
export const windowArb = (shape: Shape): fc.Arbitrary<number[]> => fc.tuple(...shape.map((n) => fc.integer({ min: 0, max: n })));

export const shapeCases: CaseTable<Movement> = {
  [Prim.BroadcastInDim]: movementCase(Prim.BroadcastInDim, (dtype) =>
    shapeArb({ maxRank: 3 }).chain((s) => withData(dtype, s, broadcastInDimArb(s).map((p) => ({ ...p, sharding: null })))),
  ),
  [Prim.Reshape]: movementCase(Prim.Reshape, (dtype) =>
    shapeArb().chain((s) =>
      withData(dtype, s, reshapeTargetArb(shapeSize(s)).map((newSizes) => ({ newSizes, dimensions: null, sharding: null }))),
    ),
  ),
  [Prim.Transpose]: movementCase(Prim.Transpose, (dtype) =>
    shapeArb().chain((s) => withData(dtype, s, permutationArb(s.length).map((permutation) => ({ permutation })))),
  ),
  [Prim.Squeeze]: movementCase(Prim.Squeeze, (dtype) =>
    shapeArb()
      .chain((s) => fc.tuple(fc.constant(s), fc.array(fc.nat(s.length), { maxLength: 2 })))
      .map(([s, at]) => {
        const out = [...s];
        for (const i of at) out.splice(Math.min(i, out.length), 0, 1); // make sure some size-1 axes exist
        return out;
      })
      .chain((s) =>
        withData(dtype, s, fc.subarray(s.flatMap((d, i) => (d === 1 ? [i] : []))).map((dimensions) => ({ dimensions }))),
      ),
  ),
  [Prim.Slice]: movementCase(Prim.Slice, (dtype) => shapeArb().chain((s) => withData(dtype, s, sliceParamsArb(s)))),
  [Prim.Concatenate]: movementCase(Prim.Concatenate, (dtype) =>
    shapeArb({ minRank: 1 }).chain((s) =>
      fc
        .tuple(fc.nat(s.length - 1), fc.array(dimArb(), { minLength: 1, maxLength: 4 }))
        .chain(([dimension, sizes]) =>
          fc.tuple(
            fc.tuple(...sizes.map((n) => hostArb(dtype, s.map((d, i) => (i === dimension ? n : d))))),
            fc.constant({ dimension }),
          ),
        ),
    ),
  ),
  [Prim.Rev]: movementCase(Prim.Rev, (dtype) =>
    shapeArb().chain((s) => withData(dtype, s, fc.subarray(s.map((_, i) => i)).map((dimensions) => ({ dimensions })))),
  ),
  [Prim.DynamicSlice]: movementCase(Prim.DynamicSlice, (dtype) =>
    shapeArb().chain((s) =>
      fc.tuple(fc.tuple(hostArb(dtype, s), startIndicesArb(s)).map(([x, idx]) => [x, ...idx]), windowArb(s).map((sliceSizes) => ({ sliceSizes }))),
    ),
  ),
  [Prim.DynamicUpdateSlice]: movementCase(Prim.DynamicUpdateSlice, (dtype) =>
    shapeArb().chain((s) =>
      windowArb(s).chain((w) =>
        fc.tuple(fc.tuple(hostArb(dtype, s), hostArb(dtype, w), startIndicesArb(s)).map(([x, u, idx]) => [x, u, ...idx]), fc.constant({})),
      ),
    ),
  ),
  [Prim.Iota]: movementCase(Prim.Iota, (dtype) =>
    shapeArb({ minRank: 1 }).chain((shape) =>
      fc.tuple(fc.constant([] as HostArray[]), fc.nat(shape.length - 1).map((dimension) => ({ dtype, shape, dimension, sharding: null }))),
    ),
  ),
};
