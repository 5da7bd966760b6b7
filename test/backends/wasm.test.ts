/**
 * The WASM backend, part 2: the Backend contract, views (movement ops share the
 * input's block; kernels read their strides), dot_general / concatenate / iota,
 * memory reuse and growth of linear memory.
 */
import { describe, expect, it } from "vitest";
import { type DType, DisposedArrayError, DTypeError, ShapeError, ShapedArray, TYPED_ARRAY } from "../../src/core/index.js";
import { WasmBackend, WasmBuffer, wasmBackend, wasmRules } from "../../src/backends/wasm/index.js";
import { ABI_VERSION } from "../../src/backends/wasm/abi.js";
import { kernels } from "../../src/backends/wasm/loader.js";
import type { BackendData } from "../../src/trace/backend.js";
import { KERNEL_PRIMS, type KernelPrim, Prim, type PrimParams } from "../../src/trace/prim.js";

const NONE = {} as Record<string, never>;
const aval = (shape: number[], dtype: DType = "float32") => new ShapedArray(shape, dtype);
const put = (B: WasmBackend, dtype: DType, shape: number[], values: number[]) =>
  B.fromHost(TYPED_ARRAY[dtype].from(values), aval(shape, dtype)) as WasmBuffer;
/** Executes one primitive; the output aval is [shape, dtype]. */
function exec<P extends KernelPrim>(B: WasmBackend, p: P, xs: BackendData[], params: PrimParams<P>, shape: number[], dtype: DType = "float32") {
  const ins = xs.map((x) => aval([...(x as WasmBuffer).shape], (x as WasmBuffer).dtype));
  return B.execute(p, xs, ins, params, [aval(shape, dtype)])[0] as WasmBuffer;
}
const read = (B: WasmBackend, x: BackendData) => Array.from(B.readSync(x, aval([])));

describe("WasmBackend contract", () => {
  it("loads kernels.wasm by top-level await and has a rule for every kernel primitive", () => {
    expect(kernels.fx_abi_version()).toBe(ABI_VERSION);
    expect(Object.keys(wasmRules).sort()).toEqual([...KERNEL_PRIMS].sort());
    expect(wasmBackend.name).toBe("wasm");
  });

  it("copies on fromHost and readSync; checks values against the aval", () => {
    const B = new WasmBackend();
    const src = new Float32Array([1, 2, 3]);
    const d = B.fromHost(src, aval([3]));
    src[0] = 99;
    const out = B.readSync(d, aval([3]));
    out[1] = 77;
    expect(read(B, d)).toEqual([1, 2, 3]);
    expect(() => B.fromHost(new Float64Array(3), aval([3]))).toThrow(DTypeError);
    expect(() => B.fromHost(new Float32Array(2), aval([3]))).toThrow(ShapeError);
    expect(read(B, B.fromHost(new Uint8Array([0, 2, 255]), aval([3], "bool")))).toEqual([0, 1, 1]);
  });

  it("counts blocks, not views; frees a block with its last handle; rejects reuse", () => {
    const B = new WasmBackend();
    const x = put(B, "float64", [2, 3], [1, 2, 3, 4, 5, 6]);
    expect(B.memoryStats()).toMatchObject({ liveBuffers: 1, liveBytes: 48 });
    const t = exec(B, Prim.Transpose, [x], { permutation: [1, 0] }, [3, 2], "float64");
    expect(t.block).toBe(x.block);
    expect(B.memoryStats().liveBuffers).toBe(1);
    B.release(x);
    expect(B.memoryStats().liveBuffers).toBe(1); // the view keeps the block
    expect(read(B, t)).toEqual([1, 4, 2, 5, 3, 6]);
    expect(() => read(B, x)).toThrow(DisposedArrayError);
    expect(() => B.release(x)).toThrow(DisposedArrayError);
    expect(() => exec(B, Prim.Neg, [x], NONE, [2, 3], "float64")).toThrow(DisposedArrayError);
    B.release(t);
    expect(B.memoryStats()).toMatchObject({ liveBuffers: 0, liveBytes: 0 });
    expect(B.memoryStats().reservedBytes).toBe(kernels.memory.buffer.byteLength);
  });
});

