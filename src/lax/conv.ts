/**
 * lax convolutions, with JAX's signatures: convGeneralDilated (the primitive), conv,
 * convWithGeneralPadding and convTranspose; dimension numbers from layout strings
 * (JAX's conv_dimension_numbers) and padding from 'SAME' / 'VALID' / 'SAME_LOWER'
 * (JAX's padtype_to_pads).
 */
import { ArgumentError, type DType } from "../core/index.js";
import type { Array } from "../trace/array.js";
import { asArray, type ArrayLike } from "../trace/array-ops.js";
import { dilateSize } from "../trace/conv-shape.js";
import { ConvDimensionNumbers, type Padding, Prim } from "../trace/prim.js";
import { bind1 } from "../trace/trace.js";
import { rev } from "./structural.js";
import { tidy } from "../trace/memory.js";

/** Layout strings such as `['NHWC', 'HWIO', 'NHWC']`, or specs, or null for NC…/OI…/NC…. */
export type ConvDimensionNumbersLike =
  | ConvDimensionNumbers
  | readonly [string, string, string]
  | { readonly lhsSpec: readonly number[]; readonly rhsSpec: readonly number[]; readonly outSpec: readonly number[] }
  | null;

export type PaddingLike = "SAME" | "VALID" | "SAME_LOWER" | Padding;

const OP = "conv_general_dilated";

/**
 * JAX's conv_dimension_numbers: strings name each axis (N batch, C feature; O, I for
 * the kernel; any other letters spatial). Spatial axes pair up by letter, ordered as
 * the kernel's string lists them.
 */
export function convDimensionNumbers(ndim: number, dn: ConvDimensionNumbersLike): ConvDimensionNumbers {
  if (dn === null) {
    const spec = globalThis.Array.from({ length: ndim }, (_, i) => i);
    return new ConvDimensionNumbers(spec, spec, spec);
  }
  if (dn instanceof ConvDimensionNumbers) return dn;
  if ("lhsSpec" in dn) return new ConvDimensionNumbers([...dn.lhsSpec], [...dn.rhsSpec], [...dn.outSpec]);
  const [lhs, rhs, out] = dn as readonly [string, string, string];
  const shown = `('${lhs}', '${rhs}', '${out}')`;
  const fail = (why: string): never => {
    throw new ArgumentError(`${OP}: dimension_numbers ${shown} ${why}; e.g. ('NHWC', 'HWIO', 'NHWC') or ('NCHW', 'OIHW', 'NCHW').`);
  };
  if (typeof lhs !== "string" || typeof rhs !== "string" || typeof out !== "string") fail("must be three strings");
  if (lhs.length !== ndim || rhs.length !== ndim || out.length !== ndim) fail(`must each have ${ndim} letters, one per operand axis`);
  const once = (s: string, letters: string, which: string) => {
    if (new Set(s).size !== s.length) fail(`repeats a letter in the ${which} string '${s}'`);
    for (const c of letters) if (!s.includes(c)) fail(`needs '${c}' in the ${which} string '${s}'`);
  };
  once(lhs, "NC", "lhs");
  once(rhs, "OI", "rhs");
  once(out, "NC", "output");
  const spatial = [...rhs].filter((c) => c !== "O" && c !== "I");
  for (const [s, which] of [[lhs, "lhs"], [out, "output"]] as const) {
    const sp = [...s].filter((c) => c !== "N" && c !== "C");
    if (sp.some((c) => !spatial.includes(c))) fail(`has spatial letters in the ${which} string '${s}' that the rhs string '${rhs}' lacks`);
  }
  const spec = (s: string, first: string, second: string) => [s.indexOf(first), s.indexOf(second), ...spatial.map((c) => s.indexOf(c))];
  return new ConvDimensionNumbers(spec(lhs, "N", "C"), spec(rhs, "O", "I"), spec(out, "N", "C"));
}

/**
 * JAX's padtype_to_pads: 'SAME' pads so that out = ceil(in / stride), splitting the
 * padding with the extra element high ('SAME_LOWER': low); 'VALID' pads nothing.
 */
export function padtypeToPads(inSizes: readonly number[], window: readonly number[], strides: readonly number[], padding: PaddingLike, op: string): [number, number][] {
  if (typeof padding !== "string") return padding.map((p) => [p[0], p[1]]);
  if (padding === "VALID") return inSizes.map(() => [0, 0]);
  if (padding !== "SAME" && padding !== "SAME_LOWER") {
    throw new ArgumentError(`${op}: padding '${padding as string}' is not 'SAME', 'VALID', 'SAME_LOWER' or a list of (low, high) pairs.`);
  }
  return inSizes.map((n, i) => {
    const out = Math.ceil(n / strides[i]!);
    const total = Math.max(0, (out - 1) * strides[i]! + window[i]! - n);
    const small = Math.floor(total / 2);
    return padding === "SAME" ? [small, total - small] : [total - small, small];
  });
}

export interface ConvOptions {
  readonly lhsDilation?: readonly number[] | null;
  readonly rhsDilation?: readonly number[] | null;
  readonly dimensionNumbers?: ConvDimensionNumbersLike;
  readonly featureGroupCount?: number;
  readonly batchGroupCount?: number;
  readonly preferredElementType?: DType | null;
}

const ones = (n: number): number[] => new globalThis.Array<number>(n).fill(1);

