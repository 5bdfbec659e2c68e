/** Where the static reuse files are published (shared by the build and the browser). */

/** Folder of the reuse bundles and per-entry files. */
export const BUNDLE_PATH = '/telecharger';

/** Address of an entry's static bundle file (fetched by the browser to assemble a selection). */
export function bundleEntryUrl(ref: string): string {
  return `${BUNDLE_PATH}/entrees/${ref}.json`;
}

/** Address of a bundle built with the site: `commun` (everything) or a collection. */
export function builtBundleUrl(scope: string): string {
  return `${BUNDLE_PATH}/terreau-${scope}.zip`;
}
