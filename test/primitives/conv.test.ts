/**
 * conv_general_dilated and reduce_window_{sum,max,min}: WASM == interpreter over
 * random problems (cases-conv.ts: layouts, groups, dilations, padding; plus problems
 * large enough for the im2col path and strided views), closed forms (a delta kernel
 * is the identity, a box filter sums windows, numpy's convolve/correlate on hand
 * values and against their definition), pooling, gradients (checkGrads, float64,
 * both modes), vmap without loops, jit(f) = f, JAX's printing, and error messages.
 */
import fc from "fast-check";
import { describe, expect, it, test } from "vitest";
import { grad, jit, lax, makeJaxpr, numpy as np, vmap } from "../../src/index.js";
import { checkGrads } from "../../src/testing/index.js";
import type { Array as NdArray } from "../../src/trace/array.js";
import { FLOAT_DTYPES, hostArb } from "../helpers/arbitraries.js";
import { convBound, convCases, convFn, convProblemArb } from "../helpers/cases-conv.js";
import { NUM_RUNS, checkParity, runCases } from "../helpers/parity.js";

runCases(convCases);

const NHWC = ["NHWC", "HWIO", "NHWC"] as const;
const seq = (n: number, f = (i: number) => i): number[] => Array.from({ length: n }, (_, i) => f(i));
const values = (x: NdArray): number[] => Array.from(x.dataSync());

describe("conv_general_dilated parity beyond the random small problems", () => {
  it.each(FLOAT_DTYPES)("%s: problems with 4-8 output features per group (the im2col path)", (dtype) => {
    fc.assert(
      fc.property(
        convProblemArb({ maxSpatial: 2, maxSize: 6, co: { min: 4, max: 8 } }).chain((p) =>
          fc.tuple(fc.constant(p), hostArb(dtype, p.lhsShape, { min: -10, max: 10, finite: true }), hostArb(dtype, p.rhsShape, { min: -10, max: 10, finite: true })),
        ),
        ([p, l, r]) => checkParity(`conv ${p.params.dimensionNumbers}`, [l, r], convFn(p.params), convBound([l, r], p, dtype)),
      ),
      { numRuns: Math.max(10, NUM_RUNS / 2) },
    );
  });

  it("reads transposed views without copies changing the result", () => {
    fc.assert(
      fc.property(
        convProblemArb({ maxSpatial: 2, co: { min: 1, max: 6 } }).chain((p) =>
          fc.tuple(fc.constant(p), hostArb("float32", [...p.lhsShape].reverse(), { min: -10, max: 10, finite: true }), hostArb("float32", p.rhsShape, { min: -10, max: 10, finite: true })),
        ),
        ([p, l, r]) => {
          const view = (a: NdArray, b: NdArray): [NdArray, NdArray] => [a.transpose(), b];
          checkParity("conv of a transposed lhs", [l, r], (a, b) => convFn(p.params)(...view(a!, b!)), convBound([l, r], p, "float32", view));
        },
      ),
      { numRuns: 20 },
    );
  });
});

