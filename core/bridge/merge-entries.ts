/**
 * Three-way merge of one entry changed on two sides (this commons and a remote, or an upstream
 * commons), through the Yjs bridge: both sides' changes are replayed as Yjs diffs from the same
 * base document, as outside commits are merged into live documents. What the CRDT would merge
 * into nonsense — the same field or the same block changed differently on both sides — is not
 * handed to it: this side's version stays in place, the other side's version is kept right after
 * it in an « attention » box, and the conflict is reported so that a reviewer looks at it.
 * Nothing of either side is lost.
 */
import type { JSONContent } from '@tiptap/core';
import * as Y from 'yjs';
import type { CollectionName } from '../../schemas/common.ts';
import { collections } from '../../schemas/collections.ts';
import { applyParsedEntryToDoc, parseEntryText, serializeDocToEntry, type ParsedEntry } from './mdx-yjs.ts';

/** A place where both sides changed the same thing differently. */
export interface EntryConflict {
  /** The field (`resume`, `derive_de`…) or `corps` for a passage of the body. */
  field: string;
}

/** The merged text of an entry and what needs a reviewer. */
export interface MergedEntry {
  text: string;
  conflicts: EntryConflict[];
}

/** Title of the box that keeps the other side's version of a conflicting passage. */
export const CONFLICT_TITLE = 'Version concurrente à relire';

/**
 * Merges `ours` and `theirs`, both derived from `base` (undefined: both sides created the file).
 * `theirsLabel` names the other side in the boxes (« du dépôt distant (commit 1a2b3c4) »).
 * Throws `ProblemError` when a side cannot be read as an entry of the collection.
 */
export function mergeEntryTexts(base: string | undefined, ours: string, theirs: string, collection: CollectionName, theirsLabel: string): MergedEntry {
  if (ours === theirs || base === theirs) return { text: ours, conflicts: [] };
  if (base === ours) return { text: theirs, conflicts: [] };
  const isMdx = collections[collection].format === 'mdx';
  const parsedBase: ParsedEntry = base === undefined ? { data: {}, body: isMdx ? { type: 'doc', content: [] } : null } : parseEntryText(base, collection);
  const parsedOurs = parseEntryText(ours, collection);
  const parsedTheirs = parseEntryText(theirs, collection);

  // The other side's changes, minus what conflicts (left as in the base: this side's version wins
  // in place), plus boxes that keep the other side's version next to it.
  const conflicts: EntryConflict[] = [];
  const data = mergeFields(parsedBase.data, parsedOurs.data, parsedTheirs.data, conflicts);
  let body: JSONContent | null = null;
  if (isMdx) {
    const blocks = mergeBlocks(blockList(parsedBase.body), blockList(parsedOurs.body), blockList(parsedTheirs.body), theirsLabel);
    if (blocks.conflicted) conflicts.push({ field: 'corps' });
    const fieldNotes = conflicts
      .filter((c) => c.field !== 'corps')
      .map((c) => paragraph(`${c.field} — version ${theirsLabel} : ${describeValue(parsedTheirs.data[c.field])}`));
    if (fieldNotes.length > 0) {
      blocks.content.push(
        conflictBox(`Champs modifiés des deux côtés : la version de ce commun est gardée, celle ${theirsLabel} est recopiée ici. Reportez ce qu’il faut garder puis supprimez cet encadré.`, fieldNotes),
      );
    }
    body = { type: 'doc', content: blocks.content };
  }
  const resolved: ParsedEntry = { data, body };

  const baseDoc = new Y.Doc({ gc: false });
  const merged = new Y.Doc({ gc: false });
  const other = new Y.Doc({ gc: false });
  try {
    applyParsedEntryToDoc(baseDoc, parsedBase, collection);
    const baseState = Y.encodeStateAsUpdate(baseDoc);
    Y.applyUpdate(merged, baseState);
    applyParsedEntryToDoc(merged, parsedOurs, collection);
    Y.applyUpdate(other, baseState);
    const before = Y.encodeStateVector(other);
    applyParsedEntryToDoc(other, resolved, collection);
    Y.applyUpdate(merged, Y.encodeStateAsUpdate(other, before));
    // A validated entry with a conflict needs a reviewer again: the server never leaves « validé »
    // on text nobody reviewed.
    const frontmatter = merged.getMap('frontmatter');
    if (conflicts.length > 0 && frontmatter.get('statut') === 'valide') frontmatter.set('statut', 'propose');
    return { text: serializeDocToEntry(merged, collection), conflicts };
  } finally {
    baseDoc.destroy();
    merged.destroy();
    other.destroy();
  }
}

