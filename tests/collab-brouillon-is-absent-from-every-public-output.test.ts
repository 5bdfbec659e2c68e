/**
 * A new entry created through the editor starts as a brouillon and appears in no public output of
 * the published site: no page, list, search index, guided path, self-assessment link, export,
 * sitemap or feed. Contributors find it in the editor's list of drafts. Public pages say where each
 * entry stands in its review: « Proposé — pas encore relu », « Relu et validé par … le … », or
 * « Modifié depuis la relecture » with the changes since.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyEntryToDoc } from '../core/bridge/mdx-yjs.ts';
import { createEntryText } from '../core/entry-templates.ts';
import { acknowledged, appendParagraph, connect } from './helpers/editor-server.ts';
import { publishCommonsAfter, type PublishedCommons } from './helpers/published-commons.ts';

const DRAFT_TITLE = 'Fabriquer des nichoirs avec l’école';
const DRAFT = 'fiches/fabriquer-des-nichoirs-avec-l-ecole';
// Words found only in the draft, to look for in every output.
const DRAFT_WORDS = ['nichoirs', 'fabriquer-des-nichoirs'];

let published: PublishedCommons;
let texts: Map<string, string>;
let contributorToken: string;

beforeAll(async () => {
  published = await publishCommonsAfter(async (t) => {
    const claire = await t.addUser('Claire Aubert', 'contributeur');
    const rose = await t.addUser('Rose Relectrice', 'relecteur');
    // A new fiche, as the editor page creates it from the template: a brouillon.
    const draft = await connect(t.wsUrl, DRAFT, claire.token);
    applyEntryToDoc(draft.document, createEntryText('fiches', DRAFT_TITLE), 'fiches');
    await acknowledged(draft);
    expect((await t.server.gitSync.commitDocument(DRAFT, t.server.hocuspocus.documents.get(DRAFT)!)).state).toBe('committed');
    draft.destroy();
    // Validated, then changed by a contributor; and validated and left alone.
    for (const fiche of ['fiches/cantine-locale', 'fiches/epicerie-solidaire']) {
      const r = await connect(t.wsUrl, fiche, rose.token);
      r.document.getMap('frontmatter').set('statut', 'valide');
      await acknowledged(r);
      await t.server.gitSync.commitDocument(fiche, t.server.hocuspocus.documents.get(fiche)!);
      r.destroy();
    }
    const c = await connect(t.wsUrl, 'fiches/cantine-locale', claire.token);
    appendParagraph(c.document, 'Une précision de Claire après la relecture.');
    await acknowledged(c);
    await t.server.gitSync.commitDocument('fiches/cantine-locale', t.server.hocuspocus.documents.get('fiches/cantine-locale')!);
    c.destroy();
  });
  texts = await published.texts();
  contributorToken = (await published.server.addUser('Dom Contributeur', 'contributeur')).token;
}, 600_000);

afterAll(() => published?.close());

describe('a brouillon', () => {
  it('is in the commons repository, as a brouillon', async () => {
    expect(await readFile(join(published.server.server.paths.repoDir, `${DRAFT}.mdx`), 'utf8')).toMatch(/\nstatut: brouillon\n/);
  });

  it('has no page, and is named in no page, list, export, sitemap, feed or search index', async () => {
    expect(existsSync(join(published.siteDir, DRAFT))).toBe(false);
    expect((await fetch(`${published.server.httpUrl}/${DRAFT}/`)).status).toBe(404);
    const found = [...texts].flatMap(([file, text]) => DRAFT_WORDS.filter((word) => text.toLowerCase().includes(word)).map((word) => `${file} : ${word}`));
    expect(found).toEqual([]);
    // The search index: every page fragment Pagefind wrote (gzipped), none of them the draft's.
    const { shards } = JSON.parse(await readFile(join(published.siteDir, 'pagefind', 'shards.json'), 'utf8')) as { shards: string[] };
    const fragments = (await Promise.all(shards.map(async (shard) => (await readdir(join(published.siteDir, shard, 'fragment'))).map((name) => join(published.siteDir, shard, 'fragment', name))))).flat();
    expect(fragments.length).toBeGreaterThan(50);
    const indexed = await Promise.all(fragments.map(async (file) => gunzipSync(await readFile(file)).toString('utf8')));
    expect(indexed.some((fragment) => fragment.includes('"url":"/fiches/jardin-partage/"'))).toBe(true);
    expect(indexed.filter((fragment) => DRAFT_WORDS.some((word) => fragment.toLowerCase().includes(word)))).toEqual([]);
  });

  it('is listed for contributors in the editor, and for nobody else', async () => {
    const listed = await fetch(`${published.server.httpUrl}/api/drafts`, { headers: { Authorization: `Bearer ${contributorToken}` } });
    expect((await listed.json()).drafts).toEqual([expect.objectContaining({ doc: DRAFT, titre: DRAFT_TITLE, committed: true })]);
    expect((await fetch(`${published.server.httpUrl}/api/drafts`)).status).toBe(401);
  });
});

describe('public pages', () => {
  it('mark an entry not yet reviewed « Proposé — pas encore relu », on its page and in lists', () => {
    expect(texts.get('fiches/jardin-partage/index.html')).toContain('<strong>Proposé — pas encore relu</strong>');
    expect(texts.get('fiches/index.html')).toContain('Proposé — pas encore relu');
  });

  it('say who validated an entry and when', () => {
    const page = texts.get('fiches/epicerie-solidaire/index.html')!;
    expect(page).toMatch(/<strong>Relu et validé<\/strong> par Rose Relectrice le <time datetime="[^"]+">\d{1,2} \S+ \d{4}<\/time>/);
    expect(page).not.toContain('Modifié depuis la relecture');
  });

  it('say « Modifié depuis la relecture » after someone else’s change, with a link to what changed', () => {
    const page = texts.get('fiches/cantine-locale/index.html')!;
    expect(page).toContain('<strong>Relu et validé</strong> par Rose Relectrice');
    // Pages are typeset: a narrow no-break space before the colon.
    expect(page).toMatch(/<strong>Modifié depuis la relecture<\/strong>\u202F: <a href="\/fiches\/cantine-locale\/historique\/#depuis-la-relecture">voir la modification faite depuis<\/a>/);
    const history = texts.get('fiches/cantine-locale/historique/index.html')!;
    const since = /<section id="depuis-la-relecture"[\s\S]*?<\/section>/.exec(history)![0];
    expect(since).toContain('par Claire Aubert');
    expect(since).toContain('Une précision de Claire après la relecture.');
  });
});
