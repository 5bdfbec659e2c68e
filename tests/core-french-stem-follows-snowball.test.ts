/**
 * The search page stems French words as Pagefind does (Snowball 2.2), to tell a word found from a
 * fallback in a shard of the index. Checked here on words that exercise each step; the whole
 * reference vocabulary of the Snowball project (about 20,000 words) gave the same stems when the
 * stemmer was written.
 */
import { describe, expect, it } from 'vitest';
import { frenchStem } from '../core/french-stem.ts';

describe('the French stemmer', () => {
  it.each([
    // Step 1: standard suffixes, and what they uncover.
    ['abonnement', 'abon'],
    ['aménagements', 'aménag'],
    ['continuellement', 'continuel'],
    ['heureusement', 'heureux'],
    ['arrondissement', 'arrond'],
    ['accompagnatrices', 'accompagn'],
    // Steps 2a and 2b: verb endings.
    ['finissant', 'fin'],
    ['agissaient', 'agiss'],
    ['aménager', 'aménag'],
    ['partagées', 'partag'],
    // Step 4: a final s and residual endings; step 5 undoubles.
    ['jardins', 'jardin'],
    ['cantines', 'cantin'],
    ['jardinières', 'jardini'],
    // Diaereses, RV exceptions and words that stay whole.
    ['maïs', 'maï'],
    ['inouïs', 'inouï'],
    ['paris', 'paris'],
    ['tapis', 'tapis'],
    ['yeux', 'yeux'],
    ['quand', 'quand'],
  ])('stems « %s » to « %s »', (word, stem) => {
    expect(frenchStem(word)).toBe(stem);
  });

  it('gives words of one family one stem, and a word of another family its own', () => {
    expect(new Set(['jardin', 'jardins'].map(frenchStem)).size).toBe(1);
    expect(new Set(['aménagement', 'aménagements', 'aménager', 'aménagé'].map(frenchStem)).size).toBe(1);
    expect(frenchStem('amené').startsWith(frenchStem('aménagements'))).toBe(false);
  });
});
