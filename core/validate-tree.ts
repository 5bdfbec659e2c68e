/**
 * Validation of a whole content tree (ours or a licensee's fork): schemas, links between entries,
 * INSEE codes, duplicate slugs and codes, lineage cycles and the MDX safe subset. Every problem
 * is reported, one line each, as `path:line: field: message`.
 */
import { open, readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { closest, distance } from 'fastest-levenshtein';
import type { Root } from 'mdast';
import { collections } from '../schemas/collections.ts';
import { collectionNames, SLUG_PATTERN, type CollectionName } from '../schemas/common.ts';
import { listDataLinks } from '../schemas/links.ts';
import { mediaCredits } from '../schemas/medias.ts';
import { formatFieldPath, listProblems } from './parse-input.ts';
import { getCommune, getDepartement, suggestCommunes } from './communes.ts';
import { readEntry, readYamlFile, type RawEntry } from './content-files.ts';
import { imageFormats, MEDIA_FOLDER, parseMediaFile, sniffFileType } from './medias.ts';
import { checkMdxBody, type BodyCheck, type BodyImage, type BodyReference } from './mdx-safety.ts';
import { slugFromTitle } from './slug.ts';
import { sortProblems, type Problem } from './problem.ts';


/** A file that passed its own checks, with its schema output. */
export interface CheckedEntry {
  collection: CollectionName;
  slug: string;
  /** Path relative to the content root, with `/` separators. */
  file: string;
  /** Schema output: defaults applied. */
  data: Record<string, unknown>;
  body: string;
  bodyStartLine: number;
  raw: RawEntry;
  /** Entry references found in the body (links and <VoirAussi>). */
  bodyReferences: BodyReference[];
  /** Images of the body (`/medias/…`), with their file lines. */
  bodyImages: BodyImage[];
}

/** Site addresses (`/medias/…`) of the images of a tree that pages may show: those with valid credits. */
export type ShowableMedias = ReadonlySet<string>;

/** Validates every file of a content tree; an empty list means the tree is valid. */
export async function validateContentTree(dir: string): Promise<Problem[]> {
  return (await inspectContentTree(dir)).problems;
}

/** A file checked on its own, as `inspectContentTree` hands it over. */
export type OnCheckedFile = (file: string, text: string, checked: CheckedFile) => void;

/**
 * Reads, checks and cross-checks a content tree; returns the problems and the valid entries.
 * `onFile` sees each file as soon as it is checked on its own.
 */
export async function inspectContentTree(dir: string, onFile?: OnCheckedFile): Promise<{ problems: Problem[]; entries: CheckedEntry[]; medias: ShowableMedias }> {
  const listed = await listContentTree(dir);
  const media = await checkMediaFiles(dir, listed.mediaFiles);
  const checked = await checkContentFiles(dir, listed.files, onFile);
  const problems = [...listed.problems, ...media.problems, ...checked.problems, ...checkEntriesTogether(checked.entries, media.showable)];
  return { problems: sortProblems(problems), entries: checked.entries, medias: media.showable };
}

/** Checks `files` of the tree at `dir` each on its own (`checkEntryFile`), in order; `onFile` sees each one once checked. */
export async function checkContentFiles(dir: string, files: readonly string[], onFile?: OnCheckedFile): Promise<{ problems: Problem[]; entries: CheckedEntry[] }> {
  const problems: Problem[] = [];
  const entries: CheckedEntry[] = [];
  // Reads overlap with parsing: the file system answers while the previous files are checked.
  const texts = files.map((file) => readFile(join(dir, file), 'utf8'));
  for (const [i, file] of files.entries()) {
    const text = await texts[i]!;
    const checked = checkEntryFile(file, text);
    problems.push(...checked.problems);
    if (checked.entry) entries.push(checked.entry);
    onFile?.(file, text, checked);
  }
  return { problems, entries };
}

/**
 * Checks one edited file against the rest of a tree (the editor server calls this before it
 * commits): its own checks, its links, and lineage cycles it would close.
 */
export function validateEntryText(tree: readonly CheckedEntry[], medias: ShowableMedias, collection: CollectionName, slug: string, text: string): Problem[] {
  const extension = collections[collection].format === 'yaml' ? 'yaml' : 'mdx';
  const file = `${collection}/${slug}.${extension}`;
  const checked = checkEntryFile(file, text);
  if (!checked.entry) return sortProblems(checked.problems);
  const others = tree.filter((e) => !(e.collection === collection && e.slug === slug));
  const all = [...others, checked.entry];
  const problems = [...checked.problems, ...findDuplicates(all).filter((p) => p.file === file), ...checkCrossReferences(all, [checked.entry], medias)];
  return sortProblems(problems);
}

/**
 * Checks a tree of entries that each passed their own checks (`checkEntryFile`) against each
 * other: duplicate slugs and codes, links, images, lineage cycles. With `inspectContentTree`'s own-file
 * problems, the same list as validating the whole tree again. Links and lineage are checked for
 * `subjects` only (by default all): after a commit, the entries it changed, or all of them when it
 * removed one that others may link to.
 */
export function checkEntriesTogether(entries: readonly CheckedEntry[], medias: ShowableMedias, subjects: readonly CheckedEntry[] = entries): Problem[] {
  return sortProblems([...findDuplicates(entries), ...checkCrossReferences(entries, subjects, medias)]);
}

/** The entry and image files of a tree, each list sorted, and the problems of files out of place. */
export async function listContentTree(dir: string): Promise<{ files: string[]; mediaFiles: string[]; problems: Problem[] }> {
  const files: string[] = [];
  const mediaFiles: string[] = [];
  const problems: Problem[] = [];
  let top;
  try {
    top = await readdir(dir, { withFileTypes: true });
  } catch {
    return { files, mediaFiles, problems: [{ file: '.', field: 'dossier', message: 'dossier de contenu introuvable : indiquez le chemin d’un arbre de contenu (ex. content/)' }] };
  }
  for (const folder of top) {
    if (!folder.isDirectory() || folder.name.startsWith('.')) continue;
    if (folder.name === MEDIA_FOLDER) {
      for (const child of await readdir(join(dir, folder.name), { withFileTypes: true, recursive: true })) {
        if (child.isFile() && !child.name.startsWith('.')) mediaFiles.push(relative(dir, join(child.parentPath, child.name)).split(sep).join('/'));
      }
      continue;
    }
    if (!(collectionNames as readonly string[]).includes(folder.name)) {
      const nearest = suggestClosest(folder.name, collectionNames);
      const hint = nearest ? ` ; vouliez-vous dire « ${nearest} » ?` : '';
      problems.push({ file: `${folder.name}/`, line: 1, field: 'collection', message: `dossier inconnu (collections : ${collectionNames.join(', ')} ; images : ${MEDIA_FOLDER})${hint}` });
      continue;
    }
    for (const child of await readdir(join(dir, folder.name), { withFileTypes: true, recursive: true })) {
      if (!child.isFile() || child.name.startsWith('.')) continue;
      const path = relative(dir, join(child.parentPath, child.name)).split(sep).join('/');
      if (path.split('/').length > 2) {
        problems.push({ file: path, line: 1, field: 'fichier', message: `sous-dossier non pris en charge : placez le fichier directement dans ${folder.name}/` });
        continue;
      }
      files.push(path);
    }
  }
  return { files: files.sort(), mediaFiles: mediaFiles.sort(), problems };
}

/**
 * Checks the images of a tree: each where an image may be, really of the format its extension
 * says (read from its first bytes), with credits beside it; and each credits file beside an
 * image. Returns the images pages may show.
 */
export async function checkMediaFiles(dir: string, files: readonly string[]): Promise<{ problems: Problem[]; showable: Set<string> }> {
  const problems: Problem[] = [];
  const showable = new Set<string>();
  const present = new Set(files);
  for (const file of files) {
    if (file.endsWith('.yaml')) {
      const hasImage = Object.values(imageFormats).some((format) => present.has(file.replace(/\.yaml$/, `.${format.extension}`)));
      if (!hasImage) problems.push({ file, line: 1, field: 'image', message: 'crédits sans image : placez l’image à côté, sous le même nom (.jpg, .png ou .webp), ou retirez ce fichier' });
      continue;
    }
    const media = parseMediaFile(file);
    if (!media) {
      problems.push({ file, line: 1, field: 'image', message: `fichier inattendu : une image s’écrit ${MEDIA_FOLDER}/<collection>/<slug>/<nom>.jpg, .png ou .webp (nom en minuscules sans accents, chiffres et tirets), à côté de ses crédits <nom>.yaml` });
      continue;
    }
    const head = await readHead(join(dir, file), 1024);
    const sniffed = sniffFileType(head);
    if (sniffed.format !== media.format) {
      problems.push({ file, line: 1, field: 'image', message: `le contenu n’est pas une image ${imageFormats[media.format].label} (contenu reconnu : ${sniffed.what}) : enregistrez-la en JPEG, PNG ou WebP sous la bonne extension` });
      continue;
    }
    if (!present.has(media.creditsFile)) {
      problems.push({ file, line: 1, field: 'image', message: `crédits manquants : écrivez ${media.creditsFile} avec l’auteur et la licence de l’image (auteur: "…", licence: CC-BY-SA-4.0)` });
      continue;
    }
    const credits = checkMediaCredits(media.creditsFile, await readFile(join(dir, media.creditsFile), 'utf8'));
    problems.push(...credits);
    if (credits.length === 0) showable.add(media.src);
  }
  return { problems, showable };
}

/** Checks the credits file of an image (YAML and schema); the problems carry their lines. */
export function checkMediaCredits(file: string, text: string): Problem[] {
  const { data, yamlErrors, lineOf } = readYamlFile(text);
  if (yamlErrors.length) return yamlErrors.map((error) => ({ file, line: error.line, field: 'crédits', message: error.message }));
  return listProblems(mediaCredits, data ?? {}).map((issue) => ({ file, line: lineOf(issue.path), field: formatFieldPath(issue.path) || 'crédits', message: issue.message }));
}

async function readHead(path: string, length: number): Promise<Uint8Array> {
  const handle = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(length), 0, length, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** One file checked on its own: its problems; the entry when it passes, and its body as parsed. */
export interface CheckedFile {
  problems: Problem[];
  entry?: CheckedEntry;
  /** The parsed MDX body of a passing entry (core/body-html.ts renders it without parsing again). */
  bodyTree?: Root;
}

/** Checks one file on its own: format, YAML, schema, slug, INSEE codes and MDX body; `entry` when it passes. */
export function checkEntryFile(file: string, text: string): CheckedFile {
  const raw = readEntry(file, text);
  const collection = raw.collection as CollectionName;
  const definition = collections[collection];
  const problems: Problem[] = [];
  if (!definition) {
    return { problems: [{ file, line: 1, field: 'collection', message: `hors des collections (${collectionNames.join(', ')}) : placez le fichier dans l’une d’elles` }] };
  }
  const expected = definition.format === 'yaml' ? '.yaml' : '.mdx';
  if (raw.format !== definition.format) {
    problems.push({ file, line: 1, field: 'fichier', message: `extension inattendue : les entrées de « ${collection} » sont des fichiers ${expected}` });
    return { problems };
  }
  if (!SLUG_PATTERN.test(raw.slug)) {
    problems.push({ file, line: 1, field: 'slug', message: `nom de fichier invalide : renommez-le en « ${slugFromTitle(raw.slug)}${expected} » (minuscules sans accents, chiffres, tirets)` });
  }
  for (const error of raw.yamlErrors) problems.push({ file, line: error.line, field: 'frontmatter', message: error.message });
  const body: BodyCheck = raw.format === 'mdx' ? checkMdxBody(raw.body) : { problems: [], references: [], images: [] };
  for (const problem of body.problems) {
    problems.push({ file, line: problem.line + raw.bodyStartLine - 1, field: problem.field, message: problem.message });
  }
  if (raw.yamlErrors.length) return { problems };
  const result = definition.schema.safeParse(raw.data ?? {});
  if (!result.success) {
    for (const issue of listProblems(definition.schema, raw.data ?? {})) {
      problems.push({ file, line: raw.lineOf(issue.path), field: formatFieldPath(issue.path) || 'frontmatter', message: issue.message });
    }
    return { problems };
  }
  const data = result.data as Record<string, unknown>;
  problems.push(...checkInseeCodes(file, collection, data, raw));
  const bodyReferences = body.references.map((r) => ({ ...r, line: r.line + raw.bodyStartLine - 1 }));
  const bodyImages = body.images.map((image) => ({ ...image, line: image.line + raw.bodyStartLine - 1 }));
  const entry = { collection, slug: raw.slug, file, data, body: raw.body, bodyStartLine: raw.bodyStartLine, raw, bodyReferences, bodyImages };
  return { problems, entry, ...(body.tree ? { bodyTree: body.tree } : {}) };
}

function checkInseeCodes(file: string, collection: CollectionName, data: Record<string, unknown>, raw: RawEntry): Problem[] {
  const problems: Problem[] = [];
  const checkCommunes = (codes: unknown, path: PropertyKey[], name: string) => {
    (codes as string[] | undefined)?.forEach((code, i) => {
      if (getCommune(code)) return;
      const suggestions = suggestCommunes(name).map((c) => `${c.code} (${c.nom}, ${c.departement.code})`);
      const hint = suggestions.length ? ` ; pour « ${name} », codes possibles : ${suggestions.join(', ')}` : '';
      problems.push({ file, line: raw.lineOf([...path, i]), field: formatFieldPath([...path, i]), message: `code INSEE ${code} inconnu (commune inexistante ou fusionnée)${hint}` });
    });
  };
  const checkDepartements = (codes: unknown, path: PropertyKey[]) => {
    (codes as string[] | undefined)?.forEach((code, i) => {
      if (!getDepartement(code)) problems.push({ file, line: raw.lineOf([...path, i]), field: formatFieldPath([...path, i]), message: `département ${code} inconnu` });
    });
  };
  if (collection === 'retours') {
    const territoire = data.territoire as { nom: string; communes: string[]; departements: string[] };
    checkCommunes(territoire.communes, ['territoire', 'communes'], territoire.nom);
    checkDepartements(territoire.departements, ['territoire', 'departements']);
  }
  if (collection === 'territoires') checkCommunes(data.communes, ['communes'], String(data.titre));
  if (collection === 'structures') {
    checkDepartements((data.zone_intervention as { departements: string[] }).departements, ['zone_intervention', 'departements']);
    if (typeof data.siege === 'string') checkDepartements([data.siege], ['siege']);
  }
  return problems;
}

function findDuplicates(entries: readonly CheckedEntry[]): Problem[] {
  const problems: Problem[] = [];
  const seen = new Map<string, CheckedEntry>();
  for (const entry of entries) {
    const key = `${entry.collection}/${entry.slug.toLowerCase()}`;
    const first = seen.get(key);
    if (first) problems.push({ file: entry.file, line: 1, field: 'slug', message: `slug en double avec ${first.file} : renommez l’un des deux fichiers` });
    else seen.set(key, entry);
  }
  // Référentiel codes and self-assessment question ids must be unique across the whole tree.
  const codes = new Map<string, string>();
  for (const entry of entries) {
    walkCodes(entry, (code, path) => {
      const first = codes.get(code);
      if (first) problems.push({ file: entry.file, line: entry.raw.lineOf(path), field: formatFieldPath(path), message: `code ${code} déjà utilisé dans ${first} : un code est unique et stable` });
      else codes.set(code, entry.file);
    });
  }
  return problems;
}

function walkCodes(entry: CheckedEntry, visit: (code: string, path: PropertyKey[]) => void): void {
  if (entry.collection === 'referentiel') {
    visit(String(entry.data.code), ['code']);
    (entry.data.orientations as { code: string; objectifs: { code: string }[] }[]).forEach((o, i) => {
      visit(o.code, ['orientations', i, 'code']);
      o.objectifs.forEach((objectif, j) => visit(objectif.code, ['orientations', i, 'objectifs', j, 'code']));
    });
  }
  if (entry.collection === 'autodiagnostic') {
    (entry.data.questions as { id: string }[]).forEach((q, i) => visit(`question ${q.id}`, ['questions', i, 'id']));
  }
}

/** Checks the links and images of `subjects` against every entry of `all` and the images, and lineage cycles. */
function checkCrossReferences(all: readonly CheckedEntry[], subjects: readonly CheckedEntry[], medias: ShowableMedias): Problem[] {
  // Sets: a tree of 10,000 entries has tens of thousands of links to look up.
  const slugs = new Map<string, Set<string>>();
  for (const entry of all) {
    const known = slugs.get(entry.collection);
    if (known) known.add(entry.slug);
    else slugs.set(entry.collection, new Set([entry.slug]));
  }
  const objectifs = new Set(
    all
      .filter((e) => e.collection === 'referentiel')
      .flatMap((e) => (e.data.orientations as { objectifs: { code: string }[] }[]).flatMap((o) => o.objectifs.map((x) => x.code))),
  );
  const problems: Problem[] = [];

  // `target` is a collection, `objectifs`, or `ref` when the value is a whole `collection/slug`.
  const check = (entry: CheckedEntry, value: string, path: PropertyKey[], target: string, line?: number) => {
    let collection = target;
    let slug = value;
    if (target === 'ref') [collection, slug] = value.split('/') as [string, string];
    const known = target === 'objectifs' ? objectifs : (slugs.get(collection) ?? new Set<string>());
    if (known.has(slug)) return;
    const nearest = suggestClosest(slug, [...known]);
    const what = target === 'objectifs' ? `objectif ${slug} inconnu du référentiel` : `« ${collection}/${slug} » n’existe pas`;
    problems.push({
      file: entry.file,
      line: line ?? entry.raw.lineOf(path),
      field: typeof path[0] === 'string' && path[0].startsWith('<') ? String(path[0]) : formatFieldPath(path),
      message: nearest ? `${what} ; vouliez-vous dire « ${nearest} » ?` : what,
    });
  };

  for (const entry of subjects) {
    for (const link of listDataLinks(entry.collection, entry.data)) check(entry, link.value, link.path, link.target);
    const source = (entry.data.derive_de as { source: string } | undefined)?.source;
    if (source && !/^https?:/.test(source)) check(entry, source, ['derive_de', 'source'], 'ref');
    for (const reference of entry.bodyReferences) check(entry, reference.ref, [reference.field], 'ref', reference.line);
    for (const image of entry.bodyImages) {
      if (!medias.has(image.src)) {
        problems.push({ file: entry.file, line: image.line, field: 'image', message: `image introuvable : ${image.src.slice(1)} n’est pas dans le commun avec ses crédits ; téléversez l’image depuis l’éditeur` });
      }
    }
  }
  return [...problems, ...findLineageCycles(all, subjects)];
}

function findLineageCycles(all: readonly CheckedEntry[], subjects: readonly CheckedEntry[]): Problem[] {
  const parent = new Map<string, string>();
  for (const entry of all) {
    const source = (entry.data.derive_de as { source: string } | undefined)?.source;
    if (source && !/^https?:/.test(source)) parent.set(`${entry.collection}/${entry.slug}`, source);
  }
  const problems: Problem[] = [];
  for (const entry of subjects) {
    const start = `${entry.collection}/${entry.slug}`;
    const chain = [start];
    for (let next = parent.get(start); next; next = parent.get(next)) {
      if (next === start) {
        problems.push({ file: entry.file, line: entry.raw.lineOf(['derive_de', 'source']), field: 'derive_de.source', message: `cycle de dérivation : ${[...chain, start].join(' → ')} ; une entrée ne peut pas dériver d’elle-même` });
        break;
      }
      if (chain.includes(next)) break; // a cycle further up, reported on its own members
      chain.push(next);
    }
  }
  return problems;
}

/** The closest known value, only when it is close enough to be a likely typo. */
function suggestClosest(value: string, known: readonly string[]): string | undefined {
  if (known.length === 0) return undefined;
  const nearest = closest(value, [...known]);
  return distance(value, nearest) <= Math.max(2, Math.floor(value.length / 3)) ? nearest : undefined;
}

