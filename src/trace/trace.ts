/**
 * Traces and the trace context, stackless as in current JAX: exactly one trace is
 * current; each trace knows its parent; a rule runs with the parent current, so the
 * operations it binds go one level down. Tracers are matched by their trace's tag,
 * which is unique per transformation call, so nested transforms of the same kind
 * never confuse each other's values (no perturbation confusion).
 */
import { ShapedArray, UnexpectedTracerError } from "../core/index.js";
import type { Array } from "./array.js";
import { debugOptions } from "./debug.js";
import type { Prim, PrimParams } from "./prim.js";

/** An identity for one transformation call; tracers carry their trace, traces a tag. */
export class TraceTag {
  private static next = 0;
  readonly id = TraceTag.next++;
}

export abstract class Trace {
  readonly tag = new TraceTag();
  /** The stack when this trace was made (with setDebug({ traceSites: true }): capturing costs µs per transformation call). */
  private readonly origin: Error | null;
  constructor(
    /** The trace below this one; null for the root (eager evaluation). */
    readonly parent: Trace | null,
    /** What created this trace, for error messages: "grad", "makeJaxpr", … */
    readonly kind: string,
  ) {
    this.origin = parent && debugOptions.traceSites ? new Error() : null;
  }

  /** Where the transformation that made this trace was called (for leak errors), if recorded. */
  get site(): string | null {
    return this.origin ? userCallSite(this.origin) : null;
  }

  /** Applies `prim` to `args` (which may belong to any enclosing trace) in this trace. */
  abstract processPrimitive<P extends Prim>(prim: P, args: readonly Array[], params: PrimParams<P>): Array[];

  /** Whether `x` is a tracer of this trace (as opposed to a value from an enclosing one). */
  owns(x: Array): boolean {
    return x.trace === this;
  }

  /** True if `t` is this trace or one of its ancestors. */
  isWithin(t: Trace): boolean {
    for (let s: Trace | null = this; s; s = s.parent) if (s === t) return true;
    return false;
  }

  /**
   * Checks that a value handed to this trace belongs to it or to an enclosing trace.
   * A tracer of a finished (or unrelated) transformation has escaped it.
   */
  checkNotEscaped(x: Array, op: string): void {
    if (!this.isWithin(x.trace)) throw escapedTracerError(x, op);
  }
}

export function escapedTracerError(x: Array, op: string): UnexpectedTracerError {
  const t = x.trace;
  return new UnexpectedTracerError(
    `${op}: got a traced value ${x.aval.strShort()} created by ${t.kind} ` +
      `(${t.site ? `called at ${t.site}` : "call setDebug({ traceSites: true }) to record where"}) ` +
      `after that transformation finished, or outside it. A tracer escaped, e.g. by being stored in an ` +
      `outer variable or closure; return it from the transformed function instead.`,
  );
}

/** The first stack frame outside ferrax's own sources. */
/** The first frame of `captured`'s stack outside ferrax's own modules. */
function userCallSite(captured: Error): string {
  const lines = (captured.stack ?? "").split("\n").slice(1);
  const own = /[/\\](src|dist)[/\\](trace|transforms|core|lax|numpy)[/\\]/;
  return lines.find((l) => !own.test(l))?.trim().replace(/^at /, "") ?? "unknown";
}

/** The root trace evaluates eagerly; it constructs concrete constants. */
export interface RootTrace extends Trace {
  /** A concrete constant holding host values (copied lazily to a backend when used). */
  constant(values: ArrayLike<number>, aval: ShapedArray): Array;
}

let root: RootTrace | null = null;
let current: Trace | null = null;

/** Installed once by the eager evaluation trace's module. */
export function installRootTrace(t: RootTrace): void {
  root = t;
  current ??= t;
}

export function rootTrace(): RootTrace {
  if (!root) throw new Error("ferrax: the evaluation trace is not loaded; import from the package entry.");
  return root;
}

/** True while a transformation (any trace other than eager evaluation) is current. */
export function isTransforming(): boolean {
  return current !== null && current !== root;
}

export function currentTrace(): Trace {
  return current ?? rootTrace();
}

/** Runs `fn` with `t` as the current trace, restoring the previous one afterwards. */
export function withTrace<T>(t: Trace, fn: () => T): T {
  const prev = current;
  current = t;
  try {
    return fn();
  } finally {
    current = prev;
  }
}

/** Applies a primitive in the current trace. */
export function bind<P extends Prim>(prim: P, args: readonly Array[], params: PrimParams<P>): Array[] {
  return currentTrace().processPrimitive(prim, args, params);
}

/** `bind` for the common single-output case. */
export function bind1<P extends Prim>(prim: P, args: readonly Array[], params: PrimParams<P>): Array {
  return bind(prim, args, params)[0]!;
}
