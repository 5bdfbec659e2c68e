/** Atom feed of the changes of one entry. */
import type { APIRoute } from 'astro';
import { getCommons, type Entry } from '../../../lib/commons.ts';
import { renderAtomFeed } from '../../../lib/feeds.ts';
import { getHistory } from '../../../lib/history.ts';
import { textResponse } from '../../../lib/text-response.ts';

export async function getStaticPaths() {
  const commons = await getCommons();
  return commons.entries.map((entry) => ({ params: { collection: entry.collection, slug: entry.slug }, props: { ref: entry.ref } }));
}

export const GET: APIRoute = async ({ props, site }) => {
  const entry = (await getCommons()).byRef.get(props.ref as string) as Entry;
  const changes = (await getHistory()).byFile.get(entry.file)?.changes ?? [];
  const pageUrl = new URL(entry.url, site).href;
  const historyUrl = new URL(`${entry.url}historique/`, site).href;
  const body = renderAtomFeed({
    id: pageUrl,
    site: site!,
    title: `Terreau — modifications de « ${entry.data.titre} »`,
    selfUrl: new URL(`${entry.url}modifications.xml`, site).href,
    pageUrl,
    items: changes.map((change) => ({ change, title: entry.data.titre, url: `${historyUrl}#c-${change.commit.slice(0, 12)}` })),
  });
  return textResponse(body, { headers: { 'content-type': 'application/atom+xml; charset=utf-8' } });
};
