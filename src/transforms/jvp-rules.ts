/**
 * JVP rules for every primitive (JAX's ad.primitive_jvps), typed exhaustively so a
 * primitive without a rule does not compile. Each rule maps primals and tangents to
 * output primals and tangents; factories cover the linear and per-argument cases.
 */
import { isFloat } from "../core/index.js";
import * as lax from "../lax/index.js";
import type { Array } from "../trace/array.js";
import { broadcastTo, scalar } from "../trace/array-ops.js";
import { Prim, type PrimParams } from "../trace/prim.js";
import { bind, bind1 } from "../trace/trace.js";
import { checkpointJvp } from "./checkpoint.js";
import { convJvp, reduceWindowMaxJvp, reduceWindowMinJvp } from "./conv-rules.js";
import { cummaxJvp, cumminJvp, cumprodJvp } from "./cumulative-rules.js";
import { customJvpCallJvp } from "./custom-jvp.js";
import { customLinJvp, customVjpCallJvp } from "./custom-vjp.js";
import { gatherJvp, scatterAddJvp, scatterExtremalJvp, scatterJvp, scatterMulJvp } from "./gather-rules.js";
import { linalgJvpRules } from "./linalg-rules.js";
import { sortJvp } from "./sort-rules.js";
import { trigamma } from "./trigamma.js";
import { Zero, instantiate, isZero, type Tangent } from "./zero.js";

export type JvpRule<P extends Prim> = (
  primals: readonly Array[],
  tangents: readonly Tangent[],
  params: PrimParams<P>,
) => [Array[], Tangent[]];

/** A primitive that is linear in all its operands: apply it to the tangents (JAX's deflinear). */
const linear =
  <P extends Prim>(prim: P): JvpRule<P> =>
  (primals, tangents, params) => {
    const out = bind(prim, primals, params);
    if (tangents.every((t) => isZero(t))) return [out, out.map((o) => new Zero(o.aval))];
    return [out, bind(prim, tangents.map(instantiate), params)];
  };

/** Sums tangent contributions, broadcasting each to the output's shape; none means Zero. */
function addTangents(out: Array, parts: readonly Tangent[]): Tangent {
  const real = parts.filter((t): t is Array => !isZero(t)).map((t) => broadcastTo(t, out.shape));
  if (real.length === 0) return new Zero(out.aval);
  return real.reduce((a, b) => lax.add(a, b));
}

type Deriv<P extends Prim> = ((t: Array, ans: Array, primals: readonly Array[], params: PrimParams<P>) => Array) | null;

/**
 * JAX's defjvp: one function per operand giving that operand's tangent contribution
 * (`null` for operands the output does not depend on differentiably).
 */
const defjvp =
  <P extends Prim>(prim: P, ...derivs: Deriv<P>[]): JvpRule<P> =>
  (primals, tangents, params) => {
    const ans = bind1(prim, primals, params);
    const parts = tangents.map((t, i) =>
      isZero(t) || !derivs[i] ? new Zero(t.aval) : derivs[i]!(t, ans, primals, params),
    );
    return [[ans], [addTangents(ans, parts)]];
  };

/** An array shaped and typed like `like`, filled with `value` (JAX's full_like: a broadcast literal). */
const fullLike = (like: Array, value: number): Array => broadcastTo(scalar(value, like.dtype, like.weakType), like.shape);

/** Outputs with no tangent: comparisons, sign, argmax, integer results. */
const zeroTangent =
  <P extends Prim>(prim: P): JvpRule<P> =>
  (primals, _tangents, params) => {
    const out = bind(prim, primals, params);
    return [out, out.map((o) => new Zero(o.aval))];
  };

/** JAX's _balanced_eq: 1 where x is the chosen value, 0.5 where x and y tie, else 0. */
function balancedEq(x: Array, ans: Array, y: Array): Array {
  const half = lax.selectN(lax.eq(y, ans), fullLike(ans, 1), fullLike(ans, 0.5));
  return lax.selectN(lax.eq(x, ans), fullLike(ans, 0), half);
}

