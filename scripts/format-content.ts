/**
 * `npm run format [-- <dir>] [--check]`: rewrites every entry of a content tree in the editor's
 * canonical form (the form the editor commits), so the first edit of a file through the editor
 * does not rewrite it whole. With `--check`, lists the files that would change and exits 1.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { collectionNames, type CollectionName } from '../schemas/common.ts';
import { normalizeEntryText } from '../core/bridge/mdx-yjs.ts';
import { formatProblem } from '../core/problem.ts';
import { validateContentTree } from '../core/validate-tree.ts';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { check: { type: 'boolean', default: false } } });
const dir = resolve(positionals[0] ?? 'content');

// Only a valid tree is rewritten: the canonical form of a broken file is not defined.
const problems = await validateContentTree(dir);
if (problems.length) {
  for (const problem of problems) console.log(formatProblem(problem));
  console.error(`${problems.length} problème(s) : corrigez-les (npm run validate) avant de formater.`);
  process.exit(1);
}
const changed: string[] = [];
for (const collection of collectionNames) {
  const folder = join(dir, collection);
  const names = await readdir(folder).catch(() => [] as string[]);
  for (const name of names) {
    const text = await readFile(join(folder, name), 'utf8');
    const canonical = normalizeEntryText(text, collection as CollectionName);
    if (canonical === text) continue;
    changed.push(`${collection}/${name}`);
    if (!values.check) await writeFile(join(folder, name), canonical);
  }
}
for (const file of changed) console.log(file);
if (values.check && changed.length) {
  console.error(`${changed.length} fichier(s) hors de la forme canonique : lancez npm run format.`);
  process.exitCode = 1;
} else {
  console.error(`${changed.length} fichier(s) ${values.check ? 'à formater' : 'reformaté(s)'}.`);
}
