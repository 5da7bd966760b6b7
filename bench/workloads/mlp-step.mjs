// One SGD training step of the MLP in ../mlp.mjs (784-256-10, ReLU, batch 128, mean
// softmax cross-entropy, learning rate 0.1; the model, its data, the float64 reference
// and the tolerance are described there), ms per step.
// Each repetition takes the same initial parameters and returns the loss and the updated
// parameters (no donation, so every repetition is checked against the same reference).
// Two rows: eager and jit (TensorFlow.js has no jit: its row repeats its eager step).
import { ferraxJitNote } from "../common.mjs";
import { B, NH, NI, NO, ferraxMlp, jaxMlp, referenceStep, tfjsMlp, tolerance } from "../mlp.mjs";

function ferraxImpl(useJit) {
  return (fx) => {
    const m = ferraxMlp(fx);
    const f = useJit ? fx.jit(m.step) : (p, x, y) => fx.tidy(() => m.step(p, x, y));
    const params = m.params();
    return {
      run: () => f(params, m.x, m.y),
      read: m.read,
      note: useJit ? () => ferraxJitNote(f, params, m.x, m.y) : undefined,
      teardown() {
        m.disposeParams(params);
        m.disposeData();
      },
    };
  };
}

function jaxImpl(useJit) {
  return (jx) => {
    const m = jaxMlp(jx);
    const f = useJit ? jx.jit(m.step) : m.step;
    const params = m.params();
    return {
      run: async () => await jx.blockUntilReady(f(jx.tree.ref(params), m.x.ref, m.y.ref)),
      read: m.read,
      teardown() {
        m.disposeParams(params);
        m.disposeData();
        if (useJit) f.dispose();
      },
    };
  };
}

function tfjsImpl(tf) {
  const m = tfjsMlp(tf);
  const params = m.params();
  return {
    run: () => m.step(params),
    read: m.read,
    teardown() {
      m.disposeParams(params);
      m.disposeData();
    },
  };
}

export const cases = [
  {
    name: `MLP ${NI}-${NH}-${NO} SGD step, batch ${B}, eager (ms)`,
    ops: 1000, // the harness reports µs per op: 1000 ops make it ms per step
    tolerance,
    reference: () => referenceStep().values,
    impls: { ferrax: ferraxImpl(false), "jax-js": jaxImpl(false), "tfjs-wasm": tfjsImpl },
  },
  {
    name: `MLP ${NI}-${NH}-${NO} SGD step, batch ${B}, jit (ms; tfjs: eager)`,
    ops: 1000,
    tolerance,
    reference: () => referenceStep().values,
    impls: { ferrax: ferraxImpl(true), "jax-js": jaxImpl(true), "tfjs-wasm": tfjsImpl },
  },
];
