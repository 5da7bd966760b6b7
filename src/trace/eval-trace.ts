/**
 * The root trace: evaluates each primitive eagerly on a backend. Concrete inputs
 * may live on the host (constants) or on a backend; the output lives where the
 * first backend-resident input lives, else on the default backend.
 */
import { ShapedArray, shapeEqual } from "../core/index.js";
import { abstractEval } from "./abstract-eval.js";
import type { Array } from "./array.js";
import { getBackend, type Backend, type BackendData } from "./backend.js";
import { ConcreteArray, concreteFromValues } from "./concrete.js";
import { higherOrderImpls } from "./higher-order.js";
import { BINARY_PRIMS, COMPARE_PRIMS, Prim, UNARY_PRIMS, isHigherOrder, type KernelPrim, type PrimParams } from "./prim.js";

const ELEMENTWISE = new Set<Prim>([...UNARY_PRIMS, ...BINARY_PRIMS, ...COMPARE_PRIMS, Prim.SelectN]);
import { Trace, escapedTracerError, installRootTrace, withTrace, type RootTrace } from "./trace.js";

/** Counts kernel dispatches, so tests can assert how often a call crossed into a backend. */
export const dispatchCounter = { count: 0 };

export class EvalTrace extends Trace implements RootTrace {
  constructor() {
    super(null, "eager evaluation");
  }

  constant(values: ArrayLike<number>, aval: ShapedArray): Array {
    return concreteFromValues(values, aval);
  }

  processPrimitive<P extends Prim>(prim: P, args: readonly Array[], params: PrimParams<P>): Array[] {
    const concrete = args.map((x) => asConcrete(prim, x));
    const inAvals = concrete.map((x) => x.aval);
    const outAvals = abstractEval(prim, inAvals, params);
    if (isHigherOrder(prim)) {
      const impl = higherOrderImpls[prim] as (args: readonly Array[], params: PrimParams<P>) => Array[];
      return withTrace(this, () => impl(concrete, params));
    }
    return this.execute(prim as KernelPrim, concrete, inAvals, outAvals, params as PrimParams<KernelPrim>);
  }

  private execute<P extends KernelPrim>(
    prim: P,
    concrete: readonly ConcreteArray[],
    inAvals: ShapedArray[],
    outAvals: readonly ShapedArray[],
    params: PrimParams<P>,
  ): Array[] {
    const backend: Backend = concrete.find((x) => x.backend)?.backend ?? getBackend();
    // Host-only constants (JS numbers, literals) are uploaded for this call only, so they
    // never hold backend memory past it.
    const temps: BackendData[] = [];
    try {
      return this.run(backend, prim, concrete, inAvals, outAvals, params, temps);
    } finally {
      temps.forEach((t) => backend.release(t));
    }
  }

  private run<P extends KernelPrim>(
    backend: Backend,
    prim: P,
    concrete: readonly ConcreteArray[],
    inAvals: ShapedArray[],
    outAvals: readonly ShapedArray[],
    params: PrimParams<P>,
    temps: BackendData[],
  ): Array[] {
    const inputs = concrete.map((x) => {
      const host = x.backend ? null : x.hostValues;
      if (!host) return x.dataOn(backend);
      const d = backend.fromHost(host, x.aval);
      temps.push(d);
      return d;
    });
    // Backends see elementwise operands of one shape: scalars and size-1 axes become
    // broadcast views (stride 0 on backends with strided kernels).
    const out0 = outAvals[0];
    if (ELEMENTWISE.has(prim) && out0) {
      inAvals.forEach((a, i) => {
        if (shapeEqual(a.shape, out0.shape)) return;
        const view = a.update({ shape: out0.shape });
        const lead = out0.ndim - a.ndim;
        const params = { shape: out0.shape, broadcastDimensions: a.shape.map((_, k) => k + lead), sharding: null };
        temps.push((inputs[i] = backend.execute(Prim.BroadcastInDim, [inputs[i]!], [a], params, [view])[0]!));
        inAvals[i] = view;
      });
    }
    dispatchCounter.count++;
    const out = backend.execute(prim, inputs, inAvals, params, outAvals);
    return out.map((d, i) => ConcreteArray.fromData(backend, d, outAvals[i]!));
  }
}

function asConcrete(prim: Prim, x: Array): ConcreteArray {
  if (x instanceof ConcreteArray) return x;
  throw escapedTracerError(x, prim);
}

export const evalTrace = new EvalTrace();
installRootTrace(evalTrace);
