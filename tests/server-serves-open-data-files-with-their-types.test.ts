/** The production static server names the open data files' formats, so tools and browsers read them right. */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveSite, type SiteServer } from '../scripts/lib/site-server.ts';

let root: string;
let site: SiteServer;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'terreau-types-'));
  await mkdir(join(root, 'donnees'));
  await writeFile(join(root, 'index.html'), '<!doctype html><title>Terreau</title>');
  await writeFile(join(root, 'donnees/entrees.csv'), 'collection,slug,titre\nfiches,jardin-partage,Créer un jardin partagé\n');
  await writeFile(join(root, 'donnees/retours.geojson'), '{"type":"FeatureCollection","features":[]}');
  await writeFile(join(root, 'donnees/entrees.json'), '[]');
  site = await serveSite(root);
});
afterAll(async () => {
  await site?.close();
  await rm(root, { recursive: true, force: true });
});

describe('the static site server', () => {
  it.each([
    ['/donnees/entrees.csv', 'text/csv; charset=utf-8'],
    ['/donnees/retours.geojson', 'application/geo+json'],
    ['/donnees/entrees.json', 'application/json; charset=utf-8'],
    ['/', 'text/html; charset=utf-8'],
  ])('serves %s as %s, and forbids guessing', async (path, type) => {
    const response = await fetch(`${site.url}${path}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(type);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    await response.arrayBuffer();
  });

  it('keeps the accents of a CSV file when read as text', async () => {
    const response = await fetch(`${site.url}/donnees/entrees.csv`);
    expect(await response.text()).toContain('Créer un jardin partagé');
  });
});
