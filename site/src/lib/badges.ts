/**
 * The metadata of an entry as readable badges, and the card that shows an entry in a list. A card
 * appears on every list page the entry belongs to (its collection, and each facet value it has:
 * some fifteen pages for a fiche), so its HTML is made once per entry and reused.
 */
import type { Fiche } from '../../../schemas/fiches.ts';
import type { Guide } from '../../../schemas/guides.ts';
import type { Retour } from '../../../schemas/retours.ts';
import type { Structure } from '../../../schemas/structures.ts';
import type { Entry } from './commons.ts';
import { escapeHtml } from '../../../core/escape-html.ts';
import { perGeneration } from './incremental-hooks.ts';
import { definitionOf, formatNumber, kindLabel, labelOf, periodLabel, reviewLabels, type VocabularyName } from './labels.ts';

/** One badge: a field and its values joined (« Thèmes : Alimentation, Éducation »). */
export interface Badge {
  name: string;
  value: string;
  /** Definition shown on hover, when the value has a single one. */
  title?: string;
  /** Modifier of the badge's class (`statut`). */
  kind?: string;
}

/** The badges of an entry; cards (`compact`) show fewer than entry pages. */
export function badgesOf(entry: Entry, compact = false): Badge[] {
  const badges: Badge[] = [];
  const vocab = (name: string, vocabulary: VocabularyName, value: string) =>
    badges.push({ name, value: labelOf(vocabulary, value), title: definitionOf(vocabulary, value) });

  if (entry.collection === 'fiches' || entry.collection === 'guides') {
    const data = entry.data as Fiche | Guide;
    if (entry.collection === 'guides') badges.push({ name: 'Type', value: kindLabel('guide', (data as Guide).type) });
    for (const axe of entry.axes) vocab('Axe', 'axes', axe);
    for (const phase of data.phases) vocab('Phase', 'phases', phase);
    vocab('Difficulté', 'difficultes', data.difficulte);
    vocab('Coût', 'couts', data.cout);
    vocab('Durée', 'durees', data.duree);
    if (!compact) {
      for (const acteur of data.acteurs) vocab('Acteurs', 'acteurs', acteur);
      for (const taille of data.tailles) vocab('Taille', 'tailles', taille);
      for (const theme of data.themes) vocab('Thème', 'themes', theme);
    }
  } else if (entry.collection === 'retours') {
    const data = entry.data as Retour;
    badges.push({ name: 'Territoire', value: data.territoire.nom });
    if (entry.territory?.population !== undefined) badges.push({ name: 'Population', value: `${formatNumber(entry.territory.population)} hab.` });
    if (data.periode) badges.push({ name: 'Période', value: periodLabel(data.periode) });
    if (!compact) {
      for (const phase of data.phases) vocab('Phase', 'phases', phase);
      for (const theme of data.themes) vocab('Thème', 'themes', theme);
    }
  } else if (entry.collection === 'structures') {
    const data = entry.data as Structure;
    badges.push({ name: 'Type', value: kindLabel('structure', data.type) });
    if (data.zone_intervention.nationale) badges.push({ name: 'Zone', value: 'France entière' });
    if (!compact) for (const role of data.roles) badges.push({ name: 'Rôle', value: kindLabel('role', role) });
  } else if (entry.collection === 'territoires') {
    if (entry.territory?.population !== undefined) badges.push({ name: 'Population', value: `${formatNumber(entry.territory.population)} hab.` });
    if (entry.territory?.taille) vocab('Taille', 'tailles', entry.territory.taille);
    for (const d of entry.territory?.departements ?? []) badges.push({ name: 'Département', value: `${d.nom} (${d.code})` });
  }
  // Readers see where the entry stands in its review, in lists too: « Proposé — pas encore relu ».
  badges.push({ name: 'Statut', value: reviewLabels[entry.review.state], title: definitionOf('statuts', entry.data.statut), kind: `statut badge--${entry.review.state}` });
  return groupBadges(badges);
}

// One badge per field, its values joined; a hover definition only when it names one value.
function groupBadges(badges: Badge[]): Badge[] {
  const grouped = new Map<string, Badge[]>();
  for (const badge of badges) grouped.set(badge.name, [...(grouped.get(badge.name) ?? []), badge]);
  return [...grouped].map(([name, group]) => ({
    name,
    value: group.map((b) => b.value).join(', '),
    ...(group.length === 1 && group[0]!.title ? { title: group[0]!.title } : {}),
    ...(group[0]!.kind ? { kind: group[0]!.kind } : {}),
  }));
}

/** The HTML of a list of badges (empty when there are none). */
export function badgesHtml(badges: Badge[]): string {
  if (!badges.length) return '';
  const items = badges.map(
    (b) => `<li class="${b.kind ? `badge badge--${b.kind}` : 'badge'}"${b.title ? ` title="${escapeHtml(b.title)}"` : ''}><b>${escapeHtml(b.name)} :</b> ${escapeHtml(b.value)}</li>`,
  );
  return `<ul class="badges">${items.join('')}</ul>`;
}

// Titles and summaries change from one content generation to the next (incremental-hooks.ts).
const cardsOfGeneration = perGeneration(() => new Map<string, string>());

/** The HTML of an entry's card in a list (title link, summary, compact badges), made once per entry and level. */
export function entryCardHtml(entry: Entry, level: 2 | 3 = 2): string {
  const key = `${level}${entry.ref}`;
  const cards = cardsOfGeneration();
  let html = cards.get(key);
  if (html === undefined) {
    html = `<li><h${level}><a href="${escapeHtml(entry.url)}">${escapeHtml(entry.data.titre)}</a></h${level}><p>${escapeHtml(entry.data.resume)}</p>${badgesHtml(badgesOf(entry, true))}</li>`;
    cards.set(key, html);
  }
  return html;
}
