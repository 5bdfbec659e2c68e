/**
 * A directory asked without its final slash is redirected to it; the Location is built from the
 * normalised path, so no request (`/a/..//_astro`, `/\host`) can make it `//host/…`, which a
 * browser follows to another site.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/editor-server.ts';

/** Sends a GET with the path exactly as written (fetch would normalise it first). */
function rawGet(port: number, path: string): Promise<{ status: number; location: string | undefined }> {
  return new Promise((resolvePromise, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET' }, (response) => {
      response.resume();
      resolvePromise({ status: response.statusCode!, location: response.headers.location });
    });
    req.on('error', reject);
    req.end();
  });
}

describe('redirects of the static site', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
    mkdirSync(join(t.dataDir, 'site', '_astro'), { recursive: true });
    mkdirSync(join(t.dataDir, 'site', 'fiches', 'x'), { recursive: true });
    writeFileSync(join(t.dataDir, 'site', 'index.html'), '<h1>Terreau</h1>');
    writeFileSync(join(t.dataDir, 'site', '_astro', 'index.html'), 'x');
    writeFileSync(join(t.dataDir, 'site', 'fiches', 'x', 'index.html'), '<h1>X</h1>');
  });
  afterAll(() => t.close());

  it.each(['/a/..//_astro', '//_astro', '/fiches/..//_astro', '/./_astro', '/%2e/_astro', '/\\_astro', '/a/..\\/_astro'])(
    'never point to another host (%s)',
    async (path) => {
      const { status, location } = await rawGet(t.port, path);
      if (status === 301) {
        expect(location).toMatch(/^\/[^/\\]/);
        expect(location).toBe('/_astro/');
      } else expect([200, 404]).toContain(status);
    },
  );

  it('keep the query of an ordinary redirect', async () => {
    expect(await rawGet(t.port, '/fiches/x?vue=1')).toEqual({ status: 301, location: '/fiches/x/?vue=1' });
    expect(await rawGet(t.port, '/fiches//x')).toEqual({ status: 301, location: '/fiches/x/' });
  });
});
