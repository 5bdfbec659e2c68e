/**
 * The search page in the browser. The form is the one state of a search: the words, the sort and
 * the ticked filters are read from it for every search and written to the address (as a GET submit
 * would), so a search can be shared, reloaded, or arrive from the home page's box (`?q=cantine`)
 * and be narrowed by filters without losing its words. Pagefind runs the search, over every shard
 * of the index (./sharded-search.ts); results and counts are drawn with DOM nodes, never from
 * markup strings.
 */

import { ShardedSearch, type FilterCounts, type MergedSearch, type PagefindResultData } from './sharded-search.ts';

const RESULTS_PER_PAGE = 10;
/** Sort keys of the form's select (entry pages declare `data-pagefind-sort`) and their order. */
const sorts: Record<string, Record<string, 'asc' | 'desc'>> = { titre: { titre: 'asc' }, date: { date: 'desc' } };
const numberFormat = new Intl.NumberFormat('fr-FR');

const form = document.querySelector<HTMLFormElement>('#recherche')!;
const words = form.querySelector<HTMLInputElement>('input[name=q]')!;
const sortSelect = form.querySelector<HTMLSelectElement>('select[name=tri]')!;
const defaultSort = sortSelect.querySelector<HTMLOptionElement>('option[value=""]')!;
const filtersPane = form.querySelector<HTMLDetailsElement>('#filtres')!;
const summary = document.querySelector<HTMLElement>('#resultats-resume')!;
const list = document.querySelector<HTMLOListElement>('#resultats')!;
const more = document.querySelector<HTMLButtonElement>('#resultats-suite')!;
/** The search the page was opened with (from the home page's box, or a shared address). */
const arrival = new URLSearchParams(location.search);

// Beside the results (wide screens) the filters are always open; above them (phones) they stay
// folded so the results come first. Their summary is hidden on wide screens, so a window widened
// later opens them too.
const wide = matchMedia('(min-width: 60rem)');
if (wide.matches) filtersPane.open = true;
wide.addEventListener('change', () => wide.matches && (filtersPane.open = true));

const groups = () => [...form.querySelectorAll<HTMLDetailsElement>('details[data-filter]')];
const checkboxes = () => [...form.querySelectorAll<HTMLInputElement>('details[data-filter] input[type=checkbox]')];

/** The address of the search the form describes: what a GET submit would give, without empty fields. */
function addressOf(): string {
  const params = new URLSearchParams();
  for (const [name, value] of new FormData(form)) if (typeof value === 'string' && value.trim() !== '') params.append(name, value.trim());
  const query = params.toString();
  return `${location.pathname}${query ? `?${query}` : ''}`;
}

/** Puts a search of the address (words, sort, filters) back into the form. */
function fillForm(params: URLSearchParams): void {
  words.value = params.get('q') ?? '';
  sortSelect.value = sorts[params.get('tri') ?? ''] ? params.get('tri')! : '';
  for (const box of checkboxes()) box.checked = params.getAll(box.name).includes(box.value);
}

/** Pagefind filters of the ticked boxes: within a group, results must have every value ticked. */
function filtersOf(): Record<string, string[]> {
  const filters: Record<string, string[]> = {};
  for (const group of groups()) {
    const ticked = [...group.querySelectorAll<HTMLInputElement>('input:checked')].map((box) => box.dataset.value ?? box.value);
    if (ticked.length) filters[group.dataset.filter!] = ticked;
  }
  return filters;
}

/** Adds the values of open-ended groups (and any group the page does not know) from the index. */
function addIndexedValues(all: FilterCounts): void {
  for (const [name, counts] of Object.entries(all)) {
    let group = groups().find((g) => g.dataset.filter === name);
    if (!group) {
      group = document.createElement('details');
      group.className = 'search__group';
      group.dataset.filter = name;
      group.dataset.param = name.toLowerCase();
      const title = document.createElement('summary');
      title.textContent = name;
      const fieldset = document.createElement('fieldset');
      const legend = document.createElement('legend');
      legend.className = 'visually-hidden';
      legend.textContent = name;
      fieldset.append(legend, document.createElement('ul'));
      group.append(title, fieldset);
      filtersPane.append(group);
    }
    const known = new Set([...group.querySelectorAll<HTMLInputElement>('input')].map((box) => box.dataset.value ?? box.value));
    const ul = group.querySelector('ul')!;
    for (const value of Object.keys(counts).sort((a, b) => a.localeCompare(b, 'fr'))) {
      if (known.has(value)) continue;
      const box = document.createElement('input');
      box.type = 'checkbox';
      box.name = group.dataset.param!;
      box.value = value;
      // A shared address may already tick it.
      box.checked = arrival.getAll(box.name).includes(value);
      const count = document.createElement('span');
      count.className = 'count';
      count.dataset.count = '';
      const label = document.createElement('label');
      label.append(box, ` ${value} `, count);
      const item = document.createElement('li');
      item.append(label);
      ul.append(item);
    }
  }
}

