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
}


interface Scope {
  readonly members: Set<Disposable>;
  /** Where the scope was opened (with setDebug({ disposeSites: true })), formatted only if needed. */
  readonly site: Error | null;
}

const scopes: Scope[] = [];

/** Adds `x` to the innermost open scope; false when no scope is open. */
export function trackInScope(x: Disposable): boolean {
  // Test the length first: scopes[-1] would be a (slow) named-property lookup.
  if (scopes.length === 0) return false;
  scopes[scopes.length - 1]!.members.add(x);
  return true;
}

/** How a scope is named in use-after-dispose errors. */
function describeScope(scope: Scope): string {
  if (!scope.site) return "freed by a tidy() scope; call setDebug({ disposeSites: true }) to record which";
  const lines = (scope.site.stack ?? "").split("\n").slice(2);
  const at = lines.find((l) => !l.includes("/src/trace/") && !l.includes("/dist/trace/"))?.trim() ?? "unknown";
  return `freed by the tidy() scope opened ${at}`;
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
  const scope: Scope = { members: new Set(), site: debugOptions.disposeSites ? new Error("tidy") : null };
  scopes.push(scope);
  let result: T;
  try {
    result = fn();
  } catch (e) {
    scopes.pop();
    for (const x of scope.members) x.dispose();
    throw e;
  }
  scopes.pop();
  const kept = new Set<unknown>(flatten(result)[0]);
  const parent = scopes.length > 0 ? scopes[scopes.length - 1] : undefined;
  let reason: string | null = null;
  for (const x of scope.members) {
    if (kept.has(x)) {
      if (parent) parent.members.add(x);
      else x.leftScopes();
    } else if (!x.isDisposed) {
      activeScopeSite = reason ??= describeScope(scope);
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
  for (const leaf of flatten(x)[0]) {
    let held = false;
    for (const s of scopes) held = s.members.delete(leaf as Disposable) || held;
    if (held) (leaf as Disposable).leftScopes();
  }
  return x;
}
