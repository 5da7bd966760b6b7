// An elementwise chain ending in a reduction, on 1M float32 (2^20 values):
//   sum(tanh(x*2 + 1) * exp(-x)),  x uniform in [-1, 1)
// Two rows: eager (each op runs by itself, intermediates freed: ferrax and TensorFlow.js
// in a tidy, jax-js through its ownership, which still queues and fuses lazily), and jit
// (ferrax's jit, jax-js's jit; TensorFlow.js has no jit, so its row repeats its eager
// run in a tidy). ms per call. The eager row also has a NumPy column (numpy.mjs: a
// python3 subprocess timing itself on the same input), skipped when numpy is missing.
//
// Tolerance: the reference is the float64 sum of the float64 terms of the same float32
// inputs (S ≈ 1.80e5, Σ|tᵢ| ≈ 7.0e5). A float32 result differs from it by the terms'
// rounding (tanh and exp within a few ulp each, largely cancelling over the sum) and by
// the summation: a plain sequential float32 sum makes 2^20 roundings of up to ½ ulp of
// the running sum, which random-walk to ~sqrt(n)·ε·S ≈ 10 and drift further when they
// lean one way (TensorFlow.js and jax-js are ~54 off on these inputs; a pairwise sum is
// ~0.01 off). The check is
//   |got − want| ≤ 2e-4 · Σ|tᵢ| ≈ 140   (about 8e-4 of S)
// which accepts any plain float32 accumulation and still fails on one lost or doubled
// 1024-element tile (~176).
import { rng } from "../harness.mjs";
import { ferraxJitNote, readDispose } from "../common.mjs";
import { numpyExternal } from "../numpy.mjs";

const N = 1 << 20;
/** The input, and below the float64 sum and tolerance (bench/chain-floor.mjs uses them too). */
export const X = rng(2).f32(N, -1, 1);

let sum = 0;
let sumAbs = 0;
for (let i = 0; i < N; i++) {
  const t = Math.tanh(X[i] * 2 + 1) * Math.exp(-X[i]);
  sum += t;
  sumAbs += Math.abs(t);
}
export const tolerance = { rtol: 0, atol: 2e-4 * sumAbs };
export const reference = () => [sum];

function ferraxImpl(useJit) {
  return (fx) => {
    const np = fx.numpy;
    const chain = (x) => np.sum(np.tanh(x.mul(2).add(1)).mul(np.exp(x.neg())));
    const x = np.array(X);
    const f = useJit ? fx.jit(chain) : (v) => fx.tidy(() => chain(v));
    return {
      run: () => f(x),
      read: readDispose,
      note: useJit ? () => ferraxJitNote(f, x) : undefined,
      teardown: () => x.dispose(),
    };
  };
}

function jaxImpl(useJit) {
  return (jx) => {
    const np = jx.numpy;
    // x is used twice: the first use takes a ref, the second consumes it.
    const chain = (x) => np.sum(np.tanh(x.ref.mul(2).add(1)).mul(np.exp(x.neg())));
    const f = useJit ? jx.jit(chain) : chain;
    const x = np.array(X);
    return {
      run: async () => await f(x.ref).blockUntilReady(),
      read: (s) => s.dataSync(),
      teardown() {
        x.dispose();
        if (useJit) f.dispose();
      },
    };
  };
}

function tfjsImpl(tf) {
  const x = tf.tensor1d(X, "float32");
  return {
    run: () => tf.tidy(() => tf.sum(tf.mul(tf.tanh(tf.add(tf.mul(x, 2), 1)), tf.exp(tf.neg(x))))),
    read: readDispose,
    teardown: () => x.dispose(),
  };
}

export const cases = [
  {
    name: "sum(tanh(x*2+1)*exp(-x)), 1M f32, eager (ms)",
    ops: 1000, // the harness reports µs per op: 1000 ops make it ms per call
    tolerance,
    reference,
    impls: { ferrax: ferraxImpl(false), "jax-js": jaxImpl(false), "tfjs-wasm": tfjsImpl },
    // NumPy on the same float32 input (float32 throughout: Python scalars do not promote
    // a float32 array), as a reference point: ferrax/numpy in the table.
    external: { numpy: numpyExternal("np.sum(np.tanh(x * 2 + 1) * np.exp(-x))", X) },
  },
  {
    name: "sum(tanh(x*2+1)*exp(-x)), 1M f32, jit (ms; tfjs: eager)",
    ops: 1000,
    tolerance,
    reference,
    impls: { ferrax: ferraxImpl(true), "jax-js": jaxImpl(true), "tfjs-wasm": tfjsImpl },
  },
];
