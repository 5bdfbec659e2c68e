/**
 * A site worker that builds in a fraction of a second, for tests about how a published site
 * travels between servers (not about the site itself): it speaks the site worker's protocol
 * (editor-server/src/publish/site-worker-protocol.ts) and writes one page per fiche of
 * CONTENT_DIR, holding its text, in one step. Run as the server's site worker command.
 */
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { escapeHtml } from '../../core/escape-html.ts';
import type { SiteWorkerReply, SiteWorkerRequest } from '../../editor-server/src/publish/site-worker-protocol.ts';

const content = process.env.CONTENT_DIR!;

async function build(out: string): Promise<void> {
  const fiches = (await readdir(join(content, 'fiches'))).filter((f) => f.endsWith('.mdx')).sort();
  await mkdir(out, { recursive: true });
  await writeFile(join(out, 'index.html'), `<!doctype html><title>Terreau</title><ul>${fiches.map((f) => `<li>${escapeHtml(f)}</li>`).join('')}</ul>`);
  for (const file of fiches) {
    const slug = file.replace(/\.mdx$/, '');
    await mkdir(join(out, 'fiches', slug), { recursive: true });
    const text = await readFile(join(content, 'fiches', file), 'utf8');
    await writeFile(join(out, 'fiches', slug, 'index.html'), `<!doctype html><title>${escapeHtml(slug)}</title><pre>${escapeHtml(text)}</pre>`);
  }
}

process.on('message', async (request: SiteWorkerRequest) => {
  if (request.type === 'interrupt') return; // one step only: nothing to interrupt
  let reply: SiteWorkerReply;
  try {
    if (request.type === 'release') await rm(request.dir, { recursive: true, force: true });
    else await build(request.dir);
    reply = { id: request.id, ok: true, pending: false, full: true };
  } catch (error) {
    reply = { id: request.id, ok: false, error: String((error as Error).message ?? error), restart: 'later' };
  }
  process.send!(reply);
});
