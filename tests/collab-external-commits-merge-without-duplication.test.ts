import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acknowledged, appendParagraph, connect, gitFromOutside, startTestServer, waitFor, type TestServer } from './helpers/editor-server.ts';
import { readField } from '../core/bridge/mdx-yjs.ts';

describe('a commit made to the commons from outside', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ git: { idleCommitMs: 60_000, headPollMs: 100 } });
  });
  afterAll(() => t.close());

  it('merges into a live document without losing in-flight edits or duplicating content', async () => {
    const alice = await t.addUser('Alice Martin');
    const a = await connect(t.wsUrl, 'fiches/marche-de-producteurs', alice.token);
    appendParagraph(a.document, 'Édition en cours d’Alice.');
    await acknowledged(a);

    const repo = t.server.paths.repoDir;
    const file = join(repo, 'fiches/marche-de-producteurs.mdx');
    const original = readFileSync(file, 'utf8');
    const outside = original.replace(/^resume: .*$/m, 'resume: Un résumé réécrit en amont.').replace(/\n$/, '\n\nUn paragraphe ajouté en amont.\n');
    writeFileSync(file, outside);
    gitFromOutside(repo, 'commit', '-q', '-am', 'Modification faite hors de l’éditeur');

    const body = () => a.document.getXmlFragment('default').toString();
    await waitFor(() => body().includes('Un paragraphe ajouté en amont.'), 10_000, 'fusion');
    expect(readField(a.document.getMap('frontmatter'), 'resume')).toBe('Un résumé réécrit en amont.');
    expect(body().match(/Un paragraphe ajouté en amont\./g)).toHaveLength(1);
    expect(body().match(/Édition en cours d’Alice\./g)).toHaveLength(1);
    // Nothing else moved: every original paragraph is there once.
    expect(body().match(/<paragraph>/g)!.length).toBeGreaterThan(3);

    const live = t.server.hocuspocus.documents.get('fiches/marche-de-producteurs')!;
    const outcome = await t.server.gitSync.commitDocument('fiches/marche-de-producteurs', live);
    expect(outcome.state).toBe('committed');
    const committed = gitFromOutside(repo, 'show', 'HEAD:fiches/marche-de-producteurs.mdx');
    expect(committed.match(/Un paragraphe ajouté en amont\./g)).toHaveLength(1);
    expect(committed.match(/Édition en cours d’Alice\./g)).toHaveLength(1);
    expect(committed).toMatch(/^resume: "?Un résumé réécrit en amont\."?$/m);
    // The commit is a child of the outside commit: history is linear, nothing reverted.
    expect(gitFromOutside(repo, 'log', '-2', '--format=%s')).toMatch(/^Modifier fiches\/marche-de-producteurs.*\nModification faite hors/);
    a.destroy();
  });

  it('merges into a document that was not loaded, the next time it is opened', async () => {
    const alice = await t.addUser('Alice Plus-Tard');
    const first = await connect(t.wsUrl, 'fiches/conserverie-collective', alice.token);
    first.destroy();
    await waitFor(() => !t.server.hocuspocus.documents.has('fiches/conserverie-collective'));
    const repo = t.server.paths.repoDir;
    const file = join(repo, 'fiches/conserverie-collective.mdx');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/\n$/, '\n\nAjout pendant l’absence.\n'));
    gitFromOutside(repo, 'commit', '-q', '-am', 'Ajout hors ligne');
    await new Promise((r) => setTimeout(r, 300));
    const again = await connect(t.wsUrl, 'fiches/conserverie-collective', alice.token);
    expect(again.document.getXmlFragment('default').toString().match(/Ajout pendant l’absence\./g)).toHaveLength(1);
    again.destroy();
  });
});
