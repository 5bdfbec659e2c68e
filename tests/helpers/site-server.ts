/** Serves a built static site on 127.0.0.1 (port 0) for browser tests, with the production static server. */
import { serveBuiltSite, type ServedSite } from '../../scripts/lib/site-checks/serve-built-site.ts';

/** A running static server; `close()` stops it. */
export type SiteServer = ServedSite;

/** Serves `root` until closed: the editor server's own static handler, so tests see what readers get. */
export function serveSite(root: string): Promise<SiteServer> {
  return serveBuiltSite(root);
}
