// A 3×3 convolution layer's forward pass, float32: input NHWC [B, 32, 32, 64], kernel
// HWIO [3, 3, 64, 64], stride 1, SAME padding (one row/column of zeros each side), no
// bias. Two rows: batch 1 and batch 8. ms per call.
//
// Each library uses its own API in its natural layout:
// - ferrax: lax.convGeneralDilated(x, w, [1, 1], 'SAME', { dimensionNumbers: ['NHWC', 'HWIO', 'NHWC'] }).
// - TensorFlow.js (WASM backend): tf.conv2d(x, w, 1, 'same'), NHWC and HWIO natively.
// - jax-js: lax.convGeneralDilated takes NCHW input and OIHW kernels only (no
//   dimension_numbers), so it gets the same values laid out as NCHW / OIHW (transposed
//   once, untimed) and its NCHW output is transposed back when read (untimed).
//
// Tolerance: the reference is the float64 conv of the same float32 inputs. Each output
// sums K = 3·3·64 = 576 products; inputs are uniform in [-1, 1) and weights in [-a, a)
// with a = sqrt(6 / (576 + 576)) ≈ 0.072 (Glorot), so Σ|x·w| per output is at most
// 576·a ≈ 41 (≈ 10 on average). A float32 dot product in any summation order errs by at
// most ~K·ε·Σ|x·w| in the worst case (≈ 1.4e-3 here, never approached) and by
// ~sqrt(K)·ε·Σ|x·w| ≈ 1.5e-5 typically (ε = 2^-24; blocked, pairwise or FMA sums do
// better). The check |got − want| ≤ 2e-4 + 1e-4·|want| accepts every float32 order and
// fails on one missing or doubled tap (|x·w| ≈ 0.02 on average).
import { rng } from "../harness.mjs";
import { readDispose } from "../common.mjs";

const H = 32;
const W = 32;
const C = 64;
const O = 64;
const K = 3;
const A = Math.sqrt(6 / (K * K * C + K * K * O));

const r = rng(11);
const WEIGHTS = r.f32(K * K * C * O, -A, A); // HWIO
const INPUTS = { 1: r.f32(1 * H * W * C, -1, 1), 8: r.f32(8 * H * W * C, -1, 1) }; // NHWC

/** float64 conv, SAME padding, NHWC × HWIO → NHWC. */
function reference(batch) {
  const x = INPUTS[batch];
  const out = new Float64Array(batch * H * W * O);
  const acc = new Float64Array(O);
  for (let n = 0; n < batch; n++) {
    for (let i = 0; i < H; i++) {
      for (let j = 0; j < W; j++) {
        acc.fill(0);
        for (let di = 0; di < K; di++) {
          const y = i + di - 1;
          if (y < 0 || y >= H) continue;
          for (let dj = 0; dj < K; dj++) {
            const z = j + dj - 1;
            if (z < 0 || z >= W) continue;
            const xb = ((n * H + y) * W + z) * C;
            const wb = (di * K + dj) * C * O;
            for (let c = 0; c < C; c++) {
              const xv = x[xb + c];
              const wr = wb + c * O;
              for (let o = 0; o < O; o++) acc[o] += xv * WEIGHTS[wr + o];
            }
          }
        }
        out.set(acc, ((n * H + i) * W + j) * O);
      }
    }
  }
  return out;
}

/** NHWC → NCHW (or HWIO → OIHW) of a float32 buffer: `perm` maps output axes to input axes. */
function permute(src, shape, perm) {
  const outShape = perm.map((p) => shape[p]);
  const inStrides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const out = new Float32Array(src.length);
  const idx = new Array(shape.length).fill(0);
  for (let f = 0; f < out.length; f++) {
    let off = 0;
    for (let k = 0; k < perm.length; k++) off += idx[k] * inStrides[perm[k]];
    out[f] = src[off];
    for (let k = perm.length - 1; k >= 0; k--) {
      if (++idx[k] < outShape[k]) break;
      idx[k] = 0;
    }
  }
  return out;
}

const ferraxImpl = (batch) => (fx) => {
  const np = fx.numpy;
  const x = np.array(INPUTS[batch]).reshape([batch, H, W, C]);
  const w = np.array(WEIGHTS).reshape([K, K, C, O]);
  return {
    run: () => fx.lax.convGeneralDilated(x, w, [1, 1], "SAME", { dimensionNumbers: ["NHWC", "HWIO", "NHWC"] }),
    read: readDispose,
    teardown() {
      x.dispose();
      w.dispose();
    },
  };
};

const jaxImpl = (batch) => (jx) => {
  const np = jx.numpy;
  const x = np.array(permute(INPUTS[batch], [batch, H, W, C], [0, 3, 1, 2])).reshape([batch, C, H, W]);
  const w = np.array(permute(WEIGHTS, [K, K, C, O], [3, 2, 0, 1])).reshape([O, C, K, K]);
  return {
    run: async () => await jx.blockUntilReady(jx.lax.convGeneralDilated(x.ref, w.ref, [1, 1], "SAME")),
    read: (y) => permute(y.dataSync(), [batch, O, H, W], [0, 2, 3, 1]),
    teardown() {
      x.dispose();
      w.dispose();
    },
  };
};

const tfjsImpl = (batch) => (tf) => {
  const x = tf.tensor4d(INPUTS[batch], [batch, H, W, C], "float32");
  const w = tf.tensor4d(WEIGHTS, [K, K, C, O], "float32");
  return {
    run: () => tf.conv2d(x, w, 1, "same"),
    read: readDispose,
    teardown() {
      x.dispose();
      w.dispose();
    },
  };
};

const refCache = {};
export const cases = [1, 8].map((batch) => ({
  name: `conv2d 3x3 SAME, NHWC [${batch},${H},${W},${C}] x HWIO [${K},${K},${C},${O}] f32 (ms)`,
  ops: 1000,
  tolerance: { rtol: 1e-4, atol: 2e-4 },
  reference: () => (refCache[batch] ??= reference(batch)),
  impls: { ferrax: ferraxImpl(batch), "jax-js": jaxImpl(batch), "tfjs-wasm": tfjsImpl(batch) },
}));
