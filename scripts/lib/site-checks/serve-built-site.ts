/**
 * Serves a built site through the editor server's own static handler (the production server), on
 * 127.0.0.1 and a free port: what the checkers see is what readers get, headers included.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serveStaticSite } from '../../../editor-server/src/http/static-site.ts';

/** A served site; `close()` stops the server. */
export interface ServedSite {
  /** Origin, without a trailing slash, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** Bytes of the files sent so far, per path (to measure what a page fetches). */
  bytesSent: Map<string, number>;
  close(): Promise<void>;
}

/** Starts serving `siteDir` on 127.0.0.1, port 0. */
export async function serveBuiltSite(siteDir: string): Promise<ServedSite> {
  const bytesSent = new Map<string, number>();
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    response.on('finish', () => {
      const length = Number(response.getHeader('content-length') ?? 0);
      if (request.method === 'GET' && length > 0) bytesSent.set(url.pathname, (bytesSent.get(url.pathname) ?? 0) + length);
    });
    serveStaticSite(siteDir, request, response, url).catch(() => response.destroy());
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    bytesSent,
    close: () =>
      new Promise((done) => {
        server.close(() => done());
        // Chromium keeps connections alive: do not wait for it to hang up.
        server.closeAllConnections();
      }),
  };
}
