/**
 * In Chromium, on a real server: an administrator invites a contributor from /editer/comptes/;
 * the contributor opens the one-time link, chooses a password, creates a fiche that starts as a
 * brouillon (no public page to visit, an « Aperçu » rendered by the site's renderer, listed among
 * the drafts), and is told why « validé » is put back. The administrator then revokes the
 * contributor's sessions from the same page.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchChromium } from '../scripts/lib/chromium.ts';
import { describeInChromium } from './helpers/chromium.ts';
import { startTestServer, type TestServer } from './helpers/editor-server.ts';

describeInChromium('an invited contributor in the editor', () => {
  let t: TestServer;
  let browser: Browser;
  let admin: Page;
  let claire: Page;
  let invitationUrl: string;

  beforeAll(async () => {
    t = await startTestServer({ siteBuild: true, git: { idleCommitMs: 1_000 } });
    await t.server.publisher.publish().indexed;
    await t.addUser('Ada Admin', 'administrateur', 'le mot de passe d’Ada');
    browser = await launchChromium();
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('is invited by an administrator with a link shown once', async () => {
    admin = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await admin.goto(`${t.httpUrl}/editer/`);
    await admin.getByRole('button', { name: 'Se connecter pour modifier' }).click();
    const email = (await t.server.accounts.listUsers()).find((u) => u.name === 'Ada Admin')!.email;
    await admin.getByLabel('Adresse e-mail').fill(email);
    await admin.getByLabel('Mot de passe').fill('le mot de passe d’Ada');
    await admin.getByRole('button', { name: 'Se connecter', exact: true }).click();
    await admin.getByRole('link', { name: 'Gérer les comptes' }).click();
    await admin.getByLabel('Nom affiché (dans l’historique et les crédits)').fill('Claire Aubert');
    await admin.getByLabel('Adresse e-mail (jamais publiée)').fill('claire@exemple.fr');
    await admin.getByRole('button', { name: 'Créer l’invitation' }).click();
    const link = admin.getByLabel(/^Lien d’invitation pour Claire Aubert, à transmettre/);
    invitationUrl = await link.inputValue();
    expect(invitationUrl).toMatch(new RegExp(`^${t.httpUrl}/editer/invitation/#inv_`));
    await expect.poll(() => admin.locator('#comptes-lignes tr', { hasText: 'Claire Aubert' }).innerText(), { timeout: 15_000 }).toContain('Invitation pas encore acceptée');
  });

  it('chooses a password through the link and lands in the editor, logged in', async () => {
    claire = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await claire.goto(invitationUrl);
    // The page reads the invitation from the server after it loads: « Lecture du lien d’invitation… » first.
    await expect.poll(() => claire.locator('#invitation-accueil').innerText(), { timeout: 15_000 }).toMatch(/^Bienvenue, Claire Aubert : vous êtes invité·e comme contributeur ou contributrice/);
    await claire.getByLabel('Mot de passe (10 caractères au moins)').fill('le mot de passe de Claire');
    await claire.getByLabel('Le même, une seconde fois').fill('le mot de passe de Claire');
    await claire.getByRole('button', { name: 'Enregistrer et ouvrir l’éditeur' }).click();
    await claire.waitForURL(`${t.httpUrl}/editer/`);
    await claire.getByText('Connecté·e : Claire Aubert (contributeur)').waitFor();
  });

  it('writes a new fiche as a brouillon, with a preview rendered as the site renders it', async () => {
    await claire.goto(`${t.httpUrl}/editer/?nouveau=fiches`);
    await claire.getByLabel('Titre', { exact: true }).fill('Fabriquer des nichoirs avec l’école');
    await claire.getByRole('button', { name: 'Créer et ouvrir l’éditeur' }).click();
    await claire.locator('.editeur-prose[contenteditable="true"]').waitFor({ timeout: 30_000 });
    await expect(claire.getByText('Brouillon : pas encore publié').isVisible()).resolves.toBe(true);
    await expect(claire.getByRole('link', { name: 'Voir la page publique' }).isVisible()).resolves.toBe(false);
    await claire.getByRole('button', { name: 'Aperçu' }).click();
    const preview = claire.getByRole('region', { name: /^Aperçu/ });
    await preview.getByRole('heading', { level: 1, name: 'Fabriquer des nichoirs avec l’école' }).waitFor();
    await expect.poll(() => preview.locator('.lead').innerText(), { timeout: 15_000 }).toBe('À compléter\u202F: résumé en une ou deux phrases de «\u202FFabriquer des nichoirs avec l’école\u202F».');
    // The site's renderer (not the editor's) gives headings the ids their pages link to, and typesets.
    await expect.poll(() => preview.locator('.entry__body h2#pourquoi-agir').innerText(), { timeout: 15_000 }).toBe('Pourquoi agir');
    await expect.poll(() => preview.locator('.entry__body').innerText(), { timeout: 15_000 }).toContain('À compléter\u202F: en quoi cette action renforce la résilience du territoire.');
  });

  it('is told why « validé » is put back, and keeps the rest', async () => {
    await claire.locator('.editeur-prose h2').first().click();
    await claire.keyboard.press('End');
    await claire.keyboard.type(' et comment');
    const statut = claire.getByLabel('Statut', { exact: false }).first();
    await statut.selectOption('valide');
    const refusal = claire.getByRole('region', { name: 'Non retenu par le serveur' });
    await refusal.waitFor({ timeout: 60_000 });
    await expect.poll(() => refusal.innerText(), { timeout: 15_000 }).toContain('seul un relecteur, une relectrice ou un administrateur peut valider une entrée : le statut reste « brouillon »');
    await expect.poll(() => statut.inputValue(), { timeout: 10_000 }).toBe('brouillon');
    const { execFileSync } = await import('node:child_process');
    const committed = execFileSync('git', ['-C', t.server.paths.repoDir, 'show', 'HEAD:fiches/fabriquer-des-nichoirs-avec-l-ecole.mdx'], { encoding: 'utf8' });
    expect(committed).toContain('statut: brouillon');
    expect(committed).toContain('## Pourquoi agir et comment');
  });

  it('finds the draft in the editor’s list of brouillons', async () => {
    await claire.goto(`${t.httpUrl}/editer/`);
    const drafts = claire.getByRole('region', { name: 'Brouillons' });
    await drafts.getByRole('link', { name: 'Fabriquer des nichoirs avec l’école' }).waitFor();
    expect(await drafts.getByRole('link', { name: 'Fabriquer des nichoirs avec l’école' }).getAttribute('href')).toBe('/editer/?doc=fiches/fabriquer-des-nichoirs-avec-l-ecole');
  });

  it('loses every session when an administrator revokes them', async () => {
    await admin.reload();
    await admin.getByRole('button', { name: 'Révoquer les jetons et les sessions de Claire Aubert' }).click();
    await admin.getByText('Jetons et sessions de Claire Aubert révoqués : fait.').waitFor();
    await expect(claire.evaluate(async () => (await (await fetch('/api/session')).json()).user)).resolves.toBeNull();
  });
});