describe("closed forms", () => {
  test("a centred delta kernel with identity channels is the identity (SAME, NHWC)", () => {
    const x = np.array(seq(1 * 5 * 6 * 3, (i) => Math.sin(i) * 10), { dtype: "float32" }).reshape([1, 5, 6, 3]);
    const w = np.zeros([3, 3, 3, 3]).dataSync().slice();
    for (let c = 0; c < 3; c++) w[(1 * 3 + 1) * 9 + c * 3 + c] = 1;
    const k = np.array(Array.from(w), { dtype: "float32" }).reshape([3, 3, 3, 3]);
    const y = lax.convGeneralDilated(x, k, [1, 1], "SAME", { dimensionNumbers: NHWC });
    expect(y.shape).toEqual([1, 5, 6, 3]);
    expect(values(y)).toEqual(values(x));
  });

  test("a box filter of ones equals reduce_window_sum over the same windows", () => {
    const x = np.array(seq(2 * 7 * 5, (i) => (i * 37) % 11), { dtype: "float64" }).reshape([2, 1, 7, 5]);
    const y = lax.conv(x, np.ones([1, 1, 3, 2], { dtype: "float64" }), [2, 1], "SAME");
    const z = lax.reduceWindow(x, 0, lax.add, [1, 1, 3, 2], [1, 1, 2, 1], "SAME");
    expect(y.shape).toEqual([2, 1, 4, 5]);
    expect(values(y)).toEqual(values(z));
  });

  test("strided and dilated 1-D conv by hand", () => {
    // x = [1..6], kernel [1, 10] dilated by 2 (taps 0 and 2), stride 2, padding (1, 0):
    // padded [0, 1, 2, 3, 4, 5, 6]; windows start at 0, 2, 4: 0 + 20, 2 + 40, 4 + 60.
    const y = lax.convWithGeneralPadding(np.array([[[1, 2, 3, 4, 5, 6]]]), np.array([[[1, 10]]]), [2], [[1, 0]], null, [2]);
    expect(values(y)).toEqual([20, 42, 64]);
  });

  test("feature groups: a depthwise conv scales each channel by its own kernel", () => {
    const x = np.array(seq(8, (i) => i + 1), { dtype: "float32" }).reshape([1, 4, 2]); // N W C
    const k = np.array([2, 3], { dtype: "float32" }).reshape([1, 1, 2]); // W I O, one input channel per group
    const y = lax.convGeneralDilated(x, k, [1], "VALID", { dimensionNumbers: ["NWC", "WIO", "NWC"], featureGroupCount: 2 });
    expect(values(y)).toEqual([2, 6, 6, 12, 10, 18, 14, 24]);
  });

  test("convTranspose with 'SAME' and stride 2 doubles the spatial size and matches the lhs gradient of the forward conv", () => {
    const x = np.array(seq(1 * 4 * 4 * 2, (i) => Math.cos(i)), { dtype: "float64" }).reshape([1, 4, 4, 2]);
    const k = np.array(seq(3 * 3 * 3 * 2, (i) => Math.sin(i * 0.7)), { dtype: "float64" }).reshape([3, 3, 3, 2]); // HWIO: 3 in, 2 out
    const up = lax.convTranspose(x, k, [2, 2], "SAME", { transposeKernel: true });
    expect(up.shape).toEqual([1, 8, 8, 3]);
    // conv_transpose(transpose_kernel) is the VJP of the strided forward conv.
    const fwd = (z: NdArray) => lax.convGeneralDilated(z, k, [2, 2], "SAME", { dimensionNumbers: NHWC });
    const g = grad((z: NdArray) => np.sum(fwd(z).mul(x)))(np.zeros([1, 8, 8, 3], { dtype: "float64" })) as NdArray;
    values(up).forEach((v, i) => expect(v).toBeCloseTo(values(g)[i]!, 12));
  });
});

describe("numpy convolve / correlate", () => {
  test("hand values in every mode", () => {
    expect(values(np.convolve(np.array([1, 2, 3]), np.array([0, 1, 0.5])))).toEqual([0, 1, 2.5, 4, 1.5]);
    expect(values(np.convolve(np.array([1, 2, 3]), np.array([0, 1, 0.5]), "same"))).toEqual([1, 2.5, 4]);
    expect(values(np.convolve(np.array([1, 2, 3]), np.array([0, 1, 0.5]), "valid"))).toEqual([2.5]);
    expect(values(np.correlate(np.array([1, 2, 3]), np.array([0, 1, 0.5]), "full"))).toEqual([0.5, 2, 3.5, 3, 0]);
    expect(values(np.correlate(np.array([1, 2, 3]), np.array([0, 1, 0.5])))).toEqual([3.5]);
    expect(values(np.correlate(np.array([0, 1, 0.5]), np.array([1, 2, 3]), "full"))).toEqual([0, 3, 3.5, 2, 0.5]);
  });

  test("match their definitions for any lengths and modes", () => {
    const full = (a: number[], v: number[], flip: boolean): number[] =>
      seq(a.length + v.length - 1, (j) => {
        let s = 0;
        for (let i = 0; i < v.length; i++) {
          const t = j - (v.length - 1) + i;
          if (t >= 0 && t < a.length) s += a[t]! * (flip ? v[v.length - 1 - i]! : v[i]!);
        }
        return s;
      });
    const crop = (c: number[], n: number, m: number, mode: string): number[] =>
      mode === "full" ? c : mode === "same" ? c.slice((Math.min(n, m) - 1) >> 1, ((Math.min(n, m) - 1) >> 1) + Math.max(n, m)) : c.slice(Math.min(n, m) - 1, Math.max(n, m));
    const ints = (n: number) => fc.array(fc.integer({ min: -9, max: 9 }), { minLength: 1, maxLength: n });
    fc.assert(
      fc.property(ints(8), ints(8), fc.constantFrom("full", "same", "valid" as const), (a, v, mode) => {
        const [long, short] = a.length >= v.length ? [a, v] : [v, a];
        const conv = crop(full(long, short, true), a.length, v.length, mode);
        expect(values(np.convolve(np.array(a, { dtype: "float64" }), np.array(v, { dtype: "float64" }), mode))).toEqual(conv);
        const corr = a.length >= v.length ? crop(full(a, v, false), a.length, v.length, mode) : crop(full(v, a, false), a.length, v.length, mode).reverse();
        expect(values(np.correlate(np.array(a, { dtype: "float64" }), np.array(v, { dtype: "float64" }), mode))).toEqual(corr);
      }),
      { numRuns: 60 },
    );
  });
});

