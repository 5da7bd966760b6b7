/**
 * The instruction stream: each scheduled step as words (kernels-rs/src/program.rs
 * documents the layouts), with a line of text per instruction for describe().
 * Steps that write only empty arrays emit nothing.
 */
import { ITEM_SIZE, contiguousStrides, shapeSize } from "../../../core/index.js";
import { CUMULATIVE_OP, DTYPE_CODE, REDUCE_OP, REDUCE_WINDOW_OP } from "../abi.js";
import { coalesce, reduceLayout } from "../array.js";
import type { ScatterPrim } from "../../../trace/prim.js";
import { SCATTER_COMBINE, fillWords, geometryWords } from "../gather.js";
import { convDescriptor, reduceWindowDescriptor } from "../window-desc.js";
import { encodeFused } from "./fused-code.js";
import { FIRST_INPUT, MAGIC, Op, SLOT_ARENA, SLOT_POOL, VERSION, fmtType, short, type Addr } from "./format.js";
import type { Plan } from "./plan.js";
import { stepViews, type Buf, type Step, type View } from "./types.js";

export interface Instruction {
  readonly step: Step;
  readonly text: readonly string[];
}

export interface Encoded {
  readonly words: Uint32Array;
  readonly instructions: readonly Instruction[];
  readonly nslots: number;
}

/** A view's display name: its buffer's, plus the window when it is not the whole buffer. */
export function viewNamer(names: Map<Buf, string>): (v: View) => string {
  return (v) => {
    const n = names.get(v.buf) ?? `buf${v.buf.id}`;
    const whole = v.offset === 0 && shapeSize(v.shape) === v.buf.size && v.strides.every((s, i) => s === contiguousStrides(v.shape)[i] || v.shape[i] === 1);
    return whole ? n : `${n}{${fmtType(v.dtype, v.shape)} strides (${v.strides.join(",")}) +${v.offset}}`;
  };
}

export function encodeProgram(plan: Plan, nInputs: number, name: (v: View) => string): Encoded {
  const outBase = FIRST_INPUT + nInputs;
  const addr = (v: View): Addr => {
    const p = v.buf.place ?? { kind: "arena", offset: 0 };
    const off = v.offset * ITEM_SIZE[v.dtype];
    switch (p.kind) {
      case "input":
        return [FIRST_INPUT + p.index, off];
      case "pool":
        return [SLOT_POOL, p.offset + off];
      case "arena":
        return [SLOT_ARENA, p.offset + off];
      case "output":
        return [outBase + p.index, off];
    }
  };
  const words: number[] = [MAGIC, VERSION, outBase + plan.blocks.length, plan.blocks.length];
  plan.blocks.forEach((b, j) => words.push(outBase + j, b.buf.bytes));
  const instructions: Instruction[] = [];
  for (const step of plan.order) {
    if (stepViews(step).writes.every((v) => shapeSize(v.shape) === 0)) continue;
    // Direct stores, except into an output that may take over a donated input this step reads.
    const direct = (v: View) => {
      const p = v.buf.place;
      const donor = p?.kind === "output" ? plan.blocks[p.index]!.donor : null;
      return donor === null || !stepViews(step).reads.some((r) => r.buf.place?.kind === "input" && r.buf.place.index === donor);
    };
    const [payload, text] = encodeStep(step, addr, name, direct);
    words.push(payload[0]!, payload.length + 1, ...payload.slice(1));
    instructions.push({ step, text });
  }
  words.push(Op.End, 0);
  return { words: Uint32Array.from(words.map((w) => w >>> 0)), instructions, nslots: outBase + plan.blocks.length };
}

