/**
 * A commons as the editor server makes it (seed import, then edits through the collaboration
 * protocol by people of each role), published by the server's own build on the address it listens
 * on. The edits run on a server without builds; a second server on the same data then publishes
 * once, as `npm start` does at start: one build instead of one per commit.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { startTestServer, type TestServer } from './editor-server.ts';

/** A published commons and the server that serves it. */
export interface PublishedCommons {
  /** The server that published the site (listening, site built). */
  server: TestServer;
  /** Root of the published site. */
  siteDir: string;
  /** Every text file of the site (HTML, XML, JSON, CSV, TXT), by path relative to the site. */
  texts(): Promise<Map<string, string>>;
  close(): Promise<void>;
}

/** Runs `edit` on a fresh commons, then publishes it with the server's own build. */
export async function publishCommonsAfter(edit: (t: TestServer) => Promise<void>): Promise<PublishedCommons> {
  const dataDir = await mkdtemp(join(tmpdir(), 'terreau-published-'));
  const editing = await startTestServer({ dataDir, git: { idleCommitMs: 60_000 } });
  try {
    await edit(editing);
    await editing.server.gitSync.idle();
  } finally {
    await editing.server.close();
  }
  const server = await startTestServer({ dataDir, siteBuild: true, quiet: true });
  await server.server.publisher.publish().indexed;
  const siteDir = server.server.paths.siteDir;
  return {
    server,
    siteDir,
    async texts() {
      const texts = new Map<string, string>();
      for (const entry of await readdir(siteDir, { recursive: true, withFileTypes: true })) {
        if (!entry.isFile() || !/\.(html|xml|json|csv|txt|geojson)$/.test(entry.name)) continue;
        const path = join(entry.parentPath, entry.name);
        texts.set(relative(siteDir, path), await readFile(path, 'utf8'));
      }
      return texts;
    },
    async close() {
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
