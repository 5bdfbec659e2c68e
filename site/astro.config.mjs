// Astro configuration of the public site. The project root is site/; the content tree comes from
// CONTENT_DIR (default: the repository's content/), the output goes to SITE_OUT_DIR (default site/dist).
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'astro/config';
import mdx from '@astrojs/mdx';

const siteRoot = fileURLToPath(new URL('.', import.meta.url));
const contentDir = resolve(process.env.CONTENT_DIR ?? resolve(siteRoot, '../content'));
const outDir = resolve(process.env.SITE_OUT_DIR ?? resolve(siteRoot, 'dist'));
// The content-layer cache belongs to one content tree and one output: two builds of different
// trees (tests, the editor server's live commons) must not share or overwrite it.
// Pages and loaders read the same absolute path, whatever the working directory.
process.env.CONTENT_DIR = contentDir;
const cacheKey = createHash('sha256').update(`${contentDir}\n${outDir}`).digest('hex').slice(0, 12);

export default defineConfig({
  root: siteRoot,
  srcDir: './src',
  publicDir: './public',
  outDir,
  cacheDir: process.env.ASTRO_CACHE_DIR ?? resolve(siteRoot, '.astro/cache', cacheKey),
  site: process.env.SITE_URL ?? 'http://127.0.0.1:4321',
  trailingSlash: 'always',
  // Eight pages in flight: rendering one page while others are written to disk keeps the CPU busy
  // (one at a time, the build waits on the file system for about a third of its page phase).
  build: { format: 'directory', inlineStylesheets: 'never', concurrency: 8 },
  // No client-side router, no prefetch, no dev toolbar: plain pages that read without JavaScript.
  prefetch: false,
  devToolbar: { enabled: false },
  integrations: [mdx()],
  vite: {
    build: {
      // Nothing inlined, small scripts and assets included: the pages carry no inline script or
      // style and no data: font, so they pass the server's strict Content-Security-Policy.
      assetsInlineLimit: 0,
      rolldownOptions: {
        // Every MDX entry carries Astro's head-inject directive; one warning per entry drowns the
        // log (10,000 of them on a large commons) and says nothing actionable.
        onLog(level, log, handler) {
          if (log.code === 'MODULE_LEVEL_DIRECTIVE') return;
          handler(level, log);
        },
      },
    },
    // The schemas and the foundation library live outside site/.
    server: { fs: { allow: [resolve(siteRoot, '..'), contentDir] } },
  },
});
