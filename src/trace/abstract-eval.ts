/**
 * Abstract evaluation: the output avals of each primitive from its input avals and
 * params, with the checks that make bad input fail before any kernel runs. The
 * table is exhaustive over `Prim`. Rules follow JAX's `*_shape_rule`/`*_dtype_rule`
 * in jax/_src/lax: elementwise ops need equal shapes and dtypes (broadcasting and
 * promotion happen above, in the numpy layer), weak type survives only if every
 * operand is weak.
 */
import {
  type DType,
  DTypeError,
  ShapedArray,
  ShapeError,
  ArgumentError,
  isFloat,
  isPermutation,
  shapeEqual,
  shapeSize,
  fmtShape,
} from "../core/index.js";
import { gatherGeometry, modeCheck, scatterGeometry } from "./gather-geometry.js";
import { convShape, reduceWindowShape } from "./conv-shape.js";
import { type CumulativeParams, Prim, type PrimParams, type ReduceWindowParams, type SortParams } from "./prim.js";

export type AbstractEvalRule<P extends Prim> = (
  inAvals: readonly ShapedArray[],
  params: PrimParams<P>,
) => ShapedArray[];

const desc = (a: ShapedArray): string => a.strShort();

function arity(op: string, avals: readonly ShapedArray[], n: number): void {
  if (avals.length !== n) {
    throw new ArgumentError(`${op}: expected ${n} operand(s), got ${avals.length}.`);
  }
}

type DTypeClass = "float" | "number" | "any" | "int" | "intOrBool";
const isInt = (d: DType): boolean => d === "int32" || d === "uint32";
const ACCEPTS: Record<DTypeClass, (d: DType) => boolean> = {
  float: isFloat,
  number: (d) => d !== "bool",
  int: isInt,
  intOrBool: (d) => isInt(d) || d === "bool",
  any: () => true,
};
const CLASS_HINT: Record<DTypeClass, string> = {
  float: "a floating dtype (float32 or float64); cast with .astype('float32')",
  number: "a numeric dtype (not bool); cast with .astype('float32') or .astype('int32')",
  int: "an integer dtype (int32 or uint32); cast with .astype('int32')",
  intOrBool: "an integer or bool dtype (int32, uint32 or bool); cast with .astype('int32'), or compare floats first",
  any: "any dtype",
};

function checkClass(op: string, a: ShapedArray, cls: DTypeClass): void {
  if (!ACCEPTS[cls](a.dtype)) {
    throw new DTypeError(`${op}: got an operand of type ${desc(a)}, but ${op} needs ${CLASS_HINT[cls]}.`);
  }
}

const unary =
  (op: string, cls: DTypeClass) =>
  (avals: readonly ShapedArray[]): ShapedArray[] => {
    arity(op, avals, 1);
    checkClass(op, avals[0]!, cls);
    return [avals[0]!];
  };

/**
 * Elementwise operands agree in dtype, and in shape up to broadcasting as current
 * JAX's lax allows it: rank-0 operands broadcast implicitly (`mul b 2.0:f32[]`), and
 * operands of equal rank broadcast their size-1 axes (`add d:f32[4,16] e:f32[1,16]`).
 * Returns the common shape.
 */
function elementwiseShape(op: string, avals: readonly ShapedArray[]): number[] {
  const shaped = avals.filter((a) => a.ndim > 0);
  const rank = shaped[0]?.ndim ?? 0;
  const out = new globalThis.Array<number>(rank).fill(1);
  const fail = (): never => {
    throw new ShapeError(
      `${op}: operands must have equal shapes up to size-1 axes (or be scalars), got ${avals.map(desc).join(", ")}; ` +
        `use the numpy-level function (np.${op}) to broadcast, or broadcastTo first.`,
    );
  };
  for (const a of shaped) {
    if (a.ndim !== rank) fail();
    a.shape.forEach((d, i) => {
      if (d === out[i] || d === 1) return;
      if (out[i] === 1) out[i] = d;
      else fail();
    });
  }
  for (const b of avals) {
    if (b.dtype !== avals[0]!.dtype) {
      throw new DTypeError(
        `${op}: operands must have equal dtypes, got ${avals.map(desc).join(", ")}; ` +
          `use the numpy-level function (np.${op}) to promote, or cast with .astype().`,
      );
    }
  }
  return out;
}

