/**
 * The collaboration token /api/session hands to page scripts (`trs_`) can neither create nor list
 * nor revoke personal tokens, so a script injected into a page cannot turn it into a `trr_` token
 * that survives logout. It opens connections for a few minutes only, bound to its session:
 * forged expiries are refused, and a connection opened in time lives on with its session.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acknowledged, appendParagraph, bodyText, connect, startTestServer, type TestServer } from './helpers/editor-server.ts';

describe('a session’s collaboration token', () => {
  let t: TestServer;
  let cookie: string;
  let sessionToken: string;
  const lifetimeMs = 2_000;

  beforeAll(async () => {
    t = await startTestServer({ auth: { collabTokenLifetimeMs: lifetimeMs } });
    const alice = await t.addUser('Alice Session', 'contributeur', 'un mot de passe solide');
    const login = await fetch(`${t.httpUrl}/api/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: alice.email, password: 'un mot de passe solide' }),
    });
    cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    sessionToken = ((await login.json()) as { token: string }).token;
  });
  afterAll(() => t.close());

  it('cannot create, list or revoke personal tokens', async () => {
    const auth = { Authorization: `Bearer ${sessionToken}`, 'Content-Type': 'application/json' };
    const created = await fetch(`${t.httpUrl}/api/tokens`, { method: 'POST', headers: auth, body: JSON.stringify({ label: 'vol' }) });
    expect(created.status).toBe(403);
    expect((await created.json()).error).toMatch(/jeton de session sert seulement à la collaboration/);
    expect((await fetch(`${t.httpUrl}/api/tokens`, { headers: auth })).status).toBe(403);
    expect((await fetch(`${t.httpUrl}/api/tokens/t0123456789ab`, { method: 'DELETE', headers: auth })).status).toBe(403);
    // The person, logged in with the cookie, still manages their tokens.
    const own = await fetch(`${t.httpUrl}/api/tokens`, { method: 'POST', headers: { Cookie: cookie, 'Content-Type': 'application/json' }, body: JSON.stringify({ label: 'script' }) });
    expect(own.status).toBe(201);
    expect((await own.json()).token).toMatch(/^trr_/);
  });

  it('refuses a forged expiry or a token without one', async () => {
    const [handle, expiry, mac] = sessionToken.split('.') as [string, string, string];
    const later = (parseInt(expiry, 36) + 3_600_000).toString(36);
    await expect(connect(t.wsUrl, 'fiches/jardin-partage', `${handle}.${later}.${mac}`)).rejects.toThrow(/jeton invalide/);
    await expect(connect(t.wsUrl, 'fiches/jardin-partage', handle)).rejects.toThrow(/jeton invalide/);
  });

  it('opens connections only until it expires; an open connection lives on, and the session hands out a fresh token', async () => {
    const { token } = (await (await fetch(`${t.httpUrl}/api/session`, { headers: { Cookie: cookie } })).json()) as { token: string };
    const open = await connect(t.wsUrl, 'fiches/cantine-locale', token);
    await new Promise((r) => setTimeout(r, lifetimeMs + 300));
    await expect(connect(t.wsUrl, 'fiches/cantine-locale', token)).rejects.toThrow(/jeton invalide/);
    appendParagraph(open.document, 'Écrit sur une connexion ouverte à temps.');
    await acknowledged(open);
    expect(bodyText(t.server.hocuspocus.documents.get('fiches/cantine-locale')!)).toContain('Écrit sur une connexion ouverte à temps.');
    const fresh = (await (await fetch(`${t.httpUrl}/api/session`, { headers: { Cookie: cookie } })).json()) as { token: string };
    const again = await connect(t.wsUrl, 'fiches/cantine-locale', fresh.token);
    expect(again.authorizedScope).toBe('read-write');
    open.destroy();
    again.destroy();
  });

  it('dies with the session', async () => {
    const { token } = (await (await fetch(`${t.httpUrl}/api/session`, { headers: { Cookie: cookie } })).json()) as { token: string };
    expect((await fetch(`${t.httpUrl}/api/logout`, { method: 'POST', headers: { Cookie: cookie } })).status).toBe(204);
    await expect(connect(t.wsUrl, 'fiches/jardin-partage', token)).rejects.toThrow(/jeton invalide/);
  });
});
