/**
 * Views onto a target shape: host data of some other shape plus a movement op
 * (transpose, strided slice, broadcast of size-1 axes, a new leading axis sliced
 * away, or a chain of two) that turns it into the target shape. On the WASM backend
 * these are strided views; feeding them to kernels checks that kernels honour strides.
 */
import fc from "fast-check";
import * as lax from "../../src/lax/index.js";
import type { Array as NdArray } from "../../src/trace/array.js";
import { type Shape, permutationArb } from "./arbitraries.js";

export interface View {
  readonly name: string;
  /** The shape of the host data the view is taken of. */
  readonly hostShape: number[];
  /** Host-shaped array -> target-shaped view. */
  readonly apply: (x: NdArray) => NdArray;
}

const identity = (target: Shape): View => ({ name: "contiguous", hostShape: [...target], apply: (x) => x });

/** One movement op that produces `target`. */
function stepArb(target: Shape): fc.Arbitrary<View> {
  const n = target.length;
  const transpose = permutationArb(n).map((perm): View => {
    const hostShape = new Array<number>(n);
    perm.forEach((p, i) => (hostShape[p] = target[i]!));
    return { name: `transpose(${perm})`, hostShape, apply: (x) => lax.transpose(x, perm) };
  });
  const slice = fc
    .tuple(...target.map(() => fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 1 }))))
    .map((axes): View => {
      const start = axes.map(([, s]) => s);
      const strides = axes.map(([st]) => st);
      const limit = target.map((d, i) => (d === 0 ? start[i]! : start[i]! + (d - 1) * strides[i]! + 1));
      const hostShape = limit.map((l, i) => l + axes[i]![2]);
      return { name: `slice(${start}:${limit}:${strides})`, hostShape, apply: (x) => lax.slice(x, start, limit, strides) };
    });
  const broadcast = fc.array(fc.boolean(), { minLength: n, maxLength: n }).map((ones): View => {
    const hostShape = target.map((d, i) => (ones[i] ? 1 : d));
    return {
      name: `broadcast(${hostShape} -> ${target})`,
      hostShape,
      apply: (x) => lax.broadcastInDim(x, target, target.map((_, i) => i)),
    };
  });
  /** A leading axis of size 2-3, of which one index is kept: an offset view. */
  const picked = fc.tuple(fc.integer({ min: 2, max: 3 }), fc.nat(2)).map(([k, i0]): View => {
    const i = i0 % k;
    return {
      name: `[${i}] of ${k} along a new axis`,
      hostShape: [k, ...target],
      apply: (x) => lax.reshape(lax.slice(x, [i, ...target.map(() => 0)], [i + 1, ...target]), [...target]),
    };
  });
  const reversed = fc.subarray(target.map((_, i) => i)).map((dims): View => ({
    name: `rev(${dims})`,
    hostShape: [...target],
    apply: (x) => lax.rev(x, dims),
  }));
  return fc.oneof(transpose, slice, broadcast, picked, reversed);
}

/** A view onto `target`: contiguous, one movement op, or two chained. */
export function viewOntoArb(target: Shape): fc.Arbitrary<View> {
  return fc.oneof(
    { arbitrary: fc.constant(identity(target)), weight: 1 },
    { arbitrary: stepArb(target), weight: 3 },
    {
      arbitrary: stepArb(target).chain((outer) =>
        stepArb(outer.hostShape).map((inner): View => ({
          name: `${outer.name} ∘ ${inner.name}`,
          hostShape: inner.hostShape,
          apply: (x) => outer.apply(inner.apply(x)),
        })),
      ),
      weight: 2,
    },
  );
}
