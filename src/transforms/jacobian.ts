/**
 * Jacobians (JAX's jax.jacfwd, jax.jacrev, jax.hessian) over pytrees: the result has
 * the output's structure, each leaf holding the input's structure, each of those an
 * array of shape out.shape + in.shape. jacfwd is vmap of jvp over the standard basis
 * of each input; jacrev is vmap of the vjp pullback over the basis of each output
 * (JAX's definitions): one batched call per leaf, not a loop over elements.
 */
import { ArgumentError, DTypeError, isFloat } from "../core/index.js";
import { flatten, unflatten, type TreeDef } from "../core/pytree.js";
import type { Array } from "../trace/array.js";
import { reshape } from "../trace/array-ops.js";
import { tidy } from "../trace/memory.js";
import * as lax from "../lax/index.js";
import { jvpFlat, toArrayLeaves } from "./jvp.js";
import { vjp } from "./vjp.js";
import { vmapFlatTo } from "./vmap.js";
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

/** The n×n identity of `dtype`, reshaped to [n, ...shape]: a batch of one-hot arrays of `shape`. */
function basis(shape: readonly number[], like: Array): Array {
  const n = shape.reduce((a, b) => a * b, 1);
  const eye = lax.convertElementType(lax.eq(lax.broadcastedIota("int32", [n, n], 0), lax.broadcastedIota("int32", [n, n], 1)), like.dtype);
  return reshape(eye, [n, ...shape]);
}

/** [n, ...elem] → [...elem, ...lead] where n = size of lead (the batch axis goes last). */
function batchToBack(x: Array, lead: readonly number[]): Array {
  const elem = x.shape.slice(1);
  const width = elem.reduce((a, b) => a * b, 1);
  return reshape(lax.transpose(reshape(x, [x.shape[0]!, width]), [1, 0]), [...elem, ...lead]);
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
  return (...args: unknown[]) => tidy(() => {
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
    // columns[inLeaf][outLeaf]: every output's tangent for each basis direction of that input
    const columns = xs.map((x, j) => {
      const push = (t: Array): Array[] =>
        jvpFlat(flat, xs, xs.map((y, i) => (i === j ? t : new Zero(y.aval))), "jacfwd")[1].map(instantiate);
      return vmapFlatTo(push, x.size, [basis(x.shape, x)], [0], outs.map(() => 0), "jacfwd");
    });
    const blocks = outs.map((_, oi) => xs.map((x, j) => batchToBack(columns[j]![oi]!, x.shape)));
    return assemble(blocks, outDef!, inDef, typeof (opts.argnums ?? 0) === "number");
  });
}

/** `jacrev(f)(...args)`: the Jacobian by reverse mode, one VJP per output element. */
export function jacrev(f: Fn, opts: JacobianOptions = {}): (...args: unknown[]) => unknown {
  return (...args: unknown[]) => tidy(() => {
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
    // rows[outLeaf][inLeaf]: every input's cotangent for each basis direction of that output
    const rows = outs.map((o, oi) => {
      const pull = (ct: Array): Array[] => {
        const cts = outs.map((p, i) => (i === oi ? ct : instantiate(new Zero(p.aval))));
        return flatten<Array>(pullback(unflatten(outDef, cts)))[0];
      };
      return vmapFlatTo(pull, o.size, [basis(o.shape, o)], [0], xs.map(() => 0), "jacrev");
    });
    const blocks = outs.map((o, oi) => xs.map((x, j) => reshape(rows[oi]![j]!, [...o.shape, ...x.shape])));
    return assemble(blocks, outDef, inDef, typeof (opts.argnums ?? 0) === "number");
  });
}

/** `hessian(f)(...args)` = jacfwd(jacrev(f)), as in JAX. */
export function hessian(f: Fn, opts: JacobianOptions = {}): (...args: unknown[]) => unknown {
  return jacfwd(jacrev(f, opts), opts);
}
