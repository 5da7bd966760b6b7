/**
 * Pytrees: leaves nested in JS arrays, plain objects, and user classes registered
 * with `register`. `null` and `undefined` are empty nodes (JAX's None). Object keys
 * are sorted, as JAX sorts dict keys, so the order of leaves does not depend on
 * how an object literal was written.
 */
import { ArgumentError } from "./errors.js";

interface NodeType<T = unknown, M = unknown> {
  readonly name: string;
  flatten(x: T): [children: unknown[], meta: M];
  unflatten(meta: M, children: unknown[]): T;
}

const registry = new Map<Function, NodeType>();

/** Registers a class as a pytree node: `flatten` returns its children and static metadata. */
export function register<T extends object, M>(
  cls: abstract new (...args: never[]) => T,
  flatten: (x: T) => [children: unknown[], meta: M],
  unflatten: (meta: M, children: unknown[]) => T,
): void {
  registry.set(cls, { name: cls.name, flatten, unflatten } as NodeType);
}

type Kind = "leaf" | "none" | "undefined" | "array" | "object" | "custom";

/** The structure of a pytree, without its leaves. Compare with `equals`. */
export class TreeDef {
  constructor(
    readonly kind: Kind,
    readonly meta: unknown,
    readonly children: readonly TreeDef[],
    readonly nodeType: NodeType | null = null,
  ) {}

  get numLeaves(): number {
    return this.kind === "leaf" ? 1 : this.children.reduce((n, c) => n + c.numLeaves, 0);
  }

  equals(other: TreeDef): boolean {
    if (this.kind !== other.kind || this.children.length !== other.children.length) return false;
    if (this.nodeType !== other.nodeType) return false;
    if (!metaEqual(this.meta, other.meta)) return false;
    return this.children.every((c, i) => c.equals(other.children[i]!));
  }

  toString(): string {
    switch (this.kind) {
      case "leaf":
        return "*";
      case "none":
        return "null";
      case "undefined":
        return "undefined";
      case "array":
        return `[${this.children.map(String).join(", ")}]`;
      case "object":
        return `{${(this.meta as string[]).map((k, i) => `${k}: ${this.children[i]}`).join(", ")}}`;
      case "custom":
        return `${this.nodeType!.name}(${this.children.map(String).join(", ")})`;
    }
  }
}

function metaEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => metaEqual(x, b[i]));
  return JSON.stringify(a) === JSON.stringify(b);
}

function isPlainObject(x: object): boolean {
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

/** Whether `x` is a pytree node (not a leaf). */
function nodeOf(x: unknown): { kind: Kind; type: NodeType | null } {
  if (x === null) return { kind: "none", type: null };
  if (x === undefined) return { kind: "undefined", type: null };
  if (typeof x !== "object") return { kind: "leaf", type: null };
  if (Array.isArray(x)) return { kind: "array", type: null };
  const custom = registry.get((x as object).constructor);
  if (custom) return { kind: "custom", type: custom };
  if (isPlainObject(x)) return { kind: "object", type: null };
  return { kind: "leaf", type: null };
}

/** A key path to a leaf, as printed in errors: `[0].params.w`. */
export type KeyPath = string;

function walk(x: unknown, path: string, leaves: unknown[], paths: KeyPath[] | null): TreeDef {
  const { kind, type } = nodeOf(x);
  switch (kind) {
    case "leaf":
      leaves.push(x);
      paths?.push(path);
      return new TreeDef("leaf", null, []);
    case "none":
    case "undefined":
      return new TreeDef(kind, null, []);
    case "array":
      return new TreeDef(
        "array",
        null,
        (x as unknown[]).map((c, i) => walk(c, `${path}[${i}]`, leaves, paths)),
      );
    case "object": {
      const keys = Object.keys(x as object).sort();
      const obj = x as Record<string, unknown>;
      return new TreeDef("object", keys, keys.map((k) => walk(obj[k], `${path}.${k}`, leaves, paths)));
    }
    case "custom": {
      const [children, meta] = type!.flatten(x);
      return new TreeDef(
        "custom",
        meta,
        children.map((c, i) => walk(c, `${path}<${type!.name}>[${i}]`, leaves, paths)),
        type,
      );
    }
  }
}

export function flatten<L = unknown>(x: unknown): [L[], TreeDef] {
  const leaves: unknown[] = [];
  const def = walk(x, "", leaves, null);
  return [leaves as L[], def];
}

/** Like `flatten`, also returning each leaf's key path (for error messages). */
export function flattenWithPath<L = unknown>(x: unknown): [L[], KeyPath[], TreeDef] {
  const leaves: unknown[] = [];
  const paths: KeyPath[] = [];
  const def = walk(x, "", leaves, paths);
  return [leaves as L[], paths, def];
}

export function unflatten<T = unknown>(def: TreeDef, leaves: readonly unknown[]): T {
  if (leaves.length !== def.numLeaves) {
    throw new ArgumentError(
      `tree.unflatten: the structure ${def} has ${def.numLeaves} leaves but ${leaves.length} were given.`,
    );
  }
  let i = 0;
  const build = (d: TreeDef): unknown => {
    switch (d.kind) {
      case "leaf":
        return leaves[i++];
      case "none":
        return null;
      case "undefined":
        return undefined;
      case "array":
        return d.children.map(build);
      case "object": {
        const out: Record<string, unknown> = {};
        (d.meta as string[]).forEach((k, j) => (out[k] = build(d.children[j]!)));
        return out;
      }
      case "custom":
        return d.nodeType!.unflatten(d.meta, d.children.map(build));
    }
  };
  return build(def) as T;
}

export const leaves = <L = unknown>(x: unknown): L[] => flatten<L>(x)[0];
export const structure = (x: unknown): TreeDef => flatten(x)[1];

/** Maps `f` over the leaves of `x` (and the matching leaves of `rest`, which must share its structure). */
export function map<T = unknown>(f: (...leaves: any[]) => unknown, x: unknown, ...rest: unknown[]): T {
  const [xs, def] = flatten(x);
  const others = rest.map((r, k) => {
    const [ls, d] = flatten(r);
    if (!d.equals(def)) {
      throw new ArgumentError(
        `tree.map: tree ${k + 1} has structure ${d}, which does not match the first tree's ${def}.`,
      );
    }
    return ls;
  });
  return unflatten<T>(def, xs.map((l, i) => f(l, ...others.map((o) => o[i]))));
}
