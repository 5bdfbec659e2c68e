/** Command-line options shared by the benchmarks. */
import { z } from 'zod';

/** `--sizes 2000,10000`: the synthetic tree sizes to measure, comma-separated. */
export const treeSizesOption = z
  .string()
  .default('2000,10000')
  .transform((s) => s.split(',').map(Number))
  .pipe(z.array(z.number().int().min(10).max(100_000)).min(1));
