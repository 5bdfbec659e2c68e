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
  readonly source: string;
  readonly problems: InputProblem[];
  constructor(source: string, problems: InputProblem[]) {
    super(problems.map((p) => `${source}: ${formatFieldPath(p.path) || '(racine)'}: ${p.message}`).join('\n'));
    this.source = source;
    this.problems = problems;
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
  return result.error.issues.flatMap((issue) => friendlyProblems(issue, schema));
}

/** Parses an input against a schema, or throws an `InputError` naming the source and fields. */
export function parseWithFriendlyErrors<T extends z.ZodType>(schema: T, input: unknown, source: string): z.output<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new InputError(source, result.error.issues.flatMap((issue) => friendlyProblems(issue, schema)));
}

function friendlyProblems(issue: z.core.$ZodIssue, schema: z.ZodType): InputProblem[] {
  if (issue.code === 'unrecognized_keys') {
    // One problem per unknown key, on the key itself, with the likely intended field.
    const known = knownKeys(schema, issue.path);
    return issue.keys.map((key) => {
      const guess = known.find((candidate) => candidate.startsWith(key) || key.startsWith(candidate));
      const hint = guess ? `vouliez-vous dire « ${guess} » ?` : 'vérifiez l’orthographe ou retirez-le';
      return { path: [...issue.path, key], message: `champ inconnu : ${hint}` };
    });
  }
  if (issue.code === 'invalid_type' && issue.input === undefined) return [{ path: issue.path, message: 'champ obligatoire manquant' }];
  if (issue.code === 'invalid_type') return [{ path: issue.path, message: `type inattendu : ${issue.expected} attendu` }];
  return [{ path: issue.path, message: issue.message }];
}

/** Field names an object schema accepts at the top level (nested objects: none known). */
function knownKeys(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  const shape = (schema as unknown as { shape?: Record<string, unknown> }).shape;
  return path.length === 0 && shape ? Object.keys(shape) : [];
}
