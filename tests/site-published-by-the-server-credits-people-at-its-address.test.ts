/**
 * The site `npm start` publishes, without SITE_URL, from a commons it created and edited: no
 * technical identity (server committer, import, maintenance) is named as an author anywhere; JSON-LD
 * types people as Person and organisations as Organization, with the canonical licence; every
 * absolute URL uses the address the server actually listens on; feed entries have unique ids and
 * French titles, and parse as Atom.
 */
import { parseFeed } from '@rowanmanning/feed-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commonsCollective, importIdentity, maintenanceIdentity, serverIdentity } from '../core/commons-identities.ts';
import { acknowledged, appendParagraph, connect } from './helpers/editor-server.ts';
import { publishCommonsAfter, type PublishedCommons } from './helpers/published-commons.ts';

let published: PublishedCommons;
/** Text files of the site, their narrow and plain no-break spaces read as spaces (pages are typeset). */
let texts: Map<string, string>;
let base: string;

beforeAll(async () => {
  published = await publishCommonsAfter(async (t) => {
    const claire = await t.addUser('Claire Aubert', 'contributeur');
    const rose = await t.addUser('Rose Relectrice', 'relecteur');
    const c = await connect(t.wsUrl, 'fiches/jardin-partage', claire.token);
    appendParagraph(c.document, 'Un conseil de Claire sur l’arrosage partagé.');
    await acknowledged(c);
    await t.server.gitSync.commitDocument('fiches/jardin-partage', t.server.hocuspocus.documents.get('fiches/jardin-partage')!);
    c.destroy();
    const r = await connect(t.wsUrl, 'fiches/cantine-locale', rose.token);
    r.document.getMap('frontmatter').set('statut', 'valide');
    await acknowledged(r);
    await t.server.gitSync.commitDocument('fiches/cantine-locale', t.server.hocuspocus.documents.get('fiches/cantine-locale')!);
    r.destroy();
  });
  texts = new Map([...(await published.texts())].map(([file, text]) => [file, text.replace(/[\u00A0\u202F]/g, ' ')]));
  base = published.server.httpUrl;
}, 600_000);

afterAll(() => published?.close());

const jsonLdOf = (html: string) => JSON.parse(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(html)![1]!);

