/**
 * Merges a change made to an entry's file outside the editor (a pull, a merged fork) into its
 * live Yjs document, without losing edits in flight and without duplicating content.
 *
 * Three-way, at the granularity the editor works in: `base` is the file text the document was
 * last in sync with, `theirs` the new text. Frontmatter keys changed between base and theirs take
 * their new value. Body blocks (top-level nodes of the XmlFragment) are diffed base → theirs;
 * blocks theirs deleted are deleted from the live document only where the live block is still
 * identical to base (a block edited in flight is kept), and blocks theirs inserted are inserted
 * next to the live block that matches their base neighbour. Inserted blocks are new Yjs items:
 * nothing of the live document is re-created, so no client can end up with two copies.
 */
import type { CollectionName } from '../../../schemas/common.ts';
import * as Y from 'yjs';
import { loadEntryIntoDoc } from '../bridge/mdx-yjs.ts';

type Block = Y.XmlElement | Y.XmlText;

/** Applies the change `baseText → theirsText` to `target`, as one transaction with `origin`. */
export function mergeExternalChange(target: Y.Doc, baseText: string | null, theirsText: string, collection: CollectionName, origin: unknown): void {
  const base = new Y.Doc();
  const theirs = new Y.Doc();
  if (baseText !== null) loadEntryIntoDoc(base, baseText, collection);
  loadEntryIntoDoc(theirs, theirsText, collection);
  target.transact(() => {
    mergeFrontmatter(base.getMap('frontmatter'), theirs.getMap('frontmatter'), target.getMap('frontmatter'));
    mergeBody(base.getXmlFragment('default'), theirs.getXmlFragment('default'), target.getXmlFragment('default'));
  }, origin);
  base.destroy();
  theirs.destroy();
}

function mergeFrontmatter(base: Y.Map<unknown>, theirs: Y.Map<unknown>, live: Y.Map<unknown>): void {
  const baseJson = base.toJSON();
  const theirsJson = theirs.toJSON();
  for (const key of new Set([...Object.keys(baseJson), ...Object.keys(theirsJson)])) {
    if (JSON.stringify(baseJson[key]) === JSON.stringify(theirsJson[key])) continue;
    if (!theirs.has(key)) live.delete(key);
    else live.set(key, cloneValue(theirs.get(key)));
  }
}

function mergeBody(base: Y.XmlFragment, theirs: Y.XmlFragment, live: Y.XmlFragment): void {
  const baseKeys = blockKeys(base);
  const theirsBlocks = theirs.toArray() as Block[];
  const theirsKeys = theirsBlocks.map(blockKey);
  const liveKeys = blockKeys(live);
  // Where each base block is in the live document (absent if it was edited or deleted in flight).
  const baseToLive = new Map(commonSubsequence(baseKeys, liveKeys));
  const kept = commonSubsequence(baseKeys, theirsKeys);
  const keptBase = new Set(kept.map(([b]) => b));

  const operations: { position: number; remove?: true; insert?: Block[] }[] = [];
  for (let b = 0; b < baseKeys.length; b++) {
    const liveIndex = baseToLive.get(b);
    if (!keptBase.has(b) && liveIndex !== undefined) operations.push({ position: liveIndex, remove: true });
  }
  // Runs of inserted blocks, each anchored after the last kept base block before it.
  let anchorBase = -1;
  let run: Block[] = [];
  const flush = () => {
    if (run.length === 0) return;
    operations.push({ position: livePositionAfter(anchorBase, baseToLive), insert: run });
    run = [];
  };
  let k = 0;
  for (let t = 0; t < theirsBlocks.length; t++) {
    if (k < kept.length && kept[k]![1] === t) {
      flush();
      anchorBase = kept[k]![0];
      k++;
    } else {
      run.push(theirsBlocks[t]!);
    }
  }
  flush();

  // From the end, so earlier positions stay valid; at one position, remove before inserting.
  operations.sort((a, b) => b.position - a.position || (a.remove ? -1 : 1));
  for (const op of operations) {
    if (op.remove) live.delete(op.position, 1);
    else live.insert(op.position, op.insert!.map((block) => block.clone()));
  }
}

function livePositionAfter(baseIndex: number, baseToLive: Map<number, number>): number {
  for (let b = baseIndex; b >= 0; b--) {
    const liveIndex = baseToLive.get(b);
    if (liveIndex !== undefined) return liveIndex + 1;
  }
  return 0;
}

function blockKeys(fragment: Y.XmlFragment): string[] {
  return (fragment.toArray() as Block[]).map(blockKey);
}

function blockKey(block: Block): string {
  return block instanceof Y.XmlText ? `text:${JSON.stringify(block.toDelta())}` : block.toString();
}

function cloneValue(value: unknown): unknown {
  return value instanceof Y.AbstractType ? (value as Y.Map<unknown>).clone() : structuredClone(value);
}

/** Longest common subsequence of two key lists, as pairs of indexes (increasing). */
function commonSubsequence(a: string[], b: string[]): [number, number][] {
  const n = a.length;
  const m = b.length;
  const lengths = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lengths[i]![j] = a[i] === b[j] ? lengths[i + 1]![j + 1]! + 1 : Math.max(lengths[i + 1]![j]!, lengths[i]![j + 1]!);
    }
  }
  const pairs: [number, number][] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      pairs.push([i, j]);
      i++;
      j++;
    } else if (lengths[i + 1]![j]! >= lengths[i]![j + 1]!) i++;
    else j++;
  }
  return pairs;
}
