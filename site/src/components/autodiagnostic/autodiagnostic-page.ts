/**
 * The auto-diagnostic in the browser: scores each axe as the reader answers, draws the radar,
 * suggests fiches, keeps the answers in localStorage and exports or imports them as a file.
 * The page's grid and data (#autodiag-donnees) are rendered at build; nothing is sent anywhere.
 */
import { exportAnswers, findWeakestAxes, importAnswers, scoreAxes, suggestFiches, type Answers, type Grid } from '../../lib/scoring.ts';
import { radarPolygon } from '../../lib/scoring-radar.ts';

const STORAGE_KEY = 'terreau.autodiagnostic.v1';
const data = JSON.parse(document.querySelector('#autodiag-donnees')!.textContent!) as {
  grids: Grid[];
  fichesByObjectif: Record<string, { url: string; titre: string; reviewed?: true }[]>;
  objectifTitles: Record<string, string>;
};
const form = document.querySelector<HTMLFormElement>('#autodiag-form')!;
const status = document.querySelector<HTMLElement>('#autodiag-statut')!;
const formatScore = (score: number) => new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1 }).format(score);

function readForm(): Answers {
  const answers: Answers = {};
  for (const input of form.querySelectorAll<HTMLInputElement>('input[type=radio]:checked')) {
    if (input.value !== '') answers[input.name] = Number(input.value);
  }
  return answers;
}

function fillForm(answers: Answers): void {
  for (const input of form.querySelectorAll<HTMLInputElement>('input[type=radio]')) {
    const chosen = answers[input.name];
    input.checked = chosen === undefined ? input.value === '' : input.value === String(chosen);
  }
}

function loadSaved(): Answers {
  try {
    const saved = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '{}') as { reponses?: Answers };
    return saved.reponses ?? {};
  } catch {
    return {};
  }
}

function save(answers: Answers): void {
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify({ reponses: answers }));
  } catch {
    // Private browsing may refuse storage: the page still works, answers just don't survive a reload.
  }
}

function render(answers: Answers): void {
  const scores = scoreAxes(data.grids, answers);
  for (const score of scores) {
    const row = document.querySelector(`#autodiag-tableau tr[data-axe="${score.axe}"]`)!;
    row.querySelector('[data-cell=score]')!.textContent = score.score === null ? 'pas de score' : `${formatScore(score.score)} / 10`;
    const questions = `${score.answered} question${score.answered > 1 ? 's' : ''} sur ${score.questions}`;
    row.querySelector('[data-cell=detail]')!.textContent = score.answered ? `${questions} · ${score.points} points sur ${score.maxPoints}` : questions;
  }
  document.querySelector('#radar-scores')!.setAttribute('points', radarPolygon(scores.map((s) => s.score), 120, { x: 160, y: 150 }));
  for (const score of scores) {
    const label = document.querySelector(`#radar-valeur-${score.axe}`);
    if (label) label.textContent = score.score === null ? '—' : formatScore(score.score);
  }

  const weakest = findWeakestAxes(scores);
  const pistes = document.querySelector<HTMLElement>('#autodiag-pistes')!;
  pistes.replaceChildren();
  if (weakest.length === 0) {
    const p = document.createElement('p');
    p.textContent = scores.some((s) => s.score !== null)
      ? 'Tous les axes répondus sont au maximum : racontez ce que vous avez fait dans un retour d’expérience !'
      : 'Répondez à quelques questions : les axes les plus fragiles et les fiches-actions pour les renforcer s’afficheront ici.';
    pistes.append(p);
    return;
  }
  const intro = document.createElement('p');
  intro.textContent = weakest.length > 1 ? 'Vos deux axes les plus fragiles, et les fiches-actions qui répondent à vos réponses les plus faibles :' : 'Votre axe le plus fragile, et les fiches-actions qui répondent à vos réponses les plus faibles :';
  pistes.append(intro);
  for (const axe of weakest) {
    const grid = data.grids.find((g) => g.axe === axe.axe)!;
    const heading = document.createElement('h4');
    heading.textContent = `${axe.titre} : ${formatScore(axe.score!)} / 10`;
    const list = document.createElement('ul');
    for (const fiche of suggestFiches(grid, answers, data.fichesByObjectif)) {
      const item = document.createElement('li');
      const link = document.createElement('a');
      link.href = fiche.url;
      link.textContent = fiche.titre;
      const why = document.createElement('span');
      why.className = 'muted';
      why.textContent = ` — objectif ${fiche.objectif} : ${data.objectifTitles[fiche.objectif] ?? ''}${fiche.reviewed ? ' · relue et validée' : ' · proposée, pas encore relue'}`;
      item.append(link, why);
      list.append(item);
    }
    const all = document.createElement('li');
    all.innerHTML = `<a href="/fiches/filtre/axe/${axe.axe}/">Toutes les fiches de l’axe</a>`;
    list.append(all);
    pistes.append(heading, list);
  }
}

function update(answers: Answers): void {
  save(answers);
  render(answers);
}

form.addEventListener('change', () => update(readForm()));
// Scores follow every answer; the button takes keyboard and screen-reader users to them.
form.addEventListener('submit', (event) => {
  event.preventDefault();
  update(readForm());
  document.querySelector<HTMLElement>('#resultats-titre')!.focus();
});

document.querySelector('#autodiag-exporter')!.addEventListener('click', () => {
  const now = new Date();
  const file = exportAnswers(data.grids, readForm(), now);
  const link = document.createElement('a');
  link.href = URL.createObjectURL(new Blob([JSON.stringify(file, null, 2)], { type: 'application/json' }));
  link.download = `autodiagnostic-terreau-${now.toISOString().slice(0, 10)}.json`;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
  status.textContent = `Réponses exportées dans le fichier ${link.download}.`;
});

document.querySelector<HTMLInputElement>('#autodiag-importer')!.addEventListener('change', async (event) => {
  const input = event.currentTarget as HTMLInputElement;
  const file = input.files?.[0];
  if (!file) return;
  try {
    const { answers, skipped } = importAnswers(await file.text(), data.grids, file.name);
    fillForm(answers);
    update(answers);
    const count = Object.keys(answers).length;
    status.textContent = `${count} réponse${count > 1 ? 's' : ''} importée${count > 1 ? 's' : ''} depuis ${file.name}.${skipped.length ? ` Ignorées, car la grille a changé : ${skipped.join(', ')}.` : ''}`;
  } catch (error) {
    status.textContent = `Import impossible. ${error instanceof Error ? error.message : String(error)}`;
  } finally {
    input.value = '';
  }
});

document.querySelector('#autodiag-imprimer')!.addEventListener('click', () => window.print());
document.querySelector('#autodiag-effacer')!.addEventListener('click', () => {
  if (!window.confirm('Effacer toutes vos réponses de ce navigateur ?')) return;
  fillForm({});
  update({});
  status.textContent = 'Réponses effacées.';
});

for (const element of document.querySelectorAll<HTMLElement>('.autodiag-js-only')) element.hidden = false;
const saved = loadSaved();
fillForm(saved);
render(saved);
