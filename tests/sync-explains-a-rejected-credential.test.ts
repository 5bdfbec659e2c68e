/**
 * Credentials the remote refuses: at first start the server stops with a French message saying
 * which setting to fix; while running, it keeps committing, reports the refusal as the lag's
 * reason, and pushes everything once the credentials work again. The secret never shows.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../editor-server/src/config.ts';
import { RemoteError } from '../editor-server/src/git/remote-git.ts';
import { createEditorServer } from '../editor-server/src/server.ts';
import { acknowledged, appendParagraph, connect, startTestServer, waitFor, type TestServer } from './helpers/editor-server.ts';
import { startTestRemote, type TestRemote } from './helpers/git-remote.ts';
import { commonsHead } from './helpers/sync.ts';

describe('credentials the remote refuses', { timeout: 300_000 }, () => {
  let remote: TestRemote;
  let dataDir: string;
  beforeAll(async () => {
    remote = await startTestRemote();
    dataDir = await mkdtemp(join(tmpdir(), 'terreau-identifiants-'));
  });
  afterAll(async () => {
    await remote?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  async function firstStartError(sync: { remote: string; remoteUser?: string; remotePassword?: string }): Promise<RemoteError> {
    const config = resolveConfig({ port: 0, siteBuild: false, quiet: true, dataDir: join(dataDir, String(Math.random()).slice(2)) }, { sync });
    const error = await createEditorServer(config).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RemoteError);
    return error as RemoteError;
  }

  it('stop the first start with a message that says what to fix', async () => {
    const wrong = await firstStartError({ remote: remote.url, remoteUser: remote.auth.user, remotePassword: 'mot-de-passe-perime-999' });
    expect(wrong.kind).toBe('credentials');
    expect(wrong.message).toBe(
      `clonage de COMMONS_REMOTE : le dépôt ${remote.url} refuse les identifiants donnés. Vérifiez l’utilisateur et le jeton (dans COMMONS_REMOTE ou COMMONS_REMOTE_USER et COMMONS_REMOTE_PASSWORD) ; pour pousser, le jeton doit avoir le droit d’écrire.`,
    );
    expect(wrong.message).not.toContain('mot-de-passe-perime-999');
    const none = await firstStartError({ remote: remote.url });
    expect(none.message).toBe(
      `clonage de COMMONS_REMOTE : le dépôt ${remote.url} demande des identifiants. Donnez-les dans l’adresse (https://utilisateur:jeton@…) ou dans COMMONS_REMOTE_USER et COMMONS_REMOTE_PASSWORD.`,
    );
  });

  describe('on a running server', { timeout: 300_000 }, () => {
    let t: TestServer;
    beforeAll(async () => {
      t = await startTestServer({
        git: { idleCommitMs: 300 },
        sync: { remote: remote.urlWithCredentials, pushDelayMs: 100, fetchIntervalMs: 600_000, retryMinMs: 300, retryMaxMs: 1_000 },
      });
      await waitFor(async () => (await remote.head()) === (await commonsHead(t)), 60_000, 'premier envoi');
    });
    afterAll(() => t?.close());

    it('keep committing, report the refusal as the reason of the lag, and push once they work again', async () => {
      const password = remote.auth.password;
      remote.auth.password = 'jeton-renouvele-sur-la-forge';
      const alice = await t.addUser('Alice Martin');
      const provider = await connect(t.wsUrl, 'fiches/jardin-partage', alice.token);
      appendParagraph(provider.document, 'Écrit pendant que les identifiants sont refusés.');
      await acknowledged(provider);
      provider.destroy();
      await waitFor(async () => (await t.server.store.pendingEditors('fiches/jardin-partage')).length === 0, 90_000, 'commit local');
      // The lag may be reported first by an attempt made before the commit: wait for the one that counts it.
      const health = async () => (await (await fetch(`${t.httpUrl}/api/health`)).json()).sync;
      await waitFor(async () => (await health())?.message?.includes('1 commit en attente') === true, 90_000, 'commit en attente compté');
      const sync = await health();
      expect(sync.state).toBe('late');
      // Anyone reads the lag and its kind; administrators read the whole reason.
      expect(sync.message).toContain(' : le dépôt distant refuse les identifiants ; 1 commit en attente d’envoi.');
      expect(sync.message).not.toContain(remote.url);
      const admin = await t.addUser('Claire Admin', 'administrateur');
      const detail = await (await fetch(`${t.httpUrl}/api/sync`, { headers: { Authorization: `Bearer ${admin.token}` } })).json();
      expect(detail.remote.lastError).toContain(`le dépôt ${remote.url} refuse les identifiants donnés. Vérifiez l’utilisateur et le jeton`);
      expect(JSON.stringify([sync, detail])).not.toContain(password);

      remote.auth.password = password;
      const head = await commonsHead(t);
      await waitFor(() => remote.contains(head), 90_000, 'envoi');
      expect(await remote.show('fiches/jardin-partage.mdx')).toContain('Écrit pendant que les identifiants sont refusés.');
    });
  });
});
