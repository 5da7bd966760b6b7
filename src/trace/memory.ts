/**
 * Scopes for the memory model: `tidy(fn)` frees every concrete array created while
 * `fn` runs except those it returns. Arrays register with the innermost open scope
 * when they are made; this module keeps only the bookkeeping, so it has no imports
 * of Array subclasses.
 */
import { flatten } from "../core/pytree.js";
import { debugOptions } from "./debug.js";
import { isTransforming } from "./trace.js";

/** What a scope can free: the concrete array class implements it. */
export interface Disposable {
  dispose(): void;
  readonly isDisposed: boolean;
  /**
   * Called when the array leaves the last scope holding it without being freed (returned
   * from an outermost tidy, or keep()): a scope holds its members strongly, so until
   * now it could not be garbage-collected and needed no finalization safety net.
   */
  leftScopes(): void;
  /** Whether a scope holds the array: from its creation in one until leftScopes(). */
  readonly inScope: boolean;
}


/**
 * The open scopes, innermost last: each holds the arrays made while it is open (in
 * creation order, each at most once) and, with setDebug({ disposeSites: true }), where
 * it was opened. Plain arrays rather than Sets: adding is on every eager op's path.
 * keep() does not remove an array from these lists; it clears the array's inScope,
 * and scopes pass over members that are no longer in scope.
 */
const scopes: Disposable[][] = [];
const scopeSites: (Error | null)[] = [];

/** Adds `x` to the innermost open scope; false when no scope is open. */
export function trackInScope(x: Disposable): boolean {
  // Test the length first: scopes[-1] would be a (slow) named-property lookup.
  const n = scopes.length;
  if (n === 0) return false;
  scopes[n - 1]!.push(x);
  return true;
}

/** How a scope is named in use-after-dispose errors. */
function describeScope(site: Error | null): string {
  if (!site) return "freed by a tidy() scope; call setDebug({ disposeSites: true }) to record which";
  const lines = (site.stack ?? "").split("\n").slice(2);
  const at = lines.find((l) => !l.includes("/src/trace/") && !l.includes("/dist/trace/"))?.trim() ?? "unknown";
  return `freed by the tidy() scope opened ${at}`;
}

/** Whether a tidy result is a single array (a leaf that scopes track), so needs no flatten. */
function isTracked(x: unknown): x is Disposable {
  return typeof x === "object" && x !== null && typeof (x as Partial<Disposable>).leftScopes === "function";
}

/**
 * Runs `fn` and frees every array it created except those in its result (any pytree).
 * Returned arrays move to the enclosing scope. If `fn` throws, everything it made is freed.
 * Under a transformation, concrete arrays made inside may be captured by the trace
 * (as constants or residuals), so there `tidy` frees nothing and leaves them to the
 * enclosing scope.
 */
export function tidy<T>(fn: () => T): T {
  if (isTransforming()) return fn();
  const members: Disposable[] = [];
  const site = debugOptions.disposeSites ? new Error("tidy") : null;
  scopes.push(members);
  scopeSites.push(site);
  let result: T;
  try {
    result = fn();
  } catch (e) {
    scopes.pop();
    scopeSites.pop();
    for (const x of members) if (x.inScope) x.dispose();
    throw e;
  }
  scopes.pop();
  scopeSites.pop();
  // Common case: one array returned, compared by identity (no flatten, no Set).
  const single = isTracked(result) ? result : null;
  const kept = single === null && members.length > 0 ? new Set<unknown>(flatten(result)[0]) : null;
  const n = scopes.length;
  const parent = n > 0 ? scopes[n - 1]! : null;
  let reason: string | null = null;
  for (let i = 0; i < members.length; i++) {
    const x = members[i]!;
    if (!x.inScope) continue; // kept: keep() took it out of every scope
    if (x === single || (kept !== null && kept.has(x))) {
      if (parent) parent.push(x);
      else x.leftScopes();
    } else if (!x.isDisposed) {
      activeScopeSite = reason ??= describeScope(site);
      x.dispose();
      activeScopeSite = null;
    }
  }
  return result;
}

/** Set while a tidy scope frees its arrays: the reason each freed array records. */
export let activeScopeSite: string | null = null;

/** Removes `x` (any pytree of arrays) from every open scope, so no `tidy` frees it. */
export function keep<T>(x: T): T {
  for (const leaf of flatten(x)[0]) if (isTracked(leaf) && leaf.inScope) leaf.leftScopes();
  return x;
}
