/**
 * Incremental publishing: one full build (scripts/build-site.ts), then each commit renders only
 * the pages it affects, with the compiled site kept in memory (lib/astro-renderer.ts).
 *
 * What a commit affects is read from the build itself: every page, every route's getStaticPaths
 * and every shared computation records what it reads (site/src/lib/incremental-hooks.ts: an
 * entry, a collection's list, a file's history, a shared computation); after a commit the
 * content's fingerprints and the history's new commits are compared with the previous ones; a
 * shared computation or a route's paths that read nothing that changed are kept, the others made
 * again (computations compared by value, paths by props), and only the pages that read something
 * that changed are rendered again. A page that renders to the same bytes is left as it is.
 *
 * Two steps, so that « publié » does not wait for the search index:
 * 1. `update`: the pages that show what changed (pages whose own reads changed, new pages, pages
 *    whose props changed; removed pages are deleted);
 * 2. `finish`: pages affected only through a shared computation (a list page whose facet counts
 *    moved) and the Pagefind index, made again from the searchable part of every page, kept from
 *    the last time each page was rendered (lib/search-index.ts).
 *
 * What it cannot follow (the référentiel, the self-assessment grid, any file outside the MDX
 * collections and the tree's top level) asks for a full build (`FullBuildNeeded`). After the two
 * steps the output is byte for byte what a full build of the same commit makes
 * (tests/site-incremental-publish-matches-a-full-build.test.ts).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { mkdir, readFile, readdir, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import isomorphicGit from 'isomorphic-git';
import { collections as definitions } from '../../schemas/collections.ts';
import { mdxCollections, type CollectionName } from '../../schemas/common.ts';
import { appendHistory, readContentHistory, type ContentHistory } from '../../core/git-history.ts';
import { ProblemError, type Problem } from '../../core/problem.ts';
import { loadEntry } from '../../site/src/lib/entry-loader.ts';
import { registerIncrementalHooks, SECOND_STEP, type IncrementalHooks } from '../../site/src/lib/incremental-hooks.ts';
import { pageIndexer, registerPageIndexer } from '../../site/src/lib/page-indexer.ts';
import { buildSite } from '../build-site.ts';
import { normalizePathname, type ListedPath, type RouteData, type SitePath, type SiteRenderer } from './astro-renderer.ts';
import { PagefindProcesses, searchableHtml, searchIndexFolder, searchShardCount, searchShardOf, shardFolder, shardsFile, shardsManifest, writeSearchIndex, type SearchPage } from './search-index.ts';
import type { ChangedFile, TreeChecker } from './tree-checker.ts';

const run = promisify(execFile);
const siteRoot = fileURLToPath(new URL('../../site/', import.meta.url));

/** A commit changed something only a full build can publish. */
export class FullBuildNeeded extends Error {}

/** What one step wrote into the output directory (paths relative to it, `/` separated). */
export interface StepResult {
  /** The commit the output now shows. */
  commit: string;
  /** Pages rendered again. */
  rendered: number;
  /** Files written (new or changed). */
  written: string[];
  /** Files deleted. */
  removed: string[];
  /** Folders replaced whole (the search index). */
  replaced: string[];
  /** Whether `finish` has work left (deferred pages or the search index). */
  pending: boolean;
  /** Milliseconds per phase. */
  timings: Record<string, number>;
  /** The pages that took longest to render, with milliseconds (`/path 12`). */
  slowest: string[];
  /** Why pages were rendered: the changes that selected most pages, with how many (`e:fiches/x 12`). */
  reasons: string[];
}

/** Pages rendered at once. */
const CONCURRENCY = 8;

