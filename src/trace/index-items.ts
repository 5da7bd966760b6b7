/**
 * What a user writes inside `x.at(...)`: numpy's index with JS values. An item is
 * an integer, a `slice(start, stop, step)`, `null` (numpy's newaxis), `"..."` (the
 * ellipsis), an integer array or a boolean mask; a string holds items in numpy's
 * text form, comma separated (`"1:3, None, ..., ::-1"`). The string form has no
 * arrays; it is parsed here into the same items.
 */
import { ArgumentError } from "../core/index.js";
import type { Array } from "./array.js";

/** Python's `slice`: `start:stop:step`, each null for its default. */
export class Slice {
  constructor(
    readonly start: number | null,
    readonly stop: number | null,
    readonly step: number | null,
  ) {}

  toString(): string {
    return `${this.start ?? ""}:${this.stop ?? ""}${this.step === null ? "" : `:${this.step}`}`;
  }
}

/**
 * A slice for `x.at(...)`, as Python's `slice`: `slice(stop)`, `slice(start, stop)` or `slice(start, stop, step)`.
 * null stands for a default (`slice(null, null, -1)` is `::-1`); bounds may be negative and are clamped as in numpy.
 */
export function slice(...args: [] | [stop: number | null] | [start: number | null, stop: number | null, step?: number | null]): Slice {
  const [a = null, b = null, c = null] = args;
  return args.length === 1 ? new Slice(null, a, null) : new Slice(a, b, c);
}

/** numpy's `newaxis`: `null` in an index inserts an axis of size 1. */
export const newaxis = null;

/** numpy's `Ellipsis`: `"..."` in an index stands for as many full slices as the other items leave. */
export const ellipsis = "...";

/** One item of an index: integer, slice, null (new axis), a string in numpy's text form (e.g. "...", "1:3, None"), or an integer or boolean array. */
export type IndexItem = number | Slice | null | string | Array;

/** The index of `x.at(...)`: one item, or a list of items (numpy's index tuple). */
export type Index = IndexItem | readonly IndexItem[];

/** An item after the strings are parsed: the ellipsis becomes a symbol. */
export const ELLIPSIS: unique symbol = Symbol("...");
export type ParsedItem = number | Slice | null | typeof ELLIPSIS | Array;

const INTEGER = /^[+-]?\d+$/;

/** The items of one string, e.g. "1:3, None, ..., ::-1" (numpy's bracket syntax). */
export function parseIndexString(op: string, text: string): ParsedItem[] {
  const bad = (part: string): ArgumentError =>
    new ArgumentError(
      `${op}: cannot read ${JSON.stringify(part)} in the index string ${JSON.stringify(text)}; each comma-separated part ` +
        `must be an integer (-1), a slice (1:3, ::-1, 2:), None or ... (arrays go in a list: x.at([":", idx])).`,
    );
  const bound = (s: string, part: string): number | null => {
    const t = s.trim();
    if (t === "") return null;
    if (!INTEGER.test(t)) throw bad(part);
    return Number(t);
  };
  return text.split(",").map((raw) => {
    const part = raw.trim();
    if (part === "...") return ELLIPSIS;
    if (part === "None" || part === "newaxis") return null;
    if (INTEGER.test(part)) return Number(part);
    const pieces = part.split(":");
    if (pieces.length < 2 || pieces.length > 3) throw bad(part);
    return new Slice(bound(pieces[0]!, part), bound(pieces[1]!, part), pieces.length === 3 ? bound(pieces[2]!, part) : null);
  });
}

/** The index as a flat list of parsed items (a string contributes all of its parts). */
export function parseIndex(op: string, index: readonly IndexItem[]): ParsedItem[] {
  return index.flatMap((item) => (typeof item === "string" ? parseIndexString(op, item) : [item]));
}
