/**
 * einsum: Einstein summation over any valid subscripts. Each operand first loses its
 * broadcast size-1 axes, takes diagonals for repeated labels and sums labels used
 * nowhere else; then operands are contracted pairwise with dot_general (shared labels
 * needed later become batch dimensions), in a greedy order that picks, at each step,
 * the pair whose result is smallest (pairs sharing a label first). The last operand
 * is summed and transposed into the output order.
 */
import { ArgumentError } from "../core/index.js";
import { Array } from "../trace/array.js";
import { type ArrayLike, dotGeneralAny, promote, reshape, sum, transpose } from "../trace/array-ops.js";
import { type EinsumSpec, parseEinsum } from "./einsum-parse.js";
import { checkOptions, reduceMaxRaw } from "./internal.js";
import { diagonal } from "./triangular.js";
import { tidy } from "../trace/memory.js";

interface Term {
  readonly x: Array;
  readonly labels: readonly number[];
}

export interface EinsumOptions {
  /** "greedy" (default; `true` and "auto" mean the same) or `false` to contract left to right. */
  readonly optimize?: boolean | "greedy" | "auto";
}

const isOptions = (x: unknown): x is EinsumOptions =>
  typeof x === "object" && x !== null && !(x instanceof Array) && !globalThis.Array.isArray(x);

/**
 * `einsum("ij,jk->ik", a, b)`; implicit output (`"ij,jk"`: labels used once, sorted),
 * `"..."` broadcasting, repeated labels for diagonals (`"ii->i"`) and traces (`"ii"`).
 * A trailing `{ optimize }` object chooses the contraction order.
 */
export function einsum(subscripts: string, ...args: (ArrayLike | EinsumOptions)[]): Array {
  return tidy<Array>(() => {
    const last = args[args.length - 1];
    const opts: EinsumOptions = isOptions(last) ? (args.pop() as EinsumOptions) : {};
    checkOptions("einsum", opts, ["optimize"]);
    if (args.length === 0) throw new ArgumentError(`einsum: needs at least one operand after the subscripts "${subscripts}".`);
    const operands = promote("einsum", ...(args as ArrayLike[]));
    const spec = parseEinsum(subscripts, operands.map((x) => x.shape));
    const greedy = opts.optimize !== false;
    return contractAll(spec, operands, greedy);
  });
}

const sizeOf = (labels: Iterable<number>, sizes: Map<number, number>): number => {
  let n = 1;
  for (const l of labels) n *= sizes.get(l)!;
  return n;
};

/** Labels of `t` still needed: by another term or by the output. */
function neededElsewhere(terms: readonly Term[], skip: readonly number[], output: readonly number[]): Set<number> {
  const s = new Set(output);
  terms.forEach((t, i) => {
    if (!skip.includes(i)) for (const l of t.labels) s.add(l);
  });
  return s;
}

/** Squeezes broadcast axes, takes diagonals of repeated labels, sums labels that are needed nowhere else. */
function simplify(t: Term, needed: Set<number>, sizes: Map<number, number>): Term {
  let { x } = t;
  let labels = [...t.labels];
  // A size-1 axis whose label is larger elsewhere is constant along the label: drop it.
  const drop = labels.map((l, i) => x.shape[i] === 1 && sizes.get(l)! !== 1);
  if (drop.some(Boolean)) {
    x = reshape(x, x.shape.filter((_, i) => !drop[i]));
    labels = labels.filter((_, i) => !drop[i]);
  }
  for (;;) {
    const i = labels.findIndex((l, k) => labels.indexOf(l) !== k);
    if (i < 0) break;
    const first = labels.indexOf(labels[i]!);
    x = diagonal(x, 0, first, i);
    labels = [...labels.filter((_, k) => k !== first && k !== i), labels[i]!];
  }
  const unused = labels.map((l, i) => (needed.has(l) ? -1 : i)).filter((i) => i >= 0);
  if (unused.length) {
    x = x.dtype === "bool" ? reduceMaxRaw(x, unused) : sum(x, unused);
    labels = labels.filter((_, i) => !unused.includes(i));
  }
  return { x, labels };
}

/** Contracts two terms with one dot_general; labels in `keep` survive (as batch or free dims). */
function contractPair(a: Term, b: Term, keep: Set<number>): Term {
  const shared = a.labels.filter((l) => b.labels.includes(l));
  const batch = shared.filter((l) => keep.has(l));
  const contracted = shared.filter((l) => !keep.has(l));
  const pos = (t: Term, ls: readonly number[]): number[] => ls.map((l) => t.labels.indexOf(l));
  const x = dotGeneralAny(a.x, b.x, [pos(a, contracted), pos(b, contracted)], [pos(a, batch), pos(b, batch)]);
  const free = (t: Term): number[] => t.labels.filter((l) => !shared.includes(l));
  return { x, labels: [...batch, ...free(a), ...free(b)] };
}

/** The labels a pair's contraction produces. */
function pairResult(a: Term, b: Term, keep: Set<number>): number[] {
  const out = new Set<number>();
  for (const l of [...a.labels, ...b.labels]) if (keep.has(l)) out.add(l);
  return [...out];
}

/** Greedy: among pairs sharing a label (or all pairs, if none do), the smallest result, then the largest size reduction. */
function choosePair(terms: readonly Term[], output: readonly number[], sizes: Map<number, number>): [number, number] {
  let best: [number, number] = [0, 1];
  let bestKey: [number, number, number] | null = null;
  for (let i = 0; i < terms.length; i++) {
    for (let j = i + 1; j < terms.length; j++) {
      const a = terms[i]!;
      const b = terms[j]!;
      const shares = a.labels.some((l) => b.labels.includes(l)) ? 0 : 1;
      const out = sizeOf(pairResult(a, b, neededElsewhere(terms, [i, j], output)), sizes);
      const removed = out - sizeOf(a.labels, sizes) - sizeOf(b.labels, sizes);
      const key: [number, number, number] = [shares, out, removed];
      if (bestKey === null || key[0] < bestKey[0] || (key[0] === bestKey[0] && (key[1] < bestKey[1] || (key[1] === bestKey[1] && key[2] < bestKey[2])))) {
        bestKey = key;
        best = [i, j];
      }
    }
  }
  return best;
}

function contractAll(spec: EinsumSpec, operands: readonly Array[], greedy: boolean): Array {
  const { output, sizes } = spec;
  let terms: Term[] = operands.map((x, i) => ({ x, labels: spec.inputs[i]! }));
  terms = terms.map((t, i) => simplify(t, neededElsewhere(terms, [i], output), sizes));
  while (terms.length > 1) {
    const [i, j] = greedy ? choosePair(terms, output, sizes) : [0, 1];
    const keep = neededElsewhere(terms, [i, j], output);
    const merged = simplify(contractPair(terms[i]!, terms[j]!, keep), keep, sizes);
    terms = [...terms.filter((_, k) => k !== i && k !== j), merged];
  }
  const last = simplify(terms[0]!, new Set(output), sizes);
  const perm = output.map((l) => last.labels.indexOf(l));
  return perm.every((p, k) => p === k) ? last.x : transpose(last.x, perm);
}
