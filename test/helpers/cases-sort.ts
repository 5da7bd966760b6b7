/**
 * Parity cases for sort: a key operand of the case's dtype (ties, NaN, ±0 common),
 * sorted alone or with a second key and an int32 payload (numKeys 1 or 2), along any
 * axis, on strided views (transposes, strided slices, broadcasts) as well as
 * contiguous operands. Both backends apply the same order (NaN last, -0 = +0,
 * stable), so agreement is exact; the case checks the output chosen by `which`.
 */
import fc from "fast-check";
import { ALL_DTYPES, hostArb, shapeArb } from "./arbitraries.js";
import { Prim } from "../../src/trace/prim.js";
import { bind } from "../../src/trace/trace.js";
import { type CaseTable, type ParityCase, checkParity } from "./parity.js";
import { viewOntoArb } from "./views.js";

const sortCase: ParityCase = {
  dtypes: ALL_DTYPES,
  property: (dtype) => {
    const arb = shapeArb({ minRank: 1, maxRank: 3 }).chain((s) =>
      fc
        .record({
          dimension: fc.integer({ min: 0, max: s.length - 1 }),
          operands: fc.integer({ min: 1, max: 3 }),
          keys: fc.integer({ min: 1, max: 2 }),
          which: fc.nat(),
          view: viewOntoArb(s),
        })
        .chain((c) =>
          fc.tuple(
            hostArb(dtype, c.view.hostShape, { small: true }),
            hostArb("int32", s, { small: true }),
            hostArb("int32", s),
            fc.constant({ ...c, numKeys: Math.min(c.keys, c.operands), which: c.which % c.operands }),
          ),
        ),
    );
    return fc.property(arb, ([x, k2, payload, c]) =>
      checkParity(
        `sort[dimension=${c.dimension} num_keys=${c.numKeys}] of ${c.operands} operand(s), ${c.view.name}, output ${c.which}`,
        [x, k2, payload],
        (a, b, p) => bind(Prim.Sort, [c.view.apply(a), b, p].slice(0, c.operands), { dimension: c.dimension, isStable: true, numKeys: c.numKeys })[c.which]!,
      ),
    );
  },
};

export const sortCases: CaseTable<Prim.Sort> = { [Prim.Sort]: sortCase };
