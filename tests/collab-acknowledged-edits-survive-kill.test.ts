import { execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HocuspocusProvider } from '@hocuspocus/provider';
import { afterAll, describe, expect, it } from 'vitest';
import { Accounts } from '../editor-server/src/accounts/accounts.ts';
import { openDatabase } from '../editor-server/src/storage/database.ts';
import { SqliteSql } from '../editor-server/src/storage/sql.ts';
import { acknowledged, appendParagraph, connect, startServerProcess as startServer, waitFor } from './helpers/editor-server.ts';

describe('kill -9 during edits from several clients', () => {
  let dataDir: string;
  const children: ChildProcess[] = [];
  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('loses no acknowledged update, and every one reaches Git after the restart', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'terreau-kill-'));
    const first = await startServer(dataDir);
    children.push(first.child);
    const db = openDatabase(join(dataDir, 'terreau.sqlite'));
    const accounts = await Accounts.open(new SqliteSql(db));
    const tokens: string[] = [];
    for (const name of ['Alice Martin', 'Bob Durand', 'Chloé Petit']) {
      const user = await accounts.addUser({ email: `${name.split(' ')[0]!.toLowerCase()}@exemple.fr`, name, role: 'contributeur' });
      tokens.push((await accounts.createToken(user.id)).token);
    }
    db.close();

    const wsUrl = `ws://127.0.0.1:${first.port}/collab`;
    const documents = ['fiches/jardin-partage', 'fiches/cantine-locale'];
    const providers: HocuspocusProvider[] = [];
    const acked: { document: string; marker: string }[] = [];
    let running = true;
    const writers = tokens.flatMap((token, i) =>
      documents.map(async (document, d) => {
        const provider = await connect(wsUrl, document, token);
        providers.push(provider);
        for (let n = 0; running; n++) {
          const marker = `marqueur-c${i}-d${d}-${n}`;
          appendParagraph(provider.document, marker);
          try {
            await acknowledged(provider, 3_000);
          } catch {
            return; // the server is gone: this one was sent, never acknowledged
          }
          if (running) acked.push({ document, marker });
        }
      }),
    );
    await waitFor(() => acked.length >= 60, 20_000, 'éditions');
    first.child.kill('SIGKILL');
    const killedAt = acked.length;
    running = false;
    await Promise.all(writers);
    for (const provider of providers) provider.destroy();
    expect(killedAt).toBeGreaterThanOrEqual(60);

    const second = await startServer(dataDir);
    children.push(second.child);
    const secondUrl = `ws://127.0.0.1:${second.port}/collab`;
    for (const document of documents) {
      const reader = await connect(secondUrl, document, null);
      const body = reader.document.getXmlFragment('default').toString();
      const expected = acked.filter((a) => a.document === document).map((a) => a.marker);
      const missing = expected.filter((marker) => !body.includes(`>${marker}<`));
      expect(missing).toEqual([]);
      for (const marker of expected) expect(body.split(`>${marker}<`).length - 1).toBe(1);
      reader.destroy();
    }

    // Uncommitted at the kill (the idle delay was 10 minutes): committed by the restarted server.
    const repo = join(dataDir, 'commons');
    for (const document of documents) {
      const expected = acked.filter((a) => a.document === document).map((a) => a.marker);
      await waitFor(
        () => {
          const text = execFileSync('git', ['-C', repo, 'show', `HEAD:${document}.mdx`], { encoding: 'utf8' });
          return expected.every((marker) => text.includes(marker));
        },
        20_000,
        `commit de ${document}`,
      );
    }
    const authors = execFileSync('git', ['-C', repo, 'log', '--format=%an%n%b'], { encoding: 'utf8' });
    for (const name of ['Alice Martin', 'Bob Durand', 'Chloé Petit']) expect(authors).toContain(name);
    console.log(`${killedAt} mises à jour acquittées avant kill -9, toutes retrouvées et commitées`);
  });
});
