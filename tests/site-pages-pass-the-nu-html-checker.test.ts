/** Every page of the built site is valid HTML for the Nu Html Checker (vnu-jar), the W3C's own checker. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkHtmlWithNu } from '../scripts/lib/nu-html-checker.ts';
import { buildFixtureSite, type SiteFixture } from './helpers/site-fixture.ts';

let site: SiteFixture;

// Never skipped: without Java the checker fails with how to install it (apt-get install -y default-jre-headless).
describe('the Nu Html Checker', () => {
  beforeAll(async () => {
    site = await buildFixtureSite();
  });
  afterAll(() => site?.cleanup());

  it('finds no error on any page of the built site', async () => {
    const { messages } = await checkHtmlWithNu(site.outDir);
    const errors = messages.filter((m) => m.type === 'error').map((m) => `${m.file}:${m.line ?? '?'}: ${m.message}${m.extract ? ` — ${m.extract}` : ''}`);
    expect(errors).toEqual([]);
  }, 120_000);
});
