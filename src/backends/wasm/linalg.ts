/**
 * How the linear-algebra primitives call `fx_linalg` (kernels-rs/src/linalg.rs):
 * operation code, flag bits and the [batch, m, n] layout, shared by eager execution
 * and the program compiler. Operands and outputs are contiguous.
 */
import { shapeSize, type ShapedArray } from "../../core/index.js";
import type { LinalgPrim, PrimParams } from "../../trace/prim.js";
import { Prim } from "../../trace/prim.js";
import { DTYPE_CODE, LINALG_FLAG, LINALG_OP } from "./abi.js";
import type { WasmBuffer } from "./array.js";
import type { Ops } from "./ops.js";

export interface LinalgCall {
  readonly op: number;
  readonly flags: number;
  readonly batch: number;
  /** Rows and columns of x0 (of b, for triangular_solve). */
  readonly m: number;
  readonly n: number;
}

function flagsOf<P extends LinalgPrim>(prim: P, params: PrimParams<P>): number {
  const bit = (on: boolean, f: number): number => (on ? f : 0);
  switch (prim) {
    case Prim.TriangularSolve: {
      const p = params as PrimParams<Prim.TriangularSolve>;
      return bit(p.leftSide, LINALG_FLAG.leftSide) | bit(p.lower, LINALG_FLAG.lower) |
        bit(p.transposeA, LINALG_FLAG.transposeA) | bit(p.unitDiagonal, LINALG_FLAG.unitDiagonal);
    }
    case Prim.Qr:
      return bit((params as PrimParams<Prim.Qr>).fullMatrices, LINALG_FLAG.fullMatrices);
    case Prim.Eigh:
      return bit((params as PrimParams<Prim.Eigh>).lower, LINALG_FLAG.lower);
    case Prim.Svd: {
      const p = params as PrimParams<Prim.Svd>;
      return bit(p.fullMatrices, LINALG_FLAG.fullMatrices) | bit(p.computeUv, LINALG_FLAG.computeUv);
    }
    default:
      return 0;
  }
}

/** The call for `prim` on operands of these shapes. */
export function linalgCall<P extends LinalgPrim>(prim: P, params: PrimParams<P>, inShapes: readonly (readonly number[])[]): LinalgCall {
  const main = prim === Prim.TriangularSolve ? inShapes[1]! : inShapes[0]!;
  return {
    op: LINALG_OP[prim],
    flags: flagsOf(prim, params),
    batch: shapeSize(main.slice(0, -2)),
    m: main.at(-2)!,
    n: main.at(-1)!,
  };
}

/** Eager execution: contiguous copies of the operands where needed, fresh outputs. */
export function linalg<P extends LinalgPrim>(ops: Ops, prim: P, xs: readonly WasmBuffer[], params: PrimParams<P>, outAvals: readonly ShapedArray[]): WasmBuffer[] {
  const call = linalgCall(prim, params, xs.map((x) => x.shape));
  const ins = xs.map((x) => ops.contiguous(x));
  const outs = outAvals.map((o) => ops.alloc(o.dtype, o.shape));
  try {
    if (outs.some((o) => o.size > 0)) {
      const [x0, x1] = [ins[0]!, ins[1] ?? ins[0]!];
      const [y0, y1, y2] = [outs[0]!, outs[1] ?? outs[0]!, outs[2] ?? outs[0]!];
      const st = ops.k.fx_linalg(call.op, call.flags, DTYPE_CODE[xs[0]!.dtype], call.batch, call.m, call.n, x0.ptr, x1.ptr, y0.ptr, y1.ptr, y2.ptr);
      if (st !== 0) outs.forEach((o) => ops.release(o));
      ops.check(st, `${prim} on ${xs[0]!.dtype}`);
    }
    return outs;
  } finally {
    ins.forEach((x) => ops.release(x));
  }
}
