/**
 * Test helpers for the editor server: a real server on port 0 with its data in a temp dir, real
 * WebSocket providers (@hocuspocus/provider on Node's global WebSocket), and small Yjs edits.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { HocuspocusProvider } from '@hocuspocus/provider';
import * as Y from 'yjs';
import type { Role } from '../../schemas/roles.ts';
import { resolveConfig, type ConfigOverrides } from '../../editor-server/src/config.ts';
import { createEditorServer, type EditorServer } from '../../editor-server/src/server.ts';

/** A started test server. */
export interface TestServer {
  server: EditorServer;
  port: number;
  httpUrl: string;
  wsUrl: string;
  dataDir: string;
  /** Creates an account and a personal token for it. */
  addUser(name: string, role?: Role, password?: string): Promise<{ id: string; email: string; token: string }>;
  close(): Promise<void>;
}

/** Starts an editor server with its data in a fresh temp dir (site build off unless asked). */
export async function startTestServer(overrides: ConfigOverrides = {}): Promise<TestServer> {
  const dataDir = overrides.dataDir ?? (await mkdtemp(join(tmpdir(), 'terreau-server-')));
  const config = resolveConfig({ port: 0, siteBuild: false, quiet: true, git: { headPollMs: 200, idleCommitMs: 500 } }, { ...overrides, dataDir });
  const server = await createEditorServer(config);
  const port = await server.listen();
  let users = 0;
  return {
    server,
    port,
    httpUrl: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}/collab`,
    dataDir,
    async addUser(name, role = 'contributeur', password) {
      const email = `personne${++users}-${Date.now()}@exemple.fr`;
      const user = await server.accounts.addUser({ email, name, role, password });
      return { id: user.id, email, token: (await server.accounts.createToken(user.id)).token };
    },
    async close() {
      await server.close();
      if (!overrides.dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** A provider connected to a document, resolved once synced (or once refused). */
export async function connect(wsUrl: string, name: string, token: string | null, options: { requireSync?: boolean; timeoutMs?: number } = {}): Promise<HocuspocusProvider> {
  const document = new Y.Doc();
  const provider = new HocuspocusProvider({ url: wsUrl, name, token, document });
  if (options.requireSync === false) return provider;
  await new Promise<void>((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      provider.destroy();
      reject(new Error(`${name} : pas de synchronisation`));
    }, options.timeoutMs ?? 15_000);
    provider.on('synced', () => {
      clearTimeout(timer);
      resolvePromise();
    });
    provider.on('authenticationFailed', ({ reason }: { reason: string }) => {
      clearTimeout(timer);
      provider.destroy();
      reject(new Error(`refusé : ${reason}`));
    });
  });
  return provider;
}

/** Appends a paragraph with `text` at the end of the body. */
export function appendParagraph(doc: Y.Doc, text: string): void {
  const paragraph = new Y.XmlElement('paragraph');
  paragraph.insert(0, [new Y.XmlText(text)]);
  doc.getXmlFragment('default').push([paragraph]);
}

/** Texts of the body's paragraphs. */
export function bodyText(doc: Y.Doc): string {
  return doc.getXmlFragment('default').toString();
}

/** Resolves once the provider has no unacknowledged update. */
export function acknowledged(provider: HocuspocusProvider, timeoutMs = 10_000): Promise<void> {
  if (!provider.hasUnsyncedChanges) return Promise.resolve();
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error('pas d’accusé de réception')), timeoutMs);
    const check = ({ number }: { number: number }) => {
      if (number === 0) {
        clearTimeout(timer);
        provider.off('unsyncedChanges', check);
        resolvePromise();
      }
    };
    provider.on('unsyncedChanges', check);
  });
}

/** Waits until `predicate` holds (polling). */
export async function waitFor(predicate: () => boolean | Promise<boolean>, timeoutMs = 15_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`délai dépassé : ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Collects the status messages (documents/status.ts) a provider receives. */
export function collectStatuses(provider: HocuspocusProvider): { state: string; problems?: { field: string; message: string }[]; commit?: string }[] {
  const statuses: { state: string; commit?: string }[] = [];
  provider.on('stateless', ({ payload }: { payload: string }) => {
    const message = JSON.parse(payload);
    if (message.type === 'terreau/status') statuses.push(message);
  });
  return statuses;
}

/** Runs git in a repository as an outside contributor would (a pull, a merged fork). */
export function gitFromOutside(repo: string, ...args: string[]): string {
  return execFileSync('git', ['-C', repo, '-c', 'user.name=Dépôt amont', '-c', 'user.email=amont@exemple.fr', ...args], { encoding: 'utf8' });
}

/**
 * Starts `npm start`'s entry as a child process on port 0 (no site build, commits after 10 minutes
 * of calm unless `env` says otherwise); resolves with its port once it listens. Node itself runs
 * the server: a wrapper CLI would run it in a grandchild that SIGKILL misses.
 */
export function startServerProcess(dataDir: string, env: Record<string, string> = {}): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ['editor-server/src/main.ts'], {
    cwd: resolve(import.meta.dirname, '../..'),
    env: { ...process.env, DATA_DIR: dataDir, PORT: '0', SITE_BUILD: 'off', IDLE_COMMIT_SECONDS: '600', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolvePromise, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk) => {
      output += String(chunk);
      const match = /http:\/\/127\.0\.0\.1:(\d+)\//.exec(output);
      if (match) resolvePromise({ child, port: Number(match[1]) });
      output = output.slice(-2000);
    });
    child.on('exit', (code) => reject(new Error(`serveur arrêté (code ${code}) : ${output}`)));
  });
}
