/**
 * Astro's prerenderer, seen from the build: the ordered list of the site's paths (the search index
 * takes pages in that order), and, for the incremental publisher, the compiled site kept after a
 * full build to render any path again, as Astro renders it. A full build that keeps nothing
 * renders every path itself (`renderEveryPath`), as Astro's build would, and calls the endpoints
 * that list their paths (a feed and a JSON file per entry…) directly.
 *
 * Public API: an integration's `astro:build:start` hook may replace the prerenderer
 * (`setPrerenderer`); ours wraps Astro's default one. Two functions of Astro's build are not
 * exported by the package and are imported from its files (`renderPath`, which turns a rendered
 * response into the file a build writes, and `StaticPaths`, which lists every route's paths): the
 * equivalence test (tests/site-incremental-publish-matches-a-full-build.test.ts) fails if a new
 * Astro changes what they do.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { AstroIntegration } from 'astro';
import { registeredPageIndexer } from '../../site/src/lib/page-indexer.ts';

/** A path of the site and the route that renders it (Astro's `PathWithRoute`). */
export interface SitePath {
  pathname: string;
  route: RouteData;
}

/** A path with the props its route's `getStaticPaths` gave it, serialized (to see them change). */
export interface ListedPath extends SitePath {
  props: string;
}

/** A file of the built site, as a render makes it. */
export interface RenderedFile {
  /** Path relative to the output directory, `/` separated. */
  file: string;
  body: Buffer;
}

/** How `listPaths` runs the routes' `getStaticPaths`. */
export interface ListingOptions {
  /** Whether a route's paths from the last listing still hold (its `getStaticPaths` read nothing that changed). */
  keep?(route: RouteData): boolean;
  /** Wraps each `getStaticPaths` that runs (to record what it reads). */
  around?<T>(route: RouteData, run: () => Promise<T>): Promise<T>;
}

/** The compiled site of a full build, kept to render pages again. */
export interface SiteRenderer {
  /**
   * Every path of the site, in the order a full build renders them: each route's `getStaticPaths`
   * runs again on the current content, unless `keep` says its last paths still hold.
   */
  listPaths(options?: ListingOptions): Promise<ListedPath[]>;
  /** Renders one path as a full build would; undefined when it makes no file. */
  render(path: SitePath): Promise<RenderedFile | undefined>;
  /** The file a path makes, relative to the output directory (for deleting it). */
  fileOf(path: SitePath): string;
}

// Astro's own types for these are internal; the few fields used here are named.
export interface RouteData {
  route: string;
  component: string;
  type: string;
  pathname?: string;
  prerender?: boolean;
  distURL?: URL[];
}
type StaticPathsOfRoute = { params: Record<string, string | undefined>; props?: object }[];
interface PrerenderApp {
  manifest: { routes: { routeData: RouteData }[]; serverLike: boolean; base: string; trailingSlash: string };
  routeCache: { cache: Record<string, unknown>; key(route: RouteData): string; get(route: RouteData): { staticPaths?: StaticPathsOfRoute } | undefined };
  getOptions(): BuildOptions;
  getComponentByRoute(route: RouteData): Promise<unknown>;
}
interface BuildOptions {
  settings: { config: { outDir: URL; site?: string; trailingSlash: string; build: { format: string; concurrency: number } } };
  logger: unknown;
  /** The pages a build made, for its summary and the `astro:build:done` hook. */
  pageNames: string[];
}
interface Prerenderer {
  name: string;
  app?: PrerenderApp;
  setup?(): Promise<void>;
  getStaticPaths(): Promise<SitePath[]>;
  render(request: Request, options: { routeData: RouteData; collectMetadata?: boolean }): Promise<Response | { response: Response }>;
  teardown?(): Promise<void>;
}
type RenderPath = (input: {
  prerenderer: Prerenderer;
  pathname: string;
  route: RouteData;
  options: BuildOptions;
  logger: unknown;
  collectMetadata: boolean;
}) => Promise<{ body: Buffer | string; outFile: URL } | null>;
type GetOutFile = (format: string, outFolder: URL, pathname: string, route: RouteData) => URL;
type GetOutFolder = (settings: BuildOptions['settings'], pathname: string, route: RouteData) => URL;

const astroRoot = dirname(createRequire(import.meta.url).resolve('astro/package.json'));
const astroFile = (path: string) => import(pathToFileURL(join(astroRoot, 'dist', path)).href);

/** Paths as Astro's build takes them: the first route to claim a path wins, fallbacks come last. */
function orderPaths<P extends SitePath>(paths: P[]): P[] {
  const seen = new Set<string>();
  const main: P[] = [];
  const fallbacks: P[] = [];
  for (const path of paths) {
    const key = normalizePathname(path.pathname);
    if (seen.has(key)) continue;
    seen.add(key);
    (path.route.type === 'fallback' ? fallbacks : main).push(path);
  }
  return [...main, ...fallbacks];
}