/** The other side's data with conflicting fields left as in the base (so this side's value stays). */
function mergeFields(base: Record<string, unknown>, ours: Record<string, unknown>, theirs: Record<string, unknown>, conflicts: EntryConflict[]): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  const keys = new Set([...Object.keys(base), ...Object.keys(ours), ...Object.keys(theirs)]);
  for (const key of keys) {
    const [b, o, t] = [base[key], ours[key], theirs[key]].map((v) => JSON.stringify(v));
    // Unchanged on their side, or changed the same way on both: nothing to replay.
    let value = base[key];
    if (t !== b && t !== o) {
      if (o === b) value = theirs[key];
      else conflicts.push({ field: key });
    }
    if (value !== undefined) result[key] = value;
  }
  return result;
}

function blockList(body: JSONContent | null): JSONContent[] {
  return body?.content ?? [];
}

/**
 * The other side's body for the replay, by a three-way comparison of top-level blocks (diff3):
 * passages only they changed are theirs; passages only we changed, or both changed alike, stay as
 * in the base; passages both changed differently stay as in the base followed by a box with
 * their version.
 */
function mergeBlocks(base: JSONContent[], ours: JSONContent[], theirs: JSONContent[], theirsLabel: string): { content: JSONContent[]; conflicted: boolean } {
  const key = (block: JSONContent) => JSON.stringify(block);
  const [b, o, t] = [base.map(key), ours.map(key), theirs.map(key)];
  const toOurs = matchIndices(b, o);
  const toTheirs = matchIndices(b, t);
  const content: JSONContent[] = [];
  let conflicted = false;
  let [i, oi, ti] = [0, 0, 0];
  while (i < b.length || oi < o.length || ti < t.length) {
    if (i < b.length && toOurs[i] === oi && toTheirs[i] === ti) {
      content.push(base[i]!);
      [i, oi, ti] = [i + 1, oi + 1, ti + 1];
      continue;
    }
    // An unstable chunk runs to the next base block both sides kept.
    let j = i;
    while (j < b.length && (toOurs[j] === undefined || toTheirs[j] === undefined)) j++;
    const [oEnd, tEnd] = j < b.length ? [toOurs[j]!, toTheirs[j]!] : [o.length, t.length];
    const baseChunk = b.slice(i, j).join('\n');
    const oursChunk = o.slice(oi, oEnd).join('\n');
    const theirsChunk = t.slice(ti, tEnd).join('\n');
    if (theirsChunk === baseChunk || theirsChunk === oursChunk) {
      content.push(...base.slice(i, j));
    } else if (oursChunk === baseChunk) {
      content.push(...theirs.slice(ti, tEnd));
    } else {
      conflicted = true;
      content.push(...base.slice(i, j));
      const theirBlocks = theirs.slice(ti, tEnd);
      content.push(
        conflictBox(
          theirBlocks.length === 0
            ? `Ce passage a été modifié dans ce commun et supprimé ${theirsLabel}. Vérifiez s’il faut le garder puis supprimez cet encadré.`
            : oursChunk === ''
              ? `Ce passage a été supprimé dans ce commun et modifié ${theirsLabel}, dont voici la version. Vérifiez s’il faut la garder puis supprimez cet encadré.`
              : `Ce passage a été modifié des deux côtés. Au-dessus, la version de ce commun ; ci-dessous, celle ${theirsLabel}. Gardez la bonne puis supprimez cet encadré.`,
          theirBlocks,
        ),
      );
    }
    [i, oi, ti] = [j, oEnd, tEnd];
  }
  return { content, conflicted };
}

/** Pairs of equal items of `a` and `b` on a longest common subsequence: index in `b` by index in `a`. */
function matchIndices(a: string[], b: string[]): (number | undefined)[] {
  // Equal ends are matched directly: most merges change a few blocks of a long body.
  const match: (number | undefined)[] = new Array(a.length).fill(undefined);
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) match[start] = start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) match[--endA] = --endB;
  const n = endA - start;
  const m = endB - start;
  const lengths = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let x = n - 1; x >= 0; x--) {
    for (let y = m - 1; y >= 0; y--) {
      lengths[x]![y] = a[start + x] === b[start + y] ? lengths[x + 1]![y + 1]! + 1 : Math.max(lengths[x + 1]![y]!, lengths[x]![y + 1]!);
    }
  }
  let [x, y] = [0, 0];
  while (x < n && y < m) {
    if (a[start + x] === b[start + y]) {
      match[start + x] = start + y;
      x++;
      y++;
    } else if (lengths[x + 1]![y]! >= lengths[x]![y + 1]!) x++;
    else y++;
  }
  return match;
}

function paragraph(text: string): JSONContent {
  return { type: 'paragraph', content: [{ type: 'text', text }] };
}

function conflictBox(explanation: string, blocks: JSONContent[]): JSONContent {
  return { type: 'Encadre', attrs: { type: 'attention', titre: CONFLICT_TITLE }, content: [paragraph(explanation), ...blocks] };
}

function describeValue(value: unknown): string {
  if (value === undefined) return '(champ supprimé)';
  return typeof value === 'string' ? `« ${value} »` : JSON.stringify(value);
}
