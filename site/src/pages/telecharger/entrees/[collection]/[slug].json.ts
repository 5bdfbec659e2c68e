/**
 * One static file per public entry, from which the browser assembles a reuse bundle of any
 * selection (an entry, a roadmap) with no server: its source, body, credits and JSON-LD. Each file
 * reads only its entry, so a commit makes again only the files of the entries it changed.
 */
import type { APIRoute } from 'astro';
import { mdxCollections } from '../../../../../../schemas/common.ts';
import { getBundleEntry } from '../../../../lib/bundle-entries.ts';
import { getCommons } from '../../../../lib/commons.ts';

export async function getStaticPaths() {
  const commons = await getCommons();
  return mdxCollections.flatMap((collection) => commons.byCollection[collection].map((entry) => ({ params: { collection, slug: entry.slug } })));
}

export const GET: APIRoute = async ({ params, site }) => Response.json(await getBundleEntry(`${params.collection}/${params.slug}`, site!));
