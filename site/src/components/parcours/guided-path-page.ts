/**
 * The guided path in the browser: reads the answers from the URL, fills the form back, looks the
 * commune up, and renders the roadmap from /parcours/catalogue.json. Loaded by /parcours/ only.
 */
import { sizeFromPopulation } from '../../../../schemas/vocabularies.ts';
import { unpackCatalogue, type PackedCatalogue } from '../../lib/catalogue-codec.ts';
import { communeChunkKey, hasAnswers, readAnswers, recommend, type Answers } from '../../lib/recommend.ts';
import {
  COMMUNE_NAMES_PATH,
  codeIn,
  communeNameKey,
  prefixesFor,
  prefixFileName,
  searchCommunes,
  suggestionValue,
  type CommuneByName,
  type CommuneNameEntry,
  type CommuneNameManifest,
} from '../../lib/commune-names.ts';
import { renderRoadmap } from './roadmap-html.ts';

const form = document.querySelector<HTMLFormElement>('#parcours-form')!;
const section = document.querySelector<HTMLElement>('#feuille-de-route')!;
const content = document.querySelector<HTMLElement>('#feuille-de-route-contenu')!;
const notice = document.querySelector<HTMLElement>('#parcours-notice')!;
const communeInput = form.querySelector<HTMLInputElement>('#parcours-commune')!;
const communeFound = form.querySelector<HTMLElement>('#parcours-commune-trouvee')!;
const communeSuggestions = form.querySelector<HTMLDataListElement>('#parcours-commune-suggestions')!;

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

let manifest: Promise<CommuneNameManifest> | undefined;
const nameFiles = new Map<string, Promise<CommuneNameEntry[]>>();

/** Looks a commune name up in the name files written at build (a few kilobytes per prefix). */
async function searchByName(typed: string) {
  manifest ??= fetch(`${COMMUNE_NAMES_PATH}.json`).then((r) => (r.ok ? (r.json() as Promise<CommuneNameManifest>) : Promise.reject(new Error(`liste des communes indisponible (${r.status})`))));
  const { prefixes, departements } = await manifest;
  const wanted = prefixesFor(communeNameKey(typed), prefixes);
  if (wanted.length === 0) return undefined;
  const entries = (
    await Promise.all(
      wanted.map((prefix) => {
        if (!nameFiles.has(prefix)) nameFiles.set(prefix, fetch(`${COMMUNE_NAMES_PATH}/${prefixFileName(prefix)}.json`).then((r) => (r.ok ? (r.json() as Promise<CommuneNameEntry[]>) : [])));
        return nameFiles.get(prefix)!;
      }),
    )
  ).flat();
  return searchCommunes(typed, entries, departements);
}

const homonyms = (communes: CommuneByName[]) => communes.map((c) => `${c.nom} (${c.departement}, ${c.code})`).join(', ');

/**
 * Finds the commune a reader typed (a code, a suggestion « Nom (code) », or a bare name); a name
 * shared by several communes, or one that matches none, is explained rather than guessed.
 */
async function resolveCommune(typed: string): Promise<{ code?: string; message?: string }> {
  const code = codeIn(typed);
  if (code) return { code };
  const found = await searchByName(typed);
  if (!found) {
    return {
      message: communeNameKey(typed).length < 2
        ? 'Tapez au moins deux lettres du nom de votre commune, ou son code INSEE.'
        : `Beaucoup de communes commencent par « ${typed} » : tapez la suite du nom, ou son code INSEE.`,
    };
  }
  if (found.exact.length === 1) return { code: found.exact[0]!.code };
  if (found.exact.length > 1) return { message: `Plusieurs communes s’appellent ${found.exact[0]!.nom} : ${homonyms(found.exact)}. Choisissez la vôtre dans les suggestions ou tapez son code INSEE.` };
  const close = found.starting.length ? found.starting.slice(0, 3) : found.close;
  return { message: `Aucune commune actuelle ne s’appelle « ${typed} »${close.length ? ` ; vouliez-vous dire ${homonyms(close)} ?` : '. Vérifiez l’orthographe ou tapez son code INSEE.'}` };
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
  if (answers.communeName) {
    const resolved = await resolveCommune(answers.communeName).catch(() => ({ message: 'La liste des communes n’a pas pu être chargée.' }) as { code?: string; message?: string });
    if (resolved.code) answers.commune = resolved.code;
    else messages.push(`${resolved.message} ${answers.taille ? 'La taille choisie dans la liste est utilisée.' : 'Aucune taille de territoire n’est prise en compte.'}`);
  }
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

// Suggest communes from the official list as the name is typed (a native <datalist>).
let suggestionTimer: ReturnType<typeof setTimeout> | undefined;
communeInput.addEventListener('input', () => {
  clearTimeout(suggestionTimer);
  const typed = communeInput.value;
  if (codeIn(typed) || !/\p{L}/u.test(typed)) return;
  suggestionTimer = setTimeout(async () => {
    const found = await searchByName(typed).catch(() => undefined);
    if (communeInput.value !== typed) return;
    const communes = found ? [...found.exact, ...found.starting.filter((c) => !found.exact.includes(c)), ...found.close].slice(0, 8) : [];
    communeSuggestions.replaceChildren(
      ...communes.map((c) => Object.assign(document.createElement('option'), { value: suggestionValue(c), label: `${c.departement}${c.population === null ? '' : `, ${new Intl.NumberFormat('fr-FR').format(c.population)} hab.`}` })),
    );
  }, 120);
});

// Tell the reader which commune they chose as soon as it is typed or picked.
communeInput.addEventListener('change', async () => {
  const typed = communeInput.value.trim();
  communeFound.textContent = '';
  if (!typed) return;
  const resolved = await resolveCommune(typed).catch(() => ({ message: 'La liste des communes n’a pas pu être chargée.' }) as { code?: string; message?: string });
  if (communeInput.value.trim() !== typed) return;
  if (!resolved.code) {
    communeFound.textContent = resolved.message ?? '';
    return;
  }
  const commune = await lookUpCommune(resolved.code).catch(() => undefined);
  if (!commune) {
    communeFound.textContent = `Aucune commune actuelle n’a le code ${resolved.code}.`;
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
