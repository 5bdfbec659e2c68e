/**
 * Serves the built site (DATA_DIR/site) as static files: `/x/` → `/x/index.html`, the site's
 * 404.html for unknown paths, and no path can leave the site directory. An image of the commons
 * uploaded since the last build is served from the commons itself, so the editor shows it at once.
 * Every response carries the security headers (security-headers.ts).
 */
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, relative, sep } from 'node:path';
import { pageSecurityHeaders } from './security-headers.ts';
import { parseMediaSrc } from '../../../core/medias.ts';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  // The open data files (/donnees/): a browser or a data tool must see what they are.
  '.csv': 'text/csv; charset=utf-8',
  '.geojson': 'application/geo+json',
  '.xml': 'application/xml; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.zip': 'application/zip',
  '.wasm': 'application/wasm',
  '.pf_meta': 'application/octet-stream',
  '.pf_index': 'application/octet-stream',
  '.pf_fragment': 'application/octet-stream',
  '.pagefind': 'application/octet-stream',
};

/** Serves one GET/HEAD request from `siteDir` (and images not built yet from `commonsDir`). */
export async function serveStaticSite(siteDir: string, request: IncomingMessage, response: ServerResponse, url: URL, commonsDir?: string): Promise<void> {
  // Every answer, redirects and errors included, carries them.
  for (const [name, value] of Object.entries(pageSecurityHeaders)) response.setHeader(name, value);
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405, { Allow: 'GET, HEAD' }).end();
    return;
  }
  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    response.writeHead(400).end();
    return;
  }
  // The site is published by moving a link (site-publisher.ts): read one version throughout.
  const root = normalize((await realpath(siteDir).catch(() => siteDir)) + sep);
  let file = normalize(join(root, pathname));
  if (!file.startsWith(root) || pathname.includes('\0')) {
    response.writeHead(404).end();
    return;
  }
  let info = await stat(file).catch(() => undefined);
  if (info?.isDirectory()) {
    if (!pathname.endsWith('/')) {
      // From the normalised file, not the request: `/a/..//x` would otherwise give `//x/`, which a
      // browser reads as another host.
      const sitePath = relative(root, file).split(sep).map(encodeURIComponent).join('/');
      response.writeHead(301, { Location: `/${sitePath}/${url.search}` }).end();
      return;
    }
    file = join(file, 'index.html');
    info = await stat(file).catch(() => undefined);
  }
  let status = 200;
  // Only a path an image may have, checked by the one pattern: nothing else of the commons is served.
  const media = commonsDir && !info?.isFile() ? parseMediaSrc(pathname) : undefined;
  if (media) {
    file = join(commonsDir!, ...media.file.split('/'));
    info = await stat(file).catch(() => undefined);
  }
  if (!info?.isFile()) {
    status = 404;
    file = join(root, '404.html');
    info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) {
      const building = !(await stat(join(root, 'index.html')).catch(() => undefined));
      response.writeHead(building ? 503 : 404, { 'Content-Type': 'text/plain; charset=utf-8', ...(building ? { 'Retry-After': '30' } : {}) });
      response.end(building ? 'Le site est en cours de construction : réessayez dans un instant.' : 'Page introuvable.');
      return;
    }
  }
  const type = contentTypes[extname(file).toLowerCase()] ?? 'application/octet-stream';
  // Hashed assets never change; pages do at every publication.
  const cache = url.pathname.startsWith('/_astro/') ? 'public, max-age=31536000, immutable' : 'no-cache';
  response.writeHead(status, { 'Content-Type': type, 'Content-Length': String(info.size), 'Cache-Control': cache });
  if (request.method === 'HEAD') {
    response.end();
    return;
  }
  createReadStream(file).on('error', () => response.destroy()).pipe(response);
}