const binary =
  (op: string, cls: DTypeClass, out?: DType) =>
  (avals: readonly ShapedArray[]): ShapedArray[] => {
    arity(op, avals, 2);
    const [a, b] = avals as [ShapedArray, ShapedArray];
    // The common cases without elementwiseShape's general walk: equal dtypes, and equal
    // shapes or a rank-0 operand; the result has the shape of `big`.
    const big =
      a.dtype !== b.dtype ? null : b.ndim === 0 ? a : a.ndim === 0 ? b : a.shape === b.shape || shapeEqual(a.shape, b.shape) ? a : null;
    if (big) {
      checkClass(op, a, cls);
      const weak = a.weakType && b.weakType;
      if (out === undefined && weak === big.weakType) return [big]; // avals are immutable: share it
      return [new ShapedArray(big.shape, out ?? a.dtype, out ? false : weak)];
    }
    const shape = elementwiseShape(op, avals);
    checkClass(op, avals[0]!, cls);
    const weak = avals.every((a) => a.weakType);
    return [new ShapedArray(shape, out ?? avals[0]!.dtype, out ? false : weak)];
  };

function checkAxes(op: string, a: ShapedArray, axes: readonly number[]): void {
  for (const ax of axes) {
    if (!Number.isInteger(ax) || ax < 0 || ax >= a.ndim) {
      throw new ArgumentError(
        `${op}: axis ${ax} is out of range for operand ${desc(a)}; axes must lie in [0, ${a.ndim - 1}].`,
      );
    }
  }
  if (new Set(axes).size !== axes.length) {
    throw new ArgumentError(`${op}: repeated axes (${axes.join(", ")}); list each axis once.`);
  }
}

const reduce =
  (op: string, cls: DTypeClass) =>
  (avals: readonly ShapedArray[], p: { readonly axes: readonly number[] }): ShapedArray[] => {
    arity(op, avals, 1);
    const a = avals[0]!;
    checkClass(op, a, cls);
    checkAxes(op, a, p.axes);
    return [a.update({ shape: a.shape.filter((_, i) => !p.axes.includes(i)) })];
  };

const argReduce =
  (op: string) =>
  (avals: readonly ShapedArray[], p: PrimParams<Prim.Argmax>): ShapedArray[] => {
    arity(op, avals, 1);
    const a = avals[0]!;
    checkAxes(op, a, p.axes);
    if (p.axes.length !== 1) {
      throw new ArgumentError(`${op}: exactly one axis is reduced, got axes (${p.axes.join(", ")}).`);
    }
    if (a.shape[p.axes[0]!] === 0) {
      throw new ShapeError(
        `${op}: cannot reduce axis ${p.axes[0]} of ${desc(a)}, which has size 0; an empty axis has no ${op}.`,
      );
    }
    if (p.indexDtype !== "int32" && p.indexDtype !== "uint32") {
      throw new DTypeError(`${op}: indexDtype must be int32 or uint32, got ${p.indexDtype}.`);
    }
    return [new ShapedArray(a.shape.filter((_, i) => i !== p.axes[0]), p.indexDtype)];
  };

function dotGeneral(avals: readonly ShapedArray[], p: PrimParams<Prim.DotGeneral>): ShapedArray[] {
  const op = "dot_general";
  arity(op, avals, 2);
  const [lhs, rhs] = avals as [ShapedArray, ShapedArray];
  const [[lc, rc], [lb, rb]] = p.dimensionNumbers;
  checkAxes(op, lhs, [...lc, ...lb]);
  checkAxes(op, rhs, [...rc, ...rb]);
  const pairs = (what: string, l: readonly number[], r: readonly number[]): void => {
    if (l.length !== r.length) {
      throw new ShapeError(`${op}: ${what} dimensions must pair up, got lhs (${l.join(", ")}) and rhs (${r.join(", ")}).`);
    }
    l.forEach((d, i) => {
      if (lhs.shape[d] !== rhs.shape[r[i]!]) {
        throw new ShapeError(
          `${op}: ${what} dimension ${d} of lhs ${desc(lhs)} has size ${lhs.shape[d]} but dimension ` +
            `${r[i]} of rhs ${desc(rhs)} has size ${rhs.shape[r[i]!]}; for a matmul the inner sizes must match.`,
        );
      }
    });
  };
  pairs("contracting", lc, rc);
  pairs("batch", lb, rb);
  if (lhs.dtype !== rhs.dtype) {
    throw new DTypeError(`${op}: operands must have equal dtypes, got ${desc(lhs)} and ${desc(rhs)}; cast with .astype().`);
  }
  checkClass(op, lhs, "number");
  const free = (a: ShapedArray, c: readonly number[], b: readonly number[]): number[] =>
    a.shape.filter((_, i) => !c.includes(i) && !b.includes(i));
  const shape = [...lb.map((d) => lhs.shape[d]!), ...free(lhs, lc, lb), ...free(rhs, rc, rb)];
  return [new ShapedArray(shape, p.preferredElementType ?? lhs.dtype, lhs.weakType && rhs.weakType)];
}

