// Latency of a gradient call on a tiny function, so the time is what one grad costs in
// JS (tracing or replaying the forward pass, building and running the backward pass,
// allocation), not arithmetic:
//   f(x) = sum(tanh(x * w)),  ∇f(x) = w · (1 − tanh²(x·w)),  x, w f32[100] in [-1, 1)
// w is a constant closed over by f. 100 calls per repetition on the same x, all outputs
// kept until the repetition ends (read and freed after the clock stops); µs per call.
// Rows: grad(f)(x) as it is (ferrax and jax-js trace on each call; TensorFlow.js
// tf.grad(f)(x)) and jit(grad(f))(x) (traced once, then cached; TensorFlow.js has no
// jit: its row repeats tf.grad).
//
// Tolerance rtol 1e-5, atol 1e-6: each value is w (exact) times 1 − t² with t one float32
// tanh (a few ulp); |x·w| < 1 keeps t ≤ 0.77, so 1 − t² (≥ 0.41) loses no precision and
// stays within ~1e-6 relative. A wrong derivative (a missing w, t instead of t²) is off
// by O(0.1).
import { rng } from "../harness.mjs";
import { ferraxJitNote, readDispose } from "../common.mjs";

const D = 100;
const CALLS = 100;
const r = rng(7);
const X = r.f32(D, -1, 1);
const W = r.f32(D, -1, 1);
const tolerance = { rtol: 1e-5, atol: 1e-6 };

function reference() {
  const one = Array.from(X, (x, i) => W[i] * (1 - Math.tanh(x * W[i]) ** 2));
  return Array.from({ length: CALLS }, () => one).flat();
}

function readAll(gs, readOne) {
  const out = new Float64Array(CALLS * D);
  gs.forEach((g, i) => out.set(readOne(g), i * D));
  return out;
}

function ferraxImpl(useJit) {
  return (fx) => {
    const np = fx.numpy;
    const w = np.array(W);
    const g = fx.grad((x) => np.sum(np.tanh(x.mul(w))));
    const f = useJit ? fx.jit(g) : g;
    const x = np.array(X);
    return {
      run() {
        const gs = new Array(CALLS);
        for (let i = 0; i < CALLS; i++) gs[i] = f(x);
        return gs;
      },
      read: (gs) => readAll(gs, readDispose),
      note: useJit ? () => ferraxJitNote(f, x) : undefined,
      teardown() {
        x.dispose();
        w.dispose();
      },
    };
  };
}

function jaxImpl(useJit) {
  return (jx) => {
    const np = jx.numpy;
    const w = np.array(W);
    // jax-js ops consume their arguments: the closed-over w is passed as a new reference.
    const g = jx.grad((x) => np.sum(np.tanh(x.mul(w.ref))));
    const f = useJit ? jx.jit(g) : g;
    const x = np.array(X);
    return {
      async run() {
        const gs = new Array(CALLS);
        for (let i = 0; i < CALLS; i++) gs[i] = f(x.ref);
        return await jx.blockUntilReady(gs);
      },
      read: (gs) => readAll(gs, (v) => v.dataSync()),
      teardown() {
        x.dispose();
        w.dispose();
        if (useJit) f.dispose();
      },
    };
  };
}

function tfjsImpl(tf) {
  const w = tf.tensor1d(W, "float32");
  const g = tf.grad((x) => tf.sum(tf.tanh(tf.mul(x, w))));
  const x = tf.tensor1d(X, "float32");
  return {
    run() {
      const gs = new Array(CALLS);
      for (let i = 0; i < CALLS; i++) gs[i] = g(x);
      return gs;
    },
    read: (gs) => readAll(gs, readDispose),
    teardown() {
      x.dispose();
      w.dispose();
    },
  };
}

export const cases = [
  {
    name: `grad(sum(tanh(x*w)))(x), f32[${D}], ${CALLS} calls (µs/call)`,
    ops: CALLS,
    tolerance,
    reference,
    impls: { ferrax: ferraxImpl(false), "jax-js": jaxImpl(false), "tfjs-wasm": tfjsImpl },
  },
  {
    name: `jit(grad(sum(tanh(x*w))))(x), f32[${D}], ${CALLS} calls (µs/call; tfjs: tf.grad)`,
    ops: CALLS,
    tolerance,
    reference,
    impls: { ferrax: ferraxImpl(true), "jax-js": jaxImpl(true), "tfjs-wasm": tfjsImpl },
  },
];
