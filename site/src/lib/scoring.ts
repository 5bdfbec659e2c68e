/**
 * Scoring of the auto-diagnostic. An axe scores from 0 to 10: ten times the points chosen divided
 * by the highest points of the questions answered (unanswered questions count neither way, and an
 * axe with no answer has no score). There is deliberately no overall score. Pure: the page runs it
 * in the browser, where the answers stay.
 */
import { z } from 'zod';
import { parseWithFriendlyErrors } from '../../../core/parse-input.ts';
import type { AxeCode } from '../../../schemas/vocabularies.ts';

/** The part of a grid (schemas/autodiagnostic.ts) the scoring reads. */
export interface Grid {
  axe: AxeCode;
  titre: string;
  questions: { id: string; reponses: { libelle: string; points: number }[]; objectifs: string[] }[];
}

/** The reader's answers: question id → position of the chosen answer in `reponses`. */
export type Answers = Record<string, number>;

/** The score of one axe. */
export interface AxeScore {
  axe: AxeCode;
  titre: string;
  /** 0 to 10, one decimal; null when no question of the axe was answered. */
  score: number | null;
  /** Points chosen. */
  points: number;
  /** Highest points of the questions answered. */
  maxPoints: number;
  answered: number;
  questions: number;
}

/** A fiche to read, reached from a weak answer through the question's objectifs. */
export interface FicheSuggestion {
  url: string;
  titre: string;
  /** Relu et validé (and unchanged since): suggested before the others. */
  reviewed?: true;
  /** The objectif code that leads to it. */
  objectif: string;
}

/** Highest points a question can earn. */
export function maxPointsOf(question: Grid['questions'][number]): number {
  return Math.max(...question.reponses.map((r) => r.points));
}

/** Scores every axe of the grid, in the grid's order. */
export function scoreAxes(grids: Grid[], answers: Answers): AxeScore[] {
  return grids.map((grid) => {
    let points = 0;
    let maxPoints = 0;
    let answered = 0;
    for (const question of grid.questions) {
      const chosen = question.reponses[answers[question.id] ?? -1];
      if (!chosen) continue;
      answered += 1;
      points += chosen.points;
      maxPoints += maxPointsOf(question);
    }
    const score = maxPoints > 0 ? Math.round((100 * points) / maxPoints) / 10 : null;
    return { axe: grid.axe, titre: grid.titre, score, points, maxPoints, answered, questions: grid.questions.length };
  });
}

/** The axes with the lowest scores (at most `count`), leaving out unscored axes and perfect ones. */
export function findWeakestAxes(scores: AxeScore[], count = 2): AxeScore[] {
  return scores
    .filter((s): s is AxeScore & { score: number } => s.score !== null && s.score < 10)
    .map((s, order) => ({ s, order }))
    .sort((a, b) => a.s.score - b.s.score || a.order - b.order)
    .slice(0, count)
    .map(({ s }) => s);
}

/**
 * The fiches an axe's weak answers point to: for each answered question below its highest points
 * (weakest first), the fiches attached to its objectifs, without repeats; validated fiches first.
 */
export function suggestFiches(grid: Grid, answers: Answers, fichesByObjectif: Record<string, { url: string; titre: string; reviewed?: true }[]>, limit = 4): FicheSuggestion[] {
  const weak = grid.questions
    .map((question, order) => ({ question, order, chosen: question.reponses[answers[question.id] ?? -1] }))
    .filter(({ question, chosen }) => chosen !== undefined && chosen.points < maxPointsOf(question))
    .sort((a, b) => a.chosen!.points / maxPointsOf(a.question) - b.chosen!.points / maxPointsOf(b.question) || a.order - b.order);
  const seen = new Set<string>();
  const suggestions: FicheSuggestion[] = [];
  for (const { question } of weak) {
    for (const objectif of question.objectifs) {
      for (const fiche of fichesByObjectif[objectif] ?? []) {
        if (seen.has(fiche.url)) continue;
        seen.add(fiche.url);
        suggestions.push({ ...fiche, objectif });
      }
    }
  }
  // A stable sort: among validated fiches, and among the others, the weakest answers still lead.
  return suggestions.sort((a, b) => Number(!!b.reviewed) - Number(!!a.reviewed)).slice(0, limit);
}

/** The file the answers are exported to, and re-imported from. */
export const answersFileSchema = z.object({
  /** Always `terreau-autodiagnostic`, so another JSON file is recognised as such. */
  format: z.literal('terreau-autodiagnostic', { error: 'ce fichier n’est pas un export d’auto-diagnostic Terreau (format « terreau-autodiagnostic » attendu)' }),
  /** Version of this format. */
  version: z.literal(1, { error: 'version de fichier inconnue : 1 attendu' }),
  /** When the file was exported (ISO date). */
  date: z.string().optional(),
  /** Answers by question id: the position of the answer, and its wording to survive a reordered grid. */
  reponses: z.record(
    z.string(),
    z.object({
      /** Position of the chosen answer in the question's list (from 0). */
      reponse: z.number().int().min(0, 'position de réponse négative'),
      /** Points it was worth when exported (for readers of the file). */
      points: z.number().optional(),
      /** Wording of the chosen answer. */
      libelle: z.string().optional(),
    }),
  ),
});
export type AnswersFile = z.output<typeof answersFileSchema>;

/** The export file of the answers, with each answer's wording and points for people who read it. */
export function exportAnswers(grids: Grid[], answers: Answers, date: Date): AnswersFile {
  const reponses: AnswersFile['reponses'] = {};
  for (const grid of grids) {
    for (const question of grid.questions) {
      const index = answers[question.id];
      const chosen = index === undefined ? undefined : question.reponses[index];
      if (chosen && index !== undefined) reponses[question.id] = { reponse: index, points: chosen.points, libelle: chosen.libelle };
    }
  }
  return { format: 'terreau-autodiagnostic', version: 1, date: date.toISOString(), reponses };
}

/**
 * Reads an exported file back. Throws a `ProblemError` naming the file and the field when it is not
 * an export; answers to questions the grid no longer has are skipped and listed in `skipped`.
 */
export function importAnswers(text: string, grids: Grid[], source = 'fichier importé'): { answers: Answers; skipped: string[] } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (json === undefined) throw new SyntaxError(`${source} : ce n’est pas un fichier JSON lisible ; choisissez le fichier exporté depuis cette page`);
  const file = parseWithFriendlyErrors(answersFileSchema, json, source);
  const questions = new Map(grids.flatMap((grid) => grid.questions.map((q) => [q.id, q] as const)));
  const answers: Answers = {};
  const skipped: string[] = [];
  for (const [id, saved] of Object.entries(file.reponses)) {
    const question = questions.get(id);
    // Prefer the wording: the grid may have been reordered since the export.
    const byWording = saved.libelle === undefined ? -1 : (question?.reponses.findIndex((r) => r.libelle === saved.libelle) ?? -1);
    const index = byWording >= 0 ? byWording : saved.reponse;
    if (!question || index >= question.reponses.length) skipped.push(id);
    else answers[id] = index;
  }
  return { answers, skipped };
}
