/**
 * The last steps of each page of a full build, in a worker thread beside Astro's: its French
 * typography, its file, then the search index, which takes the pages in the order of the site's
 * paths (lib/search-index.ts) and is written at the end. Astro renders on one core; these steps
 * took a quarter of its time per page (the typography's pass over the HTML, the file's creation,
 * the searchable part cut out, the messages to Pagefind's processes): here they run on another
 * core while Astro renders the next pages. A page's bytes cross between the threads without a
 * copy. Given no file for a page (a kept renderer's build), the thread sends it back typeset, and
 * Astro writes it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { typesetHtmlText } from '../../core/typography.ts';
import { isSearchable, type PageIndexer } from '../../site/src/lib/page-indexer.ts';
import { normalizePathname } from './astro-renderer.ts';
import { OrderedPages, ShardedSearchIndex, type SearchPage } from './search-index.ts';

/** What the thread is told, in the order it happens. */
type Order =
  | { paths: string[]; files?: string[] }
  | { id: number; url: string; html: ArrayBuffer }
  | { url: string }
  | { write: string }
  | { close: true };

/** What the thread answers. */
type Answer =
  | { id: number; html?: Uint8Array<ArrayBuffer>; failed?: string }
  | { searchPage: SearchPage }
  | { written: { pages: number; shards: number } }
  | { failed: string };

/** What the index holds once written. */
export interface WrittenIndex {
  pages: number;
  shards: number;
}

/** Typography, files and search index of a full build's pages, in a worker thread. */
export class IndexingThread implements PageIndexer {
  private readonly worker: Worker;
  private readonly waiting = new Map<number, { resolve(html: Uint8Array<ArrayBuffer> | undefined): void; reject(error: Error): void }>();
  private nextId = 1;
  private writing?: { resolve(written: WrittenIndex): void; reject(error: Error): void };
  private failure?: Error;
  private exited = false;

  /** `onSearchPage`, if given, receives every page handed to the index, in the order it is added. */
  constructor(onSearchPage?: (page: SearchPage) => void) {
    this.worker = new Worker(new URL(import.meta.url), { workerData: { indexingThread: true, searchPages: !!onSearchPage } });
    this.worker.on('message', (answer: Answer) => {
      if ('id' in answer) {
        const page = this.waiting.get(answer.id);
        this.waiting.delete(answer.id);
        if (answer.failed) page?.reject(new Error(answer.failed));
        else page?.resolve(answer.html);
      } else if ('searchPage' in answer) onSearchPage?.(answer.searchPage);
      else if ('written' in answer) this.writing?.resolve(answer.written);
      else this.fail(new Error(answer.failed));
    });
    this.worker.on('error', (error) => this.fail(error));
    this.worker.on('exit', () => {
      this.exited = true;
      this.fail(new Error('le fil de la typographie et de l’index s’est arrêté'));
    });
  }

  /**
   * The site's paths, in order, before the first page is rendered; with `files` (the file of each
   * path), the thread writes each page it is given into its file.
   */
  setOrder(pathnames: string[], files?: string[]): void {
    this.worker.postMessage({ paths: pathnames, ...(files ? { files } : {}) } satisfies Order);
  }

  page(url: string, html: ArrayBuffer): Promise<Uint8Array<ArrayBuffer> | undefined> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    // Moved, not copied: the page's bytes are the thread's from now on.
    this.worker.postMessage({ id, url, html } satisfies Order, [html]);
    return new Promise((resolve, reject) => this.waiting.set(id, { resolve, reject }));
  }

  other(url: string): void {
    this.worker.postMessage({ url } satisfies Order);
  }

  /** Writes the index into `siteDir` once every page is in (`pagefind/<shard>/` and the list of shards). */
  write(siteDir: string): Promise<WrittenIndex> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.writing = { resolve, reject };
      this.worker.postMessage({ write: siteDir } satisfies Order);
    });
  }

  /** Stops the thread once its Pagefind processes are closed. */
  async close(): Promise<void> {
    if (this.exited) return;
    const exited = new Promise((resolve) => this.worker.once('exit', resolve));
    this.worker.postMessage({ close: true } satisfies Order);
    await exited;
  }

  private fail(error: Error): void {
    this.failure ??= error;
    // A page that waits for its typography fails its render, and with it the build.
    for (const page of this.waiting.values()) page.reject(error);
    this.waiting.clear();
    this.writing?.reject(error);
  }
}

/** The thread: typesets each page, writes it or sends it back, then hands it to the index in path order. */
function runThread(searchPages: boolean): void {
  const port = parentPort!;
  let index: ShardedSearchIndex | undefined;
  let files = new Map<string, string>();
  const folders = new Set<string>();
  const ordered = new OrderedPages((page) => {
    index!.add(page);
    if (searchPages) port.postMessage({ searchPage: page } satisfies Answer);
  });
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  port.on('message', (order: Order) => {
    if ('paths' in order) {
      // Counted as the incremental publisher counts them: distinct paths.
      index = new ShardedSearchIndex(new Set(order.paths.map(normalizePathname)).size);
      ordered.setOrder(order.paths);
      files = new Map(order.files?.map((file, i) => [normalizePathname(order.paths[i]!), file]));
    } else if ('html' in order) {
      const html = typesetHtmlText(decoder.decode(order.html));
      const bytes = encoder.encode(html);
      const file = files.get(normalizePathname(order.url));
      if (file) {
        try {
          const folder = dirname(file);
          if (!folders.has(folder)) mkdirSync(folder, { recursive: true });
          folders.add(folder);
          writeFileSync(file, bytes);
          port.postMessage({ id: order.id } satisfies Answer);
        } catch (error) {
          port.postMessage({ id: order.id, failed: error instanceof Error ? error.message : String(error) } satisfies Answer);
        }
      } else port.postMessage({ id: order.id, html: bytes } satisfies Answer, [bytes.buffer]);
      ordered.rendered(order.url, isSearchable(html) ? html : undefined);
    } else if ('write' in order) {
      ordered.flush();
      void writeIndex(order.write).then((answer) => port.postMessage(answer));
    } else if ('close' in order) {
      void closeIndex().finally(() => process.exit(0));
    } else ordered.rendered(order.url, undefined);
  });

  async function writeIndex(siteDir: string): Promise<Answer> {
    if (!index) return { failed: 'Astro n’a listé aucune page du site' };
    try {
      await index.write(siteDir);
      return { written: { pages: index.pages, shards: index.count } };
    } catch (error) {
      return { failed: error instanceof Error ? error.message : String(error) };
    } finally {
      await closeIndex();
    }
  }

  // Once: the Pagefind processes are stopped after the index is written, or when the build stops.
  async function closeIndex(): Promise<void> {
    const closing = index?.close();
    index = undefined;
    await closing;
  }
}

if (!isMainThread && (workerData as { indexingThread?: boolean } | undefined)?.indexingThread) {
  runThread((workerData as { searchPages: boolean }).searchPages);
}
