/**
 * ConcreteArray: an array with values, held by a backend. Values created from JS
 * data start on the host and are copied to a backend the first time a kernel needs
 * them, so constants made while tracing never touch backend memory.
 *
 * Memory: no op consumes its inputs. A buffer is freed by `dispose()` (or `using`),
 * by the `tidy` scope it was made in, or, as a safety net, when the array is
 * garbage-collected (FinalizationRegistry; registration is deferred, see `pending`).
 */
import { DisposedArrayError, ShapeError, ShapedArray, TYPED_ARRAY, contiguousStrides, type TypedArray } from "../core/index.js";
import { Array, type NestedList } from "./array.js";
import { getBackend, type Backend, type BackendData } from "./backend.js";
import { formatRepr, formatValues } from "./format.js";
import { debugOptions } from "./debug.js";
import { activeScopeSite, trackInScope } from "./memory.js";
import { rootTrace, type Trace } from "./trace.js";

interface Held {
  backend: Backend;
  data: BackendData;
}

/** What the safety net needs to free an array's storage after the array itself is gone. */
interface Cell {
  held: Held | null;
}

/** Frees the buffer of an array that was garbage-collected without being disposed. */
const finalizer = new FinalizationRegistry<Cell>((cell) => {
  if (!cell.held) return;
  cell.held.backend.release(cell.held.data);
  cell.held = null;
  liveArrays--;
});

/**
 * Arrays that took backend storage outside any tidy scope and are not registered with
 * the safety net yet. Registering (and unregistering on dispose) costs about as much
 * as a small kernel call, and most small eager arrays are disposed right after their
 * next use, so it is deferred: `pending` is flushed, registering those still holding
 * storage, when it reaches PENDING_LIMIT entries and at the end of the current job (a
 * microtask), whichever comes first. Arrays in a tidy scope are not registered at all
 * while there: the scope holds them strongly (it frees them, or hands them over with
 * leftScopes()).
 * Invariant: an array holding storage is registered, in `pending` or in a scope. Both
 * hold it strongly, so one dropped without dispose is collected (and its buffer freed)
 * at most one flush later than it would have been otherwise.
 */
const pending: ConcreteArray[] = [];
const PENDING_LIMIT = 64;
let flushQueued = false;

let nextId = 0;
/** Arrays holding backend storage that are not disposed (host-only constants hold none). */
let liveArrays = 0;
let peakLiveArrays = 0;

/** Ids are increasing: an array with `id >= arrayIdMark()` taken earlier was made after that point. */
export const arrayIdMark = (): number => nextId;

/** How many arrays hold backend storage (a leak check for tests). */
export const liveArrayCount = (): number => liveArrays;
/** The most arrays holding backend storage at once since the last `resetPeakMemory()`. */
export const peakLiveArrayCount = (): number => peakLiveArrays;
/** Starts a new peak measurement from the current count. */
export function resetPeakMemory(): void {
  peakLiveArrays = liveArrays;
}

export class ConcreteArray extends Array {
  readonly id = nextId++;
  /** Shared with the finalizer; never holds a reference back to this array. */
  readonly #cell: Cell = { held: null };
  /** Whether the safety net knows this array (then dispose must unregister it). */
  #registered = false;
  /** Whether a tidy scope holds this array (see memory.ts). */
  #scoped: boolean;
  #host: TypedArray | null;
  /** Why the array was freed: a tidy scope's site, or the stack of the dispose() call (formatted lazily). */
  #freedBy: string | Error | null = null;

  private constructor(
    readonly aval: ShapedArray,
    host: TypedArray | null,
    held: Held | null,
  ) {
    super();
    this.#host = host;
    this.#scoped = trackInScope(this);
    if (held) this.#adopt(held);
  }

  /** Takes ownership of backend storage; the safety net frees it if this array is collected. */
  #adopt(held: Held): void {
    this.#cell.held = held;
    if (!this.#scoped) this.#defer();
    if (++liveArrays > peakLiveArrays) peakLiveArrays = liveArrays;
  }

  /** Queues this array for registration with the safety net (see `pending`). */
  #defer(): void {
    if (pending.push(this) >= PENDING_LIMIT) ConcreteArray.#flushPending();
    else if (!flushQueued) {
      flushQueued = true;
      queueMicrotask(ConcreteArray.#flushAtJobEnd);
    }
  }

  get inScope(): boolean {
    return this.#scoped;
  }

  leftScopes(): void {
    this.#scoped = false;
    if (this.#cell.held && !this.#registered) this.#defer();
  }

  /** Registers the pending arrays that still hold storage (see `pending`). */
  static #flushPending(): void {
    for (const x of pending) {
      if (x.#cell.held && !x.#registered) {
        finalizer.register(x, x.#cell, x);
        x.#registered = true;
      }
    }
    pending.length = 0;
  }

  static readonly #flushAtJobEnd = (): void => {
    flushQueued = false;
    ConcreteArray.#flushPending();
  };

  /** An array over host values (row-major, of `aval.dtype`); copied to a backend lazily. */
  static fromHost(values: TypedArray, aval: ShapedArray): ConcreteArray {
    return new ConcreteArray(aval, values, null);
  }

