/**
 * The one slug function of Terreau: the editor, `npm run new` and the validator's suggestions all
 * turn a title or a file name into a slug here, so « Cœur de bourg » is `coeur-de-bourg` everywhere.
 */
import slugify from '@sindresorhus/slugify';

/** Longest slug made from a title: long enough to say what the entry is, short enough for a URL. */
export const MAX_SLUG_LENGTH = 80;

/** Turns a French title into a slug: `Jardin partagé` → `jardin-partage`; long titles are cut between words. */
export function slugFromTitle(title: string): string {
  const slug = slugify(title, { customReplacements: [['&', ' et '], ['œ', 'oe'], ['Œ', 'oe'], ['æ', 'ae'], ['Æ', 'ae']], decamelize: false });
  if (slug.length <= MAX_SLUG_LENGTH) return slug;
  const cut = slug.slice(0, MAX_SLUG_LENGTH + 1);
  const lastBreak = cut.lastIndexOf('-');
  return (lastBreak > 0 ? cut.slice(0, lastBreak) : cut.slice(0, MAX_SLUG_LENGTH)).replace(/-+$/, '');
}
