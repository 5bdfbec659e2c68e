/**
 * The commons as the site sees it: every public entry with its links in both directions, its
 * lineage, its review state and the facts derived from INSEE codes. Built once per build (once per
 * content generation under the incremental publisher) from the content collections, then shared by
 * every page (a page never scans the collections itself). Brouillons are left out here, once, so no
 * page, list, export or feed can show them.
 */
import { createHash } from 'node:crypto';
import { getCollection, type CollectionEntry } from 'astro:content';
import { describeTerritory, type TerritoryFacts } from '../../../core/communes.ts';
import { mdxCollections, type CollectionName, type MdxCollectionName } from '../../../schemas/common.ts';
import type { AxeCode } from '../../../schemas/vocabularies.ts';
import type { Fiche } from '../../../schemas/fiches.ts';
import type { Guide } from '../../../schemas/guides.ts';
import type { Retour } from '../../../schemas/retours.ts';
import type { Structure } from '../../../schemas/structures.ts';
import type { Territoire } from '../../../schemas/territoires.ts';
import type { Referentiel } from '../../../schemas/referentiel.ts';
import type { Autodiagnostic } from '../../../schemas/autodiagnostic.ts';
import { listDataLinks } from '../../../schemas/links.ts';
import { indexObjectifs, type ObjectifInfo } from '../../../core/content-tree.ts';
import { isPublicEntry, reviewStateOf, type ReviewState } from '../../../core/editorial-status.ts';
import { getHistory } from './history.ts';
import { incrementalHooks, perGeneration } from './incremental-hooks.ts';
import { trackCommons } from './read-tracking.ts';

interface DataByCollection {
  fiches: Fiche;
  guides: Guide;
  retours: Retour;
  structures: Structure;
  territoires: Territoire;
}

/** One entry of an MDX collection, with what the site derives from it. */
export interface Entry<C extends MdxCollectionName = MdxCollectionName> {
  collection: C;
  slug: string;
  /** `collection/slug`, as written in references. */
  ref: string;
  /** Page of the entry, `/collection/slug/`. */
  url: string;
  /** Path of the file in the content tree (`fiches/slug.mdx`). */
  file: string;
  data: DataByCollection[C];
  /** The Astro content entry, to render the body. */
  source: CollectionEntry<C>;
  /** Axes of the référentiel the entry touches (from objectifs, directly or through fiches). */
  axes: AxeCode[];
  /** Facts derived from INSEE codes (retours and territoires). */
  territory?: TerritoryFacts;
  /** Where the entry stands in its review (validated, changed since, not yet reviewed). */
  review: ReviewState;
}

/** A data file of the commons (référentiel, auto-diagnostic) as a change can point to it. */
export interface DataFile {
  title: string;
  /** Page that shows it, with an anchor. */
  url: string;
}

/** A link between two entries, with the field that makes it. */
export interface Link {
  from: string;
  to: string;
  /** Field of the source that holds the link (`fiches`, `exemples`, `corps`…). */
  field: string;
}

/** An objectif of the référentiel with its place in the tree. */
export type Objectif = ObjectifInfo;

export interface Commons {
  entries: Entry[];
  byRef: Map<string, Entry>;
  byCollection: { [C in MdxCollectionName]: Entry<C>[] };
  referentiel: Referentiel[];
  objectifs: Map<string, Objectif>;
  /** Links leaving each entry, by source ref. */
  outgoing: Map<string, Link[]>;
  /** Links arriving at each entry, by target ref. */
  incoming: Map<string, Link[]>;
  /** Entries whose `derive_de` names each ref. */
  adaptations: Map<string, Entry[]>;
  /** Files of the entries that are not public (brouillons): they exist, and nothing may show them. */
  hiddenFiles: Set<string>;
  /** The YAML data files, by path in the content tree. */
  dataFiles: Map<string, DataFile>;
}

// One collator for every sort: `localeCompare(…, 'fr')` builds one per comparison.
const frenchOrder = new Intl.Collator('fr');

const commonsOfGeneration = perGeneration((): { commons?: Promise<Commons> } => ({}));

/** The commons of this build (of this content generation), loaded once. */
export function getCommons(): Promise<Commons> {
  const slot = commonsOfGeneration();
  // Shared by every page: what loading reads is not charged to the page that happens to start it.
  slot.commons ??= incrementalHooks()?.untracked(loadCommons) ?? loadCommons();
  return slot.commons;
}