/** reduce_max / reduce_min: the tangent averaged over the positions that attain the extreme. */
const chooserJvp =
  <P extends Prim.ReduceMax | Prim.ReduceMin>(prim: P): JvpRule<P> =>
  ([x], [tangent], params) => {
    const ans = bind1(prim, [x!], params);
    const t = tangent!;
    if (isZero(t) || !isFloat(x!.dtype)) return [[ans], [new Zero(ans.aval)]];
    const kept = x!.shape.map((_, i) => i).filter((i) => !params.axes.includes(i));
    const location = lax.convertElementType(lax.eq(x!, lax.broadcastInDim(ans, x!.shape, kept)), x!.dtype);
    const counts = lax.reduceSum(location, params.axes);
    return [[ans], [lax.div(lax.reduceSum(lax.mul(t, location), params.axes), counts)]];
  };

/**
 * reduce_prod as JAX's _reduce_prod_jvp_rule does it: the product is taken as a
 * balanced tree of multiplications over the reduced elements, carrying tangents
 * through each product rule, so the result is exact at zeros and to every order.
 */
const reduceProdJvp: JvpRule<Prim.ReduceProd> = ([x], [tangent], params) => {
  const ans = bind1(Prim.ReduceProd, [x!], params);
  const t0 = tangent!;
  if (isZero(t0)) return [[ans], [new Zero(ans.aval)]];
  const { axes } = params;
  const kept = x!.shape.map((_, i) => i).filter((i) => !axes.includes(i));
  const n = axes.reduce((k, a) => k * x!.shape[a]!, 1);
  const m = kept.reduce((k, a) => k * x!.shape[a]!, 1);
  const rows = (v: Array): Array => lax.reshape(lax.transpose(v, [...axes, ...kept]), [n, m]);
  let p = rows(x!);
  let t = rows(t0);
  for (let len = n; len > 1; len = Math.ceil(len / 2)) {
    if (len % 2 === 1) {
      p = lax.concatenate([p, broadcastTo(scalar(1, p.dtype), [1, m])], 0);
      t = lax.concatenate([t, broadcastTo(scalar(0, t.dtype), [1, m])], 0);
    }
    const half = Math.ceil(len / 2);
    const [a, b] = [lax.slice(p, [0, 0], [half, m]), lax.slice(p, [half, 0], [2 * half, m])];
    const [ta, tb] = [lax.slice(t, [0, 0], [half, m]), lax.slice(t, [half, 0], [2 * half, m])];
    p = lax.mul(a, b);
    t = lax.add(lax.mul(ta, b), lax.mul(a, tb));
  }
  const outShape = kept.map((i) => x!.shape[i]!);
  if (n === 0) return [[ans], [fullLike(ans, 0)]];
  return [[ans], [lax.reshape(t, outShape)]];
};

const powJvp: JvpRule<Prim.Pow> = defjvp(
  Prim.Pow,
  // d/dx x^y = y x^(y-1). JAX's _pow_jvp_lhs zeroes it wherever y == 0 to avoid
  // 0 * inf at x == 0; zeroing only where x == 0 too keeps the mixed second
  // derivative d/dy d/dx = x^(y-1) (1 + y log x) right at y == 0, x != 0.
  (t, _ans, [x, y]) => {
    const d = lax.mul(y!, lax.pow(x!, lax.sub(y!, 1)));
    const atOrigin = lax.selectN(lax.eq(x!, 0), d, fullLike(d, 0));
    return lax.mul(t, lax.selectN(lax.eq(y!, 0), d, atOrigin));
  },
  // d/dy x^y = log(x) x^y, with log(0) replaced by log(1) (JAX's _pow_jvp_rhs)
  (t, ans, [x]) => lax.mul(t, lax.mul(lax.log(lax.selectN(lax.eq(x!, 0), x!, fullLike(x!, 1))), ans)),
);

/** dot_general is bilinear: d(x·y) = dx·y + x·dy with the same dimension numbers. */
const dotGeneralJvp: JvpRule<Prim.DotGeneral> = defjvp(
  Prim.DotGeneral,
  (t, _ans, [, y], params) => bind1(Prim.DotGeneral, [t, y!], params),
  (t, _ans, [x], params) => bind1(Prim.DotGeneral, [x!, t], params),
);

/** JAX's _dynamic_slice_jvp: the same window of the tangent (indices carry none). */
const dynamicSliceJvp: JvpRule<Prim.DynamicSlice> = (primals, [t], params) => {
  const ans = bind1(Prim.DynamicSlice, primals, params);
  if (isZero(t!)) return [[ans], [new Zero(ans.aval)]];
  return [[ans], [bind1(Prim.DynamicSlice, [t!, ...primals.slice(1)], params)]];
};

