/**
 * Comparing jit results with eager ones. Exact (bit for bit, any NaN equal to any
 * NaN) except for values marked inexact (downstream of float sums and products,
 * which fused reductions reassociate): those agree within `RTOL` of the output's
 * scale, |jit - eager| <= RTOL * (1 + max|eager|), with NaN and ±Infinity matching.
 */
import { expect } from "vitest";
import type { DType } from "../../src/core/index.js";
import type { Array as NdArray } from "../../src/trace/array.js";

export const RTOL: Readonly<Partial<Record<DType, number>>> = { float32: 1e-3, float64: 1e-9 };

const same = (a: number, b: number) => Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));

export function expectAgree(label: string, got: NdArray, want: NdArray, inexact: boolean): void {
  expect(got.dtype, `${label}: dtype`).toBe(want.dtype);
  expect([...got.shape], `${label}: shape`).toEqual([...want.shape]);
  expect(got.weakType, `${label}: weak type`).toBe(want.weakType);
  const g = got.dataSync();
  const w = want.dataSync();
  const rtol = inexact ? RTOL[want.dtype] : undefined;
  const scale = 1 + Array.from(w).reduce((m, v) => (Number.isFinite(v) ? Math.max(m, Math.abs(v)) : m), 0);
  for (let i = 0; i < w.length; i++) {
    const a = g[i]!;
    const b = w[i]!;
    const ok = rtol === undefined || !Number.isFinite(a) || !Number.isFinite(b) ? same(a, b) : Math.abs(a - b) <= rtol * scale;
    if (!ok) {
      throw new Error(`${label}: element ${i}: jit ${a} vs eager ${b}${rtol ? ` (tolerance ${rtol * scale})` : " (exact)"}\n  jit:   [${Array.from(g)}]\n  eager: [${Array.from(w)}]`);
    }
  }
}
