// jit of the numpy compositions equals eager evaluation (they lower to existing primitives only).
import { describe, test } from "vitest";
import { jit, numpy as np } from "../../src/index.js";
import type { Array as NdArray } from "../../src/trace/array.js";
import { det, expectClose, host } from "./helpers.js";

const x = det([3, 4], 1);
const y = det([4, 3], 2);
const cases: [string, (a: NdArray, b: NdArray) => NdArray | NdArray[]][] = [
  ["einsum", (a, b) => np.einsum("ij,jk,kl->il", a, b, a)],
  ["logsumexp", (a) => np.logsumexp(a, 1, { keepdims: true })],
  ["var/std", (a) => np.var(a, 0, { ddof: 1 }).add(np.std(a))],
  ["nan-reductions", (a) => np.nanmax(np.log(a), 1).add(np.nanmean(np.log(a), 1))],
  ["pad", (a) => np.pad(a, [[1, 2], [3, 0]], "reflect")],
  ["split/stack", (a) => np.stack(np.arraySplit(a, 2, 1), 0)],
  ["tile/repeat/roll", (a) => np.roll(np.repeat(np.tile(a, [1, 2]), [1, 2, 0], 0), 3, 1)],
  ["triangles", (a) => np.trace(np.triu(a, 1)).add(np.diagonal(a, -1).sum()).add(np.diag(np.ravel(a)).sum())],
  ["products", (a, b) => [np.kron(a, b), np.tensordot(a, b, 1), np.outer(a, b), np.vdot(a, b.T)]],
  ["norm", (a) => np.linalg.norm(a, Infinity).add(np.linalg.norm(a, 3, { axis: 0 }).sum())],
  ["elementwise", (a, b) => np.logaddexp(a, b.T).add(np.hypot(a, 2)).add(np.copysign(1, a))],
  ["logic", (a) => np.logicalXor(np.isclose(a, 0.5), np.all(a.gt(0), 0))],
  ["meshgrid", (a) => np.meshgrid(np.ravel(a), np.arange(3))],
];

describe("jit equals eager", () => {
  test.each(cases)("%s", (_, f) => {
    const eager = f(x, y);
    const jitted = jit(f)(x, y);
    const es = Array.isArray(eager) ? eager : [eager];
    const js = Array.isArray(jitted) ? jitted : [jitted];
    es.forEach((e, i) => expectClose(js[i]!, host(e), { rtol: 1e-12, atol: 1e-12 }));
  });
});
