/**
 * In Chromium, a relecteur opens the moderation queue, completes an experience a reader sent
 * (commune by name, a theme) and accepts it: it becomes a brouillon retour in the commons,
 * authored by the reader under the name they chose, its text kept as typed (never as HTML or
 * MDX); the reader's e-mail is erased and the decision logged. Another is refused with a reason.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { describeInChromium } from './helpers/chromium.ts';
import { useEditorInChromium } from './helpers/editor-in-chromium.ts';

const experience = [
  'Nous avons transformé le terrain derrière l’église en jardin partagé.',
  '',
  'Au début, personne ne venait. Puis l’école a pris deux parcelles <b>et tout a changé</b> {vraiment}.',
  'import des semences : la grainothèque de la médiathèque.',
].join('\n');

async function send(baseUrl: string, fields: Record<string, string>): Promise<void> {
  const response = await fetch(`${baseUrl}/contribuer`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ consentement: 'oui', ...fields }),
  });
  expect(response.status).toBe(303);
}

describeInChromium('the moderation queue', () => {
  const env = useEditorInChromium();

  it('turns an experience into a brouillon retour credited to the reader, and refuses with a reason', async () => {
    const t = env.server;
    await send(t.httpUrl, { type: 'experience', entree: 'fiches/jardin-partage', titre: 'Un jardin au pied de l’église', commune: 'Jazeneuil', texte: experience, nom: 'Martine du Lavoir', email: 'martine@exemple.fr' });
    await send(t.httpUrl, { type: 'erreur', entree: 'fiches/jardin-partage', texte: 'Achetez nos graines miracle, livraison gratuite partout.', nom: 'Promo Graines' });
    const claire = await t.addUser('Claire Martin', 'relecteur', 'motdepasse-claire-1');

    const context = await env.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${t.httpUrl}/editer/moderation/`);
    await page.getByLabel('Adresse e-mail').fill(claire.email);
    await page.getByLabel('Mot de passe').fill('motdepasse-claire-1');
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Se connecter' }).click()]);

    // Each card is found by what the reader wrote, then held by its id (its content changes once decided).
    const cardOf = async (name: string) => {
      const found = page.getByRole('article').filter({ hasText: name });
      await found.waitFor({ timeout: 15_000 });
      return page.locator(`article[aria-labelledby="${await found.getAttribute('aria-labelledby')}"]`);
    };
    const card = await cardOf('Martine du Lavoir');
    // The reader's text is shown as text: the <b> is visible as typed, not bold.
    expect(await card.locator('.texte-lecteur').textContent()).toBe(experience);
    expect(await card.locator('.texte-lecteur b').count()).toBe(0);
    expect(await card.getByLabel('Commune (nom ou code INSEE)').inputValue()).toBe('Jazeneuil');
    await card.getByLabel('Alimentation').check();
    await card.getByRole('button', { name: 'Créer le brouillon' }).click();
    const done = card.getByRole('status').filter({ hasText: 'Accepté' });
    await expect.poll(() => done.textContent(), { timeout: 20_000 }).toBe(
      'Accepté : brouillon retours/un-jardin-au-pied-de-l-eglise créé, au nom de Martine du Lavoir. Ouvrir le brouillon dans l’éditeur',
    );

    const spam = await cardOf('Promo Graines');
    await spam.getByLabel('Raison du refus').fill('Publicité sans rapport avec la fiche.');
    await spam.getByRole('button', { name: 'Refuser' }).click();
    await expect.poll(() => spam.textContent(), { timeout: 10_000 }).toContain('Refusé : Publicité sans rapport avec la fiche.');
    await expect.poll(() => page.locator('#moderation-journal-lignes tr').allTextContents(), { timeout: 10_000 }).toEqual([
      expect.stringMatching(/RefuséeClaire MartinPublicité sans rapport avec la fiche\.$/),
      expect.stringMatching(/AcceptéeClaire Martinretours\/un-jardin-au-pied-de-l-eglise$/),
    ]);

    // In the commons: a brouillon, authored by the reader (the server only commits), text as typed.
    const repo = join(t.dataDir, 'commons');
    const git = (...args: string[]) => execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8' });
    const file = git('show', 'HEAD:retours/un-jardin-au-pied-de-l-eglise.mdx');
    expect(file).toContain('statut: brouillon');
    expect(file).toContain('  communes: ["86116"]');
    expect(file).toContain('fiches: [jardin-partage]');
    expect(file).toContain('\\<b>et tout a changé\\</b> \\{vraiment}.');
    expect(file).toContain('Témoignage de Martine du Lavoir');
    expect(git('log', '-1', '--format=%an|%cn', '--', 'retours/un-jardin-au-pied-de-l-eglise.mdx').trim()).toBe('Martine du Lavoir|Serveur Terreau');
    // Handled: the reader's address is erased.
    const handled = await t.server.contributions.decisions();
    const accepted = await t.server.contributions.get(handled.find((d) => d.action === 'acceptee')!.contributionId);
    expect(accepted).toMatchObject({ status: 'acceptee', email: null, result: 'retours/un-jardin-au-pied-de-l-eglise' });

    // The brouillon opens in the editor, with the reader's paragraphs as text.
    await page.getByRole('link', { name: 'Ouvrir le brouillon dans l’éditeur' }).click();
    await page.locator('.editeur-prose[contenteditable="true"]').waitFor({ timeout: 30_000 });
    await expect.poll(() => page.locator('.editeur-prose').textContent(), { timeout: 10_000 }).toContain('Puis l’école a pris deux parcelles <b>et tout a changé</b> {vraiment}.');
    expect(await page.getByLabel('Statut').inputValue()).toBe('brouillon');
    await context.close();
  }, 180_000);
});
