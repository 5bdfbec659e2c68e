/**
 * With DATABASE_URL, `npm run admin -- …` creates accounts and tokens in the PostgreSQL database
 * the servers share, not in a SQLite file of its own: the token it prints resolves through that
 * database, and nothing is written under DATA_DIR.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Accounts } from '../editor-server/src/accounts/accounts.ts';
import { openSqlDatabase } from '../editor-server/src/storage/open-sql.ts';
import { startPostgres, type PostgresServer } from '../scripts/lib/postgres-server.ts';
import { runScriptAsync } from './helpers/run-script.ts';
import { describeWithServices } from './helpers/services.ts';

describeWithServices('npm run admin with DATABASE_URL', () => {
  let postgres: PostgresServer;
  let databaseUrl: string;
  let dataDir: string;
  beforeAll(async () => {
    postgres = await startPostgres();
    databaseUrl = await postgres.createDatabase('admin');
    dataDir = await mkdtemp(join(tmpdir(), 'terreau-admin-pg-'));
  }, 120_000);
  afterAll(async () => {
    await postgres?.destroy();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('creates the account and its token in the shared database', async () => {
    const env = { DATA_DIR: dataDir, DATABASE_URL: databaseUrl };
    const added = await runScriptAsync('admin', ['user', 'add', '--email', 'Gael@exemple.fr', '--name', 'Gaël Morel', '--role', 'relecteur'], env);
    expect(added.status, added.stderr).toBe(0);
    const created = await runScriptAsync('admin', ['token', 'create', '--email', 'gael@exemple.fr', '--label', 'import'], env);
    expect(created.status, created.stderr).toBe(0);
    const token = created.stdout.trim().split('\n').at(-1)!;
    expect(token).toMatch(/^trr_/);

    const database = await openSqlDatabase({ databaseUrl, dataDir });
    try {
      const accounts = await Accounts.open(database.sql);
      expect(await accounts.userForToken(token)).toMatchObject({ name: 'Gaël Morel', role: 'relecteur' });
    } finally {
      await database.close();
    }
    expect(existsSync(join(dataDir, 'terreau.sqlite'))).toBe(false);
    const again = await runScriptAsync('admin', ['user', 'add', '--email', 'gael@EXEMPLE.fr', '--name', 'Autre', '--role', 'contributeur', '--password', 'une phrase longue'], env);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('un compte existe déjà pour gael@EXEMPLE.fr');
  });
});
