/**
 * Canonical YAML of an entry's data: keys in the order of the collection's zod schema (unknown keys
 * after, as found; editorial fields last), short lists of scalars on one line (`[a, b]`), prose in double quotes, no line folding. The same data
 * always gives the same text, whoever edited it and in whatever order.
 */
import { Document, isScalar, visit, type Scalar } from 'yaml';
import type { z } from 'zod';

/** Lists of scalars up to this width are written on one line, like `themes: [eau, energie]`. */
const FLOW_LIST_MAX_WIDTH = 100;
/** Strings written without quotes (YAML still quotes those it would read as numbers or booleans). */
const PLAIN_TOKEN = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;

/** Reorders the keys of `value` (recursively) as the schema declares them. */
export function orderLikeSchema(schema: z.ZodType | undefined, value: unknown): unknown {
  const inner = unwrapSchema(schema);
  if (Array.isArray(value)) {
    const element = inner?._zod.def.type === 'array' ? ((inner._zod.def as unknown as { element: z.ZodType }).element) : undefined;
    return value.map((item) => orderLikeSchema(element, item));
  }
  if (value === null || typeof value !== 'object') return value;
  const shape = inner?._zod.def.type === 'object' ? (inner._zod.def as unknown as { shape: Record<string, z.ZodType> }).shape : {};
  const record = value as Record<string, unknown>;
  const ordered: Record<string, unknown> = {};
  for (const key of Object.keys(shape)) if (key in record) ordered[key] = orderLikeSchema(shape[key], record[key]);
  for (const key of Object.keys(record)) if (!(key in ordered)) ordered[key] = orderLikeSchema(undefined, record[key]);
  return ordered;
}

/** Sees through optional, default, nullable and pipe wrappers to the schema that holds the shape. */
export function unwrapSchema(schema: z.ZodType | undefined): z.ZodType | undefined {
  let current = schema;
  for (let depth = 0; current && depth < 10; depth++) {
    const def = current._zod.def as unknown as { type: string; innerType?: z.ZodType; in?: z.ZodType };
    if (def.innerType) current = def.innerType;
    else if (def.type === 'pipe' && def.in) current = def.in;
    else return current;
  }
  return current;
}

/** Writes data as canonical YAML (ends with a newline; `{}` gives an empty string). */
export function stringifyEntryYaml(data: Record<string, unknown>, schema?: z.ZodType): string {
  const ordered = moveEditorialFieldsLast(orderLikeSchema(schema, dropUndefined(data)) as Record<string, unknown>);
  if (Object.keys(ordered).length === 0) return '';
  const document = new Document(ordered);
  visit(document, {
    Seq(_key, node) {
      if (node.items.length === 0) return;
      const scalars = node.items.every((item) => isScalar(item));
      const width = node.items.reduce<number>((sum, item) => sum + String((item as Scalar).value).length + 2, 2);
      if (scalars && width <= FLOW_LIST_MAX_WIDTH) node.flow = true;
    },
    Scalar(_key, node) {
      // Codes and slugs stay plain (`statut: propose`); prose is quoted, as contributors write it.
      // Date-like strings are quoted too: js-yaml (Astro) would read a plain 2021-03-04 as a Date.
      if (typeof node.value === 'string' && (!PLAIN_TOKEN.test(node.value) || /^\d{4}-\d{2}(-\d{2})?$/.test(node.value))) node.type = 'QUOTE_DOUBLE';
    },
  });
  return document.toString({ lineWidth: 0, flowCollectionPadding: false });
}

/** Lineage, credits, status and licence close the data, as in the seed and `npm run new`. */
const EDITORIAL_FIELDS = ['derive_de', 'credits', 'statut', 'licence'];

function moveEditorialFieldsLast(data: Record<string, unknown>): Record<string, unknown> {
  const moved: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data)) if (!EDITORIAL_FIELDS.includes(key)) moved[key] = value;
  for (const key of EDITORIAL_FIELDS) if (key in data) moved[key] = data[key];
  return moved;
}

function dropUndefined(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}

