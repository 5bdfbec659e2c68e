import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acknowledged, appendParagraph, connect, gitFromOutside, startTestServer, type TestServer } from './helpers/editor-server.ts';

describe('a commit of the editor that races a commit from outside on the same file', () => {
  let t: TestServer;
  beforeAll(async () => {
    // No polling: the outside commit is only discovered by the commit itself, as in the race.
    t = await startTestServer({ git: { idleCommitMs: 60_000, headPollMs: 600_000 } });
  });
  afterAll(() => t.close());

  it('merges the outside commit first and keeps both changes, once each', async () => {
    const alice = await t.addUser('Alice Martin');
    const a = await connect(t.wsUrl, 'fiches/jardin-partage', alice.token);
    appendParagraph(a.document, 'Phrase d’Alice pendant la course.');
    await acknowledged(a);

    const repo = t.server.paths.repoDir;
    const file = join(repo, 'fiches/jardin-partage.mdx');
    const outside = readFileSync(file, 'utf8').replace(/^resume: .*$/m, 'resume: Résumé changé en amont.').replace(/\n$/, '\n\nParagraphe venu de l’amont.\n');
    writeFileSync(file, outside);
    gitFromOutside(repo, 'commit', '-q', '-am', 'Modification concurrente hors de l’éditeur');
    const theirs = gitFromOutside(repo, 'rev-parse', 'HEAD').trim();

    const live = t.server.hocuspocus.documents.get('fiches/jardin-partage')!;
    const outcome = await t.server.gitSync.commitDocument('fiches/jardin-partage', live);
    expect(outcome.state).toBe('committed');
    expect(gitFromOutside(repo, 'rev-parse', 'HEAD~1').trim()).toBe(theirs);
    const committed = gitFromOutside(repo, 'show', 'HEAD:fiches/jardin-partage.mdx');
    expect(committed.match(/Paragraphe venu de l’amont\./g)).toHaveLength(1);
    expect(committed.match(/Phrase d’Alice pendant la course\./g)).toHaveLength(1);
    expect(committed).toMatch(/^resume: "?Résumé changé en amont\."?$/m);
    expect(a.document.getXmlFragment('default').toString().match(/Paragraphe venu de l’amont\./g)).toHaveLength(1);
    a.destroy();
  });
});
