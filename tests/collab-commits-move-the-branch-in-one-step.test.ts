/** A commit moves the branch in one step: Git readers never see it missing, even mid-commit. */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { commitEntry, ensureCommonsRepo, readHead } from '../editor-server/src/git/commons-repo.ts';

let root: string;
afterAll(() => rm(root, { recursive: true, force: true }));

describe('the branch of the commons', () => {
  it('always resolves for an outside git reader while commits land', async () => {
    root = await mkdtemp(join(tmpdir(), 'terreau-branch-'));
    const dir = join(root, 'commons');
    const identity = { name: 'Camille Martin', email: 'camille@exemple.fr' };
    await ensureCommonsRepo(dir, join(import.meta.dirname, '../content'), { branch: 'main', timeoutMs: 60_000 }, identity);
    // Another process resolves HEAD as fast as it can, until told to stop, and counts the failures.
    // It is stopped after a number of commits, not of reads, so a loaded machine slows it without failing it.
    const stop = join(root, 'stop');
    const reader = spawn('bash', ['-c', `failed=0; reads=0; until [ -e "$1" ]; do git -C "$0" rev-parse --verify -q HEAD >/dev/null || failed=$((failed+1)); reads=$((reads+1)); done; echo $failed $reads`, dir, stop]);
    let output = '';
    reader.stdout.on('data', (chunk) => (output += chunk));
    const finished = new Promise((done) => reader.on('exit', done));
    let commits = 0;
    while (commits < 30) {
      const head = await readHead(dir);
      if (await commitEntry(dir, head, 'fiches/jardin-partage.mdx', `Version ${commits}\n`, `Version ${commits}`, identity, identity)) commits++;
    }
    await writeFile(stop, '');
    await finished;
    const [failed, reads] = output.trim().split(' ').map(Number);
    expect(reads).toBeGreaterThan(commits);
    expect(failed).toBe(0);
  }, 300_000);
});
