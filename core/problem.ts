/**
 * The one shape of every error a person may read — the validator's lines, the editor's refusals,
 * the site build's stops, configuration and HTTP input errors — and the one error class that
 * carries them. Code reads `problems`, never the message text.
 */

/** One problem: where it is (file, line), what it is about (field), and how to fix it (message). */
export interface Problem {
  /** Path of the file or name of the input (`fiches/x.mdx`, `variables d’environnement`), when known. */
  file?: string;
  /** 1-based line in the file, when the input has lines. */
  line?: number;
  /** Field path or what the problem is about: `territoire.communes[0]`, `<Encadre type>`, `corps`. */
  field: string;
  /** What is wrong and, where that is clear, how to fix it; in French. */
  message: string;
}

/** Formats a problem as the validator prints it: `file:line: field: message` (unknown parts left out). */
export function formatProblem(problem: Problem): string {
  const place = [problem.file, problem.line].filter((part) => part !== undefined && part !== '').join(':');
  return `${place ? `${place}: ` : ''}${problem.field}: ${problem.message}`;
}

/** Thrown when an input has problems; its message is their formatted lines. */
export class ProblemError extends Error {
  readonly problems: Problem[];

  constructor(problems: Problem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.problems = problems;
    this.name = 'ProblemError';
  }
}

/** Moves problems found in a part of a file (a body) to the file's lines, and names the file. */
export function placeProblems(problems: readonly Problem[], firstLine: number, file?: string): Problem[] {
  return problems.map((problem) => ({
    ...problem,
    ...(file !== undefined ? { file } : {}),
    ...(problem.line !== undefined ? { line: problem.line + firstLine - 1 } : {}),
  }));
}

/** Orders problems by file, line and field, as the validator prints them. */
export function sortProblems<P extends Problem>(problems: P[]): P[] {
  return problems.sort((a, b) => (a.file ?? '').localeCompare(b.file ?? '') || (a.line ?? 0) - (b.line ?? 0) || a.field.localeCompare(b.field));
}