describe("pooling", () => {
  const x = np.array([1, 5, 2, 0, 3, 4, 8, 1, 0, 2, 6, 7, 9, 1, 3, 5], { dtype: "float32" }).reshape([1, 4, 4, 1]);
  test("maxPool and avgPool, 2x2 windows, stride 2", () => {
    expect(values(lax.maxPool(x, [2, 2], { strides: [2, 2] }))).toEqual([5, 8, 9, 7]);
    expect(values(lax.avgPool(x, [2, 2], { strides: [2, 2] }))).toEqual([13 / 4, 11 / 4, 12 / 4, 21 / 4]);
  });
  test("SAME padding never wins a max; countIncludePad: false averages real elements only", () => {
    const neg = x.mul(-1);
    expect(values(lax.maxPool(neg, [3, 3], { strides: [2, 2], padding: "SAME" })).every((v) => v <= 0)).toBe(true);
    const avg = lax.avgPool(np.onesLike(x), [3, 3], { padding: "SAME", countIncludePad: false });
    expect(values(avg).every((v) => v === 1)).toBe(true);
  });
  test("gradients of pooling (checkGrads, float64, both modes)", () => {
    const xs = np.array(seq(2 * 5 * 4 * 3, (i) => Math.sin(i * 1.3) + i * 1e-3), { dtype: "float64" }).reshape([2, 5, 4, 3]);
    checkGrads((a: NdArray) => lax.maxPool(a, [2, 2], { strides: [2, 1], padding: "SAME" }), [xs], { order: 1 });
    checkGrads((a: NdArray) => lax.avgPool(a, [3, 2], { padding: "SAME", countIncludePad: false }), [xs], { order: 2 });
  });
});

