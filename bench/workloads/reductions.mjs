// Reductions of an f32[1024, 1024] (x uniform in [-1, 1)): sum, max and mean over
// axis −1 (1024 rows, each reducing contiguous values), axis 0 (columns, a strided
// reduction) and all axes, eager, ms per call. Each library calls its own sum/max/mean
// (jax-js still lazily: its timed region includes forcing the result).
//
// Tolerances (the reference is float64 from the same float32 inputs):
//   max        exact: the result is one of the inputs (atol 0, rtol 0).
//   sum axis   rtol 0, atol 2e-3. A sum of 1024 values in [-1, 1) (partial sums within
//              ~±60) accumulated in float32 in any order rounds each addition by at most
//              ½ ulp of its partial sum, ≤ 2^-19 ≈ 2e-6, and so moves by ~sqrt(1024)·2e-6
//              ≈ 6e-5 for random roundings, 2e-3 only if all 1024 lean the same way. One
//              element lost or doubled moves it by |x|, 0.5 on average.
//   sum all    rtol 0, atol 0.5. 2^20 values, partial sums within ~±1500 (ulp ≤ 2^-13):
//              random-walk rounding ≈ 1024·6e-5 ≈ 0.06, and the libraries that sum rows
//              or tiles first are far closer. Loses a whole row only by ~±18 (a row sums
//              to ~N(0, 18²)), so this catches lost tiles, not single elements.
//   mean       the sum's tolerance divided by the count (1024, or 2^20 for all).
import { rng } from "../harness.mjs";
import { readDispose } from "../common.mjs";

const N = 1024;
const X = rng(6).f32(N * N, -1, 1);

/** The float64 reduction of X over `axis` (-1, 0 or "all") with `combine`/`finish`. */
function reduceReference(axis, init, combine, finish) {
  if (axis === "all") {
    let acc = init;
    for (let i = 0; i < X.length; i++) acc = combine(acc, X[i]);
    return [finish(acc, X.length)];
  }
  const out = new Float64Array(N).fill(init);
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < N; j++) {
      const k = axis === -1 ? i : j;
      out[k] = combine(out[k], X[i * N + j]);
    }
  }
  return out.map((v) => finish(v, N));
}

const KINDS = {
  sum: { init: 0, combine: (a, v) => a + v, finish: (a) => a, atol: (axis) => (axis === "all" ? 0.5 : 2e-3) },
  max: { init: -Infinity, combine: Math.max, finish: (a) => a, atol: () => 0 },
  mean: { init: 0, combine: (a, v) => a + v, finish: (a, n) => a / n, atol: (axis) => (axis === "all" ? 0.5 / (N * N) : 2e-3 / N) },
};

// The axis argument each library takes: all three accept -1 and 0; "all" is no axis.
const axisArg = (axis) => (axis === "all" ? undefined : axis);

function reductionCase(kind, axis) {
  const spec = KINDS[kind];
  let cached = null;
  const a = axisArg(axis);
  return {
    name: `${kind} f32[${N},${N}] ${axis === "all" ? "over all" : `axis=${axis}`}, eager (ms)`,
    ops: 1000, // the harness reports µs per op: 1000 ops make it ms per call
    tolerance: { rtol: 0, atol: spec.atol(axis) },
    reference: () => (cached ??= reduceReference(axis, spec.init, spec.combine, spec.finish)),
    impls: {
      ferrax(fx) {
        const x = fx.numpy.array(X).reshape([N, N]);
        const f = fx.numpy[kind];
        return { run: () => f(x, a), read: readDispose, teardown: () => x.dispose() };
      },
      "jax-js"(jx) {
        const x = jx.numpy.array(X).reshape([N, N]);
        const f = jx.numpy[kind];
        return {
          run: async () => await f(x.ref, a).blockUntilReady(),
          read: (y) => y.dataSync(),
          teardown: () => x.dispose(),
        };
      },
      "tfjs-wasm"(tf) {
        const x = tf.tensor2d(X, [N, N], "float32");
        const f = tf[kind];
        return { run: () => f(x, a), read: readDispose, teardown: () => x.dispose() };
      },
    },
  };
}

export const cases = ["sum", "max", "mean"].flatMap((kind) => [-1, 0, "all"].map((axis) => reductionCase(kind, axis)));
