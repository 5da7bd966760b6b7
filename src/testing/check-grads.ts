/**
 * `checkGrads`: JAX's jax.test_util.check_grads for ferrax. Compares forward mode
 * (jvp) and reverse mode (vjp) against central finite differences computed in
 * float64 along random directions, recursively up to `order`.
 */
import { ArgumentError, FerraxError } from "../core/index.js";
import { leaves as treeLeaves, map as treeMap } from "../core/pytree.js";
import { Array } from "../trace/array.js";
import { asArray, scalar } from "../trace/array-ops.js";
import { concreteFromValues } from "../trace/concrete.js";
import { ShapedArray } from "../core/aval.js";
import { jvp } from "../transforms/jvp.js";
import { vjp } from "../transforms/vjp.js";

export type GradMode = "fwd" | "rev";

export interface CheckGradsOptions {
  /** Highest derivative order to check (1 = first derivatives). Default 1. */
  readonly order?: number;
  /** Which modes to check. Default both. */
  readonly modes?: readonly GradMode[];
  readonly atol?: number;
  readonly rtol?: number;
  /** Finite-difference step. Default 1e-4 (in float64). */
  readonly eps?: number;
  /** Seed of the random directions. Default 0. */
  readonly seed?: number;
}

type Fn = (...args: never[]) => unknown;
const call = (f: Fn, args: readonly unknown[]): unknown => (f as (...a: unknown[]) => unknown)(...args);

/** A small deterministic generator of standard normal values (mulberry32 + Box-Muller). */
function normals(seed: number): () => number {
  let s = seed >>> 0;
  const uniform = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
}

const toF64 = (x: unknown): Array => asArray(x as Array, "checkGrads").astype("float64");

/** Random normal values shaped and typed like each leaf of `tree`. */
function randomLike(tree: unknown, next: () => number): unknown {
  return treeMap((x: Array) => {
    const values = globalThis.Array.from({ length: x.size }, next);
    return concreteFromValues(values, new ShapedArray(x.shape, x.dtype));
  }, tree);
}

function axpy(a: number, x: unknown, y: unknown): unknown {
  return treeMap((xi: Array, yi: Array) => yi.add(xi.mul(a)), x, y);
}

function innerProduct(a: unknown, b: unknown): number {
  const as = treeLeaves<Array>(a);
  const bs = treeLeaves<Array>(b);
  return as.reduce((acc, x, i) => acc + (x.mul(bs[i]!).sum().item() as number), 0);
}

function assertClose(what: string, got: unknown, want: unknown, atol: number, rtol: number): void {
  const gs = treeLeaves<Array>(got).map((x) => Float64Array.from(asArray(x, "checkGrads").astype("float64").dataSync()));
  const ws = treeLeaves<Array>(want).map((x) => Float64Array.from(asArray(x, "checkGrads").astype("float64").dataSync()));
  gs.forEach((g, li) => {
    const w = ws[li]!;
    for (let k = 0; k < g.length; k++) {
      const err = Math.abs(g[k]! - w[k]!);
      if (!(err <= atol + rtol * Math.abs(w[k]!))) {
        throw new FerraxError(
          `checkGrads: ${what}: leaf ${li}, element ${k}: got ${g[k]} but finite differences give ${w[k]} ` +
            `(|error| ${err.toExponential(3)} > atol ${atol} + rtol ${rtol} * |expected|).`,
        );
      }
    }
  });
}

/** Checks f's derivatives at `args` (a list of arguments; pytrees of arrays or numbers). */
export function checkGrads(f: Fn, args: readonly unknown[], opts: CheckGradsOptions = {}): void {
  const known = new Set(["order", "modes", "atol", "rtol", "eps", "seed"]);
  for (const k of Object.keys(opts)) {
    if (!known.has(k)) throw new ArgumentError(`checkGrads: unknown option "${k}"; the options are: ${[...known].join(", ")}.`);
  }
  const order = opts.order ?? 1;
  const modes = opts.modes ?? ["fwd", "rev"];
  const eps = opts.eps ?? 1e-4;
  const atol = opts.atol ?? 1e-5;
  const rtol = opts.rtol ?? 1e-5;
  const next = normals(opts.seed ?? 0);
  const primals = treeMap(toF64, [...args]) as unknown[];
  check(f, primals, order);

  function numericalJvp(g: Fn, xs: unknown[], v: unknown[]): unknown {
    const plus = call(g, axpy(eps, v, xs) as unknown[]);
    const minus = call(g, axpy(-eps, v, xs) as unknown[]);
    return treeMap((p: Array, m: Array) => toF64(p).sub(toF64(m)).div(2 * eps), plus, minus);
  }

  function check(g: Fn, xs: unknown[], k: number): void {
    const v = randomLike(xs, next) as unknown[];
    const numerical = numericalJvp(g, xs, v);
    if (modes.includes("fwd")) {
      const [, tangentOut] = jvp(g, xs, v);
      assertClose(`forward mode (jvp), order ${order - k + 1}`, tangentOut, numerical, atol, rtol);
      if (k > 1) check((...ys: never[]) => jvp(g, ys, v)[1], xs, k - 1);
    }
    if (modes.includes("rev")) {
      const [out, pullback] = vjp(g, ...xs);
      const u = randomLike(out, next);
      const ctIn = pullback(u);
      const got = innerProduct(v, ctIn);
      const want = innerProduct(numerical, u);
      assertClose(`reverse mode (vjp), order ${order - k + 1}, <v, J^T u>`, [scalar(got, "float64")], [scalar(want, "float64")], atol, rtol);
      if (k > 1) check((...ys: never[]) => vjp(g, ...ys)[1](u), xs, k - 1);
    }
  }
}

