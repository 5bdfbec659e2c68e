/**
 * A field of the data (here the résumé and the title) typed through the collaboration protocol,
 * keystroke by keystroke as the editor's form sends it, is durable like the body: it survives the
 * client leaving less than a second after the last keystroke, and the server being killed with
 * SIGKILL; both times it reaches Git.
 */
import { execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HocuspocusProvider } from '@hocuspocus/provider';
import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { readField } from '../core/bridge/mdx-yjs.ts';
import { Accounts } from '../editor-server/src/accounts/accounts.ts';
import { openDatabase } from '../editor-server/src/storage/database.ts';
import { SqliteSql } from '../editor-server/src/storage/sql.ts';
import { acknowledged, connect, startServerProcess, startTestServer, waitFor } from './helpers/editor-server.ts';

const FICHE = 'fiches/jardin-partage';

/** Types `text` at the end of a text field of the data, one character per update, as a person would. */
async function typeInField(provider: HocuspocusProvider, field: string, text: string): Promise<void> {
  const value = provider.document.getMap('frontmatter').get(field);
  expect(value).toBeInstanceOf(Y.Text);
  for (const char of text) {
    (value as Y.Text).insert((value as Y.Text).length, char);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const fileAtHead = (repo: string) => execFileSync('git', ['-C', repo, 'show', `HEAD:${FICHE}.mdx`], { encoding: 'utf8' });

describe('a data field typed through the collaboration protocol', () => {
  const children: ChildProcess[] = [];
  const dirs: string[] = [];
  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('survives the editor leaving within a second of the last keystroke, and is committed', async () => {
    const t = await startTestServer({ git: { idleCommitMs: 60_000 } });
    try {
      const alice = await t.addUser('Alice Martin');
      const writer = await connect(t.wsUrl, FICHE, alice.token);
      await typeInField(writer, 'resume', ' Ouvert à tous le samedi.');
      // The editor leaves half a second after the last keystroke, acknowledged or not.
      await new Promise((resolve) => setTimeout(resolve, 500));
      writer.destroy();

      const reader = await connect(t.wsUrl, FICHE, null);
      await waitFor(() => / Ouvert à tous le samedi\.$/.test(String(readField(reader.document.getMap('frontmatter'), 'resume'))), 10_000, 'résumé relu');
      reader.destroy();
      // Its last editor left: the document is committed at once, not after the idle delay.
      await waitFor(() => fileAtHead(join(t.dataDir, 'commons')).includes('Ouvert à tous le samedi.'), 20_000, 'commit au départ');
    } finally {
      await t.close();
    }
  }, 150_000);

  it('survives kill -9 right after it is acknowledged, and reaches Git after the restart', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'terreau-champ-kill-'));
    dirs.push(dataDir);
    const first = await startServerProcess(dataDir);
    children.push(first.child);
    const db = openDatabase(join(dataDir, 'terreau.sqlite'));
    const accounts = await Accounts.open(new SqliteSql(db));
    const user = await accounts.addUser({ email: 'bruno@exemple.fr', name: 'Bruno Lefèvre', role: 'contributeur' });
    const token = (await accounts.createToken(user.id)).token;
    db.close();

    const writer = await connect(`ws://127.0.0.1:${first.port}/collab`, FICHE, token);
    await typeInField(writer, 'titre', ' au bourg');
    await typeInField(writer, 'resume', ' Une parcelle prêtée par la mairie.');
    await acknowledged(writer);
    first.child.kill('SIGKILL');
    writer.destroy();

    const second = await startServerProcess(dataDir);
    children.push(second.child);
    const reader = await connect(`ws://127.0.0.1:${second.port}/collab`, FICHE, null);
    const data = reader.document.getMap('frontmatter');
    expect(readField(data, 'titre')).toMatch(/ au bourg$/);
    expect(readField(data, 'resume')).toMatch(/ Une parcelle prêtée par la mairie\.$/);
    reader.destroy();
    // Uncommitted at the kill (commits wait 10 minutes of calm): committed by the restarted server.
    const repo = join(dataDir, 'commons');
    await waitFor(() => /titre: ".* au bourg"/.test(fileAtHead(repo)) && fileAtHead(repo).includes('Une parcelle prêtée par la mairie.'), 20_000, 'commit après redémarrage');
    expect(execFileSync('git', ['-C', repo, 'log', '-1', '--format=%an'], { encoding: 'utf8' }).trim()).toBe('Bruno Lefèvre');
  }, 150_000);
});
