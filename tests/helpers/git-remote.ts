/**
 * A remote for the commons to sync with, as a forge would host it: a bare repository behind the
 * plain smart-HTTP server (git http-backend) with Basic authentication, and the faults a real one
 * has — it stops and comes back, its hook refuses pushes, its credentials change — plus commits
 * made on it by someone else.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPlainGitServer, type PlainGitServer } from '../../scripts/lib/plain-git-server.ts';
import { gitClient, gitOk } from './git-client.ts';

/** A running remote. */
export interface TestRemote {
  server: PlainGitServer;
  /** Address without credentials. */
  url: string;
  /** Address with the credentials in it, as Git accepts. */
  urlWithCredentials: string;
  auth: { user: string; password: string };
  bareDir: string;
  /** Makes the remote's hook refuse (or accept again) every push. */
  refusePushes(refuse: boolean): Promise<void>;
  /** The commit of the remote's branch, or undefined while it has none. */
  head(): Promise<string | undefined>;
  /** Whether the remote's branch contains a commit. */
  contains(commit: string): Promise<boolean>;
  /** A file at the remote's head. */
  show(path: string): Promise<string>;
  /** Someone commits a change to one file directly on the remote; returns the commit. */
  commit(path: string, change: (text: string) => string, message: string): Promise<string>;
  close(): Promise<void>;
}

/** Starts an empty remote repository (branch `main`) behind Basic authentication. */
export async function startTestRemote(): Promise<TestRemote> {
  const root = await mkdtemp(join(tmpdir(), 'terreau-remote-'));
  const bareDir = join(root, 'commun.git');
  await gitOk(['init', '--quiet', '--bare', '--initial-branch=main', bareDir]);
  const hook = join(bareDir, 'hooks', 'pre-receive');
  await writeFile(hook, '#!/bin/sh\nif [ -f "$GIT_DIR/refuser" ]; then echo "dépôt gelé pour maintenance" >&2; exit 1; fi\nexit 0\n');
  await chmod(hook, 0o755);
  const auth = { user: 'terreau-bot', password: 'jeton-tres-secret-4242' };
  const server = await startPlainGitServer({ root, auth, allowPush: true });
  const url = `${server.url}/commun.git`;
  const urlWithCredentials = url.replace('http://', `http://${auth.user}:${auth.password}@`);
  let clones = 0;
  const remote: TestRemote = {
    server,
    url,
    urlWithCredentials,
    auth,
    bareDir,
    async refusePushes(refuse) {
      const flag = join(bareDir, 'refuser');
      if (refuse) await writeFile(flag, '');
      else await rm(flag, { force: true });
    },
    async head() {
      const result = await gitClient(['-C', bareDir, 'rev-parse', '--verify', '--quiet', 'refs/heads/main']);
      return result.code === 0 ? result.stdout.trim() : undefined;
    },
    async contains(commit) {
      return (await gitClient(['-C', bareDir, 'merge-base', '--is-ancestor', commit, 'refs/heads/main'])).code === 0;
    },
    show(path) {
      return gitOk(['-C', bareDir, 'show', `refs/heads/main:${path}`]);
    },
    async commit(path, change, message) {
      const work = join(root, `travail-${++clones}`);
      await gitOk(['clone', '--quiet', urlWithCredentials, work]);
      const file = join(work, path);
      await writeFile(file, change(await readFile(file, 'utf8')));
      await gitOk(['-c', 'user.name=Dominique Distante', '-c', 'user.email=dominique@exemple.fr', 'commit', '--quiet', '-am', message], { cwd: work });
      await gitOk(['push', '--quiet', 'origin', 'HEAD:main'], { cwd: work });
      return (await gitOk(['rev-parse', 'HEAD'], { cwd: work })).trim();
    },
    async close() {
      await server.close();
      await rm(root, { recursive: true, force: true });
    },
  };
  return remote;
}