describe("views", () => {
  const B = new WasmBackend();
  it("movement ops are views; kernels read transposed, broadcast and sliced inputs", () => {
    const x = put(B, "float32", [2, 3], [1, 2, 3, 4, 5, 6]);
    const blocks = B.memoryStats().liveBuffers;
    const t = exec(B, Prim.Transpose, [x], { permutation: [1, 0] }, [3, 2]);
    const row = put(B, "float32", [2], [10, 20]);
    const b = exec(B, Prim.BroadcastInDim, [row], { shape: [3, 2], broadcastDimensions: [1], sharding: null }, [3, 2]);
    const s = exec(B, Prim.Slice, [x], { startIndices: [0, 0], limitIndices: [2, 3], strides: [1, 2] }, [2, 2]);
    const sq = exec(B, Prim.Squeeze, [exec(B, Prim.Slice, [x], { startIndices: [1, 0], limitIndices: [2, 3], strides: null }, [1, 3])], { dimensions: [0] }, [3]);
    expect(B.memoryStats().liveBuffers).toBe(blocks + 1); // only `row` allocated
    expect(b.strides).toEqual([0, 1]);
    expect(s.strides).toEqual([3, 2]);
    expect(read(B, exec(B, Prim.Add, [t, b], NONE, [3, 2]))).toEqual([11, 24, 12, 25, 13, 26]);
    expect(read(B, s)).toEqual([1, 3, 4, 6]);
    expect(read(B, exec(B, Prim.Mul, [s, s], NONE, [2, 2]))).toEqual([1, 9, 16, 36]);
    expect(read(B, sq)).toEqual([4, 5, 6]);
    expect(read(B, exec(B, Prim.ReduceSum, [t], { axes: [1], outSharding: null }, [3]))).toEqual([5, 7, 9]);
    const e = read(B, exec(B, Prim.Exp, [exec(B, Prim.Transpose, [s], { permutation: [1, 0] }, [2, 2])], NONE, [2, 2]));
    [1, 4, 3, 6].forEach((v, i) => expect(Math.abs(e[i]! / Math.exp(v) - 1)).toBeLessThan(2 ** -22));
  });

  it("transposes wider than a kernel tile (64) are walked in tiles, every element once", () => {
    const [r, c] = [70, 131];
    const x = put(B, "float32", [r, c], Array.from({ length: r * c }, (_, i) => i));
    const t = exec(B, Prim.Transpose, [x], { permutation: [1, 0] }, [c, r]);
    const sum = read(B, exec(B, Prim.Add, [t, t], NONE, [c, r]));
    const copy = read(B, exec(B, Prim.Reshape, [t], { newSizes: [c * r], dimensions: null, sharding: null }, [c * r]));
    for (let i = 0; i < c; i++) {
      for (let j = 0; j < r; j++) {
        expect(sum[i * r + j]).toBe(2 * (j * c + i));
        expect(copy[i * r + j]).toBe(j * c + i);
      }
    }
  });

  it("reshape is a view of contiguous data and a copy of strided data", () => {
    const x = put(B, "int32", [2, 3], [1, 2, 3, 4, 5, 6]);
    const n0 = B.memoryStats().liveBuffers;
    const r = exec(B, Prim.Reshape, [x], { newSizes: [3, 2], dimensions: null, sharding: null }, [3, 2], "int32");
    expect(r.block).toBe(x.block);
    const t = exec(B, Prim.Transpose, [x], { permutation: [1, 0] }, [3, 2], "int32");
    const rt = exec(B, Prim.Reshape, [t], { newSizes: [6], dimensions: null, sharding: null }, [6], "int32");
    expect(rt.block).not.toBe(x.block);
    expect(B.memoryStats().liveBuffers).toBe(n0 + 1);
    expect(read(B, rt)).toEqual([1, 4, 2, 5, 3, 6]);
    // A contiguous slice with an offset reshapes as a view too.
    const sl = exec(B, Prim.Slice, [x], { startIndices: [1, 0], limitIndices: [2, 3], strides: null }, [1, 3], "int32");
    const rs = exec(B, Prim.Reshape, [sl], { newSizes: [3], dimensions: null, sharding: null }, [3], "int32");
    expect(rs.block).toBe(x.block);
    expect(read(B, rs)).toEqual([4, 5, 6]);
  });

  it("elementwise kernels read contiguous runs, offset runs, broadcast scalars and strided views alike", () => {
    // Binary and unary ops take a flat-run shortcut when every operand is a contiguous
    // run or one broadcast value, and coalesce strides otherwise: each pairing of
    // operand layouts must give the same values. Target shape [2, 3].
    const kinds: [string, () => WasmBuffer, number[]][] = [
      ["contiguous", () => put(B, "float32", [2, 3], [1, 2, 3, 4, 5, 6]), [1, 2, 3, 4, 5, 6]],
      [
        "offset rows of a [3, 3]",
        () => exec(B, Prim.Slice, [put(B, "float32", [3, 3], [9, 9, 9, -1, -2, -3, -4, -5, -6])], { startIndices: [1, 0], limitIndices: [3, 3], strides: null }, [2, 3]),
        [-1, -2, -3, -4, -5, -6],
      ],
      [
        "a broadcast scalar",
        () => exec(B, Prim.BroadcastInDim, [put(B, "float32", [], [7])], { shape: [2, 3], broadcastDimensions: [], sharding: null }, [2, 3]),
        [7, 7, 7, 7, 7, 7],
      ],
      [
        "a broadcast row",
        () => exec(B, Prim.BroadcastInDim, [put(B, "float32", [3], [10, 20, 30])], { shape: [2, 3], broadcastDimensions: [1], sharding: null }, [2, 3]),
        [10, 20, 30, 10, 20, 30],
      ],
      [
        "a transpose",
        () => exec(B, Prim.Transpose, [put(B, "float32", [3, 2], [0.5, 1.5, 2.5, 3.5, 4.5, 5.5])], { permutation: [1, 0] }, [2, 3]),
        [0.5, 2.5, 4.5, 1.5, 3.5, 5.5],
      ],
    ];
    for (const [aName, makeA, av] of kinds) {
      expect(read(B, exec(B, Prim.Neg, [makeA()], NONE, [2, 3])), `neg of ${aName}`).toEqual(av.map((v) => -v));
      for (const [bName, makeB, bv] of kinds) {
        const out = read(B, exec(B, Prim.Sub, [makeA(), makeB()], NONE, [2, 3]));
        expect(out, `${aName} - ${bName}`).toEqual(av.map((v, i) => v - bv[i]!));
      }
    }
  });

  it("select_n and casts over a broadcast scalar and a reversed-stride-free transpose", () => {
    const p = put(B, "bool", [], [1]);
    const pb = exec(B, Prim.BroadcastInDim, [p], { shape: [2, 2], broadcastDimensions: [], sharding: null }, [2, 2], "bool");
    const a = put(B, "float32", [2, 2], [1, 2, 3, 4]);
    const at = exec(B, Prim.Transpose, [a], { permutation: [1, 0] }, [2, 2]);
    expect(read(B, exec(B, Prim.SelectN, [pb, a, at], NONE, [2, 2]))).toEqual([1, 3, 2, 4]);
    const c = exec(B, Prim.ConvertElementType, [at], { newDtype: "int32", weakType: false, sharding: null }, [2, 2], "int32");
    expect(read(B, c)).toEqual([1, 3, 2, 4]);
    expect(exec(B, Prim.ConvertElementType, [a], { newDtype: "float32", weakType: true, sharding: null }, [2, 2]).block).toBe(a.block);
    const sg = exec(B, Prim.StopGradient, [at], NONE, [2, 2]);
    expect(sg.block).toBe(a.block);
    expect(read(B, sg)).toEqual([1, 3, 2, 4]);
  });
});

