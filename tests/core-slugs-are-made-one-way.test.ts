/** One slug function for the editor, `npm run new` and the validator's suggestions. */
import { describe, expect, it } from 'vitest';
import { checkEntryFile } from '../core/validate-tree.ts';
import { MAX_SLUG_LENGTH, slugFromTitle } from '../core/slug.ts';

describe('a slug made from a title', () => {
  it('spells ligatures, accents and French punctuation out', () => {
    expect(slugFromTitle('Cœur de bourg')).toBe('coeur-de-bourg');
    expect(slugFromTitle('ŒUVRES & Æsthétique')).toBe('oeuvres-et-aesthetique');
    expect(slugFromTitle('L’été à Saint-Étienne : « bilan » !')).toBe('l-ete-a-saint-etienne-bilan');
    expect(slugFromTitle('Jardin partagé')).toBe('jardin-partage');
  });

  it('cuts a very long title between two words', () => {
    const slug = slugFromTitle('Mettre en place une démarche participative de diagnostic partagé de la résilience alimentaire à l’échelle du bassin de vie');
    expect(slug.length).toBeLessThanOrEqual(MAX_SLUG_LENGTH);
    expect(slug).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
    expect(slug).toBe('mettre-en-place-une-demarche-participative-de-diagnostic-partage-de-la');
  });

  it('is what the validator suggests for a file name it refuses', () => {
    const [problem] = checkEntryFile('fiches/Cœur de bourg.mdx', '---\ntitre: x\n---\n').problems.filter((p) => p.field === 'slug');
    expect(problem?.message).toContain('« coeur-de-bourg.mdx »');
  });
});
