/**
 * The bundle entries of this build (site side of `reuse-bundle.ts`): every public entry with its
 * source text, its body as its page shows it, its attribution and JSON-LD, and the data files of
 * the référentiel and the self-assessment grid. Computed once per build: the per-entry files, the
 * per-collection bundles and the whole-commons bundle all read them.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { linkCrossReferences } from '../../../core/body-html.ts';
import { authorNames, listAuthors } from '../../../core/authors.ts';
import { isPublicEntry } from '../../../core/editorial-status.ts';
import { dataCollections, mdxCollections } from '../../../schemas/common.ts';
import { attributionOf, joinFrench, jsonLdOf, licenceOf } from './attribution.ts';
import { getCommons, type Commons, type Entry } from './commons.ts';
import { getHistory } from './history.ts';
import { memoize } from './incremental-hooks.ts';
import { singularLabel } from './labels.ts';
import { contentDir } from './paths.ts';
import type { BundleEntry } from './reuse-bundle.ts';

/**
 * Public MDX entries (in collection order) and data files, as bundle entries: one shared
 * computation per generation, so the incremental publisher makes the bundles again when it changes.
 */
export function getBundleEntries(site: URL): Promise<{ entries: BundleEntry[]; data: BundleEntry[] }> {
  return memoize('bundleEntries', () => loadBundleEntries(site));
}

async function loadBundleEntries(site: URL): Promise<{ entries: BundleEntry[]; data: BundleEntry[] }> {
  const [commons, history] = await Promise.all([getCommons(), getHistory()]);
  const publicEntries = mdxCollections.flatMap((collection) => (commons.byCollection[collection] as Entry[]).filter((e) => isPublicEntry(e.data)));
  const entries = await mapLimited(publicEntries, 64, async (entry) => bundleEntryOf(entry, commons, history.byFile.get(entry.file), site));
  const data: BundleEntry[] = [];
  for (const collection of dataCollections) {
    const files = (await readdir(join(contentDir, collection)).catch(() => [] as string[])).filter((f) => f.endsWith('.yaml')).sort();
    for (const file of files) {
      const path = `${collection}/${file}`;
      const source = await readFile(join(contentDir, path), 'utf8');
      const parsed = (parseYaml(source) ?? {}) as { titre?: string };
      // The same author list as the entries: people of the history, the collective for the import.
      const authors = listAuthors(history.byFile.get(path), [], site);
      const names = authorNames(authors);
      const url = new URL(`/${collection}/`, site).href;
      const title = `${collection === 'referentiel' ? 'Référentiel' : 'Auto-diagnostic'} — ${parsed.titre ?? file.replace(/\.yaml$/, '')}`;
      const licence = licenceOf('CC-BY-SA-4.0');
      data.push({
        ref: path.replace(/\.yaml$/, ''),
        file: path,
        kind: collection === 'referentiel' ? 'axe du référentiel' : 'grille d’auto-diagnostic',
        title,
        url,
        source,
        html: null,
        authors: names,
        licence,
        jsonLd: {
          '@context': 'https://schema.org',
          '@type': 'Dataset',
          name: title,
          url,
          license: licence.url,
          inLanguage: 'fr',
          creator: [
            ...authors.people.map((person) => ({ '@type': 'Person', name: person.name })),
            ...authors.organisations.map((organisation) => ({ '@type': 'Organization', name: organisation.name, ...(organisation.url ? { url: organisation.url } : {}) })),
          ],
        },
        creditLine: `« ${title} », par ${joinFrench(names)}, Terreau, ${url}, licence ${licence.name} (${licence.url}).`,
      });
    }
  }
  return { entries, data };
}

/** One public entry as a bundle entry. */
async function bundleEntryOf(entry: Entry, commons: Commons, history: Parameters<typeof attributionOf>[1], site: URL): Promise<BundleEntry> {
  const attribution = attributionOf(entry, history, commons, site);
  const html = linkCrossReferences(entry.source.rendered?.html ?? '', (ref) => {
    const target = commons.byRef.get(ref);
    return target && { url: target.url, title: target.data.titre, kind: singularLabel(target.collection) };
  });
  return {
    ref: entry.ref,
    file: entry.file,
    kind: singularLabel(entry.collection),
    title: entry.data.titre,
    summary: entry.data.resume,
    url: attribution.sourceUrl,
    source: await readFile(join(contentDir, entry.file), 'utf8'),
    html,
    authors: authorNames(attribution.authors),
    licence: attribution.licence,
    ...(attribution.basedOn ? { basedOn: attribution.basedOn } : {}),
    jsonLd: jsonLdOf(entry, attribution, history),
    creditLine: attribution.creditLine,
  };
}

async function mapLimited<T, R>(items: readonly T[], limit: number, map: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += limit) results.push(...(await Promise.all(items.slice(i, i + limit).map(map))));
  return results;
}
