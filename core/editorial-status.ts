/**
 * The editorial workflow as everything outside the editor server sees it: which entries the public
 * may see (never a brouillon), and where an entry stands in its review, read from its statut and
 * its Git history (a validation is a commit with a `Reviewed-by:` trailer).
 *
 *   brouillon -> proposé (public, « pas encore relu ») -> validé (by a relecteur or administrateur)
 *
 * A validated entry changed later by someone who is not a reviewer is « modifié depuis la
 * relecture » until a reviewer validates it again.
 */
import type { Change, Person } from './git-history.ts';

/** The statut an entry has when its file names none (the schemas' default). */
export const DEFAULT_STATUT = 'brouillon';

/**
 * Whether an entry may appear in any public output: its page, lists, search, guided path,
 * self-assessment, exports, sitemap, feeds and bundles. The one rule, everywhere: a brouillon never.
 */
export function isPublicEntry(data: { statut?: string | undefined }): boolean {
  return (data.statut ?? DEFAULT_STATUT) !== 'brouillon';
}

/** A validation: the commit that carries `Reviewed-by:`, its reviewers and date. */
export interface Review {
  commit: string;
  date: string;
  reviewers: Person[];
}

/** Where an entry stands in its review. */
export interface ReviewState {
  /**
   * `valide`: validated, and unchanged since its last validation; `modifie`: changed since its last
   * validation; `propose`: public, not yet reviewed; `brouillon`: not public.
   */
  state: 'brouillon' | 'propose' | 'valide' | 'modifie';
  /** The latest validation found in the history, if any. */
  lastReview?: Review;
  /** Changes made after that validation, newest first (empty without one). */
  changesSince: Change[];
}

/** The review state of an entry from its statut and its changes (newest first). */
export function reviewStateOf(statut: string | undefined, changes: readonly Change[]): ReviewState {
  const index = changes.findIndex((change) => change.reviewers.length > 0);
  const reviewed = index >= 0 ? changes[index]! : undefined;
  const lastReview = reviewed && { commit: reviewed.commit, date: reviewed.date, reviewers: reviewed.reviewers };
  const changesSince = index > 0 ? changes.slice(0, index) : [];
  const current = statut ?? DEFAULT_STATUT;
  let state: ReviewState['state'];
  if (current === 'brouillon') state = 'brouillon';
  else if (lastReview && changesSince.length > 0) state = 'modifie';
  // A statut « valide » with no validation in the history (imported as such) is taken as written.
  else if (current === 'valide') state = 'valide';
  else state = 'propose';
  return { state, ...(lastReview ? { lastReview } : {}), changesSince };
}

/** Whether the guided path and the self-assessment should put an entry first: validated and unchanged since. */
export function isReviewed(state: ReviewState): boolean {
  return state.state === 'valide';
}
