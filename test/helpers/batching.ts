/**
 * The definition of vmap, for checking it: slice every mapped input along its axis
 * on the host, call the function once per index, stack the outputs on the host
 * (`loopMap`). Plus the comparisons the vmap tests use: exact, within n ulps, within
 * a per-element bound, or within a relative tolerance (NaN equals NaN everywhere).
 *
 * Nothing here goes through vmap or through any batching rule: slicing and stacking
 * are index arithmetic on typed arrays.
 */
import fc from "fast-check";
import { expect } from "vitest";
import { type DType, ShapedArray, TYPED_ARRAY, isFloat, shapeSize } from "../../src/core/index.js";
import { flatten, unflatten } from "../../src/core/pytree.js";
import type { Array as NdArray } from "../../src/trace/array.js";
import { getBackend } from "../../src/trace/backend.js";
import { concreteFromValues } from "../../src/trace/concrete.js";
import type { HostArray, Shape } from "./arbitraries.js";
import { ulpDistance } from "./parity.js";

export type LeafAxis = number | null;

export const toHost = (a: NdArray): HostArray => ({ dtype: a.dtype, shape: [...a.shape], values: a.dataSync().slice() });
export const toDevice = (h: HostArray): NdArray => concreteFromValues(h.values, new ShapedArray([...h.shape], h.dtype), getBackend());

/** `shape` with a new axis of size `n` at `axis` (0 <= axis <= rank). */
export const insertAxis = (shape: Shape, axis: number, n: number): number[] => [...shape.slice(0, axis), n, ...shape.slice(axis)];

/** A negative axis counted from the end of a rank-`rank` array. */
export const normAxis = (axis: number, rank: number): number => (axis < 0 ? axis + rank : axis);

const split = (shape: Shape, axis: number): [number, number, number] => [
  shapeSize(shape.slice(0, axis)),
  shape[axis]!,
  shapeSize(shape.slice(axis + 1)),
];

/** Index `i` along `axis` (the axis removed). */
export function take(h: HostArray, axis: number, i: number): HostArray {
  const [outer, n, inner] = split(h.shape, axis);
  const values = new TYPED_ARRAY[h.dtype](outer * inner);
  for (let o = 0; o < outer; o++) values.set(h.values.subarray((o * n + i) * inner, (o * n + i + 1) * inner), o * inner);
  return { dtype: h.dtype, shape: h.shape.filter((_, k) => k !== axis), values };
}

/** Zeros shaped like `h` with `axis` removed (the example a batch of size 0 would have). */
export function zerosWithout(h: HostArray, axis: number): HostArray {
  const shape = h.shape.filter((_, k) => k !== axis);
  return { dtype: h.dtype, shape, values: new TYPED_ARRAY[h.dtype](shapeSize(shape)) };
}

/** Stacks `parts` (each of shape `example.shape`) along a new axis `axis`. */
export function stack(parts: readonly HostArray[], axis: number, example: { shape: Shape; dtype: DType }): HostArray {
  const shape = insertAxis(example.shape, axis, parts.length);
  const [outer, b, inner] = split(shape, axis);
  const values = new TYPED_ARRAY[example.dtype](outer * b * inner);
  parts.forEach((p, k) => {
    expect(p.shape, "loopMap: every example must give the same shape").toEqual([...example.shape]);
    expect(p.dtype).toBe(example.dtype);
    for (let o = 0; o < outer; o++) values.set(p.values.subarray(o * inner, (o + 1) * inner), (o * b + k) * inner);
  });
  return { dtype: example.dtype, shape, values };
}

const sameBits = (x: number, y: number): boolean => (Number.isNaN(x) && Number.isNaN(y)) || Object.is(x, y);

/**
 * vmap's definition. `inAxes` gives one axis per input leaf (of the flattened
 * argument list; null: not mapped, negative: from the end); `outAxis(j, rank)` the
 * axis for output leaf j of example rank `rank` (null: the output must not vary, and
 * is returned as it is). A batch of size 0 calls `f` once on zeros to learn the
 * output types.
 */
export function loopMap(
  f: (...args: never[]) => unknown,
  inAxes: readonly LeafAxis[],
  outAxis: (leaf: number, rank: number) => LeafAxis,
  axisSize: number,
): (...args: unknown[]) => unknown {
  return (...args: unknown[]) => {
    const [leaves, def] = flatten(args);
    expect(leaves.length, "loopMap: one axis per input leaf").toBe(inAxes.length);
    const hosts = leaves.map((l, k) => (inAxes[k] === null ? null : toHost(l as NdArray)));
    const axes = inAxes.map((a, k) => (a === null ? null : normAxis(a, hosts[k]!.shape.length)));
    hosts.forEach((h, k) => {
      if (h) expect(h.shape[axes[k]!], `loopMap: leaf ${k} has the batch size on its axis`).toBe(axisSize);
    });
    const example = (i: number | null): unknown[] =>
      unflatten<unknown[]>(
        def,
        leaves.map((l, k) => (axes[k] === null ? l : toDevice(i === null ? zerosWithout(hosts[k]!, axes[k]!) : take(hosts[k]!, axes[k]!, i)))),
      );
    const call = (i: number | null) => flatten<NdArray>((f as (...a: unknown[]) => unknown)(...example(i)));
    const runs = Array.from({ length: axisSize }, (_, i) => call(i)).map(([ls, d]) => [ls.map(toHost), d] as const);
    const [probe, outDef] = runs[0] ?? (([ls, d]) => [ls.map(toHost), d] as const)(call(null));
    for (const [, d] of runs) expect(d.equals(outDef), "loopMap: every example gives the same output structure").toBe(true);
    const outs = probe.map((ex, j) => {
      const a = outAxis(j, ex.shape.length);
      if (a === null) {
        for (const [ls] of runs) expectClose(`loopMap: output ${j} has outAxes null but varies`, ls[j]!, ex, EXACT);
        return toDevice(ex);
      }
      return toDevice(stack(runs.map(([ls]) => ls[j]!), normAxis(a, ex.shape.length + 1), ex));
    });
    return unflatten(outDef, outs);
  };
}

