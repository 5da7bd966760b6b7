/**
 * Random lax-level programs over every kernel primitive and dtype, for jit-vs-eager
 * properties. A program is drawn from a seed (fast-check supplies and reports the
 * seed): 1–3 inputs, then steps that each apply one primitive to earlier values
 * (or to literals, captured constants, or a fresh iota), then 1–3 outputs. Values
 * are tracked with their shape, dtype and whether they may differ from eager by
 * rounding (float sums and products, which a fused reduction reassociates);
 * discontinuous steps (comparisons, sign, argmax, casts to integers) never read
 * such values, so every output is either exact or within a stated tolerance.
 */
import { type DType, ShapedArray, shapeSize } from "../../src/core/index.js";
import { abstractEval } from "../../src/trace/abstract-eval.js";
import * as lax from "../../src/lax/index.js";
import * as np from "../../src/numpy/index.js";
import type { Array as NdArray } from "../../src/trace/array.js";
import { makeJaxpr } from "../../src/trace/staging.js";
import { Prim, type UnaryPrim } from "../../src/trace/prim.js";
import { windowCount } from "../../src/trace/conv-shape.js";
import { bind, bind1 } from "../../src/trace/trace.js";
import { higherOrderParams } from "../helpers/cases-higher-order.js";

export interface Meta {
  readonly shape: number[];
  readonly dtype: DType;
  /** May differ from eager by rounding. */
  readonly inexact: boolean;
}

export interface RandomProgram {
  readonly inputs: readonly Meta[];
  readonly values: readonly number[][];
  readonly outputs: readonly Meta[];
  readonly run: (...xs: NdArray[]) => NdArray[];
  readonly text: string;
}

/** mulberry32: a small seeded generator. */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  return { next, int, pick };
}
type Rng = ReturnType<typeof rng>;

const DTYPES: readonly DType[] = ["float32", "float64", "int32", "uint32", "bool"];
const isFloat = (d: DType) => d === "float32" || d === "float64";
const numeric = (d: DType) => d !== "bool";

function randomValues(r: Rng, dtype: DType, n: number): number[] {
  return Array.from({ length: n }, () => {
    if (dtype === "bool") return r.int(2);
    if (dtype === "int32") return r.int(21) - 10;
    if (dtype === "uint32") return r.int(12);
    const special = r.int(12);
    if (special === 0) return r.pick([0, -0, 1, -1, 0.5]);
    return Math.round((r.next() * 6 - 3) * 64) / 64;
  });
}

function randomShape(r: Rng): number[] {
  return Array.from({ length: r.int(4) }, () => r.pick([1, 2, 3, 4, 5, 0, 3]));
}

/** A constant array (captured by the traced program). */
const constant = (r: Rng, shape: number[], dtype: DType): NdArray =>
  np.array(randomValues(r, dtype, shapeSize(shape)), { dtype }).reshape(shape);

type Step = { name: string; meta: Meta; apply: (env: NdArray[]) => NdArray };

const UNARY_FLOAT: UnaryPrim[] = [
  Prim.Neg, Prim.Exp, Prim.Log, Prim.Sin, Prim.Cos, Prim.Tanh, Prim.Sqrt, Prim.Logistic, Prim.Abs, Prim.Sign,
  Prim.Floor, Prim.Ceil, Prim.Tan, Prim.Asin, Prim.Acos, Prim.Atan, Prim.Sinh, Prim.Cosh, Prim.Asinh, Prim.Acosh,
  Prim.Atanh, Prim.Exp2, Prim.Expm1, Prim.Log1p, Prim.Cbrt, Prim.Rsqrt, Prim.Erf, Prim.Erfc, Prim.ErfInv,
  Prim.Lgamma, Prim.Digamma,
];
const UNARY_INT: UnaryPrim[] = [Prim.Neg, Prim.Abs, Prim.Sign, Prim.Not, Prim.PopulationCount, Prim.Clz];
const DISCONTINUOUS = new Set<Prim>([Prim.Sign, Prim.Floor, Prim.Ceil]);

