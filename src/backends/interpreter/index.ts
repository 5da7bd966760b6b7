/**
 * The interpreter backend: every primitive in plain TypeScript over row-major
 * TypedArrays. Slow and obviously right; the oracle other backends are tested against.
 *
 * Each BackendData owns one private buffer (there are no views), so a handle is
 * freed by its one `release`; using or releasing it again throws DisposedArrayError.
 */
import {
  type ShapedArray,
  type TypedArray,
  ArgumentError,
  DTypeError,
  DisposedArrayError,
  FerraxError,
  ShapeError,
  TYPED_ARRAY,
} from "../../core/index.js";
import type { Backend, BackendData, BackendMemoryStats } from "../../trace/backend.js";
import type { KernelPrim, PrimParams } from "../../trace/prim.js";
import type { ImplRule } from "./common.js";
import { implRules } from "./rules.js";

export type { ImplRule } from "./common.js";
export { implRules } from "./rules.js";

/** A handle to one host buffer. `values` is null once released. */
export class InterpreterData implements BackendData {
  readonly __backendData = true as const;
  constructor(public values: TypedArray | null) {}
}

export class InterpreterBackend implements Backend {
  readonly name = "interpreter";
  private liveBuffers = 0;
  private liveBytes = 0;

  fromHost(values: TypedArray, aval: ShapedArray): BackendData {
    const Ctor = TYPED_ARRAY[aval.dtype];
    if (!(values instanceof Ctor)) {
      throw new DTypeError(
        `interpreter.fromHost: values for ${aval.strShort()} must be a ${Ctor.name}, ` +
          `got ${values.constructor.name}.`,
      );
    }
    if (values.length !== aval.size) {
      throw new ShapeError(
        `interpreter.fromHost: ${aval.strShort()} holds ${aval.size} values, got ${values.length}.`,
      );
    }
    const copy = values.slice();
    if (aval.dtype === "bool") for (let i = 0; i < copy.length; i++) copy[i] = copy[i] ? 1 : 0;
    return this.wrap(copy);
  }

  readSync(data: BackendData, _aval: ShapedArray): TypedArray {
    return this.valuesOf(data, "readSync").slice();
  }

  release(data: BackendData): void {
    const values = this.valuesOf(data, "release");
    (data as InterpreterData).values = null;
    this.liveBuffers -= 1;
    this.liveBytes -= values.byteLength;
  }

  execute<P extends KernelPrim>(
    prim: P,
    inputs: readonly BackendData[],
    inAvals: readonly ShapedArray[],
    params: PrimParams<P>,
    outAvals: readonly ShapedArray[],
  ): BackendData[] {
    const rule = implRules[prim] as ImplRule<P> | undefined;
    if (rule === undefined) {
      throw new ArgumentError(`interpreter: unknown primitive ${JSON.stringify(prim)}.`);
    }
    const values = inputs.map((d) => this.valuesOf(d, prim));
    const outs = rule(values, inAvals, params, outAvals);
    outs.forEach((o, i) => {
      const aval = outAvals[i];
      if (aval === undefined || !(o instanceof TYPED_ARRAY[aval.dtype]) || o.length !== aval.size) {
        throw new FerraxError(
          `interpreter: ${prim} produced ${o.length} ${o.constructor.name} values for output ` +
            `${i}, but abstract evaluation said ${aval?.strShort() ?? "no such output"}.`,
        );
      }
    });
    return outs.map((o) => this.wrap(o));
  }

  memoryStats(): BackendMemoryStats {
    return {
      liveBuffers: this.liveBuffers,
      liveBytes: this.liveBytes,
      reservedBytes: this.liveBytes,
    };
  }

  private wrap(values: TypedArray): InterpreterData {
    this.liveBuffers += 1;
    this.liveBytes += values.byteLength;
    return new InterpreterData(values);
  }

  private valuesOf(data: BackendData, op: string): TypedArray {
    if (!(data instanceof InterpreterData)) {
      throw new ArgumentError(
        `interpreter.${op}: got data from another backend; move it to the interpreter first.`,
      );
    }
    if (data.values === null) {
      throw new DisposedArrayError(`interpreter.${op}: the buffer was already released.`);
    }
    return data.values;
  }
}

/** The process-wide interpreter backend. */
export const interpreterBackend = new InterpreterBackend();
