/**
 * A full build parses each MDX file once: the validation thread, which reads the whole tree, renders
 * every valid body for the content loader. What it hands over must be what the loader would make
 * itself, and nothing that is not valid, nor a text the loader did not read, may pass that way.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderBody } from '../core/body-html.ts';
import { readEntry } from '../core/content-files.ts';
import { startTreeChecker, type TreeChecker } from '../scripts/lib/tree-checker.ts';
import { storedBody, textDigest } from '../site/src/lib/prepared-entries.ts';
import { makeFixtureContent } from './helpers/site-fixture.ts';

describe('bodies rendered by the validation thread', () => {
  let root: string;
  let contentDir: string;
  let checker: TreeChecker;
  const valid = 'fiches/jardin-partage.mdx';
  const unsafe = 'fiches/corps-avec-import.mdx';

  beforeAll(async () => {
    ({ root, contentDir } = await makeFixtureContent({ history: false }));
    const text = await readFile(join(contentDir, valid), 'utf8');
    // A body outside the safe subset: the tree is invalid, and this file must not be prepared.
    await writeFile(join(contentDir, unsafe), text.replace(/^(---\n[\s\S]*?\n---\n)/, "$1import x from './x.js';\n\n"));
    checker = startTreeChecker(contentDir);
  });

  afterAll(async () => {
    await checker.close();
    await rm(root, { recursive: true, force: true });
  });

  it('hands over a valid entry exactly as the loader would make it', async () => {
    const text = await readFile(join(contentDir, valid), 'utf8');
    const prepared = await checker.take(valid);
    expect(prepared).toBeDefined();
    const raw = readEntry(valid, text);
    expect(prepared!.digest).toBe(textDigest(text));
    expect(prepared!.slug).toBe(raw.slug);
    expect(prepared!.data).toEqual(raw.data);
    expect(prepared!.rendered).toEqual(storedBody(renderBody(raw.body)));
    expect(prepared!.rendered.html).toContain('<h2');
  });

  it('gives each entry once, and nothing for a body outside the safe subset or a file it never read', async () => {
    expect((await checker.problems).some((problem) => problem.file === unsafe && problem.field === 'import')).toBe(true);
    expect(await checker.take(unsafe)).toBeUndefined();
    expect(await checker.take(valid)).toBeUndefined();
    expect(await checker.take('fiches/absente.mdx')).toBeUndefined();
  });
});