/** One random step on the values so far, or null if the drawn kind does not apply. */
function step(r: Rng, metas: readonly Meta[]): Step | null {
  // Mostly the latest values, so chains (and fusion) are common.
  const i = r.int(3) ? metas.length - 1 - r.int(Math.min(2, metas.length)) : r.int(metas.length);
  const m = metas[i]!;
  const { shape, dtype, inexact } = m;
  const rank = shape.length;
  const same = (extra: Partial<Meta> = {}): Meta => ({ shape: [...shape], dtype, inexact, ...extra });
  const sameKind = metas.map((x, k) => [x, k] as const).filter(([x]) => x.dtype === dtype && x.shape.join() === shape.join());
  const kind = r.int(28);
  switch (kind) {
    case 0: {
      if (dtype === "bool") return { name: `not(v${i})`, meta: same(), apply: (e) => lax.bitwiseNot(e[i]!) };
      if (isFloat(dtype) && !inexact && r.int(4) === 0) {
        const method = r.int(3); // 2: is_finite, else round's rounding_method
        if (method === 2) return { name: `is_finite(v${i})`, meta: same({ dtype: "bool" }), apply: (e) => lax.isFinite(e[i]!) };
        return { name: `round(v${i}, ${method})`, meta: same(), apply: (e) => lax.round(e[i]!, method as 0 | 1) };
      }
      const p = r.pick(isFloat(dtype) ? UNARY_FLOAT : UNARY_INT);
      if (inexact && DISCONTINUOUS.has(p)) return null;
      return { name: `${p}(v${i})`, meta: same(), apply: (e) => bind1(p, [e[i]!], {}) };
    }
    case 1: {
      if (dtype === "bool") return null;
      const y = isFloat(dtype) ? r.int(6) - 2 : r.int(4);
      return { name: `integer_pow(v${i}, ${y})`, meta: same(), apply: (e) => lax.integerPow(e[i]!, y) };
    }
    case 2: {
      const to = r.pick(DTYPES);
      if (inexact && !isFloat(to)) return null;
      return { name: `convert(v${i}, ${to})`, meta: same({ dtype: to }), apply: (e) => lax.convertElementType(e[i]!, to) };
    }
    case 3:
    case 4: {
      const ops =
        dtype === "bool"
          ? ["max", "min", "bitwiseAnd", "bitwiseOr", "bitwiseXor"]
          : isFloat(dtype)
            ? ["add", "sub", "mul", "div", "max", "min", "pow", "atan2", "rem"]
            : ["add", "sub", "mul", "div", "max", "min", "rem", "bitwiseAnd", "bitwiseOr", "bitwiseXor", "shiftLeft", "shiftRightArithmetic", "shiftRightLogical"];
      const op = r.pick(ops) as "add";
      const [o, k] = r.pick(sameKind);
      if (op === ("rem" as string) && (inexact || o.inexact)) return null; // discontinuous
      const which = r.int(3);
      const lit = randomValues(r, dtype, 1)[0]!;
      const c = constant(r, shape.map((d) => (r.int(2) ? d : 1)), dtype);
      const other = which === 0 ? `v${k}` : which === 1 ? `${lit}` : `const${c.shape}`;
      return {
        name: `${op}(v${i}, ${other})`,
        meta: same({ inexact: inexact || (which === 0 && o.inexact) }),
        apply: (e) => (which === 0 ? lax[op](e[i]!, e[k]!) : which === 1 ? lax[op](e[i]!, lit) : lax[op](e[i]!, c)),
      };
    }
    case 5: {
      const [o, k] = r.pick(sameKind);
      if (inexact || o.inexact) return null;
      const op = r.pick(["eq", "ne", "lt", "le", "gt", "ge"] as const);
      return { name: `${op}(v${i}, v${k})`, meta: same({ dtype: "bool" }), apply: (e) => lax[op](e[i]!, e[k]!) };
    }
    case 6: {
      const preds = metas.map((x, k) => [x, k] as const).filter(([x]) => (x.dtype === "bool" || x.dtype === "int32") && (x.shape.length === 0 || x.shape.join() === shape.join()) && !x.inexact);
      if (!preds.length) return null;
      const [p, k] = r.pick(preds);
      const [o, j] = r.pick(sameKind);
      const n = p.dtype === "bool" ? 2 : 3;
      return {
        name: `select_n(v${k}, v${i}, v${j}${n === 3 ? `, v${i}` : ""})`,
        meta: same({ inexact: inexact || o.inexact }),
        apply: (e) => (n === 3 ? lax.selectN(e[k]!, e[i]!, e[j]!, e[i]!) : lax.selectN(e[k]!, e[i]!, e[j]!)),
      };
    }
    case 7: {
      const axes = shape.map((_, a) => a).filter(() => r.int(2));
      const ops = numeric(dtype) ? ["reduceSum", "reduceMax", "reduceMin", "reduceProd"] : ["reduceMax", "reduceMin"];
      const op = r.pick(ops) as "reduceSum" | "reduceMax" | "reduceMin" | "reduceProd";
      if ((op === "reduceMax" || op === "reduceMin") && isFloat(dtype) && axes.some((a) => shape[a] === 0)) return null;
      const out = shape.filter((_, a) => !axes.includes(a));
      const rounds = isFloat(dtype) && (op === "reduceSum" || op === "reduceProd");
      return { name: `${op}(v${i}, (${axes}))`, meta: { shape: out, dtype, inexact: inexact || rounds }, apply: (e) => lax[op](e[i]!, axes) };
    }
    case 8: {
      const axes = shape.map((_, a) => a).filter((a) => shape[a]! > 0);
      if (!axes.length || inexact) return null;
      const a = r.pick(axes);
      const op = r.pick(["argmax", "argmin"] as const);
      return { name: `${op}(v${i}, ${a})`, meta: { shape: shape.filter((_, k) => k !== a), dtype: "int32", inexact: false }, apply: (e) => lax[op](e[i]!, a) };
    }
    case 9: {
      const out = [2, ...shape.map((d) => (d === 1 && r.int(2) ? 3 : d))];
      return { name: `broadcast_in_dim(v${i}, [${out}])`, meta: same({ shape: out }), apply: (e) => lax.broadcastInDim(e[i]!, out, shape.map((_, a) => a + 1)) };
    }
    case 10: {
      const n = shapeSize(shape);
      const out = n % 2 === 0 && n > 0 && r.int(2) ? [2, n / 2] : [n];
      return { name: `reshape(v${i}, [${out}])`, meta: same({ shape: out }), apply: (e) => lax.reshape(e[i]!, out) };
    }
    case 11: {
      const perm = shape.map((_, a) => a).sort(() => r.next() - 0.5);
      return { name: `transpose(v${i}, (${perm}))`, meta: same({ shape: perm.map((a) => shape[a]!) }), apply: (e) => lax.transpose(e[i]!, perm) };
    }
    case 12: {
      const ones = shape.map((_, a) => a).filter((a) => shape[a] === 1);
      if (!ones.length) return null;
      return { name: `squeeze(v${i}, (${ones}))`, meta: same({ shape: shape.filter((d) => d !== 1) }), apply: (e) => lax.squeeze(e[i]!, ones) };
    }
    case 13: {
      if (!rank) return null;
      const start = shape.map((d) => r.int(d + 1));
      const limit = shape.map((d, a) => start[a]! + r.int(d - start[a]! + 1));
      const strides = shape.map(() => 1 + r.int(2));
      const out = start.map((s, a) => Math.ceil((limit[a]! - s) / strides[a]!));
      return { name: `slice(v${i}, ${start}:${limit}:${strides})`, meta: same({ shape: out }), apply: (e) => lax.slice(e[i]!, start, limit, strides) };
    }
    case 14: {
      if (!rank) return null;
      const a = r.int(rank);
      const [o, k] = r.pick(sameKind);
      const out = shape.map((d, x) => (x === a ? 2 * d : d));
      return { name: `concatenate(v${i}, v${k}, ${a})`, meta: same({ shape: out, inexact: inexact || o.inexact }), apply: (e) => lax.concatenate([e[i]!, e[k]!], a) };
    }
    case 15: {
      if (!numeric(dtype) || !rank) return null;
      if (rank >= 2 && r.int(2)) {
        // Batched over axis 0, contracting the last axis with itself.
        const out = [shape[0]!, ...shape.slice(1, -1), ...shape.slice(1, -1)];
        return { name: `dot_general(v${i}, v${i}, batch 0, contract ${rank - 1})`, meta: same({ shape: out }), apply: (e) => lax.dotGeneral(e[i]!, e[i]!, [[[rank - 1], [rank - 1]], [[0], [0]]]) };
      }
      const n = 1 + r.int(3);
      const c = constant(r, [shape[rank - 1]!, n], dtype);
      const out = [...shape.slice(0, -1), n];
      if (r.int(2)) {
        // Transposed so that the free axes swap (as matmul gradients are written).
        const perm = [rank - 1, ...out.slice(0, -1).map((_, a) => a)];
        return {
          name: `transpose(dot_general(v${i}, const[${c.shape}]), (${perm}))`,
          meta: same({ shape: perm.map((a) => out[a]!) }),
          apply: (e) => lax.transpose(lax.dotGeneral(e[i]!, c, [[[rank - 1], [0]], [[], []]]), perm),
        };
      }
      return { name: `dot_general(v${i}, const[${c.shape}])`, meta: same({ shape: out }), apply: (e) => lax.dotGeneral(e[i]!, c, [[[rank - 1], [0]], [[], []]]) };
    }
    case 16:
    case 17: {
      // An elementwise prologue reduced over trailing axes (a fused reduction).
      if (!rank) return null;
      const k = 1 + r.int(rank);
      const axes = shape.map((_, a) => a).slice(rank - k);
      const ops = numeric(dtype) ? ["reduceSum", "reduceMax", "reduceMin", "reduceProd"] : ["reduceMax", "reduceMin"];
      const op = r.pick(ops) as "reduceSum" | "reduceMax" | "reduceMin" | "reduceProd";
      if ((op === "reduceMax" || op === "reduceMin") && isFloat(dtype) && axes.some((a) => shape[a] === 0)) return null;
      const pre = dtype === "bool" ? "max" : r.pick(["mul", "add", "max"] as const);
      const rounds = isFloat(dtype) && (op === "reduceSum" || op === "reduceProd");
      return {
        name: `${op}(${pre}(v${i}, v${i}), (${axes}))`,
        meta: { shape: shape.slice(0, rank - k), dtype, inexact: inexact || rounds },
        apply: (e) => lax[op](lax[pre](e[i]!, e[i]!), axes),
      };
    }
    case 19: {
      const dims = shape.map((_, a) => a).filter(() => r.int(2));
      return { name: `rev(v${i}, (${dims}))`, meta: same(), apply: (e) => lax.rev(e[i]!, dims) };
    }
    case 20:
    case 21: {
      // Start indices computed in the program (n(n-1)/2 - c), often out of range so the clamp is exercised.
      const picks = shape.map(() => [r.int(5), r.int(4)] as const);
      const starts = (): NdArray[] => picks.map(([n, c]) => lax.sub(lax.reduceSum(lax.iota("int32", n), [0]), c));
      const window = shape.map((d) => r.int(d + 1));
      const idx = picks.map(([n, c]) => `${(n * (n - 1)) / 2 - c}`).join(",");
      if (kind === 20) {
        return { name: `dynamic_slice(v${i}, (${idx}), (${window}))`, meta: same({ shape: window }), apply: (e) => bind1(Prim.DynamicSlice, [e[i]!, ...starts()], { sliceSizes: window }) };
      }
      const u = constant(r, window, dtype);
      return { name: `dynamic_update_slice(v${i}, const[${window}], (${idx}))`, meta: same(), apply: (e) => bind1(Prim.DynamicUpdateSlice, [e[i]!, u, ...starts()], {}) };
    }
    case 22:
    case 23: {
      // Rows of v_i at int32 indices in [-10, 10] (often out of range): a gather, or a scatter of constant rows.
      if (!rank || shape[0] === 0) return null;
      const m = r.int(4);
      const idx = constant(r, [m, 1], "int32");
      const mode = r.pick(["clip", "fill"] as const);
      const rows = { offsetDims: shape.slice(1).map((_, a) => a + 1), collapsedSliceDims: [0], startIndexMap: [0], operandBatchingDims: [], startIndicesBatchingDims: [] };
      if (kind === 22) {
        return { name: `gather(v${i}, rows ${idx.tolist()}, ${mode})`, meta: same({ shape: [m, ...shape.slice(1)] }), apply: (e) => lax.gather(e[i]!, idx, rows, [1, ...shape.slice(1)], { mode }) };
      }
      const prims = numeric(dtype) ? (["scatter", "scatterAdd", "scatterMul", "scatterMin", "scatterMax"] as const) : (["scatter", "scatterMin", "scatterMax"] as const);
      const op = r.pick(prims);
      const u = constant(r, [m, ...shape.slice(1)], dtype);
      const dn = { updateWindowDims: rows.offsetDims, insertedWindowDims: [0], scatterDimsToOperandDims: [0], operandBatchingDims: [], scatterIndicesBatchingDims: [] };
      return { name: `${op}(v${i}, rows ${idx.tolist()}, const[${u.shape}], ${mode})`, meta: same(), apply: (e) => lax[op](e[i]!, idx, u, dn, { mode }) };
    }
    case 25:
    case 26: {
      // A linear-algebra primitive on an exact float matrix (the same kernel runs eager
      // and compiled, so even ill-conditioned inputs agree exactly).
      if (!isFloat(dtype) || inexact || rank < 2 || shapeSize(shape) === 0) return null;
      const flags = [r.int(2), r.int(2), r.int(2), r.int(2)].map(Boolean);
      const options: readonly (readonly [Prim, object, boolean])[] = [
        [Prim.Cholesky, {}, true],
        [Prim.Eigh, { lower: flags[0]!, sortEigenvalues: true, subsetByIndex: null, algorithm: null }, true],
        [Prim.TriangularSolve, { leftSide: flags[0]!, lower: flags[1]!, transposeA: flags[2]!, conjugateA: false, unitDiagonal: flags[3]! }, true],
        [Prim.Lu, {}, false],
        [Prim.Qr, { fullMatrices: flags[0]!, pivoting: false, useMagma: null }, false],
        [Prim.Svd, { fullMatrices: flags[0]!, computeUv: flags[1]!, subsetByIndex: null, algorithm: null }, false],
      ];
      const [prim, params, square] = r.pick(options);
      // Square-only primitives read the leading k×k block (a strided view).
      const k = Math.min(shape[rank - 1]!, shape[rank - 2]!);
      const inShape = square ? [...shape.slice(0, -2), k, k] : shape;
      const operand = (x: NdArray) => (square ? lax.slice(x, shape.map(() => 0), inShape) : x);
      const nargs = prim === Prim.TriangularSolve ? 2 : 1;
      const outs = abstractEval(prim, Array.from({ length: nargs }, () => new ShapedArray(inShape, dtype)), params as never);
      const pick = r.int(outs.length);
      return {
        name: `${prim}${JSON.stringify(params)}(v${i}[..${k}])[${pick}]`,
        meta: { shape: [...outs[pick]!.shape], dtype: outs[pick]!.dtype, inexact: false },
        apply: (e) => bind(prim, Array.from({ length: nargs }, () => operand(e[i]!)), params as never)[pick]!,
      };
    }
    case 27: {
      // Kernel steps with their own descriptors: a sort along one axis, a cumulative
      // scan along one axis, reduce_window over every axis, or a 1-D conv of v_i
      // (flattened) with a constant two-feature kernel.
      if (r.int(4) === 0) {
        // v_i alone, or with an exact value of v_i's shape carried along (a second key
        // or not); values that may differ by rounding could reorder.
        if (!rank || inexact) return null;
        const others = metas.map((x, k) => [x, k] as const).filter(([x]) => x.shape.join() === shape.join() && !x.inexact);
        const [, k] = r.pick(others);
        const withOther = r.int(2) === 1;
        const dimension = r.int(rank);
        const numKeys = withOther ? 1 + r.int(2) : 1;
        const pick = withOther ? r.int(2) : 0;
        return {
          name: `sort(v${i}${withOther ? `, v${k}` : ""}, dimension=${dimension}, num_keys=${numKeys})[${pick}]`,
          meta: { shape: [...shape], dtype: pick === 0 ? dtype : metas[k]!.dtype, inexact: false },
          apply: (e) => lax.sort(withOther ? [e[i]!, e[k]!] : [e[i]!], dimension, true, numKeys)[pick]!,
        };
      }
      if (!numeric(dtype) || !rank || shapeSize(shape) === 0) return null;
      if (r.int(3) === 0) {
        const op = r.pick(["cumsum", "cumprod", "cummax", "cummin"] as const);
        const axis = r.int(rank);
        const reverse = r.int(2) === 1;
        const rounds = isFloat(dtype) && (op === "cumsum" || op === "cumprod");
        return { name: `${op}(v${i}, ${axis}, reverse=${reverse})`, meta: same({ inexact: inexact || rounds }), apply: (e) => lax[op](e[i]!, axis, reverse) };
      }
      if (isFloat(dtype) && r.int(2)) {
        const n = shapeSize(shape);
        const k = 1 + r.int(Math.min(3, n));
        const c = constant(r, [2, 1, k], dtype);
        const stride = 1 + r.int(2);
        return {
          name: `conv(v${i} as [1,1,${n}], const[2,1,${k}], stride ${stride}, SAME)`,
          meta: same({ shape: [1, 2, Math.ceil(n / stride)] }),
          apply: (e) => lax.conv(lax.reshape(e[i]!, [1, 1, n]), c, [stride], "SAME"),
        };
      }
      const op = r.pick(["sum", "max", "min"] as const);
      const window = shape.map(() => 1 + r.int(2));
      const strides = shape.map(() => 1 + r.int(2));
      const padding = shape.map((): [number, number] => [r.int(2), r.int(2)]);
      const out = shape.map((d, a) => windowCount(d, window[a]!, strides[a]!, padding[a]!, 1, 1));
      return {
        name: `reduce_window_${op}(v${i}, window (${window}), strides (${strides}), padding ${JSON.stringify(padding)})`,
        meta: same({ shape: out }),
        apply: (e) => lax.reduceWindowOf(op, e[i]!, window, strides, padding),
      };
    }
    default: {
      if (r.int(2)) {
        const s = rank ? [...shape] : [3];
        const d = r.int(s.length);
        const dt = r.pick(DTYPES.filter(numeric));
        return { name: `iota(${dt}, [${s}], ${d})`, meta: { shape: s, dtype: dt, inexact: false }, apply: () => lax.broadcastedIota(dt, s, d) };
      }
      // A higher-order primitive around a small function of v_i.
      const prim = r.pick([Prim.Checkpoint, Prim.CustomJvpCall, Prim.CustomVjpCall] as const);
      const inner = (x: NdArray) => lax.max(lax.stopGradient(x), lax.convertElementType(np.array(1), dtype));
      return {
        name: `${prim}(max(stop_gradient(v${i}), 1))`,
        meta: same(),
        apply: (e) => {
          const cj = makeJaxpr(inner)(e[i]!);
          return bind(prim, [e[i]!], higherOrderParams(prim, cj, cj.outAvals))[0]!;
        },
      };
    }
  }
}

