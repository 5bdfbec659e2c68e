/**
 * The checked entries of the commons content tree, kept in memory to validate one edited file at
 * a time. The tree is read and checked once (about a second for a few hundred entries); after
 * that only the edited file is checked (`validateEntryText`: 2–5 ms, under 15 ms at worst on a
 * 1,000-entry tree). Each commit, ours or from outside, replaces the entries of the files it
 * changed. Lives in the validation worker (see entry-validator.ts for why).
 */
import type { CollectionName } from '../../../schemas/common.ts';
import type { Problem } from '../../../core/problem.ts';
import { MEDIA_FOLDER, parseMediaFile } from '../../../core/medias.ts';
import { checkEntryFile, checkMediaCredits, inspectContentTree, validateEntryText, type CheckedEntry } from '../../../core/validate-tree.ts';

/** Validation of entry texts against the in-memory entries of one content tree. */
export class ContentIndex {
  private readonly entries: Map<string, CheckedEntry>;
  /** Images that pages may show (valid credits), by site address. */
  private readonly medias: Set<string>;
  /** Image files present, and credits files that pass their checks, by path in the tree. */
  private readonly mediaFiles = new Set<string>();
  private readonly validCredits = new Set<string>();

  private constructor(entries: Map<string, CheckedEntry>, medias: Set<string>) {
    this.entries = entries;
    this.medias = medias;
    for (const src of medias) {
      const media = parseMediaFile(src.slice(1))!;
      this.mediaFiles.add(media.file);
      this.validCredits.add(media.creditsFile);
    }
  }

  /** Reads and checks the tree at `contentDir` once; its valid entries stay in memory. */
  static async load(contentDir: string): Promise<ContentIndex> {
    const { entries, medias } = await inspectContentTree(contentDir);
    return new ContentIndex(new Map(entries.map((e) => [e.file, e])), new Set(medias));
  }

  /** Problems of `text` as the new content of `collection/slug` (empty: valid). */
  validate(collection: CollectionName, slug: string, text: string): Problem[] {
    return validateEntryText([...this.entries.values()], this.medias, collection, slug, text);
  }

  /** Records the committed text of `file` (relative to the tree), or its removal (undefined). */
  update(file: string, text: string | undefined): void {
    if (file.startsWith(`${MEDIA_FOLDER}/`)) return this.updateMedia(file, text);
    const entry = text === undefined ? undefined : checkEntryFile(file, text).entry;
    // Like `inspectContentTree`, the tree only holds files that pass their own checks.
    if (entry) this.entries.set(file, entry);
    else this.entries.delete(file);
  }

  /** An image (its bytes do not matter here) or its credits changed: may pages show it? */
  private updateMedia(file: string, text: string | undefined): void {
    if (file.endsWith('.yaml')) {
      if (text !== undefined && checkMediaCredits(file, text).length === 0) this.validCredits.add(file);
      else this.validCredits.delete(file);
    } else if (text === undefined) this.mediaFiles.delete(file);
    else this.mediaFiles.add(file);
    this.medias.clear();
    for (const image of this.mediaFiles) {
      const media = parseMediaFile(image);
      if (media && this.validCredits.has(media.creditsFile)) this.medias.add(media.src);
    }
  }
}
