// Per-example gradients of a linear model's squared loss, batch 256 × dim 100:
//   loss(w, x, y) = (x·w − y)²,  g_i = ∂loss/∂w at (x_i, y_i) = 2 (x_i·w − y_i) x_i
// an f32[256,100] result. ferrax and jax-js express it as vmap(grad(loss)) with the
// weights unbatched (ferrax: inAxes [null, 0, 0]; jax-js: the same list as its second
// argument); TensorFlow.js has no vmap, so its version is the loop a user would write:
// tf.grad over each example, stacked. Two rows: vmap as it is (traced on each call) and
// jit(vmap(grad)) (traced once, then cached); TensorFlow.js runs its loop in both rows.
//
// Tolerance: each x_i·w is a float32 dot product of 100 terms (|x|, |w| < 1), off by at
// most ~1e-6 absolute; the gradient multiplies that by 2|x| < 2, so atol 1e-5 with
// rtol 1e-4 is loose for float32 rounding but far below any real mistake (the values
// are O(0.1–1)).
import { rng } from "../harness.mjs";
import { ferraxJitNote, readDispose } from "../common.mjs";

const B = 256;
const D = 100;
const r = rng(4);
const X = r.f32(B * D, -1, 1);
const W = r.f32(D, -0.5, 0.5);
const Y = r.f32(B, -1, 1);
const tolerance = { rtol: 1e-4, atol: 1e-5 };

function reference() {
  const out = new Float64Array(B * D);
  for (let i = 0; i < B; i++) {
    let dot = 0;
    for (let j = 0; j < D; j++) dot += X[i * D + j] * W[j];
    const s = 2 * (dot - Y[i]);
    for (let j = 0; j < D; j++) out[i * D + j] = s * X[i * D + j];
  }
  return out;
}

function ferraxImpl(useJit) {
  return (fx) => {
    const np = fx.numpy;
    const loss = (w, x, y) => {
      const res = np.dot(x, w).sub(y);
      return res.mul(res);
    };
    const perExample = fx.vmap(fx.grad(loss), { inAxes: [null, 0, 0] });
    const f = useJit ? fx.jit(perExample) : perExample;
    const w = np.array(W);
    const x = np.array(X).reshape([B, D]);
    const y = np.array(Y);
    return {
      run: () => f(w, x, y),
      read: readDispose,
      note: useJit ? () => ferraxJitNote(f, w, x, y) : undefined,
      teardown() {
        w.dispose();
        x.dispose();
        y.dispose();
      },
    };
  };
}

function jaxImpl(useJit) {
  return (jx) => {
    const np = jx.numpy;
    // jax-js ops consume their arguments: `res` is used twice, so the first use takes a ref.
    const loss = (w, x, y) => {
      const res = np.dot(x, w).sub(y);
      return res.ref.mul(res);
    };
    const perExample = jx.vmap(jx.grad(loss), [null, 0, 0]);
    const f = useJit ? jx.jit(perExample) : perExample;
    const w = np.array(W);
    const x = np.array(X).reshape([B, D]);
    const y = np.array(Y);
    return {
      run: async () => await f(w.ref, x.ref, y.ref).blockUntilReady(),
      read: (g) => g.dataSync(),
      teardown() {
        w.dispose();
        x.dispose();
        y.dispose();
        if (useJit) f.dispose();
      },
    };
  };
}

function tfjsImpl(tf) {
  const w = tf.tensor1d(W, "float32");
  const x = tf.tensor2d(X, [B, D], "float32");
  const y = tf.tensor1d(Y, "float32");
  return {
    run: () =>
      tf.tidy(() => {
        const xs = tf.unstack(x);
        const ys = tf.unstack(y);
        const gs = xs.map((xi, i) =>
          tf.grad((wv) => {
            const res = tf.sub(tf.dot(xi, wv), ys[i]);
            return tf.mul(res, res);
          })(w),
        );
        return tf.stack(gs);
      }),
    read: readDispose,
    teardown() {
      w.dispose();
      x.dispose();
      y.dispose();
    },
  };
}

export const cases = [
  {
    name: `per-example grads, linear ${B}×${D}, vmap(grad) (ms)`,
    ops: 1000, // the harness reports µs per op: 1000 ops make it ms per call
    tolerance,
    reference,
    impls: { ferrax: ferraxImpl(false), "jax-js": jaxImpl(false), "tfjs-wasm": tfjsImpl },
  },
  {
    name: `per-example grads, linear ${B}×${D}, jit(vmap(grad)) (ms)`,
    ops: 1000,
    tolerance,
    reference,
    impls: { ferrax: ferraxImpl(true), "jax-js": jaxImpl(true), "tfjs-wasm": tfjsImpl },
  },
];
