import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from './helpers/csv.ts';
import { buildFixtureSite, type SiteFixture } from './helpers/site-fixture.ts';

let site: SiteFixture;
const read = (path: string) => readFile(join(site.outDir, path), 'utf8');
const mdxCollections = ['fiches', 'guides', 'retours', 'structures', 'territoires'];

beforeAll(async () => {
  site = await buildFixtureSite();
});
afterAll(() => site?.cleanup());

describe('the open data written at build', () => {
  it('publishes every entry as JSON, with its contributors from Git', async () => {
    let files = 0;
    for (const collection of mdxCollections) files += (await readdir(join(site.contentDir, collection)).catch(() => [])).length;
    const entries = JSON.parse(await read('donnees/entrees.json')) as { collection: string; slug: string; contributeurs: string[]; donnees: { titre: string }; corps: string }[];
    expect(entries).toHaveLength(files);
    const jardin = entries.find((e) => e.collection === 'fiches' && e.slug === 'jardin-partage')!;
    expect(jardin.contributeurs).toEqual(['Alice Martin', 'Bruno Petit', 'Chloé Durand']);
    expect(jardin.donnees.titre).toBe('Créer un jardin partagé');
    // The body as written in the file, after its frontmatter.
    const file = await readFile(join(site.contentDir, 'fiches/jardin-partage.mdx'), 'utf8');
    expect(jardin.corps.length).toBeGreaterThan(200);
    expect(file.endsWith(jardin.corps)).toBe(true);
    expect(file.slice(0, -jardin.corps.length)).toMatch(/^---\n[\s\S]*\n---\n$/);
  });

  it('publishes a CSV whose columns are exactly those of its Table Schema', async () => {
    const schema = JSON.parse(await read('donnees/entrees.tableschema.json')) as { fields: { name: string; type: string }[]; primaryKey: string[] };
    const rows = parseCsv(await read('donnees/entrees.csv'));
    expect(rows[0]).toEqual(schema.fields.map((f) => f.name));
    const entries = JSON.parse(await read('donnees/entrees.json')) as unknown[];
    expect(rows).toHaveLength(entries.length + 1);
    for (const row of rows) expect(row).toHaveLength(schema.fields.length);
    const population = schema.fields.findIndex((f) => f.name === 'population');
    for (const row of rows.slice(1)) expect(row[population]).toMatch(/^(\d+)?$/);
    expect(schema.primaryKey).toEqual(['collection', 'slug']);
    const datapackage = JSON.parse(await read('donnees/datapackage.json')) as { resources: { path: string }[] };
    expect(datapackage.resources.map((r) => r.path)).toContain('entrees.csv');
  });

  it('publishes the retours as GeoJSON features with their INSEE codes', async () => {
    const geojson = JSON.parse(await read('donnees/retours.geojson')) as { type: string; features: { type: string; properties: { communes: { code: string }[]; departements: { code: string }[] } }[] };
    expect(geojson.type).toBe('FeatureCollection');
    expect(geojson.features).toHaveLength((await readdir(join(site.contentDir, 'retours'))).length);
    for (const feature of geojson.features) {
      expect(feature.type).toBe('Feature');
      expect(feature.properties.communes.length + feature.properties.departements.length).toBeGreaterThan(0);
    }
  });

  it('publishes a JSON Schema for every collection', async () => {
    const fiches = JSON.parse(await read('donnees/schemas/fiches.schema.json')) as { properties: Record<string, unknown>; required: string[] };
    expect(fiches.properties).toHaveProperty('titre');
    expect(fiches.required).toContain('objectifs');
    for (const collection of [...mdxCollections, 'referentiel', 'autodiagnostic']) {
      expect(JSON.parse(await read(`donnees/schemas/${collection}.schema.json`))).toHaveProperty('$schema');
    }
  });

  it('lists every entry page in the sitemap and every change in the Atom feeds', async () => {
    const sitemap = await read('sitemap.xml');
    expect(sitemap).toContain('/fiches/jardin-partage/</loc><lastmod>2025-02-03T15:30:00+01:00</lastmod>');
    const feed = await read('modifications.xml');
    expect(feed).toContain('<feed xmlns="http://www.w3.org/2005/Atom"');
    expect(feed).toContain('Adapter le jardin partagé à la montagne');
    const entryFeed = await read('fiches/jardin-partage/modifications.xml');
    expect(entryFeed.match(/<entry>/g)).toHaveLength(2);
    expect(entryFeed).toContain('<name>Chloé Durand</name>');
  });

  it('shows the history of an entry with each change and its diff', async () => {
    const page = await read('fiches/jardin-partage/historique/index.html');
    expect(page).toContain('Ajouter un conseil sur l’arrosage');
    expect(page).toContain('Chloé Durand');
    expect(page).toMatch(/<ins>\+Un paragraphe ajouté par Bruno/);
    const recent = await read('modifications/index.html');
    expect(recent.indexOf('Créer un jardin partagé en montagne')).toBeLessThan(recent.indexOf('Ajouter un conseil'));
  });
});
