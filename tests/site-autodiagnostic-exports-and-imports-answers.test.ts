import { copyFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { findAxeViolations } from './helpers/axe.ts';
import { describeInChromium } from './helpers/chromium.ts';
import { useSiteInChromium } from './helpers/site-in-chromium.ts';

/** Answers the first three questions of the alimentation axe: 0, then the highest, then 1 point. */
async function answerSomeQuestions(page: Page): Promise<void> {
  const questions = page.locator('#axe-ALIM fieldset');
  await questions.nth(0).getByRole('radio').nth(1).check();
  await questions.nth(1).getByRole('radio').last().check();
  await questions.nth(2).getByRole('radio').nth(2).check();
}

const scoreOf = (page: Page, axe: string) => page.locator(`#autodiag-tableau tr[data-axe="${axe}"] [data-cell=score]`).innerText();

describeInChromium('the auto-diagnostic', () => {
  const env = useSiteInChromium();

  it('scores an axe as it is answered, keeps the answers in the browser and sends nothing', async () => {
    const context = await env.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const sent: string[] = [];
    page.on('request', (request) => {
      if (request.method() !== 'GET' || !request.url().startsWith(env.server.url)) sent.push(`${request.method()} ${request.url()}`);
    });
    await page.goto(`${env.server.url}/autodiagnostic/`);
    expect(await scoreOf(page, 'ALIM')).toBe('pas de score');
    await answerSomeQuestions(page);
    // 0 + 3 + 1 points out of 3 × 3: 4.4 / 10.
    expect(await scoreOf(page, 'ALIM')).toBe('4,4 / 10');
    expect(await page.locator('#radar-valeur-ALIM').textContent()).toBe('4,4');
    expect(await page.locator('#autodiag-pistes').innerText()).toContain('Résilience alimentaire : 4,4 / 10');
    expect(await page.locator('#autodiag-pistes a[href^="/fiches/"]').count()).toBeGreaterThan(1);

    await page.reload();
    expect(await scoreOf(page, 'ALIM')).toBe('4,4 / 10');
    expect(sent).toEqual([]);
    await context.close();
  });

  it('exports the answers to a file and imports them back in another browser', async () => {
    const first = await env.browser.newContext({ acceptDownloads: true });
    const page = await first.newPage();
    await page.goto(`${env.server.url}/autodiagnostic/`);
    await answerSomeQuestions(page);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Exporter mes réponses' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^autodiagnostic-terreau-\d{4}-\d{2}-\d{2}\.json$/);
    const file = join(env.site.root, download.suggestedFilename());
    await download.saveAs(file);
    const exported = JSON.parse(await readFile(file, 'utf8'));
    expect(exported).toMatchObject({ format: 'terreau-autodiagnostic', version: 1 });
    expect(Object.keys(exported.reponses)).toHaveLength(3);
    await first.close();

    const second = await env.browser.newContext();
    const fresh = await second.newPage();
    await fresh.goto(`${env.server.url}/autodiagnostic/`);
    expect(await scoreOf(fresh, 'ALIM')).toBe('pas de score');
    await fresh.locator('#autodiag-importer').setInputFiles(file);
    await expect.poll(() => fresh.getByRole('status').innerText()).toContain('3 réponses importées');
    expect(await scoreOf(fresh, 'ALIM')).toBe('4,4 / 10');
    expect(await fresh.locator('#axe-ALIM fieldset').nth(1).getByRole('radio').last().isChecked()).toBe(true);

    // Another JSON file is refused with a reason, and the answers stay as they were.
    const other = join(env.site.root, 'autre.json');
    await copyFile(join(env.site.outDir, 'parcours/catalogue.json'), other);
    await fresh.locator('#autodiag-importer').setInputFiles(other);
    await expect.poll(() => fresh.getByRole('status').innerText()).toContain('Import impossible');
    expect(await fresh.getByRole('status').innerText()).toContain('autre.json: format');
    expect(await scoreOf(fresh, 'ALIM')).toBe('4,4 / 10');
    await second.close();
  });

  it('without JavaScript, says what it cannot do, adds up each axe’s points and prints as a grid', async () => {
    const context = await env.browser.newContext({ javaScriptEnabled: false, viewport: { width: 360, height: 800 } });
    const page = await context.newPage();
    await page.goto(`${env.server.url}/autodiagnostic/`);
    expect(await page.locator('fieldset.autodiag-question').count()).toBeGreaterThanOrEqual(20);
    expect(await page.locator('#axe-ALIM').innerText()).toContain('(3 points sur 3)');
    expect(await page.locator('#resultats').isVisible()).toBe(false);
    // Where a submit button would be, the page says why nothing will be computed, and what to do.
    const notice = page.locator('#autodiag-form .autodiag-noscript');
    expect(await notice.isVisible()).toBe(true);
    expect(await notice.innerText()).toMatch(/JavaScript est désactivé[\s\S]*10 × points obtenus ÷ points possibles[\s\S]*imprimez la page/);
    expect(await page.getByRole('button', { name: 'Voir mes résultats' }).isVisible()).toBe(false);
    // CSS still adds up the points of the answers: 0 + 3 + 1 out of 3 × 3.
    await answerSomeQuestions(page);
    expect(await page.locator('#axe-ALIM .autodiag-axe-total').isVisible()).toBe(true);
    // The sum is CSS generated text: read it as Chromium gives it to screen readers.
    const cdp = await context.newCDPSession(page);
    const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as { nodes: { role?: { value: string }; name?: { value: string } }[] };
    // Pages are typeset: the space before « : » is a no-break one, so compare words, not spaces.
    const texts = nodes.filter((n) => n.role?.value === 'StaticText').map((n) => (n.name?.value ?? '').replace(/\s+/g, ' '));
    const at = texts.indexOf('Points obtenus sur cet axe :');
    expect(at).toBeGreaterThanOrEqual(0);
    // Chromium splits generated text into pieces and trims their spaces: compare the words.
    expect(texts.slice(at, at + 8).join(' ')).toMatch(/^Points obtenus sur cet axe :\s+4\s+sur\s+9\s+possibles/);
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('#axe-ALIM fieldset').first().isVisible()).toBe(true);
    await context.close();
  });

  it('takes the reader to the results with « Voir mes résultats », from the keyboard', async () => {
    const page = await env.browser.newPage({ viewport: { width: 360, height: 800 } });
    await page.goto(`${env.server.url}/autodiagnostic/`);
    await answerSomeQuestions(page);
    await page.getByRole('button', { name: 'Voir mes résultats' }).focus();
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('resultats-titre');
    expect(new URL(page.url()).search).toBe('');
    expect(await scoreOf(page, 'ALIM')).toBe('4,4 / 10');
    await page.close();
  });

  it('has no WCAG 2.1 A/AA violation found by axe-core, with results shown', async () => {
    for (const width of [1280, 360]) {
      const page = await env.browser.newPage({ viewport: { width, height: 900 } });
      await page.goto(`${env.server.url}/autodiagnostic/`);
      await answerSomeQuestions(page);
      expect(await findAxeViolations(page), `/autodiagnostic/ at ${width}px`).toEqual([]);
      await page.close();
    }
  });
});
