/**
 * Scopes for the memory model: `tidy(fn)` frees every concrete array created while
 * `fn` runs except those it returns. Arrays register with the innermost open scope
 * when they are made; this module keeps only the bookkeeping, so it has no imports
 * of Array subclasses.
 */
import { flatten } from "../core/pytree.js";
import { isTransforming } from "./trace.js";

/** What a scope can free: the concrete array class implements it. */
export interface Disposable {
  dispose(): void;
  readonly isDisposed: boolean;
}

interface Scope {
  readonly members: Set<Disposable>;
  /** Where the scope was opened, named in use-after-dispose errors. */
  readonly site: string;
}

const scopes: Scope[] = [];

export function trackInScope(x: Disposable): void {
  scopes[scopes.length - 1]?.members.add(x);
}

/** Where `tidy` was called, for the message of a later use-after-dispose. */
export function currentScopeSite(): string | null {
  return scopes[scopes.length - 1]?.site ?? null;
}

function callSite(): string {
  const lines = (new Error().stack ?? "").split("\n").slice(3);
  return lines.find((l) => !l.includes("/src/trace/") && !l.includes("/dist/trace/"))?.trim() ?? "unknown";
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
  const scope: Scope = { members: new Set(), site: callSite() };
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
  const parent = scopes[scopes.length - 1];
  for (const x of scope.members) {
    if (kept.has(x)) parent?.members.add(x);
    else (activeScopeSite = scope.site, x.dispose(), (activeScopeSite = null));
  }
  return result;
}

/** Set while a tidy scope frees its arrays, so each freed array records which scope freed it. */
export let activeScopeSite: string | null = null;

/** Removes `x` (any pytree of arrays) from every open scope, so no `tidy` frees it. */
export function keep<T>(x: T): T {
  for (const leaf of flatten(x)[0]) for (const s of scopes) s.members.delete(leaf as Disposable);
  return x;
}