describe("transforms", () => {
  test("gradients w.r.t. both operands, NHWC, strided, grouped (checkGrads, float64, both modes)", () => {
    const x = np.array(seq(2 * 6 * 5 * 4, (i) => Math.sin(i * 0.37)), { dtype: "float64" }).reshape([2, 6, 5, 4]);
    const k = np.array(seq(3 * 2 * 2 * 6, (i) => Math.cos(i * 0.51)), { dtype: "float64" }).reshape([3, 2, 2, 6]);
    const f = (a: NdArray, b: NdArray) =>
      lax.convGeneralDilated(a, b, [2, 1], "SAME", { dimensionNumbers: NHWC, featureGroupCount: 2, rhsDilation: [1, 2] });
    checkGrads(f, [x, k], { order: 2 });
  });

  test("vmap over images is one conv (the batch folds into the conv's batch), and equals the loop", () => {
    const k = np.array(seq(3 * 3 * 2 * 4, (i) => Math.sin(i)), { dtype: "float32" }).reshape([3, 3, 2, 4]);
    const one = (img: NdArray) => lax.convGeneralDilated(img.reshape([1, 6, 6, 2]), k, [1, 1], "SAME", { dimensionNumbers: NHWC });
    const xs = np.array(seq(5 * 6 * 6 * 2, (i) => Math.cos(i)), { dtype: "float32" }).reshape([5, 6, 6, 2]);
    const text = makeJaxpr(vmap(one))(xs).toString();
    expect(text.match(/conv_general_dilated/g)?.length).toBe(1);
    const batched = vmap(one)(xs) as NdArray;
    for (let b = 0; b < 5; b++) {
      const single = one(lax.slice(xs, [b, 0, 0, 0], [b + 1, 6, 6, 2]).reshape([6, 6, 2]));
      expect(values(lax.slice(batched, [b, 0, 0, 0, 0], [b + 1, 1, 6, 6, 4]))).toEqual(values(single));
    }
  });

  test("jit(f) = f for a conv + pool + relu block and its gradient, with conv kernel steps in the program", () => {
    const k = np.array(seq(3 * 3 * 3 * 4, (i) => Math.sin(i * 0.3)), { dtype: "float32" }).reshape([3, 3, 3, 4]);
    const block = (x: NdArray) => np.sum(lax.maxPool(np.maximum(lax.convGeneralDilated(x, k, [1, 1], "SAME", { dimensionNumbers: NHWC }), 0), [2, 2], { strides: [2, 2] }));
    const x = np.array(seq(2 * 8 * 8 * 3, (i) => Math.cos(i * 0.11)), { dtype: "float32" }).reshape([2, 8, 8, 3]);
    expect(values(jit(block)(x) as NdArray)).toEqual(values(block(x)));
    const g = grad(block);
    expect(values(jit(g)(x) as NdArray)).toEqual(values(g(x) as NdArray));
    const program = jit(g).lower(x).toString();
    expect(program).toMatch(/conv_general_dilated f32/);
    expect(program).toMatch(/reduce_window_max window/);
  });
});

test("prints as JAX 0.9 prints conv_general_dilated and reduce_window_max", () => {
  const f = (x: NdArray, k: NdArray) => lax.reduceWindow(lax.convGeneralDilated(x, k, [1, 1], "SAME", { dimensionNumbers: NHWC }), -Infinity, lax.max, [1, 2, 2, 1], [1, 2, 2, 1], "VALID");
  expect(makeJaxpr(f)(np.zeros([1, 4, 4, 3]), np.zeros([3, 3, 3, 8])).toString()).toBe(
    [
      "{ lambda ; a:f32[1,4,4,3] b:f32[3,3,3,8]. let",
      "    c:f32[1,4,4,8] = conv_general_dilated[",
      "      batch_group_count=1",
      "      dimension_numbers=ConvDimensionNumbers(lhs_spec=(0, 3, 1, 2), rhs_spec=(3, 2, 0, 1), out_spec=(0, 3, 1, 2))",
      "      feature_group_count=1",
      "      lhs_dilation=(1, 1)",
      "      padding=((1, 1), (1, 1))",
      "      precision=None",
      "      preferred_element_type=None",
      "      rhs_dilation=(1, 1)",
      "      window_strides=(1, 1)",
      "    ] a b",
      "    d:f32[1,2,2,8] = reduce_window_max[",
      "      base_dilation=(1, 1, 1, 1)",
      "      padding=((0, 0), (0, 0), (0, 0), (0, 0))",
      "      window_dilation=(1, 1, 1, 1)",
      "      window_dimensions=(1, 2, 2, 1)",
      "      window_strides=(1, 2, 2, 1)",
      "    ] c",
      "  in (d,) }",
    ].join("\n"),
  );
});