/** JAX's _dynamic_update_slice_jvp: the update's tangent written into the operand's. */
const dynamicUpdateSliceJvp: JvpRule<Prim.DynamicUpdateSlice> = (primals, [tx, tu], params) => {
  const ans = bind1(Prim.DynamicUpdateSlice, primals, params);
  if (isZero(tx!) && isZero(tu!)) return [[ans], [new Zero(ans.aval)]];
  const t = bind1(Prim.DynamicUpdateSlice, [instantiate(tx!), instantiate(tu!), ...primals.slice(2)], params);
  return [[ans], [t]];
};

export const jvpRules: { [P in Prim]: JvpRule<P> } = {
  [Prim.Neg]: linear(Prim.Neg),
  [Prim.Exp]: defjvp(Prim.Exp, (t, ans) => lax.mul(t, ans)),
  [Prim.Log]: defjvp(Prim.Log, (t, _ans, [x]) => lax.div(t, x!)),
  [Prim.Sin]: defjvp(Prim.Sin, (t, _ans, [x]) => lax.mul(t, lax.cos(x!))),
  [Prim.Cos]: defjvp(Prim.Cos, (t, _ans, [x]) => lax.mul(t, lax.neg(lax.sin(x!)))),
  [Prim.Tanh]: defjvp(Prim.Tanh, (t, ans) => lax.mul(t, lax.sub(1, lax.mul(ans, ans)))),
  [Prim.Sqrt]: defjvp(Prim.Sqrt, (t, ans) => lax.div(t, lax.mul(ans, 2))),
  [Prim.Logistic]: defjvp(Prim.Logistic, (t, ans) => lax.mul(t, lax.mul(ans, lax.sub(1, ans)))),
  [Prim.Abs]: defjvp(Prim.Abs, (t, _ans, [x]) => lax.selectN(lax.ge(x!, 0), lax.neg(t), t)),
  [Prim.Sign]: zeroTangent(Prim.Sign),
  // JAX's _integer_pow_jvp: g * (y * x^(y-1)), with x^1 written as x.
  [Prim.IntegerPow]: defjvp(Prim.IntegerPow, (t, _ans, [x], { y }) =>
    y === 0 ? fullLike(t, 0) : lax.mul(t, lax.mul(scalar(y, x!.dtype, true), y === 2 ? x! : lax.integerPow(x!, y - 1))),
  ),
  [Prim.ConvertElementType]: (primals, tangents, params) => {
    const from = primals[0]!.dtype;
    if (isFloat(from) && isFloat(params.newDtype)) return linear(Prim.ConvertElementType)(primals, tangents, params);
    return zeroTangent(Prim.ConvertElementType)(primals, tangents, params);
  },
  [Prim.Add]: defjvp(Prim.Add, (t) => t, (t) => t),
  [Prim.Sub]: defjvp(Prim.Sub, (t) => t, (t) => lax.neg(t)),
  [Prim.Mul]: defjvp(Prim.Mul, (t, _ans, [, y]) => lax.mul(t, y!), (t, _ans, [x]) => lax.mul(x!, t)),
  [Prim.Div]: defjvp(
    Prim.Div,
    (t, _ans, [, y]) => lax.div(t, y!),
    (t, _ans, [x, y]) => lax.div(lax.mul(lax.neg(t), x!), lax.integerPow(y!, 2)),
  ),
  [Prim.Max]: defjvp(
    Prim.Max,
    (t, ans, [x, y]) => lax.mul(t, balancedEq(x!, ans, y!)),
    (t, ans, [x, y]) => lax.mul(t, balancedEq(y!, ans, x!)),
  ),
  [Prim.Min]: defjvp(
    Prim.Min,
    (t, ans, [x, y]) => lax.mul(t, balancedEq(x!, ans, y!)),
    (t, ans, [x, y]) => lax.mul(t, balancedEq(y!, ans, x!)),
  ),
  [Prim.Pow]: powJvp,
  [Prim.Eq]: zeroTangent(Prim.Eq),
  [Prim.Ne]: zeroTangent(Prim.Ne),
  [Prim.Lt]: zeroTangent(Prim.Lt),
  [Prim.Le]: zeroTangent(Prim.Le),
  [Prim.Gt]: zeroTangent(Prim.Gt),
  [Prim.Ge]: zeroTangent(Prim.Ge),
  [Prim.SelectN]: ([which, ...cases], [, ...caseTangents], params) => {
    const ans = bind1(Prim.SelectN, [which!, ...cases], params);
    if (caseTangents.every((t) => isZero(t))) return [[ans], [new Zero(ans.aval)]];
    const ts = caseTangents.map((t) => broadcastTo(instantiate(t), ans.shape));
    return [[ans], [bind1(Prim.SelectN, [which!, ...ts], params)]];
  },
  [Prim.ReduceSum]: linear(Prim.ReduceSum),
  [Prim.ReduceMax]: chooserJvp(Prim.ReduceMax),
  [Prim.ReduceMin]: chooserJvp(Prim.ReduceMin),
  [Prim.ReduceProd]: reduceProdJvp,
  [Prim.Argmax]: zeroTangent(Prim.Argmax),
  [Prim.Argmin]: zeroTangent(Prim.Argmin),
  [Prim.BroadcastInDim]: linear(Prim.BroadcastInDim),
  [Prim.Reshape]: linear(Prim.Reshape),
  [Prim.Transpose]: linear(Prim.Transpose),
  [Prim.Squeeze]: linear(Prim.Squeeze),
  [Prim.Slice]: linear(Prim.Slice),
  [Prim.Concatenate]: linear(Prim.Concatenate),
  [Prim.Rev]: linear(Prim.Rev),
  [Prim.DynamicSlice]: dynamicSliceJvp,
  [Prim.DynamicUpdateSlice]: dynamicUpdateSliceJvp,
  [Prim.Gather]: gatherJvp,
  [Prim.Scatter]: scatterJvp,
  [Prim.ScatterAdd]: scatterAddJvp,
  [Prim.ScatterMul]: scatterMulJvp,
  [Prim.ScatterMin]: scatterExtremalJvp(Prim.ScatterMin),
  [Prim.ScatterMax]: scatterExtremalJvp(Prim.ScatterMax),
  [Prim.DotGeneral]: dotGeneralJvp,
  [Prim.Iota]: zeroTangent(Prim.Iota),
  // convolution and windowed reductions (conv-rules.ts)
  [Prim.ConvGeneralDilated]: convJvp,
  [Prim.ReduceWindowSum]: linear(Prim.ReduceWindowSum),
  [Prim.ReduceWindowMax]: reduceWindowMaxJvp,
  [Prim.ReduceWindowMin]: reduceWindowMinJvp,
  [Prim.StopGradient]: zeroTangent(Prim.StopGradient),
  ...linalgJvpRules,
  [Prim.CustomJvpCall]: customJvpCallJvp,
  [Prim.CustomVjpCall]: customVjpCallJvp,
  [Prim.CustomLin]: customLinJvp,
  [Prim.Checkpoint]: checkpointJvp,
  // --- elementwise additions: JAX's rules in jax/_src/lax/lax.py and special.py ---
  [Prim.Floor]: zeroTangent(Prim.Floor),
  [Prim.Ceil]: zeroTangent(Prim.Ceil),
  [Prim.Round]: zeroTangent(Prim.Round),
  [Prim.IsFinite]: zeroTangent(Prim.IsFinite),
  // d rem(x, y) = dx - trunc(x / y) dy, with trunc(q) = sign(q) floor(|q|) (JAX's rem jvp).
  [Prim.Rem]: defjvp(
    Prim.Rem,
    (t) => t,
    (t, _ans, [x, y]) => {
      const q = lax.div(x!, y!);
      return lax.mul(lax.neg(t), lax.mul(lax.sign(q), lax.floor(lax.abs(q))));
    },
  ),
  [Prim.And]: zeroTangent(Prim.And),
  [Prim.Or]: zeroTangent(Prim.Or),
  [Prim.Xor]: zeroTangent(Prim.Xor),
  [Prim.Not]: zeroTangent(Prim.Not),
  [Prim.ShiftLeft]: zeroTangent(Prim.ShiftLeft),
  [Prim.ShiftRightArithmetic]: zeroTangent(Prim.ShiftRightArithmetic),
  [Prim.ShiftRightLogical]: zeroTangent(Prim.ShiftRightLogical),
  [Prim.PopulationCount]: zeroTangent(Prim.PopulationCount),
  [Prim.Clz]: zeroTangent(Prim.Clz),
  [Prim.Tan]: defjvp(Prim.Tan, (t, ans) => lax.mul(t, lax.add(lax.mul(ans, ans), 1))),
  [Prim.Asin]: defjvp(Prim.Asin, (t, _ans, [x]) => lax.mul(t, lax.rsqrt(lax.sub(1, lax.mul(x!, x!))))),
  [Prim.Acos]: defjvp(Prim.Acos, (t, _ans, [x]) => lax.mul(lax.neg(t), lax.rsqrt(lax.sub(1, lax.mul(x!, x!))))),
  [Prim.Atan]: defjvp(Prim.Atan, (t, _ans, [x]) => lax.div(t, lax.add(lax.mul(x!, x!), 1))),
  // atan2(x, y): d/dx = y / (x² + y²), d/dy = -x / (x² + y²).
  [Prim.Atan2]: defjvp(
    Prim.Atan2,
    (t, _ans, [x, y]) => lax.mul(t, lax.div(y!, lax.add(lax.mul(x!, x!), lax.mul(y!, y!)))),
    (t, _ans, [x, y]) => lax.mul(t, lax.div(lax.neg(x!), lax.add(lax.mul(x!, x!), lax.mul(y!, y!)))),
  ),
  [Prim.Sinh]: defjvp(Prim.Sinh, (t, _ans, [x]) => lax.mul(t, lax.cosh(x!))),
  [Prim.Cosh]: defjvp(Prim.Cosh, (t, _ans, [x]) => lax.mul(t, lax.sinh(x!))),
  [Prim.Asinh]: defjvp(Prim.Asinh, (t, _ans, [x]) => lax.mul(t, lax.rsqrt(lax.add(lax.mul(x!, x!), 1)))),
  [Prim.Acosh]: defjvp(Prim.Acosh, (t, _ans, [x]) => lax.mul(t, lax.rsqrt(lax.mul(lax.sub(x!, 1), lax.add(x!, 1))))),
  [Prim.Atanh]: defjvp(Prim.Atanh, (t, _ans, [x]) => lax.div(lax.div(t, lax.sub(1, x!)), lax.add(x!, 1))),
  [Prim.Exp2]: defjvp(Prim.Exp2, (t, ans) => lax.mul(t, lax.mul(ans, Math.LN2))),
  [Prim.Expm1]: defjvp(Prim.Expm1, (t, ans) => lax.mul(t, lax.add(ans, 1))),
  [Prim.Log1p]: defjvp(Prim.Log1p, (t, _ans, [x]) => lax.div(t, lax.add(x!, 1))),
  [Prim.Cbrt]: defjvp(Prim.Cbrt, (t, ans) => lax.mul(t, lax.mul(lax.integerPow(ans, -2), 1 / 3))),
  [Prim.Rsqrt]: defjvp(Prim.Rsqrt, (t, ans, [x]) => lax.mul(t, lax.mul(lax.div(ans, x!), -0.5))),
  [Prim.Erf]: defjvp(Prim.Erf, (t, _ans, [x]) => lax.mul(t, lax.mul(lax.exp(lax.neg(lax.mul(x!, x!))), 2 / Math.sqrt(Math.PI)))),
  [Prim.Erfc]: defjvp(Prim.Erfc, (t, _ans, [x]) => lax.mul(t, lax.mul(lax.exp(lax.neg(lax.mul(x!, x!))), -2 / Math.sqrt(Math.PI)))),
  [Prim.ErfInv]: defjvp(Prim.ErfInv, (t, ans) => lax.mul(t, lax.mul(lax.exp(lax.mul(ans, ans)), Math.sqrt(Math.PI) / 2))),
  [Prim.Lgamma]: defjvp(Prim.Lgamma, (t, _ans, [x]) => lax.mul(t, lax.digamma(x!))),
  [Prim.Digamma]: defjvp(Prim.Digamma, (t, _ans, [x]) => lax.mul(t, trigamma(x!))),
  [Prim.Cumsum]: linear(Prim.Cumsum),
  [Prim.Cumprod]: cumprodJvp,
  [Prim.Cummax]: cummaxJvp,
  [Prim.Cummin]: cumminJvp,
  [Prim.Sort]: sortJvp,
};
