/**
 * The content loader of the MDX collections: reads `<collection>/*.mdx`, validates the frontmatter
 * with the collection's schema (Astro's `parseData`) and stores the body already rendered to HTML
 * by `body-html.ts` (not the body as written: what needs it reads the file, as the open-data
 * exports do, and Astro's data store, written to disk at every build, stays a third smaller).
 * Astro keeps the store between builds, so a rebuild reads every file but parses and renders
 * only those whose text (or the renderer) changed. Bodies are never compiled
 * to JavaScript modules: nothing contributed is bundled or run. In a full build, the validation
 * thread has read and rendered them already (prepared-entries.ts): the loader takes its work.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Loader, LoaderContext } from 'astro/loaders';
import { readEntry } from '../../../core/content-files.ts';
import { renderBody } from '../../../core/body-html.ts';
import { placeProblems, ProblemError } from '../../../core/problem.ts';
import { preparedEntries, storedBody, textDigest } from './prepared-entries.ts';

/**
 * What decides a body's HTML: the renderer's code and, through the lockfile, the versions of the
 * libraries it uses. A change to any of them re-renders every body.
 */
const RENDERER_FILES = ['../core/body-html.ts', '../core/mdx-parse.ts', '../core/mdx-safety.ts', '../core/medias.ts', '../core/typography.ts', '../schemas/mdx-components.ts', '../package-lock.json'];

let rendererText: Promise<string> | undefined;

/** The renderer's files, read once per build (every MDX collection keys its cache on them). */
function readRenderer(siteRoot: string): Promise<string> {
  rendererText ??= Promise.all(RENDERER_FILES.map((file) => readFile(join(siteRoot, file), 'utf8').catch(() => ''))).then((texts) => texts.join('\n'));
  return rendererText;
}

/** How many files are read at once (a large commons has tens of thousands). */
const CONCURRENCY = 64;

/** Loads the MDX entries of one collection folder, each with its body rendered to HTML. */
export function mdxEntries(collection: string, base: string): Loader {
  return {
    name: 'terreau-mdx',
    async load(context) {
      const { store, config } = context;
      const siteRoot = fileURLToPath(config.root);
      const rendererDigest = context.generateDigest(await readRenderer(siteRoot));

      let rendered = 0;
      const sync = async (file: string) => {
        const path = join(base, file);
        // Taken for every file, kept in the cache or not, so that no prepared entry stays held.
        const taken = preparedEntries()?.take(`${collection}/${file}`);
        const text = await readFile(path, 'utf8');
        const id = file.slice(0, -'.mdx'.length);
        const digest = context.generateDigest(`${rendererDigest}\n${text}`);
        if (store.get(id)?.digest === digest) return id;
        const prepared = await taken;
        const entry =
          prepared?.digest === textDigest(text)
            ? { data: await context.parseData({ id: prepared.slug, data: prepared.data as Record<string, unknown>, filePath: path }), rendered: prepared.rendered }
            : await loadEntry(context, `${collection}/${file}`, path, text);
        store.set({ id, digest, ...entry, filePath: relative(siteRoot, path) });
        rendered++;
        return id;
      };

      const files = (await readdir(base)).filter((file) => file.endsWith('.mdx')).sort();
      const seen = new Set<string>();
      for (let i = 0; i < files.length; i += CONCURRENCY) {
        for (const id of await Promise.all(files.slice(i, i + CONCURRENCY).map(sync))) seen.add(id);
      }
      for (const id of store.keys()) if (!seen.has(id)) store.delete(id);
      context.logger.info(`${collection} : ${rendered} corps rendu(s), ${files.length - rendered} repris du cache`);
    },
  };
}

/**
 * One entry as the loader stores it: frontmatter checked by the schema, body rendered; errors
 * name the file and the line. The incremental publisher loads the files a commit changed with it.
 */
export async function loadEntry(context: Pick<LoaderContext, 'parseData'>, file: string, path: string, text: string) {
  const raw = readEntry(file, text);
  if (raw.yamlErrors.length) throw new ProblemError(raw.yamlErrors.map((e) => ({ file, line: e.line, field: 'frontmatter', message: e.message })));
  const data = await context.parseData({ id: raw.slug, data: raw.data as Record<string, unknown>, filePath: path });
  try {
    return { data, rendered: storedBody(renderBody(raw.body)) };
  } catch (error) {
    if (!(error instanceof ProblemError)) throw error;
    throw new ProblemError(placeProblems(error.problems, raw.bodyStartLine, file));
  }
}
