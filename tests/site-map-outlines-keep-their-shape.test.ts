import { describe, expect, it } from 'vitest';
import { franceMap as france } from '../site/src/components/carte/france-map.ts';
import { roundPath } from '../site/src/components/carte/round-path.ts';

/** The absolute vertices of a relative `m … z` path. */
function vertices(path: string): [number, number][] {
  const tokens = path.match(/[mz]|-?\d*\.?\d+/gi) ?? [];
  const points: [number, number][] = [];
  let x = 0, y = 0, startX = 0, startY = 0, move = false;
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i] === 'z') { x = startX; y = startY; continue; }
    if (tokens[i] === 'm') { move = true; continue; }
    x += Number(tokens[i]);
    y += Number(tokens[++i]);
    if (move) { startX = x; startY = y; move = false; }
    points.push([x, y]);
  }
  return points;
}

describe('the map outlines', () => {
  it('round every vertex to the nearest whole unit without drifting along the path', () => {
    expect(roundPath('m 10.4,20.6 0.4,0.4 0.4,0.4 0.4,0.4 z m 1.2,1.2 1,0 z')).toBe('m10,21 1,0 1,1zm2,1 1,0z');
  });

  it('keep every département within half a unit of its drawn shape, in less than half the bytes', () => {
    let before = 0;
    let after = 0;
    for (const location of france.locations) {
      const exact = vertices(location.path);
      const rounded = vertices(roundPath(location.path));
      // Every rounded vertex lies on the rounded position of an exact one (duplicates dropped).
      const allowed = new Set(exact.map(([x, y]) => `${Math.round(x)},${Math.round(y)}`));
      expect(rounded.every(([x, y]) => allowed.has(`${x},${y}`)), location.name).toBe(true);
      expect(rounded.length).toBeGreaterThan(exact.length / 4);
      before += location.path.length;
      after += roundPath(location.path).length;
    }
    expect(after).toBeLessThan(before / 2);
  });
});