/** The hooks the site reads through (site/src/lib/incremental-hooks.ts), kept by the publisher. */
class PublisherHooks implements IncrementalHooks {
  generation = 1;
  readonly tracking = true;
  readonly collections = new Map<string, Map<string, Record<string, unknown>>>();
  /** What each page read, by normalized path, filled as pages render. */
  readonly reads = new Map<string, Set<string>>();
  fingerprints = new Map<string, string>();
  currentHistory: Promise<ContentHistory> | undefined;
  /** Shared computations: how to make each, and its value for the current generation (hashed when compared). */
  readonly memos = new Map<string, Memo>();
  private readonly page = new AsyncLocalStorage<Set<string>>();

  collection(name: string): unknown[] | undefined {
    const held = this.collections.get(name);
    return held && [...held.values()];
  }

  adoptCollection(name: string, entries: unknown[]): void {
    const sorted = [...(entries as { id: string }[])].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    this.collections.set(name, new Map(sorted.map((entry) => [entry.id, entry as unknown as Record<string, unknown>])));
  }

  history(): Promise<ContentHistory> | undefined {
    return this.currentHistory;
  }

  track(key: string): void {
    this.page.getStore()?.add(key);
  }

  untracked<T>(compute: () => T): T {
    return this.page.exit(compute);
  }

  memo<T>(key: string, compute: () => T): T {
    this.track(`m:${key}`);
    let memo = this.memos.get(key);
    if (memo?.generation !== this.generation) {
      // What it reads is its own, not the page's that happens to start it.
      const reads = new Set<string>();
      memo = new Memo(compute, this.generation, this.page.run(reads, compute), reads);
      this.memos.set(key, memo);
    }
    return memo.value as T;
  }

  /** Runs `run`, recording what it reads. */
  async tracked<T>(run: () => Promise<T>): Promise<{ value: T; reads: Set<string> }> {
    const reads = new Set<string>();
    const value = await this.page.run(reads, run);
    return { value, reads };
  }

  async renderPage(pathname: string, render: () => Promise<Response>): Promise<Response> {
    const { value, reads } = await this.tracked(render);
    this.reads.set(normalizePathname(pathname), reads);
    return value;
  }

  /** Loads the content of the current generation (the site's `getCommons`), which describes it again. */
  loadContent: () => Promise<unknown> = async () => undefined;

  describeContent(fingerprints: Map<string, string>, load: () => Promise<unknown>): void {
    this.fingerprints = fingerprints;
    this.loadContent = load;
  }
}

/**
 * A shared computation's value for one generation. Its hash is made only when a page that reads it
 * is not rendered again anyway: hashing the largest ones (every entry's text) costs seconds.
 */
class Memo {
  private hashed: Promise<string> | undefined;

  readonly compute: () => unknown;
  readonly generation: number;
  readonly value: unknown;
  /** What computing it read (complete once `value` has settled). */
  readonly reads: ReadonlySet<string>;

  constructor(compute: () => unknown, generation: number, value: unknown, reads: ReadonlySet<string>) {
    this.compute = compute;
    this.generation = generation;
    this.value = value;
    this.reads = reads;
  }

  /** The same value, valid for `generation` (what it read did not change). */
  carriedTo(generation: number): Memo {
    const carried = new Memo(this.compute, generation, this.value, this.reads);
    carried.hashed = this.hashed;
    return carried;
  }

  hash(): Promise<string> {
    this.hashed ??= Promise.resolve(this.value).then((value) => createHash('sha1').update(JSON.stringify(value) ?? '').digest('base64'));
    return this.hashed;
  }
}

// Read in-process: a `git` process costs tens of milliseconds to start, hundreds on a busy machine.
const readHead = async (contentDir: string) => isomorphicGit.resolveRef({ fs, dir: await isomorphicGit.findRoot({ fs, filepath: contentDir }), ref: 'HEAD' });

