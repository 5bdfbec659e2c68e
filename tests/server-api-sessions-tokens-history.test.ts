import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acknowledged, appendParagraph, connect, startTestServer, waitFor, type TestServer } from './helpers/editor-server.ts';

describe('HTTP API of the editor server', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ auth: { loginFreeFailures: 3 } });
  });
  afterAll(() => t.close());

  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${t.httpUrl}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });

  it('logs in with a password into an HttpOnly SameSite cookie whose session gives a collaboration token', async () => {
    const alice = await t.addUser('Alice Martin', 'contributeur', 'un mot de passe solide');
    const login = await post('/api/login', { email: alice.email, password: 'un mot de passe solide' });
    expect(login.status).toBe(200);
    const cookie = login.headers.get('set-cookie')!;
    expect(cookie).toMatch(/terreau_session=[^;]+; Path=\/; HttpOnly; SameSite=Lax/);
    const session = await (await fetch(`${t.httpUrl}/api/session`, { headers: { Cookie: cookie.split(';')[0]! } })).json();
    expect(session.user).toEqual({ id: alice.id, name: 'Alice Martin', role: 'contributeur' });
    const provider = await connect(t.wsUrl, 'fiches/jardin-partage', session.token);
    expect(provider.isAuthenticated && provider.authorizedScope).toBe('read-write');
    provider.destroy();

    const logout = await fetch(`${t.httpUrl}/api/logout`, { method: 'POST', headers: { Cookie: cookie.split(';')[0]! } });
    expect(logout.status).toBe(204);
    const after = await (await fetch(`${t.httpUrl}/api/session`, { headers: { Cookie: cookie.split(';')[0]! } })).json();
    expect(after).toEqual({ user: null, token: null });
    await expect(connect(t.wsUrl, 'fiches/jardin-partage', session.token)).rejects.toThrow(/jeton invalide/);
  });

  it('throttles failed logins', async () => {
    const bob = await t.addUser('Bob Durand', 'contributeur', 'un autre mot de passe');
    for (let i = 0; i < 3; i++) expect((await post('/api/login', { email: bob.email, password: 'faux mot de passe' })).status).toBe(401);
    const blocked = await post('/api/login', { email: bob.email, password: 'un autre mot de passe' });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await blocked.json()).error).toMatch(/trop d’essais/);
  });

  it('rejects malformed bodies with the field at fault', async () => {
    const response = await post('/api/login', { email: 'x' });
    expect(response.status).toBe(400);
    expect((await response.json()).error).toMatchInlineSnapshot(`"corps de la requête: password: champ obligatoire manquant"`);
  });

  it('creates, lists and revokes personal tokens for a Bearer caller', async () => {
    const chloe = await t.addUser('Chloé Petit');
    const auth = { Authorization: `Bearer ${chloe.token}` };
    const created = await (await post('/api/tokens', { label: 'script' }, auth)).json();
    expect(created.token).toMatch(/^trr_/);
    const list = await (await fetch(`${t.httpUrl}/api/tokens`, { headers: auth })).json();
    expect(list.tokens.map((x: { label: string }) => x.label)).toContain('script');
    expect((await fetch(`${t.httpUrl}/api/tokens/${created.id}`, { method: 'DELETE', headers: auth })).status).toBe(204);
    expect((await fetch(`${t.httpUrl}/api/tokens`)).status).toBe(401);
  });

  it('reports health and the history of an entry with its co-authors', async () => {
    const health = await (await fetch(`${t.httpUrl}/api/health`)).json();
    expect(health).toMatchObject({ status: 'ok', site: false });
    const a = await t.addUser('Alice Histoire');
    const b = await t.addUser('Bob Histoire');
    const pa = await connect(t.wsUrl, 'fiches/cantine-locale', a.token);
    const pb = await connect(t.wsUrl, 'fiches/cantine-locale', b.token);
    appendParagraph(pa.document, 'Phrase A.');
    appendParagraph(pa.document, 'Phrase A bis.');
    await acknowledged(pa);
    appendParagraph(pb.document, 'Phrase B.');
    await acknowledged(pb);
    pa.destroy();
    pb.destroy();
    let history: { commits: { author: { name: string }; coAuthors: { name: string }[] }[] } = { commits: [] };
    await waitFor(async () => {
      history = await (await fetch(`${t.httpUrl}/api/history?doc=fiches/cantine-locale`)).json();
      return history.commits.length >= 2;
    });
    expect(history.commits[0]).toMatchObject({ author: { name: 'Alice Histoire' }, coAuthors: [{ name: 'Bob Histoire' }] });
    expect((await fetch(`${t.httpUrl}/api/history?doc=../../etc/passwd`)).status).toBe(400);
  });

  it('serves the built site and nothing outside it', async () => {
    expect((await fetch(`${t.httpUrl}/`)).status).toBe(503);
    mkdirSync(join(t.dataDir, 'site', 'fiches', 'x'), { recursive: true });
    writeFileSync(join(t.dataDir, 'site', 'index.html'), '<h1>Terreau</h1>');
    writeFileSync(join(t.dataDir, 'site', 'fiches', 'x', 'index.html'), '<h1>X</h1>');
    expect(await (await fetch(`${t.httpUrl}/`)).text()).toBe('<h1>Terreau</h1>');
    expect(await (await fetch(`${t.httpUrl}/fiches/x/`)).text()).toBe('<h1>X</h1>');
    expect((await fetch(`${t.httpUrl}/fiches/x`, { redirect: 'manual' })).status).toBe(301);
    expect((await fetch(`${t.httpUrl}/%2e%2e/terreau.sqlite`)).status).toBe(404);
    expect((await fetch(`${t.httpUrl}/..%2fterreau.sqlite`)).status).toBe(404);
  });
});
