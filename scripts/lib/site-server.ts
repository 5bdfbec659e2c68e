/** Serves a built site on 127.0.0.1 (port 0) with the production static server, counting the bytes each path sends. */
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { requestUrl } from '../../editor-server/src/http/http-utils.ts';
import { serveStaticSite } from '../../editor-server/src/http/static-site.ts';

/** A running static server; `close()` stops it. */
export interface SiteServer {
  url: string;
  /** Bytes sent so far, per path (to measure what a page fetches). */
  bytesSent: Map<string, number>;
  close(): Promise<void>;
}

/** Serves `root` until closed, exactly as `npm start` serves the published site. */
export async function serveSite(root: string): Promise<SiteServer> {
  const bytesSent = new Map<string, number>();
  const server: Server = createServer((request, response) => {
    const url = requestUrl(request);
    // The body's bytes as written: headers given to writeHead() are not readable with getHeader().
    let length = 0;
    const count = (chunk: unknown) => {
      if (typeof chunk === 'string') length += Buffer.byteLength(chunk);
      else if (chunk instanceof Uint8Array) length += chunk.length;
    };
    const write = response.write.bind(response) as (...args: unknown[]) => boolean;
    response.write = ((chunk: unknown, ...rest: unknown[]) => (count(chunk), write(chunk, ...rest))) as typeof response.write;
    const end = response.end.bind(response) as (...args: unknown[]) => ServerResponse;
    response.end = ((chunk?: unknown, ...rest: unknown[]) => (count(chunk), end(chunk, ...rest))) as typeof response.end;
    response.on('finish', () => {
      if (request.method === 'GET') bytesSent.set(url.pathname, (bytesSent.get(url.pathname) ?? 0) + length);
    });
    serveStaticSite(root, request, response, url).catch(() => {
      if (!response.headersSent) response.writeHead(500);
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    bytesSent,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        // Chromium keeps connections alive: do not wait for it to hang up.
        server.closeAllConnections();
      }),
  };
}
