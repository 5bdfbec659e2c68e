/**
 * Entries read and rendered ahead of the content loader. A full build validates the content tree
 * in a thread of its own (scripts/lib/tree-checker.ts), which reads and parses every file; that
 * thread also renders each valid body and hands the result over here, so that the loader
 * (entry-loader.ts), on Astro's thread, neither parses YAML nor MDX a second time. Found through
 * a global symbol, as the page indexer is; with nothing registered (`astro dev`, `astro build`,
 * the incremental publisher's changed files), the loader reads and renders each file itself.
 */
import { createHash } from 'node:crypto';
import type { RenderedBody } from '../../../core/body-html.ts';
import { processSlot } from './process-slot.ts';

/** An entry as the thread prepared it: the same functions made it as the loader would. */
export interface PreparedEntry {
  /** Path in the content tree (`fiches/jardin-partage.mdx`). */
  file: string;
  /** `textDigest` of the text it was made from. */
  digest: string;
  slug: string;
  /** The frontmatter as read, before the collection's schema. */
  data: unknown;
  rendered: StoredBody;
}

/** A rendered body as the loader stores it (Astro's `rendered`: its HTML and metadata). */
export interface StoredBody {
  html: string;
  metadata: { headings: RenderedBody['headings']; references: string[]; medias: { src: string; alt: string }[] };
}

/** What the loader stores of a rendered body. */
export function storedBody({ html, headings, references, images }: RenderedBody): StoredBody {
  return { html, metadata: { headings, references: references.map((r) => r.ref), medias: images.map(({ src, alt }) => ({ src, alt })) } };
}

/** Where prepared entries come from. */
export interface PreparedEntries {
  /** The entry prepared from `file`, once the thread has reached it; undefined if it did not prepare it. */
  take(file: string): Promise<PreparedEntry | undefined>;
}

/** A digest of a file's text, to check that an entry was prepared from the text the loader read. */
export function textDigest(text: string): string {
  return createHash('sha1').update(text).digest('base64');
}

const slot = processSlot<PreparedEntries>('preparedEntries');

/** Sets (or, with undefined, removes) the source of prepared entries. */
export function registerPreparedEntries(source: PreparedEntries | undefined): void {
  slot.set(source);
}

/** The source of prepared entries of this build, if any. */
export function preparedEntries(): PreparedEntries | undefined {
  return slot.get();
}
