import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseGitLog, readContentHistory, type ContentHistory } from '../core/git-history.ts';

let repo: string;
let history: ContentHistory;

function commit(dir: string, author: string, email: string, message: string, date: string) {
  execFileSync('git', ['add', '-A'], { cwd: dir });
  execFileSync('git', ['-c', 'commit.gpgsign=false', 'commit', '-q', '-m', message], {
    cwd: dir,
    env: { ...process.env, GIT_AUTHOR_NAME: author, GIT_AUTHOR_EMAIL: email, GIT_AUTHOR_DATE: date, GIT_COMMITTER_NAME: 'Serveur', GIT_COMMITTER_EMAIL: 'serveur@terreau.invalid', GIT_COMMITTER_DATE: date },
  });
}

beforeAll(async () => {
  // The content tree sits in a subfolder of its repository, as content/ does in Terreau.
  repo = await mkdtemp(join(tmpdir(), 'terreau-history-'));
  const content = join(repo, 'content');
  await mkdir(join(content, 'fiches'), { recursive: true });
  await writeFile(join(repo, 'README.md'), 'hors du contenu\n');
  await writeFile(join(content, 'fiches/jardin.mdx'), '---\ntitre: Jardin\n---\n\nPremière ligne.\n');
  await writeFile(join(content, 'fiches/four.mdx'), '---\ntitre: Four\n---\n\nUn four.\n');
  execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: repo });
  commit(repo, 'Alice Martin', 'alice@example.org', 'Créer deux fiches', '2025-01-10T10:00:00+01:00');
  await writeFile(join(content, 'fiches/jardin.mdx'), '---\ntitre: Jardin\n---\n\nPremière ligne.\nDeuxième ligne.\n');
  await writeFile(join(repo, 'README.md'), 'toujours hors du contenu\n');
  commit(repo, 'Bruno Petit', 'bruno@example.org', 'Compléter le jardin\n\nCo-authored-by: Chloé Durand <chloe@example.org>', '2025-02-03T15:30:00+01:00');
  await rm(join(content, 'fiches/four.mdx'));
  commit(repo, 'Alice Martin', 'ALICE@example.org', 'Retirer le four', '2025-03-01T09:00:00+01:00');
  history = await readContentHistory(content);
});

afterAll(() => rm(repo, { recursive: true, force: true }));

describe('the history of a content tree', () => {
  it('lists every change of the tree, newest first, with paths relative to the tree and nothing outside it', () => {
    expect(history.changes.map((c) => [c.file, c.status, c.author.name])).toEqual([
      ['fiches/four.mdx', 'suppression', 'Alice Martin'],
      ['fiches/jardin.mdx', 'modification', 'Bruno Petit'],
      ['fiches/four.mdx', 'ajout', 'Alice Martin'],
      ['fiches/jardin.mdx', 'ajout', 'Alice Martin'],
    ]);
  });

  it('gives each entry its contributors in order of first contribution, co-authors included, once each', () => {
    expect(history.byFile.get('fiches/jardin.mdx')?.contributors.map((p) => p.name)).toEqual(['Alice Martin', 'Bruno Petit', 'Chloé Durand']);
    // The same address in another case is the same person.
    expect(history.byFile.get('fiches/four.mdx')?.contributors.map((p) => p.name)).toEqual(['Alice Martin']);
  });

  it('keeps date, message and the diff of each change', () => {
    const change = history.byFile.get('fiches/jardin.mdx')!.changes[0]!;
    expect(change.date).toBe('2025-02-03T15:30:00+01:00');
    expect(change.subject).toBe('Compléter le jardin');
    expect(change.diff).toMatch(/^@@ /);
    expect(change.diff).toContain('+Deuxième ligne.');
    expect(change.coAuthors).toEqual([{ name: 'Chloé Durand', email: 'chloe@example.org' }]);
  });

  it('is empty, not an error, for a tree outside Git', async () => {
    const bare = await mkdtemp(join(tmpdir(), 'terreau-nohistory-'));
    try {
      const empty = await readContentHistory(bare);
      expect(empty.changes).toEqual([]);
      expect(empty.byFile.size).toBe(0);
    } finally {
      await rm(bare, { recursive: true, force: true });
    }
  });

  it('parses an empty log as an empty history', () => {
    expect(parseGitLog('').changes).toEqual([]);
  });
});
