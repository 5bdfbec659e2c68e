import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readOnlyMessage } from '../editor-server/src/http/commons-git-http.ts';
import { startTestServer, type TestServer } from './helpers/editor-server.ts';
import { gitClient, gitOk } from './helpers/git-client.ts';

describe('a push to <site>/commons.git', { timeout: 300_000 }, () => {
  let t: TestServer;
  let work: string;
  beforeAll(async () => {
    t = await startTestServer();
    work = await mkdtemp(join(tmpdir(), 'terreau-push-'));
  });
  afterAll(async () => {
    await t.close();
    await rm(work, { recursive: true, force: true });
  });

  it('is refused with a message git prints, and changes nothing', async () => {
    const dir = join(work, 'copie');
    await gitOk(['clone', '--quiet', '--depth', '1', `${t.httpUrl}/commons.git`, dir]);
    await writeFile(join(dir, 'fiches/jardin-partage.mdx'), 'remplacé\n');
    await gitOk(['commit', '-qam', 'Tentative de push'], { cwd: dir });
    const before = await gitOk(['-C', t.server.paths.repoDir, 'rev-parse', 'HEAD']);
    const push = await gitClient(['push', 'origin', 'HEAD:main'], { cwd: dir });
    expect(push.code).not.toBe(0);
    expect(push.stderr).toContain(`remote error: ${readOnlyMessage}`);
    expect(await gitOk(['-C', t.server.paths.repoDir, 'rev-parse', 'HEAD'])).toBe(before);
  });

  it('is refused when sent straight to the receive-pack service too', async () => {
    const response = await fetch(`${t.httpUrl}/commons.git/git-receive-pack`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-git-receive-pack-request' },
      body: '0000',
    });
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('lecture seule');
  });
});
