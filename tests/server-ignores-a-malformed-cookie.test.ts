/**
 * A cookie that is not valid percent-encoding is ignored like a missing one: the API answers as
 * for a visitor (or asks to log in), never with a 500 and a stack trace.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/editor-server.ts';

describe('a malformed session cookie', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t.close());

  const cookies = ['terreau_session=%E0%A4%A', 'terreau_session=%', 'autre=%ZZ; terreau_session=%E0%A4%A', 'terreau_session'];

  it.each(cookies)('is ignored by /api/session, /api/logout and /api/tokens (%s)', async (cookie) => {
    const session = await fetch(`${t.httpUrl}/api/session`, { headers: { Cookie: cookie } });
    expect(session.status).toBe(200);
    expect(await session.json()).toEqual({ user: null, token: null });
    const logout = await fetch(`${t.httpUrl}/api/logout`, { method: 'POST', headers: { Cookie: cookie } });
    expect(logout.status).toBe(204);
    const tokens = await fetch(`${t.httpUrl}/api/tokens`, { headers: { Cookie: cookie } });
    expect(tokens.status).toBe(401);
    expect(await tokens.text()).not.toMatch(/URIError|at .*\.ts/);
  });

  it('does not hide a valid session beside it', async () => {
    const alice = await t.addUser('Alice Miettes', 'contributeur', 'un mot de passe solide');
    const login = await fetch(`${t.httpUrl}/api/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: alice.email, password: 'un mot de passe solide' }),
    });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const session = await (await fetch(`${t.httpUrl}/api/session`, { headers: { Cookie: `bidon=%E0%A4%A; ${cookie}` } })).json();
    expect(session.user?.name).toBe('Alice Miettes');
  });
});