/**
 * The entries of a collection. Every page reads content through here (or `getCommons()`): under
 * the incremental publisher, the publisher holds the collections and replaces what a commit changed.
 */
export async function readCollection(name: CollectionName): Promise<CollectionEntry<CollectionName>[]> {
  const hooks = incrementalHooks();
  const held = hooks?.collection(name);
  if (held) return held as CollectionEntry<CollectionName>[];
  const entries = await getCollection(name);
  hooks?.adoptCollection(name, entries);
  return entries;
}

async function loadCommons(): Promise<Commons> {
  const referentielFiles = await readCollection('referentiel');
  const referentiel = referentielFiles.map((e) => e.data as Referentiel).sort((a, b) => a.ordre - b.ordre);
  const objectifs = indexObjectifs(referentiel);
  const dataFiles = new Map<string, DataFile>();
  for (const file of referentielFiles) {
    const axe = file.data as Referentiel;
    dataFiles.set(`referentiel/${file.id}.yaml`, { title: `Référentiel : ${axe.titre}`, url: `/referentiel/#${axe.code}` });
  }
  for (const file of await readCollection('autodiagnostic')) {
    const grid = file.data as Autodiagnostic;
    dataFiles.set(`autodiagnostic/${file.id}.yaml`, { title: `Auto-diagnostic : ${grid.titre}`, url: `/autodiagnostic/#axe-${grid.axe}` });
  }

  const history = await getHistory();
  const hiddenFiles = new Set<string>();
  const byCollection = {} as Commons['byCollection'];
  const entries: Entry[] = [];
  for (const collection of mdxCollections) {
    const list: Entry[] = [];
    for (const source of await readCollection(collection)) {
      if (isPublicEntry(source.data as DataByCollection[typeof collection])) list.push(toEntry(collection, source as CollectionEntry<typeof collection>));
      else hiddenFiles.add(`${collection}/${source.id}.mdx`);
    }
    for (const entry of list) entry.review = reviewStateOf(entry.data.statut, history.byFile.get(entry.file)?.changes ?? []);
    // The slug breaks ties: the order Astro loads files in is not the same from one build to the next.
    list.sort((a, b) => frenchOrder.compare(a.data.titre, b.data.titre) || (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0));
    (byCollection as Record<string, Entry[]>)[collection] = list;
    entries.push(...list);
  }
  const byRef = new Map(entries.map((e) => [e.ref, e]));

  const outgoing = new Map<string, Link[]>();
  const incoming = new Map<string, Link[]>();
  const addLink = (link: Link) => {
    if (link.from === link.to) return;
    const out = outgoing.get(link.from) ?? [];
    if (out.some((l) => l.to === link.to && l.field === link.field)) return;
    out.push(link);
    outgoing.set(link.from, out);
    // Pushed, not copied: a structure cited by thousands of fiches would cost a copy per citation.
    const into = incoming.get(link.to);
    if (into) into.push(link);
    else incoming.set(link.to, [link]);
  };
  for (const entry of entries) {
    const data = entry.data as unknown as Record<string, unknown>;
    for (const link of listDataLinks(entry.collection, data)) {
      if (link.target !== 'objectifs') addLink({ from: entry.ref, to: `${link.target}/${link.value}`, field: link.field });
    }
    // Found by the safe-subset check when the body was rendered, as the validator finds them.
    for (const ref of (entry.source.rendered?.metadata?.references as string[] | undefined) ?? []) addLink({ from: entry.ref, to: ref, field: 'corps' });
  }
  // A retour about a commune belongs to that commune's territory page even without `page:`.
  const territoryByCommune = new Map<string, string>();
  for (const territoire of byCollection.territoires) {
    if (territoire.data.communes.length === 1) territoryByCommune.set(territoire.data.communes[0]!, territoire.ref);
  }
  for (const retour of byCollection.retours) {
    for (const code of retour.data.territoire.communes) {
      const ref = territoryByCommune.get(code);
      if (ref && !(outgoing.get(retour.ref) ?? []).some((l) => l.to === ref)) addLink({ from: retour.ref, to: ref, field: 'territoire' });
    }
  }

  // Axes: fiches carry objectifs; guides and retours inherit the axes of the fiches they link.
  for (const fiche of byCollection.fiches) {
    fiche.axes = unique(fiche.data.objectifs.map((code) => objectifs.get(code)?.axe.code ?? (code.slice(0, 4) as AxeCode)));
  }
  for (const entry of [...byCollection.guides, ...byCollection.retours]) {
    const linked = [...(outgoing.get(entry.ref) ?? []), ...(incoming.get(entry.ref) ?? [])]
      .map((l) => byRef.get(l.from === entry.ref ? l.to : l.from))
      .filter((e): e is Entry => e?.collection === 'fiches');
    entry.axes = unique(linked.flatMap((f) => f.axes));
  }

  const adaptations = new Map<string, Entry[]>();
  for (const entry of entries) {
    const source = entry.data.derive_de?.source;
    if (source && !source.startsWith('http')) adaptations.set(source, [...(adaptations.get(source) ?? []), entry]);
  }

  const commons: Commons = { entries, byRef, byCollection, referentiel, objectifs, outgoing, incoming, adaptations, hiddenFiles, dataFiles };
  const hooks = incrementalHooks();
  if (!hooks?.tracking) return commons;
  hooks.describeContent(fingerprintContent(commons), getCommons);
  return trackCommons(commons);
}

