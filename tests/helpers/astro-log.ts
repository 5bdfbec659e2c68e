/** Reading Astro's `info` build log: which pages it rendered and which it copied from its incremental cache. */
import { stripVTControlCharacters } from 'node:util';

export interface LoggedPage {
  path: string;
  /** Copied from the previous build (`restored` or `cached`) rather than rendered. */
  copied: boolean;
}

/**
 * Lists the pages of a build log. Astro colours its log when CI is set, even into a pipe, and with
 * several pages in flight a page's line may be cut by the next one's: split on the tree markers.
 */
export function pagesInAstroLog(log: string): LoggedPage[] {
  return stripVTControlCharacters(log)
    .split(/[├└]─ /)
    .slice(1)
    .map((chunk) => ({ path: chunk.split(/[\s(]|\d\d:\d\d:\d\d/)[0]!, copied: /^\S+ \((restored|cached)\)/.test(chunk) }));
}
