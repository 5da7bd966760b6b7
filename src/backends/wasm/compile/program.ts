/**
 * A compiled program at run time. Compile time wrote the instruction stream, the
 * constant pool and a slot table into one block of linear memory (owned by the
 * variant, freed when it is collected). A run fills the slot table (arena, inputs,
 * donated output storage), calls `fx_program_run` once, and wraps the output
 * blocks the program allocated as arrays.
 *
 * Inputs are read through their own strides: a program is compiled for the layout
 * of its inputs (contiguous first; a call with, say, a broadcast or transposed
 * input compiles and caches a variant for that layout), so no call copies inputs.
 */
import { DTypeError, FerraxError, type ShapedArray } from "../../../core/index.js";
import type { Backend, Compiled } from "../../../trace/backend.js";
import { ConcreteArray } from "../../../trace/concrete.js";
import { Status } from "../abi.js";
import { WasmBuffer } from "../array.js";
import type { Block, Heap } from "../memory.js";
import type { Ops } from "../ops.js";
import { FIRST_INPUT, SLOT_ARENA, SLOT_ERROR, SLOT_POOL } from "./format.js";
import type { View } from "./types.js";

/** What run() needs from the backend. */
export interface ProgramHost extends Backend {
  readonly ops: Ops;
}

/** Where output `i` comes from: a view of an input, or of an output block. */
export type OutputSpec =
  | { readonly kind: "input"; readonly index: number; readonly view: View }
  | { readonly kind: "block"; readonly index: number; readonly view: View };

export interface ProgramParts {
  readonly words: Uint32Array;
  readonly pool: readonly number[];
  readonly nslots: number;
  /** Program inputs: the jaxpr's consts and arguments, then captured constants. */
  readonly nInputs: number;
  readonly nConsts: number;
  readonly nArgs: number;
  readonly extras: readonly ConcreteArray[];
  readonly usedInputs: readonly number[];
  readonly blocks: readonly { readonly bytes: number; readonly donor: number | null }[];
  readonly outputs: readonly OutputSpec[];
  readonly outAvals: readonly ShapedArray[];
  readonly hasWork: boolean;
  readonly text: string;
  /** Text of instruction i, for error messages. */
  readonly instructionText: readonly string[];
}

const align = (n: number) => Math.ceil(n / 16) * 16;

/** Frees a program's block once the program is unreachable. */
const programMemory = new FinalizationRegistry<{ heap: Heap; ptr: number; bytes: number }>((m) => m.heap.freeRaw(m.ptr, m.bytes));

/** Input strides per input (null: contiguous), the layout a variant is compiled for. */
export type Layouts = readonly (readonly number[] | null)[];

export class WasmProgram implements Compiled {
  private readonly variants = new Map<string, Variant>();
  private readonly first: Variant;

  constructor(
    private readonly backend: ProgramHost,
    private readonly build: (layouts: Layouts) => ProgramParts,
    nInputs: number,
  ) {
    this.first = new Variant(backend, build(Array.from({ length: nInputs }, () => null)));
    this.variants.set("", this.first);
  }

  describe(): string {
    return this.first.p.text;
  }

  run(inputs: readonly ConcreteArray[]): ConcreteArray[] {
    const { backend, first } = this;
    const p = first.p;
    const all = p.extras.length ? [...inputs, ...p.extras] : inputs;
    const temps: WasmBuffer[] = [];
    try {
      const bufs: (WasmBuffer | undefined)[] = [];
      let key = "";
      for (const i of p.usedInputs) {
        const x = all[i]!;
        let d: WasmBuffer;
        const host = x.backend || i < p.nConsts || i >= p.nConsts + p.nArgs ? null : x.hostValues;
        if (host) temps.push((d = backend.fromHost(host, x.aval) as WasmBuffer));
        else d = x.dataOn(backend) as WasmBuffer;
        if (!d.contiguous) key += `${i}:${d.strides.join(",")};`;
        bufs[i] = d;
      }
      let v = this.variants.get(key);
      if (!v) {
        const layouts = all.map((_, i) => (bufs[i] && !bufs[i]!.contiguous ? bufs[i]!.strides : null));
        this.variants.set(key, (v = new Variant(backend, this.build(layouts))));
      }
      return v.exec(bufs, temps);
    } finally {
      temps.forEach((t) => backend.ops.release(t));
    }
  }
}

