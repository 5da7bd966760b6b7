/**
 * Reverse mode: vjp = linearize + transpose, grad = vjp with a unit cotangent
 * (JAX's jax.vjp, jax.grad, jax.value_and_grad). All work on pytrees.
 */
import { ArgumentError, DTypeError, ShapeError, isFloat, shapeEqual } from "../core/index.js";
import { flatten, unflatten, type TreeDef } from "../core/pytree.js";
import { Array } from "../trace/array.js";
import { asArray, scalar } from "../trace/array-ops.js";
import { ConcreteArray, arrayIdMark } from "../trace/concrete.js";
import { tidy } from "../trace/memory.js";
import { toArrayLeaves } from "./jvp.js";
import { linearizeFlat } from "./linearize.js";
import { UndefinedPrimal, backwardPass } from "./transpose.js";
import { Zero, instantiate } from "./zero.js";

type Fn = (...args: never[]) => unknown;
const call = (f: Fn, args: readonly unknown[]): unknown => (f as (...a: unknown[]) => unknown)(...args);

/** The cotangent function vjp returns; `dispose()` frees its residuals early. */
export interface VjpFunction<In> {
  (cotangent: unknown): In;
  dispose(): void;
}

/** Linearizes `f` at flat primal leaves and returns outputs and the pullback over flat leaves. */
function vjpFlat(f: Fn, inDef: TreeDef, primals: Array[], op: string) {
  let outDef: TreeDef | null = null;
  const flat = (...xs: Array[]): Array[] => {
    const [leaves, def] = flatten(call(f, unflatten<unknown[]>(inDef, xs)));
    outDef = def;
    return leaves.map((l, i) => {
      if (l instanceof Array || typeof l === "number" || typeof l === "boolean") return asArray(l, op);
      throw new ArgumentError(`${op}: output leaf ${i} of the function is ${typeof l}; return arrays or numbers.`);
    });
  };
  const { primalsOut, linearJaxpr } = linearizeFlat(flat, primals, op);
  const pullback = (cts: readonly (Array | Zero)[]): Array[] =>
    backwardPass(
      linearJaxpr.jaxpr,
      linearJaxpr.consts,
      linearJaxpr.jaxpr.invars.map((v) => new UndefinedPrimal(v.aval)),
      cts,
    ).map((c, i) =>
      c instanceof Zero ? instantiate(new Zero(primals[i]!.aval)) : c,
    );
  return { primalsOut, outDef: outDef! as TreeDef, pullback, residuals: linearJaxpr.consts };
}

/**
 * `vjp(f, ...primals)` → `[out, vjpFn]` where `vjpFn(ct)` maps a cotangent shaped like
 * `out` to cotangents shaped like the primals (a list, one per argument).
 */
export function vjp<Out>(f: Fn, ...primals: unknown[]): [Out, VjpFunction<unknown[]>] {
  const [ps, inDef] = toArrayLeaves(primals, "vjp");
  // Intermediates of the forward pass are freed now; the residuals live as long as vjpFn.
  const mark = arrayIdMark();
  const { primalsOut, outDef, pullback, residuals } = tidy(() => vjpFlat(f, inDef, ps, "vjp"));
  const fn = ((ct: unknown) => {
    const [cts, ctDef] = flatten(ct);
    if (!ctDef.equals(outDef)) {
      throw new ArgumentError(`vjp: the cotangent has structure ${ctDef} but the output has ${outDef}; they must match.`);
    }
    const arrays = cts.map((c, i) => {
      const a = asArray(c as Array, "vjp");
      const o = primalsOut[i]!;
      if (!shapeEqual(a.shape, o.shape) || a.dtype !== o.dtype) {
        throw new ShapeError(`vjp: cotangent ${i} is ${a.aval.strShort()} but the output is ${o.aval.strShort()}; they must match.`);
      }
      return a;
    });
    return tidy(() => unflatten<unknown[]>(inDef, pullback(arrays)));
  }) as VjpFunction<unknown[]>;
  // Only residuals this call made: inputs and closed-over arrays belong to the caller.
  fn.dispose = () => residuals.forEach((r) => r instanceof ConcreteArray && r.id >= mark && r.dispose());
  return [unflatten<Out>(outDef, primalsOut), fn];
}

export interface GradOptions {
  /** Which positional arguments to differentiate: a number (default 0) or a list. */
  readonly argnums?: number | readonly number[];
  /** `f` returns `[output, aux]`; aux is returned alongside, not differentiated. */
  readonly hasAux?: boolean;
}

const GRAD_OPTIONS = new Set(["argnums", "hasAux"]);

function checkOptions(op: string, opts: object): void {
  for (const k of Object.keys(opts)) {
    if (!GRAD_OPTIONS.has(k)) throw new ArgumentError(`${op}: unknown option "${k}"; the options are: argnums, hasAux.`);
  }
}