/**
 * JAX's lax.conv_general_dilated: an N-d convolution with strides, padding (explicit
 * pairs or 'SAME' / 'VALID' / 'SAME_LOWER'), lhs and rhs dilation, any layout
 * (dimensionNumbers such as ['NHWC', 'HWIO', 'NHWC']; default NC…/OI…/NC…) and feature
 * or batch groups.
 */
export function convGeneralDilated(
  lhs: ArrayLike, rhs: ArrayLike, windowStrides: readonly number[], padding: PaddingLike, opts: ConvOptions = {},
): Array {
  const [l, r] = [asArray(lhs, OP), asArray(rhs, OP)];
  const dn = convDimensionNumbers(l.ndim, opts.dimensionNumbers ?? null);
  const nsp = Math.max(0, l.ndim - 2);
  const rhsDilation = [...(opts.rhsDilation ?? ones(nsp))];
  const rhsSpatial = dn.rhsSpec.slice(2).map((d) => r.shape[d] ?? 0);
  const pads = padtypeToPads(
    dn.lhsSpec.slice(2).map((d) => l.shape[d] ?? 0),
    rhsSpatial.map((w, i) => dilateSize(w, rhsDilation[i] ?? 1)),
    windowStrides, padding, OP,
  );
  return bind1(Prim.ConvGeneralDilated, [l, r], {
    windowStrides: [...windowStrides],
    padding: pads,
    lhsDilation: [...(opts.lhsDilation ?? ones(nsp))],
    rhsDilation,
    dimensionNumbers: dn,
    featureGroupCount: opts.featureGroupCount ?? 1,
    batchGroupCount: opts.batchGroupCount ?? 1,
    precision: null,
    preferredElementType: opts.preferredElementType ?? null,
  });
}

/** JAX's lax.conv: NC… input, OI… kernel, no dilation. */
export function conv(lhs: ArrayLike, rhs: ArrayLike, windowStrides: readonly number[], padding: PaddingLike): Array {
  return convGeneralDilated(lhs, rhs, windowStrides, padding);
}

/** JAX's lax.conv_with_general_padding: NC… input, OI… kernel, with dilations. */
export function convWithGeneralPadding(
  lhs: ArrayLike, rhs: ArrayLike, windowStrides: readonly number[], padding: PaddingLike,
  lhsDilation: readonly number[] | null = null, rhsDilation: readonly number[] | null = null,
): Array {
  return convGeneralDilated(lhs, rhs, windowStrides, padding, { lhsDilation, rhsDilation });
}

/** The padding of a transposed conv along one axis for a window `k` and stride `s` (JAX's _conv_transpose_padding). */
function transposePadding(k: number, s: number, padding: "SAME" | "VALID"): [number, number] {
  const total = padding === "SAME" ? k + s - 2 : k + s - 2 + Math.max(k - s, 0);
  const lo = padding === "SAME" && s <= k - 1 ? Math.ceil(total / 2) : k - 1;
  return [lo, total - lo];
}

export interface ConvTransposeOptions {
  readonly rhsDilation?: readonly number[] | null;
  readonly dimensionNumbers?: ConvDimensionNumbersLike;
  /** Flip the kernel's spatial axes and swap its I and O axes (the gradient of a forward conv). */
  readonly transposeKernel?: boolean;
  readonly preferredElementType?: DType | null;
}

const TRANSPOSE_LAYOUTS: Record<number, readonly [string, string, string]> = {
  2: ["NC", "IO", "NC"],
  3: ["NHC", "HIO", "NHC"],
  4: ["NHWC", "HWIO", "NHWC"],
  5: ["NHWDC", "HWDIO", "NHWDC"],
};

/**
 * JAX's lax.conv_transpose: a conv whose input is dilated by `strides` (a
 * fractionally strided conv), defaulting to channels-last layouts.
 */
export function convTranspose(
  lhs: ArrayLike, rhs: ArrayLike, strides: readonly number[], padding: PaddingLike, opts: ConvTransposeOptions = {},
): Array {
  return tidy<Array>(() => {
    const [l, r0] = [asArray(lhs, "conv_transpose"), asArray(rhs, "conv_transpose")];
    const layout = opts.dimensionNumbers ?? TRANSPOSE_LAYOUTS[l.ndim] ?? null;
    const dn = convDimensionNumbers(l.ndim, layout);
    const nsp = l.ndim - 2;
    const rhsDilation = [...(opts.rhsDilation ?? ones(nsp))];
    let pads: PaddingLike = padding;
    if (padding === "SAME" || padding === "VALID") {
      pads = dn.rhsSpec.slice(2).map((d, i) => transposePadding(dilateSize(r0.shape[d]!, rhsDilation[i]!), strides[i]!, padding));
    }
    let r = r0;
    if (opts.transposeKernel) {
      r = rev(r, dn.rhsSpec.slice(2));
      const perm = r.shape.map((_, i) => i);
      [perm[dn.rhsSpec[0]!], perm[dn.rhsSpec[1]!]] = [dn.rhsSpec[1]!, dn.rhsSpec[0]!];
      r = r.transpose(perm);
    }
    return convGeneralDilated(l, r, ones(nsp), pads, {
      lhsDilation: strides, rhsDilation, dimensionNumbers: dn, preferredElementType: opts.preferredElementType ?? null,
    });
  });
}
