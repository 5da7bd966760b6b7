import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { broadcastShapes, contiguousStrides, normalizeAxes, shapeSize } from "../../src/core/index.js";

describe("shapes", () => {
  test("numpy broadcasting", () => {
    expect(broadcastShapes("add", [3, 1], [4])).toEqual([3, 4]);
    expect(broadcastShapes("add", [], [2, 0])).toEqual([2, 0]);
    expect(broadcastShapes("add", [1, 0], [5, 1])).toEqual([5, 0]);
    expect(() => broadcastShapes("add", [2, 3], [4, 3])).toThrow(
      "add: shapes [2,3], [4,3] cannot be broadcast together (axis -2 has sizes 2 and 4)",
    );
  });

  test("property: broadcasting is commutative and each input broadcasts to the result", () => {
    const dim = fc.integer({ min: 0, max: 4 });
    fc.assert(
      fc.property(fc.array(dim, { maxLength: 4 }), fc.array(fc.boolean(), { maxLength: 4 }), (shape, ones) => {
        const other = shape.map((d, i) => (ones[i] ? 1 : d)).slice(ones.length % 2);
        const out = broadcastShapes("t", shape, other);
        expect(broadcastShapes("t", other, shape)).toEqual(out);
        expect(broadcastShapes("t", out, shape)).toEqual(out);
      }),
    );
  });

  test("strides and axes", () => {
    expect(contiguousStrides([2, 3, 4])).toEqual([12, 4, 1]);
    expect(shapeSize([])).toBe(1);
    expect(normalizeAxes(-1, 3, "sum")).toEqual([2]);
    expect(normalizeAxes(undefined, 2, "sum")).toEqual([0, 1]);
    expect(() => normalizeAxes(3, 3, "sum")).toThrow("sum: axis 3 is out of range for an array of rank 3; use an integer in [-3, 2].");
    expect(() => normalizeAxes([0, -2], 2, "sum")).toThrow("sum: repeated axis in [0,-2]");
  });
});
