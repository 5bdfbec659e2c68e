import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { findAxeViolations } from './helpers/axe.ts';
import { describeInChromium } from './helpers/chromium.ts';
import { useSiteInChromium } from './helpers/site-in-chromium.ts';

describeInChromium('the map', () => {
  const env = useSiteInChromium();

  it('lists every retour and territoire under its département, derived from INSEE codes', async () => {
    const page = await env.browser.newPage();
    await page.goto(`${env.server.url}/carte/`);
    const list = page.locator('.carte-list');
    for (const collection of ['retours', 'territoires']) {
      for (const file of await readdir(join(env.site.contentDir, collection))) {
        expect(await list.locator(`a[href="/${collection}/${file.replace(/\.mdx$/, '')}/"]`).count(), file).toBeGreaterThan(0);
      }
    }
    // Jazeneuil (86116) is in the Vienne, though its files only give the INSEE code.
    expect(await page.locator('#dep-86').innerText()).toContain('Jazeneuil');
    expect(await page.locator('#dep-86 h3').innerText()).toBe('Vienne (86)');
    await page.close();
  });

  it('links each département of the map that has entries to its place in the list, by keyboard too', async () => {
    const page = await env.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${env.server.url}/carte/`);
    const vienne = page.locator('svg a[href="#dep-86"]');
    expect(await vienne.getAttribute('aria-label')).toMatch(/^Vienne \(86\) : \d+ retours? d’expérience/);
    expect(await page.locator('svg a').count()).toBe(await page.locator('.carte-list section').count() - (await page.locator('#dep-inconnu').count()));
    await vienne.focus();
    await page.keyboard.press('Enter');
    // Following an in-page link updates the URL after the key press returns: wait for it.
    await expect.poll(() => new URL(page.url()).hash).toBe('#dep-86');
    expect(await page.locator('svg path').count()).toBe(96);
    await page.close();
  });

  it('has no WCAG 2.1 A/AA violation found by axe-core', async () => {
    for (const width of [1280, 360]) {
      const page = await env.browser.newPage({ viewport: { width, height: 900 } });
      await page.goto(`${env.server.url}/carte/`);
      expect(await findAxeViolations(page), `/carte/ at ${width}px`).toEqual([]);
      await page.close();
    }
  });
});
