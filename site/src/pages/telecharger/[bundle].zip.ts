/**
 * The reuse bundles built with the site: the whole commons (`terreau-commun.zip`: every public
 * entry and the data files) and one per collection (`terreau-fiches.zip`…). Dated by the last
 * change of the commons, so an unchanged commons gives the same bytes at every build.
 */
import type { APIRoute } from 'astro';
import licenceText from '../../../../LICENSES/CC-BY-SA-4.0.txt?raw';
import { mdxCollections } from '../../../../schemas/common.ts';
import { getBundleEntries } from '../../lib/bundle-entries.ts';
import { getHistory } from '../../lib/history.ts';
import { collectionLabel } from '../../lib/labels.ts';
import { bundleFiles, zipBundle } from '../../lib/reuse-bundle.ts';

export function getStaticPaths() {
  return [{ params: { bundle: 'terreau-commun' } }, ...mdxCollections.map((collection) => ({ params: { bundle: `terreau-${collection}` } }))];
}

export const GET: APIRoute = async ({ params, site }) => {
  const { entries, data } = await getBundleEntries(site!);
  const collection = params.bundle!.replace(/^terreau-/, '');
  const whole = collection === 'commun';
  const chosen = whole ? [...entries, ...data] : entries.filter((e) => e.ref.startsWith(`${collection}/`));
  const lastChange = (await getHistory()).changes[0]?.date;
  const generatedAt = lastChange ? new Date(lastChange) : new Date();
  const files = bundleFiles(chosen, {
    title: whole ? 'Terreau — tout le commun' : `Terreau — ${collectionLabel(collection).toLowerCase()}`,
    name: params.bundle!,
    site: new URL('/', site).href,
    licenceText,
    generatedAt,
  });
  return new Response(zipBundle(files, generatedAt), { headers: { 'Content-Type': 'application/zip' } });
};