function broadcastInDim(avals: readonly ShapedArray[], p: PrimParams<Prim.BroadcastInDim>): ShapedArray[] {
  const op = "broadcast_in_dim";
  arity(op, avals, 1);
  const a = avals[0]!;
  const dims = p.broadcastDimensions;
  const ok =
    dims.length === a.ndim &&
    dims.every((d, i) => Number.isInteger(d) && d >= 0 && d < p.shape.length && (i === 0 || d > dims[i - 1]!)) &&
    dims.every((d, i) => a.shape[i] === 1 || a.shape[i] === p.shape[d]);
  if (!ok) {
    throw new ShapeError(
      `${op}: cannot broadcast ${desc(a)} to shape ${fmtShape(p.shape)} with broadcast_dimensions ` +
        `(${dims.join(", ")}); each operand axis must map, in increasing order, to an output axis of equal size or come from size 1.`,
    );
  }
  return [a.update({ shape: [...p.shape] })];
}

function reshape(avals: readonly ShapedArray[], p: PrimParams<Prim.Reshape>): ShapedArray[] {
  arity("reshape", avals, 1);
  const a = avals[0]!;
  if (!p.newSizes.every((d) => Number.isInteger(d) && d >= 0) || shapeSize(p.newSizes) !== a.size) {
    throw new ShapeError(
      `reshape: cannot reshape ${desc(a)} (${a.size} elements) to ${fmtShape(p.newSizes)} ` +
        `(${shapeSize(p.newSizes)} elements); the sizes must multiply to the same total.`,
    );
  }
  return [a.update({ shape: [...p.newSizes] })];
}

function transpose(avals: readonly ShapedArray[], p: PrimParams<Prim.Transpose>): ShapedArray[] {
  arity("transpose", avals, 1);
  const a = avals[0]!;
  if (!isPermutation(p.permutation, a.ndim)) {
    throw new ArgumentError(
      `transpose: permutation (${p.permutation.join(", ")}) is not a permutation of the ${a.ndim} axes of ${desc(a)}.`,
    );
  }
  return [a.update({ shape: p.permutation.map((i) => a.shape[i]!) })];
}

function squeeze(avals: readonly ShapedArray[], p: PrimParams<Prim.Squeeze>): ShapedArray[] {
  arity("squeeze", avals, 1);
  const a = avals[0]!;
  checkAxes("squeeze", a, p.dimensions);
  for (const d of p.dimensions) {
    if (a.shape[d] !== 1) {
      throw new ShapeError(`squeeze: axis ${d} of ${desc(a)} has size ${a.shape[d]}, not 1; only size-1 axes can be squeezed.`);
    }
  }
  return [a.update({ shape: a.shape.filter((_, i) => !p.dimensions.includes(i)) })];
}

function slice(avals: readonly ShapedArray[], p: PrimParams<Prim.Slice>): ShapedArray[] {
  arity("slice", avals, 1);
  const a = avals[0]!;
  const { startIndices: s, limitIndices: l } = p;
  const st = p.strides ?? a.shape.map(() => 1);
  const ok =
    s.length === a.ndim && l.length === a.ndim && st.length === a.ndim &&
    a.shape.every((d, i) => 0 <= s[i]! && s[i]! <= l[i]! && l[i]! <= d && st[i]! >= 1);
  if (!ok) {
    throw new ShapeError(
      `slice: start_indices (${s.join(", ")}), limit_indices (${l.join(", ")}) and strides (${st.join(", ")}) ` +
        `do not fit ${desc(a)}; need 0 <= start <= limit <= size and stride >= 1 on every axis.`,
    );
  }
  return [a.update({ shape: a.shape.map((_, i) => Math.ceil((l[i]! - s[i]!) / st[i]!)) })];
}

