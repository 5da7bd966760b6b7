// One SGD training step of an MLP 784-256-10 (ReLU hidden layer), batch 128, mean
// softmax cross-entropy over one-hot labels, learning rate 0.1:
//   h = relu(x W1 + b1),  z = h W2 + b2,  loss = −mean_i Σ_k y_ik log_softmax(z_i)_k
//   p ← p − 0.1 · ∂loss/∂p   for p in W1 [784,256], b1 [256], W2 [256,10], b2 [10]
// Each repetition takes the same initial parameters and returns the loss and the updated
// parameters (no donation, so every repetition is checked against the same reference).
// Two rows: eager and jit (TensorFlow.js has no jit: its row repeats its eager step).
// ferrax writes log_softmax by hand (z − m − log Σ exp(z − m), m = stopGradient(max z));
// jax-js uses nn.logSoftmax and nn.relu; TensorFlow.js tf.logSoftmax and tf.valueAndGrads.
//
// What is checked: the loss, then the step actually taken on each parameter, old − new
// (computed in float64 from the float32 values, so it is the library's 0.1·grad up to
// one rounding of the parameter, ~4e-9), against the float64 reference's 0.1·grad, all
// 203,531 values. Tolerance: |got − want| ≤ 1e-4·|want| + 1e-4·max|step| (max|step| ≈
// 0.024, so atol ≈ 2.4e-6). Float32 matmuls over 784 and 256 terms are good to ~1e-6
// relative (all three libraries are within 1.1e-6 of the reference here, the worst
// being the loss); a hidden unit whose pre-activation sat within rounding of 0 (ReLU's
// kink) would move one example's share of its column, ~1e-6; a wrong gradient is off
// by O(max|step|).
import { rng } from "../harness.mjs";
import { concat, ferraxJitNote, readDispose } from "../common.mjs";

const B = 128;
const NI = 784;
const NH = 256;
const NO = 10;
const LR = 0.1;

const r = rng(3);
const X = r.f32(B * NI, 0, 1); // pixel-like intensities
const LABELS = Array.from({ length: B }, () => r.int(NO));
const Y = new Float32Array(B * NO);
LABELS.forEach((k, i) => (Y[i * NO + k] = 1));
const a1 = Math.sqrt(6 / (NI + NH));
const a2 = Math.sqrt(6 / (NH + NO));
const INIT = {
  w1: r.f32(NI * NH, -a1, a1),
  b1: r.f32(NH, -0.01, 0.01),
  w2: r.f32(NH * NO, -a2, a2),
  b2: r.f32(NO, -0.01, 0.01),
};
const SHAPES = { w1: [NI, NH], b1: [NH], w2: [NH, NO], b2: [NO] };
const KEYS = ["w1", "b1", "w2", "b2"];

// --- float64 reference ------------------------------------------------------------

let refCache = null;
function referenceStep() {
  if (refCache) return refCache;
  const { w1, b1, w2, b2 } = INIT;
  const h = new Float64Array(B * NH);
  for (let i = 0; i < B; i++) {
    const row = h.subarray(i * NH, (i + 1) * NH);
    for (let j = 0; j < NH; j++) row[j] = b1[j];
    for (let k = 0; k < NI; k++) {
      const xv = X[i * NI + k];
      if (xv === 0) continue;
      const wrow = k * NH;
      for (let j = 0; j < NH; j++) row[j] += xv * w1[wrow + j];
    }
    for (let j = 0; j < NH; j++) if (row[j] < 0) row[j] = 0;
  }
  const dz = new Float64Array(B * NO); // ∂loss/∂z = (softmax(z) − y) / B
  let loss = 0;
  for (let i = 0; i < B; i++) {
    const z = new Float64Array(NO);
    for (let o = 0; o < NO; o++) {
      let acc = b2[o];
      for (let j = 0; j < NH; j++) acc += h[i * NH + j] * w2[j * NO + o];
      z[o] = acc;
    }
    const m = Math.max(...z);
    let se = 0;
    for (let o = 0; o < NO; o++) se += Math.exp(z[o] - m);
    const lse = m + Math.log(se);
    for (let o = 0; o < NO; o++) {
      loss -= (Y[i * NO + o] * (z[o] - lse)) / B;
      dz[i * NO + o] = (Math.exp(z[o] - lse) - Y[i * NO + o]) / B;
    }
  }
  const gw2 = new Float64Array(NH * NO);
  const gb2 = new Float64Array(NO);
  const dh = new Float64Array(B * NH);
  for (let i = 0; i < B; i++) {
    for (let o = 0; o < NO; o++) {
      const d = dz[i * NO + o];
      gb2[o] += d;
      for (let j = 0; j < NH; j++) gw2[j * NO + o] += h[i * NH + j] * d;
    }
    for (let j = 0; j < NH; j++) {
      if (h[i * NH + j] <= 0) continue; // relu'(a) = 0 for a ≤ 0
      let acc = 0;
      for (let o = 0; o < NO; o++) acc += dz[i * NO + o] * w2[j * NO + o];
      dh[i * NH + j] = acc;
    }
  }
  const gw1 = new Float64Array(NI * NH);
  const gb1 = new Float64Array(NH);
  for (let i = 0; i < B; i++) {
    for (let j = 0; j < NH; j++) gb1[j] += dh[i * NH + j];
    for (let k = 0; k < NI; k++) {
      const xv = X[i * NI + k];
      if (xv === 0) continue;
      const g = gw1.subarray(k * NH, (k + 1) * NH);
      for (let j = 0; j < NH; j++) g[j] += xv * dh[i * NH + j];
    }
  }
  const steps = [gw1, gb1, gw2, gb2].map((g) => g.map((v) => LR * v));
  const maxStep = Math.max(...steps.map((s) => s.reduce((m, v) => Math.max(m, Math.abs(v)), 0)));
  refCache = { values: concat([[loss], ...steps]), maxStep };
  return refCache;
}

