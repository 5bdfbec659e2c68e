/** Atom feed of the latest changes of the public commons (brouillons never appear). */
import type { APIRoute } from 'astro';
import { getCommons } from '../lib/commons.ts';
import { renderAtomFeed } from '../lib/feeds.ts';
import { getHistory } from '../lib/history.ts';
import { recentChanges } from '../lib/recent-changes.ts';
import { textResponse } from '../lib/text-response.ts';

export const GET: APIRoute = async ({ site }) => {
  const changes = recentChanges(await getHistory(), await getCommons(), 50);
  const body = renderAtomFeed({
    id: new URL('/', site).href,
    site: site!,
    title: 'Terreau — modifications récentes',
    selfUrl: new URL('/modifications.xml', site).href,
    pageUrl: new URL('/modifications/', site).href,
    items: changes.map(({ change, entry, target }) => ({
      change,
      title: target?.title ?? change.file,
      url: new URL(entry ? `${entry.url}historique/#c-${change.commit.slice(0, 12)}` : (target?.url ?? '/modifications/'), site).href,
    })),
  });
  return textResponse(body, { headers: { 'content-type': 'application/atom+xml; charset=utf-8' } });
};