function concatenate(avals: readonly ShapedArray[], p: PrimParams<Prim.Concatenate>): ShapedArray[] {
  const op = "concatenate";
  if (avals.length === 0) throw new ArgumentError(`${op}: needs at least one operand.`);
  const a = avals[0]!;
  const d = p.dimension;
  if (!Number.isInteger(d) || d < 0 || d >= a.ndim) {
    throw new ArgumentError(`${op}: dimension ${d} is out of range for operands of rank ${a.ndim}.`);
  }
  for (const b of avals) {
    const same = b.ndim === a.ndim && b.shape.every((s, i) => i === d || s === a.shape[i]);
    if (!same) {
      throw new ShapeError(
        `${op}: operands ${avals.map(desc).join(", ")} must agree on every axis except dimension ${d}.`,
      );
    }
    if (b.dtype !== a.dtype) {
      throw new DTypeError(`${op}: operands must have equal dtypes, got ${avals.map(desc).join(", ")}; cast with .astype().`);
    }
  }
  const shape = [...a.shape];
  shape[d] = avals.reduce((n, b) => n + b.shape[d]!, 0);
  return [new ShapedArray(shape, a.dtype, avals.every((b) => b.weakType))];
}

function rev(avals: readonly ShapedArray[], p: PrimParams<Prim.Rev>): ShapedArray[] {
  arity("rev", avals, 1);
  checkAxes("rev", avals[0]!, p.dimensions);
  return [avals[0]!];
}

/**
 * The start indices of dynamic_slice / dynamic_update_slice: one rank-0 integer
 * operand per axis of `a`, all of one dtype (JAX's _dynamic_slice_indices check).
 */
function checkStartIndices(op: string, a: ShapedArray, indices: readonly ShapedArray[]): void {
  if (indices.length !== a.ndim) {
    throw new ArgumentError(
      `${op}: got ${indices.length} start indices for operand ${desc(a)} of rank ${a.ndim}; pass one scalar index per axis.`,
    );
  }
  for (const i of indices) {
    if (i.ndim !== 0 || !ACCEPTS.int(i.dtype) || i.dtype !== indices[0]!.dtype) {
      throw new DTypeError(
        `${op}: start indices must be scalars of one integer dtype (int32 or uint32), got ${indices.map(desc).join(", ")}; ` +
          `cast them with .astype('int32').`,
      );
    }
  }
}

function dynamicSlice(avals: readonly ShapedArray[], p: PrimParams<Prim.DynamicSlice>): ShapedArray[] {
  const op = "dynamic_slice";
  if (avals.length === 0) throw new ArgumentError(`${op}: needs an operand and its start indices.`);
  const [a, ...indices] = avals as [ShapedArray, ...ShapedArray[]];
  checkStartIndices(op, a, indices);
  const sizes = p.sliceSizes;
  if (sizes.length !== a.ndim || !sizes.every((s, i) => Number.isInteger(s) && s >= 0 && s <= a.shape[i]!)) {
    throw new ShapeError(
      `${op}: slice_sizes (${sizes.join(", ")}) do not fit operand ${desc(a)}; need one size per axis with 0 <= size <= the axis length.`,
    );
  }
  return [a.update({ shape: [...sizes] })];
}

function dynamicUpdateSlice(avals: readonly ShapedArray[]): ShapedArray[] {
  const op = "dynamic_update_slice";
  if (avals.length < 2) throw new ArgumentError(`${op}: needs an operand, an update and the start indices.`);
  const [a, u, ...indices] = avals as [ShapedArray, ShapedArray, ...ShapedArray[]];
  if (u.ndim !== a.ndim || !u.shape.every((d, i) => d <= a.shape[i]!)) {
    throw new ShapeError(
      `${op}: update ${desc(u)} must have the operand's rank and fit inside operand ${desc(a)} on every axis.`,
    );
  }
  if (u.dtype !== a.dtype) {
    throw new DTypeError(`${op}: update ${desc(u)} and operand ${desc(a)} must have equal dtypes; cast with .astype().`);
  }
  checkStartIndices(op, a, indices);
  return [a];
}

function gather(avals: readonly ShapedArray[], p: PrimParams<Prim.Gather>): ShapedArray[] {
  arity("gather", avals, 2);
  const [a, idx] = avals as [ShapedArray, ShapedArray];
  modeCheck("gather", p.mode);
  const g = gatherGeometry(a.shape, idx.shape, idx.dtype, p.dimensionNumbers, p.sliceSizes);
  return [a.update({ shape: [...g.otherShape] })];
}

