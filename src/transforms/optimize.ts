/**
 * Jaxpr-to-jaxpr optimizations run by jit before lowering: dot_generals over size-1
 * contractions as products (unit-dots.ts), reshapes hoisted above elementwise ops
 * (hoist-reshapes.ts), algebraic simplification,
 * constant folding of scalar literal arithmetic, common-subexpression elimination and
 * dead-code elimination. Each keeps the jaxpr's types; `typecheckJaxpr` holds after.
 */
import { shapeEqual } from "../core/index.js";
import type { Array } from "../trace/array.js";
import { ClosedJaxpr, Jaxpr, Literal, Var, type Atom, type JaxprEqn } from "../trace/jaxpr.js";
import { dceJaxpr } from "../trace/jaxpr-utils.js";
import { hoistReshapes, reshapeEqn } from "./hoist-reshapes.js";
import { unitDotsAsProducts } from "./unit-dots.js";
import { Prim, REDUCE_PRIMS, isHigherOrder } from "../trace/prim.js";
import { bind, rootTrace, withTrace } from "../trace/trace.js";
import { ConcreteArray } from "../trace/concrete.js";

const isLit = (a: Atom, v?: number): a is Literal => a instanceof Literal && (v === undefined || a.value === v);
const sameType = (a: Atom, b: Atom): boolean => a.aval.equals(b.aval);

/** If `eqn` computes one of its operands unchanged, that operand (JAX-style identities). */
function identityOperand(eqn: JaxprEqn): Atom | null {
  const [x, y] = eqn.inputs;
  const out = eqn.outvars[0]!;
  const p = eqn.params as Record<string, unknown>;
  const keeps = (a: Atom | undefined): a is Atom => a !== undefined && sameType(a, out);
  switch (eqn.prim) {
    case Prim.Add:
      return isLit(y!, 0) && keeps(x) ? x : isLit(x!, 0) && keeps(y) ? y : null;
    case Prim.Sub:
      return isLit(y!, 0) && keeps(x) ? x : null;
    case Prim.Mul:
      return isLit(y!, 1) && keeps(x) ? x : isLit(x!, 1) && keeps(y) ? y : null;
    case Prim.Div:
      return isLit(y!, 1) && keeps(x) ? x : null;
    case Prim.IntegerPow:
      return p.y === 1 && keeps(x) ? x : null;
    case Prim.ConvertElementType:
    case Prim.Reshape:
    case Prim.BroadcastInDim:
    case Prim.Squeeze:
      return keeps(x) && shapeEqual(x.aval.shape, out.aval.shape) ? x : null;
    case Prim.Transpose:
      return (p.permutation as number[]).every((v, i) => v === i) && keeps(x) ? x : null;
    case Prim.SelectN:
      return eqn.inputs.slice(2).every((c) => c === eqn.inputs[1]) && keeps(eqn.inputs[1]) ? eqn.inputs[1]! : null;
    default:
      return null;
  }
}

const REDUCES: ReadonlySet<Prim> = new Set(REDUCE_PRIMS);

/**
 * Shape-only rewrites, as XLA's algebraic simplifier makes them: a reduction over
 * axes that all have size 1 is a reshape (it combines one element per output), so
 * are squeeze, a broadcast that only inserts size-1 axes and a transpose that moves
 * only size-1 axes; and a reshape of a reshape's output reshapes the original
 * operand (none of these changes row-major order). `producer` gives the equation
 * that computed a variable.
 */
function reshapeRewrite(eqn: JaxprEqn, producer: (a: Atom) => JaxprEqn | undefined): JaxprEqn {
  const out = eqn.outvars[0]!;
  let e = eqn;
  if (REDUCES.has(e.prim)) {
    const x = e.inputs[0]!;
    const axes = (e.params as { axes: readonly number[] }).axes;
    if (!axes.every((a) => x.aval.shape[a] === 1) || !sameDtype(x, out)) return eqn;
    e = reshapeEqn(x, out);
  }
  // squeeze, and a broadcast_in_dim that only inserts size-1 axes, are reshapes.
  if (e.prim === Prim.Squeeze || (e.prim === Prim.BroadcastInDim && e.inputs[0]!.aval.size === out.aval.size)) {
    e = reshapeEqn(e.inputs[0]!, out);
  }
  if (e.prim === Prim.Transpose) {
    // Moving only size-1 axes keeps row-major order: a reshape.
    const x = e.inputs[0]!;
    const moved = (e.params as { permutation: readonly number[] }).permutation.filter((a) => x.aval.shape[a] !== 1);
    if (moved.every((a, i) => i === 0 || a > moved[i - 1]!)) e = reshapeEqn(x, out);
  }
  if (e.prim !== Prim.Reshape) return e;
  const inner = producer(e.inputs[0]!);
  return inner?.prim === Prim.Reshape ? reshapeEqn(inner.inputs[0]!, out) : e;
}
const sameDtype = (a: Atom, b: Atom): boolean => a.aval.dtype === b.aval.dtype && a.aval.weakType === b.aval.weakType;

