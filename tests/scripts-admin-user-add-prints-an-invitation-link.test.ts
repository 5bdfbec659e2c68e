/**
 * `npm run admin -- user add` without `--password` creates the account and prints a one-time
 * invitation link, alone on its last line, at the address the server serves (SITE_URL, or the
 * HOST and PORT `npm start` listens on).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Accounts } from '../editor-server/src/accounts/accounts.ts';
import { openDatabase } from '../editor-server/src/storage/database.ts';
import { SqliteSql } from '../editor-server/src/storage/sql.ts';
import { runScript } from './helpers/run-script.ts';

describe('npm run admin -- user add without a password', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'terreau-admin-'));
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  const codeOf = (link: string) => link.split('#')[1]!;

  it('prints an invitation link at the port the server listens on, which finds the new account', async () => {
    const result = runScript('admin', ['user', 'add', '--email', 'camille@exemple.fr', '--name', 'Camille Invitée', '--role', 'relecteur'], { DATA_DIR: dataDir, PORT: '4400', SITE_URL: '' });
    expect(result.status, result.stderr).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^Compte créé : Camille Invitée <camille@exemple\.fr>, relecteur/);
    expect(lines.at(-2)).toMatch(/^Lien d’invitation à transmettre \(une seule utilisation, valable jusqu’au .+\) :$/);
    const link = lines.at(-1)!;
    expect(link).toMatch(/^http:\/\/127\.0\.0\.1:4400\/editer\/invitation\/#inv_[A-Za-z0-9_-]{20,}$/);
    const db = openDatabase(join(dataDir, 'terreau.sqlite'));
    try {
      expect(await (await Accounts.open(new SqliteSql(db))).findInvitation(codeOf(link))).toMatchObject({ name: 'Camille Invitée', role: 'relecteur' });
    } finally {
      db.close();
    }
  });

  it('uses SITE_URL when it is set, and prints no link when a password is given', () => {
    const invited = runScript('admin', ['user', 'add', '--email', 'dom@exemple.fr', '--name', 'Dom', '--role', 'contributeur'], { DATA_DIR: dataDir, SITE_URL: 'https://terreau.exemple.org' });
    expect(invited.stdout.trim().split('\n').at(-1)).toMatch(/^https:\/\/terreau\.exemple\.org\/editer\/invitation\/#inv_/);
    const withPassword = runScript('admin', ['user', 'add', '--email', 'eve@exemple.fr', '--name', 'Ève', '--role', 'contributeur', '--password', 'un mot de passe solide'], { DATA_DIR: dataDir });
    expect(withPassword.status).toBe(0);
    expect(withPassword.stdout).not.toContain('invitation');
  });
});
