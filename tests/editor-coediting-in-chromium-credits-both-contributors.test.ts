/**
 * In Chromium, two contributors log in to the real server (`npm start` on a temp DATA_DIR),
 * co-edit one fiche, see each other's text, caret and name; once the server has committed and
 * published, the public page shows both edits and both names.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../scripts/lib/chromium.ts';
import { describeInChromium } from './helpers/chromium.ts';
import { logInAndOpen } from './helpers/editor-in-chromium.ts';

const ROOT = join(import.meta.dirname, '..');
const FICHE = 'fiches/jardin-partage';

/** Runs a TypeScript entry point of the project on this Node (24), as `npm run`/`npm start` do. */
function runTs(script: string, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, [script, ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
}

async function admin(dataDir: string, args: string[]): Promise<void> {
  const child = runTs('scripts/admin.ts', args, { DATA_DIR: dataDir });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`npm run admin -- ${args.join(' ')} : ${output}`);
}

/** Puts the caret at the start or end of the body's first paragraph, then types like a person. */
async function typeInFirstParagraph(page: Page, where: 'start' | 'end', text: string): Promise<void> {
  await page.locator('.editeur-prose > p').first().click();
  await page.evaluate((side) => {
    const { editor } = (window as unknown as { terreauEditor: { editor: import('@tiptap/core').Editor } }).terreauEditor;
    let position = -1;
    editor.state.doc.forEach((node, offset) => {
      if (position < 0 && node.type.name === 'paragraph') position = side === 'start' ? offset + 1 : offset + node.nodeSize - 1;
    });
    editor.commands.setTextSelection(position);
  }, where);
  await page.keyboard.type(text, { delay: 10 });
}

describeInChromium('two contributors co-edit a fiche in Chromium', () => {
  let dataDir: string;
  let server: ChildProcess;
  let baseUrl: string;
  let browser: Browser;
  let serverLog = '';

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'terreau-coediting-'));
    server = runTs('editor-server/src/main.ts', [], { DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', IDLE_COMMIT_SECONDS: '1' });
    baseUrl = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`le serveur ne démarre pas :\n${serverLog}`)), 170_000);
      const read = (chunk: Buffer) => {
        serverLog += chunk;
        const match = /Terreau : (http:\/\/[^/\s]+)\//.exec(serverLog);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      };
      server.stdout!.on('data', read);
      server.stderr!.on('data', read);
      server.on('exit', (code) => reject(new Error(`le serveur s’est arrêté (${code}) :\n${serverLog}`)));
    });
    await admin(dataDir, ['user', 'add', '--email', 'alice@exemple.fr', '--name', 'Alice Martin', '--role', 'contributeur', '--password', 'motdepasse-alice-1']);
    await admin(dataDir, ['user', 'add', '--email', 'bruno@exemple.fr', '--name', 'Bruno Lefèvre', '--role', 'contributeur', '--password', 'motdepasse-bruno-1']);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    if (server && server.exitCode === null) {
      server.kill('SIGTERM');
      await new Promise((resolve) => server.on('exit', resolve));
    }
    await rm(dataDir, { recursive: true, force: true });
  });

  it('shows each one the other’s text, caret and name, then publishes both edits credited to both', async () => {
    const alice = await logInAndOpen(await browser.newContext({ viewport: { width: 1280, height: 900 } }), baseUrl, 'alice@exemple.fr', 'motdepasse-alice-1', FICHE);
    const bruno = await logInAndOpen(await browser.newContext({ viewport: { width: 1280, height: 900 } }), baseUrl, 'bruno@exemple.fr', 'motdepasse-bruno-1', FICHE);

    await typeInFirstParagraph(alice, 'end', ' Alice a ajouté cette phrase.');
    await typeInFirstParagraph(bruno, 'start', 'Bruno complète ici. ');

    await expect.poll(() => bruno.locator('.editeur-prose').textContent(), { timeout: 15_000 }).toContain('Alice a ajouté cette phrase.');
    await expect.poll(() => alice.locator('.editeur-prose').textContent(), { timeout: 15_000 }).toContain('Bruno complète ici.');
    // Each sees the other's caret, labelled with their name, and both names among those present.
    await expect.poll(() => alice.locator('.collaboration-carets__label').allTextContents(), { timeout: 15_000 }).toContain('Bruno Lefèvre');
    await expect.poll(() => bruno.locator('.collaboration-carets__label').allTextContents(), { timeout: 15_000 }).toContain('Alice Martin');
    for (const page of [alice, bruno]) {
      await expect.poll(() => page.locator('#editeur-presents').textContent()).toMatch(/Alice Martin[\s\S]*Bruno Lefèvre|Bruno Lefèvre[\s\S]*Alice Martin/);
    }

    // The server commits after a second of calm, then rebuilds the site: « publié ».
    for (const page of [alice, bruno]) {
      await expect.poll(() => page.locator('#editeur-etat').textContent(), { timeout: 150_000, interval: 500 }).toMatch(/^(publié|indexé pour la recherche)$/);
    }
    const publicPage = await (await fetch(`${baseUrl}/${FICHE}/`)).text();
    expect(publicPage).toContain('Alice a ajouté cette phrase.');
    expect(publicPage).toContain('Bruno complète ici.');
    expect(publicPage).toContain('Alice Martin');
    expect(publicPage).toContain('Bruno Lefèvre');
    const history = (await (await fetch(`${baseUrl}/api/history?doc=${FICHE}`)).json()) as { commits: { author: { name: string }; coAuthors: { name: string }[] }[] };
    const names = history.commits.flatMap((commit) => [commit.author.name, ...commit.coAuthors.map((coAuthor) => coAuthor.name)]);
    expect(names).toEqual(expect.arrayContaining(['Alice Martin', 'Bruno Lefèvre']));
  }, 240_000);
});
