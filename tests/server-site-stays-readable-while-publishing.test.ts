/** Readers of the public site never see it missing or cut short while a new version is published. */
import { createServer } from 'node:http';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { serveStaticSite } from '../editor-server/src/http/static-site.ts';
import { SitePublisher } from '../editor-server/src/publish/site-publisher.ts';

let root: string;
afterAll(() => rm(root, { recursive: true, force: true }));

describe('publishing the site', () => {
  it('answers every request with a whole page, old or new, during twenty publications', async () => {
    root = await mkdtemp(join(tmpdir(), 'terreau-publish-'));
    const siteDir = join(root, 'site');
    let version = 0;
    // A page large enough to be streamed in several chunks.
    const page = (n: number) => `<!doctype html><title>v${n}</title>${'<p>Terreau</p>'.repeat(20_000)}<p>fin</p>`;
    const publisher = new SitePublisher(siteDir, async (outDir) => {
      await rm(outDir, { recursive: true, force: true });
      await import('node:fs/promises').then((fs) => fs.mkdir(outDir, { recursive: true }));
      await writeFile(join(outDir, 'index.html'), page(++version));
    });
    await publisher.publish().published;
    const server = createServer((request, response) => void serveStaticSite(siteDir, request, response, new URL(request.url!, 'http://localhost')));
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;

    let publishing = true;
    const readers = Array.from({ length: 4 }, async () => {
      const answers: string[] = [];
      while (publishing) {
        const response = await fetch(url).catch((error: Error) => ({ status: 0, text: async () => error.message }));
        const body = await response.text().catch((error: Error) => `coupé : ${error.message}`);
        answers.push(response.status === 200 && body.endsWith('<p>fin</p>') ? 'ok' : `${response.status} ${body.slice(0, 80)}`);
      }
      return answers;
    });
    for (let i = 0; i < 20; i++) await publisher.publish().published;
    publishing = false;
    const answers = (await Promise.all(readers)).flat();
    server.close();
    expect(version).toBe(21);
    expect(answers.length).toBeGreaterThan(20);
    expect(answers.filter((answer) => answer !== 'ok')).toEqual([]);
  }, 60_000);
});
