/**
 * `npm run new -- <collection> "Titre" [--insee CODE] [--structure SLUG] [--objectif CODE] [--dir content]`:
 * creates a valid entry from its collection's template, named after the title's slug.
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { mdxCollections } from '../schemas/common.ts';
import { parseWithFriendlyErrors } from '../core/parse-input.ts';
import { createEntryText } from '../core/entry-templates.ts';
import { slugFromTitle } from '../core/slug.ts';
import { formatProblem } from '../core/problem.ts';
import { validateContentTree } from '../core/validate-tree.ts';

const argumentsSchema = z.object({
  /** Collection of the new entry. */
  collection: z.enum(mdxCollections, { error: `collection inconnue ; choisissez parmi : ${mdxCollections.join(', ')}` }),
  /** Title of the new entry. */
  title: z.string({ error: 'titre manquant : npm run new -- fiches "Mon titre"' }).min(3, 'titre trop court (3 caractères au moins)'),
  insee: z.array(z.string()).optional(),
  structure: z.string().optional(),
  objectif: z.string().optional(),
  dir: z.string().default('content'),
});

try {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      insee: { type: 'string', multiple: true },
      structure: { type: 'string' },
      objectif: { type: 'string' },
      dir: { type: 'string' },
    },
  });
  const args = parseWithFriendlyErrors(argumentsSchema, { collection: positionals[0], title: positionals[1], ...values }, 'npm run new');
  const slug = slugFromTitle(args.title);
  const dir = resolve(args.dir);
  const file = join(dir, args.collection, `${slug}.mdx`);
  if (existsSync(file)) throw new Error(`${args.dir}/${args.collection}/${slug}.mdx existe déjà : choisissez un autre titre ou modifiez ce fichier`);
  const text = createEntryText(args.collection, args.title, {
    ...(args.insee ? { communes: args.insee } : {}),
    ...(args.structure ? { structure: args.structure } : {}),
    ...(args.objectif ? { objectif: args.objectif } : {}),
  });
  await mkdir(join(dir, args.collection), { recursive: true });
  await writeFile(file, text);
  const problems = (await validateContentTree(dir)).filter((p) => p.file === `${args.collection}/${slug}.mdx`);
  for (const problem of problems) console.log(formatProblem({ ...problem, file: `${args.dir}/${problem.file}` }));
  console.log(`${args.dir}/${args.collection}/${slug}.mdx`);
  if (problems.length) process.exitCode = 1;
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
}