/** A URL path without its trailing slash (how pages and the list of paths are matched). */
export function normalizePathname(pathname: string): string {
  return pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
}

/**
 * The integration that wraps Astro's prerenderer: `onPaths` gets the site's paths in build order,
 * and where each writes its file, before any page renders; `keep`, if given, gets the compiled
 * site once every page is rendered. Without `keep`, every path is rendered by `renderEveryPath`
 * and Astro's own loop has nothing left to do.
 */
export function prerendererIntegration(hooks: { onPaths(paths: SitePath[], fileOf: (path: SitePath) => string): void; keep?(renderer: SiteRenderer): void }): AstroIntegration {
  return {
    name: 'terreau-prerenderer',
    hooks: {
      'astro:build:start': ({ setPrerenderer }) => {
        setPrerenderer(((astroDefault: Prerenderer): Prerenderer => ({
          ...astroDefault,
          name: 'terreau',
          setup: () => astroDefault.setup!(),
          async getStaticPaths() {
            const paths = await astroDefault.getStaticPaths();
            const ordered = orderPaths(paths);
            const { fileOf } = await astroBuild(astroDefault.app!);
            hooks.onPaths(ordered, fileOf);
            // Kept for the publisher, every path goes through Astro, whose middleware records what it reads.
            if (hooks.keep) return paths;
            await renderEveryPath(astroDefault, paths, ordered);
            return [];
          },
          render: (request, options) => astroDefault.render(request, options),
          async teardown() {
            await astroDefault.teardown?.();
            if (!hooks.keep) return;
            // Astro deletes the compiled pages after the build: load every route's module now.
            const app = astroDefault.app!;
            for (const { routeData } of app.manifest.routes) {
              await app.getComponentByRoute(routeData).catch(() => undefined);
            }
            hooks.keep(await keptRenderer(astroDefault));
          },
        })) as never);
      },
    },
  };
}

/**
 * Astro's functions that render a path as its build does, where a path's file goes (absolute), and
 * the name its build gives a page.
 */
