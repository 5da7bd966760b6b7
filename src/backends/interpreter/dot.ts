/**
 * dot_general{dimensionNumbers: [[lhsContract, rhsContract], [lhsBatch, rhsBatch]]}.
 *
 * Output dimensions, as in JAX: the batch dimensions (in the order listed), then the
 * lhs free dimensions in order, then the rhs free dimensions in order. Each output
 * element is Σ_k lhs[..k..]·rhs[..k..] over every contracting multi-index k, visited
 * in row-major order of the contracting dimensions (as listed for the lhs).
 *
 * The output dtype (preferredElementType or the operands' dtype) decides the
 * arithmetic: float outputs accumulate in f64 and round once; int32/uint32 outputs
 * wrap modulo 2^32; bool outputs are OR over AND.
 */
import { DTypeError, isFloat } from "../../core/index.js";
import type { Prim } from "../../trace/prim.js";
import { type ImplRule, allocate, first, stridedOffsets, stridesOf } from "./common.js";

type MulAdd = (acc: number, a: number, b: number) => number;

const floatMulAdd: MulAdd = (acc, a, b) => acc + a * b;
const intMulAdd: MulAdd = (acc, a, b) => (acc + Math.imul(a, b)) | 0;
const boolMulAdd: MulAdd = (acc, a, b) => (acc !== 0 || (a !== 0 && b !== 0) ? 1 : 0);

const freeDims = (rank: number, ...used: (readonly number[])[]): number[] =>
  Array.from({ length: rank }, (_, d) => d).filter((d) => !used.some((u) => u.includes(d)));

export const dotGeneralRule: ImplRule<Prim.DotGeneral> = (
  inputs,
  inAvals,
  { dimensionNumbers },
  outAvals,
) => {
  const [[lc, rc], [lb, rb]] = dimensionNumbers;
  const lhsAval = inAvals[0]!;
  const rhsAval = inAvals[1]!;
  const lhs = inputs[0]!;
  const rhs = inputs[1]!;
  const outDtype = first(outAvals).dtype;

  let mulAdd: MulAdd;
  if (isFloat(outDtype)) mulAdd = floatMulAdd;
  else if (isFloat(lhsAval.dtype) || isFloat(rhsAval.dtype)) {
    throw new DTypeError(
      `dot_general: float operands (${lhsAval.dtype}, ${rhsAval.dtype}) cannot produce ` +
        `${outDtype}; use a float preferredElementType.`,
    );
  } else if (outDtype !== "bool") mulAdd = intMulAdd;
  else if (lhsAval.dtype === "bool" && rhsAval.dtype === "bool") mulAdd = boolMulAdd;
  else throw new DTypeError(`dot_general: integer operands cannot produce bool.`);

  const ls = lhsAval.shape;
  const rs = rhsAval.shape;
  const lStr = stridesOf(ls);
  const rStr = stridesOf(rs);
  const lFree = freeDims(ls.length, lc, lb);
  const rFree = freeDims(rs.length, rc, rb);

  const outShape = [...lb.map((d) => ls[d]!), ...lFree.map((d) => ls[d]!), ...rFree.map((d) => rs[d]!)];
  const lhsOutStrides = [...lb.map((d) => lStr[d]!), ...lFree.map((d) => lStr[d]!), ...rFree.map(() => 0)];
  const rhsOutStrides = [...rb.map((d) => rStr[d]!), ...lFree.map(() => 0), ...rFree.map((d) => rStr[d]!)];
  const lhsAt = stridedOffsets(outShape, lhsOutStrides);
  const rhsAt = stridedOffsets(outShape, rhsOutStrides);

  const contractShape = lc.map((d) => ls[d]!);
  const lhsK = stridedOffsets(contractShape, lc.map((d) => lStr[d]!));
  const rhsK = stridedOffsets(contractShape, rc.map((d) => rStr[d]!));

  const out = allocate(outDtype, lhsAt.length);
  for (let o = 0; o < out.length; o++) {
    let acc = 0;
    for (let k = 0; k < lhsK.length; k++) {
      acc = mulAdd(acc, lhs[lhsAt[o]! + lhsK[k]!]!, rhs[rhsAt[o]! + rhsK[k]!]!);
    }
    out[o] = acc;
  }
  return [out];
};
