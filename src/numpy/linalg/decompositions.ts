/**
 * np.linalg's factorisations, as jnp.linalg: cholesky, qr, eigh, eigvalsh, svd and
 * svdvals over the last two axes (leading axes are a batch). Integer inputs are
 * promoted to float32.
 */
import { ArgumentError, ShapeError } from "../../core/index.js";
import * as lax from "../../lax/index.js";
import { matrixT } from "../../lax/linalg.js";
import type { Array } from "../../trace/array.js";
import type { ArrayLike } from "../../trace/array-ops.js";
import { checkOptions, toInexact } from "../internal.js";
import { tidy } from "../../trace/memory.js";

/** A float array of rank >= 2 (square when `square`), or a clear error naming `op`. */
export function matrixInput(op: string, x: ArrayLike, square: boolean): Array {
  const a = toInexact(x, op);
  if (a.ndim < 2) throw new ShapeError(`${op}: needs a matrix (or a batch of them) in the last two axes, got ${a.aval.strShort()}; reshape to [..., m, n].`);
  const [m, n] = a.shape.slice(-2);
  if (square && m !== n) throw new ShapeError(`${op}: needs square matrices in the last two axes, got ${a.aval.strShort()} (${m}x${n}).`);
  return a;
}

/** The lower Cholesky factor L with a = L·Lᵀ (upper: Lᵀ); NaNs where a is not positive definite. */
export function cholesky(a: ArrayLike, opts: { readonly upper?: boolean; readonly symmetrizeInput?: boolean } = {}): Array {
  return tidy<Array>(() => {
    checkOptions("linalg.cholesky", opts, ["upper", "symmetrizeInput"]);
    const l = lax.cholesky(matrixInput("linalg.cholesky", a, true), { symmetrizeInput: opts.symmetrizeInput ?? true });
    return opts.upper ? matrixT(l) : l;
  });
}

export type QrMode = "reduced" | "complete" | "r";

/** QR: [q, r] ("reduced": q is m×k, "complete": q is m×m) or r alone (mode "r"). */
export function qr(a: ArrayLike, mode: "r"): Array;
export function qr(a: ArrayLike, mode?: "reduced" | "complete"): [Array, Array];
export function qr(a: ArrayLike, mode: QrMode = "reduced"): Array | [Array, Array] {
  return tidy<Array | [Array, Array]>(() => {
    if (!["reduced", "complete", "r"].includes(mode)) {
      throw new ArgumentError(`linalg.qr: unknown mode ${JSON.stringify(mode)}; use "reduced", "complete" or "r".`);
    }
    const [q, r] = lax.qr(matrixInput("linalg.qr", a, false), { fullMatrices: mode === "complete" });
    return mode === "r" ? r : [q, r];
  });
}

/** [eigenvalues ascending, eigenvectors as columns] of symmetric matrices, reading the UPLO triangle. */
export function eigh(a: ArrayLike, opts: { readonly UPLO?: "L" | "U"; readonly symmetrizeInput?: boolean } = {}): [Array, Array] {
  return tidy<[Array, Array]>(() => {
    checkOptions("linalg.eigh", opts, ["UPLO", "symmetrizeInput"]);
    const uplo = opts.UPLO ?? "L";
    if (uplo !== "L" && uplo !== "U") throw new ArgumentError(`linalg.eigh: UPLO must be "L" or "U", got ${JSON.stringify(uplo)}.`);
    const [v, w] = lax.eigh(matrixInput("linalg.eigh", a, true), { lower: uplo === "L", symmetrizeInput: opts.symmetrizeInput ?? true });
    return [w, v];
  });
}

/** The eigenvalues (ascending) of symmetric matrices. */
export function eigvalsh(a: ArrayLike, opts: { readonly UPLO?: "L" | "U"; readonly symmetrizeInput?: boolean } = {}): Array {
  return tidy<Array>(() => eigh(a, opts)[0]);
}

export interface SvdOpts {
  readonly fullMatrices?: boolean;
  readonly computeUv?: boolean;
}

/** [u, s, vh] with a = u·diag(s)·vh (s descending); computeUv: false gives s alone. */
export function svd(a: ArrayLike, opts: SvdOpts & { readonly computeUv: false }): Array;
export function svd(a: ArrayLike, opts?: SvdOpts): [Array, Array, Array];
export function svd(a: ArrayLike, opts: SvdOpts = {}): Array | [Array, Array, Array] {
  return tidy<Array | [Array, Array, Array]>(() => {
    checkOptions("linalg.svd", opts, ["fullMatrices", "computeUv"]);
    const x = matrixInput("linalg.svd", a, false);
    if (opts.computeUv === false) return lax.svd(x, { computeUv: false });
    const [s, u, vt] = lax.svd(x, { fullMatrices: opts.fullMatrices ?? true });
    return [u, s, vt];
  });
}

/** The singular values, descending. */
export const svdvals = (a: ArrayLike): Array => tidy<Array>(() => lax.svd(matrixInput("linalg.svdvals", a, false), { computeUv: false }));
