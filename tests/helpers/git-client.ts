/**
 * The stock `git` client, run asynchronously: a test that serves Git from its own process must
 * never block the event loop that answers the client (spawnSync would wait forever).
 */
import { execFile } from 'node:child_process';

/** Exit code and output of one `git` run. */
export interface GitResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `git <args>` without prompting, with a throwaway identity; never throws on a non-zero exit. */
export function gitClient(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<GitResult> {
  return new Promise((resolve) => {
    execFile(
      'git',
      ['-c', 'user.name=Personne du dehors', '-c', 'user.email=dehors@exemple.fr', '-c', 'credential.helper=', ...args],
      { cwd: options.cwd, env: { ...process.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C', ...options.env }, maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' },
      (error, stdout, stderr) => resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** Runs `git <args>` and returns its output; throws with Git's own words on failure. */
export async function gitOk(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<string> {
  const result = await gitClient(args, options);
  if (result.code !== 0) throw new Error(`git ${args.join(' ')} : ${result.stderr}`);
  return result.stdout;
}
