/** Covariance and correlation matrices (cov with ddof/bias and frequency or analytic weights; corrcoef). */
import { ShapeError } from "../core/index.js";
import type { Array } from "../trace/array.js";
import { type ArrayLike, asArray, concatenate, div, expandDims, matmul, mean, mul, promote, sqrt, squeeze, sub, sum, transpose } from "../trace/array-ops.js";
import { clip } from "./elementwise.js";
import { atleast2d } from "./axes.js";
import { checkOptions, toInexact } from "./internal.js";
import { average } from "./reductions.js";
import { diag } from "./triangular.js";
import { tidy } from "../trace/memory.js";

export interface CovOptions {
  /** Each row is a variable and each column an observation (default true); false transposes. */
  readonly rowvar?: boolean;
  /** Normalise by N instead of N - 1 (default false). */
  readonly bias?: boolean;
  /** Overrides bias: the divisor is N - ddof. */
  readonly ddof?: number | null;
  /** Integer repeat counts per observation. */
  readonly fweights?: ArrayLike | null;
  /** Relative importance weights per observation. */
  readonly aweights?: ArrayLike | null;
}

function observations(x: ArrayLike, rowvar: boolean, op: string): Array {
  const a = asArray(x, op);
  if (a.ndim > 2) throw new ShapeError(`${op}: inputs must be 1-D or 2-D, got ${a.aval.strShort()}.`);
  const m = atleast2d(a);
  return !rowvar && m.shape[0] !== 1 ? transpose(m) : m;
}

/** The covariance matrix of the variables in `m` (and `y`), squeezed to a scalar for one variable. */
export function cov(m: ArrayLike, y: ArrayLike | null = null, opts: CovOptions = {}): Array {
  return tidy<Array>(() => {
    checkOptions("cov", opts, ["rowvar", "bias", "ddof", "fweights", "aweights"]);
    const rowvar = opts.rowvar ?? true;
    let x = observations(m, rowvar, "cov");
    if (y !== null) x = concatenate(promote("cov", x, observations(y, rowvar, "cov")), 0);
    x = toInexact(x, "cov");
    const n = x.shape[1]!;
    const ddof = opts.ddof ?? (opts.bias ? 0 : 1);
    const given = (v: ArrayLike | null | undefined): v is ArrayLike => v !== undefined && v !== null;
    const raw = [opts.fweights, opts.aweights];
    const promoted = promote("cov", x, ...raw.filter(given)).map((a) => toInexact(a, "cov"));
    x = promoted[0]!;
    let k = 1;
    const [fw, aw] = raw.map((v, i) => {
      if (!given(v)) return null;
      const w = promoted[k++]!;
      if (w.ndim !== 1 || w.shape[0] !== n) {
        throw new ShapeError(`cov: ${i === 0 ? "fweights" : "aweights"} must be 1-D with one weight per observation (${n}), got ${w.aval.strShort()}.`);
      }
      return w;
    }) as [Array | null, Array | null];
    const w = fw && aw ? mul(fw, aw) : (fw ?? aw);
    let avg: Array;
    let fact: Array | number;
    if (w === null) {
      avg = mean(x, 1);
      fact = n - ddof;
    } else {
      avg = average(x, 1, { weights: w });
      const ws = sum(w);
      fact = ddof === 0 ? ws : aw === null ? sub(ws, ddof) : sub(ws, div(mul(sum(mul(w, aw)), ddof), ws));
    }
    const centered = sub(x, expandDims(avg, 1));
    const right = w === null ? transpose(centered) : transpose(mul(centered, w));
    return squeeze(div(matmul(centered, right), fact));
  });
}

/** Pearson correlation coefficients: cov normalised by the standard deviations, clipped to [-1, 1]. */
export function corrcoef(x: ArrayLike, y: ArrayLike | null = null, opts: { readonly rowvar?: boolean } = {}): Array {
  return tidy<Array>(() => {
    checkOptions("corrcoef", opts, ["rowvar"]);
    const c = cov(x, y, { rowvar: opts.rowvar ?? true });
    if (c.ndim === 0) return div(c, c);
    const sd = sqrt(diag(c));
    return clip(div(div(c, expandDims(sd, 1)), expandDims(sd, 0)), -1, 1);
  });
}
