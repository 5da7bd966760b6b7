/**
 * Linear-memory ownership on the TS side.
 *
 * Allocation itself is Rust's global allocator (dlmalloc) behind `fx_alloc` /
 * `fx_free` (see kernels-rs/src/alloc.rs): one heap for array blocks and for the
 * kernels' own scratch, reusing freed blocks and growing memory only when nothing
 * fits. Growth replaces `memory.buffer`, so typed-array views over it are never
 * cached across calls: every accessor here checks the buffer and re-derives them.
 * A shared memory (the threads build) does not detach its old buffer on growth,
 * and any thread may grow it: the check compares the byte length as well.
 *
 * A Block is one allocation, shared by every view of it (see array.ts) through a
 * reference count; it is freed when the last view goes.
 */
import { FerraxError, TYPED_ARRAY, type DType, type TypedArray } from "../../core/index.js";
import type { KernelExports } from "./abi.js";

/** Blocks this small are kept for reuse when freed, up to RECYCLE_PER_SIZE of each size. */
const RECYCLE_MAX_BYTES = 64;
const RECYCLE_PER_SIZE = 64;

export class Block {
  /** Views (handles) still referring to this block. */
  refs = 1;
  constructor(
    readonly ptr: number,
    readonly bytes: number,
  ) {}
}

export class Heap {
  private buffer: ArrayBuffer | null = null;
  private bufferBytes = 0;
  private i32View = new Int32Array(0);
  private liveBlocks = 0;
  private liveBytesTotal = 0;
  /** Scratch for kernel arguments (shapes, strides, pointer lists); not counted as live. */
  private argPtr = 0;
  private argWords = 0;
  /** Three words [n, 1, 0]: a flat run's shape and its two strides (see flatRun). */
  private runPtr = 0;
  private arenaPtr = 0;
  private arenaBytes = 0;
  /**
   * Freed blocks of at most RECYCLE_MAX_BYTES, by exact size: tiny eager ops (scalars,
   * f32[4]) reuse them without a call into the allocator. Not counted as live.
   */
  private readonly recycled: number[][] = [];

  constructor(readonly k: KernelExports) {}

  /** The current memory buffer (re-read: growth replaces it). */
  get memory(): ArrayBuffer {
    const b = this.k.memory.buffer as ArrayBuffer;
    if (b !== this.buffer || b.byteLength !== this.bufferBytes) {
      this.buffer = b;
      this.bufferBytes = b.byteLength;
      this.i32View = new Int32Array(b);
    }
    return b;
  }

  /** A typed array over `length` elements of `dtype` at byte address `ptr` (valid until the next allocation). */
  view(dtype: DType, ptr: number, length: number): TypedArray {
    return new TYPED_ARRAY[dtype](this.memory, ptr, length);
  }

  /**
   * A copy, in a new (unshared) typed array, of `length` elements at `ptr`. Copied as
   * bytes: V8 copies between typed arrays by memcpy only while the copy site has seen
   * one element type; mixed types (or slice()) fall back to an element loop, 30x
   * slower on 1 MB in Node 20.
   */
  copyOut(dtype: DType, ptr: number, length: number): TypedArray {
    const out = new TYPED_ARRAY[dtype](length);
    new Uint8Array(out.buffer).set(new Uint8Array(this.memory, ptr, out.byteLength));
    return out;
  }

  /** A new block; throws if linear memory cannot grow. */
  allocBlock(bytes: number): Block {
    const ptr = this.recycled[bytes]?.pop() ?? this.alloc(bytes);
    this.liveBlocks += 1;
    this.liveBytesTotal += bytes;
    return new Block(ptr, bytes);
  }

  retain(block: Block): void {
    if (block.refs <= 0) throw new FerraxError("wasm: retaining a freed block (internal error).");
    block.refs += 1;
  }

  /** Drops one reference; frees the block with its last one. */
  releaseBlock(block: Block): void {
    if (block.refs <= 0) throw new FerraxError("wasm: releasing a freed block (internal error).");
    block.refs -= 1;
    if (block.refs === 0) {
      const list = block.bytes <= RECYCLE_MAX_BYTES ? (this.recycled[block.bytes] ??= []) : null;
      if (list && list.length < RECYCLE_PER_SIZE) list.push(block.ptr);
      else this.k.fx_free(block.ptr, block.bytes);
      this.liveBlocks -= 1;
      this.liveBytesTotal -= block.bytes;
    }
  }