/** [opcode, ...payload] and the instruction's text. */
function encodeStep(s: Step, addr: (v: View) => Addr, name: (v: View) => string, direct: (v: View) => boolean): [number[], string[]] {
  switch (s.kind) {
    case "fused": {
      const f = encodeFused(s, addr, name, direct);
      return [[Op.Fused, ...f.words], f.text];
    }
    case "matmul":
      return [
        [Op.Matmul, DTYPE_CODE[s.dtype], s.batch, s.m, s.n, s.k, ...addr(s.a.view), ...s.a.s, ...addr(s.b.view), ...s.b.s, ...addr(s.out)],
        [`matmul ${short(s.dtype)} batch ${s.batch}: [${s.m}x${s.k}] @ [${s.k}x${s.n}]  ${name(s.a.view)}, ${name(s.b.view)} -> ${name(s.out)}`],
      ];
    case "reduce": {
      const x = s.x;
      const { keptRank, shape, strides } = reduceLayout(x.shape, x.strides, s.axes);
      return [
        [Op.Reduce, REDUCE_OP[s.prim], DTYPE_CODE[x.dtype], keptRank, shape.length, ...shape, ...addr(x), ...strides, ...addr(s.out)],
        [`${s.prim} kernel over axes (${s.axes.join(",")}): ${name(x)} -> ${name(s.out)}`],
      ];
    }
    case "argreduce": {
      const x = s.x;
      const keptAxes = x.shape.map((_, i) => i).filter((i) => i !== s.axis);
      const kept = coalesce(keptAxes.map((i) => x.shape[i]!), [keptAxes.map((i) => x.strides[i]!)]);
      return [
        [Op.ArgReduce, s.max ? 0 : 1, DTYPE_CODE[x.dtype], kept.shape.length, ...kept.shape, x.shape[s.axis]!, ...addr(x), ...kept.strides[0]!, x.strides[s.axis]!, ...addr(s.out)],
        [`${s.max ? "argmax" : "argmin"} kernel over axis ${s.axis}: ${name(x)} -> ${name(s.out)}`],
      ];
    }
    case "copy": {
      const c = coalesce(s.src.shape, [s.src.strides, s.dst.strides]);
      return [
        [Op.Copy, ITEM_SIZE[s.src.dtype], c.shape.length, ...c.shape, ...addr(s.src), ...c.strides[0]!, ...addr(s.dst), ...c.strides[1]!],
        [`copy (${s.why}): ${name(s.src)} -> ${name(s.dst)}`],
      ];
    }
    case "linalg": {
      const { op, flags, batch, m, n } = s.call;
      const [x0, x1] = [s.inputs[0]!, s.inputs[1] ?? s.inputs[0]!];
      const [y0, y1, y2] = [s.outputs[0]!, s.outputs[1] ?? s.outputs[0]!, s.outputs[2] ?? s.outputs[0]!];
      return [
        [Op.Linalg, op, flags, DTYPE_CODE[s.dtype], batch, m, n, ...addr(x0), ...addr(x1), ...addr(y0), ...addr(y1), ...addr(y2)],
        [`${s.prim} kernel batch ${batch}: ${s.inputs.map(name).join(", ")} -> ${s.outputs.map(name).join(", ")}`],
      ];
    }
    case "iota": {
      const sh = s.out.shape;
      const d = s.dimension;
      return [
        [Op.Iota, DTYPE_CODE[s.out.dtype], shapeSize(sh.slice(0, d)), sh[d]!, shapeSize(sh.slice(d + 1)), ...addr(s.out)],
        [`iota along axis ${d} -> ${name(s.out)}`],
      ];
    }
    case "indexed": {
      const { x, indices, updates, out, geometry: g, mode } = s;
      if (updates === null) {
        const words = geometryWords(g, indices.dtype, mode, x.strides, out.strides, indices.strides);
        return [
          [Op.Gather, ITEM_SIZE[x.dtype], ...fillWords(x.dtype, s.fillValue), ...addr(x), ...addr(indices), ...addr(out), words.length, ...words],
          [`gather (mode ${mode}): ${name(x)} at ${name(indices)} -> ${name(out)}`],
        ];
      }
      const prim = s.prim as ScatterPrim;
      const words = geometryWords(g, indices.dtype, mode, contiguousStrides(out.shape), updates.strides, indices.strides);
      return [
        [
          Op.Scatter, SCATTER_COMBINE[prim], DTYPE_CODE[x.dtype], ...addr(x), x.shape.length, ...x.strides,
          ...addr(indices), ...addr(updates), ...addr(out), words.length, ...words,
        ],
        [`${prim} (mode ${mode}): ${name(x)} at ${name(indices)} with ${name(updates)} -> ${name(out)}`],
      ];
    }
    case "dynwindow": {
      const { x, update, out } = s;
      const window = update ? update.shape : out.shape;
      const tail = update ? [...addr(update), ...update.strides] : [];
      const idx = s.indices[0]?.dtype ?? "int32";
      return [
        [
          Op.DynamicWindow, update ? 1 : 0, ITEM_SIZE[x.dtype], DTYPE_CODE[idx], x.shape.length, ...x.shape, ...window,
          ...s.indices.flatMap(addr), ...addr(x), ...x.strides, ...addr(out), ...out.strides, ...tail,
        ],
        [
          update
            ? `dynamic_update_slice: ${name(x)} with ${name(update)} at (${s.indices.map(name).join(", ")}) -> ${name(out)}`
            : `dynamic_slice: ${name(x)} at (${s.indices.map(name).join(", ")}) -> ${name(out)}`,
        ],
      ];
    }
    case "conv": {
      const desc = convDescriptor(s.lhs, s.rhs, s.out, s.params);
      return [
        [Op.Conv, DTYPE_CODE[s.dtype], desc.length, ...desc, ...addr(s.lhs), ...addr(s.rhs), ...addr(s.out)],
        [`conv_general_dilated ${short(s.dtype)} ${s.params.dimensionNumbers}: ${name(s.lhs)}, ${name(s.rhs)} -> ${name(s.out)}`],
      ];
    }
    case "reduce_window": {
      const desc = reduceWindowDescriptor(s.x, s.out.shape, s.params);
      return [
        [Op.ReduceWindow, REDUCE_WINDOW_OP[s.prim], DTYPE_CODE[s.x.dtype], desc.length, ...desc, ...addr(s.x), ...addr(s.out)],
        [`${s.prim} window (${s.params.windowDimensions.join(",")}): ${name(s.x)} -> ${name(s.out)}`],
      ];
    }
    case "cumulative": {
      const { x, out, params } = s;
      return [
        [Op.Cumulative, CUMULATIVE_OP[s.prim], DTYPE_CODE[x.dtype], params.reverse ? 1 : 0, params.axis, x.shape.length, ...x.shape, ...addr(x), ...x.strides, ...addr(out)],
        [`${s.prim} along axis ${params.axis}${params.reverse ? " (reverse)" : ""}: ${name(x)} -> ${name(out)}`],
      ];
    }
    case "sort": {
      const { xs, outs, params } = s;
      const shape = xs[0]!.shape;
      return [
        [
          Op.Sort, params.dimension, params.numKeys, xs.length, shape.length, ...shape,
          ...xs.flatMap((x, i) => [DTYPE_CODE[x.dtype], ...addr(x), ...x.strides, ...addr(outs[i]!)]),
        ],
        [`sort along axis ${params.dimension} by ${params.numKeys} key(s): ${xs.map(name).join(", ")} -> ${outs.map(name).join(", ")}`],
      ];
    }
  }
}
