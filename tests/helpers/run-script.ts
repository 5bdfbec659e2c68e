/** Runs one of the project's TypeScript scripts in a child process, as `npm run` would. */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Runs `scripts/<name>.ts` with arguments; returns its exit code and output. */
export function runScript(name: string, args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [`scripts/${name}.ts`, ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
