/**
 * `npm run bench -- <name> [args]`: runs the benchmark `scripts/bench-<name>.ts`, which prints its
 * figures and writes a report to `bench-reports/<name>.md`.
 */
import { existsSync, readdirSync } from 'node:fs';

const [name, ...args] = process.argv.slice(2);
const available = readdirSync(new URL('.', import.meta.url))
  .filter((file) => /^bench-[a-z-]+\.ts$/.test(file))
  .map((file) => file.slice('bench-'.length, -'.ts'.length));

if (!name || !existsSync(new URL(`./bench-${name}.ts`, import.meta.url))) {
  console.error(`npm run bench -- <nom> ; mesures disponibles : ${available.join(', ')}`);
  process.exitCode = 1;
} else {
  const bench = (await import(`./bench-${name}.ts`)) as { run(args: string[]): Promise<void> };
  await bench.run(args);
}
