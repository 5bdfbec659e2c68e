/**
 * A build checks the tree in two threads, each reading every other file; the main one then checks
 * all the entries together. Whichever thread read a file, a problem of it (its own, or a link,
 * a duplicate or a lineage cycle found only with the others) is reported on the same line as
 * `npm run validate`, which reads the tree in one pass.
 */
import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { formatProblem } from '../core/problem.ts';
import { validateContentTree } from '../core/validate-tree.ts';
import { startTreeChecker } from '../scripts/lib/tree-checker.ts';

const fixture = new URL('./fixtures/invalid-tree', import.meta.url).pathname;

describe('the validation threads of a build', () => {
  it('report every problem of a bad tree with the lines of one pass', async () => {
    // The split needs two cores: on one, a single thread reads everything.
    expect(availableParallelism()).toBeGreaterThan(1);
    const checker = startTreeChecker(fixture);
    try {
      const threaded = (await checker.problems).map(formatProblem);
      const single = (await validateContentTree(fixture)).map(formatProblem);
      expect(threaded).toEqual(single);
      // Problems found only by checking files together, in files of both shares.
      expect(threaded).toContain('guides/cycle-a.mdx:13: derive_de.source: cycle de dérivation : guides/cycle-a → guides/cycle-b → guides/cycle-a ; une entrée ne peut pas dériver d’elle-même');
      expect(threaded).toContain('guides/cycle-b.mdx:13: derive_de.source: cycle de dérivation : guides/cycle-b → guides/cycle-a → guides/cycle-b ; une entrée ne peut pas dériver d’elle-même');
      expect(threaded.filter((line) => line.startsWith('fiches/lien-inconnu.mdx:'))).toHaveLength(4);
    } finally {
      await checker.close();
    }
  });
});
