/**
 * `npm run validate [-- <dir>]`: checks a content tree and prints one line per problem,
 * `path:line: field: message`; exits 1 on any problem, 0 otherwise.
 */
import { posix, relative, resolve } from 'node:path';
import { formatProblem } from '../core/problem.ts';
import { validateContentTree } from '../core/validate-tree.ts';

const dir = resolve(process.argv[2] ?? process.env.CONTENT_DIR ?? 'content');
const started = performance.now();
try {
  const problems = await validateContentTree(dir);
  const inside = relative(process.cwd(), dir);
  const shown = inside.startsWith('..') ? dir : inside || '.';
  for (const problem of problems) console.log(formatProblem({ ...problem, file: posix.join(shown, problem.file ?? '') }));
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  if (problems.length) {
    console.error(`${problems.length} problème(s) dans ${shown} (${seconds} s).`);
    process.exitCode = 1;
  } else {
    console.error(`${shown} : aucun problème (${seconds} s).`);
  }
} catch (error) {
  // The validator never prints a stack trace: an unexpected failure is one line too.
  console.log(`${dir}: validation: erreur inattendue : ${(error as Error).message}`);
  process.exitCode = 1;
}