  /** An array owning `data`, which `backend` produced. */
  static fromData(backend: Backend, data: BackendData, aval: ShapedArray): ConcreteArray {
    return new ConcreteArray(aval, null, { backend, data });
  }

  get trace(): Trace {
    return rootTrace();
  }

  get isDisposed(): boolean {
    return this.#freedBy !== null;
  }

  /** The backend holding the values, or null while they are only on the host. */
  get backend(): Backend | null {
    return this.#cell.held?.backend ?? null;
  }

  /** The host values of a small constant not yet on any backend (for jaxpr literals). */
  get hostValues(): TypedArray | null {
    this.#check("hostValues");
    return this.#host;
  }

  #check(method: string): void {
    if (this.#freedBy !== null) {
      throw new DisposedArrayError(
        `${method}: array #${this.id} (${this.aval.strShort()}) was used after it was disposed ` +
          `(${describeFree(this.#freedBy)}). Keep it alive by returning it from the tidy() block, by calling keep(x), ` +
          `or by disposing it only after its last use.`,
      );
    }
  }

  /** This array's data on `backend`, copying it there first if needed. */
  dataOn(backend: Backend): BackendData {
    this.#check("dataOn");
    if (this.#cell.held?.backend === backend) return this.#cell.held.data;
    if (this.#cell.held) {
      // Another backend holds it: copy through the host, keep the new copy.
      this.#host = this.#cell.held.backend.readSync(this.#cell.held.data, this.aval);
      this.#release();
    }
    const data = backend.fromHost(this.#host!, this.aval);
    this.#adopt({ backend, data });
    this.#host = null;
    return data;
  }

  override dataSync(): TypedArray {
    this.#check("dataSync()");
    if (this.#cell.held) return this.#cell.held.backend.readSync(this.#cell.held.data, this.aval);
    return new TYPED_ARRAY[this.aval.dtype](this.#host!); // a block copy (slice() copies element by element)
  }

  override item(): number | boolean {
    this.#check("item()");
    if (this.size !== 1) {
      throw new ShapeError(
        `item(): only size-1 arrays can be converted to a JS scalar; this one is ${this.aval.strShort()}. ` +
          `Use dataSync() or tolist() for all the values.`,
      );
    }
    const v = this.dataSync()[0]!;
    return this.dtype === "bool" ? v !== 0 : v;
  }

  override tolist(): NestedList {
    const values = this.dataSync();
    const isBool = this.dtype === "bool";
    const strides = contiguousStrides(this.shape);
    const build = (dim: number, offset: number): NestedList => {
      if (dim === this.ndim) return isBool ? values[offset] !== 0 : values[offset]!;
      return globalThis.Array.from({ length: this.shape[dim]! }, (_, i) => build(dim + 1, offset + i * strides[dim]!));
    };
    return build(0, 0);
  }

  #release(): void {
    if (!this.#cell.held) return;
    if (this.#registered) {
      finalizer.unregister(this);
      this.#registered = false;
    }
    this.#cell.held.backend.release(this.#cell.held.data);
    this.#cell.held = null;
    liveArrays--;
  }

  override dispose(): void {
    this.disposeAs(
      activeScopeSite
        ? activeScopeSite
        : debugOptions.disposeSites
          ? captureDisposeStack()
          : "freed by dispose(); call setDebug({ disposeSites: true }) to record where",
    );
  }

  /** Disposes, recording `reason` for a later use-after-dispose error (e.g. a donation to jit). */
  disposeAs(reason: string | Error): void {
    if (this.#freedBy !== null) return;
    this.#freedBy = reason;
    this.#release();
    this.#host = null;
  }

  override toString(): string {
    if (this.isDisposed) return `<disposed ${this.aval.strShort()} array #${this.id}>`;
    return formatValues(this.dataSync(), this.shape, this.dtype, " ");
  }

  override repr(): string {
    if (this.isDisposed) return `<disposed ${this.aval.strShort()} array #${this.id}>`;
    return formatRepr(this.dataSync(), this.shape, this.dtype, this.weakType);
  }
}

/** A few frames of the dispose() call; V8 formats `.stack` only if an error message needs it. */
function captureDisposeStack(): Error {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 4;
  const e = new Error("dispose");
  Error.stackTraceLimit = limit;
  return e;
}

function describeFree(freedBy: string | Error): string {
  if (typeof freedBy === "string") return freedBy;
  const line = (freedBy.stack ?? "").split("\n").slice(1).find((l) => !l.includes("/trace/concrete."));
  return `freed by dispose() ${line?.trim() ?? ""}`.trim();
}

/** A concrete array holding a copy of `values` on the host (then on `backend`, if given). */
export function concreteFromValues(values: ArrayLike<number>, aval: ShapedArray, backend?: Backend): ConcreteArray {
  const host = new TYPED_ARRAY[aval.dtype](values.length); // a copy, as from(values), without its iterator
  host.set(values);
  const x = ConcreteArray.fromHost(host, aval);
  if (backend) x.dataOn(backend);
  return x;
}

export { getBackend };
