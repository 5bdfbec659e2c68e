/**
 * In Chromium, on a running server that builds the real site: a contributor presses « Adapter à
 * mon territoire » on a fiche, names the territory and what changes, and gets the editor on a new
 * entry prefilled from the source (lineage, credits, brouillon). Once proposed and published, the
 * adaptation appears in the source's family tree with its territory.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { parse as parseYaml } from 'yaml';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchChromium } from '../scripts/lib/chromium.ts';
import { describeInChromium } from './helpers/chromium.ts';
import { startTestServer, waitFor, type TestServer } from './helpers/editor-server.ts';

const run = promisify(execFile);
const SLUG = 'creer-un-jardin-partage-en-montagne';

describeInChromium('an adaptation made from an entry page', () => {
  let t: TestServer;
  let browser: Browser;
  beforeAll(async () => {
    t = await startTestServer({ siteBuild: true, git: { idleCommitMs: 500 } });
    await t.server.publisher.publish().published;
    browser = await launchChromium();
  }, 600_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  }, 300_000);

  it('opens the editor prefilled from the source and ends up in the source’s family tree', async () => {
    const camille = await t.addUser('Camille Montagne', 'contributeur', 'un-mot-de-passe-solide');
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${t.httpUrl}/fiches/jardin-partage/`);
    await page.getByRole('link', { name: 'Adapter à mon territoire' }).click();
    await page.waitForURL(/\/editer\/\?adapter=fiches\/jardin-partage$/);
    await page.getByLabel('Adresse e-mail').fill(camille.email);
    await page.getByLabel('Mot de passe').fill('un-mot-de-passe-solide');
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Se connecter', exact: true }).click()]);

    await expect.poll(() => page.locator('#adapter-titre-section').innerText(), { timeout: 30_000 }).toBe('Adapter « Créer un jardin partagé » à votre territoire');
    await page.getByRole('textbox', { name: 'Titre de votre adaptation', exact: true }).fill('Créer un jardin partagé en montagne');
    await page.getByRole('textbox', { name: 'Votre territoire', exact: true }).fill('Vallée de la Clarée (Hautes-Alpes)');
    await page.getByRole('textbox', { name: 'Ce qui change par rapport à l’original', exact: true }).fill('Calendrier adapté à une saison courte, serres froides et semis tardifs.');
    await page.screenshot({ path: 'bench-reports/tmp/adapter-formulaire-1280.png', fullPage: true });
    await page.getByRole('button', { name: 'Créer l’adaptation et ouvrir l’éditeur' }).click();
    await page.waitForURL(new RegExp(`/editer/\\?doc=fiches/${SLUG}$`));
    await page.locator('.editeur-prose[contenteditable="true"]').waitFor({ timeout: 30_000 });
    // Prefilled from the source: its text, then committed as a brouillon with its lineage and credits.
    await expect.poll(() => page.locator('.editeur-prose').innerText(), { timeout: 30_000 }).toContain('Un jardin partagé ne nourrira pas toute la commune');
    const file = `fiches/${SLUG}.mdx`;
    const show = () => run('git', ['-C', t.server.paths.repoDir, 'show', `HEAD:${file}`]).then((r) => r.stdout, () => '');
    await waitFor(async () => (await show()).includes('derive_de'), 60_000, 'commit de l’adaptation');
    const frontmatterOf = (text: string) => parseYaml(/^---\n([\s\S]*?)\n---/.exec(text)![1]!) as Record<string, unknown>;
    const data = frontmatterOf(await show());
    // The source's credited structures are carried over, whatever the seed credits today.
    const source = frontmatterOf((await run('git', ['-C', t.server.paths.repoDir, 'show', 'HEAD:fiches/jardin-partage.mdx'])).stdout);
    expect(data).toMatchObject({
      titre: 'Créer un jardin partagé en montagne',
      statut: 'brouillon',
      credits: source.credits,
      derive_de: { source: 'fiches/jardin-partage', changements: 'Calendrier adapté à une saison courte, serres froides et semis tardifs.', territoire: 'Vallée de la Clarée (Hautes-Alpes)' },
    });

    // Proposed, it becomes public: the next publication puts it in the tree.
    await page.getByLabel('Statut', { exact: true }).selectOption('propose');
    await waitFor(async () => /^statut: propose$/m.test(await show()), 60_000, 'commit du statut');
    // The status line may still show the previous publication: wait for the source's page itself.
    await expect
      .poll(async () => (await (await fetch(`${t.httpUrl}/fiches/jardin-partage/`)).text()).includes('Créer un jardin partagé en montagne'), { timeout: 400_000, interval: 2_000 })
      .toBe(true);

    await page.goto(`${t.httpUrl}/fiches/jardin-partage/`);
    const tree = page.locator('.famille__arbre');
    await tree.waitFor({ timeout: 30_000 });
    expect(await tree.innerText()).toContain('Créer un jardin partagé en montagne — Vallée de la Clarée (Hautes-Alpes)');
    expect(await tree.locator('a[aria-current="page"]').innerText()).toBe('Créer un jardin partagé');
    expect(await tree.locator(`a[href="/fiches/${SLUG}/"]`).count()).toBe(1);
    await page.locator('#lignee').scrollIntoViewIfNeeded();
    await page.screenshot({ path: 'bench-reports/tmp/famille-1280.png' });
    await page.setViewportSize({ width: 360, height: 800 });
    await page.locator('#lignee').scrollIntoViewIfNeeded();
    await page.screenshot({ path: 'bench-reports/tmp/famille-360.png' });

    await page.goto(`${t.httpUrl}/fiches/${SLUG}/`);
    expect(await page.locator('.famille').innerText()).toContain('Adaptée de Créer un jardin partagé pour Vallée de la Clarée (Hautes-Alpes)');
    await page.close();
  }, 900_000);
});
