// Memory over a training loop: 500 SGD steps of the MLP in ../mlp.mjs, each step's
// parameters feeding the next and the previous ones freed at once (ferrax and
// TensorFlow.js: dispose(); jax-js: its step consumes them), the loss freed unread.
// Not timed: the rows are how much memory the loop left behind, in bytes (after − before
// the 500 steps, each snapshot after full gc()s and a pause for finalizers; see MEMORY_METRICS in harness.mjs):
//   external   process.memoryUsage().external: WASM linear memories (which never shrink:
//              growth here is a new high-water mark) and ArrayBuffers, any library's
//   JS heap    process.memoryUsage().heapUsed
//   live bytes the library's own count of bytes held by live arrays (ferrax
//              memoryStats().liveBytes, TensorFlow.js tf.memory().numBytes; jax-js has none)
// Both snapshots hold one set of parameters (the initial ones before, the last after),
// so a loop that frees what it no longer needs grows by ~0 after its first step.
// Before the first snapshot, one step from the initial parameters is checked against
// the float64 reference (tolerance in mlp.mjs) and warms the library up (jit traces and
// compiles there). The 500 steps themselves are not checked (a float64 reference of
// 500 steps would take minutes); the final loss is in the notes.
import { ferraxJitNote } from "../common.mjs";
import { B, NH, NI, NO, ferraxMlp, jaxMlp, referenceStep, tfjsMlp, tolerance } from "../mlp.mjs";

const STEPS = 500;

function ferraxImpl(useJit) {
  return (fx) => {
    const m = ferraxMlp(fx);
    const f = useJit ? fx.jit(m.step) : (p, x, y) => fx.tidy(() => m.step(p, x, y));
    let params = null;
    let lastLoss = NaN;
    return {
      check() {
        const p0 = m.params();
        const out = f(p0, m.x, m.y);
        m.disposeParams(p0);
        params = m.params();
        return out;
      },
      read: m.read,
      run() {
        for (let i = 0; i < STEPS; i++) {
          const [next, l] = f(params, m.x, m.y);
          m.disposeParams(params);
          if (i === STEPS - 1) lastLoss = l.dataSync()[0];
          l.dispose();
          params = next;
        }
      },
      note: () => `loss after ${STEPS} steps ${lastLoss.toFixed(4)}${useJit ? `; ${ferraxJitNote(f, params, m.x, m.y)}` : ""}`,
      teardown() {
        if (params) m.disposeParams(params);
        m.disposeData();
      },
    };
  };
}

function jaxImpl(useJit) {
  return (jx) => {
    const m = jaxMlp(jx);
    const f = useJit ? jx.jit(m.step) : m.step;
    let params = null;
    let lastLoss = NaN;
    return {
      async check() {
        const out = await jx.blockUntilReady(f(m.params(), m.x.ref, m.y.ref));
        params = m.params();
        return out;
      },
      read: m.read,
      async run() {
        for (let i = 0; i < STEPS; i++) {
          const [next, l] = f(params, m.x.ref, m.y.ref); // consumes params
          await jx.blockUntilReady(next); // force each step, as a loop reading its loss would
          if (i === STEPS - 1) lastLoss = l.dataSync()[0];
          else l.dispose();
          params = next;
        }
      },
      note: () => `loss after ${STEPS} steps ${lastLoss.toFixed(4)}`,
      teardown() {
        if (params) m.disposeParams(params);
        m.disposeData();
        if (useJit) f.dispose();
      },
    };
  };
}

function tfjsImpl(tf) {
  const m = tfjsMlp(tf);
  let params = null;
  let lastLoss = NaN;
  return {
    check() {
      const p0 = m.params();
      const out = m.step(p0);
      m.disposeParams(p0);
      params = m.params();
      return out;
    },
    read: m.read,
    run() {
      for (let i = 0; i < STEPS; i++) {
        const [next, l] = m.step(params);
        m.disposeParams(params);
        if (i === STEPS - 1) lastLoss = l.dataSync()[0];
        l.dispose();
        params = next;
      }
    },
    note: () => `loss after ${STEPS} steps ${lastLoss.toFixed(4)}`,
    teardown() {
      if (params) m.disposeParams(params);
      m.disposeData();
    },
  };
}

export const cases = [
  {
    kind: "memory",
    name: `MLP ${NI}-${NH}-${NO} ×${STEPS} SGD steps (batch ${B}), eager`,
    tolerance,
    reference: () => referenceStep().values,
    impls: { ferrax: ferraxImpl(false), "jax-js": jaxImpl(false), "tfjs-wasm": tfjsImpl },
  },
  {
    kind: "memory",
    name: `MLP ${NI}-${NH}-${NO} ×${STEPS} SGD steps (batch ${B}), jit (tfjs: none)`,
    tolerance,
    reference: () => referenceStep().values,
    impls: { ferrax: ferraxImpl(true), "jax-js": jaxImpl(true) },
  },
];
