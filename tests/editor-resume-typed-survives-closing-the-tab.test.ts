/**
 * In Chromium, a contributor types in the Résumé field and closes the tab without ever leaving the
 * field; reopened, the text is there. The field is sent as it is typed (not when it loses focus),
 * so once the server has acknowledged it, nothing waits in the page.
 */
import { expect, it } from 'vitest';
import { describeInChromium } from './helpers/chromium.ts';
import { logInAndOpen, useEditorInChromium } from './helpers/editor-in-chromium.ts';

const FICHE = 'fiches/jardin-partage';
const added = ' Ouvert à tous, le samedi matin.';

describeInChromium('the Résumé field in the editor', () => {
  const env = useEditorInChromium();

  it('keeps what was typed when the tab is closed without leaving the field', async () => {
    const alice = await env.server.addUser('Alice Martin', 'contributeur', 'motdepasse-alice-1');
    const context = await env.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await logInAndOpen(context, env.server.httpUrl, alice.email, 'motdepasse-alice-1', FICHE);
    const resume = page.getByLabel('Résumé *');
    const before = await resume.inputValue();
    await resume.click();
    await resume.press('Control+End');
    await page.keyboard.type(added, { delay: 15 });
    // Still in the field: nothing has blurred it.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe(await resume.getAttribute('id'));
    // Acknowledged by the server (journaled) while the person is still typing-ready in the field.
    await expect
      .poll(() => page.evaluate(() => (window as unknown as { terreauEditor: { provider: { hasUnsyncedChanges: boolean } } }).terreauEditor.provider.hasUnsyncedChanges), { timeout: 10_000 })
      .toBe(false);
    expect(await page.locator('#editeur-etat').textContent()).not.toBe('à jour');
    await page.close({ runBeforeUnload: false });

    const again = await context.newPage();
    await again.goto(`${env.server.httpUrl}/editer/?doc=${FICHE}`);
    await again.locator('.editeur-prose[contenteditable="true"]').waitFor({ timeout: 30_000 });
    await expect.poll(() => again.getByLabel('Résumé *').inputValue(), { timeout: 10_000 }).toBe(`${before}${added}`);
    await context.close();
  }, 150_000);
});
