/**
 * Every file of content/ (read when the test runs, so new seed entries are covered) goes through
 * the editor's document and back: one pass gives the canonical text, a second pass changes
 * nothing, and neither the data nor the meaning of the body changes on the way.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { collections } from '../schemas/collections.ts';
import type { CollectionName } from '../schemas/common.ts';
import { splitFrontmatter } from '../core/frontmatter.ts';
import { normalizeEntryText } from '../core/bridge/mdx-yjs.ts';
import { mdxToProseMirror } from '../core/bridge/mdx-to-prosemirror.ts';
import { serializeBody } from '../core/bridge/prosemirror-to-mdx.ts';
import { meaningOf } from './bridge-mdx-meaning.ts';

const CONTENT_DIR = join(import.meta.dirname, '..', 'content');

const files = readdirSync(CONTENT_DIR)
  .filter((collection) => collection in collections)
  .flatMap((collection) =>
    readdirSync(join(CONTENT_DIR, collection))
      .filter((file) => /\.(mdx|ya?ml)$/.test(file))
      .map((file) => ({ collection: collection as CollectionName, file: `${collection}/${file}` })),
  );

function read(file: string): string {
  return readFileSync(join(CONTENT_DIR, file), 'utf8');
}

function dataAndBody(text: string, collection: CollectionName): { data: unknown; body: string } {
  if (collections[collection].format === 'yaml') return { data: parseYaml(text), body: '' };
  const { frontmatter, body } = splitFrontmatter(text);
  return { data: parseYaml(frontmatter ?? ''), body };
}

describe('every content file round-trips through the editor document', () => {
  it('finds the seed content', () => {
    expect(files.length).toBeGreaterThan(10);
  });

  it.each(files)('$file: a second pass changes nothing, and data and meaning are kept', ({ collection, file }) => {
    const original = read(file);
    const once = normalizeEntryText(original, collection);
    expect(normalizeEntryText(once, collection)).toBe(once);
    const before = dataAndBody(original, collection);
    const after = dataAndBody(once, collection);
    expect(after.data).toEqual(before.data);
    expect(meaningOf(after.body)).toEqual(meaningOf(before.body));
  });

  it.each(files.filter(({ collection }) => collections[collection].format === 'mdx'))(
    '$file: the body is already written in the canonical form the editor writes',
    ({ file }) => {
      // Leading blank lines after the frontmatter are the separator, not part of the body.
      const body = splitFrontmatter(read(file)).body.replace(/^\n+/, '');
      expect(serializeBody(mdxToProseMirror(body)), `${file} : le corps n’est pas sous la forme qu’écrit l’éditeur`).toBe(body);
    },
  );
});
