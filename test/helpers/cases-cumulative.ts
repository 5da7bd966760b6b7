/**
 * Parity cases for cumsum / cumprod / cummax / cummin over every axis, both
 * directions, on strided views (transposes, strided slices, broadcasts) as well as
 * contiguous operands. Both backends run the same sequential scan (floats in f64,
 * rounded once per output; integers wrapping), so agreement is exact; float products
 * use |factors| in [0.5, 2] plus specials.
 */
import fc from "fast-check";
import { CUMULATIVE_PRIMS, Prim, type CumulativePrim } from "../../src/trace/prim.js";
import { bind1 } from "../../src/trace/trace.js";
import { ALL_DTYPES, NUMERIC_DTYPES, type ValueOptions, hostArb, shapeArb } from "./arbitraries.js";
import { type CaseTable, type ParityCase, checkParity } from "./parity.js";
import { viewOntoArb } from "./views.js";

function cumulativeCase(prim: CumulativePrim): ParityCase {
  const numeric = prim === Prim.Cumsum || prim === Prim.Cumprod;
  return {
    dtypes: numeric ? NUMERIC_DTYPES : ALL_DTYPES,
    property: (dtype) => {
      const float = dtype === "float32" || dtype === "float64";
      const values: ValueOptions = prim === Prim.Cumprod ? (float ? { min: -2, max: 2, minAbs: 0.5 } : { small: true }) : prim === Prim.Cumsum && float ? { min: -1e6, max: 1e6 } : {};
      const arb = shapeArb({ minRank: 1, maxRank: 3 }).chain((s) =>
        fc.tuple(fc.integer({ min: 0, max: s.length - 1 }), fc.boolean(), viewOntoArb(s)).chain(([axis, reverse, view]) =>
          fc.tuple(hostArb(dtype, view.hostShape, values), fc.constant({ axis, reverse, view })),
        ),
      );
      return fc.property(arb, ([x, { axis, reverse, view }]) =>
        checkParity(`${prim} axis=${axis} reverse=${reverse} of ${view.name}`, [x], (a) => bind1(prim, [view.apply(a)], { axis, reverse })),
      );
    },
  };
}

export const cumulativeCases: CaseTable<CumulativePrim> = Object.fromEntries(
  CUMULATIVE_PRIMS.map((p) => [p, cumulativeCase(p)]),
) as CaseTable<CumulativePrim>;
