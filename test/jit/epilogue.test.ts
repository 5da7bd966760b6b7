// Reductions with epilogues under jit: an op reading a reduction of its own fused
// group (broadcast along the reduced axes, as softmax and layernorm do) runs in
// that group's tile loop after the reduction, and so do ops over the reduced shape
// between them (once per segment: layernorm's sqrt(var + eps)). These programs
// compare jit with eager for random shapes (kept axes of rank 0-2, reduced axes of
// rank 1-2), dtypes, reductions, per-segment ops and epilogues, plus the layouts
// that must not fuse that way.
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { jit, lax, numpy as np } from "../../src/index.js";
import type { Array as NdArray } from "../../src/trace/array.js";
import { expectAgree } from "./compare.js";

const PROLOGUES: Record<string, (x: NdArray) => NdArray> = {
  id: (x) => x,
  sin: (x) => np.sin(x),
  affine: (x) => x.mul(1.5).add(0.25),
};
const REDUCERS: Record<string, (x: NdArray, axes: number[]) => NdArray> = {
  sum: (x, axes) => np.sum(x, axes, { keepdims: true }),
  max: (x, axes) => np.max(x, axes, { keepdims: true }),
  min: (x, axes) => np.min(x, axes, { keepdims: true }),
};
/** Ops on the reduction's result `r` (over the reduced shape), given the prologue's value, a scalar input and an input over the kept axes. */
const MIDDLES: Record<string, (r: NdArray, pre: NdArray, axes: number[], s: NdArray, w: NdArray) => NdArray> = {
  id: (r) => r,
  affine: (r) => r.mul(0.5).add(1),
  sqrtAbs: (r) => np.sqrt(np.abs(r).add(1)),
  square: (r) => np.square(r),
  select: (r) => np.where(r.gt(0), r, r.mul(-2)),
  tanhMax: (r) => np.maximum(np.tanh(r), 0.25),
  byInput: (r, _pre, _axes, s) => r.mul(s).sub(s),
  byRowInput: (r, _pre, _axes, _s, w) => r.mul(w.reshape(r.shape)).add(w.reshape(r.shape)),
  // Two reductions of the group combined per segment.
  twoReductions: (r, pre, axes) => r.sub(np.min(pre, axes, { keepdims: true }).reshape(r.shape)).add(1),
};
const EPILOGUES: Record<string, (p: NdArray, r: NdArray) => NdArray> = {
  sub: (p, r) => p.sub(r),
  scale: (p, r) => p.sub(r).mul(r),
  maximum: (p, r) => np.maximum(p, r),
  expSub: (p, r) => np.exp(p.sub(r)),
  select: (p, r) => np.where(p.gt(r), p, r.mul(2)),
  // Only the reduction, broadcast: a whole-domain value from per-segment ones.
  broadcast: (p, r) => np.tanh(np.broadcastTo(r, p.shape)),
};

const program = fc.record({
  kept: fc.array(fc.integer({ min: 1, max: 4 }), { maxLength: 2 }),
  reduced: fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 2 }),
  dtype: fc.constantFrom("float32" as const, "float64" as const),
  prologue: fc.constantFrom(...Object.keys(PROLOGUES)),
  reducer: fc.constantFrom(...Object.keys(REDUCERS)),
  middle: fc.constantFrom(...Object.keys(MIDDLES)),
  epilogue: fc.constantFrom(...Object.keys(EPILOGUES)),
  normalise: fc.constantFrom("no" as const, "full" as const, "reduced" as const),
  keepdims: fc.boolean(),
  seed: fc.nat(1000),
});
type Program = typeof program extends fc.Arbitrary<infer T> ? T : never;

function build(p: Program) {
  const rank = p.kept.length + p.reduced.length;
  const axes = p.reduced.map((_, i) => p.kept.length + i);
  const middle = MIDDLES[p.middle]!;
  return (x: NdArray, s: NdArray, w: NdArray) => {
    const pre = PROLOGUES[p.prologue]!(x);
    let r = REDUCERS[p.reducer]!(pre, axes);
    // Without keepdims the result (and the ops on it) has the kept shape, and is
    // reshaped back to broadcast: the same layout.
    if (p.keepdims) r = middle(r, pre, axes, s, w);
    else r = middle(r.reshape(p.kept), pre, axes, s, w).reshape([...p.kept, ...p.reduced.map(() => 1)]);
    let out = EPILOGUES[p.epilogue]!(pre, r);
    if (p.normalise !== "no") {
      // Layernorm's second stage: a reduction of the epilogue, then its own epilogue,
      // with sqrt(ss + 1) taken over the full domain or (as layernorm is usually
      // written) over the reduced shape, per segment.
      const ss = np.sum(out.mul(out), axes, { keepdims: true });
      out = p.normalise === "full" ? out.div(np.sqrt(np.broadcastTo(ss, out.shape).add(1))) : out.div(np.sqrt(ss.add(1)));
    }
    expect(out.ndim).toBe(rank);
    return [out, r];
  };
}

const input = (p: Program) => {
  const shape = [...p.kept, ...p.reduced];
  const n = shape.reduce((a, b) => a * b, 1);
  return np.array(Array.from({ length: n }, (_, i) => Math.sin(p.seed + 1.7 * i) * 2), { dtype: p.dtype }).reshape(shape);
};
const scalar = (p: Program) => np.array(0.75 + (p.seed % 7) / 4, { dtype: p.dtype });
const perRow = (p: Program) => {
  const n = p.kept.reduce((a, b) => a * b, 1);
  return np.array(Array.from({ length: n }, (_, i) => Math.cos(p.seed + i)), { dtype: p.dtype }).reshape(p.kept);
};