/** Shows, beside each value, how many results ticking it would leave. */
function showCounts(counts: FilterCounts): void {
  for (const group of groups()) {
    for (const box of group.querySelectorAll<HTMLInputElement>('input')) {
      const count = box.parentElement!.querySelector<HTMLElement>('[data-count]');
      if (!count) continue;
      const n = counts[group.dataset.filter!]?.[box.dataset.value ?? box.value] ?? 0;
      count.textContent = `(${numberFormat.format(n)})`;
      count.toggleAttribute('data-zero', n === 0);
    }
  }
}

/** Copies Pagefind's excerpt (escaped text with <mark> around the words found) as DOM nodes. */
function excerptNodes(excerpt: string): Node[] {
  const template = document.createElement('template');
  template.innerHTML = excerpt;
  return [...template.content.childNodes].map((node) => {
    if (node.nodeName === 'MARK') {
      const mark = document.createElement('mark');
      mark.textContent = node.textContent;
      return mark;
    }
    return document.createTextNode(node.textContent ?? '');
  });
}

function resultItem(result: PagefindResultData, withWords: boolean): HTMLLIElement {
  const item = document.createElement('li');
  const title = document.createElement('h3');
  const link = document.createElement('a');
  link.href = result.url;
  link.textContent = result.meta.title ?? result.url;
  title.append(link);
  item.append(title);
  if (result.meta.type) {
    const type = document.createElement('p');
    type.className = 'search__type';
    type.textContent = result.meta.type;
    item.append(type);
  }
  const text = document.createElement('p');
  // Browsing without words, the summary says more than the first lines of the page.
  if (withWords || !result.meta.resume) text.append(...excerptNodes(result.excerpt));
  else text.textContent = result.meta.resume;
  item.append(text);
  return item;
}

let pagefind: ShardedSearch | undefined;
let latest = 0;
/** The search whose results are listed, and how many of them are. */
interface Shown {
  search: MergedSearch;
  count: number;
  withWords: boolean;
}
let shown: Shown | undefined;

async function loadPagefind(): Promise<ShardedSearch> {
  const loaded = await ShardedSearch.open('/pagefind/shards.json', { excerptLength: 24 });
  // Loading every filter once makes each search return the counts beside the values.
  addIndexedValues(await loaded.filters());
  return loaded;
}

async function showMore(focusFirst: boolean): Promise<void> {
  if (!shown) return;
  const current = shown;
  const page = await current.search.next(RESULTS_PER_PAGE);
  if (shown !== current) return;
  const items = appendResults(current, page);
  if (focusFirst) items[0]?.querySelector('a')?.focus();
}

function appendResults(current: Shown, page: PagefindResultData[]): HTMLLIElement[] {
  const items = page.map((result) => resultItem(result, current.withWords));
  list.append(...items);
  current.count += page.length;
  more.hidden = current.count >= current.search.total;
  return items;
}

/** Runs the search the form describes and shows it; a newer search makes an older one drop its results. */
async function runSearch(): Promise<void> {
  const id = ++latest;
  try {
    // Loading adds the values of open-ended groups: read the form once they are there.
    pagefind ??= await loadPagefind();
    if (id !== latest) return;
    history.replaceState(null, '', addressOf());
    const term = words.value.trim();
    const filters = filtersOf();
    // Without words, results come in title order; with words, by relevance unless asked otherwise.
    // The default choice of the select says which of the two it is.
    const sort = sorts[sortSelect.value] ?? (term ? undefined : sorts.titre);
    defaultSort.text = term ? 'pertinence' : 'titre (sans mots)';
    const search = await pagefind.search(term || null, filters, sort);
    // The summary and the first results change together: a reader never sees a count over an empty list.
    const first = await search.next(RESULTS_PER_PAGE);
    if (id !== latest) return;
    showCounts(search.filters);
    const n = search.total;
    const found = n === 0 ? 'Aucun résultat' : `${numberFormat.format(n)} résultat${n > 1 ? 's' : ''}`;
    const filtered = Object.keys(filters).length ? ' avec ces filtres' : '';
    summary.textContent = term ? `${found} pour « ${term} »${filtered}.` : `${found}${filtered}.`;
    if (n === 0) summary.textContent += term || filtered ? ' Essayez d’autres mots ou retirez des filtres.' : '';
    list.replaceChildren();
    shown = { search, count: 0, withWords: term !== '' };
    appendResults(shown, first);
  } catch (error) {
    if (id !== latest) return;
    summary.textContent = `La recherche n’a pas pu se faire (${error instanceof Error ? error.message : String(error)}). Les listes des fiches, guides et retours restent disponibles.`;
  }
}

let typing: ReturnType<typeof setTimeout> | undefined;
words.addEventListener('input', () => {
  pagefind?.preload(words.value.trim()).catch(() => undefined);
  clearTimeout(typing);
  typing = setTimeout(runSearch, 250);
});
form.addEventListener('change', (event) => {
  if (event.target !== words) void runSearch();
});
form.addEventListener('submit', (event) => {
  event.preventDefault();
  clearTimeout(typing);
  void runSearch();
});
more.addEventListener('click', () => void showMore(true));
fillForm(arrival);
void runSearch();