/** The shared core of grad and valueAndGrad: returns [value, aux, grads]. */
function valueAuxGrad(op: string, f: Fn, opts: GradOptions, args: unknown[]): [Array, unknown, unknown] {
  const argnums = opts.argnums ?? 0;
  const nums = typeof argnums === "number" ? [argnums] : [...argnums];
  for (const n of nums) {
    if (!Number.isInteger(n) || n < 0 || n >= args.length) {
      throw new ArgumentError(`${op}: argnums ${JSON.stringify(argnums)} is out of range for a call with ${args.length} argument(s).`);
    }
  }
  const [ps, inDef] = toArrayLeaves(nums.map((n) => args[n]), op);
  ps.forEach((p, i) => {
    if (!isFloat(p.dtype)) {
      throw new DTypeError(
        `${op}: input leaf ${i} of the differentiated arguments has type ${p.aval.strShort()}; ${op} differentiates ` +
          `with respect to floating inputs only (as JAX's grad). Cast it with .astype('float32'), or leave it out of argnums.`,
      );
    }
  });
  let aux: unknown = undefined;
  const g = (...diff: unknown[]): unknown => {
    const full = [...args];
    nums.forEach((n, k) => (full[n] = diff[k]));
    const out = call(f, full);
    if (!opts.hasAux) return out;
    if (!globalThis.Array.isArray(out) || out.length !== 2) {
      throw new ArgumentError(`${op}: with hasAux the function must return [output, aux], got ${typeof out}.`);
    }
    return out;
  };
  const { primalsOut, outDef, pullback } = vjpFlat(g, inDef, ps, op);
  const value = primalsOut[0]!;
  if (!(value.ndim === 0 && isFloat(value.dtype))) {
    throw new ShapeError(
      `${op}: the function must return a float scalar, got ${value.aval.strShort()}${opts.hasAux ? " (as the first of [output, aux])" : ""}; ` +
        `use vjp or jacrev for non-scalar outputs, or reduce the output (e.g. np.sum).`,
    );
  }
  if (opts.hasAux) aux = unflatten<[unknown, unknown]>(outDef, primalsOut)[1];
  const cts = primalsOut.map((o, i) => (i === 0 ? scalar(1, o.dtype) : new Zero(o.aval)));
  const flatGrads = pullback(cts);
  const grads = unflatten<unknown[]>(inDef, flatGrads);
  return [value, aux, typeof argnums === "number" ? grads[0] : grads];
}

/** The type of a gradient: every leaf (array or JS number) becomes an Array. */
export type GradOf<T> = T extends number | Array
  ? Array
  : T extends readonly unknown[]
    ? { -readonly [K in keyof T]: GradOf<T[K]> }
    : T extends object
      ? { -readonly [K in keyof T]: GradOf<T[K]> }
      : T;

/** Arguments as callers may pass them: a JS number wherever an Array is expected (traced as float32). */
type MapArgs<P extends readonly unknown[]> = { [K in keyof P]: P[K] extends Array ? Array | number : P[K] };
export type ArgsOf<F extends Fn> = MapArgs<Parameters<F>>;
type Params<F extends Fn> = ArgsOf<F>;

/** `grad(f)(...args)`: the gradient of scalar-valued `f` with respect to `args[argnums]`. */
export function grad<F extends Fn>(f: F, opts?: { argnums?: 0 }): (...args: Params<F>) => GradOf<Parameters<F>[0]>;
export function grad<F extends Fn>(f: F, opts: GradOptions): (...args: Params<F>) => unknown;
export function grad<F extends Fn>(f: F, opts: GradOptions = {}): (...args: Params<F>) => unknown {
  checkOptions("grad", opts);
  return (...args: Params<F>) =>
    tidy(() => {
      const [, aux, grads] = valueAuxGrad("grad", f, opts, args);
      return opts.hasAux ? [grads, aux] : grads;
    });
}

/** `valueAndGrad(f)(...args)` → `[value, grads]` (with hasAux: `[[value, aux], grads]`). */
export function valueAndGrad<F extends Fn>(
  f: F,
  opts?: { argnums?: 0 },
): (...args: Params<F>) => [Array, GradOf<Parameters<F>[0]>];
export function valueAndGrad<F extends Fn>(f: F, opts: GradOptions): (...args: Params<F>) => [unknown, unknown];
export function valueAndGrad<F extends Fn>(f: F, opts: GradOptions = {}): (...args: Params<F>) => [unknown, unknown] {
  checkOptions("valueAndGrad", opts);
  return (...args: Params<F>) =>
    tidy(() => {
      const [value, aux, grads] = valueAuxGrad("valueAndGrad", f, opts, args);
      return [opts.hasAux ? [value, aux] : value, grads] as [unknown, unknown];
    });
}
