// Cached jit call overhead: a tiny jit'd function on f32[4], compiled in setup and then
// called 1000 times per repetition, so the time is what a cached call costs in JS (cache
// lookup, argument checks, crossing into the backend, output allocation), not
// arithmetic. µs per call. TensorFlow.js has no jit: its column is the same function run
// eagerly in a tf.tidy (two kernels and a tidy per call), for scale.
//
// Two cases:
//   independent  y_i = f(x) with f(x) = x*2 + 1, the same x every call; all outputs are
//                kept until the repetition ends (read and freed after the clock stops)
//   dependent    x ← f(x) with f(x) = x*0.5 + 1, each output the next call's input, the
//                previous freed at once (ferrax/tfjs: dispose(); jax-js: its call
//                consumes its argument), as in a loop that carries state
// The inputs are dyadic: x*2+1 is exact in float32, and x*0.5+1 reaches its fixed
// point 2 exactly (after ~25 steps) in float32 and float64 alike, so the reference
// matches to the last bit.
import { ferraxJitNote, readDispose } from "../common.mjs";

const N = 1000;
const X0 = [0.5, -1.25, 3, 7.75];
const tolerance = { rtol: 1e-7, atol: 1e-7 };
const f32 = () => new Float32Array(X0);

function readAll(ys, readOne) {
  const out = new Float64Array(ys.length * X0.length);
  ys.forEach((y, i) => out.set(readOne(y), i * X0.length));
  return out;
}

const independent = {
  name: `jit call x*2+1 on f32[4], ${N} independent (µs/call; tfjs: eager)`,
  ops: N,
  tolerance,
  reference: () => Array.from({ length: N }, () => X0.map((v) => v * 2 + 1)).flat(),
  impls: {
    ferrax(fx) {
      const f = fx.jit((x) => x.mul(2).add(1));
      const x = fx.numpy.array(f32());
      f(x).dispose(); // compile in setup
      return {
        run() {
          const ys = new Array(N);
          for (let i = 0; i < N; i++) ys[i] = f(x);
          return ys;
        },
        read: (ys) => readAll(ys, readDispose),
        note: () => ferraxJitNote(f, x),
        teardown: () => x.dispose(),
      };
    },
    "jax-js"(jx) {
      const f = jx.jit((x) => x.mul(2).add(1));
      const x = jx.numpy.array(f32());
      f(x.ref).dispose();
      return {
        async run() {
          const ys = new Array(N);
          for (let i = 0; i < N; i++) ys[i] = f(x.ref);
          return await jx.blockUntilReady(ys);
        },
        read: (ys) => readAll(ys, (y) => y.dataSync()),
        teardown() {
          x.dispose();
          f.dispose();
        },
      };
    },
    "tfjs-wasm"(tf) {
      const f = (x) => tf.tidy(() => tf.add(tf.mul(x, 2), 1));
      const x = tf.tensor1d(f32(), "float32");
      return {
        run() {
          const ys = new Array(N);
          for (let i = 0; i < N; i++) ys[i] = f(x);
          return ys;
        },
        read: (ys) => readAll(ys, readDispose),
        teardown: () => x.dispose(),
      };
    },
  },
};

const dependent = {
  name: `jit call x*0.5+1 on f32[4], ${N} dependent (µs/call; tfjs: eager)`,
  ops: N,
  tolerance,
  reference: () =>
    X0.map((v) => {
      for (let i = 0; i < N; i++) v = v * 0.5 + 1;
      return v;
    }),
  impls: {
    ferrax(fx) {
      const f = fx.jit((x) => x.mul(0.5).add(1));
      const x0 = fx.numpy.array(f32());
      f(x0).dispose();
      return {
        run() {
          let x = x0;
          for (let i = 0; i < N; i++) {
            const y = f(x);
            if (x !== x0) x.dispose();
            x = y;
          }
          return x;
        },
        read: readDispose,
        note: () => ferraxJitNote(f, x0),
        teardown: () => x0.dispose(),
      };
    },
    "jax-js"(jx) {
      const f = jx.jit((x) => x.mul(0.5).add(1));
      const x0 = jx.numpy.array(f32());
      f(x0.ref).dispose();
      return {
        async run() {
          let x = x0.ref;
          for (let i = 0; i < N; i++) x = f(x);
          return await x.blockUntilReady();
        },
        read: (x) => x.dataSync(),
        teardown() {
          x0.dispose();
          f.dispose();
        },
      };
    },
    "tfjs-wasm"(tf) {
      const f = (x) => tf.tidy(() => tf.add(tf.mul(x, 0.5), 1));
      const x0 = tf.tensor1d(f32(), "float32");
      return {
        run() {
          let x = x0;
          for (let i = 0; i < N; i++) {
            const y = f(x);
            if (x !== x0) x.dispose();
            x = y;
          }
          return x;
        },
        read: readDispose,
        teardown: () => x0.dispose(),
      };
    },
  },
};

export const cases = [independent, dependent];
