/** Where an entry stands in its review, from its statut and the Reviewed-by trailers of its history. */
import { describe, expect, it } from 'vitest';
import { isPublicEntry, reviewStateOf } from '../core/editorial-status.ts';
import type { Change, Person } from '../core/git-history.ts';

const claire: Person = { name: 'Claire Aubert', email: 'u1@contributeurs.terreau.invalid' };
const rose: Person = { name: 'Rose Relectrice', email: 'u3@contributeurs.terreau.invalid' };

let serial = 0;
function change(author: Person, reviewers: Person[] = []): Change {
  serial++;
  return { commit: `c${serial}`, date: `2025-03-${String(serial).padStart(2, '0')}T10:00:00Z`, author, coAuthors: [], reviewers, subject: 'Modifier', message: 'Modifier', file: 'fiches/x.mdx', status: 'modification', diff: '' };
}

describe('the review state of an entry', () => {
  it('is « proposé » until a reviewer validates it', () => {
    expect(reviewStateOf('propose', [change(claire), change(claire)])).toEqual({ state: 'propose', changesSince: [] });
  });

  it('is « validé » by the reviewer of the last validation while nothing changed since', () => {
    const validation = change(rose, [rose]);
    const state = reviewStateOf('valide', [validation, change(claire)]);
    expect(state).toMatchObject({ state: 'valide', lastReview: { commit: validation.commit, reviewers: [rose] }, changesSince: [] });
  });

  it('is « modifié depuis la relecture » after a later change, with the changes since, until validated again', () => {
    const later = change(claire);
    const validation = change(rose, [rose]);
    expect(reviewStateOf('propose', [later, validation])).toMatchObject({ state: 'modifie', changesSince: [later] });
    // Even if the statut still says valide (a commit from outside the editor).
    expect(reviewStateOf('valide', [later, validation]).state).toBe('modifie');
    const again = change(rose, [rose]);
    expect(reviewStateOf('valide', [again, later, validation])).toMatchObject({ state: 'valide', changesSince: [] });
  });

  it('keeps brouillons, and only them, out of public outputs', () => {
    expect(reviewStateOf('brouillon', [change(claire)]).state).toBe('brouillon');
    expect([isPublicEntry({ statut: 'brouillon' }), isPublicEntry({}), isPublicEntry({ statut: 'propose' }), isPublicEntry({ statut: 'valide' })]).toEqual([false, false, true, true]);
  });
});
