/**
 * The error classes of ferrax. Every message names the operation, the shapes and
 * dtypes involved, and what to do about it.
 */

/** Base class: every error ferrax raises on purpose is a FerraxError. */
export class FerraxError extends Error {
  override name = "FerraxError";
}

/** Shapes that do not fit the operation (broadcasting, rank, reshape sizes, axes). */
export class ShapeError extends FerraxError {
  override name = "ShapeError";
}

/** A dtype the operation does not accept, or a promotion that is not allowed. */
export class DTypeError extends FerraxError {
  override name = "DTypeError";
}

/** An option or argument that is not recognised or is out of range. */
export class ArgumentError extends FerraxError {
  override name = "ArgumentError";
}

/** An array used after `dispose()` released its buffer. */
export class DisposedArrayError extends FerraxError {
  override name = "DisposedArrayError";
}

/** A concrete value was asked of an abstract (traced) value, e.g. `x.item()` under a transform. */
export class ConcretizationError extends FerraxError {
  override name = "ConcretizationError";
}

/** A tracer was used outside the transformation that created it. */
export class UnexpectedTracerError extends FerraxError {
  override name = "UnexpectedTracerError";
}

/** A jaxpr that does not typecheck: a variable used before definition, an aval mismatch. */
export class JaxprTypeError extends FerraxError {
  override name = "JaxprTypeError";
}
