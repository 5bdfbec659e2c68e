import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validateContentTree } from '../core/validate-tree.ts';
import { runScript } from './helpers/run-script.ts';

const work = mkdtempSync(join(tmpdir(), 'terreau-scripts-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('npm run new', () => {
  it('creates a valid fiche named after its title', async () => {
    const dir = join(work, 'content');
    cpSync(new URL('../content', import.meta.url).pathname, dir, { recursive: true });
    const { status, stdout } = runScript('new-entry', ['fiches', 'Créer un verger partagé', '--dir', dir, '--objectif', 'ALIM-02-02']);
    expect(status).toBe(0);
    expect(stdout.trim().endsWith('fiches/creer-un-verger-partage.mdx')).toBe(true);
    expect(readFileSync(join(dir, 'fiches/creer-un-verger-partage.mdx'), 'utf8')).toMatch(/^---\ntitre: Créer un verger partagé\n/);
    expect(await validateContentTree(dir)).toEqual([]);
  });

  it('creates a valid retour when given its commune and structure, and explains what is missing otherwise', async () => {
    const dir = join(work, 'content');
    const missing = runScript('new-entry', ['retours', 'Verger de Jazeneuil', '--dir', dir]);
    expect(missing.status).toBe(1);
    expect(missing.stderr.trim()).toBe('un retour d’expérience a besoin du code INSEE de sa commune : ajoutez --insee 86158');
    const made = runScript('new-entry', ['retours', 'Verger de Jazeneuil', '--dir', dir, '--insee', '86116', '--structure', 'la-traverse']);
    expect(made.status).toBe(0);
    expect(await validateContentTree(dir)).toEqual([]);
  });

  it('refuses an unknown collection with the list of collections', () => {
    const { status, stderr } = runScript('new-entry', ['fiche', 'Un titre']);
    expect(status).toBe(1);
    expect(stderr.trim()).toMatchInlineSnapshot(`"npm run new: collection: collection inconnue ; choisissez parmi : fiches, guides, retours, structures, territoires"`);
  });
});

describe('npm run generate', () => {
  it('writes a synthetic tree that the validator accepts', async () => {
    const out = join(work, 'synthetic');
    const { status, stdout } = runScript('generate-synthetic', ['--count', '120', '--out', out]);
    expect(status).toBe(0);
    expect(stdout).toMatch(/120 entrées/);
    expect(await validateContentTree(out)).toEqual([]);
  });
});
