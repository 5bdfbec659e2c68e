/**
 * In Chromium, every error the editor shows is a sentence in the page: problems of the data are
 * named by their field's label, never by an internal key or « undefined », each once (though both
 * the page and the server find it); a link address is asked and refused in a dialog of the page,
 * never with prompt(); an entry that does not exist says so and offers to create it.
 */
import { expect, it } from 'vitest';
import { describeInChromium } from './helpers/chromium.ts';
import { logInAndOpen, useEditorInChromium } from './helpers/editor-in-chromium.ts';

describeInChromium('errors in the editor', () => {
  const env = useEditorInChromium();

  it('name the field by its label, each problem once, and ask for links in the page', async () => {
    const bruno = await env.server.addUser('Bruno Lefèvre', 'contributeur', 'motdepasse-bruno-1');
    const context = await env.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await logInAndOpen(context, env.server.httpUrl, bruno.email, 'motdepasse-bruno-1', 'fiches/cantine-locale');
    const browserDialogs: string[] = [];
    page.on('dialog', (dialog) => {
      browserDialogs.push(dialog.type());
      void dialog.dismiss();
    });

    await page.getByLabel('Résumé *').fill('');
    await page.getByLabel('Difficulté *').selectOption('');
    // The server refuses the commit too (after a moment of calm): its problems join the page's.
    await expect.poll(() => page.locator('#editeur-etat').textContent(), { timeout: 20_000 }).toBe('non enregistré : le contenu doit être corrigé');
    const problems = await page.locator('#editeur-problemes li').allTextContents();
    expect(problems.filter((p) => p === 'Résumé : champ obligatoire manquant')).toHaveLength(1);
    expect(problems.filter((p) => p === 'Difficulté : champ obligatoire manquant')).toHaveLength(1);
    expect(problems.join('\n')).not.toMatch(/\bresume\b|\bdifficulte\b|undefined/);
    expect(new Set(problems).size).toBe(problems.length);

    await page.locator('.editeur-prose p').first().click();
    await page.keyboard.press('Home');
    await page.keyboard.press('Shift+End');
    await page.getByRole('button', { name: 'Lien', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Lien' });
    await dialog.getByLabel('Adresse du lien').fill('javascript:alert(1)');
    await dialog.getByRole('button', { name: 'Appliquer' }).click();
    await expect.poll(() => dialog.getByRole('alert').textContent(), { timeout: 10_000 }).toMatch(/^Adresse refusée : une adresse complète commençant par https:\/\//);
    await dialog.getByLabel('Adresse du lien').fill('https://exemple.org/cantines');
    await dialog.getByRole('button', { name: 'Appliquer' }).click();
    await expect.poll(() => page.locator('.editeur-prose a[href="https://exemple.org/cantines"]').count(), { timeout: 10_000 }).toBe(1);
    expect(await dialog.isVisible()).toBe(false);
    expect(browserDialogs).toEqual([]);
    await context.close();
  }, 150_000);

  it('say that an entry does not exist, and offer to create it', async () => {
    const chloe = await env.server.addUser('Chloé Petit', 'contributeur', 'motdepasse-chloe-1');
    const context = await env.browser.newContext({ viewport: { width: 1280, height: 900 } });
    await logInAndOpen(context, env.server.httpUrl, chloe.email, 'motdepasse-chloe-1', 'fiches/jardin-partage');
    const page = await context.newPage();
    await page.goto(`${env.server.httpUrl}/editer/?doc=fiches/verger-de-quartier`);
    await expect.poll(() => page.getByRole('heading', { level: 2, name: 'Cette entrée n’existe pas' }).isVisible(), { timeout: 15_000 }).toBe(true);
    expect(await page.locator('#introuvable-message').textContent()).toBe(
      'Aucune entrée « verger-de-quartier » parmi les fiches-actions. Elle a peut-être été renommée, ou n’a jamais été créée.',
    );
    expect(await page.locator('.editeur-prose').count()).toBe(0);
    await page.getByRole('link', { name: 'Créer l’entrée « verger de quartier » (fiche-action)' }).click();
    await expect.poll(() => page.getByLabel('Titre', { exact: true }).inputValue(), { timeout: 10_000 }).toBe('Verger de quartier');
    expect(await page.locator('#nouveau-slug').textContent()).toBe('/fiches/verger-de-quartier/');
    await context.close();
  }, 150_000);
});