const git = async (contentDir: string, args: string[]) => (await run('git', ['-C', contentDir, '-c', 'core.quotePath=false', ...args], { maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' })).stdout;

/** The site of one content tree, published incrementally after one full build. */
export class IncrementalSite {
  private readonly contentDir: string;
  private readonly hooks = new PublisherHooks();
  private renderer!: SiteRenderer;
  /** The site's paths, in build order, by normalized pathname. */
  private paths = new Map<string, ListedPath>();
  /** Searchable HTML of every indexed page, by normalized pathname. */
  private readonly searchable = new Map<string, SearchPage>();
  /** The validation thread, which keeps the tree's checked entries to check a commit's files against. */
  private checker!: TreeChecker;
  private commit = '';
  private readonly deferred = new Set<string>();
  /** The number of shards of the search index, and those to make again (lib/search-index.ts). */
  private shardCount = 1;
  private readonly staleShards = new Set<number>();
  /** What each route's `getStaticPaths` read when it last ran, by route. */
  private readonly routeReads = new Map<string, Set<string>>();
  /** The Pagefind processes that make stale shards again, one per core: several shards are made side by side. */
  private readonly pagefind = new PagefindProcesses(availableParallelism());
  private broken: string | undefined;
  /** Pages being rendered report here (the site's page indexer): URL and searchable HTML. */
  private readonly renderedNow = new Map<string, { url: string; html: string | undefined }>();

  private constructor(contentDir: string) {
    this.contentDir = contentDir;
  }

  /** Builds the whole site of `contentDir` into `outDir` and keeps what later commits need. */
  static async build(contentDir: string, outDir: string): Promise<{ site: IncrementalSite; seconds: Record<string, number> }> {
    const site = new IncrementalSite(resolve(contentDir));
    const seconds = await site.fullBuild(outDir);
    return { site, seconds };
  }

  /** The commit the last step published. */
  get publishedCommit(): string {
    return this.commit;
  }

  /** Whether `finish` has work left. */
  get pending(): boolean {
    return this.deferred.size > 0 || this.staleShards.size > 0;
  }

  private async fullBuild(outDir: string): Promise<Record<string, number>> {
    const { hooks, contentDir } = this;
    this.commit = await readHead(contentDir);
    hooks.currentHistory = readContentHistory(contentDir);
    registerIncrementalHooks(hooks);
    let kept: { renderer: SiteRenderer; paths: SitePath[] } | undefined;
    const { seconds, searchShards } = await buildSite({
      contentDir,
      outDir,
      keepRenderer: (renderer, paths) => (kept = { renderer, paths }),
      onSearchPage: (page) => this.searchable.set(normalizePathname(page.url), page),
      keepTreeChecker: (checker) => (this.checker = checker),
    });
    if (!kept) throw new Error('le site compilé n’a pas été gardé après la construction');
    this.renderer = kept.renderer;
    // The props of each path, as the next commit will compare them.
    for (const path of await this.listPaths()) this.paths.set(normalizePathname(path.pathname), path);
    this.shardCount = searchShardCount(this.paths.size);
    // Counted from the same paths as the build's, so the same; if not, the next step makes every shard.
    if (this.shardCount !== searchShards) for (let shard = 0; shard < this.shardCount; shard++) this.staleShards.add(shard);
    return seconds;
  }

  /**
   * Step 1: brings `dir`, a copy of the last output (files replaced, never written in place),
   * up to HEAD for every page that shows what the new commits changed.
   */
  async update(dir: string): Promise<StepResult> {
    if (this.broken) throw new FullBuildNeeded(this.broken);
    const timings: Record<string, number> = {};
    let mark = performance.now();
    const lap = (name: string) => {
      const now = performance.now();
      timings[name] = Math.round(now - mark);
      mark = now;
    };
    const { contentDir, hooks } = this;
    const head = await readHead(contentDir);
    if (head === this.commit) return { commit: head, rendered: 0, written: [], removed: [], replaced: [], pending: this.pending, timings, slowest: [], reasons: [] };
    let touchedFiles: Set<string>;
    try {
      const { history, touched } = await this.readHistory(head);
      const files = await this.readChangedFiles(touched);
      lap('git');
      await this.validate(files);
      lap('validation');
      await this.loadEntries(files);
      hooks.generation++;
      hooks.currentHistory = Promise.resolve(history);
      touchedFiles = touched;
      lap('contenu');
    } catch (error) {
      // The publisher's copy of the content no longer matches a published state.
      this.broken = `publication incrémentale interrompue : ${error instanceof Error ? error.message : String(error)}`;
      throw error;
    }
    const previous = { fingerprints: hooks.fingerprints, paths: this.paths, memos: new Map(hooks.memos) };
    await hooks.loadContent();

    // What changed: entries and collections (fingerprints), files' history, shared computations.
    const changed = new Set<string>();
    for (const [key, value] of hooks.fingerprints) if (previous.fingerprints.get(key) !== value) changed.add(key);
    for (const key of previous.fingerprints.keys()) if (!hooks.fingerprints.has(key)) changed.add(key);
    if (touchedFiles.size) changed.add('h:*');
    for (const file of touchedFiles) changed.add(`h:${file}`);

    // Whether something a page, a route or a shared computation read may have changed: a key in
    // `changed`, or a shared computation not made last generation or that read such a thing
    // (answered once per computation: hundreds of pages ask about the same ones).
    const memoAnswers = new Map<string, boolean>();
    const mayDiffer = (read: string): boolean => {
      if (!read.startsWith('m:')) return changed.has(read);
      let answer = memoAnswers.get(read);
      if (answer === undefined) {
        const memo = previous.memos.get(read.slice('m:'.length));
        answer = memo?.generation !== hooks.generation - 1 || [...memo.reads].some(mayDiffer);
        memoAnswers.set(read, answer);
      }
      return answer;
    };
    // A shared computation that read nothing that changed keeps its value into this generation.
    for (const [key, memo] of hooks.memos) if (!mayDiffer(`m:${key}`)) hooks.memos.set(key, memo.carriedTo(hooks.generation));

    const orderBefore = this.shardOrders();
    const listed = await this.listPaths(mayDiffer);
    this.paths = new Map(listed.map((path) => [normalizePathname(path.pathname), path]));
    const shardCount = searchShardCount(this.paths.size);
    if (shardCount !== this.shardCount) {
      // Pages move between shards: all of them are made again.
      this.shardCount = shardCount;
      for (let shard = 0; shard < shardCount; shard++) this.staleShards.add(shard);
    }
    for (const [shard, order] of this.shardOrders()) if (orderBefore.get(shard) !== order) this.staleShards.add(shard);
    lap('chemins');

    // A shared computation is compared only for the pages nothing else selects.
    const memoChanged = new Map<string, Promise<boolean>>();
    const hasChanged = (read: string) => {
      const key = read.slice('m:'.length);
      let answer = memoChanged.get(key);
      if (!answer) {
        const before = previous.memos.get(key)!;
        hooks.memo(key, before.compute);
        answer = Promise.all([before.hash(), hooks.memos.get(key)!.hash()]).then(([a, b]) => a !== b);
        memoChanged.set(key, answer);
      }
      return answer;
    };

    const urgent = new Set<string>();
    const reasons = new Map<string, number>();
    const because = (reason: string) => reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
    for (const [key, path] of this.paths) {
      const before = previous.paths.get(key);
      if (!before || before.props !== path.props) urgent.add(key), because(before ? 'props' : 'nouvelle page');
    }
    for (const [key, reads] of hooks.reads) {
      if (!this.paths.has(key) || urgent.has(key)) continue;
      const affected = [...reads].find((read) => changed.has(read));
      if (affected) {
        // A page that says it can wait (a large download) is rendered in the second step.
        if (reads.has(SECOND_STEP)) this.deferred.add(key), because(`${affected} (plus tard)`);
        else urgent.add(key), because(affected);
        continue;
      }
      for (const read of reads) {
        if (read.startsWith('m:') && previous.memos.has(read.slice(2)) && mayDiffer(read) && (await hasChanged(read))) {
          this.deferred.add(key), because(`${read} (plus tard)`);
          break;
        }
      }
    }
    for (const key of urgent) this.deferred.delete(key);
    lap('sélection');

    const removed: string[] = [];
    for (const [key, path] of previous.paths) {
      if (this.paths.has(key)) continue;
      const file = this.renderer.fileOf(path);
      await removeFile(dir, file);
      removed.push(file);
      hooks.reads.delete(key);
      this.deferred.delete(key);
      if (this.searchable.delete(key)) this.staleShards.add(searchShardOf(key, this.shardCount));
    }
    lap('suppressions');
    const { written, slowest } = await this.renderPages(dir, urgent);
    lap('rendu');
    this.commit = head;
    const top = [...reasons].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([reason, count]) => `${reason} ${count}`);
    return { commit: head, rendered: urgent.size, written, removed, replaced: [], pending: this.pending, timings, slowest, reasons: top };
  }

  /**
   * Step 2 into `dir`: the deferred pages, then the search index. Aborted by `signal` (a new
   * commit's pages go first), it throws and leaves all of it to do again; `dir` is then discarded.
   */
  async finish(dir: string, signal?: AbortSignal): Promise<StepResult> {
    if (this.broken) throw new FullBuildNeeded(this.broken);
    const timings: Record<string, number> = {};
    let mark = performance.now();
    const pages = new Set(this.deferred);
    this.deferred.clear();
    try {
      const { written, slowest } = await this.renderPages(dir, pages, signal);
      timings.rendu = Math.round(performance.now() - mark);
      mark = performance.now();
      const replaced: string[] = [];
      const stale = [...this.staleShards].sort((a, b) => a - b);
      this.staleShards.clear();
      try {
        if (stale.length) {
          await this.writeShards(dir, stale, signal);
          replaced.push(...stale.map(shardFolder));
          if (await writeIfChanged(dir, shardsFile, Buffer.from(shardsManifest([...this.indexedByShard().keys()])))) written.push(shardsFile);
          timings.pagefind = Math.round(performance.now() - mark);
        }
      } catch (error) {
        for (const shard of stale) this.staleShards.add(shard);
        throw error;
      }
      return { commit: this.commit, rendered: pages.size, written, removed: [], replaced, pending: this.pending, timings, slowest, reasons: [] };
    } catch (error) {
      if (signal?.aborted) for (const page of pages) this.deferred.add(page);
      throw error;
    }
  }

  /** Makes the search index's shards `stale` again in `dir` (each replaced whole; an emptied one removed). */
  private async writeShards(dir: string, stale: number[], signal?: AbortSignal): Promise<void> {
    const byShard = this.indexedByShard();
    await this.pagefind.eachShard(stale, async (shard, pagefind) => {
      const pages = (byShard.get(shard) ?? []).map((key) => this.searchable.get(key)!);
      const folder = join(dir, shardFolder(shard));
      if (pages.length) {
        await rm(`${folder}.next`, { recursive: true, force: true });
        await writeSearchIndex(pagefind, pages, `${folder}.next`, signal);
      }
      await rm(folder, { recursive: true, force: true });
      if (pages.length) await rename(`${folder}.next`, folder);
    });
    // Shards beyond a smaller count (the site shrank).
    for (const name of await readdir(join(dir, searchIndexFolder)).catch(() => [])) {
      if (/^\d+$/.test(name) && Number(name) >= this.shardCount) await rm(join(dir, searchIndexFolder, name), { recursive: true, force: true });
    }
  }

  /**
   * The site's paths: the `getStaticPaths` of a route runs again only when something it read
   * `mayDiffer`, or when nothing says what it read (without `mayDiffer`, every one runs); each
   * run is recorded.
   */
  private listPaths(mayDiffer?: (read: string) => boolean): Promise<ListedPath[]> {
    const keyOf = (route: RouteData) => `${route.route} ${route.component}`;
    return this.renderer.listPaths({
      keep: (route) => {
        const reads = this.routeReads.get(keyOf(route));
        return mayDiffer !== undefined && reads !== undefined && ![...reads].some(mayDiffer);
      },
      around: async (route, run) => {
        const { value, reads } = await this.hooks.tracked(run);
        this.routeReads.set(keyOf(route), reads);
        return value;
      },
    });
  }

  /** The indexed pages of each shard that holds any, in path order (the order Pagefind takes them in). */
  private indexedByShard(): Map<number, string[]> {
    const byShard = new Map<number, string[]>();
    for (const key of this.paths.keys()) {
      if (!this.searchable.has(key)) continue;
      const shard = searchShardOf(key, this.shardCount);
      const keys = byShard.get(shard) ?? [];
      keys.push(key);
      byShard.set(shard, keys);
    }
    return byShard;
  }

  /** Each shard's pages as one string, to see which shards' order changed. */
  private shardOrders(): Map<number, string> {
    return new Map([...this.indexedByShard()].map(([shard, keys]) => [shard, keys.join('\n')]));
  }

  /** Renders pages into `dir`, writing only files whose bytes changed; returns the files written. */
  private async renderPages(dir: string, keys: Set<string>, signal?: AbortSignal): Promise<{ written: string[]; slowest: string[] }> {
    const written: string[] = [];
    const durations: [string, number][] = [];
    const queue = [...keys].map((key) => this.paths.get(key)).filter((path): path is ListedPath => path !== undefined);
    registerPageIndexer(pageIndexer((url, html) => this.renderedNow.set(normalizePathname(url), { url, html })));
    try {
      const worker = async () => {
        for (let path = queue.shift(); path; path = queue.shift()) {
          signal?.throwIfAborted();
          const key = normalizePathname(path.pathname);
          const started = performance.now();
          const file = await this.renderer.render(path);
          durations.push([key, performance.now() - started]);
          this.noteSearchable(key);
          if (!file) continue;
          if (await writeIfChanged(dir, file.file, file.body)) written.push(file.file);
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    } finally {
      registerPageIndexer(undefined);
    }
    const slowest = durations.sort((a, b) => b[1] - a[1]).slice(0, 5).map(([key, ms]) => `${key} ${Math.round(ms)}`);
    return { written, slowest };
  }

  /** Keeps the searchable HTML a page just rendered with (or its absence), and whether the index must change. */
  private noteSearchable(key: string): void {
    const { url, html } = this.renderedNow.get(key) ?? { url: key, html: undefined };
    this.renderedNow.delete(key);
    const before = this.searchable.get(key);
    if (html === undefined) {
      if (before) {
        this.searchable.delete(key);
        this.staleShards.add(searchShardOf(key, this.shardCount));
      }
      return;
    }
    const searchable = searchableHtml(html);
    if (before?.html === searchable) return;
    this.searchable.set(key, { url, html: searchable });
    this.staleShards.add(searchShardOf(key, this.shardCount));
  }

  /** The content files among those the new commits touched, with their text now; a change only a full build can follow throws. */
  private async readChangedFiles(touched: Set<string>): Promise<ChangedFile[]> {
    const files: ChangedFile[] = [];
    for (const file of [...touched].sort()) {
      const parts = file.split('/');
      if (parts.length === 1) continue; // README, .mailmap…: only the history sees them.
      const [collection, name] = parts as [string, string];
      if (parts.length !== 2 || !(mdxCollections as readonly string[]).includes(collection) || !name.endsWith('.mdx')) {
        throw new FullBuildNeeded(`${file} : seule une construction complète publie ce changement`);
      }
      const text = await readFile(join(this.contentDir, file), 'utf8').catch(() => undefined);
      files.push({ file, text });
    }
    return files;
  }

  /** Checks the changed files against the tree, as a full build's validation would (in the validation thread). */
  private async validate(files: ChangedFile[]): Promise<void> {
    const problems = await this.checker.check(files);
    if (problems.length) throw new ProblemError(problems);
  }

  /** Stops the validation thread and the Pagefind processes. */
  async close(): Promise<void> {
    await Promise.all([this.checker?.close(), this.pagefind.close()]);
  }

  /** Loads the changed files into the collections the site reads, as Astro's loader does. */
  private async loadEntries(files: { file: string; text: string | undefined }[]): Promise<void> {
    for (const { file, text } of files) {
      const [collection, name] = file.split('/') as [CollectionName, string];
      const id = name.slice(0, -'.mdx'.length);
      const held = this.hooks.collections.get(collection);
      if (!held) throw new FullBuildNeeded(`collection ${collection} absente de la construction`);
      if (text === undefined) {
        held.delete(id);
        continue;
      }
      const path = join(this.contentDir, file);
      const schema = definitions[collection].schema;
      const loaded = await loadEntry({ parseData: async ({ data }) => (await schema.parseAsync(data)) as never }, file, path, text);
      const digest = createHash('sha1').update(text).digest('hex');
      const added = !held.has(id);
      held.set(id, { id, ...loaded, digest, filePath: relative(siteRoot, path), collection });
      // Keep the collection in file order, as it was adopted.
      if (added) {
        const sorted = [...held].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
        held.clear();
        for (const [key, value] of sorted) held.set(key, value);
      }
    }
  }

  /**
   * The history at `head` and the files whose history changed: the new commits added to the known
   * ones when they follow them in a line (the same as `git log` then lists), else all read again.
   */
  private async readHistory(head: string): Promise<{ history: ContentHistory; touched: Set<string> }> {
    const known = (await this.hooks.currentHistory)!;
    const range = `${this.commit}..${head}`;
    const [chain, newer] = await Promise.all([git(this.contentDir, ['rev-list', '--parents', range]), readContentHistory(this.contentDir, range)]);
    // In a line: each new commit has one parent, the one listed after it, and the oldest one's is the last published commit.
    const commits = chain.trim().split('\n').map((line) => line.split(' '));
    const linear = commits.every((ids, i) => ids.length === 2 && ids[1] === (commits[i + 1]?.[0] ?? this.commit));
    if (linear) {
      const touched = new Set([...newer.changes.map((change) => change.file), ...newer.renames.flatMap((r) => [r.from, r.to])]);
      return { history: appendHistory(known, newer), touched };
    }
    // A merge's own changes are not in the log's patches: the files that differ come from a diff.
    const [history, diff] = await Promise.all([
      readContentHistory(this.contentDir),
      git(this.contentDir, ['diff', '--no-renames', '--name-only', '-z', this.commit, head, '--relative', '--', '.']),
    ]);
    const touched = new Set(diff.split('\0').filter(Boolean));
    const commitsOf = (h: ContentHistory, file: string) => (h.byFile.get(file)?.changes ?? []).map((change) => change.commit).join();
    for (const file of new Set([...known.byFile.keys(), ...history.byFile.keys()])) if (commitsOf(known, file) !== commitsOf(history, file)) touched.add(file);
    if (JSON.stringify(known.renames) !== JSON.stringify(history.renames)) touched.add('(renommages)');
    return { history, touched };
  }
}

/** Writes a file of the output unless it already has these bytes; a new file replaces the old link. */
async function writeIfChanged(dir: string, file: string, body: Buffer): Promise<boolean> {
  const path = join(dir, file);
  const current = await readFile(path).catch(() => undefined);
  if (current?.equals(body)) return false;
  await mkdir(dirname(path), { recursive: true });
  // The output is a copy made of links to the previous one: never write through a link.
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, body);
  await rename(temporary, path);
  return true;
}

/** Deletes a file of the output and the folders it leaves empty (a full build makes none). */
async function removeFile(dir: string, file: string): Promise<void> {
  await rm(join(dir, file), { force: true });
  for (let folder = dirname(file); folder !== '.' && folder !== '/'; folder = dirname(folder)) {
    const empty = (await readdir(join(dir, folder)).catch(() => ['?'])).length === 0;
    if (!empty) break;
    await rmdir(join(dir, folder)).catch(() => undefined);
  }
}
