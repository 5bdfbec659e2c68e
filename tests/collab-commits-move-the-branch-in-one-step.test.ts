/** A commit moves the branch in one step: Git readers never see it missing, even mid-commit. */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
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
    // Another process resolves HEAD as fast as it can and counts the failures.
    const reader = spawn('bash', ['-c', `failed=0; for i in $(seq 1 1500); do git -C "$0" rev-parse --verify -q HEAD >/dev/null || failed=$((failed+1)); done; echo $failed`, dir]);
    let output = '';
    reader.stdout.on('data', (chunk) => (output += chunk));
    const finished = new Promise((done) => reader.on('exit', done));
    let reading = true;
    void finished.then(() => (reading = false));
    let commits = 0;
    while (reading) {
      const head = await readHead(dir);
      if (await commitEntry(dir, head, 'fiches/jardin-partage.mdx', `Version ${commits}\n`, `Version ${commits}`, identity, identity)) commits++;
    }
    await finished;
    expect(commits).toBeGreaterThan(20);
    expect(Number(output.trim())).toBe(0);
  }, 120_000);
});
