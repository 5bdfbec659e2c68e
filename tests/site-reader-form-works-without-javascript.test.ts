/**
 * In Chromium with JavaScript turned off, a reader opens the form under an entry, proposes an
 * improvement and is thanked on a page of the site's own layout; an experience refused for too
 * many links comes back filled in, is corrected there and sent again. Both reach the moderation
 * queue, the e-mail kept only there.
 */
import { expect, it } from 'vitest';
import { describeInChromium } from './helpers/chromium.ts';
import { useEditorInChromium } from './helpers/editor-in-chromium.ts';

describeInChromium('the readers’ forms without JavaScript', () => {
  const env = useEditorInChromium();

  it('send a proposal from an entry page and thank the reader', async () => {
    const context = await env.browser.newContext({ javaScriptEnabled: false, viewport: { width: 360, height: 800 } });
    const page = await context.newPage();
    await page.goto(`${env.server.httpUrl}/fiches/jardin-partage/`);
    await page.getByText('Signaler une erreur ou proposer une amélioration').click();
    const form = page.locator('.avis-lecteur form');
    await form.getByLabel('Proposer une amélioration').check();
    await form.getByLabel('Votre message').fill('Ajouter le guide « Jardiner sans arroser » aux ressources : il nous a beaucoup servi.');
    await form.getByLabel('Nom à citer').fill('Jeanne du Verger');
    await form.getByLabel('Adresse e-mail').fill('jeanne@exemple.fr');
    await form.getByLabel(/J’accepte que mon texte soit publié sous licence/).check();
    await Promise.all([page.waitForURL(/\/contribuer\/merci\//), form.getByRole('button', { name: 'Envoyer' }).click()]);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Merci, votre envoi est arrivé');
    // The site's own layout: its header and footer frame the answer.
    expect(await page.getByRole('navigation', { name: 'Navigation principale' }).isVisible()).toBe(true);
    expect(await page.title()).toBe('Merci — Terreau');
    await page.getByRole('link', { name: 'Revenir à la page d’où vous veniez' }).click();
    expect(new URL(page.url()).pathname).toBe('/fiches/jardin-partage/');

    const [stored] = (await env.server.server.contributions.pending()).filter((c) => c.name === 'Jeanne du Verger');
    expect(stored).toMatchObject({ kind: 'amelioration', entry: 'fiches/jardin-partage', email: 'jeanne@exemple.fr' });
    await context.close();
  }, 150_000);

  it('give a refused experience back filled in, to correct and send again', async () => {
    const context = await env.browser.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${env.server.httpUrl}/contribuer/`);
    const text = 'Notre cantine est passée au local en deux ans. Voir https://a.example/1, https://b.example/2 et https://c.example/3.';
    await page.getByLabel('Titre de votre expérience').fill('Une cantine locale à Jazeneuil');
    await page.getByLabel('Commune ou territoire').fill('Jazeneuil');
    await page.getByLabel(/^Racontez/).fill(text);
    await page.getByLabel('Nom à citer').fill('Paul Cuisinier');
    await page.getByLabel(/J’accepte/).check();
    await page.getByRole('button', { name: 'Envoyer' }).click();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Trop de liens');
    expect(await page.getByRole('alert').textContent()).toContain('Votre texte contient 3 liens ; 2 au plus sont acceptés');
    // Nothing typed is lost: the form comes back with every field as it was.
    expect(await page.getByLabel(/^Racontez/).inputValue()).toBe(text);
    expect(await page.getByLabel('Titre de votre expérience').inputValue()).toBe('Une cantine locale à Jazeneuil');
    expect(await page.getByLabel('Nom à citer').inputValue()).toBe('Paul Cuisinier');
    expect(await page.getByLabel(/J’accepte/).isChecked()).toBe(true);

    await page.getByLabel(/^Racontez/).fill(text.replace(' et https://c.example/3', ''));
    await Promise.all([page.waitForURL(/\/contribuer\/merci\//), page.getByRole('button', { name: 'Envoyer' }).click()]);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Merci, votre envoi est arrivé');
    const [stored] = (await env.server.server.contributions.pending()).filter((c) => c.name === 'Paul Cuisinier');
    expect(stored).toMatchObject({ kind: 'experience', title: 'Une cantine locale à Jazeneuil', territory: 'Jazeneuil', email: null });
    await context.close();
  }, 150_000);
});
