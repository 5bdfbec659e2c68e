/**
 * The guided path in the browser: reads the answers from the URL, fills the form back, looks the
 * commune up, and renders the roadmap from /parcours/catalogue.json. Loaded by /parcours/ only.
 */
import { sizeFromPopulation } from '../../../../schemas/vocabularies.ts';
import { unpackCatalogue, type PackedCatalogue } from '../../lib/catalogue-codec.ts';
import { communeChunkKey, hasAnswers, readAnswers, recommend, type Answers } from '../../lib/recommend.ts';
import { renderRoadmap } from './roadmap-html.ts';

const form = document.querySelector<HTMLFormElement>('#parcours-form')!;
const section = document.querySelector<HTMLElement>('#feuille-de-route')!;
const content = document.querySelector<HTMLElement>('#feuille-de-route-contenu')!;
const notice = document.querySelector<HTMLElement>('#parcours-notice')!;
const communeInput = form.querySelector<HTMLInputElement>('#parcours-commune')!;
const communeFound = form.querySelector<HTMLElement>('#parcours-commune-trouvee')!;

interface CommuneFacts {
  code: string;
  nom: string;
  population: number | null;
}

/** Looks an INSEE code up in the département's lookup file written at build. */
async function lookUpCommune(code: string): Promise<CommuneFacts | undefined> {
  const response = await fetch(`/parcours/communes/${communeChunkKey(code)}.json`);
  if (!response.ok) return undefined;
  const communes = (await response.json()) as Record<string, [string, number | null]>;
  const found = communes[code];
  return found ? { code, nom: found[0], population: found[1] } : undefined;
}

function describeCommune(commune: CommuneFacts): string {
  const population = commune.population === null ? 'population inconnue' : `${new Intl.NumberFormat('fr-FR').format(commune.population)} habitants`;
  return `${commune.nom} (${commune.code}), ${population}`;
}

/** Puts the answers of the URL back into the form, so the reader can adjust them. */
function fillForm(params: URLSearchParams): void {
  for (const element of Array.from(form.elements)) {
    if (!(element instanceof HTMLInputElement || element instanceof HTMLSelectElement) || !element.name) continue;
    const values = params.getAll(element.name);
    if (element instanceof HTMLInputElement && (element.type === 'radio' || element.type === 'checkbox')) {
      if (params.has(element.name)) element.checked = values.includes(element.value);
    } else if (values[0] !== undefined) {
      element.value = values[0];
    }
  }
}

async function showRoadmap(params: URLSearchParams): Promise<void> {
  const answers: Answers = readAnswers(params);
  let communeLabel: string | undefined;
  const messages: string[] = [];
  if (answers.commune) {
    const commune = await lookUpCommune(answers.commune).catch(() => undefined);
    if (commune?.population != null) {
      answers.taille = sizeFromPopulation(commune.population);
      communeLabel = describeCommune(commune);
      communeFound.textContent = `${communeLabel} : taille déduite du code INSEE.`;
    } else {
      messages.push(`Le code INSEE ${answers.commune} est inconnu (ou sans population connue) : ${answers.taille ? 'la taille choisie dans la liste est utilisée' : 'aucune taille de territoire n’est prise en compte'}.`);
    }
  }
  const response = await fetch('/parcours/catalogue.json');
  if (!response.ok) throw new Error(`catalogue indisponible (${response.status})`);
  const catalogue = unpackCatalogue((await response.json()) as PackedCatalogue);
  const roadmap = recommend(answers, catalogue);
  content.innerHTML = renderRoadmap(roadmap, { ...(communeLabel ? { commune: communeLabel } : {}), address: location.href });
  notice.hidden = messages.length === 0;
  notice.textContent = messages.join(' ');
  section.hidden = false;
  // Readers land on their roadmap, not at the top of the form they just sent.
  document.querySelector<HTMLElement>('#feuille-de-route-titre')!.focus();
}

// Tell the reader what the code stands for as soon as it is typed.
communeInput.addEventListener('change', async () => {
  const code = communeInput.value.trim().toUpperCase();
  communeFound.textContent = '';
  if (!/^(\d{5}|2[AB]\d{3})$/.test(code)) return;
  const commune = await lookUpCommune(code).catch(() => undefined);
  if (!commune) {
    communeFound.textContent = `Aucune commune actuelle n’a le code ${code}.`;
    return;
  }
  communeFound.textContent = `${describeCommune(commune)}.`;
  if (commune.population !== null) form.querySelector<HTMLSelectElement>('#parcours-taille')!.value = sizeFromPopulation(commune.population);
});

// Empty fields stay out of the URL, so a shared roadmap link is short and readable.
form.addEventListener('submit', () => {
  for (const field of form.querySelectorAll<HTMLInputElement | HTMLSelectElement>('input[type=text], select')) field.disabled = field.value === '';
});
window.addEventListener('pageshow', () => {
  for (const field of form.querySelectorAll<HTMLInputElement | HTMLSelectElement>('input[type=text], select')) field.disabled = false;
});

document.querySelector('#parcours-imprimer')!.addEventListener('click', () => window.print());

const params = new URLSearchParams(location.search);
const types = document.querySelector<HTMLElement>('#parcours-types')!;
// The answered form folds away; « Modifier mes réponses » brings it back above the roadmap.
document.querySelector('#parcours-modifier')!.addEventListener('click', (event) => {
  event.preventDefault();
  form.hidden = false;
  form.scrollIntoView();
  form.querySelector<HTMLElement>('select, input')?.focus();
});

if (hasAnswers(params)) {
  // The roadmap takes the place of the form and of the parcours types at once, before the
  // catalogue arrives, in a room as tall as the screen: nothing on screen moves when it fills in.
  form.hidden = true;
  types.hidden = true;
  section.hidden = false;
  fillForm(params);
  showRoadmap(params).catch((error: unknown) => {
    notice.hidden = false;
    notice.textContent = `La feuille de route n’a pas pu être calculée : ${error instanceof Error ? error.message : String(error)}. Les parcours types ci-dessous restent disponibles.`;
    form.hidden = false;
    types.hidden = false;
  });
}
