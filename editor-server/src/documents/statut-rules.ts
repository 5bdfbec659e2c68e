/**
 * The editorial workflow, enforced by the server on every commit (the form only follows it):
 * « validé » is set or kept only by relecteurs and administrateurs. Before a document is committed,
 * its statut is compared with the one in Git:
 *
 * - set to `valide` by someone else: the statut is put back, with a French reason, and the rest of
 *   the edit is committed;
 * - a validated entry changed by someone else: it goes back to `propose` until a reviewer
 *   validates it again (the site then says « Modifié depuis la relecture »);
 * - committed as `valide` by reviewers only: the commit carries `Reviewed-by:` for each of them.
 *
 * A commit made of several people's edits counts as a reviewer's only if every one of them is.
 */
import { DEFAULT_STATUT } from '../../../core/editorial-status.ts';
import type { Problem } from '../../../core/problem.ts';

/** What the server decides about a document's statut before committing it. */
export interface StatutDecision {
  /** The statut to write back into the document (null: remove the field); absent: keep it. */
  revertTo?: string | null;
  /** Why the statut was changed, for the editors (through the status protocol). */
  problem?: Problem;
  /** Whether the commit validates the entry: it carries `Reviewed-by:` for its editors. */
  validates: boolean;
}

/** Decides about the statut of a document about to be committed. */
export function decideStatut(input: {
  /** The statut in the document now. */
  statut: unknown;
  /** The statut in the file at HEAD (undefined: no field, or no file yet). */
  baseStatut: string | undefined;
  /** Whether every editor of the commit is a relecteur or an administrateur. */
  byReviewers: boolean;
  /** Path of the file, for the problem. */
  file: string;
}): StatutDecision {
  const { statut, baseStatut, byReviewers, file } = input;
  if (statut !== 'valide') return { validates: false };
  if (byReviewers) return { validates: true };
  if (baseStatut !== 'valide') {
    return {
      // A file not yet committed (or naming no statut) is a brouillon: say so in the form, not an empty field.
      revertTo: baseStatut ?? DEFAULT_STATUT,
      validates: false,
      problem: {
        file,
        field: 'statut',
        message: `seul un relecteur, une relectrice ou un administrateur peut valider une entrée : le statut reste « ${statutLabel(baseStatut)} ». Vos autres modifications sont enregistrées.`,
      },
    };
  }
  return {
    revertTo: 'propose',
    validates: false,
    problem: {
      file,
      field: 'statut',
      message: 'cette entrée validée a été modifiée : elle repasse en « proposé » jusqu’à ce qu’un relecteur ou une relectrice la valide à nouveau. Vos modifications sont enregistrées.',
    },
  };
}

function statutLabel(statut: string | undefined): string {
  return statut === 'propose' ? 'proposé' : statut === 'valide' ? 'validé' : 'brouillon';
}
