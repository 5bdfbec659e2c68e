/**
 * Pages that a script fills in after they show (search results and filter counts, the guided
 * path's roadmap, the auto-diagnostic) do not move what the reader already sees: their cumulative
 * layout shift, as Chromium measures it for Lighthouse, stays under the floor on a phone and a desktop.
 */
import { describe, expect, it } from 'vitest';
import { floors } from '../scripts/lib/site-checks/floors.ts';
import { pageTypes } from '../scripts/lib/site-checks/page-types.ts';
import { describeInChromium } from './helpers/chromium.ts';
import { useSiteInChromium } from './helpers/site-in-chromium.ts';

/** The screens Lighthouse emulates: a Moto G Power and a desktop. */
const screens = [
  { name: 'mobile', width: 412, height: 823 },
  { name: 'desktop', width: 1350, height: 940 },
];
const filledIn = pageTypes.filter((t) => ['accueil', 'résultat du parcours', 'recherche', 'recherche « cantine »', 'auto-diagnostic', 'carte'].includes(t.name));

describeInChromium('pages filled in by a script', () => {
  const env = useSiteInChromium();

  for (const type of filledIn) {
    it(`keep still while they load: ${type.name} (${type.path})`, async () => {
      for (const screen of screens) {
        const page = await env.browser.newPage({ viewport: { width: screen.width, height: screen.height } });
        await page.addInitScript(() => {
          const shifts: { value: number; sources: string[] }[] = [];
          (window as unknown as { shifts: typeof shifts }).shifts = shifts;
          new PerformanceObserver((list) => {
            for (const entry of list.getEntries() as unknown as { value: number; hadRecentInput: boolean; sources: { node?: Node }[] }[]) {
              if (!entry.hadRecentInput) shifts.push({ value: entry.value, sources: entry.sources.map((s) => (s.node as Element | undefined)?.outerHTML?.slice(0, 80) ?? '?') });
            }
          }).observe({ type: 'layout-shift', buffered: true });
        });
        await page.goto(`${env.server.url}${type.path}`);
        if (type.readySelector) await page.locator(type.readySelector).first().waitFor({ timeout: 15_000 });
        // Late arrivals (counts, fragments) come within a moment of the first results.
        await page.waitForTimeout(1500);
        const shifts = await page.evaluate(() => (window as unknown as { shifts: { value: number; sources: string[] }[] }).shifts);
        const cls = shifts.reduce((sum, s) => sum + s.value, 0);
        expect(cls, `${screen.name} : ${JSON.stringify(shifts)}`).toBeLessThan(floors.clsBelow);
        await page.close();
      }
    });
  }
});
