/**
 * An address the site does not have is answered 404 with the site's own page: its layout, a
 * search form and the way home; not a bare « Page introuvable. ».
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveSite, type SiteServer } from '../scripts/lib/site-server.ts';
import { builtSeedSite } from './helpers/seed-site.ts';

describe('an unknown address', () => {
  let server: SiteServer;
  beforeAll(async () => {
    server = await serveSite(await builtSeedSite());
  }, 600_000);
  afterAll(() => server?.close());

  it('gets the 404 page of the site, with search and a link home', async () => {
    const response = await fetch(`${server.url}/fiches/une-fiche-qui-n-existe-pas/`);
    expect(response.status).toBe(404);
    const page = await response.text();
    expect(page).toContain('<title>Page introuvable — Terreau</title>');
    expect(page).toContain('<nav aria-label="Navigation principale">');
    expect(page).toMatch(/<form class="search-form" action="\/recherche\/" method="get" role="search">/);
    expect(page).toMatch(/<input id="introuvable-recherche" name="q" type="search"/);
    expect(page).toContain('<a href="/">Revenir à l’accueil</a>');
    expect(page).toContain('<meta name="robots" content="noindex">');
  });
});