const scatter =
  (op: string, cls: DTypeClass) =>
  (avals: readonly ShapedArray[], p: PrimParams<Prim.ScatterAdd>): ShapedArray[] => {
    arity(op, avals, 3);
    const [a, idx, u] = avals as [ShapedArray, ShapedArray, ShapedArray];
    modeCheck(op, p.mode);
    checkClass(op, a, cls);
    if (u.dtype !== a.dtype) {
      throw new DTypeError(`${op}: updates ${desc(u)} and operand ${desc(a)} must have equal dtypes; cast with .astype().`);
    }
    scatterGeometry(op, a.shape, idx.shape, idx.dtype, u.shape, p.dimensionNumbers);
    return [a];
  };

function selectN(avals: readonly ShapedArray[]): ShapedArray[] {
  const op = "select_n";
  if (avals.length < 2) throw new ArgumentError(`${op}: needs a predicate and at least one case.`);
  const [pred, ...cases] = avals as [ShapedArray, ...ShapedArray[]];
  const shape = elementwiseShape(op, cases);
  const c = new ShapedArray(shape, cases[0]!.dtype);
  if (pred.dtype === "bool" ? cases.length > 2 : pred.dtype !== "int32") {
    throw new DTypeError(
      `${op}: predicate ${desc(pred)} must be bool (with at most 2 cases) or int32, got ${cases.length} cases.`,
    );
  }
  if (pred.ndim !== 0 && !shapeEqual(pred.shape, c.shape)) {
    throw new ShapeError(`${op}: predicate ${desc(pred)} must be a scalar or have the cases' shape ${desc(c)}.`);
  }
  return [new ShapedArray(c.shape, c.dtype, cases.every((x) => x.weakType))];
}

/**
 * Linear algebra operands: rank >= 2, float32/float64, the trailing two axes a matrix
 * (square where the decomposition needs it). Returns [batch shape, rows, cols].
 */
function matrixOperand(op: string, a: ShapedArray, square: boolean): [number[], number, number] {
  if (a.ndim < 2) {
    throw new ShapeError(
      `${op}: needs a matrix (or a batch of them) in the last two axes, got ${desc(a)} of rank ${a.ndim}; reshape to [..., m, n].`,
    );
  }
  checkClass(op, a, "float");
  const [m, n] = a.shape.slice(-2) as [number, number];
  if (square && m !== n) {
    throw new ShapeError(`${op}: needs square matrices in the last two axes, got ${desc(a)} (${m}x${n}).`);
  }
  return [a.shape.slice(0, -2), m, n];
}

function triangularSolve(avals: readonly ShapedArray[], p: PrimParams<Prim.TriangularSolve>): ShapedArray[] {
  const op = "triangular_solve";
  arity(op, avals, 2);
  const [a, b] = avals as [ShapedArray, ShapedArray];
  const [aBatch, n] = matrixOperand(op, a, true);
  const [bBatch, m, k] = matrixOperand(op, b, false);
  if (a.dtype !== b.dtype) {
    throw new DTypeError(`${op}: a and b must have equal dtypes, got ${desc(a)} and ${desc(b)}; cast with .astype().`);
  }
  if (!shapeEqual(aBatch, bBatch)) {
    throw new ShapeError(`${op}: a ${desc(a)} and b ${desc(b)} must have equal batch axes; broadcast them first.`);
  }
  const solved = p.leftSide ? m : k;
  if (solved !== n) {
    throw new ShapeError(
      `${op}: with left_side=${p.leftSide ? "True" : "False"} the ${p.leftSide ? "rows" : "columns"} of b ${desc(b)} ` +
        `(${solved}) must match the order of a ${desc(a)} (${n}).`,
    );
  }
  return [new ShapedArray(b.shape, b.dtype, a.weakType && b.weakType)];
}

function lu(avals: readonly ShapedArray[]): ShapedArray[] {
  arity("lu", avals, 1);
  const a = avals[0]!;
  const [batch, m, n] = matrixOperand("lu", a, false);
  return [a.update({ weakType: false }), new ShapedArray([...batch, Math.min(m, n)], "int32"), new ShapedArray([...batch, m], "int32")];
}

