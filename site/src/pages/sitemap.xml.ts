/** sitemap.xml: every HTML page of the site, entry pages with their last change. */
import type { APIRoute } from 'astro';
import { getCommons } from '../lib/commons.ts';
import { getHistory } from '../lib/history.ts';
import { listingPages, listingUrl } from '../lib/listings.ts';
import { textResponse } from '../lib/text-response.ts';

const STATIC_PAGES = ['/', '/parcours/', '/autodiagnostic/', '/carte/', '/recherche/', '/referentiel/', '/reutiliser/', '/modifications/'];

export const GET: APIRoute = async ({ site }) => {
  const commons = await getCommons();
  const history = await getHistory();
  const urls: { loc: string; lastmod?: string }[] = STATIC_PAGES.map((path) => ({ loc: new URL(path, site).href }));
  for (const page of await listingPages()) urls.push({ loc: new URL(listingUrl(page.collection, page.filter, page.page), site).href });
  for (const entry of commons.entries) {
    const lastmod = history.byFile.get(entry.file)?.changes[0]?.date;
    urls.push({ loc: new URL(entry.url, site).href, ...(lastmod ? { lastmod } : {}) });
  }
  const body = `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
${urls.map((u) => `  <url><loc>${u.loc}</loc>${u.lastmod ? `<lastmod>${u.lastmod}</lastmod>` : ''}</url>`).join('\n')}
</urlset>
`;
  return textResponse(body, { headers: { 'content-type': 'application/xml; charset=utf-8' } });
};
