// oneHot against a JS reference over drawn shapes, classes and axes; dtypes; jit and
// vmap; errors. Also: nn.logsumexp is numpy's.
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { ArgumentError, jit, makeJaxpr, nn, numpy as np } from "../../src/index.js";
import type { Array as NdArray } from "../../src/trace/array.js";
import { RUNS, checkVmap, device, expectClose, fromFn } from "../numpy/helpers.js";
import { smallShape } from "../numpy/values.js";

describe("oneHot", () => {
  test("against a JS reference (out-of-range values give zero rows; any axis)", () => {
    const arb = fc.tuple(smallShape({ maxRank: 3, maxDim: 3 }), fc.integer({ min: 0, max: 4 })).chain(([shape, k]) =>
      fc.tuple(
        fc.array(fc.integer({ min: -2, max: k + 1 }), { minLength: shape.reduce((a, b) => a * b, 1), maxLength: shape.reduce((a, b) => a * b, 1) }).map((data) => ({ shape, data })),
        fc.constant(k),
        fc.integer({ min: -shape.length - 1, max: shape.length }),
      ),
    );
    fc.assert(
      fc.property(arb, ([h, k, axis]) => {
        const x = device(h, "int32");
        const pos = axis < 0 ? axis + h.shape.length + 1 : axis;
        const outShape = [...h.shape.slice(0, pos), k, ...h.shape.slice(pos)];
        const want = fromFn(outShape, (idx) => {
          const c = idx[pos]!;
          const src = [...idx.slice(0, pos), ...idx.slice(pos + 1)];
          const flat = src.reduce((acc, v, d) => acc * h.shape[d]! + v, 0);
          return +(h.data[flat] === c);
        });
        const y = nn.oneHot(x, k, { axis });
        expect(y.dtype).toBe("float32");
        expectClose(y, want, { rtol: 0, atol: 0 });
      }),
      RUNS,
    );
  });

  test("dtype option, float and bool inputs, jit, vmap, the jaxpr", () => {
    const x = np.array([0, 2, 1], { dtype: "int32" });
    const y = nn.oneHot(x, 3, { dtype: "int32" });
    expect(y.dtype).toBe("int32");
    expect(y.tolist()).toEqual([[1, 0, 0], [0, 0, 1], [0, 1, 0]]);
    expect(nn.oneHot(np.array([0, 1.5, 2]), 3).tolist()).toEqual([[1, 0, 0], [0, 0, 0], [0, 0, 1]]);
    expect(nn.oneHot(np.array([true, false]), 2, { dtype: "bool" }).tolist()).toEqual([[false, true], [true, false]]);
    expect(jit((a: NdArray) => nn.oneHot(a, 3, { axis: 0 }))(x).tolist()).toEqual([[1, 0, 0], [0, 0, 1], [0, 1, 0]]);
    checkVmap((a: NdArray) => nn.oneHot(a, 4), [device({ shape: [2, 3], data: [0, 3, 1, 2, 2, -1] }, "int32")]);
    expect(makeJaxpr((a: NdArray) => nn.oneHot(a, 3))(x).toString()).toBe(
      "{ lambda ; a:i32[3]. let\n    b:i32[3,1] = broadcast_in_dim[broadcast_dimensions=(0,)] a\n" +
        "    c:i32[1,3] = iota[dimension=1 dtype=int32 shape=(1, 3) sharding=None]\n" +
        "    d:bool[3,3] = eq b c\n    e:f32[3,3] = convert_element_type[new_dtype=float32 weak_type=False] d\n  in (e,) }",
    );
  });

  test("errors name the op", () => {
    const x = np.array([0, 1], { dtype: "int32" });
    expect(() => nn.oneHot(x, 2.5)).toThrow("oneHot: numClasses must be a non-negative integer (a JS number known when tracing), got 2.5.");
    expect(() => nn.oneHot(x, -1)).toThrow(ArgumentError);
    expect(() => nn.oneHot(x, np.array(3) as never)).toThrow("oneHot: numClasses must be a non-negative integer (a JS number known when tracing), got object.");
    expect(() => nn.oneHot(x, 3, { axis: 2 })).toThrow("oneHot: axis 2 is out of range for an array of rank 2; use an integer in [-2, 1].");
    expect(() => nn.oneHot(x, 3, { dtype: "float16" })).toThrow("oneHot");
    expect(() => nn.oneHot(x, 3, { classes: 3 } as never)).toThrow('oneHot: unknown option "classes"; the options are: dtype, axis.');
  });
});

test("nn.logsumexp is numpy's logsumexp", () => {
  expect(nn.logsumexp).toBe(np.logsumexp);
  expectClose(nn.logsumexp(np.array([1, 2, 3], { dtype: "float64" })), { shape: [], data: [Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3))] }, { rtol: 1e-15, atol: 0 });
});
