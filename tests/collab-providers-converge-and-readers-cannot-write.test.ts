import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acknowledged, appendParagraph, bodyText, connect, startTestServer, waitFor, type TestServer } from './helpers/editor-server.ts';
import { readField } from '../core/bridge/mdx-yjs.ts';

describe('two providers on one document', () => {
  let t: TestServer;
  beforeAll(async () => {
    // No idle commit while a test looks at the edits not yet in Git (500 ms could pass before it looks).
    t = await startTestServer({ git: { idleCommitMs: 60_000, headPollMs: 200 } });
  });
  afterAll(() => t.close());

  it('converge on the same content, loaded from the entry in Git', async () => {
    const alice = await t.addUser('Alice Martin');
    const bob = await t.addUser('Bob Durand');
    const a = await connect(t.wsUrl, 'fiches/jardin-partage', alice.token);
    const b = await connect(t.wsUrl, 'fiches/jardin-partage', bob.token);
    expect(readField(a.document.getMap('frontmatter'), 'titre')).toBe('Créer un jardin partagé');
    appendParagraph(a.document, 'Écrit par Alice');
    appendParagraph(b.document, 'Écrit par Bob');
    await Promise.all([acknowledged(a), acknowledged(b)]);
    await waitFor(() => bodyText(a.document) === bodyText(b.document) && bodyText(a.document).includes('Écrit par Bob') && bodyText(b.document).includes('Écrit par Alice'));
    expect(bodyText(a.document).match(/Écrit par/g)).toHaveLength(2);
    a.destroy();
    b.destroy();
  });

  it('ignore the edits of a reader without a contributor token', async () => {
    const alice = await t.addUser('Alice Lecteur-Test');
    const writer = await connect(t.wsUrl, 'fiches/cantine-locale', alice.token);
    const reader = await connect(t.wsUrl, 'fiches/cantine-locale', null);
    appendParagraph(reader.document, 'Texte d’un lecteur');
    appendParagraph(writer.document, 'Texte d’une contributrice');
    await acknowledged(writer);
    await waitFor(() => bodyText(reader.document).includes('Texte d’une contributrice'));
    await new Promise((r) => setTimeout(r, 300));
    expect(bodyText(writer.document)).not.toContain('Texte d’un lecteur');
    const live = t.server.hocuspocus.documents.get('fiches/cantine-locale')!;
    expect(live.getXmlFragment('default').toString()).not.toContain('Texte d’un lecteur');
    expect((await t.server.store.pendingEditors('fiches/cantine-locale')).map((e) => e.userId)).toEqual([alice.id]);
    writer.destroy();
    reader.destroy();
  });

  it('refuse a token that does not resolve to an account', async () => {
    await expect(connect(t.wsUrl, 'fiches/cantine-locale', 'trr_faux')).rejects.toThrow(/jeton invalide/);
  });
});
