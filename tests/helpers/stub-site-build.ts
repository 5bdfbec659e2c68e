/**
 * A site build that takes a fraction of a second, for tests about how a published site travels
 * between servers (not about the site itself): one page per fiche of CONTENT_DIR, holding its
 * text, written to SITE_OUT_DIR. Run as the server's build command.
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { escapeHtml } from '../../core/escape-html.ts';

const content = process.env.CONTENT_DIR!;
const out = process.env.SITE_OUT_DIR!;
const fiches = (await readdir(join(content, 'fiches'))).filter((f) => f.endsWith('.mdx')).sort();
await mkdir(out, { recursive: true });
await writeFile(join(out, 'index.html'), `<!doctype html><title>Terreau</title><ul>${fiches.map((f) => `<li>${escapeHtml(f)}</li>`).join('')}</ul>`);
for (const file of fiches) {
  const slug = file.replace(/\.mdx$/, '');
  await mkdir(join(out, 'fiches', slug), { recursive: true });
  const text = await readFile(join(content, 'fiches', file), 'utf8');
  await writeFile(join(out, 'fiches', slug, 'index.html'), `<!doctype html><title>${escapeHtml(slug)}</title><pre>${escapeHtml(text)}</pre>`);
}
