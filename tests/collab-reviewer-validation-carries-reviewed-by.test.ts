/**
 * A relecteur who sets the statut to `valide` makes a validating commit: it carries
 * `Reviewed-by: Name <email>`, and the history the site reads says « relu et validé » by them,
 * then « modifié depuis la relecture » once someone else changes the entry.
 */
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reviewStateOf } from '../core/editorial-status.ts';
import { readContentHistory } from '../core/git-history.ts';
import { acknowledged, appendParagraph, connect, startTestServer, type TestServer } from './helpers/editor-server.ts';

const FICHE = 'fiches/epicerie-solidaire';

describe('a reviewer’s validation', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ git: { idleCommitMs: 60_000 } });
  });
  afterAll(() => t.close());

  it('is committed with Reviewed-by, and read back as the entry’s last review', async () => {
    const rose = await t.addUser('Rose Relectrice', 'relecteur');
    const r = await connect(t.wsUrl, FICHE, rose.token);
    r.document.getMap('frontmatter').set('statut', 'valide');
    appendParagraph(r.document, 'Relu : les étapes sont justes.');
    await acknowledged(r);
    expect((await t.server.gitSync.commitDocument(FICHE, t.server.hocuspocus.documents.get(FICHE)!)).state).toBe('committed');
    const message = execFileSync('git', ['-C', t.server.paths.repoDir, 'log', '-1', '--format=%an <%ae>%n%B'], { encoding: 'utf8' });
    expect(message).toContain(`Reviewed-by: Rose Relectrice <${rose.id}@contributeurs.terreau.invalid>`);
    expect(message.split('\n')[1]).toBe(`Valider ${FICHE} depuis l’éditeur`);
    r.destroy();

    let changes = (await readContentHistory(t.server.paths.repoDir)).byFile.get(`${FICHE}.mdx`)!.changes;
    expect(changes[0]!.reviewers).toEqual([{ name: 'Rose Relectrice', email: `${rose.id}@contributeurs.terreau.invalid` }]);
    expect(reviewStateOf('valide', changes)).toMatchObject({ state: 'valide', lastReview: { reviewers: [{ name: 'Rose Relectrice' }] } });

    // An administrateur's edit keeps the validation and is itself a review.
    const admin = await t.addUser('Ada Admin', 'administrateur');
    const a = await connect(t.wsUrl, FICHE, admin.token);
    appendParagraph(a.document, 'Une coquille corrigée.');
    await acknowledged(a);
    await t.server.gitSync.commitDocument(FICHE, t.server.hocuspocus.documents.get(FICHE)!);
    a.destroy();
    changes = (await readContentHistory(t.server.paths.repoDir)).byFile.get(`${FICHE}.mdx`)!.changes;
    expect(changes[0]!.reviewers.map((p) => p.name)).toEqual(['Ada Admin']);

    // A contributor's change: no Reviewed-by, and the entry is « modifié depuis la relecture ».
    const claire = await t.addUser('Claire Contributrice', 'contributeur');
    const c = await connect(t.wsUrl, FICHE, claire.token);
    appendParagraph(c.document, 'Un ajout de Claire.');
    await acknowledged(c);
    await t.server.gitSync.commitDocument(FICHE, t.server.hocuspocus.documents.get(FICHE)!);
    c.destroy();
    changes = (await readContentHistory(t.server.paths.repoDir)).byFile.get(`${FICHE}.mdx`)!.changes;
    expect(changes[0]!.reviewers).toEqual([]);
    const state = reviewStateOf('propose', changes);
    expect(state.state).toBe('modifie');
    expect(state.lastReview?.reviewers.map((p) => p.name)).toEqual(['Ada Admin']);
    expect(state.changesSince.map((change) => change.author.name)).toEqual(['Claire Contributrice']);
  });
});