function qr(avals: readonly ShapedArray[], p: PrimParams<Prim.Qr>): ShapedArray[] {
  arity("qr", avals, 1);
  const a = avals[0]!;
  const [batch, m, n] = matrixOperand("qr", a, false);
  if (p.pivoting) throw new ArgumentError("qr: pivoting=True is not implemented; use pivoting=False.");
  const k = p.fullMatrices ? m : Math.min(m, n);
  return [new ShapedArray([...batch, m, k], a.dtype), new ShapedArray([...batch, k, n], a.dtype)];
}

function eigh(avals: readonly ShapedArray[]): ShapedArray[] {
  arity("eigh", avals, 1);
  const a = avals[0]!;
  const [batch, n] = matrixOperand("eigh", a, true);
  return [new ShapedArray(a.shape, a.dtype), new ShapedArray([...batch, n], a.dtype)];
}

function svd(avals: readonly ShapedArray[], p: PrimParams<Prim.Svd>): ShapedArray[] {
  arity("svd", avals, 1);
  const a = avals[0]!;
  const [batch, m, n] = matrixOperand("svd", a, false);
  const k = Math.min(m, n);
  const s = new ShapedArray([...batch, k], a.dtype);
  if (!p.computeUv) return [s];
  const [ku, kv] = p.fullMatrices ? [m, n] : [k, k];
  return [s, new ShapedArray([...batch, m, ku], a.dtype), new ShapedArray([...batch, kv, n], a.dtype)];
}
const reduceWindow =
  (op: string, cls: DTypeClass) =>
  (avals: readonly ShapedArray[], p: ReduceWindowParams): ShapedArray[] => {
    arity(op, avals, 1);
    checkClass(op, avals[0]!, cls);
    return [reduceWindowShape(op, avals[0]!, p)];
  };

/** cumsum / cumprod / cummax / cummin: same shape and dtype; `axis` must name an axis (JAX's _cumulative_shape_rule). */
const cumulative =
  (op: string, cls: DTypeClass) =>
  (avals: readonly ShapedArray[], p: CumulativeParams): ShapedArray[] => {
    arity(op, avals, 1);
    const a = avals[0]!;
    checkClass(op, a, cls);
    if (!Number.isInteger(p.axis) || p.axis < 0 || p.axis >= a.ndim) {
      throw new ArgumentError(
        `${op}: axis ${p.axis} is out of range for ${desc(a)}; pass an axis in [0, ${a.ndim}) (negative axes are normalized by lax.${op}).`,
      );
    }
    return [a];
  };

/**
 * sort: one or more operands of one shape (any dtypes), each output typed like its
 * operand; `dimension` names an axis and `numKeys` is in [1, operands] (JAX's
 * _sort_abstract_eval).
 */
function sort(avals: readonly ShapedArray[], p: SortParams): ShapedArray[] {
  if (avals.length === 0) throw new ArgumentError("sort: expected at least one operand, got none; pass the array(s) to sort.");
  const a = avals[0]!;
  if (avals.some((b) => !shapeEqual(b.shape, a.shape))) {
    throw new ShapeError(
      `sort: operands ${avals.map(desc).join(", ")} differ in shape; every operand of sort must have one shape (broadcast them first).`,
    );
  }
  if (!Number.isInteger(p.numKeys) || p.numKeys < 1 || p.numKeys > avals.length) {
    throw new ArgumentError(
      `sort: numKeys ${p.numKeys} does not fit ${avals.length} operand(s); pass numKeys in [1, ${avals.length}] (the first numKeys operands are the keys).`,
    );
  }
  if (!Number.isInteger(p.dimension) || p.dimension < 0 || p.dimension >= a.ndim) {
    const fix = a.ndim === 0 ? "reshape it to rank 1 first" : `pass a dimension in [0, ${a.ndim}) (negative ones are normalized by lax.sort)`;
    throw new ArgumentError(`sort: dimension ${p.dimension} is out of range for ${desc(a)}; ${fix}.`);
  }
  return [...avals];
}

/** Operands must fit the input types of the jaxpr a higher-order primitive applies. */
function callJaxpr(op: string, avals: readonly ShapedArray[], inAvals: readonly ShapedArray[], outAvals: readonly ShapedArray[]): ShapedArray[] {
  if (avals.length !== inAvals.length || avals.some((a, i) => !a.compatible(inAvals[i]!))) {
    throw new ArgumentError(
      `${op}: operands ${avals.map(desc).join(", ") || "(none)"} do not match the jaxpr's inputs ${inAvals.map(desc).join(", ") || "(none)"}.`,
    );
  }
  return [...outAvals];
}