describe("dot_general, concatenate, iota", () => {
  const B = new WasmBackend();
  const dot = (a: WasmBuffer, b: WasmBuffer, dn: PrimParams<Prim.DotGeneral>["dimensionNumbers"], shape: number[], pet: DType | null = null, dtype?: DType) =>
    read(B, exec(B, Prim.DotGeneral, [a, b], { dimensionNumbers: dn, precision: null, preferredElementType: pet, outSharding: null }, shape, dtype ?? pet ?? a.dtype));
  it("matmul, transposed operands, batch dims and outer products in JAX's output order", () => {
    for (const d of ["float32", "float64", "int32", "uint32"] as const) {
      const a = put(B, d, [2, 3], [1, 2, 3, 4, 5, 6]);
      const b = put(B, d, [3, 2], [7, 8, 9, 10, 11, 12]);
      expect(dot(a, b, [[[1], [0]], [[], []]], [2, 2])).toEqual([58, 64, 139, 154]);
      // a^T a: contract axis 0 of both.
      expect(dot(a, a, [[[0], [0]], [[], []]], [3, 3])).toEqual([17, 22, 27, 22, 29, 36, 27, 36, 45]);
      // Outer product of the first row and column of b.
      const u = put(B, d, [2], [1, 2]);
      expect(dot(u, u, [[[], []], [[], []]], [2, 2])).toEqual([1, 2, 2, 4]);
    }
    // Batched: [2 batches of 1x2] . [2 batches of 2x1], batch axis last on the rhs.
    const l = put(B, "float32", [2, 1, 2], [1, 2, 3, 4]);
    const r = put(B, "float32", [2, 2], [5, 6, 7, 8]); // r[k, b]
    expect(dot(l, r, [[[2], [0]], [[0], [1]]], [2, 1])).toEqual([1 * 5 + 2 * 7, 3 * 6 + 4 * 8]);
  });
  it("preferred element types, bool dot (or of ands), int wrapping, k = 0", () => {
    const a = put(B, "int32", [1, 2], [65536, 3]);
    const b = put(B, "int32", [2, 1], [65536, 4]);
    expect(dot(a, b, [[[1], [0]], [[], []]], [1, 1])).toEqual([12]);
    expect(dot(a, b, [[[1], [0]], [[], []]], [1, 1], "float64")).toEqual([2 ** 32 + 12]);
    expect(dot(a, b, [[[1], [0]], [[], []]], [1, 1], "uint32")).toEqual([12]);
    const p = put(B, "bool", [2, 2], [1, 0, 0, 0]);
    const q = put(B, "bool", [2, 2], [0, 1, 1, 1]);
    expect(dot(p, q, [[[1], [0]], [[], []]], [2, 2])).toEqual([0, 1, 0, 0]);
    const e = put(B, "float64", [2, 0], []);
    const f = put(B, "float64", [0, 3], []);
    expect(dot(e, f, [[[1], [0]], [[], []]], [2, 3])).toEqual([0, 0, 0, 0, 0, 0]);
  });
  it("concatenate along any axis, including strided and empty pieces", () => {
    const a = put(B, "int32", [2, 2], [1, 2, 3, 4]);
    const b = put(B, "int32", [2, 1], [5, 6]);
    const e = put(B, "int32", [2, 0], []);
    expect(read(B, exec(B, Prim.Concatenate, [a, e, b], { dimension: 1 }, [2, 3], "int32"))).toEqual([1, 2, 5, 3, 4, 6]);
    const at = exec(B, Prim.Transpose, [a], { permutation: [1, 0] }, [2, 2], "int32");
    expect(read(B, exec(B, Prim.Concatenate, [a, at], { dimension: 0 }, [4, 2], "int32"))).toEqual([1, 2, 3, 4, 1, 3, 2, 4]);
  });
  it("iota along each dimension and dtype", () => {
    const io = (dtype: DType, shape: number[], dimension: number) =>
      read(B, exec(B, Prim.Iota, [], { dtype, shape, dimension, sharding: null }, shape, dtype));
    expect(io("int32", [2, 3], 1)).toEqual([0, 1, 2, 0, 1, 2]);
    expect(io("float32", [2, 3], 0)).toEqual([0, 0, 0, 1, 1, 1]);
    expect(io("uint32", [4], 0)).toEqual([0, 1, 2, 3]);
    expect(io("float64", [3, 1], 0)).toEqual([0, 1, 2]);
    expect(io("bool", [3], 0)).toEqual([0, 1, 1]);
  });
});

