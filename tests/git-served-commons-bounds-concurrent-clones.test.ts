import { request as httpRequest, type ClientRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, waitFor, type TestServer } from './helpers/editor-server.ts';

/**
 * Starts a fetch negotiation whose body never ends: it holds one backend until the server stops
 * it. Resolves with how the exchange ended: `cut` (the server closed the connection) or a status.
 */
function holdBackend(t: TestServer): { request: ClientRequest; ended: Promise<number | 'cut'> } {
  const request = httpRequest(`${t.httpUrl}/commons.git/git-upload-pack`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-git-upload-pack-request', 'Transfer-Encoding': 'chunked' },
  });
  request.write('0032want ');
  const ended = new Promise<number | 'cut'>((resolve) => {
    request.on('response', (response) => {
      response.on('error', () => resolve('cut'));
      response.on('aborted', () => resolve('cut'));
      response.on('end', () => resolve(response.statusCode ?? 0));
      response.resume();
    });
    request.on('error', () => resolve('cut'));
  });
  return { request, ended };
}

describe('clones of <site>/commons.git', { timeout: 300_000 }, () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ clone: { maxConcurrent: 1, maxQueued: 1, maxPerAddress: 10, timeoutMs: 2_000 } });
  });
  afterAll(() => t.close());

  it('run a few at a time, make a short queue wait, turn the rest away, and stop after their time limit', async () => {
    const first = holdBackend(t);
    await waitFor(() => t.server.commonsGit.activeBackends === 1, 5_000, 'premier clonage');
    const second = holdBackend(t); // waits for the first one's slot
    await new Promise((r) => setTimeout(r, 200));
    const third = await fetch(`${t.httpUrl}/commons.git/info/refs?service=git-upload-pack`);
    expect(third.status).toBe(503);
    expect(third.headers.get('retry-after')).toBeTruthy();
    expect(await third.text()).toContain('réessayez');
    // The first one is stopped at its time limit; the second then gets the slot and meets the same limit.
    const started = Date.now();
    expect(['cut', 504]).toContain(await first.ended);
    expect(['cut', 504]).toContain(await second.ended);
    expect(Date.now() - started).toBeGreaterThan(1_500);
    await waitFor(() => t.server.commonsGit.activeBackends === 0, 5_000, 'fin des clonages');
    // Once they are gone, clones are served again.
    const again = await fetch(`${t.httpUrl}/commons.git/info/refs?service=git-upload-pack`);
    expect(again.status).toBe(200);
    expect(again.headers.get('content-type')).toBe('application/x-git-upload-pack-advertisement');
    await again.arrayBuffer();
    first.request.destroy();
    second.request.destroy();
  });
});
