/**
 * In Chromium, the save status does not flicker with every keystroke, and screen readers hear
 * only the changes of state that matter (saved, published, refused, offline), never each send.
 */
import { expect, it } from 'vitest';
import { describeInChromium } from './helpers/chromium.ts';
import { logInAndOpen, useEditorInChromium } from './helpers/editor-in-chromium.ts';

describeInChromium('the save status while typing', () => {
  const env = useEditorInChromium({ git: { idleCommitMs: 1_500 } });

  it('holds still, and announces only the saving and the publishing', async () => {
    const alice = await env.server.addUser('Alice Martin', 'contributeur', 'motdepasse-alice-1');
    const context = await env.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await logInAndOpen(context, env.server.httpUrl, alice.email, 'motdepasse-alice-1', 'fiches/jardin-partage');
    await page.evaluate(() => {
      const record = (id: string, into: string[]) =>
        new MutationObserver(() => into.push(document.getElementById(id)!.textContent ?? '')).observe(document.getElementById(id)!, { childList: true, characterData: true, subtree: true });
      const w = window as unknown as { statuses: string[]; announcements: string[] };
      w.statuses = [];
      w.announcements = [];
      record('editeur-etat', w.statuses);
      record('editeur-annonce', w.announcements);
    });

    await page.locator('.editeur-prose p').first().click();
    await page.keyboard.press('End');
    await page.keyboard.type(' Une phrase tapée au rythme d’une personne, sans pause.', { delay: 25 });
    const whileTyping = await page.evaluate(() => {
      const w = window as unknown as { statuses: string[]; announcements: string[] };
      return { statuses: [...w.statuses], announcements: [...w.announcements] };
    });
    expect(whileTyping.statuses).toEqual(['modifications en cours d’enregistrement']);
    expect(whileTyping.announcements).toEqual([]);

    // After a moment of calm the server commits, then publishes: two things worth hearing (the
    // search index follows, shown but not announced).
    await expect.poll(() => page.locator('#editeur-etat').textContent(), { timeout: 20_000 }).toMatch(/^(publié|indexé pour la recherche)$/);
    const after = await page.evaluate(() => (window as unknown as { announcements: string[] }).announcements);
    expect(after).toEqual(['Enregistré.', 'Publié.']);
    expect(await page.locator('#editeur-annonce').getAttribute('role')).toBe('status');
    expect(await page.locator('.editeur-etat').getAttribute('aria-live')).toBeNull();
    await context.close();
  }, 150_000);
});
