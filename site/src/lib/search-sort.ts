/**
 * The keys search results are sorted by. Pagefind sorts text keys by their code points (and each
 * shard of the index on its own: the search page merges them by the same order), so the title's
 * key leaves out case and accents, as a dictionary does: « Éco-pâturage » comes among the e.
 */

/** The key of a title: without accents, in lower case. */
export function titleSortKey(title: string): string {
  return title.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** Compares two keys as Pagefind does: code point by code point. */
export function compareSortKeys(a: string, b: string): number {
  const left = [...a];
  const right = [...b];
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    const difference = left[i]!.codePointAt(0)! - right[i]!.codePointAt(0)!;
    if (difference) return difference;
  }
  return left.length - right.length;
}
