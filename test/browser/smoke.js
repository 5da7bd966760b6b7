// Runs in the browser: imports the built package over HTTP (so its WASM kernels are fetched
// through import.meta.url) and makes the same checks as test/deno/smoke.mjs.
// The outcome goes into <pre id="result" data-status="pass|fail"> for test/browser/run.mjs.

const out = document.getElementById("result");

function report(status, lines) {
  out.textContent = `${status.toUpperCase()}\n${lines.join("\n")}`;
  out.dataset.status = status;
}

try {
  // A dynamic import, so a failure to load the package (a 404, a bad MIME type, the kernels
  // not instantiating) is reported as FAIL with its message instead of a page that never finishes.
  const { backendInfo, getBackend, grad, makeJaxpr, numpy: np } = await import("/dist/index.js");

  const x = np.array([1, 2, 3]);
  const value = np.sum(np.sin(x).mul(x)).item();
  const gradient = Array.from(grad((v) => np.sum(v.mul(v)))(x).dataSync());
  const text = makeJaxpr((v) => np.sin(np.cos(v)))(3.0).toString();
  const want = Math.sin(1) + 2 * Math.sin(2) + 3 * Math.sin(3);
  const backend = getBackend().name;
  // This page is not cross-origin isolated (no SharedArrayBuffer): kernels.wasm, one thread.
  const { threads } = backendInfo();

  const failures = [];
  if (backend !== "wasm") failures.push(`default backend = ${backend}, want wasm`);
  if (!(Math.abs(value - want) <= 1e-5)) failures.push(`sum(sin(x)*x) = ${value}, want ${want}`);
  if (threads !== 1 && !globalThis.crossOriginIsolated) failures.push(`threads = ${threads} on a page without cross-origin isolation`);
  if (gradient.join() !== "2,4,6") failures.push(`grad = ${gradient}, want 2,4,6`);
  if (text !== "{ lambda ; a:f32[]. let b:f32[] = cos a; c:f32[] = sin b in (c,) }") failures.push(`jaxpr: ${text}`);

  const facts = [`backend ${backend}`, `threads ${threads}`, `value ${value.toFixed(6)}`, `grad ${gradient}`, `jaxpr ${text}`];
  report(failures.length ? "fail" : "pass", failures.length ? failures : facts);
} catch (e) {
  // V8's stack starts with "Name: message"; fall back to that when there is none.
  report("fail", [e?.stack || `${e?.name ?? "Error"}: ${e?.message ?? e}`]);
}
