/**
 * `npm run build`: builds the Astro site into a private staging directory, typesets, writes and
 * indexes its pages with Pagefind in a thread beside Astro's while Astro renders
 * (lib/indexing-thread.ts), and publishes it to the output directory only if the content tree is
 * valid. The validator runs in a worker thread alongside Astro (Astro renders on one
 * core) and renders the MDX bodies it parses for Astro's content loader; invalid content stops
 * the build with the validator's lines and leaves the previous site in place, so a half-built
 * site never replaces a good one.
 *
 * Pages reach Pagefind in the order of the site's paths (lib/search-index.ts), so that a build
 * always makes the same index, and the incremental publisher (lib/incremental-site.ts), which
 * starts from a full build made here, can make it again from its cache.
 */
import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import { cp, mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { registerPageIndexer } from '../site/src/lib/page-indexer.ts';
import { registerPreparedEntries } from '../site/src/lib/prepared-entries.ts';
import { mediaCacheDir, publishMedias } from './lib/publish-medias.ts';
import { ProblemError } from '../core/problem.ts';
import { prerendererIntegration, type SitePath, type SiteRenderer } from './lib/astro-renderer.ts';
import { IndexingThread } from './lib/indexing-thread.ts';
import type { SearchPage } from './lib/search-index.ts';
import { startTreeChecker, type TreeChecker } from './lib/tree-checker.ts';
import { explainSiteAddress, siteAddress } from '../core/site-address.ts';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const siteRoot = resolve(repoRoot, 'site');

/** Where to read and write, from the environment (CONTENT_DIR, SITE_OUT_DIR, SITE_URL). */
export interface BuildOptions {
  contentDir: string;
  outDir: string;
  /** The address absolute URLs start with (core/site-address.ts); unset: SITE_URL as the environment has it. */
  siteUrl?: string;
  /** Receives the compiled site once every page is rendered, to render pages again (incremental publisher). */
  keepRenderer?: (renderer: SiteRenderer, paths: SitePath[]) => void;
  /** Receives every page handed to the search index, in the order it is added. */
  onSearchPage?: (page: SearchPage) => void;
  /** Receives the validation thread, kept to check later commits (else it stops after the tree). */
  keepTreeChecker?: (checker: TreeChecker) => void;
}

/** Validates, builds and indexes the site; resolves with the number of pages indexed, of search shards, and phase durations. */
export async function buildSite({ contentDir, outDir, siteUrl, keepRenderer, onSearchPage, keepTreeChecker }: BuildOptions): Promise<{ indexedPages: number; searchShards: number; seconds: Record<string, number> }> {
  const seconds: Record<string, number> = {};
  let indexedPages = 0;
  let searchShards = 0;
  const started = performance.now();
  let mark = started;
  const lap = (name: string) => {
    const now = performance.now();
    seconds[name] = (now - mark) / 1000;
    mark = now;
  };
  const checker = startTreeChecker(contentDir);
  if (keepTreeChecker) keepTreeChecker(checker);
  else void checker.problems.finally(() => checker.close()).catch(() => undefined);
  const validation = checker.problems.then((problems) => {
    seconds.validation = (performance.now() - started) / 1000;
    return problems;
  });
  // Invalid content ends the build as soon as the validator knows, whatever Astro is doing.
  const stopIfInvalid = validation.then((problems) => {
    if (problems.length) throw new ProblemError(problems);
  });

  // Always a private staging directory: inside the working directory (Astro then keeps its
  // prerender chunks under it rather than in a shared ./.astro), one per output, emptied first.
  const staging = resolve(siteRoot, '.astro/staging', createHash('sha256').update(outDir).digest('hex').slice(0, 12));
  process.env.CONTENT_DIR = contentDir;
  process.env.SITE_OUT_DIR = outDir;
  // Read by astro.config.mjs as the site's address.
  if (siteUrl) process.env.SITE_URL = siteUrl;
  process.env.ASTRO_TELEMETRY_DISABLED = '1';
  const { build } = await import('astro');
  lap('démarrage');
  // Astro's middleware (site/src/middleware.ts) hands each page, as soon as it is rendered, to a
  // thread that typesets it, writes it and gives it to Pagefind in path order, each page to its
  // shard, whose number depends on the number of paths (known before any page renders).
  const indexing = new IndexingThread(onSearchPage);
  try {
    let paths: SitePath[] = [];
    registerPageIndexer(indexing);
    // The content loader takes the bodies the validation thread renders as it reads them.
    registerPreparedEntries(checker);
    const prerenderer = prerendererIntegration({
      onPaths(sitePaths, fileOf) {
        paths = sitePaths;
        // The thread writes the pages of a full build; Astro writes those of a kept renderer's.
        indexing.setOrder(sitePaths.map((path) => path.pathname), keepRenderer ? undefined : sitePaths.map(fileOf));
      },
      ...(keepRenderer ? { keep: (renderer: SiteRenderer) => keepRenderer(renderer, paths) } : {}),
    });
    const astro = withBuildLock(async () => {
      lap('attente');
      await rm(staging, { recursive: true, force: true });
      await build({ root: siteRoot, outDir: staging, logLevel: process.env.ASTRO_LOG_LEVEL === 'info' ? 'info' : 'warn', integrations: [prerenderer] });
      lap('astro');
    }).finally(() => {
      registerPageIndexer(undefined);
      registerPreparedEntries(undefined);
    });
    // If the validator wins the race, the abandoned Astro build must not surface as an unhandled error.
    astro.catch(() => undefined);
    try {
      // Settles when both are done, or at the first failure.
      await Promise.all([astro, stopIfInvalid]);
    } catch (error) {
      // Astro may trip over invalid content before the validator has finished: its lines come first.
      await stopIfInvalid;
      throw error;
    }

    // Images after Astro, which empties its output first; their variants come from a cache.
    await publishMedias(contentDir, staging, mediaCacheDir());
    lap('images');

    ({ pages: indexedPages, shards: searchShards } = await indexing.write(staging));
    lap('pagefind');
  } finally {
    await indexing.close();
  }

  await moveInto(staging, outDir);
  return { indexedPages, searchShards, seconds };
}

/** Runs `task` while holding site/.astro/build.lock; a lock left by a dead process is taken over. */
async function withBuildLock<T>(task: () => Promise<T>): Promise<T> {
  const lock = resolve(siteRoot, '.astro/build.lock');
  await mkdir(resolve(siteRoot, '.astro'), { recursive: true });
  const releaseOnExit = () => rmSync(lock, { force: true });
  for (;;) {
    try {
      const handle = await open(lock, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      process.once('exit', releaseOnExit);
      break;
    } catch {
      const holder = Number(await readFile(lock, 'utf8').catch(() => '0'));
      if (!holder || !isAlive(holder)) await rm(lock, { force: true });
      else await new Promise((done) => setTimeout(done, 200));
    }
  }
  try {
    return await task();
  } finally {
    process.off('exit', releaseOnExit);
    await rm(lock, { force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

// Replace the previous site in one rename where possible (same file system), else copy.
async function moveInto(from: string, to: string): Promise<void> {
  const previous = `${to}.previous`;
  await rm(previous, { recursive: true, force: true });
  await rename(to, previous).catch(() => undefined);
  try {
    await rename(from, to);
  } catch {
    await cp(from, to, { recursive: true });
    await rm(from, { recursive: true, force: true });
  }
  await rm(previous, { recursive: true, force: true });
}

async function main(): Promise<void> {
  const contentDir = resolve(process.env.CONTENT_DIR ?? resolve(repoRoot, 'content'));
  const outDir = resolve(process.env.SITE_OUT_DIR ?? resolve(siteRoot, 'dist'));
  const started = performance.now();
  let siteUrl: string;
  try {
    // Without SITE_URL, the address `npm start` serves with the same HOST and PORT.
    const port = Number(process.env.PORT);
    siteUrl = siteAddress({ siteUrl: process.env.SITE_URL, host: process.env.HOST, port: Number.isInteger(port) && port > 0 ? port : undefined });
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
    return;
  }
  console.log(explainSiteAddress(siteUrl, !!process.env.SITE_URL));
  try {
    const { indexedPages, seconds } = await buildSite({ contentDir, outDir, siteUrl });
    const order = ['démarrage', 'attente', 'validation', 'astro', 'images', 'pagefind'];
    const phases = Object.entries(seconds)
      .sort(([a], [b]) => order.indexOf(a) - order.indexOf(b))
      .map(([name, s]) => `${name} ${s.toFixed(1)} s`).join(', ');
    console.log(`Site construit dans ${relative(process.cwd(), outDir) || outDir} (${indexedPages} pages indexées) en ${((performance.now() - started) / 1000).toFixed(1)} s : ${phases}.`);
  } catch (error) {
    if (error instanceof ProblemError) {
      console.error(error.message);
      console.error(`\nConstruction arrêtée : ${error.problems.length} problème(s) dans le contenu (${contentDir}).`);
      // Astro may still be building the staging copy: stop it now (the lock is freed on exit).
      process.exit(1);
    } else {
      console.error(`Construction impossible : ${error instanceof Error ? error.message : String(error)}`);
    }
    process.exitCode = 1;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main();
}
