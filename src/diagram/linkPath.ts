// The edges' path: a horizontal cubic link from a source point to a target point, the string
// d3-shape's linkHorizontal() draws (curveBumpX: control points at the middle x; d3-path's default
// rounding to 3 decimals, d3-shape v3.2 withPath). Written out so the first download does not
// carry d3-shape and d3-path for one formula; linkPath.test.ts holds it equal to d3's.
type Pt = readonly [number, number];

const round = (v: number): number => Math.round(v * 1000) / 1000;

export function linkPath(source: Pt, target: Pt): string {
  const [x0, y0] = source;
  const [x1, y1] = target;
  const mx = round((x0 + x1) / 2);
  return `M${round(x0)},${round(y0)}C${mx},${round(y0)},${mx},${round(y1)},${round(x1)},${round(y1)}`;
}
