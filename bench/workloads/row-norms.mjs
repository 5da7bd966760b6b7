// Row-wise normalizations of an f32[1000, 1000] (x uniform in [-4, 4)), ms per call:
//   softmax    y = exp(x − max_row x) / Σ_row exp(x − max_row x)
//   layernorm  y = (x − mean_row x) / sqrt(var_row x + 1e-5)   (biased variance, no affine)
// Rows: eager and jit for each (TensorFlow.js has no jit: its jit rows repeat its eager
// run). ferrax and jax-js call their library functions nn.softmax and nn.standardize
// (JAX's definitions: standardize takes the variance as mean(x²) − mean², one pass);
// TensorFlow.js tf.softmax and tf.moments. (Until ferrax had an nn module, its rows
// were written by hand from np.max/np.sum/np.mean, with a two-pass variance.)
//
// Tolerances (the reference is float64 from the same float32 inputs):
//   softmax    rtol 1e-4, atol 0. Each value is one float32 exp (a few ulp, ~3e-7
//              relative, plus x − max rounded to ½ ulp of 8, another ~5e-7) over a sum
//              of 1000 such terms whose plain float32 accumulation is within
//              1000·2^-24 ≈ 6e-5 relative at worst. A wrong max or axis, or a term lost
//              from the sum, is off by far more (each term is ~1e-3 of its row's sum).
//   layernorm  rtol 1e-4, atol 1e-4. The row mean (1000 terms, |x| < 4) and variance are
//              float32 sums off by ≲ 1e-5 absolute and 6e-5 relative at worst, which
//              move y (|y| < 1.8, std ≈ 2.3) by less than 1e-5 + 3e-5·|y|. Dividing by
//              N − 1 instead of N would scale every value by 5e-4 and is caught.
import { rng } from "../harness.mjs";
import { ferraxJitNote, readDispose } from "../common.mjs";

const R = 1000;
const C = 1000;
const EPS = 1e-5;
const X = rng(5).f32(R * C, -4, 4);

function softmaxReference() {
  const out = new Float64Array(R * C);
  for (let i = 0; i < R; i++) {
    const row = X.subarray(i * C, (i + 1) * C);
    let m = -Infinity;
    for (const v of row) m = Math.max(m, v);
    let s = 0;
    for (let j = 0; j < C; j++) s += out[i * C + j] = Math.exp(row[j] - m);
    for (let j = 0; j < C; j++) out[i * C + j] /= s;
  }
  return out;
}

function layernormReference() {
  const out = new Float64Array(R * C);
  for (let i = 0; i < R; i++) {
    const row = X.subarray(i * C, (i + 1) * C);
    let mean = 0;
    for (const v of row) mean += v;
    mean /= C;
    let variance = 0;
    for (const v of row) variance += (v - mean) ** 2;
    variance /= C;
    const inv = 1 / Math.sqrt(variance + EPS);
    for (let j = 0; j < C; j++) out[i * C + j] = (row[j] - mean) * inv;
  }
  return out;
}

// --- the functions, per library ------------------------------------------------------

const FERRAX = {
  softmax: (fx) => (x) => fx.nn.softmax(x, -1),
  layernorm: (fx) => (x) => fx.nn.standardize(x, -1, { epsilon: EPS }),
};

const JAX = {
  softmax: (jx) => (x) => jx.nn.softmax(x, -1),
  layernorm: (jx) => (x) => jx.nn.standardize(x, -1, { epsilon: EPS }),
};

const TFJS = {
  softmax: (tf) => (x) => tf.softmax(x, -1),
  layernorm: (tf) => (x) => {
    const { mean, variance } = tf.moments(x, -1, true);
    return tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, EPS)));
  },
};

function ferraxImpl(op, useJit) {
  return (fx) => {
    const fn = FERRAX[op](fx);
    const f = useJit ? fx.jit(fn) : (v) => fx.tidy(() => fn(v));
    const x = fx.numpy.array(X).reshape([R, C]);
    return {
      run: () => f(x),
      read: readDispose,
      note: useJit ? () => ferraxJitNote(f, x) : undefined,
      teardown: () => x.dispose(),
    };
  };
}

function jaxImpl(op, useJit) {
  return (jx) => {
    const fn = JAX[op](jx);
    const f = useJit ? jx.jit(fn) : fn;
    const x = jx.numpy.array(X).reshape([R, C]);
    return {
      run: async () => await f(x.ref).blockUntilReady(),
      read: (y) => y.dataSync(),
      teardown() {
        x.dispose();
        if (useJit) f.dispose();
      },
    };
  };
}

function tfjsImpl(op) {
  return (tf) => {
    const fn = TFJS[op](tf);
    const x = tf.tensor2d(X, [R, C], "float32");
    return {
      run: () => tf.tidy(() => fn(x)),
      read: readDispose,
      teardown: () => x.dispose(),
    };
  };
}

const SPECS = {
  softmax: { reference: softmaxReference, tolerance: { rtol: 1e-4, atol: 0 } },
  layernorm: { reference: layernormReference, tolerance: { rtol: 1e-4, atol: 1e-4 } },
};

function rowCase(op, useJit) {
  let cached = null;
  return {
    name: `${op} over rows, f32[${R},${C}], ${useJit ? "jit (ms; tfjs: eager)" : "eager (ms)"}`,
    ops: 1000, // the harness reports µs per op: 1000 ops make it ms per call
    tolerance: SPECS[op].tolerance,
    reference: () => (cached ??= SPECS[op].reference()),
    impls: { ferrax: ferraxImpl(op, useJit), "jax-js": jaxImpl(op, useJit), "tfjs-wasm": tfjsImpl(op) },
  };
}

export const cases = [rowCase("softmax", false), rowCase("softmax", true), rowCase("layernorm", false), rowCase("layernorm", true)];
