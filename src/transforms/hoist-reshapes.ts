/**
 * Reshapes hoisted above elementwise ops, so jit fuses across them:
 * `z = reshape(f(x, y))` becomes `z = f(reshape(x), reshape(y))` when `f` is
 * elementwise, its result feeds only that reshape, and every array operand has the
 * result's shape (scalars broadcast and stay). Row-major order is what both reshape
 * and an elementwise op preserve, so the values are the same; the reshapes move to
 * where values live in memory (inputs, reduction results), where they are views.
 * (XLA's algebraic simplifier moves reshapes through elementwise ops likewise.)
 */
import { shapeEqual } from "../core/index.js";
import { Jaxpr, Var, type Atom, type JaxprEqn } from "../trace/jaxpr.js";
import { ELEMENTWISE_PRIMS, Prim } from "../trace/prim.js";

const STRIDED_VIEWS: ReadonlySet<Prim> = new Set<Prim>([Prim.Transpose, Prim.Slice, Prim.Rev, Prim.BroadcastInDim]);

/** `out = reshape(x)` to `out`'s shape (the one reshape equation every jaxpr rewrite here builds). */
export const reshapeEqn = (x: Atom, out: Var): JaxprEqn<Prim.Reshape> => ({
  prim: Prim.Reshape,
  inputs: [x],
  params: { newSizes: out.aval.shape, dimensions: null, sharding: null },
  outvars: [out],
});

/** The jaxpr with reshapes hoisted; `jaxpr` itself when none moves. */
export function hoistReshapes(jaxpr: Jaxpr): Jaxpr {
  let eqns = [...jaxpr.eqns];
  let moves = 0;
  for (let changed = true; changed; ) {
    changed = false;
    const uses = new Map<Atom, number>();
    for (const e of eqns) for (const a of e.inputs) uses.set(a, (uses.get(a) ?? 0) + 1);
    for (const v of jaxpr.outvars) uses.set(v, (uses.get(v) ?? 0) + 1);
    const producer = new Map<Var, number>();
    eqns.forEach((e, i) => e.outvars.forEach((v) => producer.set(v, i)));
    // Operands that are strided views when lowered: reshaping those would copy.
    const strided = (a: Atom) => {
      const k = a instanceof Var ? producer.get(a) : undefined;
      return k !== undefined && STRIDED_VIEWS.has(eqns[k]!.prim);
    };
    for (let i = 0; i < eqns.length && !changed; i++) {
      const r = eqns[i]!;
      if (r.prim !== Prim.Reshape || (r.params as { dimensions: unknown }).dimensions !== null) continue;
      const y = r.inputs[0]!;
      const j = y instanceof Var ? producer.get(y) : undefined;
      if (j === undefined || uses.get(y) !== 1) continue;
      const f = eqns[j]!;
      if (!ELEMENTWISE_PRIMS.has(f.prim) || f.outvars.length !== 1) continue;
      if (!f.inputs.every((a) => a.aval.ndim === 0 || (shapeEqual(a.aval.shape, y.aval.shape) && !strided(a)))) continue;
      const out = r.outvars[0]!;
      const moved: JaxprEqn[] = [];
      const inputs = f.inputs.map((a) => {
        if (a.aval.ndim === 0) return a;
        const v = new Var(a.aval.update({ shape: out.aval.shape }));
        moved.push(reshapeEqn(a, v));
        return v;
      });
      // f now computes the reshape's result where the reshape was (its operands are ready there).
      eqns = [...eqns.slice(0, j), ...eqns.slice(j + 1, i), ...moved, { ...f, inputs, outvars: [out] }, ...eqns.slice(i + 1)];
      changed = true;
      moves++;
    }
  }
  return moves === 0 ? jaxpr : new Jaxpr(jaxpr.constvars, jaxpr.invars, eqns, jaxpr.outvars);
}
