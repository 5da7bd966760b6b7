// Deno smoke test of the built package (run by .ci/run after `npm run build`):
// the WASM kernels load through import.meta.url, and eager math, grad and makeJaxpr work;
// on more than one core, kernels-threads.wasm runs large kernels on Deno workers.
import { backendInfo, grad, jit, makeJaxpr, numpy as np } from "../../dist/index.js";

const x = np.array([1, 2, 3]);
const value = np.sum(np.sin(x).mul(x)).item();
const gradient = Array.from(grad((v) => np.sum(v.mul(v)))(x).dataSync());
const text = makeJaxpr((v) => np.sin(np.cos(v)))(3.0).toString();
const want = Math.sin(1) + 2 * Math.sin(2) + 3 * Math.sin(3);
// Large enough to be cut into chunks for the worker pool (eager and jit'd).
const N = 1 << 18;
const big = np.arange(N).astype("float32").mul(1 / N);
const bigSum = np.sum(np.exp(big)).item();
const jitSum = jit((v) => np.sum(np.exp(v)))(big).item();
const bigWant = N * (Math.E - 1); // the integral of exp over [0, 1), N samples
const { threads } = backendInfo();
const cores = navigator.hardwareConcurrency ?? 1;
// FERRAX_THREADS is read only with --allow-env.
const env = Deno.permissions.querySync({ name: "env", variable: "FERRAX_THREADS" }).state === "granted"
  ? Deno.env.get("FERRAX_THREADS")
  : undefined;
// Deno defaults to one thread (its workers cannot be unref'd; see loader.ts).
const wantThreads = env === undefined ? 1 : Number(env);

const failures = [];
if (Math.abs(value - want) > 1e-5) failures.push(`sum(sin(x)*x) = ${value}, want ${want}`);
if (gradient.join() !== "2,4,6") failures.push(`grad = ${gradient}, want 2,4,6`);
if (text !== "{ lambda ; a:f32[]. let b:f32[] = cos a; c:f32[] = sin b in (c,) }") failures.push(`jaxpr: ${text}`);
if (Math.abs(bigSum / bigWant - 1) > 1e-4) failures.push(`sum(exp(big)) = ${bigSum}, want ~${bigWant}`);
if (Math.abs(jitSum / bigSum - 1) > 1e-5) failures.push(`jit sum(exp(big)) = ${jitSum}, eager ${bigSum}`);
if (threads !== wantThreads) failures.push(`threads = ${threads}, want ${wantThreads} (cores ${cores}, FERRAX_THREADS ${env})`);
if (failures.length) {
  console.error(`deno smoke: FAIL\n${failures.join("\n")}`);
  Deno.exit(1);
}
console.log(`deno smoke: ok (Deno ${Deno.version.deno}; ${threads} threads; value ${value.toFixed(6)}, grad ${gradient})`);
// With FERRAX_THREADS > 1 the workers keep Deno alive, so a threaded program ends explicitly.
Deno.exit(0);
