// The MLP of the MLP workloads, shared by mlp-step.mjs (time per step) and
// mlp-memory.mjs (memory over many steps): its data, its float64 reference step and
// the model written once per library. Not a workload (it lives outside workloads/).
//
// An MLP 784-256-10 (ReLU hidden layer), batch 128, mean softmax cross-entropy over
// one-hot labels, one SGD step with learning rate 0.1:
//   h = relu(x W1 + b1),  z = h W2 + b2,  loss = −mean_i Σ_k y_ik log_softmax(z_i)_k
//   p ← p − 0.1 · ∂loss/∂p   for p in W1 [784,256], b1 [256], W2 [256,10], b2 [10]
// ferrax writes log_softmax by hand (z − m − log Σ exp(z − m), m = stopGradient(max z));
// jax-js uses nn.logSoftmax and nn.relu; TensorFlow.js tf.logSoftmax and tf.valueAndGrads.
//
// What a check compares (readStep): the loss, then the step actually taken on each
// parameter, old − new (computed in float64 from the float32 values, so it is the
// library's 0.1·grad up to one rounding of the parameter, ~4e-9), against the float64
// reference's 0.1·grad, all 203,531 values. Tolerance: |got − want| ≤ 1e-4·|want| +
// 1e-4·max|step| (max|step| ≈ 0.024, so atol ≈ 2.4e-6). Float32 matmuls over 784 and 256
// terms are good to ~1e-6 relative (all three libraries are within 1.1e-6 of the
// reference here, the worst being the loss); a hidden unit whose pre-activation sat
// within rounding of 0 (ReLU's kink) would move one example's share of its column,
// ~1e-6; a wrong gradient is off by O(max|step|).
import { rng } from "./harness.mjs";
import { concat, readDispose } from "./common.mjs";

export const B = 128;
export const NI = 784;
export const NH = 256;
export const NO = 10;
export const LR = 0.1;

const r = rng(3);
const X = r.f32(B * NI, 0, 1); // pixel-like intensities
const LABELS = Array.from({ length: B }, () => r.int(NO));
const Y = new Float32Array(B * NO);
LABELS.forEach((k, i) => (Y[i * NO + k] = 1));
const a1 = Math.sqrt(6 / (NI + NH));
const a2 = Math.sqrt(6 / (NH + NO));
export const INIT = {
  w1: r.f32(NI * NH, -a1, a1),
  b1: r.f32(NH, -0.01, 0.01),
  w2: r.f32(NH * NO, -a2, a2),
  b2: r.f32(NO, -0.01, 0.01),
};
const SHAPES = { w1: [NI, NH], b1: [NH], w2: [NH, NO], b2: [NO] };
export const KEYS = ["w1", "b1", "w2", "b2"];

// --- float64 reference ------------------------------------------------------------

let refCache = null;
export function referenceStep() {
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
export function readStep(loss, newValues) {
  return concat([[loss[0]], ...KEYS.map((k, n) => Float64Array.from(newValues[n], (v, i) => INIT[k][i] - v))]);
}

export const tolerance = { rtol: 1e-4, get atol() { return 1e-4 * referenceStep().maxStep; } };

// --- the model, once per library -------------------------------------------------
// Each returns { step, params(), x, y, disposeData() }:
//   step(p, x, y) → [next parameters, loss]   (one SGD step; p is not modified)
//   params()      a fresh copy of the initial parameters
// and the ways to free what they return, which differ with each library's ownership.

export function ferraxMlp(fx) {
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
  // In a tidy: reshape makes a view, and the flat array it views is not needed.
  const array = (values, shape) => fx.tidy(() => np.array(values).reshape(shape));
  const params = () => {
    const p = {};
    for (const k of KEYS) p[k] = array(INIT[k], SHAPES[k]);
    return p;
  };
  const x = array(X, [B, NI]);
  const y = array(Y, [B, NO]);
  return {
    step,
    params,
    x,
    y,
    disposeParams: (p) => KEYS.forEach((k) => p[k].dispose()),
    /** [loss, old − new] of a step from the initial parameters; frees its output. */
    read: ([next, l]) => readStep(readDispose(l), KEYS.map((k) => readDispose(next[k]))),
    disposeData() {
      x.dispose();
      y.dispose();
    },
  };
}

export function jaxMlp(jx) {
  const np = jx.numpy;
  // Every value below is used once, except the parameters in `step` (a ref for the
  // gradient, then consumed by the update). step consumes p, x and y.
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
  const params = () => {
    const p = {};
    for (const k of KEYS) p[k] = np.array(INIT[k]).reshape(SHAPES[k]);
    return p;
  };
  const x = np.array(X).reshape([B, NI]);
  const y = np.array(Y).reshape([B, NO]);
  return {
    step,
    params,
    x,
    y,
    disposeParams: (p) => KEYS.forEach((k) => p[k].dispose()),
    read: ([next, l]) => readStep(l.dataSync(), KEYS.map((k) => next[k].dataSync())), // consumes them
    disposeData() {
      x.dispose();
      y.dispose();
    },
  };
}

export function tfjsMlp(tf) {
  const x = tf.tensor2d(X, [B, NI], "float32");
  const y = tf.tensor2d(Y, [B, NO], "float32");
  const lossGrads = tf.valueAndGrads((w1, b1, w2, b2) => {
    const h = tf.relu(tf.add(tf.matMul(x, w1), b1));
    const z = tf.add(tf.matMul(h, w2), b2);
    return tf.div(tf.neg(tf.sum(tf.mul(tf.logSoftmax(z), y))), B);
  });
  // Parameters are a list in KEYS order; x and y are closed over (the arguments are
  // there to keep one signature across libraries).
  const step = (p) =>
    tf.tidy(() => {
      const { value, grads } = lossGrads(p);
      return [p.map((v, n) => tf.sub(v, tf.mul(grads[n], LR))), value];
    });
  return {
    step,
    params: () => KEYS.map((k) => tf.tensor(INIT[k], SHAPES[k], "float32")),
    x,
    y,
    disposeParams: (p) => p.forEach((v) => v.dispose()),
    read: ([next, l]) => readStep(readDispose(l), next.map(readDispose)),
    disposeData() {
      x.dispose();
      y.dispose();
    },
  };
}