/** Evaluates an equation whose operands are all scalar literals, giving scalar literals. */
function foldLiterals(eqn: JaxprEqn): Literal[] | null {
  if (isHigherOrder(eqn.prim) || eqn.prim === Prim.Iota) return null;
  if (!eqn.inputs.every((a) => a instanceof Literal) || !eqn.outvars.every((v) => v.aval.ndim === 0)) return null;
  const root = rootTrace();
  const outs = withTrace(root, () =>
    bind(eqn.prim, eqn.inputs.map((l) => root.constant([(l as Literal).value], l.aval)), eqn.params),
  );
  return outs.map((o, i) => new Literal(Number((o as ConcreteArray).dataSync()[0]), eqn.outvars[i]!.aval));
}

/** A key identifying an equation's computation, for CSE (null: never merge). */
function cseKey(eqn: JaxprEqn, name: (a: Atom) => string): string | null {
  if (isHigherOrder(eqn.prim)) return null;
  return `${eqn.prim}(${eqn.inputs.map(name).join(",")})${JSON.stringify(eqn.params)}`;
}

/**
 * Unit dots become products; then a forward pass simplifies, folds and CSEs and
 * dead code goes, alternating with reshape hoisting (each exposes more of the other).
 */
export function optimizeJaxpr(closed: ClosedJaxpr): ClosedJaxpr {
  let jaxpr = simplify(unitDotsAsProducts(closed.jaxpr));
  for (let round = 0; round < MAX_HOIST_ROUNDS; round++) {
    const hoisted = hoistReshapes(jaxpr);
    if (hoisted === jaxpr) break;
    jaxpr = simplify(hoisted);
  }
  return new ClosedJaxpr(jaxpr, closed.consts as Array[]);
}

/** Hoisting and simplifying alternate until nothing hoists (a bound on the rounds). */
const MAX_HOIST_ROUNDS = 8;

/** Simplifies, folds and CSEs in one forward pass, then removes dead code. */
function simplify(jaxpr: Jaxpr): Jaxpr {
  const subst = new Map<Var, Atom>();
  const read = (a: Atom): Atom => (a instanceof Var ? (subst.get(a) ?? a) : a);
  const ids = new Map<Var, number>();
  // Literal keys keep -0.0 apart from 0.0 (max(x, -0.0) and max(x, 0.0) differ at x = -0.0).
  const literalKey = (l: Literal): string => `${Object.is(l.value, -0) ? "-0" : String(l.value)}:${l.aval.strShort()}${l.aval.weakType ? "w" : ""}`;
  const name = (a: Atom): string => (a instanceof Literal ? literalKey(a) : `v${ids.get(a) ?? -1}`);
  [...jaxpr.constvars, ...jaxpr.invars].forEach((v, i) => ids.set(v, i));
  const seen = new Map<string, readonly Var[]>();
  const producers = new Map<Var, JaxprEqn>();
  const producer = (a: Atom) => (a instanceof Var ? producers.get(a) : undefined);
  const eqns: JaxprEqn[] = [];
  for (const e of jaxpr.eqns) {
    const eqn: JaxprEqn = reshapeRewrite({ ...e, inputs: e.inputs.map(read) }, producer);
    const same = eqn.outvars.length === 1 ? identityOperand(eqn) : null;
    if (same) {
      subst.set(eqn.outvars[0]!, same);
      continue;
    }
    const folded = foldLiterals(eqn);
    if (folded) {
      eqn.outvars.forEach((v, i) => subst.set(v, folded[i]!));
      continue;
    }
    const key = cseKey(eqn, name);
    const prev = key === null ? undefined : seen.get(key);
    if (prev) {
      eqn.outvars.forEach((v, i) => subst.set(v, prev[i]!));
      continue;
    }
    if (key !== null) seen.set(key, eqn.outvars);
    eqn.outvars.forEach((v) => {
      ids.set(v, ids.size);
      producers.set(v, eqn);
    });
    eqns.push(eqn);
  }
  const outvars = jaxpr.outvars.map(read);
  const simplified = new Jaxpr(jaxpr.constvars, jaxpr.invars, eqns, outvars);
  return dceJaxpr(simplified, outvars.map(() => true));
}
