/**
 * jax.nn wraps its composite functions in jax.jit (softmax, log_softmax, standardize,
 * gelu, silu, ...); ferrax's nn does the same through `compiled`. Called eagerly, such a
 * function runs as one cached jit program: its elementwise ops fused and its
 * reductions joined with their epilogues, one call into the backend, no intermediate
 * arrays. Under a transform (grad, vmap, an enclosing jit) jit traces the body inline,
 * so derivatives and batching see the same ops as before.
 */
import type { Array } from "../trace/array.js";
import { jit } from "../transforms/jit.js";

/**
 * `body(statics, arrays)` compiled once per value of `statics` (plain data: numbers,
 * strings, booleans, null, arrays and plain objects of them; compared by JSON text,
 * with NaN, ±Infinity and -0 kept apart from null and 0) and per shape and dtype of
 * `arrays`. `statics` holds what decides the program's structure (axes, which optional
 * operands are present); every array operand goes in `arrays`.
 */
export function compiled<S>(body: (statics: S, arrays: readonly Array[]) => Array): (statics: S, arrays: readonly Array[]) => Array {
  const programs = new Map<string, (arrays: readonly Array[]) => Array>();
  return (statics, arrays) => {
    const key = JSON.stringify(statics, exactNumbers);
    let run = programs.get(key);
    if (!run) {
      run = jit((xs: readonly Array[]) => body(statics, xs));
      programs.set(key, run);
    }
    return run(arrays);
  };
}

/** JSON.stringify's replacer for `compiled`'s keys: numbers JSON cannot spell, as strings. */
function exactNumbers(_key: string, v: unknown): unknown {
  return typeof v === "number" && (!Number.isFinite(v) || Object.is(v, -0)) ? `number:${Object.is(v, -0) ? "-0" : v}` : v;
}
