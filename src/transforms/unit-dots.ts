/**
 * A dot_general whose contracting dimensions all have size 1 sums one product per
 * output element: it is an elementwise product of its operands broadcast to the
 * output (XLA's algebraic simplifier makes the same rewrite). vmap of a per-example
 * gradient produces such dots (outer products of a batch of vectors); as products
 * they fuse with their neighbours instead of running as many tiny matmuls.
 */
import { Jaxpr, Var, type Atom, type JaxprEqn } from "../trace/jaxpr.js";
import { Prim, type PrimParams } from "../trace/prim.js";
import { reshapeEqn } from "./hoist-reshapes.js";

/** `x` rearranged to `[batch..., free...]` (dropping its size-1 contracting axes), then broadcast into the output. */
function operand(x: Atom, batch: readonly number[], contract: readonly number[], outShape: readonly number[], outDims: readonly number[], eqns: JaxprEqn[]): Atom {
  const free = x.aval.shape.map((_, i) => i).filter((i) => !batch.includes(i) && !contract.includes(i));
  const perm = [...batch, ...free, ...contract];
  let v: Atom = x;
  if (perm.some((p, i) => p !== i)) {
    const t = new Var(x.aval.update({ shape: perm.map((p) => x.aval.shape[p]!) }));
    eqns.push({ prim: Prim.Transpose, inputs: [v], params: { permutation: perm }, outvars: [t] });
    v = t;
  }
  const kept = [...batch, ...free].map((i) => x.aval.shape[i]!);
  if (contract.length > 0) {
    const r = new Var(x.aval.update({ shape: kept }));
    eqns.push(reshapeEqn(v, r));
    v = r;
  }
  const b = new Var(x.aval.update({ shape: [...outShape] }));
  eqns.push({ prim: Prim.BroadcastInDim, inputs: [v], params: { shape: [...outShape], broadcastDimensions: [...outDims], sharding: null }, outvars: [b] });
  return b;
}

export function unitDotsAsProducts(jaxpr: Jaxpr): Jaxpr {
  const eqns: JaxprEqn[] = [];
  for (const e of jaxpr.eqns) {
    if (e.prim !== Prim.DotGeneral) {
      eqns.push(e);
      continue;
    }
    const [lhs, rhs] = e.inputs as [Atom, Atom];
    const out = e.outvars[0]!;
    const [[lc, rc], [lb, rb]] = (e.params as PrimParams<Prim.DotGeneral>).dimensionNumbers;
    const unit = lc.every((d) => lhs.aval.shape[d] === 1) && rc.every((d) => rhs.aval.shape[d] === 1);
    if (!unit || lhs.aval.dtype !== out.aval.dtype || rhs.aval.dtype !== out.aval.dtype || out.aval.dtype === "bool") {
      eqns.push(e);
      continue;
    }
    // Output axes: batch, lhs free, rhs free (dot_general's order).
    const nb = lb.length;
    const nlf = lhs.aval.ndim - nb - lc.length;
    const nrf = rhs.aval.ndim - nb - rc.length;
    const range = (a: number, n: number) => Array.from({ length: n }, (_, i) => a + i);
    const a = operand(lhs, lb, lc, out.aval.shape, [...range(0, nb), ...range(nb, nlf)], eqns);
    const b = operand(rhs, rb, rc, out.aval.shape, [...range(0, nb), ...range(nb + nlf, nrf)], eqns);
    eqns.push({ prim: Prim.Mul, inputs: [a, b], params: {}, outvars: [out] });
  }
  return new Jaxpr(jaxpr.constvars, jaxpr.invars, eqns, jaxpr.outvars);
}
