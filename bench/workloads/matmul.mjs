// Square float32 matmul C = A·B, n = 128, 256, 512, 1024, ms per call (one call is
// 2n³ flops: GFLOP/s = 2n³ / (ms · 1e6)). Eager: ferrax np.matmul, jax-js np.matmul
// (forced with blockUntilReady), TensorFlow.js tf.matMul. Then the same products with
// one operand stored transposed, n = 512 and 1024: A held as Aᵀ in memory (ferrax
// np.matmul(at.T, b), a strided view; jax-js np.matmul(at.transpose(), b); TensorFlow.js
// tf.matMul(at, b, transposeA = true)), and likewise B held as Bᵀ. Every row computes
// the same logical product, checked against one float64 reference per n.
// Inputs are uniform in [-1, 1), rounded to float32.
//
// Tolerance: the float64 reference is exact up to ~1e-16 relative (each product of
// two float32 values is exact in float64). Any float32 summation of the n terms of
// c[i, j], in any order, with or without fused multiply-add, is within
//   (n − 1) · 2⁻²⁴ · Σ_p |a[i, p] · b[p, j]|
// of the exact sum (the classic worst-case bound). The check is that bound with
// n · 2⁻²⁴ · max_ij Σ_p |a[i, p] · b[p, j]| as a uniform atol (≈ 0.016 at n = 1024,
// ≈ 2.5e-4 at n = 128; real errors are far below it). A lost or doubled term of
// typical size (E|a·b| = 0.25) is 16× (n = 1024) to 1000× (n = 128) larger than it.
import { rng } from "../harness.mjs";
import { readDispose } from "../common.mjs";

const SIZES = [128, 256, 512, 1024];
const TRANSPOSED_SIZES = [512, 1024];

/** The logical operands A, B (row-major n x n) and their transposes, per n. */
const inputs = new Map();
function operands(n) {
  if (!inputs.has(n)) {
    const r = rng(7 + n);
    const a = r.f32(n * n, -1, 1);
    const b = r.f32(n * n, -1, 1);
    inputs.set(n, { a, b, at: transpose(a, n), bt: transpose(b, n) });
  }
  return inputs.get(n);
}

function transpose(x, n) {
  const out = new Float32Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out[j * n + i] = x[i * n + j];
  return out;
}

/** float64 A·B and max_ij Σ_p |a[i, p] b[p, j]|, per n. */
const references = new Map();
function reference(n) {
  if (!references.has(n)) {
    const { a, b } = operands(n);
    const c = new Float64Array(n * n);
    const abs = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      const ci = i * n;
      for (let p = 0; p < n; p++) {
        const x = a[i * n + p];
        const ax = Math.abs(x);
        const bp = p * n;
        for (let j = 0; j < n; j++) {
          c[ci + j] += x * b[bp + j];
          abs[ci + j] += ax * Math.abs(b[bp + j]);
        }
      }
    }
    let maxAbs = 0;
    for (let i = 0; i < n * n; i++) maxAbs = Math.max(maxAbs, abs[i]);
    references.set(n, { values: c, atol: n * 2 ** -24 * maxAbs });
  }
  return references.get(n);
}

/** layout: "plain" (A, B), "aT" (A stored transposed), "bT" (B stored transposed). */
function ferraxImpl(n, layout) {
  return (fx) => {
    const np = fx.numpy;
    const { a, b, at, bt } = operands(n);
    const x = np.array(layout === "aT" ? at : a).reshape([n, n]);
    const y = np.array(layout === "bT" ? bt : b).reshape([n, n]);
    const f =
      layout === "aT"
        ? () => fx.tidy(() => np.matmul(x.T, y))
        : layout === "bT"
          ? () => fx.tidy(() => np.matmul(x, y.T))
          : () => np.matmul(x, y);
    return {
      run: f,
      read: readDispose,
      teardown() {
        x.dispose();
        y.dispose();
      },
    };
  };
}

function jaxImpl(n, layout) {
  return (jx) => {
    const np = jx.numpy;
    const { a, b, at, bt } = operands(n);
    const x = np.array(layout === "aT" ? at : a).reshape([n, n]);
    const y = np.array(layout === "bT" ? bt : b).reshape([n, n]);
    // jax-js operations consume their arguments: every use takes a ref.
    const lhs = () => (layout === "aT" ? x.ref.transpose() : x.ref);
    const rhs = () => (layout === "bT" ? y.ref.transpose() : y.ref);
    return {
      run: async () => await np.matmul(lhs(), rhs()).blockUntilReady(),
      read: (c) => c.dataSync(), // dataSync consumes the array
      teardown() {
        x.dispose();
        y.dispose();
      },
    };
  };
}

function tfjsImpl(n, layout) {
  return (tf) => {
    const { a, b, at, bt } = operands(n);
    const x = tf.tensor2d(layout === "aT" ? at : a, [n, n], "float32");
    const y = tf.tensor2d(layout === "bT" ? bt : b, [n, n], "float32");
    return {
      run: () => tf.matMul(x, y, layout === "aT", layout === "bT"),
      read: readDispose,
      teardown() {
        x.dispose();
        y.dispose();
      },
    };
  };
}

function matmulCase(n, layout) {
  const what = { plain: "A·B", aT: "A·B, A stored as Aᵀ", bT: "A·B, B stored as Bᵀ" }[layout];
  const mflop = ((2 * n ** 3) / 1e6).toFixed(n < 512 ? 1 : 0);
  return {
    name: `matmul f32 ${n}x${n} ${what} (ms; ${mflop} MFLOP)`,
    ops: 1000, // the harness reports µs per op: 1000 ops make it ms per call
    get tolerance() {
      return { rtol: 0, atol: reference(n).atol };
    },
    reference: () => reference(n).values,
    impls: { ferrax: ferraxImpl(n, layout), "jax-js": jaxImpl(n, layout), "tfjs-wasm": tfjsImpl(n, layout) },
  };
}

export const cases = [
  ...SIZES.map((n) => matmulCase(n, "plain")),
  ...TRANSPOSED_SIZES.flatMap((n) => [matmulCase(n, "aT"), matmulCase(n, "bT")]),
];