describe("reduction epilogues under jit", () => {
  test("random prologue → reduction → per-segment ops → epilogue (→ second reduction → per-segment ops → epilogue) programs agree with eager", () => {
    fc.assert(
      fc.property(program, (p) => {
        const f = build(p);
        const [x, s, w] = [input(p), scalar(p), perRow(p)];
        // The whole program is one fused instruction (segments here are at most 49
        // long); over size-1 segments the optimizer has already turned the reductions
        // into reshapes, and ops over the reduced shape are a group of their own.
        if (p.reduced.some((d) => d > 1)) {
          const text = jit(f).lower(x, s, w).toString();
          expect(text).toContain("program:\n1 instruction");
          if (p.middle !== "id" || p.normalise === "reduced") expect(text).toContain("(per segment)");
        }
        const got = jit(f)(x, s, w) as NdArray[];
        f(x, s, w).forEach((want, k) => expectAgree(`${JSON.stringify(p)} output ${k}`, got[k]!, want, true));
      }),
      { numRuns: 150 },
    );
  });

  test("ops over the reduced shape may read memory with one value per segment, in segment order only", () => {
    const x = np.linspace(-2, 2, 4 * 6).reshape([4, 6]);
    const w = np.linspace(1, 2, 8).reshape([4, 2]);
    // A per-row weight: a contiguous column is in segment order, a strided one is not.
    const weighted = (x: NdArray, v: NdArray) => x.sub(np.sum(x, 1, { keepdims: true }).mul(v));
    const contiguous = (x: NdArray, w: NdArray) => weighted(x, lax.slice(w.reshape([8]), [4], [8]).reshape([4, 1]));
    const strided = (x: NdArray, w: NdArray) => weighted(x, lax.slice(w, [0, 1], [4, 2]));
    expect(jit(contiguous).lower(x, w).toString()).toMatch(/program:\n1 instruction[\s\S]*= mul .*\(per segment\)/);
    expect(jit(strided).lower(x, w).toString()).not.toContain("(per segment)");
    for (const [label, f] of [["contiguous", contiguous], ["strided", strided]] as const) {
      expectAgree(`per-row weight, ${label}`, jit(f)(x, w), f(x, w), true);
    }
    // Sums of [2,3,5] over its last axis, read transposed ([3,2]): not in segment order.
    const y = np.linspace(-2, 2, 30).reshape([2, 3, 5]);
    const transposed = (x: NdArray) => x.add(np.sqrt(np.abs(np.sum(x, 2).T.add(1))).T.reshape([2, 3, 1]));
    expect(jit(transposed).lower(y).toString()).not.toContain("(per segment)");
    expectAgree("transposed", jit(transposed)(y), transposed(y), true);
  });

  test("an epilogue joins its reduction's instruction; segments longer than a tile do not fuse that way but agree", () => {
    const softmaxRows = (x: NdArray) => {
      const e = np.exp(x.sub(np.max(x, -1, { keepdims: true })));
      return e.div(np.sum(e, -1, { keepdims: true }));
    };
    const small = np.linspace(-2, 2, 3 * 500).reshape([3, 500]);
    expect(jit(softmaxRows).lower(small).toString()).toContain("program:\n1 instruction");
    const long = np.linspace(-2, 2, 2 * 5000).reshape([2, 5000]); // rows longer than MAX_SEGMENT_TILE
    const text = jit(softmaxRows).lower(long).toString();
    expect(text).not.toContain("program:\n1 instruction");
    expectAgree("long rows", jit(softmaxRows)(long), softmaxRows(long), true);
    expectAgree("short rows", jit(softmaxRows)(small), softmaxRows(small), true);
    // The same for per-segment ops: layernorm's are a group of their own over long rows.
    const layernorm = (x: NdArray) => {
      const d = x.sub(np.mean(x, -1, { keepdims: true }));
      return d.div(np.sqrt(np.mean(d.mul(d), -1, { keepdims: true }).add(1e-5)));
    };
    expect(jit(layernorm).lower(small).toString()).toContain("program:\n1 instruction");
    const longText = jit(layernorm).lower(long).toString();
    expect(longText).not.toContain("program:\n1 instruction");
    expect(longText).not.toContain("(per segment)");
    expectAgree("layernorm, long rows", jit(layernorm)(long), layernorm(long), true);
    expectAgree("layernorm, short rows", jit(layernorm)(small), layernorm(small), true);
  });

  test("a 1-D reduction read back (every stride 0) is loaded after its REDUCE, not in the prologue", () => {
    const f = (x: NdArray) => x.sub(np.max(x)).div(np.sum(x.mul(x)));
    const x = np.array([3, -1, 4, 1, -5, 9, 2, 6], { dtype: "float32" });
    const text = jit(f).lower(x).toString();
    expect(text).toContain("program:\n1 instruction");
    expect(text).not.toMatch(/load b\{[^}]*\} \(once\)/);
    expectAgree("1-D", jit(f)(x), f(x), true);
  });

  test("a reduction read in another layout (transposed) is not an epilogue, and agrees", () => {
    const f = (x: NdArray) => x.add(np.sum(x, 1, { keepdims: true }).T);
    const x = np.arange(16).reshape([4, 4]).astype("float32");
    const text = jit(f).lower(x).toString();
    expect(text).not.toContain("program:\n1 instruction");
    expectAgree("transposed read", jit(f)(x), f(x), true);
  });
});
