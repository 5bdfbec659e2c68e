/**
 * What a content tree may hold but should not, reported without failing it: a structure credited
 * when no source of the entry attests its work, and an « À compléter » left in an entry marked
 * valide. Warnings have the shape of problems (`path:line: field: message`), and their message
 * starts with « avertissement : » so a reader and a script tell them apart.
 */
import { formatFieldPath } from './parse-input.ts';
import type { Problem } from './problem.ts';
import type { CheckedEntry } from './validate-tree.ts';

/** The word that starts every warning's message. */
export const WARNING_PREFIX = 'avertissement : ';

// The marker contributors use for missing facts, in any case (« À compléter », « à compléter »).
const TO_COMPLETE = /[àÀ]\s+compl[ée]ter/;

/** Lists the warnings of valid entries, in file and line order. */
export function listContentWarnings(entries: readonly CheckedEntry[]): Problem[] {
  return entries.flatMap((entry) => [...unattestedCredits(entry), ...unfinishedValidated(entry)]);
}

/** Whether a problem is a warning (it does not make a tree invalid). */
export function isWarning(problem: Problem): boolean {
  return problem.message.startsWith(WARNING_PREFIX);
}

function unattestedCredits(entry: CheckedEntry): Problem[] {
  const credits = entry.data.credits as string[] | undefined;
  if (!credits?.length) return [];
  const sources = (entry.data.sources as { atteste: string[] }[] | undefined) ?? [];
  const attested = new Set(sources.flatMap((source) => source.atteste));
  return credits.flatMap((slug, i) =>
    attested.has(slug)
      ? []
      : [{
          file: entry.file,
          line: entry.raw.lineOf(['credits', i]),
          field: `credits[${i}]`,
          message: `${WARNING_PREFIX}« ${slug} » est créditée mais aucune source ne l’atteste : ajoutez-la à « atteste » de la source qui décrit son travail, ou retirez ce crédit`,
        }],
  );
}

function unfinishedValidated(entry: CheckedEntry): Problem[] {
  if (entry.data.statut !== 'valide') return [];
  const problems: Problem[] = [];
  const message = `${WARNING_PREFIX}« À compléter » dans une entrée validée : complétez ce passage ou repassez l’entrée au statut « propose »`;
  for (const { path, value } of stringsIn(entry.data, [])) {
    if (TO_COMPLETE.test(value)) problems.push({ file: entry.file, line: entry.raw.lineOf(path), field: formatFieldPath(path), message });
  }
  entry.body.split('\n').forEach((text, i) => {
    if (TO_COMPLETE.test(text)) {
      problems.push({ file: entry.file, line: entry.bodyStartLine + i, field: 'corps', message });
    }
  });
  return problems;
}

// Every string of the frontmatter with its path, to point a warning at the right line.
function stringsIn(value: unknown, path: PropertyKey[]): { path: PropertyKey[]; value: string }[] {
  if (typeof value === 'string') return [{ path, value }];
  if (Array.isArray(value)) return value.flatMap((item, i) => stringsIn(item, [...path, i]));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([key, item]) => stringsIn(item, [...path, key]));
  return [];
}
