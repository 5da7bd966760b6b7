/**
 * Jacobians (JAX's jax.jacfwd, jax.jacrev, jax.hessian) over pytrees: the result has
 * the output's structure, each leaf holding the input's structure, each of those an
 * array of shape out.shape + in.shape. jacfwd pushes forward one basis tangent per
 * input element; jacrev pulls back one basis cotangent per output element.
 * (Once vmap lands, the loops over basis vectors become a single batched call.)
 */
import { ArgumentError, DTypeError, isFloat } from "../core/index.js";
import { flatten, unflatten, type TreeDef } from "../core/pytree.js";
import type { Array } from "../trace/array.js";
import { concatenate, reshape, scalar } from "../trace/array-ops.js";
import * as lax from "../lax/index.js";
import { jvpFlat, toArrayLeaves } from "./jvp.js";
import { vjp } from "./vjp.js";
import { Zero, instantiate } from "./zero.js";

type Fn = (...args: never[]) => unknown;
const call = (f: Fn, args: readonly unknown[]): unknown => (f as (...a: unknown[]) => unknown)(...args);

export interface JacobianOptions {
  /** Which positional arguments to differentiate: a number (default 0) or a list. */
  readonly argnums?: number | readonly number[];
}

function argnumsOf(op: string, opts: JacobianOptions, nargs: number): number[] {
  for (const k of Object.keys(opts)) {
    if (k !== "argnums") throw new ArgumentError(`${op}: unknown option "${k}"; the options are: argnums.`);
  }
  const a = opts.argnums ?? 0;
  const nums = typeof a === "number" ? [a] : [...a];
  for (const n of nums) {
    if (!Number.isInteger(n) || n < 0 || n >= nargs) {
      throw new ArgumentError(`${op}: argnums ${JSON.stringify(a)} is out of range for a call with ${nargs} argument(s).`);
    }
  }
  return nums;
}

/** One-hot vector of `size` with a 1 at `k`, shaped like `shape`, of dtype `dtype`. */
function basis(k: number, size: number, shape: readonly number[], like: Array): Array {
  const idx = lax.iota("int32", size);
  const hot = lax.convertElementType(lax.eq(idx, scalar(k, "int32")), like.dtype);
  return reshape(hot, shape);
}

/** Stacks per-element results (each of shape `s`) into shape `lead + s` or `s + lead`. */
function stack(parts: Array[], elemShape: readonly number[], lead: readonly number[], leadFirst: boolean, like: Array): Array {
  const rows = parts.map((p) => reshape(p, [1, p.size]));
  const n = lead.reduce((a, b) => a * b, 1);
  const width = elemShape.reduce((a, b) => a * b, 1);
  const mat = rows.length ? concatenate(rows, 0) : lax.broadcastInDim(scalar(0, like.dtype), [0, width], []);
  if (leadFirst) return reshape(mat, [...lead, ...elemShape]);
  return reshape(lax.transpose(reshape(mat, [n, width]), [1, 0]), [...elemShape, ...lead]);
}

function checkFloat(op: string, xs: readonly Array[]): void {
  xs.forEach((x, i) => {
    if (!isFloat(x.dtype)) {
      throw new DTypeError(`${op}: input leaf ${i} has type ${x.aval.strShort()}; Jacobians are taken with respect to floating inputs only.`);
    }
  });
}

/** Arranges flat blocks[outLeaf][inLeaf] into the output-of-inputs pytree. */
function assemble(blocks: Array[][], outDef: TreeDef, inDef: TreeDef, single: boolean): unknown {
  return unflatten(
    outDef,
    blocks.map((row) => {
      const ins = unflatten<unknown[]>(inDef, row);
      return single ? ins[0] : ins;
    }),
  );
}

/** `jacfwd(f)(...args)`: the Jacobian by forward mode, one JVP per input element. */
export function jacfwd(f: Fn, opts: JacobianOptions = {}): (...args: unknown[]) => unknown {
  return (...args: unknown[]) => {
    const nums = argnumsOf("jacfwd", opts, args.length);
    const [xs, inDef] = toArrayLeaves(nums.map((n) => args[n]), "jacfwd");
    checkFloat("jacfwd", xs);
    let outDef: TreeDef | null = null;
    const flat = (...leaves: Array[]): Array[] => {
      const full = [...args];
      const diff = unflatten<unknown[]>(inDef, leaves);
      nums.forEach((n, k) => (full[n] = diff[k]));
      const [outs, def] = flatten<Array>(call(f, full));
      outDef = def;
      return outs;
    };
    // The outputs themselves (zero tangents: f runs untraced) give their shapes and structure.
    const outs = jvpFlat(flat, xs, xs.map((x) => new Zero(x.aval)), "jacfwd")[0];
    // columns[inLeaf][element] = tangents of every output for that basis direction
    const columns = xs.map((x, j) =>
      globalThis.Array.from({ length: x.size }, (_, k) => {
        const tangents = xs.map((y, i) => (i === j ? basis(k, x.size, x.shape, x) : new Zero(y.aval)));
        return jvpFlat(flat, xs, tangents, "jacfwd")[1].map(instantiate);
      }),
    );
    const blocks = outs.map((o, oi) => xs.map((x, j) => stack(columns[j]!.map((c) => c[oi]!), o.shape, x.shape, false, o)));
    return assemble(blocks, outDef!, inDef, typeof (opts.argnums ?? 0) === "number");
  };
}

/** `jacrev(f)(...args)`: the Jacobian by reverse mode, one VJP per output element. */
export function jacrev(f: Fn, opts: JacobianOptions = {}): (...args: unknown[]) => unknown {
  return (...args: unknown[]) => {
    const nums = argnumsOf("jacrev", opts, args.length);
    const [xs, inDef] = toArrayLeaves(nums.map((n) => args[n]), "jacrev");
    checkFloat("jacrev", xs);
    const g = (...diff: unknown[]): unknown => {
      const full = [...args];
      nums.forEach((n, k) => (full[n] = diff[k]));
      return call(f, full);
    };
    const [out, pullback] = vjp(g, ...unflatten<unknown[]>(inDef, xs));
    const [outs, outDef] = flatten<Array>(out);
    // rows[outLeaf][element] = cotangents of every input for that output element
    const rows = outs.map((o, oi) =>
      globalThis.Array.from({ length: o.size }, (_, k) => {
        const cts = outs.map((p, i) => (i === oi ? basis(k, o.size, o.shape, o) : lax.mul(p, 0)));
        return flatten<Array>(pullback(unflatten(outDef, cts)))[0];
      }),
    );
    const blocks = outs.map((o, oi) => xs.map((x, j) => stack(rows[oi]!.map((r) => r[j]!), x.shape, o.shape, true, x)));
    return assemble(blocks, outDef, inDef, typeof (opts.argnums ?? 0) === "number");
  };
}

/** `hessian(f)(...args)` = jacfwd(jacrev(f)), as in JAX. */
export function hessian(f: Fn, opts: JacobianOptions = {}): (...args: unknown[]) => unknown {
  return jacfwd(jacrev(f, opts), opts);
}
