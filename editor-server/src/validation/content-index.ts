/**
 * The checked entries of the commons content tree, kept in memory to validate one edited file at
 * a time. The tree is read and checked once (about a second for a few hundred entries); after
 * that only the edited file is checked (`validateEntryText`: 2–5 ms, under 15 ms at worst on a
 * 1,000-entry tree). Each commit, ours or from outside, replaces the entries of the files it
 * changed. Lives in the validation worker (see entry-validator.ts for why).
 */
import type { CollectionName } from '../../../schemas/common.ts';
import type { Problem } from '../../../core/problem.ts';
import { checkEntryFile, inspectContentTree, validateEntryText, type CheckedEntry } from '../../../core/validate-tree.ts';

/** Validation of entry texts against the in-memory entries of one content tree. */
export class ContentIndex {
  private readonly entries: Map<string, CheckedEntry>;

  private constructor(entries: Map<string, CheckedEntry>) {
    this.entries = entries;
  }

  /** Reads and checks the tree at `contentDir` once; its valid entries stay in memory. */
  static async load(contentDir: string): Promise<ContentIndex> {
    const { entries } = await inspectContentTree(contentDir);
    return new ContentIndex(new Map(entries.map((e) => [e.file, e])));
  }

  /** Problems of `text` as the new content of `collection/slug` (empty: valid). */
  validate(collection: CollectionName, slug: string, text: string): Problem[] {
    return validateEntryText([...this.entries.values()], collection, slug, text);
  }

  /** Records the committed text of `file` (relative to the tree), or its removal (undefined). */
  update(file: string, text: string | undefined): void {
    const entry = text === undefined ? undefined : checkEntryFile(file, text).entry;
    // Like `inspectContentTree`, the tree only holds files that pass their own checks.
    if (entry) this.entries.set(file, entry);
    else this.entries.delete(file);
  }
}
