import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { tree } from "../../src/index.js";

class Point {
  constructor(
    readonly x: unknown,
    readonly y: unknown,
    readonly label: string,
  ) {}
}
tree.register(
  Point,
  (p) => [[p.x, p.y], p.label],
  (label, [x, y]) => new Point(x, y, label),
);

describe("pytrees", () => {
  test("flatten orders leaves depth-first, object keys sorted", () => {
    const [leaves, def] = tree.flatten({ b: [1, 2], a: { z: 3, y: null }, c: 4 });
    expect(leaves).toEqual([3, 1, 2, 4]);
    expect(def.numLeaves).toBe(4);
    expect(String(def)).toBe("{a: {y: null, z: *}, b: [*, *], c: *}");
  });

  test("null and undefined are empty nodes", () => {
    expect(tree.leaves([null, undefined, 1])).toEqual([1]);
    expect(tree.unflatten(tree.structure([null, undefined, 1]), [7])).toEqual([null, undefined, 7]);
  });

  test("registered classes flatten through their children and keep metadata", () => {
    const p = new Point(1, [2, 3], "p");
    const [leaves, def] = tree.flatten(p);
    expect(leaves).toEqual([1, 2, 3]);
    const q = tree.unflatten<Point>(def, [4, 5, 6]);
    expect(q).toBeInstanceOf(Point);
    expect([q.x, q.y, q.label]).toEqual([4, [5, 6], "p"]);
    expect(def.equals(tree.structure(new Point(0, [0, 0], "p")))).toBe(true);
    expect(def.equals(tree.structure(new Point(0, [0, 0], "q")))).toBe(false);
  });

  test("map applies over matching trees and rejects mismatched ones", () => {
    expect(tree.map((a: number, b: number) => a + b, { u: [1, 2] }, { u: [10, 20] })).toEqual({ u: [11, 22] });
    expect(() => tree.map((a: number) => a, [1, 2], [1])).toThrow(/tree 1 has structure \[\*\], which does not match the first tree's \[\*, \*\]/);
  });

  test("unflatten checks the leaf count", () => {
    expect(() => tree.unflatten(tree.structure([1, 2]), [1])).toThrow(/has 2 leaves but 1 were given/);
  });

  // A JSON-like tree of numbers.
  const jsonTree = fc.letrec((tie) => ({
    node: fc.oneof(
      { depthSize: "small" },
      fc.integer(),
      fc.constant(null),
      fc.array(tie("node"), { maxLength: 3 }),
      fc.dictionary(fc.string({ minLength: 1, maxLength: 3 }), tie("node"), { maxKeys: 3 }),
    ),
  })).node;

  test("property: unflatten(structure(x), leaves(x)) reproduces x", () => {
    fc.assert(
      fc.property(jsonTree, (x) => {
        const [leaves, def] = tree.flatten(x);
        expect(tree.unflatten(def, leaves)).toEqual(x);
        expect(def.equals(tree.structure(tree.unflatten(def, leaves)))).toBe(true);
      }),
    );
  });
});