  /** Makes `block` the backend's own (like allocRaw): no longer counted as live; it keeps its reference. */
  disown(block: Block): void {
    this.liveBlocks -= 1;
    this.liveBytesTotal -= block.bytes;
  }

  /** A block made by the kernels (a program's output), now owned here like any other. */
  adoptBlock(ptr: number, bytes: number): Block {
    this.liveBlocks += 1;
    this.liveBytesTotal += bytes;
    return new Block(ptr, bytes);
  }

  /** Memory the backend itself owns (programs, the arena): not counted as live buffers. */
  allocRaw(bytes: number): number {
    return this.alloc(bytes);
  }

  freeRaw(ptr: number, bytes: number): void {
    this.k.fx_free(ptr, bytes);
  }

  /**
   * The scratch arena compiled programs keep intermediates in: one block shared by
   * all programs (they never run at once), grown when a program that needs more
   * is compiled, never shrunk. Its address changes only when it grows.
   */
  reserveArena(bytes: number): void {
    if (bytes <= this.arenaBytes) return;
    const cap = Math.max(bytes, Math.min(2 * this.arenaBytes, bytes + (64 << 20)));
    if (this.arenaPtr) this.k.fx_free(this.arenaPtr, this.arenaBytes);
    this.arenaPtr = 0;
    this.arenaBytes = 0;
    this.arenaPtr = this.alloc(cap);
    this.arenaBytes = cap;
  }

  get arena(): number {
    return this.arenaPtr;
  }

  stats(): { liveBuffers: number; liveBytes: number; reservedBytes: number } {
    return {
      liveBuffers: this.liveBlocks,
      liveBytes: this.liveBytesTotal,
      reservedBytes: this.memory.byteLength,
    };
  }

  /**
   * Writes int arrays (shapes, strides, addresses) into the argument scratch and
   * returns their addresses. Call right before the kernel: any later allocation
   * may not move them (blocks never move) but the scratch is reused by the next call.
   */
  args(...arrays: readonly (readonly number[])[]): number[] {
    const words = arrays.reduce((n, a) => n + Math.max(a.length, 1), 0);
    if (words > this.argWords) {
      if (this.argPtr) this.k.fx_free(this.argPtr, this.argWords * 4);
      const cap = Math.max(256, 2 ** Math.ceil(Math.log2(words)));
      this.argPtr = this.alloc(cap * 4);
      this.argWords = cap;
    }
    void this.memory; // refresh i32View after a possible growth
    const out: number[] = [];
    let w = this.argPtr >>> 2;
    for (const a of arrays) {
      out.push(w * 4);
      for (let i = 0; i < a.length; i++) this.i32View[w + i] = a[i]!;
      w += Math.max(a.length, 1);
    }
    return out;
  }

  /**
   * The address `run` of [n, 1, 0] in a scratch of its own: as kernel arguments, `run`
   * is the shape of one axis of n elements, `run + 4` the stride of an operand that is
   * a contiguous run of them and `run + 8` that of a broadcast scalar. So elementwise
   * kernels on such operands need no coalescing or `args`. Valid until the next call.
   */
  flatRun(n: number): number {
    if (this.runPtr === 0) this.runPtr = this.alloc(12);
    void this.memory; // refresh i32View after a possible growth
    const w = this.runPtr >>> 2;
    this.i32View[w] = n;
    this.i32View[w + 1] = 1;
    this.i32View[w + 2] = 0;
    return this.runPtr;
  }

  private alloc(bytes: number): number {
    if (!Number.isInteger(bytes) || bytes < 0 || bytes > 0xffff_fff0) {
      throw new FerraxError(`wasm: cannot allocate ${bytes} bytes (wasm32 memory is at most 4 GiB).`);
    }
    const ptr = this.k.fx_alloc(bytes) >>> 0;
    if (ptr === 0) {
      throw new FerraxError(
        `wasm: out of memory allocating ${bytes} bytes ` +
          `(${this.liveBlocks} live buffers hold ${this.liveBytesTotal} bytes); dispose arrays you no longer need.`,
      );
    }
    return ptr;
  }
}