describe("memory", () => {
  it("reuses freed blocks: allocate/free loops keep reserved memory flat", () => {
    const B = new WasmBackend();
    const n = 1 << 18; // 1 MiB of float32
    const churn = () => {
      for (let i = 0; i < 50; i++) {
        const x = B.fromHost(new Float32Array(n), aval([n]));
        const y = exec(B, Prim.Exp, [x], NONE, [n]);
        B.release(x);
        B.release(y);
      }
    };
    expect(() => put(B, "float32", [n], [])).toThrow(ShapeError); // values must match
    churn();
    const reserved = B.memoryStats().reservedBytes;
    churn();
    churn();
    expect(B.memoryStats()).toEqual({ liveBuffers: 0, liveBytes: 0, reservedBytes: reserved });
  });

  it("recycles small freed blocks: tiny-op loops keep live and reserved memory flat, values exact", () => {
    const B = new WasmBackend();
    const loop = (n: number) => {
      let x = put(B, "float32", [4], [0.5, -1.25, 3, 7.75]);
      const c = put(B, "float32", [4], [0.25, 1, -0.5, 2]);
      for (let i = 0; i < n; i++) {
        const y = exec(B, Prim.Add, [x, c], NONE, [4]);
        B.release(x);
        x = y;
      }
      const got = read(B, x);
      B.release(x);
      B.release(c);
      return got;
    };
    expect(loop(10)).toEqual([3, 8.75, -2, 27.75]);
    const reserved = B.memoryStats().reservedBytes;
    expect(loop(5000)).toEqual([1250.5, 4998.75, -2497, 10007.75]);
    expect(B.memoryStats()).toEqual({ liveBuffers: 0, liveBytes: 0, reservedBytes: reserved });
  });

  it("keeps host scalars uploaded for broadcasts: repeated x + 1 holds no live buffers; -0, NaN, ints, bools and many distinct values stay exact", () => {
    const B = new WasmBackend();
    const scalarOperand = (dtype: DType, v: number, shape: number[]) =>
      B.broadcastHostScalar(TYPED_ARRAY[dtype].from([v]), aval(shape, dtype)) as WasmBuffer;
    const x = put(B, "float32", [3], [1, 2, 3]);
    for (let i = 0; i < 3; i++) {
      const one = scalarOperand("float32", 1, [3]);
      expect(one.strides).toEqual([0]);
      const y = exec(B, Prim.Add, [x, one], NONE, [3]);
      expect(read(B, y)).toEqual([2, 3, 4]);
      [one, y].forEach((d) => B.release(d));
    }
    expect(B.memoryStats().liveBuffers).toBe(1); // x only: kept scalars are the backend's own
    const cases: [DType, number, number[]][] = [
      ["float32", -0, [-0, -0]],
      ["float32", 0, [0, 0]],
      ["float64", NaN, [NaN, NaN]],
      ["int32", -7, [-7, -7]],
      ["uint32", 4294967295, [4294967295, 4294967295]],
      ["bool", 1, [1, 1]],
    ];
    for (const [dtype, v, want] of cases) {
      const d = scalarOperand(dtype, v, [2]);
      const m = B.readSync(d, aval([2], dtype));
      expect(Array.from(m).map((e) => (Object.is(e, -0) ? "-0" : e))).toEqual(want.map((e) => (Object.is(e, -0) ? "-0" : e)));
      B.release(d);
    }
    // Past the kept-scalar budget values are uploaded per call: still exact, nothing leaks.
    for (let v = 0; v < 600; v++) {
      const d = scalarOperand("float64", v + 0.5, [1]);
      expect(read(B, d)).toEqual([v + 0.5]);
      B.release(d);
    }
    B.release(x);
    expect(B.memoryStats().liveBuffers).toBe(0);
  });

  it("grows linear memory safely: old data stays readable and computable", () => {
    const B = new WasmBackend();
    const before = kernels.memory.buffer.byteLength;
    const x = put(B, "float64", [4], [1.5, -2, 3, 4]);
    // Far more than the module's initial memory.
    const big = B.fromHost(new Float32Array((before >> 2) + (16 << 20)), aval([(before >> 2) + (16 << 20)]));
    expect(kernels.memory.buffer.byteLength).toBeGreaterThan(before);
    expect(read(B, x)).toEqual([1.5, -2, 3, 4]);
    const sq = exec(B, Prim.Mul, [x, x], NONE, [4], "float64");
    expect(read(B, sq)).toEqual([2.25, 4, 9, 16]);
    const s = exec(B, Prim.ReduceSum, [big], { axes: [0], outSharding: null }, []);
    expect(read(B, s)).toEqual([0]);
    [x, sq, big, s].forEach((d) => B.release(d));
    expect(B.memoryStats().liveBuffers).toBe(0);
  });
});
