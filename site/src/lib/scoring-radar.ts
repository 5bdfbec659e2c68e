/**
 * Geometry of the auto-diagnostic's radar chart: one spoke per axe, clockwise from the top, scores
 * 0 to 10 from the centre to the rim. Pure, so the chart can be checked without a browser.
 */

/** A point of the chart, rounded to a tenth of a unit (enough for an SVG of a few hundred units). */
export interface Point {
  x: number;
  y: number;
}

const round = (n: number) => Math.round(n * 10) / 10;

/** Where the spoke `index` of `count` reaches `fraction` (0 at the centre, 1 at the rim). */
export function spokePoint(index: number, count: number, fraction: number, radius: number, centre: Point): Point {
  const angle = -Math.PI / 2 + (2 * Math.PI * index) / count;
  return { x: round(centre.x + Math.cos(angle) * radius * fraction), y: round(centre.y + Math.sin(angle) * radius * fraction) };
}

/** The `points` attribute of a polygon through the scores (null scores sit at the centre). */
export function radarPolygon(scores: (number | null)[], radius: number, centre: Point): string {
  return scores
    .map((score, i) => spokePoint(i, scores.length, Math.min(Math.max((score ?? 0) / 10, 0), 1), radius, centre))
    .map((p) => `${p.x},${p.y}`)
    .join(' ');
}