export function randomProgram(seed: number): RandomProgram {
  const r = rng(seed);
  const inputs: Meta[] = Array.from({ length: 1 + r.int(3) }, () => ({ shape: randomShape(r), dtype: r.pick(DTYPES), inexact: false }));
  const metas: Meta[] = [...inputs];
  const steps: Step[] = [];
  const nSteps = 1 + r.int(8);
  for (let tries = 0; steps.length < nSteps && tries < 200; tries++) {
    const s = step(r, metas);
    if (!s || shapeSize(s.meta.shape) > 400) continue;
    steps.push(s);
    metas.push(s.meta);
  }
  const outs = Array.from({ length: 1 + r.int(3) }, () => (r.int(3) ? metas.length - 1 - r.int(Math.min(3, metas.length)) : r.int(metas.length)));
  const values = inputs.map((m) => randomValues(r, m.dtype, shapeSize(m.shape)));
  const text = [
    `inputs: ${inputs.map((m, k) => `v${k}:${m.dtype}[${m.shape}]`).join(", ")}`,
    ...steps.map((s, k) => `v${inputs.length + k} = ${s.name}: ${s.meta.dtype}[${s.meta.shape}]${s.meta.inexact ? " (rounds)" : ""}`),
    `outputs: ${outs.map((o) => `v${o}`).join(", ")}`,
  ].join("\n");
  return {
    inputs,
    values,
    outputs: outs.map((o) => metas[o]!),
    text,
    run: (...xs) => {
      const env = [...xs];
      for (const s of steps) env.push(s.apply(env));
      return outs.map((o) => env[o]!);
    },
  };
}
