/** Abstract values: what a traced array is known to be (shape, dtype, weak type). */
import { type DType, SHORT_NAME } from "./dtype.js";
import { type Shape, shapeEqual, shapeSize } from "./shape.js";

/** JAX's ShapedArray: shape, dtype and whether the dtype is weak (came from a JS number). */
export class ShapedArray {
  constructor(
    readonly shape: Shape,
    readonly dtype: DType,
    readonly weakType = false,
  ) {}

  get ndim(): number {
    return this.shape.length;
  }
  get size(): number {
    return shapeSize(this.shape);
  }

  /** JAX's `str_short`: `f32[3,4]`. */
  strShort(): string {
    return `${SHORT_NAME[this.dtype]}[${this.shape.join(",")}]`;
  }

  /** Same shape and dtype; weak type is ignored, as JAX's typecompat does. */
  compatible(other: ShapedArray): boolean {
    return this.dtype === other.dtype && shapeEqual(this.shape, other.shape);
  }

  equals(other: ShapedArray): boolean {
    return this.compatible(other) && this.weakType === other.weakType;
  }

  update(p: { shape?: Shape; dtype?: DType; weakType?: boolean }): ShapedArray {
    return new ShapedArray(p.shape ?? this.shape, p.dtype ?? this.dtype, p.weakType ?? this.weakType);
  }

  toString(): string {
    return this.strShort();
  }
}
