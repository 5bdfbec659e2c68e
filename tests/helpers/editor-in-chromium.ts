/**
 * Browser tests of the editor: an editor server serving the built seed site (seed-site.ts), a
 * headless Chromium, and a way to log a person in through the page, as they would.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import type { ConfigOverrides } from '../../editor-server/src/config.ts';
import { launchChromium } from '../../scripts/lib/chromium.ts';
import type { TestServer } from './editor-server.ts';
import { startServerWithSite } from './seed-site.ts';

/** What a browser test of the editor works with (set once `beforeAll` has run). */
export interface EditorInChromium {
  server: TestServer;
  browser: Browser;
}

/** Registers the server and the browser of a test file; returns them for its tests. */
export function useEditorInChromium(overrides: ConfigOverrides = {}): EditorInChromium {
  const env = {} as EditorInChromium;
  // The first file to need the seed site builds it (minutes on a loaded machine); others wait for it.
  beforeAll(async () => {
    env.server = await startServerWithSite(overrides);
    env.browser = await launchChromium();
  }, 600_000);
  afterAll(async () => {
    await env.browser?.close();
    await env.server?.close();
  });
  return env;
}

/** Logs in through the form of the editor page (in `context`), then opens `doc` there, ready to edit. */
export async function logInAndOpen(context: BrowserContext, baseUrl: string, email: string, password: string, doc: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${baseUrl}/editer/?doc=${doc}`);
  await page.getByRole('button', { name: 'Se connecter pour modifier' }).click();
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.getByLabel('Mot de passe').fill(password);
  await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Se connecter', exact: true }).click()]);
  await page.locator('.editeur-prose[contenteditable="true"]').waitFor({ timeout: 30_000 });
  return page;
}
