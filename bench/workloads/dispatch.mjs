// Eager dispatch cost: many tiny elementwise adds, so the time is the library's
// per-op overhead (argument checks, shape/dtype work, allocation, the call into the
// kernel, freeing) rather than arithmetic. Reported as µs per add.
//
// Values are dyadic rationals, so every float32 sum here is exact and the float64
// reference must match to the last bit (the tolerance is only a formality).

const N = 1000; // adds per repetition
const X0 = [0.5, -1.25, 3, 7.75]; // the f32[4] input
const C = [0.25, 1, -0.5, 2]; // the f32[4] addend (distinct values: not a splat constant)

const f32 = (v) => new Float32Array(v);
const tolerance = { rtol: 1e-7, atol: 1e-7 };

// --- x = x + 1, 1000 times (a JS number operand) ---------------------------------

const scalarDependent = {
  name: `add f32[4] + 1, ${N} dependent (µs/op)`,
  ops: N,
  tolerance,
  reference: () => X0.map((v) => v + N),
  impls: {
    ferrax(fx) {
      const x0 = fx.numpy.array(f32(X0));
      return {
        run() {
          let x = x0;
          for (let i = 0; i < N; i++) {
            const y = x.add(1);
            if (x !== x0) x.dispose();
            x = y;
          }
          return x;
        },
        read(x) {
          const v = x.dataSync();
          x.dispose();
          return v;
        },
        teardown: () => x0.dispose(),
      };
    },
    "jax-js"(jx) {
      // jax-js ops consume their arguments: x.add(1) frees the previous x.
      const x0 = jx.numpy.array(f32(X0));
      return {
        async run() {
          let x = x0.ref;
          for (let i = 0; i < N; i++) x = x.add(1);
          return await x.blockUntilReady(); // jax-js is lazy: force the work
        },
        read: (x) => x.dataSync(), // consumes x
        teardown: () => x0.dispose(),
      };
    },
    "tfjs-wasm"(tf) {
      // tf.add(x, 1) makes a scalar tensor for the 1 and frees it itself.
      const x0 = tf.tensor1d(f32(X0), "float32");
      return {
        run() {
          let x = x0;
          for (let i = 0; i < N; i++) {
            const y = tf.add(x, 1);
            if (x !== x0) x.dispose();
            x = y;
          }
          return x;
        },
        read(x) {
          const v = x.dataSync();
          x.dispose();
          return v;
        },
        teardown: () => x0.dispose(),
      };
    },
  },
};

// --- x = x + c, 1000 times (an f32[4] array operand) ------------------------------

const arrayDependent = {
  name: `add f32[4] + f32[4], ${N} dependent (µs/op)`,
  ops: N,
  tolerance,
  reference: () => X0.map((v, i) => v + N * C[i]),
  impls: {
    ferrax(fx) {
      const x0 = fx.numpy.array(f32(X0));
      const c = fx.numpy.array(f32(C));
      return {
        run() {
          let x = x0;
          for (let i = 0; i < N; i++) {
            const y = x.add(c);
            if (x !== x0) x.dispose();
            x = y;
          }
          return x;
        },
        read(x) {
          const v = x.dataSync();
          x.dispose();
          return v;
        },
        teardown() {
          x0.dispose();
          c.dispose();
        },
      };
    },
    "jax-js"(jx) {
      const x0 = jx.numpy.array(f32(X0));
      const c = jx.numpy.array(f32(C));
      return {
        async run() {
          let x = x0.ref;
          for (let i = 0; i < N; i++) x = x.add(c.ref);
          return await x.blockUntilReady();
        },
        read: (x) => x.dataSync(),
        teardown() {
          x0.dispose();
          c.dispose();
        },
      };
    },
    "tfjs-wasm"(tf) {
      const x0 = tf.tensor1d(f32(X0), "float32");
      const c = tf.tensor1d(f32(C), "float32");
      return {
        run() {
          let x = x0;
          for (let i = 0; i < N; i++) {
            const y = tf.add(x, c);
            if (x !== x0) x.dispose();
            x = y;
          }
          return x;
        },
        read(x) {
          const v = x.dataSync();
          x.dispose();
          return v;
        },
        teardown() {
          x0.dispose();
          c.dispose();
        },
      };
    },
  },
};

// --- y_i = x + c for i < 1000, all kept until the end ----------------------------

function readAll(ys, readOne) {
  const out = new Float64Array(ys.length * X0.length);
  ys.forEach((y, i) => out.set(readOne(y), i * X0.length));
  return out;
}

const arrayIndependent = {
  name: `add f32[4] + f32[4], ${N} independent (µs/op)`,
  ops: N,
  tolerance,
  reference: () => {
    const one = X0.map((v, i) => v + C[i]);
    return Array.from({ length: N }, () => one).flat();
  },
  impls: {
    ferrax(fx) {
      const x = fx.numpy.array(f32(X0));
      const c = fx.numpy.array(f32(C));
      return {
        run() {
          const ys = new Array(N);
          for (let i = 0; i < N; i++) ys[i] = x.add(c);
          return ys;
        },
        read: (ys) =>
          readAll(ys, (y) => {
            const v = y.dataSync();
            y.dispose();
            return v;
          }),
        teardown() {
          x.dispose();
          c.dispose();
        },
      };
    },
    "jax-js"(jx) {
      const x = jx.numpy.array(f32(X0));
      const c = jx.numpy.array(f32(C));
      return {
        async run() {
          const ys = new Array(N);
          for (let i = 0; i < N; i++) ys[i] = x.ref.add(c.ref);
          return await jx.blockUntilReady(ys);
        },
        read: (ys) => readAll(ys, (y) => y.dataSync()),
        teardown() {
          x.dispose();
          c.dispose();
        },
      };
    },
    "tfjs-wasm"(tf) {
      const x = tf.tensor1d(f32(X0), "float32");
      const c = tf.tensor1d(f32(C), "float32");
      return {
        run() {
          const ys = new Array(N);
          for (let i = 0; i < N; i++) ys[i] = tf.add(x, c);
          return ys;
        },
        read: (ys) =>
          readAll(ys, (y) => {
            const v = y.dataSync();
            y.dispose();
            return v;
          }),
        teardown() {
          x.dispose();
          c.dispose();
        },
      };
    },
  },
};

export const cases = [scalarDependent, arrayDependent, arrayIndependent];
