/**
 * `npm run bench -- validate [--counts 2000,10000]`: time of `validate` on the seed and on
 * synthetic trees, side by side with a baseline that only reads and parses the same files
 * (YAML + MDX, no checks), so the cost of the checks themselves shows as a ratio.
 */
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { readEntry } from '../core/content-files.ts';
import { parseMdxBody } from '../core/mdx-parse.ts';
import { validateContentTree } from '../core/validate-tree.ts';
import { generateSyntheticTree } from './generate-synthetic.ts';

async function parseOnly(dir: string): Promise<number> {
  let files = 0;
  for (const folder of await readdir(dir)) {
    for (const name of await readdir(join(dir, folder))) {
      const entry = readEntry(`${folder}/${name}`, await readFile(join(dir, folder, name), 'utf8'));
      if (entry.format === 'mdx') parseMdxBody(entry.body);
      files++;
    }
  }
  return files;
}

async function time(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await run();
  return (performance.now() - started) / 1000;
}

/** Runs the benchmark and writes bench-reports/validate.md. */
export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { counts: { type: 'string', default: '2000,10000' } } });
  const counts = values.counts.split(',').map(Number);
  const work = join(tmpdir(), `terreau-bench-validate-${process.pid}`);
  const rows: string[] = [];
  const trees: [string, string][] = [['seed (content/)', 'content']];
  for (const count of counts) {
    const out = join(work, String(count));
    await generateSyntheticTree({ count, out, seed: 1, from: 'content' });
    trees.push([`seed + ${count} synthetic`, out]);
  }
  // Warm up module loading and the communes index so the first row is not penalised.
  await validateContentTree('content');
  for (const [label, dir] of trees) {
    const files = await parseOnly(dir);
    const baseline = await time(() => parseOnly(dir));
    const validate = await time(async () => {
      const problems = await validateContentTree(dir);
      if (problems.length) throw new Error(`${label}: ${problems.length} problem(s), the benchmark expects a valid tree`);
    });
    const row = `| ${label} | ${files} | ${validate.toFixed(2)} s | ${baseline.toFixed(2)} s | ${(validate / baseline).toFixed(2)} | ${((validate * 1000) / files).toFixed(2)} ms |`;
    console.log(row);
    rows.push(row);
  }
  await rm(work, { recursive: true, force: true });
  const report = [
    '# Benchmark: validate',
    '',
    `Run on ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, one process.`,
    'Baseline: read every file and parse its YAML and MDX, without any check.',
    '',
    '| tree | files | validate | parse only | ratio | per file |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
    'Re-run: `npm run bench -- validate` (or `-- validate --counts 2000`).',
    '',
  ].join('\n');
  await mkdir('bench-reports', { recursive: true });
  await writeFile('bench-reports/validate.md', report);
  console.log('bench-reports/validate.md written');
}
