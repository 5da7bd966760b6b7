/**
 * The descriptors fx_conv and fx_reduce_window read (layouts: kernels-rs/src/conv.rs
 * and window.rs), built from operand views, shared by the eager backend and the
 * program compiler. Each kernel then walks every operand through its own strides,
 * so NHWC, NCHW and transposed views need no copies.
 */
import type { DType } from "../../core/index.js";
import type { Prim, PrimParams, ReduceWindowParams } from "../../trace/prim.js";

interface Strided {
  readonly shape: readonly number[];
  readonly strides: readonly number[];
}

/**
 * The dtype a conv computes in: float64 if either the operands or the output are
 * float64 (a float32 result of float64 operands is rounded once, at the end).
 */
export const convWorkDtype = (operands: DType, out: DType): DType =>
  operands === "float64" || out === "float64" ? "float64" : "float32";

export function convDescriptor(lhs: Strided, rhs: Strided, out: Strided, p: PrimParams<Prim.ConvGeneralDilated>): number[] {
  const { lhsSpec: ls, rhsSpec: rs, outSpec: os } = p.dimensionNumbers;
  const G = p.featureGroupCount;
  const B = p.batchGroupCount;
  const groups = Math.max(G, B);
  const nOut = out.shape[os[0]!]!;
  const ci = rhs.shape[rs[1]!]!;
  const co = rhs.shape[rs[0]!]! / groups;
  // Batch groups step through the lhs batch, feature groups through its channels.
  const lhsGroup = B > 1 ? nOut * lhs.strides[ls[0]!]! : ci * lhs.strides[ls[1]!]!;
  const words = [
    ls.length - 2, nOut, ci, co, groups,
    lhsGroup, co * rhs.strides[rs[0]!]!, co * out.strides[os[1]!]!,
    lhs.strides[ls[0]!]!, lhs.strides[ls[1]!]!, rhs.strides[rs[0]!]!, rhs.strides[rs[1]!]!,
    out.strides[os[0]!]!, out.strides[os[1]!]!,
  ];
  for (let d = 0; d < ls.length - 2; d++) {
    const [l, r, o] = [ls[2 + d]!, rs[2 + d]!, os[2 + d]!];
    words.push(
      lhs.shape[l]!, rhs.shape[r]!, out.shape[o]!, p.windowStrides[d]!, p.padding[d]![0],
      p.lhsDilation[d]!, p.rhsDilation[d]!, lhs.strides[l]!, rhs.strides[r]!, out.strides[o]!,
    );
  }
  return words;
}

export function reduceWindowDescriptor(x: Strided, outShape: readonly number[], p: ReduceWindowParams): number[] {
  const words = [x.shape.length];
  x.shape.forEach((n, d) =>
    words.push(n, p.windowDimensions[d]!, outShape[d]!, p.windowStrides[d]!, p.padding[d]![0], p.baseDilation[d]!, p.windowDilation[d]!, x.strides[d]!),
  );
  return words;
}
