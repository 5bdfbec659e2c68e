/**
 * Per-address limits count the client's address. Without TRUST_PROXY (the default) that is the
 * socket's address and X-Forwarded-For is ignored, so a client cannot escape a limit by writing
 * the header. With TRUST_PROXY naming the reverse proxy, its X-Forwarded-For names the client, so
 * clients behind it no longer share one budget, and what a client prepends is still ignored.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientAddress, trustedProxies } from '../editor-server/src/http/client-address.ts';
import { configFromEnvironment } from '../editor-server/src/config.ts';
import { startTestServer, type TestServer } from './helpers/editor-server.ts';

/** Opens WebSockets as if forwarded for the given addresses; resolves with how each was closed (null: still open). */
async function openSockets(wsUrl: string, forwardedFor: string[]): Promise<({ code: number; reason: string } | null)[]> {
  const closes: ({ code: number; reason: string } | null)[] = forwardedFor.map(() => null);
  const sockets = await Promise.all(
    forwardedFor.map(async (address, i) => {
      const socket = new WebSocket(wsUrl, { headers: { 'X-Forwarded-For': address } } as unknown as string[]);
      socket.addEventListener('close', (e) => (closes[i] = { code: e.code, reason: e.reason }));
      await new Promise((r) => socket.addEventListener('open', r));
      return socket;
    }),
  );
  await new Promise((r) => setTimeout(r, 400));
  for (const socket of sockets) socket.close();
  return closes;
}

async function failLogin(httpUrl: string, email: string, forwardedFor: string): Promise<number> {
  const response = await fetch(`${httpUrl}/api/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': forwardedFor },
    body: JSON.stringify({ email, password: 'pas le bon mot de passe' }),
  });
  return response.status;
}

describe('without TRUST_PROXY', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ limits: { maxConnectionsPerIp: 2 }, auth: { loginFreeFailures: 1 } });
  });
  afterAll(() => t.close());

  it('counts WebSockets by socket address, whatever X-Forwarded-For says', async () => {
    const closes = await openSockets(t.wsUrl, ['203.0.113.1', '203.0.113.2', '203.0.113.3']);
    expect(closes.filter((c) => c?.code === 4430)).toHaveLength(1);
  });

  // One address gets four times an account's free failures (login-throttle.ts): with one free
  // failure per account, the fifth account guessed from one address waits. Each guess is on another
  // account, so only the address's allowance counts.
  it('throttles logins by socket address, whatever X-Forwarded-For says', async () => {
    for (const n of [1, 2, 3, 4]) expect(await failLogin(t.httpUrl, `a${n}@exemple.fr`, `203.0.113.${n}`)).toBe(401);
    expect(await failLogin(t.httpUrl, 'a5@exemple.fr', '203.0.113.5')).toBe(429);
  });
});

describe('with TRUST_PROXY naming the proxy', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ trustProxy: ['127.0.0.1'], limits: { maxConnectionsPerIp: 2 }, auth: { loginFreeFailures: 1 } });
  });
  afterAll(() => t.close());

  it('gives each forwarded client its own WebSocket budget', async () => {
    const closes = await openSockets(t.wsUrl, ['203.0.113.1', '203.0.113.1', '203.0.113.2', '203.0.113.2', '203.0.113.1']);
    expect(closes.slice(0, 4)).toEqual([null, null, null, null]);
    expect(closes[4]).toMatchObject({ code: 4430, reason: expect.stringMatching(/trop de connexions/) });
  });

  it('believes only what the proxy appended: a prepended address changes nothing', async () => {
    const closes = await openSockets(t.wsUrl, ['198.51.100.7', '10.9.9.9, 198.51.100.7', '10.8.8.8, 198.51.100.7']);
    expect(closes.filter((c) => c?.code === 4430)).toHaveLength(1);
  });

  it('throttles logins per forwarded client', async () => {
    for (const n of [1, 2, 3, 4]) expect(await failLogin(t.httpUrl, `b${n}@exemple.fr`, '203.0.113.1')).toBe(401);
    expect(await failLogin(t.httpUrl, 'b5@exemple.fr', '203.0.113.1')).toBe(429);
    // Another person behind the same proxy is not slowed down by the first one's failures.
    expect(await failLogin(t.httpUrl, 'b6@exemple.fr', '203.0.113.2')).toBe(401);
  });
});

describe('the client address', () => {
  it('walks X-Forwarded-For from the nearest hop, through trusted proxies only', () => {
    const trusted = trustedProxies(['127.0.0.1', '10.0.0.0/8', 'fd00::/8']);
    expect(clientAddress('127.0.0.1', '203.0.113.9', undefined)).toBe('127.0.0.1');
    expect(clientAddress('192.0.2.1', '203.0.113.9', trusted)).toBe('192.0.2.1');
    expect(clientAddress('::ffff:127.0.0.1', '203.0.113.9', trusted)).toBe('203.0.113.9');
    expect(clientAddress('127.0.0.1', '198.51.100.1, 203.0.113.9, 10.1.2.3', trusted)).toBe('203.0.113.9');
    expect(clientAddress('fd12::1', '[2001:DB8::5]:4711', trusted)).toBe('2001:db8::5');
    expect(clientAddress('127.0.0.1', 'pas-une-adresse', trusted)).toBe('127.0.0.1');
    expect(clientAddress('127.0.0.1', '10.0.0.1, junk, 10.0.0.2', trusted)).toBe('10.0.0.2');
    expect(clientAddress('127.0.0.1', undefined, trusted)).toBe('127.0.0.1');
  });

  it('is configured by TRUST_PROXY, off by default, with a French error for a wrong value', () => {
    expect(configFromEnvironment({}).trustProxy).toBeUndefined();
    expect(configFromEnvironment({ TRUST_PROXY: 'off' }).trustProxy).toEqual([]);
    expect(configFromEnvironment({ TRUST_PROXY: '127.0.0.1, 10.0.0.0/8' }).trustProxy).toEqual(['127.0.0.1', '10.0.0.0/8']);
    expect(() => configFromEnvironment({ TRUST_PROXY: 'mon-proxy' })).toThrowErrorMatchingInlineSnapshot(
      `[ProblemError: variables d’environnement: TRUST_PROXY: attendu « off » ou des adresses IP ou plages CIDR séparées par des virgules, par exemple « 127.0.0.1,10.0.0.0/8 »]`,
    );
  });
});
