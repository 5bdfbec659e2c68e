import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestServer } from './helpers/editor-server.ts';

describe('login throttling', () => {
  let dataDir: string;
  afterAll(async () => {
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('still holds after the server restarts', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'terreau-throttle-'));
    const options = { dataDir, auth: { loginFreeFailures: 3, loginBaseDelayMs: 10 * 60_000 } };
    const login = (url: string, email: string, password: string) =>
      fetch(`${url}/api/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email, password }) });

    const first = await startTestServer(options);
    const bob = await first.addUser('Bob Durand', 'contributeur', 'le bon mot de passe');
    for (let i = 0; i < 3; i++) expect((await login(first.httpUrl, bob.email, 'un mauvais mot de passe')).status).toBe(401);
    await first.close();

    const second = await startTestServer(options);
    try {
      const blocked = await login(second.httpUrl, bob.email, 'le bon mot de passe');
      expect(blocked.status).toBe(429);
      // The first wait after the free failures (growing delays, no hard lock), said in minutes.
      expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(300);
      expect((await blocked.json()).error).toMatch(/^trop d’essais infructueux pour ce compte : réessayez dans ([6-9]|10) minutes$/);
    } finally {
      await second.close();
    }
  });
});
