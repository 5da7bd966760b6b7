/**
 * dot_general as a MATMUL step, exactly as the eager backend computes it
 * (contract.ts): operands cast to the work dtype (fused casts), axes grouped into
 * [batch, rows, cols] strides (a copy when they do not merge), and the result cast
 * to the output dtype (a fused cast, so it joins the epilogue).
 */
import { shapeSize, type DType, type Shape, type ShapedArray } from "../../../core/index.js";
import type { DotDimensionNumbers } from "../../../trace/prim.js";
import { coalesce } from "../array.js";
import type { Builder, Val } from "./builder.js";
import { elementwise } from "./fusion.js";
import type { MatmulStep, View } from "./types.js";

/** As contract.ts: bool through int32; float32 from non-float32 operands in float64. */
function workDtype(lhs: DType, rhs: DType, out: DType): DType {
  if (out === "bool") return "int32";
  if (out === "float32" && (lhs !== "float32" || rhs !== "float32")) return "float64";
  return out;
}

/** One merged axis (size, stride), or null if the axes are not one uniform walk. */
function group(x: View, axes: readonly number[]): { size: number; stride: number } | null {
  const size = shapeSize(axes.map((a) => x.shape[a]!));
  const c = coalesce(axes.map((a) => x.shape[a]!), [axes.map((a) => x.strides[a]!)]);
  if (c.shape.length > 1) return null;
  return { size, stride: c.shape.length === 0 ? 0 : c.strides[0]![0]! };
}

function asMatrix(b: Builder, x: View, bt: number[], r: number[], c: number[]) {
  let gb = group(x, bt), gr = group(x, r), gc = group(x, c);
  if (!gb || !gr || !gc) {
    const perm = [...bt, ...r, ...c];
    x = b.copy({ ...x, shape: perm.map((a) => x.shape[a]!), strides: perm.map((a) => x.strides[a]!) }, "dot_general operand layout");
    const n = (k: number, len: number) => Array.from({ length: len }, (_, i) => k + i);
    gb = group(x, n(0, bt.length));
    gr = group(x, n(bt.length, r.length));
    gc = group(x, n(bt.length + r.length, c.length));
  }
  return { x, batch: gb!, rows: gr!, cols: gc! };
}

export function dotGeneral(
  b: Builder, lhs: Val, rhs: Val, ins: readonly ShapedArray[], dn: DotDimensionNumbers, outShape: Shape, outDtype: DType, name: string,
): Val {
  const [[lc, rc], [lb, rb]] = dn;
  const work = workDtype(ins[0]!.dtype, ins[1]!.dtype, outDtype);
  const prep = (v: Val, a: ShapedArray): View =>
    b.materialize(a.dtype === work ? v : elementwise(b, { kind: "cast" }, [v], a.shape, work, name));
  const l = prep(lhs, ins[0]!);
  const r = prep(rhs, ins[1]!);
  const lf = l.shape.map((_, i) => i).filter((i) => !lc.includes(i) && !lb.includes(i));
  const rf = r.shape.map((_, i) => i).filter((i) => !rc.includes(i) && !rb.includes(i));
  const A = asMatrix(b, l, [...lb], lf, [...lc]);
  const B = asMatrix(b, r, [...rb], [...rc], rf);
  const out = b.temp(work, outShape, name);
  b.step<MatmulStep>({
    kind: "matmul",
    dtype: work,
    batch: A.batch.size,
    m: A.rows.size,
    n: B.cols.size,
    k: A.cols.size,
    a: { view: A.x, s: [A.batch.stride, A.rows.stride, A.cols.stride] },
    b: { view: B.x, s: [B.batch.stride, B.rows.stride, B.cols.stride] },
    out,
    dims: dn,
  });
  const res: Val = { kind: "view", view: out };
  return outDtype === work ? res : elementwise(b, { kind: "cast" }, [res], outShape, outDtype, name);
}
