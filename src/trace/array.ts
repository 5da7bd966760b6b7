/**
 * The Array class: an immutable n-d array as user code sees it. Every value a user
 * function receives is an Array: concrete arrays (eager, backed by a backend buffer)
 * and the tracers of each transformation are subclasses. Methods are chainable and
 * never consume their inputs. This module must not import its subclasses' modules
 * (they extend Array when they load).
 */
import { ConcretizationError, type DType, type Shape, type ShapedArray, type TypedArray } from "../core/index.js";
import * as ops from "./array-ops.js";
import type { ArrayLike, AxisArg, AxisOrOptions, ReduceOptions } from "./array-ops.js";
import type { Trace } from "./trace.js";
import type { IndexItem } from "./index-items.js";
import { IndexedArray } from "./indexing.js";

/** A nested JS list of numbers or booleans, as `tolist()` returns. */
export type NestedList = number | boolean | NestedList[];

export abstract class Array {
  /** The shape, dtype and weak type this value is known to have. */
  abstract readonly aval: ShapedArray;
  /** The trace this value belongs to (the root trace for concrete arrays). */
  abstract readonly trace: Trace;

  get shape(): Shape {
    return this.aval.shape;
  }
  get dtype(): DType {
    return this.aval.dtype;
  }
  get weakType(): boolean {
    return this.aval.weakType;
  }
  get ndim(): number {
    return this.aval.ndim;
  }
  get size(): number {
    return this.aval.size;
  }

  // --- reading values: only concrete arrays have them ------------------------------

  protected concretizationError(method: string): ConcretizationError {
    return new ConcretizationError(
      `${method}: cannot read the values of a traced array ${this.aval.strShort()} inside ${this.trace.kind}; ` +
        `its value is not known while the function is being transformed. Keep the computation in ` +
        `array operations (e.g. np.where(cond, a, b) instead of an if on x.item()), or move the read ` +
        `outside the transformed function.`,
    );
  }
  /** The values as a row-major typed array (a copy). */
  dataSync(): TypedArray {
    throw this.concretizationError("dataSync()");
  }
  /** The values, asynchronously (works on every backend). */
  async data(): Promise<TypedArray> {
    return this.dataSync();
  }
  /** The single value of a size-1 array. */
  item(): number | boolean {
    throw this.concretizationError("item()");
  }
  /** The values as nested JS arrays. */
  tolist(): NestedList {
    throw this.concretizationError("tolist()");
  }
  /** numpy's str of the values; for traced arrays, `Traced<f32[3]>with<grad>`. */
  toString(): string {
    return `Traced<${this.aval.strShort()}>with<${this.trace.kind}>`;
  }
  /** The repr shown by console.log and util.inspect (JAX's `Array([...], dtype=float32)`). */
  repr(): string {
    return this.toString();
  }
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.repr();
  }
  [Symbol.for("Deno.customInspect")](): string {
    return this.repr();
  }

  /** Releases the array's buffer now (concrete arrays); a no-op for tracers. */
  dispose(): void {}
  [Symbol.dispose](): void {
    this.dispose();
  }

  // --- arithmetic -----------------------------------------------------------------
  add(y: ArrayLike): Array {
    return ops.add(this, y);
  }
  sub(y: ArrayLike): Array {
    return ops.sub(this, y);
  }
  mul(y: ArrayLike): Array {
    return ops.mul(this, y);
  }
  div(y: ArrayLike): Array {
    return ops.div(this, y);
  }
  pow(y: ArrayLike): Array {
    return ops.pow(this, y);
  }
  maximum(y: ArrayLike): Array {
    return ops.maximum(this, y);
  }
  minimum(y: ArrayLike): Array {
    return ops.minimum(this, y);
  }
  neg(): Array {
    return ops.neg(this);
  }
  abs(): Array {
    return ops.abs(this);
  }
  sign(): Array {
    return ops.sign(this);
  }
  exp(): Array {
    return ops.exp(this);
  }
  log(): Array {
    return ops.log(this);
  }
  sin(): Array {
    return ops.sin(this);
  }
  cos(): Array {
    return ops.cos(this);
  }
  tanh(): Array {
    return ops.tanh(this);
  }
  sqrt(): Array {
    return ops.sqrt(this);
  }
  square(): Array {
    return ops.square(this);
  }

  // --- comparisons ------------------------------------------------------------------
  eq(y: ArrayLike): Array {
    return ops.equal(this, y);
  }
  ne(y: ArrayLike): Array {
    return ops.notEqual(this, y);
  }
  lt(y: ArrayLike): Array {
    return ops.less(this, y);
  }
  le(y: ArrayLike): Array {
    return ops.lessEqual(this, y);
  }
  gt(y: ArrayLike): Array {
    return ops.greater(this, y);
  }
  ge(y: ArrayLike): Array {
    return ops.greaterEqual(this, y);
  }

  // --- reductions -----------------------------------------------------------------
  sum(axis?: AxisOrOptions, opts?: ReduceOptions): Array {
    return ops.sum(this, axis, opts);
  }
  prod(axis?: AxisOrOptions, opts?: ReduceOptions): Array {
    return ops.prod(this, axis, opts);
  }
  max(axis?: AxisOrOptions, opts?: ReduceOptions): Array {
    return ops.max(this, axis, opts);
  }
  min(axis?: AxisOrOptions, opts?: ReduceOptions): Array {
    return ops.min(this, axis, opts);
  }
  mean(axis?: AxisOrOptions, opts?: ReduceOptions): Array {
    return ops.mean(this, axis, opts);
  }
  argmax(axis?: number | ReduceOptions, opts?: ReduceOptions): Array {
    return ops.argmax(this, axis, opts);
  }
  argmin(axis?: number | ReduceOptions, opts?: ReduceOptions): Array {
    return ops.argmin(this, axis, opts);
  }

  // --- shape ------------------------------------------------------------------------
  /**
   * numpy indexing, JAX's `x.at[...]`: `x.at(0, np.slice(null, null, -1)).get()`, `x.at("1:3, None, ...").set(y)`,
   * `x.at(idx).add(y)`, also `.mul/.min/.max`; one list argument is the whole index (see indexing.ts).
   */
  at(index: readonly IndexItem[]): IndexedArray;
  at(...items: IndexItem[]): IndexedArray;
  at(...args: IndexItem[] | [readonly IndexItem[]]): IndexedArray {
    const [first] = args;
    return new IndexedArray(this, args.length === 1 && globalThis.Array.isArray(first) ? (first as readonly IndexItem[]) : (args as IndexItem[]));
  }

  reshape(shape: readonly number[]): Array {
    return ops.reshape(this, shape);
  }
  ravel(): Array {
    return ops.reshape(this, [-1]);
  }
  transpose(axes?: readonly number[]): Array {
    return ops.transpose(this, axes);
  }
  /** The transpose (axes reversed), as numpy's `x.T`. */
  get T(): Array {
    return ops.transpose(this);
  }
  squeeze(axis?: AxisArg): Array {
    return ops.squeeze(this, axis);
  }
  expandDims(axis: AxisArg): Array {
    return ops.expandDims(this, axis);
  }
  broadcastTo(shape: readonly number[]): Array {
    return ops.broadcastTo(this, shape);
  }
  astype(dtype: DType): Array {
    return ops.astype(this, dtype);
  }

  // --- linear algebra -----------------------------------------------------------------
  matmul(y: ArrayLike): Array {
    return ops.matmul(this, y);
  }
  dot(y: ArrayLike): Array {
    return ops.dot(this, y);
  }
}
