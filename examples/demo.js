// ferrax demo: eager math on the WASM kernels, and jaxprs in JAX's text format.
// Run with `npm run demo` (it builds dist/ first).
import { makeJaxpr, memoryStats, numpy as np, tidy } from "../dist/index.js";

const show = (label, x) => console.log(`${label.padEnd(34)} ${x.dtype}[${x.shape}] ${JSON.stringify(x.tolist())}`);

console.log("— eager math (WASM kernels) —");
const x = np.array([[1, 2, 3], [4, 5, 6]]);
const w = np.array([[0.5], [-1], [2]]);
show("x", x);
show("x @ w", np.matmul(x, w));
show("sum(sin(x) * x, axis=1)", np.sum(np.sin(x).mul(x), 1));
show("x.T", x.T);
show("mean(x, axis=0)", x.mean(0));
show("argmax(x, axis=1)", np.argmax(x, 1));
show("int32 + 1.5 promotes to float32", np.array([1, 2], { dtype: "int32" }).add(1.5));
show("arange(5) * 2", np.arange(5).mul(2));
show("where(x > 3, x, 0)", np.where(x.gt(3), x, 0));

// Check a value against plain JS math.
const s = np.sum(np.sin(x).mul(x)).item();
const expected = [1, 2, 3, 4, 5, 6].reduce((a, v) => a + Math.sin(v) * v, 0);
console.log(`sum(sin(x)*x) = ${s.toFixed(6)} (plain JS: ${expected.toFixed(6)})`);

console.log("\n— makeJaxpr —");
console.log(makeJaxpr((x) => np.sin(np.cos(x)))(3.0).toString());
const layer = (x, w, b) => np.maximum(np.matmul(x, w).add(b), 0);
console.log(makeJaxpr(layer)(np.ones([4, 8]), np.ones([8, 16]), np.zeros([16])).toString());

console.log("\n— memory —");
const before = memoryStats();
const y = tidy(() => x.mul(2).add(1).exp().sum());
console.log(`tidy kept 1 array of ${memoryStats().liveArrays - before.liveArrays} new; result ${y.item().toFixed(2)}`);
