/**
 * One server with DATABASE_URL (and no Redis) keeps its journal and its accounts in PostgreSQL
 * instead of SQLite: an acknowledged edit is a row of PostgreSQL's journal before any commit, its
 * author a row of PostgreSQL's users, no SQLite file is made; it is committed credited to its
 * author, and the server started again finds the document.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startPostgres, type PostgresServer } from '../scripts/lib/postgres-server.ts';
import { acknowledged, appendParagraph, bodyText, connect, startTestServer, waitFor } from './helpers/editor-server.ts';
import { describeWithServices } from './helpers/services.ts';

describeWithServices('one server with DATABASE_URL', () => {
  let postgres: PostgresServer;
  beforeAll(async () => {
    postgres = await startPostgres();
  }, 120_000);
  afterAll(async () => {
    await postgres?.destroy();
  });

  it('journals in PostgreSQL, commits, and finds the document again from there', async () => {
    const databaseUrl = await postgres.createDatabase('seul');
    const dataDir = await mkdtemp(join(tmpdir(), 'terreau-pg-'));
    const first = await startTestServer({ databaseUrl, dataDir, git: { idleCommitMs: 60_000 } });
    expect(first.server.store.kind).toBe('postgres');
    const alice = await first.addUser('Alice Martin');
    const provider = await connect(first.wsUrl, 'fiches/jardin-partage', alice.token);
    appendParagraph(provider.document, 'Phrase gardée par PostgreSQL.');
    await acknowledged(provider);
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ count: string }>("SELECT count(*) FROM journal WHERE document = 'fiches/jardin-partage'");
      expect(Number(rows[0]!.count)).toBeGreaterThan(0);
      const editors = await client.query<{ user_id: string }>("SELECT user_id FROM pending_editors WHERE document = 'fiches/jardin-partage'");
      expect(editors.rows.map((r) => r.user_id)).toEqual([alice.id]);
      const users = await client.query<{ name: string }>('SELECT name FROM users WHERE id = $1', [alice.id]);
      expect(users.rows).toEqual([{ name: 'Alice Martin' }]);
    } finally {
      await client.end();
    }
    expect(existsSync(join(dataDir, 'terreau.sqlite'))).toBe(false);
    // Leaving commits it, credited to its author.
    provider.destroy();
    await waitFor(() => execFileSync('git', ['-C', `${first.dataDir}/commons`, 'show', 'HEAD:fiches/jardin-partage.mdx'], { encoding: 'utf8' }).includes('Phrase gardée par PostgreSQL.'), 30_000, 'commit');
    expect(execFileSync('git', ['-C', `${first.dataDir}/commons`, 'log', '-1', '--format=%an'], { encoding: 'utf8' }).trim()).toBe('Alice Martin');
    await first.close();

    const second = await startTestServer({ databaseUrl, dataDir });
    try {
      const reader = await connect(second.wsUrl, 'fiches/jardin-partage', null);
      expect(bodyText(reader.document).split('Phrase gardée par PostgreSQL.')).toHaveLength(2);
      reader.destroy();
    } finally {
      await second.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 180_000);
});