describe("errors name the operation, the shapes and the fix", () => {
  const x = np.zeros([1, 4, 4, 3]);
  test("feature counts that do not match", () => {
    expect(() => lax.convGeneralDilated(x, np.zeros([3, 3, 2, 8]), [1, 1], "SAME", { dimensionNumbers: NHWC })).toThrow(
      "conv_general_dilated: the lhs feature dimension (size 3) divided by feature_group_count 1 must equal the rhs input feature dimension (size 2); lhs f32[1,4,4,3], rhs f32[3,3,2,8]. Check the dimension_numbers and the kernel's in-feature size.",
    );
  });
  test("bad dimension_numbers strings", () => {
    expect(() => lax.convGeneralDilated(x, np.zeros([3, 3, 3, 8]), [1, 1], "SAME", { dimensionNumbers: ["NHWC", "HWIO", "NHW"] })).toThrow(
      "conv_general_dilated: dimension_numbers ('NHWC', 'HWIO', 'NHW') must each have 4 letters, one per operand axis; e.g. ('NHWC', 'HWIO', 'NHWC') or ('NCHW', 'OIHW', 'NCHW').",
    );
    expect(() => lax.convGeneralDilated(x, np.zeros([3, 3, 3, 8]), [1, 1], "SAME", { dimensionNumbers: ["NHWX", "HWIO", "NHWC"] })).toThrow(
      "conv_general_dilated: dimension_numbers ('NHWX', 'HWIO', 'NHWC') needs 'C' in the lhs string 'NHWX'",
    );
    expect(() => lax.convGeneralDilated(x, np.zeros([3, 3, 3, 8]), [1, 1], "SAME", { dimensionNumbers: ["NHWC", "HDIO", "NHWC"] })).toThrow(
      "has spatial letters in the lhs string 'NHWC' that the rhs string 'HDIO' lacks",
    );
  });
  test("groups that do not divide the features", () => {
    expect(() => lax.convGeneralDilated(x, np.zeros([3, 3, 1, 8]), [1, 1], "SAME", { dimensionNumbers: NHWC, featureGroupCount: 2 })).toThrow(
      "conv_general_dilated: the lhs feature dimension (size 3) divided by feature_group_count 2 must equal the rhs input feature dimension (size 1)",
    );
    expect(() => lax.convGeneralDilated(np.zeros([1, 4, 4, 4]), np.zeros([3, 3, 2, 3]), [1, 1], "SAME", { dimensionNumbers: NHWC, featureGroupCount: 2 })).toThrow(
      "conv_general_dilated: the rhs output feature dimension (size 3) must be a multiple of feature_group_count 2; rhs f32[3,3,2,3].",
    );
    expect(() => lax.convGeneralDilated(np.zeros([3, 4, 4, 2]), np.zeros([3, 3, 2, 4]), [1, 1], "SAME", { dimensionNumbers: NHWC, batchGroupCount: 2 })).toThrow(
      "conv_general_dilated: batch_group_count 2 must divide both the lhs batch dimension (size 3) and the rhs output feature dimension (size 4).",
    );
  });
  test("integer operands, bad padding and window parameters", () => {
    expect(() => lax.conv(np.zeros([1, 1, 4], { dtype: "int32" }), np.zeros([1, 1, 2], { dtype: "int32" }), [1], "VALID")).toThrow(
      "conv_general_dilated: got operands of type i32[1,1,4], but conv_general_dilated needs a floating dtype (float32 or float64); cast with .astype('float32').",
    );
    expect(() => lax.conv(np.zeros([1, 1, 4]), np.zeros([1, 1, 2]), [1], "FULL" as never)).toThrow(
      "conv_general_dilated: padding 'FULL' is not 'SAME', 'VALID', 'SAME_LOWER' or a list of (low, high) pairs.",
    );
    expect(() => lax.conv(np.zeros([1, 1, 4]), np.zeros([1, 1, 2]), [1, 1], "VALID")).toThrow(
      "conv_general_dilated: window_strides (1, 1) has 2 entries, but the operand has 1 spatial dimensions; give one per spatial dimension.",
    );
    expect(() => lax.reduceWindow(np.zeros([4]), 1, lax.add, [2], [1], "VALID")).toThrow(
      "reduce_window: init_value 1 is not the identity of sum for float32 (0); reduce with the identity and combine the result with 1 instead.",
    );
    expect(() => lax.reduceWindow(np.zeros([4]), 0, lax.mul as never, [2], [1], "VALID")).toThrow(
      "reduce_window: computation must be lax.add, lax.max or lax.min",
    );
    expect(() => lax.reduceWindow(np.zeros([4]), 0, lax.add, [0], [1], "VALID")).toThrow(
      "reduce_window_sum: window_dimensions (0,) must be positive integers.",
    );
  });
});
