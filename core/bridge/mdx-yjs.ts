/**
 * A content file ⇄ its collaboration document. The body lives in the Y.XmlFragment `default`
 * (through the editor's schema), the data in the Y.Map `frontmatter` (one key per top-level field,
 * values as plain JSON). YAML collections have no body: everything is in the map.
 */
import { prosemirrorJSONToYXmlFragment, updateYFragment, yXmlFragmentToProsemirrorJSON } from '@tiptap/y-tiptap';
import { parse as parseYaml } from 'yaml';
import * as Y from 'yjs';
import { collections } from '../../schemas/collections.ts';
import type { CollectionName } from '../../schemas/common.ts';
import { splitFrontmatter } from '../frontmatter.ts';
import { bodySchema } from './body-extensions.ts';
import { stringifyEntryYaml } from './entry-yaml.ts';
import { mdxToProseMirror } from './mdx-to-prosemirror.ts';
import { placeProblems, ProblemError } from '../problem.ts';
import { serializeBody } from './prosemirror-to-mdx.ts';

/** Name of the Y.XmlFragment that holds an entry's body (Tiptap's default). */
export const BODY_FIELD = 'default';
/** Name of the Y.Map that holds an entry's data. */
export const FRONTMATTER_FIELD = 'frontmatter';

/** Origin of the transactions made by the bridge, so observers can tell them from people's edits. */
export const BRIDGE_ORIGIN = Symbol('terreau-bridge');

/** An entry file split into its data and the ProseMirror JSON of its body. */
export interface ParsedEntry {
  data: Record<string, unknown>;
  /** ProseMirror JSON of the body; `null` for YAML collections. */
  body: ReturnType<typeof mdxToProseMirror> | null;
}

/** Parses a content file of a collection into data and body; throws `ProblemError` with file lines. */
export function parseEntryText(text: string, collection: CollectionName): ParsedEntry {
  if (collections[collection].format === 'yaml') return { data: parseData(text, 0), body: null };
  const { frontmatter, body, bodyStartLine } = splitFrontmatter(text);
  if (frontmatter === null) throw new ProblemError([{ line: 1, field: 'frontmatter', message: 'frontmatter absent : le fichier doit commencer par « --- »' }]);
  const data = parseData(frontmatter, 1);
  try {
    return { data, body: mdxToProseMirror(body) };
  } catch (error) {
    // Body lines are reported as lines of the file, as the validator does.
    if (error instanceof ProblemError) throw new ProblemError(placeProblems(error.problems, bodyStartLine));
    throw error;
  }
}

function parseData(yaml: string, lineOffset: number): Record<string, unknown> {
  let data: unknown;
  try {
    data = parseYaml(yaml) ?? {};
  } catch (error) {
    const line = (error as { linePos?: { line: number }[] }).linePos?.[0]?.line ?? 1;
    throw new ProblemError([{ line: line + lineOffset, field: 'frontmatter', message: `YAML illisible : ${(error as Error).message.split('\n')[0]}` }]);
  }
  if (typeof data !== 'object' || Array.isArray(data)) throw new ProblemError([{ line: 1 + lineOffset, field: 'frontmatter', message: 'les données doivent être une suite de champs « nom: valeur »' }]);
  return data as Record<string, unknown>;
}

/** Writes an entry's text into an empty document (the first load of a document from Git). */
export function loadEntryIntoDoc(doc: Y.Doc, text: string, collection: CollectionName): void {
  const parsed = parseEntryText(text, collection);
  doc.transact(() => {
    const map = doc.getMap(FRONTMATTER_FIELD);
    for (const [key, value] of Object.entries(parsed.data)) map.set(key, toPlainJson(value));
    if (parsed.body) prosemirrorJSONToYXmlFragment(bodySchema, parsed.body, doc.getXmlFragment(BODY_FIELD));
  }, BRIDGE_ORIGIN);
}

/** Serialises a document to the complete text of its file, in canonical form. */
export function serializeDocToEntry(doc: Y.Doc, collection: CollectionName): string {
  const definition = collections[collection];
  const data = doc.getMap(FRONTMATTER_FIELD).toJSON() as Record<string, unknown>;
  const yaml = stringifyEntryYaml(data, definition.schema);
  if (definition.format === 'yaml') return yaml;
  const body = serializeBody(yXmlFragmentToProsemirrorJSON(doc.getXmlFragment(BODY_FIELD)));
  return body ? `---\n${yaml}---\n\n${body}` : `---\n${yaml}---\n`;
}

/** Rewrites a file's text in canonical form (what the editor would write for it). */
export function normalizeEntryText(text: string, collection: CollectionName): string {
  const doc = new Y.Doc();
  try {
    loadEntryIntoDoc(doc, text, collection);
    return serializeDocToEntry(doc, collection);
  } finally {
    doc.destroy();
  }
}

/**
 * Brings a document to the content of `text` by changing only what differs (unchanged
 * paragraphs and fields keep their identity, so concurrent edits elsewhere survive).
 */
export function applyEntryToDoc(doc: Y.Doc, text: string, collection: CollectionName, origin: unknown = BRIDGE_ORIGIN): void {
  applyParsedEntryToDoc(doc, parseEntryText(text, collection), origin);
}

/** `applyEntryToDoc` for an entry already parsed (or assembled, as a merge does). */
export function applyParsedEntryToDoc(doc: Y.Doc, parsed: ParsedEntry, origin: unknown = BRIDGE_ORIGIN): void {
  doc.transact(() => {
    const map = doc.getMap(FRONTMATTER_FIELD);
    for (const key of [...map.keys()]) if (!(key in parsed.data)) map.delete(key);
    for (const [key, value] of Object.entries(parsed.data)) {
      const plain = toPlainJson(value);
      if (JSON.stringify(map.get(key)) !== JSON.stringify(plain)) map.set(key, plain);
    }
    if (parsed.body) {
      const node = bodySchema.nodeFromJSON(parsed.body);
      updateYFragment(doc, doc.getXmlFragment(BODY_FIELD), node, { mapping: new Map(), isOMark: new Map() });
    }
  }, origin);
}

/**
 * Merges a commit made outside the editor into a live document. `baseState` is the document's
 * state (`Y.encodeStateAsUpdate`) when the file last matched it, i.e. at the last commit: the
 * outside change is replayed as a diff from that state, so the CRDT keeps edits made since.
 */
export function mergeExternalEntry(doc: Y.Doc, baseState: Uint8Array, text: string, collection: CollectionName, origin: unknown = BRIDGE_ORIGIN): void {
  const base = new Y.Doc({ gc: false });
  try {
    Y.applyUpdate(base, baseState);
    const before = Y.encodeStateVector(base);
    applyEntryToDoc(base, text, collection);
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(base, before), origin);
  } finally {
    base.destroy();
  }
}

/** YAML may hold values Yjs cannot store (Dates, undefined): keep the JSON meaning only. */
function toPlainJson(value: unknown): unknown {
  return value === undefined ? null : JSON.parse(JSON.stringify(value));
}
