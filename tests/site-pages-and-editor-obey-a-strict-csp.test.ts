/**
 * Every page type of the site, and the editor while two people co-edit, run in Chromium under the
 * server's strict Content-Security-Policy without a single violation: no inline script or style,
 * nothing from another origin, no framing. Pages and the API carry the security headers.
 */
import { mkdtemp, readdir, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchChromium } from '../scripts/lib/chromium.ts';
import { describeInChromium } from './helpers/chromium.ts';
import { startTestServer, type TestServer } from './helpers/editor-server.ts';
import { buildFixtureSite, type SiteFixture } from './helpers/site-fixture.ts';

/** One page of each type the build writes (the first in alphabetical order), plus search and 404. */
async function pageOfEachType(siteDir: string): Promise<string[]> {
  const pages: string[] = [];
  const walk = async (dir: string, path: string): Promise<void> => {
    for (const entry of (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.isDirectory() && !['_astro', 'pagefind'].includes(entry.name)) await walk(join(dir, entry.name), `${path}${entry.name}/`);
      else if (entry.name === 'index.html') pages.push(path);
    }
  };
  await walk(siteDir, '/');
  // A page's type: its path with the entry slugs and facet values left out.
  const typeOf = (path: string) =>
    path
      .replace(/^\/(fiches|guides|retours|structures|territoires|referentiel)\/(?!filtre\/|page\/)[^/]+\//, '/$1/ENTRY/')
      .replace(/\/filtre\/[^/]+\/[^/]+\//, '/filtre/F/V/')
      .replace(/\/page\/\d+\//, '/page/N/')
      .replace(/^\/parcours\/type\/[^/]+\/[^/]+\//, '/parcours/type/S/M/');
  const byType = new Map<string, string>();
  for (const path of pages) if (!byType.has(typeOf(path))) byType.set(typeOf(path), path);
  return [...byType.values(), '/recherche/?q=jardin', '/cette-page-n-existe-pas/'];
}

/** Records the CSP violations (DOM events and console reports) of a page from its first script on. */
async function watchViolations(page: Page): Promise<string[]> {
  const violations: string[] = [];
  await page.exposeFunction('reportViolation', (text: string) => violations.push(text));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      (window as unknown as { reportViolation(text: string): void }).reportViolation(`${event.violatedDirective} ${event.blockedURI} (${event.sourceFile}:${event.lineNumber})`);
    });
  });
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
  });
  return violations;
}

describeInChromium('a strict Content-Security-Policy', () => {
  let site: SiteFixture;
  let t: TestServer;
  let dataDir: string;
  let browser: Browser;

  beforeAll(async () => {
    site = await buildFixtureSite();
    dataDir = await mkdtemp(join(tmpdir(), 'terreau-csp-'));
    // The editor server serves its DATA_DIR/site: here, the fixture site.
    await symlink(site.outDir, join(dataDir, 'site'));
    t = await startTestServer({ dataDir });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await site?.cleanup();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('is sent with the other security headers on pages, files and the API', async () => {
    for (const path of ['/', '/fiches/jardin-partage/', '/_astro/', '/donnees/entrees.csv', '/cette-page-n-existe-pas/']) {
      const headers = (await fetch(`${t.httpUrl}${path}`, { redirect: 'manual' })).headers;
      expect(headers.get('content-security-policy'), path).toMatch(/default-src 'self'.*script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data: blob:.*connect-src 'self'.*frame-ancestors 'none'/);
      expect(headers.get('x-frame-options'), path).toBe('DENY');
      expect(headers.get('referrer-policy'), path).toBe('same-origin');
      expect(headers.get('x-content-type-options'), path).toBe('nosniff');
    }
    for (const path of ['/api/health', '/api/session', '/api/inconnue']) {
      const headers = (await fetch(`${t.httpUrl}${path}`)).headers;
      expect(headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(headers.get('content-security-policy'), path).toBe("default-src 'none'; frame-ancestors 'none'");
      expect(headers.get('x-frame-options'), path).toBe('DENY');
    }
  });

  it('is obeyed by every page type, its scripts run and its JSON-LD stays in place', async () => {
    const paths = await pageOfEachType(site.outDir);
    expect(paths.length).toBeGreaterThan(15);
    const found: Record<string, string[]> = {};
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    for (const path of paths) {
      const page = await context.newPage();
      const violations = await watchViolations(page);
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await page.goto(`${t.httpUrl}${path}`, { waitUntil: 'networkidle' });
      if (path.startsWith('/recherche/')) await page.locator('#resultats a').first().waitFor({ timeout: 20_000 });
      if (path === '/autodiagnostic/') {
        await page.locator('#autodiag-form input[type=radio]').nth(2).check();
        await page.locator('[data-cell="score"]').first().waitFor();
      }
      if (/^\/(fiches|guides|retours|structures|territoires)\/[^/]+\/$/.test(path) && !path.includes('/filtre/')) {
        expect(await page.locator('script[type="application/ld+json"]').count(), path).toBe(1);
      }
      await page.waitForTimeout(200);
      if (violations.length || errors.length) found[path] = [...violations, ...errors];
      await page.close();
    }
    await context.close();
    expect(found).toEqual({});
  }, 600_000);

  it('is obeyed by the editor while two people co-edit, with carets, selections and presence', async () => {
    const people = [await t.addUser('Alice Stricte', 'contributeur', 'un mot de passe solide'), await t.addUser('Bruno Strict', 'contributeur', 'un mot de passe solide')];
    const pages: { page: Page; violations: string[] }[] = [];
    for (const person of people) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      const violations = await watchViolations(page);
      page.on('pageerror', (error) => violations.push(error.message));
      await page.goto(`${t.httpUrl}/editer/?doc=fiches/jardin-partage`);
      await page.getByRole('button', { name: 'Se connecter pour modifier' }).click();
      await page.getByLabel('Adresse e-mail').fill(person.email);
      await page.getByLabel('Mot de passe').fill('un mot de passe solide');
      await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Se connecter', exact: true }).click()]);
      await page.locator('.editeur-prose[contenteditable="true"]').waitFor({ timeout: 30_000 });
      pages.push({ page, violations });
    }
    const [alice, bruno] = pages as [(typeof pages)[0], (typeof pages)[0]];
    await alice.page.locator('.editeur-prose > p').first().click();
    await alice.page.keyboard.type(' Écrit sous une politique stricte.', { delay: 5 });
    // A selection, drawn as a decoration on the other screen.
    await alice.page.keyboard.down('Shift');
    for (let i = 0; i < 8; i++) await alice.page.keyboard.press('ArrowLeft');
    await alice.page.keyboard.up('Shift');
    await bruno.page.locator('.collaboration-carets__caret').first().waitFor({ timeout: 15_000 });
    await bruno.page.locator('.presence-selection').first().waitFor({ timeout: 15_000 });
    await bruno.page.getByText('2 personnes ici').waitFor();
    expect(await bruno.page.locator('.collaboration-carets__label').first().textContent()).toBe('Alice Stricte');
    expect(await bruno.page.locator('.collaboration-carets__caret').first().evaluate((caret) => getComputedStyle(caret).borderLeftColor)).not.toBe('rgba(0, 0, 0, 0)');
    await bruno.page.waitForTimeout(500);
    expect({ alice: alice.violations, bruno: bruno.violations }).toEqual({ alice: [], bruno: [] });
    for (const { page } of pages) await page.context().close();
  }, 300_000);
});
