/**
 * `npm run build`: validates the content tree, builds the Astro site, then indexes it with
 * Pagefind. Invalid content stops the build with the validator's lines, before Astro starts, so a
 * half-built site never replaces a good one.
 */
import { createHash } from 'node:crypto';
import { cp, mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatProblem, validateContentTree } from './lib/validate-tree.ts';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const siteRoot = resolve(repoRoot, 'site');

/** Where to read and write, from the environment (CONTENT_DIR, SITE_OUT_DIR). */
export interface BuildOptions {
  contentDir: string;
  outDir: string;
}

/** Thrown when the content tree is invalid; `lines` are the validator's `path:line: field: message`. */
export class InvalidContentError extends Error {
  constructor(readonly lines: string[]) {
    super(lines.join('\n'));
    this.name = 'InvalidContentError';
  }
}

/** Validates, builds and indexes the site; resolves with the number of pages indexed. */
export async function buildSite({ contentDir, outDir }: BuildOptions): Promise<{ indexedPages: number; seconds: Record<string, number> }> {
  const seconds: Record<string, number> = {};
  let mark = performance.now();
  const lap = (name: string) => {
    const now = performance.now();
    seconds[name] = (now - mark) / 1000;
    mark = now;
  };
  const problems = await validateContentTree(contentDir);
  lap('validation');
  if (problems.length) throw new InvalidContentError(problems.map(formatProblem));

  // Astro writes its prerender chunks under the output directory only when that directory is
  // inside the working directory (else in ./.astro, shared by concurrent builds). Build into a
  // private staging directory inside the site, then move the finished site into place.
  const staging = isInside(outDir, process.cwd())
    ? outDir
    : resolve(siteRoot, '.astro/staging', createHash('sha256').update(outDir).digest('hex').slice(0, 12));
  process.env.CONTENT_DIR = contentDir;
  process.env.SITE_OUT_DIR = outDir;
  process.env.ASTRO_TELEMETRY_DISABLED = '1';
  const { build } = await import('astro');
  // Astro keeps generated modules in site/.astro whatever the content tree: two builds of
  // different trees at once (tests, the editor server) would mix them up. One at a time.
  await withBuildLock(async () => {
    lap('attente');
    await build({ root: siteRoot, outDir: staging, logLevel: process.env.ASTRO_LOG_LEVEL === 'info' ? 'info' : 'warn' });
  });
  lap('astro');

  const pagefind = await import('pagefind');
  const { index, errors } = await pagefind.createIndex({ forceLanguage: 'fr' });
  if (!index) throw new Error(`Pagefind : ${errors.join(', ')}`);
  const added = await index.addDirectory({ path: staging });
  if (added.errors.length) throw new Error(`Pagefind : ${added.errors.join(', ')}`);
  const written = await index.writeFiles({ outputPath: resolve(staging, 'pagefind') });
  if (written.errors.length) throw new Error(`Pagefind : ${written.errors.join(', ')}`);
  await pagefind.close();
  lap('pagefind');

  if (staging !== outDir) await moveInto(staging, outDir);
  return { indexedPages: added.page_count, seconds };
}

/** Runs `task` while holding site/.astro/build.lock; a lock left by a dead process is taken over. */
async function withBuildLock<T>(task: () => Promise<T>): Promise<T> {
  const lock = resolve(siteRoot, '.astro/build.lock');
  await mkdir(resolve(siteRoot, '.astro'), { recursive: true });
  for (;;) {
    try {
      const handle = await open(lock, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
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

function isInside(path: string, dir: string): boolean {
  const rel = relative(dir, path);
  return rel !== '' && !rel.startsWith('..') && !resolve(rel).startsWith('..');
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
  try {
    const { indexedPages, seconds } = await buildSite({ contentDir, outDir });
    const phases = Object.entries(seconds).map(([name, s]) => `${name} ${s.toFixed(1)} s`).join(', ');
    console.log(`Site construit dans ${relative(process.cwd(), outDir) || outDir} (${indexedPages} pages indexées) en ${((performance.now() - started) / 1000).toFixed(1)} s : ${phases}.`);
  } catch (error) {
    if (error instanceof InvalidContentError) {
      console.error(error.lines.join('\n'));
      console.error(`\nConstruction arrêtée : ${error.lines.length} problème(s) dans le contenu (${contentDir}).`);
    } else {
      console.error(`Construction impossible : ${error instanceof Error ? error.message : String(error)}`);
    }
    process.exitCode = 1;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
