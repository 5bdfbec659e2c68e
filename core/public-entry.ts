/**
 * Which entries the public sees. A brouillon is never public: no page list, family tree, export
 * or reuse bundle shows it. One predicate, so every reader of the commons draws the line alike.
 */

/** Whether an entry may be shown to the public. */
export function isPublicEntry(data: { statut?: string }): boolean {
  return data.statut !== 'brouillon';
}
