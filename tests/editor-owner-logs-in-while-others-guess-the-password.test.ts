/**
 * In Chromium, the owner of an account logs in from the browser they used before (127.0.0.1)
 * while wrong passwords for their account pour in from other addresses (127.0.0.2 and up): their
 * browser keeps its own allowance (device cookie), so they get in at once. A browser that never
 * logged in is asked to wait, in minutes, never locked for good.
 */
import { request } from 'node:http';
import { expect, it } from 'vitest';
import { describeInChromium } from './helpers/chromium.ts';
import { useEditorInChromium } from './helpers/editor-in-chromium.ts';

/** One login attempt from a given loopback address, as an attacker's script would make it. */
function attempt(port: number, from: string, email: string, password: string): Promise<number> {
  const body = JSON.stringify({ email, password });
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path: '/api/login', method: 'POST', localAddress: from, headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode!));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describeInChromium('login under a password-guessing attack', () => {
  const env = useEditorInChromium();

  it('lets the owner in from the browser they used before, and tells a new browser to wait in minutes', async () => {
    const owner = await env.server.addUser('Odile Maire', 'administrateur', 'le bon mot de passe');
    const baseUrl = env.server.httpUrl;
    const logIn = async (page: import('playwright-core').Page, password: string) => {
      await page.goto(`${baseUrl}/editer/?doc=fiches/jardin-partage`);
      await page.getByRole('button', { name: 'Se connecter pour modifier' }).click();
      await page.getByLabel('Adresse e-mail').fill(owner.email);
      await page.getByLabel('Mot de passe').fill(password);
      await page.getByRole('button', { name: 'Se connecter', exact: true }).click();
    };

    // Her usual browser: she logged in there before, then out.
    const usual = await env.browser.newContext();
    const page = await usual.newPage();
    await Promise.all([page.waitForEvent('load'), logIn(page, 'le bon mot de passe')]);
    await page.getByRole('button', { name: 'Se déconnecter' }).waitFor();
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Se déconnecter' }).click()]);

    // Someone guesses her password from several other addresses.
    const statuses: number[] = [];
    for (let i = 0; i < 24; i++) statuses.push(await attempt(env.server.port, `127.0.0.${2 + (i % 6)}`, owner.email, `essai-${i}`));
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.at(-1)).toBe(429);

    // A browser that never logged in to her account waits, and is told how long in minutes.
    const stranger = await env.browser.newContext();
    const strangerPage = await stranger.newPage();
    await logIn(strangerPage, 'le bon mot de passe');
    await expect.poll(() => strangerPage.locator('#connexion-message').textContent(), { timeout: 10_000 }).toMatch(/^Connexion impossible : trop d’essais infructueux pour ce compte : réessayez dans (\d+ minutes?|moins d’une minute)$/);

    // Her usual browser gets in at once.
    await Promise.all([page.waitForEvent('load'), logIn(page, 'le bon mot de passe')]);
    await page.locator('.editeur-prose[contenteditable="true"]').waitFor({ timeout: 30_000 });
    expect(await page.locator('#editeur-compte').textContent()).toContain('Connecté·e : Odile Maire (administrateur)');
    await usual.close();
    await stranger.close();
  }, 150_000);
});
