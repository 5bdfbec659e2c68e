/**
 * One parse wrapper for every input of Terreau (frontmatter, config, CLI arguments, HTTP bodies,
 * client messages): errors name the source and the field path, and say how to fix it.
 */
import type { z } from 'zod';
import '../schemas/french-messages.ts';
import { ProblemError, type Problem } from './problem.ts';

/** One problem found in an input, at a field path such as `["territoire", "communes", 0]`. */
export interface InputProblem {
  path: PropertyKey[];
  /** What is wrong and how to fix it, in French. */
  message: string;
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
  return dedupe(result.error.issues.flatMap((issue) => friendlyProblems(issue, schema, input)));
}

/** Parses an input against a schema, or throws a `ProblemError` naming the source and fields. */
export function parseWithFriendlyErrors<T extends z.ZodType>(schema: T, input: unknown, source: string): z.output<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const problems = dedupe(result.error.issues.flatMap((issue) => friendlyProblems(issue, schema, input)));
  throw new ProblemError(problems.map((p): Problem => ({ file: source, field: formatFieldPath(p.path) || '(racine)', message: p.message })));
}

function friendlyProblems(issue: z.core.$ZodIssue, schema: z.ZodType, input: unknown): InputProblem[] {
  if (issue.code === 'unrecognized_keys') {
    // One problem per unknown key, on the key itself, with the likely intended field.
    const known = knownKeys(schema, issue.path);
    return issue.keys.map((key) => {
      const guess = known.find((candidate) => candidate.startsWith(key) || key.startsWith(candidate));
      const hint = guess ? `vouliez-vous dire « ${guess} » ?` : 'vérifiez l’orthographe ou retirez-le';
      return { path: [...issue.path, key], message: `champ inconnu : ${hint}` };
    });
  }
  // zod leaves `issue.input` out: look the value up, so an absent field reads « manquant », not
  // « valeur undefined inconnue » or « rôle inconnu ».
  if ((issue.code === 'invalid_type' || issue.code === 'invalid_value') && valueAt(input, issue.path) === undefined) {
    return [{ path: issue.path, message: 'champ obligatoire manquant' }];
  }
  return [{ path: issue.path, message: issue.message }];
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current = input;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

/** A union reports the same issue once per branch: a person reads it once. */
function dedupe(problems: InputProblem[]): InputProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${formatFieldPath(p.path)}\n${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Field names an object schema accepts at the top level (nested objects: none known). */
function knownKeys(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  const shape = (schema as unknown as { shape?: Record<string, unknown> }).shape;
  return path.length === 0 && shape ? Object.keys(shape) : [];
}
