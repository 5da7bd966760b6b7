/** Shapes, strides, axes and numpy broadcasting. */
import { ArgumentError, ConcretizationError, ShapeError } from "./errors.js";

export type Shape = readonly number[];

export const shapeSize = (shape: Shape): number => shape.reduce((a, b) => a * b, 1);

/** The multi-index of row-major flat position `flat` in `shape` (numpy's unravel_index). */
export function unravelIndex(flat: number, shape: Shape): number[] {
  const idx = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    idx[d] = flat % shape[d]!;
    flat = Math.floor(flat / shape[d]!);
  }
  return idx;
}

export const shapeEqual = (a: Shape, b: Shape): boolean =>
  a.length === b.length && a.every((d, i) => d === b[i]);

export const fmtShape = (shape: Shape): string => `[${shape.join(",")}]`;

/** Row-major (C order) strides, in elements. */
export function contiguousStrides(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i]!;
  }
  return strides;
}

/** The type of an array value (anything with an aval, traced or not), or undefined for other values. */
function arrayType(v: unknown): string | undefined {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return undefined;
  const aval = (v as { aval?: { strShort?: () => string } }).aval;
  return aval?.strShort?.();
}

/** A static argument for messages: numbers as they are, arrays as their type (e.g. `array i32[]`). */
function showStatic(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(showStatic).join(", ")}]`;
  const t = arrayType(v);
  return t !== undefined ? `array ${t}` : typeof v === "object" && v !== null ? JSON.stringify(v) : String(v);
}

/**
 * Shapes, axes and counts are static (JAX's rule): a traced value where one is expected
 * cannot be turned into a number, so it is an error naming the op, the argument and the fix.
 * `value` is a number, an array of them (nested lists allowed), or, wrongly, an array value
 * (ConcretizationError) or another object (ArgumentError).
 */
export function checkStatic(value: unknown, op: string, what = "size"): void {
  const flat = Array.isArray(value) ? (value as unknown[]).flat(2) : [value];
  const bad = flat.find((d) => typeof d === "object" && d !== null);
  if (bad === undefined) return;
  if (arrayType(bad) === undefined) throw new ArgumentError(`${op}: expected a number for the ${what}, got ${showStatic(value)}.`);
  throw new ConcretizationError(
    `${op}: got an array where a static ${what} was expected (${what} ${showStatic(value)}); shapes, axes and counts must be known while tracing. ` +
      `Under jit, pass it as a static argument (jit(f, { staticArgnums: [...] })) or derive it from x.shape of an input.`,
  );
}

/** Shapes are static: a traced value where a size is expected cannot be turned into a number. */
export const checkStaticSizes = (values: readonly unknown[], op: string): void => checkStatic(values, op, "size");

export function checkShape(shape: unknown, op: string): Shape {
  if (globalThis.Array.isArray(shape)) checkStaticSizes(shape, op);
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new ShapeError(
      `${op}: shape must be an array of non-negative integers, got ${JSON.stringify(shape)}.`,
    );
  }
  return shape as Shape;
}

/** numpy broadcasting of several shapes; throws naming the op and every shape. */
export function broadcastShapes(op: string, ...shapes: Shape[]): number[] {
  const rank = Math.max(0, ...shapes.map((s) => s.length));
  const out = new Array<number>(rank).fill(1);
  for (const s of shapes) {
    for (let i = 0; i < s.length; i++) {
      const j = rank - s.length + i;
      const d = s[i]!;
      const o = out[j]!;
      if (o === 1) out[j] = d;
      else if (d !== 1 && d !== o) {
        throw new ShapeError(
          `${op}: shapes ${shapes.map(fmtShape).join(", ")} cannot be broadcast together ` +
            `(axis ${j - rank} has sizes ${o} and ${d}); reshape or expandDims so that ` +
            `each axis matches or is 1.`,
        );
      }
    }
  }
  return out;
}

/**
 * Normalises a possibly negative axis for an array of the given shape (or, where only
 * the rank is known, such as a result's new axis, of rank `ndim`).
 */
export function normalizeAxis(axis: number, shapeOrNdim: Shape | number, op: string): number {
  const ndim = typeof shapeOrNdim === "number" ? shapeOrNdim : shapeOrNdim.length;
  if (typeof axis !== "number") checkStatic(axis, op, "axis");
  if (!Number.isInteger(axis) || axis < -ndim || axis >= ndim) {
    const what = typeof shapeOrNdim === "number" ? `rank ${ndim}` : `shape ${fmtShape(shapeOrNdim)} (rank ${ndim})`;
    throw new ArgumentError(`${op}: axis ${axis} is out of range for an array of ${what}; use an integer in [${-ndim}, ${ndim - 1}].`);
  }
  return axis < 0 ? axis + ndim : axis;
}

/** Normalises `axis` options (undefined = all axes, number, or list) to sorted unique axes. */
export function normalizeAxes(
  axis: number | readonly number[] | null | undefined,
  shapeOrNdim: Shape | number,
  op: string,
): number[] {
  const ndim = typeof shapeOrNdim === "number" ? shapeOrNdim : shapeOrNdim.length;
  if (axis === undefined || axis === null) return Array.from({ length: ndim }, (_, i) => i);
  checkStatic(axis, op, "axis");
  const list = typeof axis === "number" ? [axis] : [...axis];
  const out = list.map((a) => normalizeAxis(a, shapeOrNdim, op));
  if (new Set(out).size !== out.length) {
    throw new ArgumentError(`${op}: repeated axis in ${JSON.stringify(list)}; list each axis once.`);
  }
  return out.sort((a, b) => a - b);
}

export const isPermutation = (perm: readonly number[], n: number): boolean =>
  perm.length === n && new Set(perm).size === n && perm.every((p) => Number.isInteger(p) && p >= 0 && p < n);