// The data of an unchanged file is the same object from one generation to the next: hash it once.
const dataHashes = new WeakMap<object, string>();
const hash = (value: unknown) => createHash('sha1').update(JSON.stringify(value) ?? '').digest('base64');

/**
 * What pages can read of each entry and collection, as fingerprints (read-tracking.ts): an
 * entry's data with what the site derives from it, review state included (`e:`), its file as
 * written, body included (`b:`, what `entry.source` gives), the links leaving it (`o:`), arriving
 * at it (`i:`), its adaptations (`a:`); a collection's members in order (`c:`).
 */
function fingerprintContent(commons: Commons): Map<string, string> {
  const fingerprints = new Map<string, string>();
  for (const entry of commons.entries) {
    let data = dataHashes.get(entry.source);
    if (data === undefined) dataHashes.set(entry.source, (data = hash(entry.data)));
    const { ref } = entry;
    // The review state is read with the entry: a change by someone who is not a reviewer alters it.
    const review = [entry.review.state, entry.review.lastReview?.commit ?? null, entry.review.changesSince.length];
    // Small values are their own fingerprint: hashing 40,000 of them at 10,000 entries costs half a second.
    fingerprints.set(`e:${ref}`, JSON.stringify([data, entry.axes, entry.territory ?? null, review]));
    fingerprints.set(`b:${ref}`, String(entry.source.digest));
    fingerprints.set(`o:${ref}`, JSON.stringify(commons.outgoing.get(ref) ?? []));
    fingerprints.set(`i:${ref}`, JSON.stringify(commons.incoming.get(ref) ?? []));
    fingerprints.set(`a:${ref}`, JSON.stringify((commons.adaptations.get(ref) ?? []).map((e) => e.ref)));
  }
  for (const collection of mdxCollections) fingerprints.set(`c:${collection}`, hash(commons.byCollection[collection].map((e) => e.ref)));
  return fingerprints;
}

function toEntry<C extends MdxCollectionName>(collection: C, source: CollectionEntry<C>): Entry<C> {
  const data = source.data as DataByCollection[C];
  const entry: Entry<C> = {
    collection,
    slug: source.id,
    ref: `${collection}/${source.id}`,
    url: `/${collection}/${source.id}/`,
    file: `${collection}/${source.id}.mdx`,
    data,
    source,
    axes: [],
    review: { state: 'propose', changesSince: [] },
  };
  if (collection === 'retours') {
    const { communes, departements, nature } = (data as Retour).territoire;
    entry.territory = describeTerritory(communes, departements, nature);
  } else if (collection === 'territoires') {
    entry.territory = describeTerritory((data as Territoire).communes, [], (data as Territoire).nature);
  }
  return entry;
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}

/** The entries a list of links points to (or comes from), existing ones only. */
export function resolveLinks(commons: Commons, links: Link[] | undefined, end: 'from' | 'to'): Entry[] {
  const seen = new Set<string>();
  const result: Entry[] = [];
  for (const link of links ?? []) {
    const entry = commons.byRef.get(link[end]);
    if (entry && !seen.has(entry.ref)) {
      seen.add(entry.ref);
      result.push(entry);
    }
  }
  return result;
}

/** The size bands an entry is relevant to: declared for tools, derived for territories. */
export function taillesOf(entry: Entry): string[] {
  if (entry.collection === 'fiches' || entry.collection === 'guides') return (entry.data as Fiche | Guide).tailles;
  const taille = entry.territory?.taille;
  return taille ? [taille] : [];
}
