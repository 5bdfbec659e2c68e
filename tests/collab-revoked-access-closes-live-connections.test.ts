/**
 * Revoked means revoked: revoking a token, logging out, changing a role or disabling an account
 * closes that account's open collaboration connections at once, with a French reason, and nothing
 * they send afterwards reaches the document, the journal or Git. Connections opened with another
 * credential, or by other people, go on.
 */
import type { HocuspocusProvider } from '@hocuspocus/provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileAt, readHead } from '../editor-server/src/git/commons-repo.ts';
import { acknowledged, appendParagraph, bodyText, connect, startTestServer, waitFor, type TestServer } from './helpers/editor-server.ts';

/** Resolves with the reason of the next close the server sends this provider. */
function nextClose(provider: HocuspocusProvider): Promise<string> {
  return new Promise((resolvePromise) => provider.on('close', ({ event }: { event: { reason: string } }) => resolvePromise(event.reason)));
}

describe('access taken away', () => {
  let t: TestServer;
  const repo = () => `${t.dataDir}/commons`;
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${t.httpUrl}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });

  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t.close());

  /** Edits through a closed provider, then checks the edit reached neither the server nor Git. */
  async function expectRefusedEdit(provider: HocuspocusProvider, documentName: string, text: string): Promise<void> {
    appendParagraph(provider.document, text);
    await new Promise((r) => setTimeout(r, 1_500));
    const live = t.server.hocuspocus.documents.get(documentName);
    if (live) expect(bodyText(live)).not.toContain(text);
    expect((await t.server.store.load(documentName)).updates.map((u) => Buffer.from(u).toString('utf8')).join('')).not.toContain(text);
    await t.server.gitSync.idle();
    const path = `${documentName}.mdx`;
    expect(await readFileAt(repo(), await readHead(repo()), path)).not.toContain(text);
  }

  it('closes a connection whose personal token is revoked, and keeps the others', async () => {
    const alice = await t.addUser('Alice Révoquée');
    const other = await t.server.accounts.createToken(alice.id, 'autre poste');
    const bob = await t.addUser('Bob Témoin');
    const auth = { Authorization: `Bearer ${alice.token}` };
    const tokens = (await (await fetch(`${t.httpUrl}/api/tokens`, { headers: auth })).json()) as { tokens: { id: string; label: string }[] };
    const first = tokens.tokens.find((x) => x.label === 'jeton personnel')!;

    const revoked = await connect(t.wsUrl, 'fiches/jardin-partage', alice.token);
    const kept = await connect(t.wsUrl, 'fiches/jardin-partage', other.token);
    const witness = await connect(t.wsUrl, 'fiches/jardin-partage', bob.token);
    const closed = nextClose(revoked);
    expect((await fetch(`${t.httpUrl}/api/tokens/${first.id}`, { method: 'DELETE', headers: auth })).status).toBe(204);
    expect(await closed).toMatch(/^jeton révoqué/);
    expect((await fetch(`${t.httpUrl}/api/tokens`, { headers: auth })).status).toBe(401);

    await expectRefusedEdit(revoked, 'fiches/jardin-partage', 'Écrit avec un jeton révoqué.');
    await expect(connect(t.wsUrl, 'fiches/jardin-partage', alice.token)).rejects.toThrow(/jeton invalide/);
    // Alice's other token and Bob go on.
    appendParagraph(kept.document, 'Écrit avec le jeton encore valide.');
    await acknowledged(kept);
    await waitFor(() => bodyText(witness.document).includes('Écrit avec le jeton encore valide.'));
    for (const p of [revoked, kept, witness]) p.destroy();
  });

  it('closes the connections of a session that logs out; its collaboration token dies with it', async () => {
    const chloe = await t.addUser('Chloé Sortante', 'contributeur', 'un mot de passe solide');
    const login = await post('/api/login', { email: chloe.email, password: 'un mot de passe solide' });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const { token } = (await (await fetch(`${t.httpUrl}/api/session`, { headers: { Cookie: cookie } })).json()) as { token: string };
    const provider = await connect(t.wsUrl, 'fiches/cantine-locale', token);
    const closed = nextClose(provider);
    expect((await fetch(`${t.httpUrl}/api/logout`, { method: 'POST', headers: { Cookie: cookie } })).status).toBe(204);
    expect(await closed).toMatch(/^session fermée/);
    await expectRefusedEdit(provider, 'fiches/cantine-locale', 'Écrit après la déconnexion.');
    await expect(connect(t.wsUrl, 'fiches/cantine-locale', token)).rejects.toThrow(/jeton invalide/);
    provider.destroy();
  });

  it('closes the connections of an account whose role changes; it reopens with its new rights only', async () => {
    const denis = await t.addUser('Denis Rétrogradé', 'administrateur');
    // The last active administrator keeps their role: another one stays.
    await t.addUser('Ada Administratrice', 'administrateur');
    const provider = await connect(t.wsUrl, 'fiches/epicerie-solidaire', denis.token);
    const closed = nextClose(provider);
    await t.server.accounts.changeRole(denis.id, 'contributeur');
    expect(await closed).toMatch(/^votre rôle a changé/);
    await expectRefusedEdit(provider, 'fiches/epicerie-solidaire', 'Écrit avec l’ancien rôle.');
    await expect(connect(t.wsUrl, 'referentiel/resilience-alimentaire', denis.token)).rejects.toThrow(/ne permet pas de modifier/);
    const again = await connect(t.wsUrl, 'fiches/epicerie-solidaire', denis.token);
    expect(again.authorizedScope).toBe('read-write');
    provider.destroy();
    again.destroy();
  });

  it('closes the connections of a disabled account, which can no longer log in', async () => {
    const emma = await t.addUser('Emma Désactivée', 'relecteur', 'un mot de passe solide');
    const provider = await connect(t.wsUrl, 'fiches/repair-cafe', emma.token);
    const closed = nextClose(provider);
    await t.server.accounts.disableUser(emma.id);
    expect(await closed).toMatch(/^compte désactivé/);
    await expectRefusedEdit(provider, 'fiches/repair-cafe', 'Écrit par un compte désactivé.');
    await expect(connect(t.wsUrl, 'fiches/repair-cafe', emma.token)).rejects.toThrow(/jeton invalide/);
    const login = await post('/api/login', { email: emma.email, password: 'un mot de passe solide' });
    expect(login.status).toBe(403);
    expect((await login.json()).error).toMatch(/compte désactivé/);
    provider.destroy();
  });
});
