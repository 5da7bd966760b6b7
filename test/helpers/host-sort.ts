/**
 * Plain-JS references for sorting tests, written independently of the implementations:
 * the sort order (NaN after every number) and a stable insertion sort.
 */

/** a sorts strictly before b: numbers ascending, NaN after all of them (-0 and +0 tie). */
export const before = (a: number, b: number): boolean => !Number.isNaN(a) && (Number.isNaN(b) || a < b);

/** Positions 0..n-1 in stable sorted order under the strict order `less` (an insertion sort). */
export function stableOrder(n: number, less: (p: number, q: number) => boolean): number[] {
  const order: number[] = [];
  for (let j = 0; j < n; j++) {
    let pos = order.length;
    while (pos > 0 && less(j, order[pos - 1]!)) pos--;
    order.splice(pos, 0, j);
  }
  return order;
}

/** Numbers as strings that tell -0 from +0 (NaN equals NaN), for bit-exact comparisons. */
export const bits = (vs: readonly number[]): string[] => vs.map((v) => (Number.isNaN(v) ? "NaN" : Object.is(v, -0) ? "-0" : String(v)));
