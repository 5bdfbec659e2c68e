import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runScript } from './helpers/run-script.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'terreau-admin-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
const admin = (...args: string[]) => runScript('admin', args, { DATA_DIR: dataDir });

describe('npm run admin', () => {
  it('prints its French usage for --help, and succeeds', () => {
    const help = admin('--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Utilisation : npm run admin -- <commande> [options]');
    expect(help.stdout).toContain('--role R          contributeur, relecteur ou administrateur');
    expect(admin('-h').stdout).toBe(help.stdout);
  });

  it('says a missing --role is missing and an unknown one is unknown, naming the option', () => {
    const missing = admin('user', 'add', '--email', 'claire@exemple.fr', '--name', 'Claire Martin');
    expect(missing.status).toBe(1);
    expect(missing.stderr.trim()).toBe('option --role : champ obligatoire manquant');
    const unknown = admin('user', 'add', '--email', 'claire@exemple.fr', '--name', 'Claire Martin', '--role', 'chef');
    expect(unknown.stderr.trim()).toBe('option --role : rôle inconnu « chef » : choisissez contributeur, relecteur, administrateur');
  });

  it('answers an unknown option in French, with the usage', () => {
    const result = admin('user', 'add', '--courriel', 'x');
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^option inconnue « --courriel »\n\nUtilisation :/);
  });
});
