import { beforeAll, describe, expect, it } from 'vitest';
import { mdxCollections } from '../schemas/common.ts';
import { listContentWarnings } from '../core/content-warnings.ts';
import { formatProblem } from '../core/problem.ts';
import { inspectContentTree, type CheckedEntry } from '../core/validate-tree.ts';

let entries: CheckedEntry[];
let problems: string[];
beforeAll(async () => {
  const inspected = await inspectContentTree(new URL('../content', import.meta.url).pathname);
  entries = inspected.entries;
  problems = inspected.problems.map(formatProblem);
});

const sourcesOf = (entry: CheckedEntry) => (entry.data.sources as { atteste: string[] }[] | undefined) ?? [];

describe('the seed commons', () => {
  it('passes validation with no problem and no warning', () => {
    expect(problems).toEqual([]);
    expect(listContentWarnings(entries).map(formatProblem)).toEqual([]);
  });

  it('names where the facts of every entry come from', () => {
    expect(entries.filter((entry) => sourcesOf(entry).length === 0).map((entry) => entry.file)).toEqual([]);
  });

  it('credits a structure only where one of the entry’s sources attests its work', () => {
    const unattested = entries.flatMap((entry) => {
      const attested = new Set(sourcesOf(entry).flatMap((source) => source.atteste));
      return ((entry.data.credits as string[] | undefined) ?? []).filter((slug) => !attested.has(slug)).map((slug) => `${entry.file}: ${slug}`);
    });
    expect(unattested).toEqual([]);
  });

  it('leaves no « À compléter » in a validated entry', () => {
    const unfinished = entries.filter((entry) => entry.data.statut === 'valide' && /[àÀ]\s+compl[ée]ter/.test(`${JSON.stringify(entry.data)}\n${entry.body}`));
    expect(unfinished.map((entry) => entry.file)).toEqual([]);
  });

  it('tells whom to contact on every fiche, and says so when no retour illustrates it yet', () => {
    const fiches = entries.filter((entry) => entry.collection === 'fiches');
    expect(fiches.filter((fiche) => !/^## Qui contacter$/m.test(fiche.body)).map((fiche) => fiche.file)).toEqual([]);
    const withoutRetour = fiches.filter((fiche) => (fiche.data.exemples as string[]).length === 0);
    expect(withoutRetour.length).toBeGreaterThan(0);
    expect(withoutRetour.filter((fiche) => !/Aucun retour d’expérience|Aucun retour d'expérience/.test(fiche.body) || !fiche.body.includes('/editer/?nouveau=retours')).map((fiche) => fiche.file)).toEqual([]);
  });

  it('sizes a retour about a quartier as a quartier', () => {
    const quartiers = entries.filter((entry) => entry.collection === 'retours' && /quartier/i.test(String((entry.data.territoire as { nom: string }).nom)));
    expect(quartiers.length).toBeGreaterThan(0);
    for (const retour of quartiers) expect((retour.data.territoire as { nature?: string }).nature, retour.file).toBe('quartier');
  });

  it('covers every MDX collection', () => {
    expect(new Set(entries.map((entry) => entry.collection))).toEqual(new Set([...mdxCollections, 'referentiel', 'autodiagnostic']));
  });
});
