/**
 * One parse wrapper for every input of Terreau (frontmatter, config, CLI arguments, HTTP bodies,
 * client messages): errors name the source and the field path, and say how to fix it.
 */
import type { z } from 'zod';

/** One problem found in an input. */
export interface InputProblem {
  /** Path of the field in the input, e.g. `["territoire", "communes", 0]`. */
  path: PropertyKey[];
  /** What is wrong and how to fix it, in French. */
  message: string;
}

/** Thrown by `parseWithFriendlyErrors`; its message lists every problem. */
export class InputError extends Error {
  constructor(
    readonly source: string,
    readonly problems: InputProblem[],
  ) {
    super(problems.map((p) => `${source}: ${formatFieldPath(p.path) || '(racine)'}: ${p.message}`).join('\n'));
    this.name = 'InputError';
  }
}

/** Formats a field path as `territoire.communes[0]`. */
export function formatFieldPath(path: readonly PropertyKey[]): string {
  return path
    .map((key, i) => (typeof key === 'number' ? `[${key}]` : `${i === 0 ? '' : '.'}${String(key)}`))
    .join('');
}

/** Lists the problems of an input against a schema, without throwing (empty when valid). */
export function listProblems(schema: z.ZodType, input: unknown): InputProblem[] {
  const result = schema.safeParse(input);
  if (result.success) return [];
  return result.error.issues.map((issue) => ({ path: issue.path, message: friendlyMessage(issue) }));
}

/** Parses an input against a schema, or throws an `InputError` naming the source and fields. */
export function parseWithFriendlyErrors<T extends z.ZodType>(schema: T, input: unknown, source: string): z.output<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new InputError(
    source,
    result.error.issues.map((issue) => ({ path: issue.path, message: friendlyMessage(issue) })),
  );
}

function friendlyMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type' && issue.input === undefined) return 'champ obligatoire manquant';
  if (issue.code === 'invalid_type') return `type inattendu : ${issue.expected} attendu`;
  if (issue.code === 'unrecognized_keys') {
    return `champ(s) inconnu(s) : ${issue.keys.join(', ')} ; vérifiez l’orthographe ou retirez-les`;
  }
  return issue.message;
}