export const abstractEvalRules: { [P in Prim]: AbstractEvalRule<P> } = {
  [Prim.Neg]: unary("neg", "number"),
  [Prim.Exp]: unary("exp", "float"),
  [Prim.Log]: unary("log", "float"),
  [Prim.Sin]: unary("sin", "float"),
  [Prim.Cos]: unary("cos", "float"),
  [Prim.Tanh]: unary("tanh", "float"),
  [Prim.Sqrt]: unary("sqrt", "float"),
  [Prim.Logistic]: unary("logistic", "float"),
  [Prim.Abs]: unary("abs", "number"),
  [Prim.Sign]: unary("sign", "number"),
  [Prim.IntegerPow]: (avals, p) => {
    const [a] = unary("integer_pow", "number")(avals) as [ShapedArray];
    if (!Number.isInteger(p.y) || (!isFloat(a.dtype) && p.y < 0)) {
      throw new ArgumentError(
        `integer_pow: exponent ${p.y} is not allowed for ${desc(a)}; use an integer (non-negative for integer dtypes).`,
      );
    }
    return [a];
  },
  [Prim.ConvertElementType]: (avals, p) => {
    arity("convert_element_type", avals, 1);
    return [avals[0]!.update({ dtype: p.newDtype, weakType: p.weakType })];
  },
  [Prim.Add]: binary("add", "number"),
  [Prim.Sub]: binary("sub", "number"),
  [Prim.Mul]: binary("mul", "number"),
  [Prim.Div]: binary("div", "number"),
  [Prim.Max]: binary("max", "any"),
  [Prim.Min]: binary("min", "any"),
  [Prim.Pow]: binary("pow", "float"),
  [Prim.Eq]: binary("eq", "any", "bool"),
  [Prim.Ne]: binary("ne", "any", "bool"),
  [Prim.Lt]: binary("lt", "any", "bool"),
  [Prim.Le]: binary("le", "any", "bool"),
  [Prim.Gt]: binary("gt", "any", "bool"),
  [Prim.Ge]: binary("ge", "any", "bool"),
  [Prim.SelectN]: selectN,
  [Prim.ReduceSum]: reduce("reduce_sum", "number"),
  [Prim.ReduceMax]: reduce("reduce_max", "any"),
  [Prim.ReduceMin]: reduce("reduce_min", "any"),
  [Prim.ReduceProd]: reduce("reduce_prod", "number"),
  [Prim.Argmax]: argReduce("argmax"),
  [Prim.Argmin]: argReduce("argmin"),
  [Prim.BroadcastInDim]: broadcastInDim,
  [Prim.Reshape]: reshape,
  [Prim.Transpose]: transpose,
  [Prim.Squeeze]: squeeze,
  [Prim.Slice]: slice,
  [Prim.Concatenate]: concatenate,
  [Prim.Rev]: rev,
  [Prim.DynamicSlice]: dynamicSlice,
  [Prim.DynamicUpdateSlice]: dynamicUpdateSlice,
  [Prim.Gather]: gather,
  [Prim.Scatter]: scatter("scatter", "any"),
  [Prim.ScatterAdd]: scatter("scatter-add", "number"),
  [Prim.ScatterMul]: scatter("scatter-mul", "number"),
  [Prim.ScatterMin]: scatter("scatter-min", "any"),
  [Prim.ScatterMax]: scatter("scatter-max", "any"),
  [Prim.DotGeneral]: dotGeneral,
  [Prim.Iota]: (avals, p) => {
    arity("iota", avals, 0);
    if (!Number.isInteger(p.dimension) || p.dimension < 0 || p.dimension >= p.shape.length) {
      throw new ArgumentError(`iota: dimension ${p.dimension} is out of range for shape ${fmtShape(p.shape)}.`);
    }
    return [new ShapedArray([...p.shape], p.dtype)];
  },
  [Prim.ConvGeneralDilated]: convShape,
  [Prim.ReduceWindowSum]: reduceWindow("reduce_window_sum", "number"),
  [Prim.ReduceWindowMax]: reduceWindow("reduce_window_max", "number"),
  [Prim.ReduceWindowMin]: reduceWindow("reduce_window_min", "number"),
  [Prim.StopGradient]: unary("stop_gradient", "any"),
  [Prim.Cholesky]: (avals) => {
    arity("cholesky", avals, 1);
    matrixOperand("cholesky", avals[0]!, true);
    return [avals[0]!.update({ weakType: false })];
  },
  [Prim.TriangularSolve]: triangularSolve,
  [Prim.Lu]: lu,
  [Prim.Qr]: qr,
  [Prim.Eigh]: eigh,
  [Prim.Svd]: svd,
  [Prim.CustomJvpCall]: (avals, p) => callJaxpr("custom_jvp_call", avals, p.callJaxpr.inAvals, p.callJaxpr.outAvals),
  [Prim.CustomVjpCall]: (avals, p) => callJaxpr("custom_vjp_call", avals, p.callJaxpr.inAvals, p.callJaxpr.outAvals),
  [Prim.CustomLin]: (avals, p) => {
    if (avals.length < p.numRes) throw new ArgumentError(`custom_lin: expected at least ${p.numRes} residual operands, got ${avals.length}.`);
    return [...p.outAvals];
  },
  [Prim.Checkpoint]: (avals, p) => callJaxpr("checkpoint", avals, p.jaxpr.inAvals, p.jaxpr.outAvals),
  // --- elementwise additions ---
  [Prim.Floor]: unary("floor", "float"),
  [Prim.Ceil]: unary("ceil", "float"),
  [Prim.Round]: (avals, p) => {
    const out = unary("round", "float")(avals);
    if (p.roundingMethod !== 0 && p.roundingMethod !== 1) {
      throw new ArgumentError(
        `round: rounding_method must be 0 (away from zero) or 1 (to nearest even), got ${String(p.roundingMethod)}.`,
      );
    }
    return out;
  },
  [Prim.IsFinite]: (avals) => {
    const [a] = unary("is_finite", "float")(avals) as [ShapedArray];
    return [new ShapedArray(a.shape, "bool")];
  },
  [Prim.Rem]: binary("rem", "number"),
  [Prim.And]: binary("and", "intOrBool"),
  [Prim.Or]: binary("or", "intOrBool"),
  [Prim.Xor]: binary("xor", "intOrBool"),
  [Prim.Not]: unary("not", "intOrBool"),
  [Prim.ShiftLeft]: binary("shift_left", "int"),
  [Prim.ShiftRightArithmetic]: binary("shift_right_arithmetic", "int"),
  [Prim.ShiftRightLogical]: binary("shift_right_logical", "int"),
  [Prim.PopulationCount]: unary("population_count", "int"),
  [Prim.Clz]: unary("clz", "int"),
  [Prim.Tan]: unary("tan", "float"),
  [Prim.Asin]: unary("asin", "float"),
  [Prim.Acos]: unary("acos", "float"),
  [Prim.Atan]: unary("atan", "float"),
  [Prim.Atan2]: binary("atan2", "float"),
  [Prim.Sinh]: unary("sinh", "float"),
  [Prim.Cosh]: unary("cosh", "float"),
  [Prim.Asinh]: unary("asinh", "float"),
  [Prim.Acosh]: unary("acosh", "float"),
  [Prim.Atanh]: unary("atanh", "float"),
  [Prim.Exp2]: unary("exp2", "float"),
  [Prim.Expm1]: unary("expm1", "float"),
  [Prim.Log1p]: unary("log1p", "float"),
  [Prim.Cbrt]: unary("cbrt", "float"),
  [Prim.Rsqrt]: unary("rsqrt", "float"),
  [Prim.Erf]: unary("erf", "float"),
  [Prim.Erfc]: unary("erfc", "float"),
  [Prim.ErfInv]: unary("erf_inv", "float"),
  [Prim.Lgamma]: unary("lgamma", "float"),
  [Prim.Digamma]: unary("digamma", "float"),
  [Prim.Cumsum]: cumulative("cumsum", "number"),
  [Prim.Cumprod]: cumulative("cumprod", "number"),
  [Prim.Cummax]: cumulative("cummax", "any"),
  [Prim.Cummin]: cumulative("cummin", "any"),
  [Prim.Sort]: sort,
};

export function abstractEval<P extends Prim>(
  prim: P,
  inAvals: readonly ShapedArray[],
  params: PrimParams<P>,
): ShapedArray[] {
  return (abstractEvalRules[prim] as AbstractEvalRule<P>)(inAvals, params);
}
