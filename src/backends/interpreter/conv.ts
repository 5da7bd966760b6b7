/**
 * conv_general_dilated and reduce_window_{sum,max,min} as plain direct loops: for
 * every output element, every tap of its window, the operand position it reads
 * (or none, when the tap falls on padding or between dilated elements).
 *
 * Tap arithmetic on one axis (see trace/conv-shape.ts): output position o and tap k
 * read dilated position q = o·stride − lo + k·winDil; it holds an operand element
 * iff 0 ≤ q, q ≡ 0 (mod baseDil) and q / baseDil < n.
 *
 * conv: out[n, o, pos] = Σ_i Σ_k lhs[bg·N' + n, g·I + i, taps] · rhs[o, i, k], with
 * g = ⌊o / (O/G)⌋ (feature group) and bg = ⌊o / (O/B)⌋ (batch group); floats
 * accumulate in f64 in (i, k) row-major order and are rounded once. Taps on padding
 * or dilation holes read 0 (and still multiply, so an infinite weight gives NaN).
 */
import { shapeSize } from "../../core/index.js";
import type { Prim, ReduceWindowPrim } from "../../trace/prim.js";
import { type ImplRule, allocate, first, stridesOf } from "./common.js";
import { type MonoidFor, maxMonoid, minMonoid, sumMonoid } from "./reduce.js";

/** Every multi-index of `shape`, row-major. */
function indices(shape: readonly number[]): number[][] {
  const out: number[][] = [];
  const n = shapeSize(shape);
  for (let flat = 0; flat < n; flat++) {
    const idx = new Array<number>(shape.length);
    let rem = flat;
    for (let d = shape.length - 1; d >= 0; d--) {
      idx[d] = rem % shape[d]!;
      rem = Math.floor(rem / shape[d]!);
    }
    out.push(idx);
  }
  return out;
}

/** The operand index read by output position `o` and tap `k` on one axis, or -1. */
function tap(o: number, k: number, stride: number, lo: number, winDil: number, baseDil: number, n: number): number {
  const q = o * stride - lo + k * winDil;
  if (q < 0 || q % baseDil !== 0) return -1;
  const i = q / baseDil;
  return i < n ? i : -1;
}

export const convRule: ImplRule<Prim.ConvGeneralDilated> = (inputs, inAvals, p, outAvals) => {
  const [lhs, rhs] = inputs;
  const [la, ra] = inAvals;
  const oa = first(outAvals);
  const { lhsSpec, rhsSpec, outSpec } = p.dimensionNumbers;
  const [ls, rs, os] = [stridesOf(la!.shape), stridesOf(ra!.shape), stridesOf(oa.shape)];
  const at = (shape: readonly number[], spec: readonly number[]) => spec.map((d) => shape[d]!);
  const [, , ...inSp] = at(la!.shape, lhsSpec);
  const [O, I, ...win] = at(ra!.shape, rhsSpec) as [number, number, ...number[]];
  const [Nout, , ...outSp] = at(oa.shape, outSpec) as [number, number, ...number[]];
  const [lst, rst, ost] = [at(ls, lhsSpec), at(rs, rhsSpec), at(os, outSpec)];
  const perFeatureGroup = O / p.featureGroupCount;
  const perBatchGroup = O / p.batchGroupCount;
  const out = allocate(oa.dtype, oa.size);
  const positions = indices(outSp);
  const taps = indices(win);
  for (let n = 0; n < Nout; n++) {
    for (let o = 0; o < O; o++) {
      const g = Math.floor(o / perFeatureGroup);
      const nIn = Math.floor(o / perBatchGroup) * Nout + n;
      for (const pos of positions) {
        let acc = 0;
        for (let i = 0; i < I; i++) {
          const lBase = nIn * lst[0]! + (g * I + i) * lst[1]!;
          const rBase = o * rst[0]! + i * rst[1]!;
          for (const k of taps) {
            let lOff = lBase;
            let rOff = rBase;
            let inside = true;
            for (let d = 0; d < k.length; d++) {
              const x = tap(pos[d]!, k[d]!, p.windowStrides[d]!, p.padding[d]![0], p.rhsDilation[d]!, p.lhsDilation[d]!, inSp[d]!);
              inside &&= x >= 0;
              lOff += x * lst[2 + d]!;
              rOff += k[d]! * rst[2 + d]!;
            }
            // Padding and dilation holes are zeros that still multiply (0 · inf is NaN, as in XLA).
            acc += (inside ? lhs![lOff]! : 0) * rhs![rOff]!;
          }
        }
        out[n * ost[0]! + o * ost[1]! + pos.reduce((s, x, d) => s + x * ost[2 + d]!, 0)] = acc;
      }
    }
  }
  return [out];
};

const windowRule =
  <P extends ReduceWindowPrim>(monoidFor: MonoidFor): ImplRule<P> =>
  ([x], [xa], p, [oa]) => {
    const { identity, combine } = monoidFor(xa!.dtype);
    const xs = stridesOf(xa!.shape);
    const out = allocate(oa!.dtype, oa!.size);
    const taps = indices(p.windowDimensions);
    indices(oa!.shape).forEach((pos, flat) => {
      let acc = identity;
      for (const k of taps) {
        let off = 0;
        let inside = true;
        for (let d = 0; d < k.length && inside; d++) {
          const i = tap(pos[d]!, k[d]!, p.windowStrides[d]!, p.padding[d]![0], p.windowDilation[d]!, p.baseDilation[d]!, xa!.shape[d]!);
          inside = i >= 0;
          off += i * xs[d]!;
        }
        if (inside) acc = combine(acc, x![off]!);
      }
      out[flat] = acc;
    });
    return [out];
  };

export const reduceWindowRules = {
  reduceWindowSum: windowRule<Prim.ReduceWindowSum>(sumMonoid),
  reduceWindowMax: windowRule<Prim.ReduceWindowMax>(maxMonoid),
  reduceWindowMin: windowRule<Prim.ReduceWindowMin>(minMonoid),
};