/** [loss, old − new for each parameter in KEYS order], from the new parameters' values. */
function readStep(loss, newValues) {
  return concat([[loss[0]], ...KEYS.map((k, n) => Float64Array.from(newValues[n], (v, i) => INIT[k][i] - v))]);
}

const tol = { rtol: 1e-4, get atol() { return 1e-4 * referenceStep().maxStep; } };

// --- ferrax -------------------------------------------------------------------------

function ferraxImpl(useJit) {
  return (fx) => {
    const np = fx.numpy;
    const loss = (p, x, y) => {
      const h = np.maximum(np.matmul(x, p.w1).add(p.b1), 0);
      const z = np.matmul(h, p.w2).add(p.b2);
      const m = fx.lax.stopGradient(np.max(z, { axis: 1, keepdims: true }));
      const zm = z.sub(m);
      const logp = zm.sub(np.log(np.sum(np.exp(zm), { axis: 1, keepdims: true })));
      return np.sum(logp.mul(y)).neg().div(B);
    };
    const lossGrad = fx.valueAndGrad(loss);
    const step = (p, x, y) => {
      const [l, g] = lossGrad(p, x, y);
      const next = {};
      for (const k of KEYS) next[k] = p[k].sub(g[k].mul(LR));
      return [next, l];
    };
    const f = useJit ? fx.jit(step) : (p, x, y) => fx.tidy(() => step(p, x, y));
    const params = {};
    for (const k of KEYS) params[k] = np.array(INIT[k]).reshape(SHAPES[k]);
    const x = np.array(X).reshape([B, NI]);
    const y = np.array(Y).reshape([B, NO]);
    return {
      run: () => f(params, x, y),
      read: ([next, l]) => readStep(readDispose(l), KEYS.map((k) => readDispose(next[k]))),
      note: useJit ? () => ferraxJitNote(f, params, x, y) : undefined,
      teardown() {
        for (const k of KEYS) params[k].dispose();
        x.dispose();
        y.dispose();
      },
    };
  };
}

// --- jax-js -------------------------------------------------------------------------

function jaxImpl(useJit) {
  return (jx) => {
    const np = jx.numpy;
    // Every value below is used once, except the parameters in `step` (a ref for the
    // gradient, then consumed by the update).
    const loss = (p, x, y) => {
      const h = jx.nn.relu(np.matmul(x, p.w1).add(p.b1));
      const z = np.matmul(h, p.w2).add(p.b2);
      return jx.nn.logSoftmax(z, -1).mul(y).sum().neg().div(B);
    };
    const lossGrad = jx.valueAndGrad(loss);
    const step = (p, x, y) => {
      const [l, g] = lossGrad(jx.tree.ref(p), x, y);
      const next = {};
      for (const k of KEYS) next[k] = p[k].sub(g[k].mul(LR));
      return [next, l];
    };
    const f = useJit ? jx.jit(step) : step;
    const params = {};
    for (const k of KEYS) params[k] = np.array(INIT[k]).reshape(SHAPES[k]);
    const x = np.array(X).reshape([B, NI]);
    const y = np.array(Y).reshape([B, NO]);
    return {
      run: async () => await jx.blockUntilReady(f(jx.tree.ref(params), x.ref, y.ref)),
      read: ([next, l]) => readStep(l.dataSync(), KEYS.map((k) => next[k].dataSync())),
      teardown() {
        for (const k of KEYS) params[k].dispose();
        x.dispose();
        y.dispose();
        if (useJit) f.dispose();
      },
    };
  };
}

// --- TensorFlow.js ------------------------------------------------------------------

function tfjsImpl(tf) {
  const params = KEYS.map((k) => tf.tensor(INIT[k], SHAPES[k], "float32"));
  const x = tf.tensor2d(X, [B, NI], "float32");
  const y = tf.tensor2d(Y, [B, NO], "float32");
  const lossGrads = tf.valueAndGrads((w1, b1, w2, b2) => {
    const h = tf.relu(tf.add(tf.matMul(x, w1), b1));
    const z = tf.add(tf.matMul(h, w2), b2);
    return tf.div(tf.neg(tf.sum(tf.mul(tf.logSoftmax(z), y))), B);
  });
  return {
    run: () =>
      tf.tidy(() => {
        const { value, grads } = lossGrads(params);
        return [params.map((p, n) => tf.sub(p, tf.mul(grads[n], LR))), value];
      }),
    read: ([next, l]) => readStep(readDispose(l), next.map(readDispose)),
    teardown() {
      params.forEach((p) => p.dispose());
      x.dispose();
      y.dispose();
    },
  };
}

export const cases = [
  {
    name: `MLP ${NI}-${NH}-${NO} SGD step, batch ${B}, eager (ms)`,
    ops: 1000, // the harness reports µs per op: 1000 ops make it ms per step
    tolerance: tol,
    reference: () => referenceStep().values,
    impls: { ferrax: ferraxImpl(false), "jax-js": jaxImpl(false), "tfjs-wasm": tfjsImpl },
  },
  {
    name: `MLP ${NI}-${NH}-${NO} SGD step, batch ${B}, jit (ms; tfjs: eager)`,
    ops: 1000,
    tolerance: tol,
    reference: () => referenceStep().values,
    impls: { ferrax: ferraxImpl(true), "jax-js": jaxImpl(true), "tfjs-wasm": tfjsImpl },
  },
];
