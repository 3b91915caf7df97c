// linkPath draws exactly what d3's linkHorizontal() drew before it (the diagram's pictures and
// its e2e checks read these strings), for any coordinates the layout can produce and beyond.
import { linkHorizontal } from 'd3';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { linkPath } from './linkPath.ts';

const d3Link = linkHorizontal<
  { source: [number, number]; target: [number, number] },
  [number, number]
>();
const coord = fc.oneof(
  fc.integer({ min: -5000, max: 5000 }),
  fc.double({ min: -1e6, max: 1e6, noNaN: true }),
  fc.constantFrom(0, -0, 0.0005, -0.0005, 1.0005, 2.5, 1e-9),
);

describe('linkPath', () => {
  test('a worked example: control points at the middle x', () => {
    expect(linkPath([10, 20], [110, 70])).toBe('M10,20C60,20,60,70,110,70');
    expect(linkPath([0, 0], [1, 1 / 3])).toBe('M0,0C0.5,0,0.5,0.333,1,0.333');
  });
  test("equals d3's linkHorizontal for any two points", () => {
    fc.assert(
      fc.property(coord, coord, coord, coord, (a, b, c, d) => {
        expect(linkPath([a, b], [c, d])).toBe(d3Link({ source: [a, b], target: [c, d] }));
      }),
      { numRuns: 5000 },
    );
  });
});
