// vmap's errors, with their messages: each names the argument path, the axis and the
// sizes involved, so the caller can find the offending leaf.
import { describe, expect, test } from "vitest";
import { ArgumentError, ShapeError, numpy as np, vmap } from "../../src/index.js";
import type { Array as NdArray } from "../../src/trace/array.js";

const id = (x: NdArray) => x;

/** Asserts `run` throws an error of `type` with exactly `message`. */
function expectError(run: () => unknown, type: new (...a: never[]) => Error, message: string): void {
  let caught: unknown = null;
  try {
    run();
  } catch (e) {
    caught = e;
  }
  expect(caught, `expected ${type.name}: ${message}`).toBeInstanceOf(type);
  expect((caught as Error).message).toBe(message);
}

describe("vmap errors", () => {
  test("mapped axes of different sizes name every mapped argument path and its size", () => {
    expectError(
      () => vmap((a: NdArray, b: { x: NdArray }) => a.add(b.x))(np.ones([3]), { x: np.ones([4]) }),
      ShapeError,
      "vmap: mapped axes have different sizes: argument[0] has 3, argument[1].x has 4; every mapped axis must have the same size.",
    );
    expectError(
      () => vmap((l: NdArray[]) => l[0]!, { inAxes: [[0, 1]] })([np.ones([3, 2]), np.ones([2, 4])]),
      ShapeError,
      "vmap: mapped axes have different sizes: argument[0][0] has 3, argument[0][1] has 4; every mapped axis must have the same size.",
    );
    // Unmapped leaves are not listed.
    expectError(
      () => vmap((a: NdArray, _b: NdArray, _c: NdArray) => a, { inAxes: [0, null, -1] })(np.ones([2]), np.ones([7]), np.ones([3, 5])),
      ShapeError,
      "vmap: mapped axes have different sizes: argument[0] has 2, argument[2] has 5; every mapped axis must have the same size.",
    );
  });

  test("an axis out of range names the argument, its type and the valid range", () => {
    expectError(
      () => vmap(id, { inAxes: 1 })(np.ones([3])),
      ArgumentError,
      "vmap: inAxes 1 for argument[0] is out of range for its type f32[3]; use an axis in [-1, 0] or null.",
    );
    expectError(
      () => vmap(id, { inAxes: -3 })(np.ones([3, 2])),
      ArgumentError,
      "vmap: inAxes -3 for argument[0] is out of range for its type f32[3,2]; use an axis in [-2, 1] or null.",
    );
  });

  test("mapping a scalar says that only null is possible (no empty range like [0, -1])", () => {
    let message = "";
    try {
      vmap((p: { w: NdArray }) => p.w, { inAxes: [{ w: 0 }] })({ w: np.array(1) });
    } catch (e) {
      expect(e).toBeInstanceOf(ArgumentError);
      message = (e as Error).message;
    }
    expect(message).toContain("vmap: inAxes 0 for argument[0].w is out of range for its type f32[]");
    expect(message).not.toContain("[0, -1]");
    expect(message).toMatch(/null/);
  });

  test("an inAxes tree that does not match the arguments", () => {
    expectError(
      () => vmap(id, { inAxes: [0, 0] })(np.ones([3])),
      ArgumentError,
      "vmap: inAxes is a list of 2 but the arguments there are a list of 1; the axes must be a prefix of their structure.",
    );
    expectError(
      () => vmap((a: NdArray, _b: { x: NdArray }) => a, { inAxes: [0, { y: 0 }] })(np.ones([3]), { x: np.ones([3]) }),
      ArgumentError,
      "vmap: inAxes[1] has keys {y} but the value there has keys {x}; the axes must be a prefix of its structure.",
    );
    expectError(
      () => vmap((l: NdArray[]) => l[0]!, { inAxes: [[0, 0, 0]] })([np.ones([3]), np.ones([3])]),
      ArgumentError,
      "vmap: inAxes[0] is a list of 3 but the arguments there are a list of 2; the axes must be a prefix of their structure.",
    );
    expectError(
      () => vmap(id, { inAxes: [{ a: 0 }] })(np.ones([3])),
      ArgumentError,
      "vmap: inAxes[0] has keys {a} but the value there is *; the axes must be a prefix of its structure.",
    );
  });

  test("an outAxes tree that does not match the outputs, or an out axis out of range", () => {
    expectError(
      () => vmap(id, { outAxes: [0, 0] })(np.ones([3])),
      ArgumentError,
      "vmap: outAxes is a list of 2 but the outputs there are *; the axes must be a prefix of their structure.",
    );
    expectError(
      () => vmap(id, { outAxes: 2 })(np.ones([3])),
      ArgumentError,
      "vmap: outAxes 2 for output 0 is out of range for a batched output of rank 1.",
    );
  });

  test("outAxes null for an output that varies along the batch", () => {
    expectError(() => vmap(id, { outAxes: [null] })([np.ones([3])] as never), ArgumentError, "vmap: output 0 varies along the batch axis, so its outAxes cannot be null.");
    expectError(
      () => vmap((x: NdArray) => [x.sum(), x], { outAxes: [null, 0] })(np.ones([3, 2])),
      ArgumentError,
      "vmap: output 0 varies along the batch axis, so its outAxes cannot be null.",
    );
    // A single null (not in a list) means the same for the whole output.
    expectError(() => vmap(id, { outAxes: null })(np.ones([3])), ArgumentError, "vmap: output 0 varies along the batch axis, so its outAxes cannot be null.");
  });

  test("no mapped input and no axisSize", () => {
    const message = "vmap: no argument is mapped (every inAxes is null), so pass { axisSize } to say how many times to map.";
    expectError(() => vmap(id, { inAxes: [null] })(np.ones([3])), ArgumentError, message);
    expectError(() => vmap(() => np.ones([2]))(), ArgumentError, message);
    // A single null (not in a list) means every argument is unmapped, as JAX's in_axes=None.
    expectError(() => vmap(id, { inAxes: null })(np.ones([3])), ArgumentError, message);
  });

  test("an axisSize that contradicts the mapped size", () => {
    expectError(() => vmap(id, { axisSize: 2 })(np.ones([3])), ShapeError, "vmap: axisSize 2 does not match the mapped size 3.");
  });

  test("an unknown option", () => {
    expectError(
      () => vmap(id, { in_axes: 0 } as never),
      ArgumentError,
      'vmap: unknown option "in_axes"; the options are: inAxes, outAxes, axisSize.',
    );
  });
});
