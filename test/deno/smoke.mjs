// Deno smoke test of the built package (run by .ci/run after `npm run build`):
// the WASM kernels load through import.meta.url, and eager math, grad and makeJaxpr work.
import { grad, makeJaxpr, numpy as np } from "../../dist/index.js";

const x = np.array([1, 2, 3]);
const value = np.sum(np.sin(x).mul(x)).item();
const gradient = Array.from(grad((v) => np.sum(v.mul(v)))(x).dataSync());
const text = makeJaxpr((v) => np.sin(np.cos(v)))(3.0).toString();
const want = Math.sin(1) + 2 * Math.sin(2) + 3 * Math.sin(3);

const failures = [];
if (Math.abs(value - want) > 1e-5) failures.push(`sum(sin(x)*x) = ${value}, want ${want}`);
if (gradient.join() !== "2,4,6") failures.push(`grad = ${gradient}, want 2,4,6`);
if (text !== "{ lambda ; a:f32[]. let b:f32[] = cos a; c:f32[] = sin b in (c,) }") failures.push(`jaxpr: ${text}`);
if (failures.length) {
  console.error(`deno smoke: FAIL\n${failures.join("\n")}`);
  Deno.exit(1);
}
console.log(`deno smoke: ok (Deno ${Deno.version.deno}; value ${value.toFixed(6)}, grad ${gradient})`);