async function astroBuild(app: PrerenderApp): Promise<{ renderPath: RenderPath; fileOf(path: SitePath): string; pageNameOf(path: SitePath): string }> {
  const [{ renderPath }, { getOutFile, getOutFolder }, { shouldAppendForwardSlash }] = (await Promise.all([
    astroFile('core/build/generate.js'),
    astroFile('core/build/common.js'),
    astroFile('core/build/util.js'),
  ])) as [{ renderPath: RenderPath }, { getOutFile: GetOutFile; getOutFolder: GetOutFolder }, { shouldAppendForwardSlash(trailingSlash: string, format: string): boolean }];
  const { settings } = app.getOptions();
  const fileOf = (path: SitePath) => {
    const encoded = encodeURI(path.pathname);
    return fileURLToPath(getOutFile(settings.config.build.format, getOutFolder(settings, encoded, path.route), encoded, path.route));
  };
  const slash = shouldAppendForwardSlash(settings.config.trailingSlash, settings.config.build.format);
  const pageNameOf = (path: SitePath) => (slash ? path.pathname.replace(/\/?$/, '/') : path.pathname).replace(/^\//, '');
  return { renderPath, fileOf, pageNameOf };
}

/**
 * Renders every path of `ordered` (Astro's list is `paths`, in which each route's paths come in
 * the order of its static paths) and writes its file, as Astro's build would, several at once
 * (one path computes while others are read or written). The pages go through Astro's
 * `renderPath`, whose middleware may hand a page to the search index's thread, which writes it
 * itself. The endpoints with parameters (a feed and a JSON file per entry…) are called directly
 * with the parameters and props of their route's `getStaticPaths`: for Astro, a path is a
 * request, a render context, the middleware and a look into public/, more work than a feed of a
 * few kilobytes takes (0.5 s of a 2,000-entry build). They read only `params`, `props` and
 * `site`; what their file holds does not depend on who calls them (the publisher renders the same
 * paths through Astro, and the equivalence test compares the two byte for byte).
 */
async function renderEveryPath(prerenderer: Prerenderer, paths: SitePath[], ordered: SitePath[]): Promise<void> {
  const app = prerenderer.app!;
  const options = app.getOptions();
  const { renderPath, fileOf, pageNameOf } = await astroBuild(app);
  const site = options.settings.config.site ? new URL(options.settings.config.site) : undefined;
  const indexer = registeredPageIndexer();
  // Each path with its place among its route's static paths.
  const seen = new Map<RouteData, number>();
  const places = new Map<SitePath, number>();
  for (const path of paths) {
    places.set(path, seen.get(path.route) ?? 0);
    seen.set(path.route, places.get(path)! + 1);
  }
  const queue = ordered.map((path) => ({ path, index: places.get(path)! }));
  const folders = new Map<string, Promise<unknown>>();
  const write = async (file: string, body: Uint8Array) => {
    const folder = dirname(file);
    if (!folders.has(folder)) folders.set(folder, mkdir(folder, { recursive: true }));
    await folders.get(folder);
    await writeFile(file, body);
  };
  const renderOne = async ({ path, index }: { path: SitePath; index: number }) => {
    if (path.route.type !== 'endpoint' || path.route.pathname) {
      if (path.route.type === 'page') options.pageNames.push(pageNameOf(path));
      const result = await renderPath({ prerenderer, pathname: path.pathname, route: path.route, options, logger: options.logger, collectMetadata: false });
      // Nothing to write when the index's thread wrote the page (or the path makes no file).
      if (result) await write(fileURLToPath(result.outFile), typeof result.body === 'string' ? Buffer.from(result.body) : result.body);
      return;
    }
    const { params, props = {} } = app.routeCache.get(path.route)!.staticPaths![index]!;
    const { GET } = (await app.getComponentByRoute(path.route)) as { GET(context: object): Response | Promise<Response> };
    const url = new URL(path.pathname, site ?? 'http://localhost/');
    const response = await GET({ params, props, site, url, request: new Request(url) });
    if (!response.ok) throw new Error(`${path.route.component} : réponse ${response.status} pour ${path.pathname}`);
    await write(fileOf(path), new Uint8Array(await response.arrayBuffer()));
    // The search index takes every path, files that are not pages included (in order: it sorts them).
    indexer?.other(path.pathname);
  };
  let next = 0;
  const worker = async () => {
    while (next < queue.length) await renderOne(queue[next++]!);
  };
  await Promise.all(Array.from({ length: options.settings.config.build.concurrency }, worker));
}

type CallGetStaticPaths = (options: { mod: unknown; route: RouteData; routeCache: PrerenderApp['routeCache']; ssr: boolean; base: string; trailingSlash: string }) => Promise<unknown>;

// A route's props serialized once per run of its getStaticPaths (a kept route keeps the same array).
const propsOfStaticPaths = new WeakMap<StaticPathsOfRoute, string[]>();
function serializedProps(staticPaths: StaticPathsOfRoute): string[] {
  let serialized = propsOfStaticPaths.get(staticPaths);
  if (!serialized) propsOfStaticPaths.set(staticPaths, (serialized = staticPaths.map((path) => JSON.stringify(path.props ?? null))));
  return serialized;
}

async function keptRenderer(prerenderer: Prerenderer): Promise<SiteRenderer> {
  const app = prerenderer.app!;
  const options = app.getOptions();
  const [{ renderPath, fileOf: absoluteFileOf }, { StaticPaths }, { callGetStaticPaths }] = (await Promise.all([
    astroBuild(app),
    import('astro/runtime/prerender/static-paths.js' as string),
    astroFile('core/render/route-cache.js'),
  ])) as [
    Awaited<ReturnType<typeof astroBuild>>,
    { StaticPaths: new (app: PrerenderApp) => { getAll(): Promise<SitePath[]> } },
    { callGetStaticPaths: CallGetStaticPaths },
  ];
  const outDir = fileURLToPath(options.settings.config.outDir);
  const fileOf = (path: SitePath) => relative(outDir, absoluteFileOf(path)).split('\\').join('/');
  return {
    async listPaths({ keep = () => false, around = (_, run) => run() }: ListingOptions = {}) {
      const { manifest, routeCache } = app;
      // Astro caches each route's static paths: those that may have changed are forgotten and
      // made again here, one route at a time (so that `around` sees each); StaticPaths then lists them all.
      for (const { routeData: route } of manifest.routes) {
        if (!route.prerender || route.pathname) continue;
        if (routeCache.get(route)?.staticPaths && keep(route)) continue;
        delete routeCache.cache[routeCache.key(route)];
        if (route.type !== 'page' && route.type !== 'endpoint') continue;
        const mod = await app.getComponentByRoute(route);
        await around(route, () => callGetStaticPaths({ mod, route, routeCache, ssr: manifest.serverLike, base: manifest.base, trailingSlash: manifest.trailingSlash }));
      }
      const paths = await new StaticPaths(app).getAll();
      // Paths come out in the order of their route's getStaticPaths: pair them with its props.
      const seen = new Map<RouteData, number>();
      const listed = paths.map((path) => {
        const index = seen.get(path.route) ?? 0;
        seen.set(path.route, index + 1);
        const staticPaths = path.route.pathname ? undefined : routeCache.get(path.route)?.staticPaths;
        return { ...path, props: staticPaths ? serializedProps(staticPaths)[index]! : 'null' };
      });
      return orderPaths(listed);
    },
    async render(path) {
      const result = await renderPath({ prerenderer, pathname: path.pathname, route: path.route, options, logger: options.logger, collectMetadata: false });
      // renderPath lists every file a route made; a long-lived renderer must not let that grow.
      path.route.distURL = undefined;
      if (!result) return undefined;
      const file = relative(outDir, fileURLToPath(result.outFile)).split('\\').join('/');
      return { file, body: Buffer.isBuffer(result.body) ? result.body : Buffer.from(result.body) };
    },
    fileOf,
  };
}
