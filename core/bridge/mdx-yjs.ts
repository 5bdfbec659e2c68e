/**
 * A content file ⇄ its collaboration document. The body lives in the Y.XmlFragment `default`
 * (through the editor's schema), the data in the Y.Map `frontmatter` (one key per top-level field).
 * Free-text fields (titre, résumé, description…: `textFieldsOf`) are Y.Text, so what is typed in
 * them is shared and merged keystroke by keystroke like the body; every other value is plain JSON.
 * Documents written before that may hold a text field as a plain string: both are read alike.
 * YAML collections have no body: everything is in the map.
 */
import { prosemirrorJSONToYXmlFragment, updateYFragment, yXmlFragmentToProsemirrorJSON } from '@tiptap/y-tiptap';
import { parse as parseYaml } from 'yaml';
import * as Y from 'yjs';
import type { z } from 'zod';
import { collections } from '../../schemas/collections.ts';
import type { CollectionName } from '../../schemas/common.ts';
import { splitFrontmatter } from '../frontmatter.ts';
import { bodySchema } from './body-extensions.ts';
import { stringifyEntryYaml, unwrapSchema } from './entry-yaml.ts';
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

const textFieldCache = new Map<CollectionName, ReadonlySet<string>>();

/** Top-level fields of a collection whose value is free text (a string that is not a vocabulary code). */
export function textFieldsOf(collection: CollectionName): ReadonlySet<string> {
  let fields = textFieldCache.get(collection);
  if (!fields) {
    const shape = (unwrapSchema(collections[collection].schema)?._zod.def as unknown as { shape?: Record<string, z.ZodType> }).shape ?? {};
    fields = new Set(Object.entries(shape).filter(([, schema]) => unwrapSchema(schema)?._zod.def.type === 'string').map(([key]) => key));
    textFieldCache.set(collection, fields);
  }
  return fields;
}

/** The data of a document as plain JSON; a text field left empty counts as absent. */
export function readEntryData(doc: Y.Doc): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (const [key, value] of doc.getMap(FRONTMATTER_FIELD).entries()) {
    if (value instanceof Y.Text) {
      const text = value.toString();
      if (text !== '') data[key] = text;
    } else data[key] = value instanceof Y.AbstractType ? value.toJSON() : value;
  }
  return data;
}

/** One field of the data as plain JSON (a Y.Text as its string). */
export function readField(map: Y.Map<unknown>, key: string): unknown {
  const value = map.get(key);
  return value instanceof Y.AbstractType ? value.toJSON() : value;
}

/**
 * Makes a Y.Text read `value` by deleting and inserting only the part that differs, so that what
 * others type elsewhere in the same field at the same time is kept.
 */
export function replaceText(text: Y.Text, value: string): void {
  const current = text.toString();
  if (current === value) return;
  let start = 0;
  const shortest = Math.min(current.length, value.length);
  while (start < shortest && current[start] === value[start]) start++;
  let end = 0;
  while (end < shortest - start && current[current.length - 1 - end] === value[value.length - 1 - end]) end++;
  const run = () => {
    if (current.length - start - end > 0) text.delete(start, current.length - start - end);
    if (value.length - start - end > 0) text.insert(start, value.slice(start, value.length - end));
  };
  if (text.doc) text.doc.transact(run);
  else run();
}

/** Sets one field of the data: free text into its Y.Text (made if missing), anything else as plain JSON. */
export function writeField(map: Y.Map<unknown>, key: string, value: unknown, textFields: ReadonlySet<string>): void {
  const current = map.get(key);
  if (textFields.has(key) && typeof value === 'string') {
    if (current instanceof Y.Text) replaceText(current, value);
    else if (current === value) return;
    else map.set(key, new Y.Text(value));
    return;
  }
  const plain = toPlainJson(value);
  if (JSON.stringify(readField(map, key)) !== JSON.stringify(plain) || current instanceof Y.AbstractType) map.set(key, plain);
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
  const textFields = textFieldsOf(collection);
  doc.transact(() => {
    const map = doc.getMap(FRONTMATTER_FIELD);
    for (const [key, value] of Object.entries(parsed.data)) writeField(map, key, value, textFields);
    if (parsed.body) prosemirrorJSONToYXmlFragment(bodySchema, parsed.body, doc.getXmlFragment(BODY_FIELD));
  }, BRIDGE_ORIGIN);
}

/** Serialises a document to the complete text of its file, in canonical form. */
export function serializeDocToEntry(doc: Y.Doc, collection: CollectionName): string {
  const definition = collections[collection];
  const data = readEntryData(doc);
  const yaml = stringifyEntryYaml(data, definition.schema);
  if (definition.format === 'yaml') return yaml;
  const body = serializeBody(yXmlFragmentToProsemirrorJSON(doc.getXmlFragment(BODY_FIELD)));
  return body ? `---\n${yaml}---\n\n${body}` : `---\n${yaml}---\n`;
}

/** The text of a new entry file, in canonical form, from its data and the ProseMirror JSON of its body. */
export function composeEntryText(collection: CollectionName, data: Record<string, unknown>, body: object | null): string {
  const doc = new Y.Doc();
  try {
    const textFields = textFieldsOf(collection);
    doc.transact(() => {
      const map = doc.getMap(FRONTMATTER_FIELD);
      for (const [key, value] of Object.entries(data)) if (value !== undefined) writeField(map, key, value, textFields);
      if (body) prosemirrorJSONToYXmlFragment(bodySchema, body, doc.getXmlFragment(BODY_FIELD));
    }, BRIDGE_ORIGIN);
    return serializeDocToEntry(doc, collection);
  } finally {
    doc.destroy();
  }
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
  applyParsedEntryToDoc(doc, parseEntryText(text, collection), collection, origin);
}

/** `applyEntryToDoc` for an entry already parsed (or assembled, as a merge does). */
export function applyParsedEntryToDoc(doc: Y.Doc, parsed: ParsedEntry, collection: CollectionName, origin: unknown = BRIDGE_ORIGIN): void {
  const textFields = textFieldsOf(collection);
  doc.transact(() => {
    const map = doc.getMap(FRONTMATTER_FIELD);
    for (const key of [...map.keys()]) if (!(key in parsed.data)) map.delete(key);
    for (const [key, value] of Object.entries(parsed.data)) writeField(map, key, value, textFields);
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
