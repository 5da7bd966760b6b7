/**
 * Parsing einsum subscripts ("ij,jk->ik", implicit output, "..." ellipsis) against
 * the operands' shapes into integer labels per axis: letters keep their char code,
 * the broadcast ellipsis axes get labels ELLIPSIS_BASE + k. Label sizes are checked;
 * size 1 broadcasts against any size (as numpy and opt_einsum allow).
 */
import { ArgumentError, ShapeError, fmtShape } from "../core/index.js";

export const ELLIPSIS_BASE = 1000;
const ELLIPSIS = -1;

export interface EinsumSpec {
  /** Labels of each operand's axes, in axis order. */
  readonly inputs: number[][];
  /** Labels of the output's axes. */
  readonly output: number[];
  /** The size of every label (the non-1 size where some operand broadcasts a size-1 axis). */
  readonly sizes: Map<number, number>;
}

export const labelName = (l: number): string => (l >= ELLIPSIS_BASE ? `...[${l - ELLIPSIS_BASE}]` : String.fromCharCode(l));

const isLetter = (c: string): boolean => /^[a-zA-Z]$/.test(c);

/** A term as labels, with ELLIPSIS marking where "..." stands. */
function tokens(term: string, where: string, context: () => string): number[] {
  const out: number[] = [];
  for (let i = 0; i < term.length; ) {
    const c = term[i]!;
    if (c === ".") {
      if (term.slice(i, i + 3) !== "...") {
        throw new ArgumentError(`einsum: ${where} "${term}" has a "." that is not part of "..."; ${context()}.`);
      }
      if (out.includes(ELLIPSIS)) throw new ArgumentError(`einsum: ${where} "${term}" has more than one "..."; ${context()}.`);
      out.push(ELLIPSIS);
      i += 3;
    } else if (isLetter(c)) {
      out.push(c.charCodeAt(0));
      i += 1;
    } else {
      throw new ArgumentError(`einsum: invalid character "${c}" in ${where} "${term}"; subscripts are letters a-z, A-Z and "...". ${context()}.`);
    }
  }
  return out;
}

/** Parses `subscripts` for operands of the given shapes; errors name the subscripts and the shapes. */
export function parseEinsum(subscripts: string, shapes: readonly (readonly number[])[]): EinsumSpec {
  const context = (): string => `subscripts "${subscripts}", operand shapes ${shapes.map(fmtShape).join(", ")}`;
  if (typeof subscripts !== "string") throw new ArgumentError(`einsum: the first argument must be a subscripts string such as "ij,jk->ik".`);
  const s = subscripts.replace(/\s+/g, "");
  const arrows = s.split("->");
  if (arrows.length > 2) throw new ArgumentError(`einsum: more than one "->" in ${context()}.`);
  const [lhs, rhs] = arrows as [string, string | undefined];
  const terms = lhs.split(",");
  if (terms.length !== shapes.length) {
    throw new ArgumentError(
      `einsum: the subscripts name ${terms.length} operand(s) but ${shapes.length} were given; ${context()}.`,
    );
  }

  // Expand each term's ellipsis to labels for its axes, aligned from the right.
  const parsed = terms.map((t, i) => tokens(t, `operand ${i} subscripts`, context));
  let ellipsisRank = 0;
  const ranks = parsed.map((labels, i) => {
    const explicit = labels.filter((l) => l !== ELLIPSIS).length;
    const nd = shapes[i]!.length;
    const hasEllipsis = labels.includes(ELLIPSIS);
    if (hasEllipsis ? explicit > nd : explicit !== nd) {
      throw new ShapeError(
        `einsum: operand ${i} has shape ${fmtShape(shapes[i]!)} (rank ${nd}) but its subscripts "${terms[i]}" name ${explicit} axes` +
          `${hasEllipsis ? " plus an ellipsis" : ""}; ${context()}.`,
      );
    }
    const e = hasEllipsis ? nd - explicit : 0;
    ellipsisRank = Math.max(ellipsisRank, e);
    return e;
  });
  const inputs = parsed.map((labels, i) =>
    labels.flatMap((l) =>
      l === ELLIPSIS ? globalThis.Array.from({ length: ranks[i]! }, (_, k) => ELLIPSIS_BASE + ellipsisRank - ranks[i]! + k) : [l],
    ),
  );

  inputs.forEach((labels, i) =>
    labels.forEach((l, ax) => {
      if (labels.indexOf(l) !== ax && shapes[i]![labels.indexOf(l)] !== shapes[i]![ax]) {
        throw new ShapeError(
          `einsum: label "${labelName(l)}" repeats in operand ${i} ("${terms[i]}") on axes of different sizes ` +
            `${shapes[i]![labels.indexOf(l)]} and ${shapes[i]![ax]}; a repeated label takes a diagonal, so the sizes must match; ${context()}.`,
        );
      }
    }),
  );

  // Sizes: equal, or 1 (broadcast).
  const sizes = new Map<number, number>();
  inputs.forEach((labels, i) =>
    labels.forEach((l, ax) => {
      const d = shapes[i]![ax]!;
      const seen = sizes.get(l);
      if (seen === undefined || seen === 1) sizes.set(l, d);
      else if (d !== 1 && d !== seen) {
        throw new ShapeError(
          `einsum: label "${labelName(l)}" has size ${seen} in one place and ${d} on axis ${ax} of operand ${i}; ` +
            `sizes of one label must match (or be 1); ${context()}.`,
        );
      }
    }),
  );
  const ellipsisLabels = globalThis.Array.from({ length: ellipsisRank }, (_, k) => ELLIPSIS_BASE + k);
  let output: number[];
  if (rhs === undefined) {
    const counts = new Map<number, number>();
    for (const labels of parsed) for (const l of labels) if (l !== ELLIPSIS) counts.set(l, (counts.get(l) ?? 0) + 1);
    const once = [...counts].filter(([, c]) => c === 1).map(([l]) => l).sort((a, b) => a - b);
    output = [...ellipsisLabels, ...once];
  } else {
    const out = tokens(rhs, "output subscripts", context);
    const letters = out.filter((l) => l !== ELLIPSIS);
    for (const l of letters) {
      if (!sizes.has(l)) {
        throw new ArgumentError(`einsum: output label "${labelName(l)}" does not appear in any input; ${context()}.`);
      }
    }
    if (new Set(letters).size !== letters.length) {
      const dup = letters.find((l, i) => letters.indexOf(l) !== i)!;
      throw new ArgumentError(`einsum: output label "${labelName(dup)}" appears more than once; ${context()}.`);
    }
    output = out.flatMap((l) => (l === ELLIPSIS ? ellipsisLabels : [l]));
  }
  return { inputs, output, sizes };
}
