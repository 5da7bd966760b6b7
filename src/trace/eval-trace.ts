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
import { ELEMENTWISE_PRIMS, Prim, isHigherOrder, type KernelPrim, type PrimParams } from "./prim.js";
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
    // Plain loops, not map(): this runs once per eager op. Every argument is checked to
    // be concrete, so `args` itself serves as the list of concrete arrays.
    const n = args.length;
    const inAvals = new globalThis.Array<ShapedArray>(n);
    for (let i = 0; i < n; i++) inAvals[i] = asConcrete(prim, args[i]!).aval;
    const concrete = args as readonly ConcreteArray[];
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
    let backend: Backend | null = null;
    for (let i = 0; i < concrete.length && !backend; i++) backend = concrete[i]!.backend;
    backend ??= getBackend();
    // Host-only constants (JS numbers, literals) are uploaded for this call only, so they
    // never hold backend memory past it.
    const temps: BackendData[] = [];
    try {
      return this.run(backend, prim, concrete, inAvals, outAvals, params, temps);
    } finally {
      for (const t of temps) backend.release(t);
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
    const out0 = outAvals[0];
    const elementwise = out0 !== undefined && ELEMENTWISE_PRIMS.has(prim);
    const inputs = new globalThis.Array<BackendData>(concrete.length);
    for (let i = 0; i < concrete.length; i++) {
      const x = concrete[i]!;
      const host = x.backend ? null : x.hostValues;
      if (!host) inputs[i] = x.dataOn(backend);
      else if (elementwise && host.length === 1 && backend.broadcastHostScalar) {
        const view = x.aval.update({ shape: out0.shape });
        temps.push((inputs[i] = backend.broadcastHostScalar(host, view)));
        inAvals[i] = view;
      } else temps.push((inputs[i] = backend.fromHost(host, x.aval)));
    }
    // Backends see elementwise operands of one shape: scalars and size-1 axes become
    // broadcast views (stride 0 on backends with strided kernels).
    if (elementwise) {
      for (let i = 0; i < inAvals.length; i++) {
        const a = inAvals[i]!;
        if (a.shape === out0.shape || shapeEqual(a.shape, out0.shape)) continue;
        const view = a.update({ shape: out0.shape });
        const lead = out0.ndim - a.ndim;
        const params = { shape: out0.shape, broadcastDimensions: a.shape.map((_, k) => k + lead), sharding: null };
        temps.push((inputs[i] = backend.execute(Prim.BroadcastInDim, [inputs[i]!], [a], params, [view])[0]!));
        inAvals[i] = view;
      }
    }
    dispatchCounter.count++;
    const out = backend.execute(prim, inputs, inAvals, params, outAvals);
    const result = new globalThis.Array<Array>(out.length);
    for (let i = 0; i < out.length; i++) result[i] = ConcreteArray.fromData(backend, out[i]!, outAvals[i]!);
    return result;
  }
}

function asConcrete(prim: Prim, x: Array): ConcreteArray {
  if (x instanceof ConcreteArray) return x;
  throw escapedTracerError(x, prim);
}

export const evalTrace = new EvalTrace();
installRootTrace(evalTrace);
