/**
 * Splitting a content file into its YAML frontmatter and its body. No Node API, so the editor page
 * in the browser splits files exactly as the validator does.
 */

const FRONTMATTER = /^---\r?\n([\s\S]*?)\r?\n?---[ \t]*(?:\r?\n|$)/;

/** Splits `---\nyaml\n---\nbody` into its parts; `frontmatter` is null when there is none. */
export function splitFrontmatter(text: string): { frontmatter: string | null; body: string; bodyStartLine: number } {
  const match = FRONTMATTER.exec(text);
  if (!match) return { frontmatter: null, body: text, bodyStartLine: 1 };
  const consumed = match[0];
  return {
    frontmatter: match[1] ?? '',
    body: text.slice(consumed.length),
    bodyStartLine: countLines(consumed) + 1,
  };
}

/** Number of line breaks in a text. */
export function countLines(text: string): number {
  let lines = 0;
  for (const char of text) if (char === '\n') lines++;
  return lines;
}
