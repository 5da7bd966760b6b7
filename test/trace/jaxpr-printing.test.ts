// Snapshots written from JAX's documented make_jaxpr output (current JAX text format).
import { describe, expect, test } from "vitest";
import { lax, makeJaxpr, numpy as np, special } from "../../src/index.js";
import { pyFloatRepr, varName } from "../../src/trace/printer.js";

describe("makeJaxpr prints JAX's text format", () => {
  test("sin of cos, one line", () => {
    expect(makeJaxpr((x: np.Array) => np.sin(np.cos(x)))(3.0).toString()).toBe(
      "{ lambda ; a:f32[]. let b:f32[] = cos a; c:f32[] = sin b in (c,) }",
    );
  });

  test("rev and the dynamic windows: negative indices wrapped with a select, JS numbers as literals", () => {
    const f = (x: np.Array, i: np.Array) => lax.dynamicUpdateSlice(lax.rev(x, [1]), lax.dynamicSlice(x, [i, 1], [2, 2]), [0, i]);
    expect(makeJaxpr(f)(np.ones([3, 4]), np.array(1, { dtype: "int32" })).toString()).toBe(
      [
        "{ lambda ; a:f32[3,4] b:i32[]. let",
        "    c:f32[3,4] = rev[dimensions=(1,)] a",
        "    d:bool[] = lt b 0:i32[]",
        "    e:i32[] = add b 3:i32[]",
        "    f:i32[] = select_n d b e",
        "    g:f32[2,2] = dynamic_slice[slice_sizes=(2, 2)] a f 1:i32[]",
        "    h:bool[] = lt b 0:i32[]",
        "    i:i32[] = add b 4:i32[]",
        "    j:i32[] = select_n h b i",
        "    k:f32[3,4] = dynamic_update_slice c g 0:i32[] j",
        "  in (k,) }",
      ].join("\n"),
    );
  });

  test("gather and scatter-add print their dimension numbers and mode as JAX does", () => {
    const take = { offsetDims: [], collapsedSliceDims: [0], startIndexMap: [0], operandBatchingDims: [], startIndicesBatchingDims: [] };
    const put = { updateWindowDims: [], insertedWindowDims: [0], scatterDimsToOperandDims: [0], operandBatchingDims: [], scatterIndicesBatchingDims: [] };
    const f = (x: np.Array, i: np.Array) => lax.scatterAdd(x, i, lax.gather(x, i, take, [1], { mode: "clip" }), put);
    expect(makeJaxpr(f)(np.ones([5]), np.zeros([3, 1], { dtype: "int32" })).toString()).toBe(
      [
        "{ lambda ; a:f32[5] b:i32[3,1]. let",
        "    c:f32[3] = gather[",
        "      dimension_numbers=GatherDimensionNumbers(offset_dims=(), collapsed_slice_dims=(0,), start_index_map=(0,), operand_batching_dims=(), start_indices_batching_dims=())",
        "      fill_value=None",
        "      indices_are_sorted=False",
        "      mode=GatherScatterMode.CLIP",
        "      slice_sizes=(1,)",
        "      unique_indices=False",
        "    ] a b",
        "    d:f32[5] = scatter-add[",
        "      dimension_numbers=ScatterDimensionNumbers(update_window_dims=(), inserted_window_dims=(0,), scatter_dims_to_operand_dims=(0,), operand_batching_dims=(), scatter_indices_batching_dims=())",
        "      indices_are_sorted=False",
        "      mode=GatherScatterMode.FILL_OR_DROP",
        "      unique_indices=False",
        "      update_consts=()",
        "      update_jaxpr=None",
        "    ] a b c",
        "  in (d,) }",
      ].join("\n"),
    );
  });

  test("func1 of the jaxpr docs: typed literal, reduce params, multi-line layout", () => {
    const func1 = (first: np.Array, second: np.Array) => np.sum(first.add(np.sin(second).mul(3.0)));
    expect(makeJaxpr(func1)(np.zeros([8]), np.ones([8])).toString()).toBe(
      [
        "{ lambda ; a:f32[8] b:f32[8]. let",
        "    c:f32[8] = sin b",
        "    d:f32[8] = mul c 3.0:f32[]",
        "    e:f32[8] = add a d",
        "    f:f32[] = reduce_sum[axes=(0,) out_sharding=None] e",
        "  in (f,) }",
      ].join("\n"),
    );
  });

  test("a dense layer: dot_general params broken over lines, rank promotion, relu literal", () => {
    const layer = (x: np.Array, w: np.Array, b: np.Array) => np.maximum(np.matmul(x, w).add(b), 0);
    expect(makeJaxpr(layer)(np.ones([4, 8]), np.ones([8, 16]), np.zeros([16])).toString()).toBe(
      [
        "{ lambda ; a:f32[4,8] b:f32[8,16] c:f32[16]. let",
        "    d:f32[4,16] = dot_general[",
        "      dimension_numbers=(([1], [0]), ([], []))",
        "      preferred_element_type=float32",
        "    ] a b",
        "    e:f32[1,16] = broadcast_in_dim[broadcast_dimensions=(1,)] c",
        "    f:f32[4,16] = add d e",
        "    g:f32[4,16] = max f 0.0:f32[]",
        "  in (g,) }",
      ].join("\n"),
    );
  });

  test("closed-over arrays become constvars; scalars stay literals", () => {
    const c = np.array([1, 2, 3]);
    expect(makeJaxpr((x: np.Array) => x.add(c).mul(2))(np.zeros([3])).toString()).toBe(
      // 81 columns on one line, so it breaks
      "{ lambda a:f32[3]; b:f32[3]. let\n    c:f32[3] = add b a\n    d:f32[3] = mul c 2.0:f32[]\n  in (d,) }",
    );
    expect(makeJaxpr((x: np.Array) => x.add(c).mul(2))(np.zeros([3])).jaxpr.constvars.length).toBe(1);
    expect(makeJaxpr((x: np.Array) => x.add(c))(np.zeros([3])).toString()).toBe(
      "{ lambda a:f32[3]; b:f32[3]. let c:f32[3] = add b a in (c,) }",
    );
  });

  test("integer and bool literals, comparisons and select_n", () => {
    const f = (x: np.Array) => np.where(x.gt(0), x, x.mul(2));
    expect(makeJaxpr(f)(np.array([1, 2], { dtype: "int32" })).toString()).toBe(
      "{ lambda ; a:i32[2]. let\n" +
        "    b:bool[2] = gt a 0:i32[]\n" +
        "    c:i32[2] = mul a 2:i32[]\n" +
        "    d:i32[2] = select_n b c a\n" +
        "  in (d,) }",
    );
  });

  test("params of shape primitives", () => {
    const f = (x: np.Array) => x.transpose([1, 0]).reshape([6]).astype("int32");
    expect(makeJaxpr(f)(np.zeros([2, 3])).toString()).toBe(
      "{ lambda ; a:f32[2,3]. let\n" +
        "    b:f32[3,2] = transpose[permutation=(1, 0)] a\n" +
        "    c:f32[6] = reshape[dimensions=None new_sizes=(6,) sharding=None] b\n" +
        "    d:i32[6] = convert_element_type[new_dtype=int32 weak_type=False] c\n" +
        "  in (d,) }",
    );
    const g = (x: np.Array) => [lax.slice(x, [1], [5], [2]), lax.concatenate([x, x], 0), np.argmax(x), lax.integerPow(x, 3)];
    expect(makeJaxpr(g)(np.zeros([6])).toString()).toBe(
      "{ lambda ; a:f32[6]. let\n" +
        "    b:f32[2] = slice[limit_indices=(5,) start_indices=(1,) strides=(2,)] a\n" +
        "    c:f32[12] = concatenate[dimension=0] a a\n" +
        "    d:i32[] = argmax[axes=(0,) index_dtype=int32] a\n" +
        "    e:f32[6] = integer_pow[y=3] a\n" +
        "  in (b, c, d, e) }",
    );
    expect(makeJaxpr(() => lax.iota("int32", 4))().toString()).toBe(
      "{ lambda ; . let\n    a:i32[4] = iota[dimension=0 dtype=int32 shape=(4,) sharding=None]\n  in (a,) }",
    );
  });

  test("issue-6 primitives print with JAX's names and params", () => {
    const f = (x: np.Array, i: np.Array) => [np.round(x), lax.isFinite(x), np.rightShift(i, i), special.gammaln(x)];
    expect(makeJaxpr(f)(np.zeros([3]), np.zeros([3], { dtype: "int32" })).toString()).toBe(
      "{ lambda ; a:f32[3] b:i32[3]. let\n" +
        "    c:f32[3] = round[rounding_method=1] a\n" +
        "    d:bool[3] = is_finite a\n" +
        "    e:i32[3] = shift_right_arithmetic b b\n" +
        "    f:f32[3] = lgamma a\n" +
        "  in (c, d, e, f) }",
    );
  });

  test("an identity has an empty body; pytrees flatten in order", () => {
    expect(makeJaxpr((x: np.Array) => x)(1.0).toString()).toBe("{ lambda ; a:f32[]. let  in (a,) }");
    const f = (p: { w: np.Array; b: np.Array }, x: np.Array) => ({ out: x.mul(p.w).add(p.b) });
    expect(makeJaxpr(f)({ w: np.ones([2]), b: np.zeros([2]) }, np.ones([2])).toString()).toBe(
      "{ lambda ; a:f32[2] b:f32[2] c:f32[2]. let\n    d:f32[2] = mul c b\n    e:f32[2] = add d a\n  in (e,) }",
    );
  });

  test("staticArgnums passes static values through; unknown options are rejected", () => {
    const f = (x: np.Array, n: number) => x.mul(n);
    expect(makeJaxpr(f, { staticArgnums: [1] })(np.ones([2]), 4).toString()).toBe(
      "{ lambda ; a:f32[2]. let b:f32[2] = mul a 4.0:f32[] in (b,) }",
    );
    expect(() => makeJaxpr(f, { staticArgnum: [1] } as never)).toThrow(
      'makeJaxpr: unknown option "staticArgnum"; the options are: staticArgnums.',
    );
  });

  test("long bodies name variables past z: ba, bb, …", () => {
    const f = (x: np.Array) => {
      let y = x;
      for (let i = 0; i < 28; i++) y = np.sin(y);
      return y;
    };
    const text = makeJaxpr(f)(1.0).toString();
    const lines = text.split("\n");
    expect(lines[0]).toBe("{ lambda ; a:f32[]. let");
    expect(lines[1]).toBe("    b:f32[] = sin a");
    expect(lines[26]).toBe("    ba:f32[] = sin z");
    expect(lines[28]).toBe("    bc:f32[] = sin bb");
    expect(lines[29]).toBe("  in (bc,) }");
  });
});

