/**
 * The seed content (content/) built into a static site once, and shared by the test files that
 * need the real site in front of an editor server: built by `npm run build` into the system's
 * temporary folder under a key of the code and content it depends on, so that every test file of
 * a run — and later runs, while nothing changed — reuse it. Test files running at the same time
 * wait for the one that builds.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { rename } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ConfigOverrides } from '../../editor-server/src/config.ts';
import { startTestServer, type TestServer } from './editor-server.ts';
import { buildSite } from './site-fixture.ts';

const root = resolve(import.meta.dirname, '../..');
const inputs = ['content', 'core', 'schemas', 'site/src', 'site/public', 'site/astro.config.mjs', 'scripts/build-site.ts', 'package-lock.json'];

/** A key that changes whenever a file the build reads changes (path, size, modification time). */
function inputKey(): string {
  const hash = createHash('sha256');
  const visit = (path: string) => {
    const info = statSync(path);
    if (info.isDirectory()) {
      for (const name of readdirSync(path).sort()) if (!name.startsWith('.')) visit(join(path, name));
    } else hash.update(`${path}\n${info.size}\n${info.mtimeMs}\n`);
  };
  for (const input of inputs) visit(join(root, input));
  return hash.digest('hex').slice(0, 16);
}

/** The path of the built seed site, building it first if no test file of this code has. */
export async function builtSeedSite(): Promise<string> {
  const dir = join(tmpdir(), `terreau-site-graine-${inputKey()}`);
  const complete = join(dir, '.complet');
  const lock = `${dir}.verrou`;
  for (;;) {
    if (existsSync(complete)) return dir;
    try {
      mkdirSync(lock);
    } catch {
      // Another file builds it; a lock older than 15 minutes is from a run that died.
      if (Date.now() - statSync(lock, { throwIfNoEntry: false })!.mtimeMs > 15 * 60_000) rmSync(lock, { recursive: true, force: true });
      await new Promise((done) => setTimeout(done, 1_000));
      continue;
    }
    try {
      const staging = `${dir}.construction`;
      rmSync(staging, { recursive: true, force: true });
      const result = buildSite(join(root, 'content'), staging, `${staging}-cache`);
      rmSync(`${staging}-cache`, { recursive: true, force: true });
      if (result.status !== 0) throw new Error(`la construction du site de test a échoué :\n${result.stdout}\n${result.stderr}`);
      writeFileSync(join(staging, '.complet'), '');
      await rename(staging, dir);
      return dir;
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
}

/** An editor server on port 0 (test-server defaults) serving the built seed site. */
export async function startServerWithSite(overrides: ConfigOverrides = {}): Promise<TestServer> {
  const site = await builtSeedSite();
  const server = await startTestServer(overrides);
  // The server serves DATA_DIR/site, which publications move as a link: here, to the shared build.
  symlinkSync(site, join(server.dataDir, 'site'));
  return server;
}
