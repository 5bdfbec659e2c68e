import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { getCommune, getDepartement } from '../core/communes.ts';
import { loadContentTree, type ContentTree } from '../core/content-tree.ts';
import type { Retour } from '../schemas/retours.ts';
import { normalizeEntryText } from '../core/bridge/mdx-yjs.ts';

let tree: ContentTree;
beforeAll(async () => {
  tree = await loadContentTree(new URL('../content', import.meta.url).pathname);
});

describe('the seed commons', () => {
  it('meets the counts of a first commons worth reading', () => {
    expect(tree.referentiel.map((axe) => axe.code)).toEqual(['ALIM', 'ENER', 'SOCI', 'SANT', 'ECON']);
    expect(tree.byCollection('fiches').length).toBeGreaterThanOrEqual(30);
    expect(tree.byCollection('guides').length).toBeGreaterThanOrEqual(8);
    expect(tree.byCollection('retours').length).toBeGreaterThanOrEqual(10);
    expect(tree.byCollection('structures').length).toBeGreaterThanOrEqual(6);
    expect(tree.autodiagnostic).toHaveLength(5);
    for (const grid of tree.autodiagnostic) expect(grid.questions.length).toBeGreaterThanOrEqual(4);
  });

  it('spreads fiches over all five axes', () => {
    const axes = new Set(tree.byCollection('fiches').flatMap((f) => (f.data.objectifs as string[]).map((code) => code.slice(0, 4))));
    expect([...axes].sort()).toEqual(['ALIM', 'ECON', 'ENER', 'SANT', 'SOCI']);
  });

  it('gives every retour INSEE codes or départements that exist', () => {
    for (const entry of tree.byCollection('retours')) {
      const { territoire } = entry.data as unknown as Retour;
      expect(territoire.communes.length + territoire.departements.length, entry.slug).toBeGreaterThan(0);
      for (const code of territoire.communes) expect(getCommune(code), `${entry.slug}: ${code}`).toBeDefined();
      for (const code of territoire.departements) expect(getDepartement(code), `${entry.slug}: ${code}`).toBeDefined();
    }
  });

  it('resolves every link between entries', () => {
    const links: [string, string][] = [];
    for (const entry of tree.entries) {
      const data = entry.data as Record<string, unknown>;
      const add = (collection: string, slugs: unknown) => {
        for (const slug of (slugs as string[] | undefined) ?? []) links.push([`${entry.collection}/${entry.slug}`, `${collection}/${slug}`]);
      };
      add('structures', data.credits);
      add('retours', data.exemples);
      add('structures', data.acteurs_ressources);
      if (entry.collection === 'retours') {
        add('structures', data.structures);
        add('fiches', data.fiches);
        add('guides', data.guides);
      }
      if (entry.collection === 'guides') add('fiches', data.fiches);
      for (const reference of entry.bodyReferences) links.push([`${entry.collection}/${entry.slug}`, reference.ref]);
    }
    expect(links.length).toBeGreaterThan(50);
    expect(links.filter(([, target]) => !tree.get(target))).toEqual([]);
    for (const fiche of tree.byCollection('fiches')) {
      for (const code of fiche.data.objectifs as string[]) expect(tree.objectifs.has(code), `${fiche.slug}: ${code}`).toBe(true);
    }
  });

  it('is written in the editor’s canonical form, so an edit through the editor changes only what was edited', () => {
    const drifted = tree.entries
      .filter((entry) => {
        const text = readFileSync(join(tree.dir, entry.file), 'utf8');
        return normalizeEntryText(text, entry.collection) !== text;
      })
      .map((entry) => entry.file);
    expect(drifted, 'run npm run format').toEqual([]);
  });
});
