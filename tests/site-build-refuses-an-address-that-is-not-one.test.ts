/** `npm run build` with a SITE_URL that is not an http(s) address stops at once, saying which variable and how to fix it. */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScript } from './helpers/run-script.ts';

describe('npm run build with a wrong SITE_URL', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'terreau-site-url-'));
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('stops before building, with a French sentence naming SITE_URL', () => {
    const outDir = join(root, 'site');
    const result = runScript('build-site', [], { SITE_URL: 'terreau.exemple.org', SITE_OUT_DIR: outDir });
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe(
      'variables d’environnement: SITE_URL: adresse invalide « terreau.exemple.org » : une adresse complète est attendue, par exemple https://terreau.example.org/',
    );
    expect(existsSync(outDir)).toBe(false);
  });
});
