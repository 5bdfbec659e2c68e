/** Atom feed of the latest changes of the whole commons. */
import type { APIRoute } from 'astro';
import { getCommons } from '../lib/commons.ts';
import { renderAtomFeed } from '../lib/feeds.ts';
import { getHistory } from '../lib/history.ts';
import { recentChanges } from '../lib/recent-changes.ts';

export const GET: APIRoute = async ({ site }) => {
  const changes = recentChanges(await getHistory(), await getCommons(), 50);
  const body = renderAtomFeed({
    id: new URL('/', site).href,
    title: 'Terreau — modifications récentes',
    selfUrl: new URL('/modifications.xml', site).href,
    pageUrl: new URL('/modifications/', site).href,
    items: changes.map(({ change, entry }) => ({
      change,
      title: entry?.data.titre ?? change.file,
      url: new URL(entry ? `${entry.url}historique/` : '/modifications/', site).href,
    })),
  });
  return new Response(body, { headers: { 'content-type': 'application/atom+xml; charset=utf-8' } });
};
