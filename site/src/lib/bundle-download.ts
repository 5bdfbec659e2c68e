/**
 * In the browser: a reuse bundle of any selection (one entry, the entries of a roadmap), assembled
 * from the static per-entry files with the same code as the bundles built with the site, zipped
 * with fflate and handed to the reader as a download. No server is involved.
 */
import { bundleEntryUrl } from './bundle-paths.ts';
import { bundleFiles, zipBundle, type BundleEntry } from './reuse-bundle.ts';

/** Fetches the entries' files and the licence, builds the ZIP, and starts the download. */
export async function downloadBundle(refs: readonly string[], title: string, name: string): Promise<number> {
  const unique = [...new Set(refs)];
  const [licenceText, ...entries] = await Promise.all([
    fetchOk('/telecharger/CC-BY-SA-4.0.txt').then((r) => r.text()),
    ...unique.map((ref) => fetchOk(bundleEntryUrl(ref)).then((r) => r.json() as Promise<BundleEntry>)),
  ]);
  const generatedAt = new Date();
  const zip = zipBundle(bundleFiles(entries as BundleEntry[], { title, name, site: new URL('/', location.href).href, licenceText: licenceText as string, generatedAt }), generatedAt);
  const url = URL.createObjectURL(new Blob([zip as BlobPart], { type: 'application/zip' }));
  const link = Object.assign(document.createElement('a'), { href: url, download: `${name}.zip` });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return zip.length;
}

async function fetchOk(url: string): Promise<Response> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url} : ${response.status}`);
  return response;
}
