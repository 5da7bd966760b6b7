/**
 * The program format's constants, mirroring kernels-rs/src/program.rs (program and
 * instruction layout) and kernels-rs/src/fused.rs (the fused bytecode). See those
 * files, and kernels-rs/README.md, for the layouts.
 */
import { SHORT_NAME, type DType } from "../../../core/index.js";
import { pyScalarRepr } from "../../../trace/printer.js";

export const MAGIC = 0x5046_5846;
export const VERSION = 1;

/** Top-level opcodes. */
export const Op = { End: 0, Fused: 1, Matmul: 2, Reduce: 3, ArgReduce: 4, Copy: 5, Iota: 6, DynamicWindow: 7, Gather: 8, Scatter: 9, Linalg: 10, Conv: 11, ReduceWindow: 12, Cumulative: 13, Sort: 14 } as const;

/** Fused bytecode opcodes. */
export const F = { Load: 1, Const: 2, Unary: 3, Ipow: 4, Binary: 5, Select: 6, Cast: 7, Store: 8, Reduce: 9 } as const;

/** Op-word flag: the op runs once per segment of the tile (fused.rs). */
export const SEG = 0x100;

/** A STORE's `src` bit allowing the op that computes the value to write it in place (fused.rs). */
export const DIRECT = 0x8000_0000;

/** Fixed slots of the slot table; inputs start at FIRST_INPUT, then the output blocks. */
export const SLOT_ERROR = 0;
export const SLOT_ARENA = 1;
export const SLOT_POOL = 2;
export const FIRST_INPUT = 3;

/**
 * Elements per fused tile (registers are TILE * 8 bytes). Each op costs the VM a
 * dispatch per tile (~18 ns measured), so larger tiles amortise it: the 1M-element
 * chain sum(tanh(x*2+1)*exp(-x)) ran 3% faster at 1024 than at 512 (one thread),
 * a six-op chain 8%; 2048 gained nothing more, and an f32 tile of 1024 keeps five
 * registers within L1.
 */
export const TILE = 1024;
/** Reduced extents up to this many elements get a tile each (one reduction per output, no partials). */
export const MAX_SEGMENT_TILE = 4096;
/** Largest domain rank the fused VM takes (after merging axes). */
export const MAX_RANK = 16;

/** An operand address: slot and byte offset. */
export type Addr = readonly [slot: number, offset: number];

export const short = (d: DType): string => SHORT_NAME[d];
export const fmtType = (d: DType, shape: readonly number[]): string => `${short(d)}[${shape.join(",")}]`;

export function fmtBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

/** A scalar constant as the jaxpr printer shows a literal, e.g. `2.0:f32[]`. */
export const fmtConst = (value: number, dtype: DType): string => `${pyScalarRepr(value, dtype)}:${short(dtype)}[]`;