export type Tolerance =
  | { readonly kind: "exact" }
  | { readonly kind: "ulps"; readonly ulps: number }
  /** |got - want| <= bound[i], per element. */
  | { readonly kind: "bound"; readonly bound: ArrayLike<number> }
  /** |got - want| <= rtol·(|want| + max|want|) + the dtype's smallest normal (floats), exact otherwise. */
  | { readonly kind: "rel"; readonly rtol: number };

export const EXACT: Tolerance = { kind: "exact" };
export const ulps = (n: number): Tolerance => ({ kind: "ulps", ulps: n });
export const rel = (rtol: number): Tolerance => ({ kind: "rel", rtol });

const fmt = (v: number): string => (Object.is(v, -0) ? "-0" : String(v));
export const show = (h: HostArray): string =>
  `${h.dtype}[${h.shape.join(",")}] [${Array.from(h.values.slice(0, 48), fmt).join(", ")}${h.values.length > 48 ? ", ..." : ""}]`;

/** Asserts `got` equals `want` in dtype, shape and values, under `tol`. */
export function expectClose(label: string, got: HostArray, want: HostArray, tol: Tolerance): void {
  const context = (): string => `${label}\n  got:  ${show(got)}\n  want: ${show(want)}`;
  expect(got.dtype, `dtype differs: ${context()}`).toBe(want.dtype);
  expect(got.shape, `shape differs: ${context()}`).toEqual(want.shape);
  const scale = tol.kind === "rel" ? Array.from(want.values).reduce((m, v) => (Number.isFinite(v) ? Math.max(m, Math.abs(v)) : m), 0) : 0;
  for (let i = 0; i < want.values.length; i++) {
    const g = got.values[i]!;
    const w = want.values[i]!;
    let ok: boolean;
    if (tol.kind === "exact" || !isFloat(want.dtype) || !Number.isFinite(g) || !Number.isFinite(w)) ok = sameBits(g, w);
    else if (tol.kind === "ulps") ok = ulpDistance(g, w, want.dtype) <= tol.ulps;
    else if (tol.kind === "bound") ok = Math.abs(g - w) <= tol.bound[i]!;
    else ok = Math.abs(g - w) <= tol.rtol * (Math.abs(w) + scale) + (want.dtype === "float64" ? 2 ** -1022 : 2 ** -126);
    if (!ok) throw new Error(`values differ at flat index ${i}: got ${fmt(g)}, want ${fmt(w)} (${tol.kind})\n${context()}`);
  }
}

/** expectClose over two pytrees of arrays of the same structure. */
export function expectTreeClose(label: string, got: unknown, want: unknown, tol: Tolerance): void {
  const [gl, gd] = flatten<NdArray>(got);
  const [wl, wd] = flatten<NdArray>(want);
  expect(String(gd), `${label}: output structure`).toBe(String(wd));
  wl.forEach((w, i) => expectClose(`${label}, leaf ${i}`, toHost(gl[i]!), toHost(w), tol));
}

/** Scales every property's numRuns: `VMAP_RUNS=10 npx vitest run test/transforms/vmap` searches harder. */
export const runs = (n: number): number => Math.max(1, Math.round(n * Number(process.env.VMAP_RUNS ?? 1)));

// --- arbitraries for batch sizes and axes ------------------------------------------------

/** Batch sizes: 0 sometimes, 1 often, else 2-4. */
export const batchSizeArb: fc.Arbitrary<number> = fc.oneof(
  { arbitrary: fc.constant(0), weight: 1 },
  { arbitrary: fc.constant(1), weight: 2 },
  { arbitrary: fc.integer({ min: 2, max: 4 }), weight: 5 },
);

/** The batch axis of an operand of (unbatched) rank `rank`: null, 0, 1, -1, or any valid axis. */
export const inAxisArb = (rank: number, allowNull = true): fc.Arbitrary<LeafAxis> =>
  fc.oneof(
    { arbitrary: fc.constant(allowNull ? null : 0), weight: 2 },
    { arbitrary: fc.constantFrom(0, Math.min(1, rank), -1), weight: 4 },
    { arbitrary: fc.integer({ min: -(rank + 1), max: rank }), weight: 3 },
  );

/** Folds any integer into the valid axis range [-(rank+1), rank] of a batched rank-`rank` value (0 ↦ 0, 1 ↦ 1 or -1, -1 ↦ -1). */
export const foldAxis = (pick: number, rank: number): number => {
  const m = 2 * rank + 2;
  return ((((pick + rank + 1) % m) + m) % m) - (rank + 1);
};

/** The shape of a batch of `n` values of shape `shape` stacked at `axis` (null: unbatched). */
export const batchedShape = (shape: Shape, axis: LeafAxis, n: number): number[] =>
  axis === null ? [...shape] : insertAxis(shape, normAxis(axis, shape.length + 1), n);