/** One compiled layout of a program. */
class Variant {
  private readonly ptr: number;
  private readonly poolPtr: number;
  private readonly slotsPtr: number;

  constructor(
    private readonly backend: ProgramHost,
    readonly p: ProgramParts,
  ) {
    const heap = backend.ops.heap;
    const poolAt = align(p.words.length * 4);
    const slotsAt = align(poolAt + p.pool.length);
    const bytes = slotsAt + p.nslots * 4;
    this.ptr = heap.allocRaw(bytes);
    this.poolPtr = this.ptr + poolAt;
    this.slotsPtr = this.ptr + slotsAt;
    new Uint32Array(heap.memory, this.ptr, p.words.length).set(p.words);
    new Uint8Array(heap.memory, this.poolPtr, p.pool.length).set(p.pool);
    programMemory.register(this, { heap, ptr: this.ptr, bytes });
  }

  /** Runs on the inputs' data (`temps`: buffers this call made, released by the caller). */
  exec(bufs: readonly (WasmBuffer | undefined)[], temps: readonly WasmBuffer[]): ConcreteArray[] {
    const { p, backend } = this;
    const heap = backend.ops.heap;
    let slots = new Uint32Array(heap.memory, this.slotsPtr, p.nslots);
    slots[SLOT_ARENA] = heap.arena;
    slots[SLOT_POOL] = this.poolPtr;
    for (const i of p.usedInputs) slots[FIRST_INPUT + i] = bufs[i]!.ptr;
    const outBase = FIRST_INPUT + p.nInputs;
    const donatedBlocks = p.blocks.map((blk, j) => {
      slots[outBase + j] = 0;
      if (blk.donor === null) return null;
      const w = bufs[blk.donor];
      if (!w || temps.includes(w) || w.block.refs !== 1 || w.offset !== 0 || !w.contiguous || w.block.bytes !== blk.bytes) return null;
      if (p.usedInputs.some((i) => i !== blk.donor && bufs[i]!.block === w.block)) return null;
      slots[outBase + j] = w.block.ptr;
      return w.block;
    });
    if (p.hasWork) {
      const status = heap.k.fx_program_run(this.ptr, this.slotsPtr);
      slots = new Uint32Array(heap.memory, this.slotsPtr, p.nslots);
      if (status !== Status.Ok) throw this.failure(status, slots[SLOT_ERROR]!);
    }
    const blocks: Block[] = [];
    const fresh: boolean[] = [];
    p.blocks.forEach((blk, j) => {
      const donated = donatedBlocks[j];
      blocks.push(donated ?? heap.adoptBlock(slots[outBase + j]!, blk.bytes));
      fresh.push(!donated);
    });
    return p.outputs.map((o, i) => {
      let block: Block;
      let base = 0;
      if (o.kind === "input") {
        const w = bufs[o.index]!;
        block = w.block;
        base = w.offset;
        heap.retain(block);
      } else {
        block = blocks[o.index]!;
        if (fresh[o.index]) fresh[o.index] = false; // the adopted reference
        else heap.retain(block);
      }
      const v = o.view;
      const data = new WasmBuffer(block, v.dtype, [...v.shape], [...v.strides], base + v.offset);
      return ConcreteArray.fromData(backend, data, p.outAvals[i]!);
    });
  }

  private failure(status: number, index: number): Error {
    const what = this.p.instructionText[index] ?? `instruction ${index}`;
    if (status === Status.Unsupported) return new DTypeError(`wasm: ${what} is not supported.`);
    if (status === Status.OutOfMemory) {
      const s = this.backend.ops.heap.stats();
      return new FerraxError(
        `wasm: out of memory allocating a jit program's outputs (${s.liveBuffers} live buffers hold ${s.liveBytes} bytes); dispose arrays you no longer need.`,
      );
    }
    return new FerraxError(`wasm: a jit program failed at ${what} (status ${status}; internal error).`);
  }
}
