import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { findAxeViolations } from './helpers/axe.ts';
import { describeInChromium } from './helpers/chromium.ts';
import { useSiteInChromium } from './helpers/site-in-chromium.ts';

/** Answers the guided path as the mayor of Jazeneuil (86116, under 1,000 inhabitants) would. */
async function answerAsAVillageMayor(page: Page, siteUrl: string): Promise<void> {
  await page.goto(`${siteUrl}/parcours/`);
  await page.getByLabel('Ou votre commune (nom ou code INSEE)').fill('86116');
  await page.getByLabel('Ou votre commune (nom ou code INSEE)').press('Tab');
  await expect.poll(() => page.locator('#parcours-commune-trouvee').innerText()).toContain('Jazeneuil');
  await page.getByRole('radio', { name: 'Élu ou élue' }).check();
  await page.getByRole('radio', { name: 'Rien encore' }).check();
  await page.getByRole('checkbox', { name: 'Alimentation' }).check();
  await page.getByRole('radio', { name: 'Des bénévoles' }).check();
  await page.getByRole('button', { name: 'Voir ma feuille de route' }).click();
  await page.locator('#feuille-de-route .roadmap__step').first().waitFor();
}

describeInChromium('the guided path', () => {
  const env = useSiteInChromium();

  it('turns answers into a roadmap by phase whose tools fit the means, in a shareable URL', async () => {
    const page = await env.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await answerAsAVillageMayor(page, env.server.url);
    const url = new URL(page.url());
    expect(Object.fromEntries(url.searchParams)).toMatchObject({ commune: '86116', profil: 'elu', situation: 'rien', theme: 'alimentation', moyens: 'benevoles', taille: 'moins-1000' });

    const steps = await page.locator('.roadmap__step h3').allInnerTexts();
    expect(steps.map((s) => s.replace(/^Étape \d+\s+/, ''))).toEqual(['Sensibiliser', 'Enquêter, diagnostiquer', 'Construire une vision', 'Décider', 'Agir', 'Évaluer, célébrer']);
    for (const step of await page.locator('.roadmap__step').all()) {
      expect(await step.locator('.roadmap__tool').count()).toBeLessThanOrEqual(3);
    }
    // Volunteers: nothing harder than « Facile », nothing above 1 k€.
    const badges = await page.locator('.roadmap__tool .badge').allInnerTexts();
    expect(badges.filter((b) => b.startsWith('Difficulté')).every((b) => /: (Très facile|Facile)$/.test(b))).toBe(true);
    expect(badges.filter((b) => b.startsWith('Coût')).every((b) => /: (0 €|< 1 k€)$/.test(b))).toBe(true);
    expect(await page.locator('.roadmap__facts').innerText()).toContain('Jazeneuil (86116)');
    expect(await page.locator('.roadmap__retours').innerText()).toContain('Territoire de même taille (Moins de 1 000 hab.)');

    // The same URL, opened elsewhere, gives the same roadmap and the same answers in the form.
    const shared = await env.browser.newPage();
    await shared.goto(url.href);
    await shared.locator('#feuille-de-route .roadmap__step').first().waitFor();
    expect(await shared.locator('#feuille-de-route-contenu').innerText()).toBe(await page.locator('#feuille-de-route-contenu').innerText());
    // The answered form folds away under the roadmap's toolbar; it comes back as it was sent.
    await shared.getByRole('link', { name: 'Modifier mes réponses' }).click();
    expect(await shared.getByRole('checkbox', { name: 'Alimentation' }).isChecked()).toBe(true);
    expect(await shared.evaluate(() => document.activeElement?.closest('form')?.id)).toBe('parcours-form');
    await shared.close();
    await page.close();
  });

  it('can be answered with the keyboard alone, and then takes the reader to the roadmap', async () => {
    const page = await env.browser.newPage({ viewport: { width: 360, height: 800 } });
    await page.goto(`${env.server.url}/parcours/`);
    await page.focus('#parcours-taille');
    const keys = ['ArrowDown', 'Tab', 'Tab', 'Space', 'Tab', 'ArrowRight', 'Tab', 'Space', ...Array(11).fill('Tab'), 'ArrowRight', 'Tab', 'Enter'];
    for (const key of keys) await page.keyboard.press(key);
    await page.locator('#feuille-de-route .roadmap__step').first().waitFor();
    expect(Object.fromEntries(new URL(page.url()).searchParams)).toEqual({
      taille: 'moins-1000', profil: 'elu', situation: 'initiatives', theme: 'alimentation', moyens: 'agent-partiel',
    });
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('feuille-de-route-titre');
    await page.close();
  });

  it('prints the roadmap on A4 without the form', async () => {
    const page = await env.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await answerAsAVillageMayor(page, env.server.url);
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('#parcours-form').isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: 'Imprimer la feuille de route' }).isVisible()).toBe(false);
    expect(await page.locator('.site-header').isVisible()).toBe(false);
    expect(await page.locator('.roadmap__step').first().isVisible()).toBe(true);
    expect(await page.locator('.roadmap__address').innerText()).toContain('/parcours/?');
    const pdf = await page.pdf({ format: 'A4', printBackground: false });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const pages = pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? [];
    expect(pages.length).toBeGreaterThanOrEqual(1);
    expect(pages.length).toBeLessThanOrEqual(6);
    await page.close();
  });

  it('offers parcours types that work without JavaScript', async () => {
    const context = await env.browser.newContext({ javaScriptEnabled: false, viewport: { width: 360, height: 800 } });
    const page = await context.newPage();
    await page.goto(`${env.server.url}/parcours/?situation=rien&moyens=benevoles`);
    expect(await page.locator('.parcours-noscript').innerText()).toContain('parcours types');
    await page.getByRole('link', { name: 'Parcours type : des initiatives isolées, un agent à temps partiel' }).click();
    expect(new URL(page.url()).pathname).toBe('/parcours/type/initiatives/agent-partiel/');
    expect(await page.locator('.roadmap__step').count()).toBe(5);
    expect(await page.locator('.roadmap__tool a').count()).toBeGreaterThan(3);
    await context.close();
  });

  it('has no WCAG 2.1 A/AA violation found by axe-core, form and roadmap', async () => {
    for (const width of [1280, 360]) {
      const page = await env.browser.newPage({ viewport: { width, height: 900 } });
      await answerAsAVillageMayor(page, env.server.url);
      expect(await findAxeViolations(page), `/parcours/ at ${width}px`).toEqual([]);
      await page.goto(`${env.server.url}/parcours/type/rien/budget/`);
      expect(await findAxeViolations(page), `/parcours/type/rien/budget/ at ${width}px`).toEqual([]);
      await page.close();
    }
  });
});
