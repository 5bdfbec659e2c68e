import { describe, expect, it } from 'vitest';
import { radarPolygon, spokePoint } from '../site/src/lib/scoring-radar.ts';
import { findWeakestAxes, scoreAxes, suggestFiches, type Grid } from '../site/src/lib/scoring.ts';

const question = (id: string, maxPoints: number, objectifs: string[] = []) => ({
  id,
  reponses: Array.from({ length: maxPoints + 1 }, (_, points) => ({ libelle: `${points} point(s)`, points })),
  objectifs,
});
const grids: Grid[] = [
  { axe: 'ALIM', titre: 'Résilience alimentaire', questions: [question('alim-1', 3, ['ALIM-01-01']), question('alim-2', 3, ['ALIM-01-02']), question('alim-3', 4)] },
  { axe: 'ENER', titre: 'Résilience énergétique', questions: [question('ener-1', 3, ['ENER-01-01']), question('ener-2', 3)] },
  { axe: 'SANT', titre: 'Résilience sanitaire', questions: [question('sant-1', 3)] },
];

describe('the auto-diagnostic scoring', () => {
  it('scores an axe as ten times the points chosen over the highest points of the questions answered', () => {
    const [alim] = scoreAxes(grids, { 'alim-1': 3, 'alim-3': 2 });
    expect(alim).toMatchObject({ score: 7.1, points: 5, maxPoints: 7, answered: 2, questions: 3 });
  });

  it('gives 0 to the weakest answers and 10 to the strongest', () => {
    const scores = scoreAxes(grids, { 'ener-1': 0, 'ener-2': 0, 'sant-1': 3 });
    expect(scores.map((s) => s.score)).toEqual([null, 0, 10]);
  });

  it('gives no score to an axe without answers, rather than a zero', () => {
    expect(scoreAxes(grids, {})[0]).toMatchObject({ score: null, answered: 0 });
  });

  it('ignores answers to unknown questions or out of range', () => {
    expect(scoreAxes(grids, { 'alim-1': 9, 'autre-1': 1 })[0]!.score).toBeNull();
  });

  it('names the weakest axes, at most two, leaving out unscored and perfect axes', () => {
    const scores = scoreAxes(grids, { 'alim-1': 1, 'ener-1': 2, 'sant-1': 3 });
    expect(findWeakestAxes(scores).map((s) => s.axe)).toEqual(['ALIM', 'ENER']);
    expect(findWeakestAxes(scores, 1).map((s) => s.axe)).toEqual(['ALIM']);
  });

  it('points from the weakest answers of an axe to the fiches of their objectifs, without repeats', () => {
    const fiches = {
      'ALIM-01-01': [{ url: '/fiches/cantine/', titre: 'Cantine' }],
      'ALIM-01-02': [{ url: '/fiches/jardin/', titre: 'Jardin' }, { url: '/fiches/cantine/', titre: 'Cantine' }],
    };
    expect(suggestFiches(grids[0]!, { 'alim-1': 2, 'alim-2': 0 }, fiches)).toEqual([
      { url: '/fiches/jardin/', titre: 'Jardin', objectif: 'ALIM-01-02' },
      { url: '/fiches/cantine/', titre: 'Cantine', objectif: 'ALIM-01-02' },
    ]);
    expect(suggestFiches(grids[0]!, { 'alim-1': 3 }, fiches)).toEqual([]);
  });

  it('draws the radar with one spoke per axe, clockwise from the top, scores from the centre to the rim', () => {
    expect(spokePoint(0, 4, 1, 100, { x: 0, y: 0 })).toEqual({ x: 0, y: -100 });
    expect(spokePoint(1, 4, 0.5, 100, { x: 0, y: 0 })).toEqual({ x: 50, y: 0 });
    expect(radarPolygon([10, null, 5, 0], 100, { x: 0, y: 0 })).toBe('0,-100 0,0 0,50 0,0');
  });
});
