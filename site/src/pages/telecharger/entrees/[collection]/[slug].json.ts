/**
 * One static file per public entry, from which the browser assembles a reuse bundle of any
 * selection (an entry, a roadmap) with no server: its source, body, credits and JSON-LD.
 */
import type { APIRoute } from 'astro';
import { getBundleEntries } from '../../../../lib/bundle-entries.ts';

export async function getStaticPaths() {
  const { entries } = await getBundleEntries(new URL(import.meta.env.SITE));
  return entries.map((entry) => {
    const [collection, slug] = entry.ref.split('/');
    return { params: { collection, slug }, props: { entry } };
  });
}

export const GET: APIRoute = ({ props }) => Response.json(props.entry);