describe('the site published by the server', () => {
  it('names no technical identity as an author, anywhere', () => {
    const machines = [serverIdentity, importIdentity, maintenanceIdentity].flatMap((identity) => [identity.name, identity.email]);
    const found = [...texts].flatMap(([file, text]) => machines.filter((machine) => text.includes(machine)).map((machine) => `${file} : ${machine}`));
    expect(found).toEqual([]);
    expect(texts.get('fiches/jardin-partage/index.html')).toContain('Claire Aubert');
  });

  it('types people as Person and the commons and structures as Organization, with the canonical licence', () => {
    const data = jsonLdOf(texts.get('fiches/jardin-partage/index.html')!);
    expect(data.license).toBe('https://creativecommons.org/licenses/by-sa/4.0/');
    const byName = new Map((data.author as { '@type': string; name: string }[]).map((a) => [a.name, a['@type']]));
    expect(byName.get('Claire Aubert')).toBe('Person');
    expect(byName.get(commonsCollective.name)).toBe('Organization');
    expect([...byName.values()].filter((type) => type === 'Person')).toHaveLength(1);
    // Structures an entry credits are organisations too.
    const guide = jsonLdOf(texts.get('guides/enquete-collective/index.html')!);
    expect(guide.author).toEqual(expect.arrayContaining([expect.objectContaining({ '@type': 'Organization', name: 'La Traverse' }), expect.objectContaining({ '@type': 'Organization', name: commonsCollective.name })]));
    expect(data.contributor).toEqual([{ '@type': 'Person', name: 'Claire Aubert' }]);
    // An imported entry nobody edited is credited to its structures and the collective, never to a machine.
    const imported = jsonLdOf(texts.get('fiches/epicerie-solidaire/index.html')!);
    expect((imported.author as { '@type': string }[]).every((a) => a['@type'] === 'Organization')).toBe(true);
    expect((imported.author as { name: string }[]).map((a) => a.name)).toContain(commonsCollective.name);
    // The page's human link goes to the French deed.
    expect(texts.get('fiches/jardin-partage/index.html')).toContain('rel="license" href="https://creativecommons.org/licenses/by-sa/4.0/deed.fr"');
  });

  it('uses the address the server listens on in every absolute URL', () => {
    expect(base).not.toContain(':4321');
    const port = new URL(base).port;
    const elsewhere = [...texts].flatMap(([file, text]) =>
      [...text.matchAll(/https?:\/\/(?:127\.0\.0\.1|localhost)(?::(\d+))?/g)].filter((m) => m[1] !== port).map((m) => `${file} : ${m[0]}`),
    );
    expect(elsewhere).toEqual([]);
    expect(texts.get('robots.txt')).toBe(`User-agent: *\nAllow: /\nSitemap: ${base}/sitemap.xml\n`);
    const locations = [...texts.get('sitemap.xml')!.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]!);
    expect(locations.length).toBeGreaterThan(50);
    expect(locations.filter((loc) => !loc.startsWith(`${base}/`))).toEqual([]);
    const credit = /<textarea id="credit-line"[^>]*>([^<]*)<\/textarea>/.exec(texts.get('fiches/jardin-partage/index.html')!)![1]!;
    expect(credit).toContain(`Terreau, ${base}/fiches/jardin-partage/`);
    const entries = JSON.parse(texts.get('donnees/entrees.json')!) as { url: string; contributeurs: string[]; auteurs: string[] }[];
    expect(entries.every((e) => e.url.startsWith(`${base}/`))).toBe(true);
    const jardin = entries.find((e) => e.url.endsWith('/fiches/jardin-partage/'))!;
    expect(jardin.contributeurs).toEqual(['Claire Aubert']);
    // Open data credits the same authors as the page: people, credited structures, the collective for imports.
    expect(jardin.auteurs).toEqual(['Claire Aubert', commonsCollective.name]);
    expect(entries.find((e) => e.url.endsWith('/guides/enquete-collective/'))!.auteurs).toEqual(['La Traverse', 'Les Localos', commonsCollective.name]);
    const csv = texts.get('donnees/entrees.csv')!.split('\r\n');
    expect(csv[0]).toContain(',contributeurs,auteurs,credits,');
    expect(csv.find((row) => row.startsWith('fiches,jardin-partage,'))).toContain(`,Claire Aubert,"Claire Aubert;${commonsCollective.name}",,`);
    expect(texts.get('parcours/type/rien/benevoles/index.html')).toContain(`Feuille de route établie sur Terreau : ${base}/parcours/type/rien/benevoles/`);
  });

  it('writes feeds with one id per change of each file, French titles, and people or the collective as authors', () => {
    const feed = parseFeed(texts.get('modifications.xml')!);
    const ids = feed.items.map((item) => item.id);
    expect(ids.length).toBeGreaterThan(20);
    expect(new Set(ids).size).toBe(ids.length);
    expect(feed.items.map((item) => item.title)).toContain('Modification de « Créer un jardin partagé » par Claire Aubert');
    expect(feed.items.map((item) => item.title)).toContain('Validation de « Nourrir la cantine avec des produits locaux et de qualité » par Rose Relectrice');
    const titles = feed.items.map((item) => item.title ?? '');
    expect(titles.filter((title) => !/^(Création|Modification|Suppression|Validation) de « [^/]+ » par .+$/.test(title))).toEqual([]);
    expect(titles.some((title) => /^Création de « (Référentiel|Auto-diagnostic) : .+ » par Contributeurs de Terreau$/.test(title))).toBe(true);
    const authors = new Set(feed.items.flatMap((item) => item.authors.map((a) => a.name)));
    expect([...authors].sort()).toEqual([commonsCollective.name, 'Claire Aubert', 'Rose Relectrice'].sort());
    const entryFeed = parseFeed(texts.get('fiches/jardin-partage/modifications.xml')!);
    expect(entryFeed.items.map((item) => item.id)).toEqual(entryFeed.items.map((item) => ids.find((id) => id === item.id)));
  });

  it('lists data files among recent changes under their names, not as deleted entries', () => {
    const page = texts.get('modifications/index.html')!;
    expect(page).not.toContain('(supprimée)');
    expect(page).toMatch(/<a href="\/referentiel\/#ALIM">Référentiel : Résilience alimentaire<\/a>/);
  });
});
