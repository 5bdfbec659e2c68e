/**
 * The guided path finds a commune by its name in the official list, cut into small files by name
 * prefix: the exact name, names that start with what is typed, close spellings, homonyms told
 * apart by their code; and the answers read from the URL keep a typed name.
 */
import { describe, expect, it } from 'vitest';
import { codeIn, communeNameKey, MAX_COMMUNES_PER_FILE, prefixesFor, searchCommunes } from '../site/src/lib/commune-names.ts';
import { buildCommuneNameFiles } from '../site/src/lib/commune-name-files.ts';
import { readAnswers } from '../site/src/lib/recommend.ts';

const { manifest, files } = buildCommuneNameFiles();
const search = (typed: string) => {
  const entries = prefixesFor(communeNameKey(typed), manifest.prefixes).flatMap((prefix) => files.get(prefix) ?? []);
  return searchCommunes(typed, entries, manifest.departements);
};

describe('communes by name', () => {
  it('are cut into small files, every current commune in exactly one', () => {
    const all = [...files.values()].flat();
    expect(new Set(all.map(([, code]) => code)).size).toBe(all.length);
    expect(all.length).toBeGreaterThan(34_000);
    expect(Math.max(...[...files.values()].map((file) => file.length))).toBeLessThanOrEqual(MAX_COMMUNES_PER_FILE);
  });

  it('finds « Lunas » and « Jazeneuil » with their département, and names that start with what is typed', () => {
    expect(search('Lunas').exact).toEqual([{ nom: 'Lunas', code: '24246', population: expect.any(Number), departement: 'Dordogne' }]);
    expect(search('jazeneuil').exact.map((c) => c.code)).toEqual(['86116']);
    expect(search('Lun').starting.map((c) => c.nom)).toContain('Lunéville');
    expect(search('Saint-Georges-de-Rex').exact.map((c) => c.code)).toEqual(['79254']);
  });

  it('suggests close spellings when no name matches', () => {
    const found = search('Jazeneul');
    expect(found.exact).toEqual([]);
    expect(found.close.map((c) => c.nom)).toContain('Jazeneuil');
  });

  it('asks for more letters rather than load thousands of Saint- communes', () => {
    expect(prefixesFor('saint', manifest.prefixes)).toEqual([]);
    expect(prefixesFor('saint g', manifest.prefixes).length).toBeGreaterThan(0);
  });

  it('keeps a typed name in the answers, and reads the code of a suggestion', () => {
    expect(readAnswers(new URLSearchParams('situation=rien&commune=Lunas')).communeName).toBe('Lunas');
    expect(readAnswers(new URLSearchParams('situation=rien&commune=Lunas+(24246)')).commune).toBe('24246');
    expect(codeIn('Ajaccio (2a004)')).toBe('2A004');
  });
});
