/**
 * `npm run validate [-- <dir>]`: checks a content tree and prints one line per problem,
 * `path:line: field: message`, then one line per warning in the same form, its message starting
 * with « avertissement : ». Exits 1 on any problem; warnings alone leave the exit code at 0.
 */
import { posix, relative, resolve } from 'node:path';
import { listContentWarnings } from '../core/content-warnings.ts';
import { formatProblem } from '../core/problem.ts';
import { inspectContentTree } from '../core/validate-tree.ts';

const dir = resolve(process.argv[2] ?? process.env.CONTENT_DIR ?? 'content');
const started = performance.now();
try {
  const { problems, entries } = await inspectContentTree(dir);
  // An entry with problems is fixed first: warning about it too would only add noise.
  const withProblems = new Set(problems.map((problem) => problem.file));
  const warnings = listContentWarnings(entries.filter((entry) => !withProblems.has(entry.file)));
  const inside = relative(process.cwd(), dir);
  const shown = inside.startsWith('..') ? dir : inside || '.';
  for (const problem of [...problems, ...warnings]) console.log(formatProblem({ ...problem, file: posix.join(shown, problem.file ?? '') }));
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  const warned = warnings.length ? `, ${warnings.length} avertissement(s)` : '';
  if (problems.length) {
    console.error(`${problems.length} problème(s)${warned} dans ${shown} (${seconds} s).`);
    process.exitCode = 1;
  } else {
    console.error(`${shown} : aucun problème${warned} (${seconds} s).`);
  }
} catch (error) {
  // The validator never prints a stack trace: an unexpected failure is one line too.
  console.log(`${dir}: validation: erreur inattendue : ${(error as Error).message}`);
  process.exitCode = 1;
}
