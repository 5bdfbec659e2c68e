/**
 * In Chromium, a contributor logs in to the real server (`npm start` on a temp DATA_DIR), inserts
 * a table from the toolbar and fills it from the keyboard, adds a row and a caption, inserts an
 * image by the file chooser and another by dropping it on the text (each described and credited
 * in the page's dialog, then uploaded); once the server has committed and published, the public
 * page shows the table and both images with their credits.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchChromium } from '../scripts/lib/chromium.ts';
import { describeInChromium } from './helpers/chromium.ts';
import { logInAndOpen } from './helpers/editor-in-chromium.ts';
import { makePhoto } from './helpers/images.ts';

const ROOT = join(import.meta.dirname, '..');
const FICHE = 'fiches/repair-cafe';

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

/** Fills the image dialog: what the image shows, and its licence; the author is the contributor by default. */
async function describeImage(page: Page, alt: string, licence: string): Promise<void> {
  const dialog = page.getByRole('dialog', { name: 'Insérer une image' });
  await dialog.getByLabel('Ce que montre l’image (texte alternatif) *').fill(alt);
  expect(await dialog.getByLabel('Auteur ou autrice de l’image *').inputValue()).toBe('Alice Martin');
  await dialog.getByLabel('Licence *').selectOption(licence);
  await dialog.getByRole('button', { name: 'Envoyer et insérer' }).click();
  await dialog.waitFor({ state: 'detached', timeout: 30_000 });
}

/** Puts the caret at the end of the body's first paragraph. */
async function caretAfterFirstParagraph(page: Page): Promise<void> {
  await page.evaluate(() => {
    const { editor } = (window as unknown as { terreauEditor: { editor: import('@tiptap/core').Editor } }).terreauEditor;
    let position = -1;
    editor.state.doc.forEach((node, offset) => {
      if (position < 0 && node.type.name === 'paragraph') position = offset + node.nodeSize - 1;
    });
    editor.chain().focus().setTextSelection(position).run();
  });
}

describeInChromium('a contributor inserts a table and images in Chromium', () => {
  let dataDir: string;
  let server: ChildProcess;
  let baseUrl: string;
  let browser: Browser;
  let serverLog = '';

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'terreau-tables-images-'));
    server = runTs('editor-server/src/main.ts', [], { DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', IDLE_COMMIT_SECONDS: '1' });
    baseUrl = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`le serveur ne démarre pas :\n${serverLog}`)), 400_000);
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
    browser = await launchChromium();
  }, 420_000);

  afterAll(async () => {
    await browser?.close();
    if (server && server.exitCode === null) {
      server.kill('SIGTERM');
      await new Promise((resolve) => server.on('exit', resolve));
    }
    await rm(dataDir, { recursive: true, force: true });
  });

  it('publishes the table and both images, credited, on the public page', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await logInAndOpen(context, baseUrl, 'alice@exemple.fr', 'motdepasse-alice-1', FICHE);
    const prose = page.locator('.editeur-prose[contenteditable="true"]');
    const toolbar = page.getByRole('toolbar', { name: 'Mise en forme' });

    // After the first paragraph: a table, filled cell by cell with Tab, one more row, a caption.
    await caretAfterFirstParagraph(page);
    expect(await toolbar.getByRole('button', { name: 'Ajouter une ligne' }).isDisabled()).toBe(true);
    await toolbar.getByRole('button', { name: 'Insérer un tableau' }).click();
    expect(await toolbar.getByRole('button', { name: 'Ligne d’en-tête' }).getAttribute('aria-pressed')).toBe('true');
    const cells = ['Outil', 'Prêté par', 'État', 'Perceuse', 'Karim', 'bon', 'Fer à souder', 'Lucie', 'à réparer'];
    for (const [index, text] of cells.entries()) {
      await page.keyboard.type(text);
      if (index < cells.length - 1) await page.keyboard.press('Tab');
    }
    await toolbar.getByRole('button', { name: 'Ajouter une ligne' }).click();
    await page.keyboard.press('Tab');
    await page.keyboard.type('Multimètre');
    await toolbar.getByRole('button', { name: 'Légende du tableau' }).click();
    const caption = page.getByRole('dialog', { name: 'Légende du tableau' });
    await caption.getByLabel('Légende').fill('Outils prêtés au repair café');
    await caption.getByRole('button', { name: 'Valider' }).click();
    await expect.poll(() => prose.locator('caption').textContent()).toBe('Outils prêtés au repair café');

    // An image by the toolbar's file chooser, after the first paragraph.
    await caretAfterFirstParagraph(page);
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), toolbar.getByRole('button', { name: 'Insérer une image' }).click()]);
    await chooser.setFiles({ name: 'atelier.jpg', mimeType: 'image/jpeg', buffer: await makePhoto(1200, 800) });
    await describeImage(page, 'Des bénévoles réparent un grille-pain', 'CC-BY-SA-4.0');
    await expect.poll(() => prose.locator('img[alt="Des bénévoles réparent un grille-pain"]').count(), { timeout: 15_000 }).toBe(1);

    // Another by dropping a file on the first paragraph.
    const dropped = (await makePhoto(900, 600, 'png')).toString('base64');
    await prose.locator('p').first().evaluate((target, base64) => {
      const bytes = Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
      const transfer = new DataTransfer();
      transfer.items.add(new File([bytes], 'vitrine.png', { type: 'image/png' }));
      const box = target.getBoundingClientRect();
      target.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, clientX: box.left + 5, clientY: box.bottom - 2, bubbles: true, cancelable: true }));
    }, dropped);
    await describeImage(page, 'La vitrine du repair café', 'CC0-1.0');
    await expect.poll(() => prose.locator('img[alt="La vitrine du repair café"]').count(), { timeout: 15_000 }).toBe(1);
    // The image just sent is already served to the editor, before any build.
    // (Its width is known once the browser has loaded it, which takes a moment on a busy machine.)
    await expect
      .poll(() => prose.locator('img[alt="La vitrine du repair café"]').evaluate((img) => ((img as HTMLImageElement).complete ? (img as HTMLImageElement).naturalWidth : 0)), { timeout: 15_000 })
      .toBe(900);

    await expect.poll(() => page.locator('#editeur-etat').textContent(), { timeout: 400_000, interval: 1000 }).toMatch(/^(publié|indexé pour la recherche)$/);
    const publicPage = await (await fetch(`${baseUrl}/${FICHE}/`)).text();
    expect(publicPage).toContain('<caption id="legende-tableau-1">Outils prêtés au repair café</caption>');
    expect(publicPage).toContain('<th scope="col">Prêté par</th>');
    expect(publicPage).toContain('<td>Fer à souder</td><td>Lucie</td><td>à réparer</td>');
    expect(publicPage).toContain('<td>Multimètre</td>');
    for (const [alt, licence] of [['Des bénévoles réparent un grille-pain', 'CC BY-SA 4.0'], ['La vitrine du repair café', 'CC0 1.0']] as const) {
      const figure = new RegExp(`<figure class="media"><img [^>]*alt="${alt}"[^>]*><figcaption class="media__credits">Image\u202f: <span class="media__auteur">Alice Martin</span> · <a rel="license" [^>]*>${licence}</a>`);
      expect(publicPage).toMatch(figure);
    }
    const variant = /srcset="([^" ]+) 360w/.exec(publicPage)![1]!;
    expect((await fetch(`${baseUrl}${variant}`)).headers.get('content-type')).toBe('image/webp');
    await context.close();
  }, 900_000);
});
