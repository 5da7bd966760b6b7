// ferrax demo: eager math on the WASM kernels, autodiff, and jaxprs in JAX's text format.
// Run with `npm run demo` (it builds dist/ first).
import { checkpoint, customJvp, grad, hessian, jacfwd, jvp, makeJaxpr, memoryStats, numpy as np, tidy, valueAndGrad } from "../dist/index.js";

const show = (label, x) => console.log(`${label.padEnd(36)} ${x.dtype}[${x.shape}] ${JSON.stringify(x.tolist())}`);
const fmt = (v) => Number(v).toFixed(6);

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
const s = np.sum(np.sin(x).mul(x)).item();
const expected = [1, 2, 3, 4, 5, 6].reduce((a, v) => a + Math.sin(v) * v, 0);
console.log(`sum(sin(x)*x) = ${fmt(s)}   (plain JS: ${fmt(expected)})`);

console.log("\n— autodiff —");
const f = (v) => np.sum(np.sin(v).mul(v));
const v = np.array([1, 2, 3]);
show("grad(sum(sin(v) * v))", grad(f)(v));
console.log(`closed form cos(v)*v + sin(v):      ${JSON.stringify([1, 2, 3].map((t) => +fmt(Math.cos(t) * t + Math.sin(t))))}`);
const [value, g] = valueAndGrad((p) => np.sum(np.tanh(np.matmul(x, p.w))))({ w: w.mul(0.1) });
console.log(`valueAndGrad over a pytree:         value ${fmt(value.item())}, dw ${JSON.stringify(g.w.tolist())}`);
console.log(`grad(grad(grad(sin)))(1.0) = ${fmt(grad(grad(grad(np.sin)))(1.0).item())}   (-cos(1) = ${fmt(-Math.cos(1))})`);
const [, tangent] = jvp((t) => np.exp(t).mul(t), [np.array(0.5)], [np.array(1.0)]);
console.log(`jvp of x e^x at 0.5 along 1 = ${fmt(tangent.item())}   ((1+x)e^x = ${fmt(1.5 * Math.exp(0.5))})`);
show("jacfwd(v -> v * sum(v))", jacfwd((t) => t.mul(t.sum()))(np.array([1, 2])));
show("hessian(sum(v^3))", hessian((t) => np.sum(t.mul(t).mul(t)))(np.array([1, 2])));

// A numerically stable log(1 + e^x) with a custom derivative, as in JAX's docs.
const log1pexp = customJvp((t) => np.log(np.exp(t).add(1))).defJvp(([t], [dt]) => [
  log1pexp(t),
  dt.mul(np.subtract(1, np.divide(1, np.exp(t).add(1)))),
]);
console.log(`grad(log1pexp)(100.0) = ${fmt(grad(log1pexp)(100.0).item())}   (naive: ${grad((t) => np.log(np.exp(t).add(1)))(100.0).item()})`);
const deep = (t) => np.sum(checkpoint((u) => np.sin(np.sin(u)))(t));
show("grad of a checkpointed function", grad(deep)(np.array([0.1, 0.2])));

console.log("\n— makeJaxpr —");
console.log(makeJaxpr((t) => np.sin(np.cos(t)))(3.0).toString());
const layer = (a, b, c) => np.maximum(np.matmul(a, b).add(c), 0);
console.log(makeJaxpr(layer)(np.ones([4, 8]), np.ones([8, 16]), np.zeros([16])).toString());
console.log(makeJaxpr(grad((t) => np.sum(np.sin(t).pow(2))))(np.ones([3])).toString());

console.log("\n— memory —");
const before = memoryStats();
const y = tidy(() => x.mul(2).add(1).exp().sum());
console.log(`tidy kept ${memoryStats().liveArrays - before.liveArrays} array (the result, ${fmt(y.item())}); live buffers: ${memoryStats().liveBuffers}`);
