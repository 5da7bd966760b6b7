/**
 * fast-check arbitraries for property tests of array code: shapes, broadcastable
 * shape pairs, dtypes, and arrays with value ranges. fast-check is a peer dependency
 * of `ferrax/testing` only.
 */
import fc from "fast-check";
import { type DType, ShapedArray, TYPED_ARRAY, type Shape, shapeSize } from "../core/index.js";
import type { Array } from "../trace/array.js";
import { concreteFromValues } from "../trace/concrete.js";

export interface ShapeOptions {
  readonly minRank?: number;
  readonly maxRank?: number;
  /** Smallest dimension size; 0 (the default) includes zero-size arrays. */
  readonly minDim?: number;
  readonly maxDim?: number;
}

export function shapes(opts: ShapeOptions = {}): fc.Arbitrary<number[]> {
  return fc.array(fc.integer({ min: opts.minDim ?? 0, max: opts.maxDim ?? 5 }), {
    minLength: opts.minRank ?? 0,
    maxLength: opts.maxRank ?? 4,
  });
}

/**
 * Pairs of shapes that broadcast together under numpy rules: the second drops some
 * leading axes of the first and sets some of the rest to 1 (in either order).
 */
export function broadcastableShapes(opts: ShapeOptions = {}): fc.Arbitrary<[number[], number[]]> {
  return shapes(opts).chain((shape) =>
    fc
      .tuple(
        fc.integer({ min: 0, max: shape.length }),
        fc.array(fc.boolean(), { minLength: shape.length, maxLength: shape.length }),
        fc.boolean(),
      )
      .map(([drop, ones, swap]) => {
        const other = shape.slice(drop).map((d, i) => (ones[i + drop] ? 1 : d));
        return (swap ? [other, [...shape]] : [[...shape], other]) as [number[], number[]];
      }),
  );
}

export interface DTypeOptions {
  /** Only float32 and float64. */
  readonly floatOnly?: boolean;
  readonly exclude?: readonly DType[];
}

export function dtypes(opts: DTypeOptions = {}): fc.Arbitrary<DType> {
  const all: DType[] = opts.floatOnly ? ["float32", "float64"] : ["float32", "float64", "int32", "uint32", "bool"];
  return fc.constantFrom(...all.filter((d) => !(opts.exclude ?? []).includes(d)));
}

export interface ArrayOptions {
  /** A fixed shape or an arbitrary of shapes (default: `shapes()`). */
  readonly shape?: Shape | fc.Arbitrary<Shape>;
  /** A fixed dtype or an arbitrary of dtypes (default float32). */
  readonly dtype?: DType | fc.Arbitrary<DType>;
  readonly min?: number;
  readonly max?: number;
  /** Only finite floats (no NaN or ±inf). Default true. */
  readonly finite?: boolean;
}

/** Values of a dtype as plain numbers, within [min, max] where given. */
export function values(dtype: DType, size: number, opts: ArrayOptions = {}): fc.Arbitrary<number[]> {
  const finite = opts.finite ?? true;
  const n = { minLength: size, maxLength: size };
  switch (dtype) {
    case "float32":
      return fc.array(
        fc.float({ min: Math.fround(opts.min ?? -1e3), max: Math.fround(opts.max ?? 1e3), noNaN: finite, noDefaultInfinity: finite }),
        n,
      );
    case "float64":
      return fc.array(fc.double({ min: opts.min ?? -1e3, max: opts.max ?? 1e3, noNaN: finite, noDefaultInfinity: finite }), n);
    case "int32":
      return fc.array(fc.integer({ min: Math.ceil(opts.min ?? -1000), max: Math.floor(opts.max ?? 1000) }), n);
    case "uint32":
      return fc.array(fc.integer({ min: Math.max(0, Math.ceil(opts.min ?? 0)), max: Math.floor(opts.max ?? 2000) }), n);
    case "bool":
      return fc.array(fc.boolean().map(Number), n);
  }
}

const asArb = <T>(x: T | fc.Arbitrary<T>): fc.Arbitrary<T> => (x instanceof fc.Arbitrary ? x : fc.constant(x));

/** Arrays (on the default backend) of the given shapes, dtypes and value ranges. */
export function arrays(opts: ArrayOptions = {}): fc.Arbitrary<Array> {
  return fc
    .tuple(asArb(opts.shape ?? shapes()), asArb(opts.dtype ?? "float32"))
    .chain(([shape, dtype]) =>
      values(dtype, shapeSize(shape), opts).map((v) =>
        concreteFromValues(TYPED_ARRAY[dtype].from(v), new ShapedArray([...shape], dtype)),
      ),
    );
}