describe("printing helpers", () => {
  test("variable names follow JAX's alphabetic encoding", () => {
    // JAX's _encode_digits_alphabetic is base 26 with a = 0, so "zz" is 675 and 676 is "baa".
    expect([0, 25, 26, 27, 51, 52, 675, 676, 701].map(varName)).toEqual(["a", "z", "ba", "bb", "bz", "ca", "zz", "baa", "baz"]);
  });

  test("float literals print as Python's repr of the float", () => {
    expect(pyFloatRepr(Math.fround(0.1), "float32")).toBe("0.1");
    expect(pyFloatRepr(0.1, "float64")).toBe("0.1");
    expect(pyFloatRepr(Math.fround(1e-5), "float32")).toBe("1e-05");
    expect(pyFloatRepr(1e16, "float64")).toBe("1e+16");
    expect(pyFloatRepr(123.5, "float32")).toBe("123.5");
    expect(pyFloatRepr(-2, "float32")).toBe("-2.0");
    expect(pyFloatRepr(0.0001, "float64")).toBe("0.0001");
    expect(pyFloatRepr(Math.fround(1.5e-7), "float32")).toBe("1.5e-07");
    expect(pyFloatRepr(-0, "float32")).toBe("-0.0");
    expect(pyFloatRepr(Infinity, "float32")).toBe("inf");
    expect(pyFloatRepr(NaN, "float64")).toBe("nan");
  });
});
