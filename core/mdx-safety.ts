/**
 * The safe MDX subset: Markdown plus the allow-listed components of `schemas/mdx-components.ts`
 * with literal attributes. Contributed MDX is code at build time, so anything else is refused
 * here, with its line, before it can reach a build.
 */
import type { Image, List, Nodes, Parents, Root, Table } from 'mdast';
import type { MdxJsxAttribute, MdxJsxExpressionAttribute } from 'mdast-util-mdx';
import { forbiddenElements, mdxComponents } from '../schemas/mdx-components.ts';
import { parseMediaSrc } from './medias.ts';
import { parseMdxBody } from './mdx-parse.ts';
import { listProblems } from './parse-input.ts';
import { ProblemError, type Problem } from './problem.ts';

/** A problem in an MDX body; `line` is 1-based in the body. */
export type BodyProblem = Problem & { line: number };

/** A link or component reference to another entry found in a body. */
export interface BodyReference {
  line: number;
  field: string;
  /** `collection/slug`. */
  ref: string;
}

const UNSAFE_SCHEMES = new Set(['javascript', 'data', 'vbscript', 'file']);

/**
 * The scheme a browser would read in a URL, or undefined for a relative one. Browsers drop leading
 * and trailing controls and spaces and every tab or line break before parsing, so
 * `java&#9;script:` (its reference decoded by the parser) is `javascript:` to them: do the same.
 */
export function urlScheme(url: string): string | undefined {
  // eslint-disable-next-line no-control-regex -- the C0 controls are exactly what browsers strip
  const cleaned = url.replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '').replace(/[\t\n\r]/g, '');
  return /^([a-z][a-z0-9+.-]*):/i.exec(cleaned)?.[1]!.toLowerCase();
}

/** The scheme of a URL when it is one a contributed link may never use. */
function unsafeScheme(url: string): string | undefined {
  const scheme = urlScheme(url);
  return scheme && UNSAFE_SCHEMES.has(scheme) ? scheme : undefined;
}

/** An image of a body: the line it is on, its address on the site (`/medias/…`) and its text. */
export interface BodyImage {
  line: number;
  src: string;
  alt: string;
}

/** What checking a body finds: its problems, and what it refers to (checked against the tree). */
export interface BodyCheck {
  problems: BodyProblem[];
  references: BodyReference[];
  images: BodyImage[];
  /** The parsed body, when it could be parsed (renderBodyTree renders it without parsing again). */
  tree?: Root;
}

/** Longest alternative text: a sentence or two, as screen readers read it in one go. */
const MAX_ALT_LENGTH = 250;
const INTERNAL_ENTRY_URL = /^\/(fiches|guides|retours|structures|territoires)\/([^/#?]+)\/?(?:[#?].*)?$/;
/** Checks a body against the safe subset; returns the problems and the entry references found. */
export function checkMdxBody(body: string): BodyCheck {
  let tree: Root;
  try {
    tree = parseMdxBody(body);
  } catch (error) {
    if (!(error instanceof ProblemError)) throw error;
    return { problems: error.problems as BodyProblem[], references: [], images: [] };
  }
  return { ...checkMdxTree(tree), tree };
}

/** Checks a parsed body against the safe subset (the site checks again what it renders). */
export function checkMdxTree(tree: Root): BodyCheck {
  const problems: BodyProblem[] = [];
  const references: BodyReference[] = [];
  const images: BodyImage[] = [];
  visit(tree, undefined, (node, parent) => {
    const line = node.position?.start.line ?? 1;
    switch (node.type) {
      case 'mdxjsEsm':
        problems.push({ line, field: 'import', message: 'import/export interdits dans un contenu : retirez la ligne (les composants autorisés sont disponibles sans import)' });
        return false;
      case 'mdxFlowExpression':
      case 'mdxTextExpression':
        problems.push({ line, field: 'expression', message: 'expression {…} interdite : écrivez le texte tel quel (pour une accolade, écrivez \\{ )' });
        return false;
      case 'mdxJsxTextElement':
        // The editor holds components as blocks and the site renders them as blocks: one inside a
        // paragraph would be lost by the one and make invalid HTML (<p> in <p>) in the other.
        if (node.name && mdxComponents[node.name]) {
          problems.push({ line, field: `<${node.name}>`, message: `composant au milieu d’un paragraphe : placez <${node.name} … /> seul sur sa ligne, précédé et suivi d’une ligne vide` });
          return false;
        }
        checkElement(node, line, problems, references);
        return true;
      case 'mdxJsxFlowElement':
        checkElement(node, line, problems, references);
        return true;
      case 'heading':
        if (node.depth === 1) problems.push({ line, field: 'titre', message: 'titre de niveau 1 (#) interdit dans le corps : le titre vient du frontmatter, commencez à ##' });
        if (node.depth > 4) problems.push({ line, field: 'titre', message: `titre de niveau ${node.depth} non pris en charge : utilisez ##, ### ou ####` });
        return true;
      case 'image':
        // On the page an image is a figure with its credits, which no paragraph may hold.
        if (parent?.type === 'tableCell') {
          problems.push({ line, field: 'image', message: 'image dans un tableau non prise en charge : placez-la avant ou après le tableau' });
        } else if (parent?.type !== 'paragraph' || parent.children.length !== 1) {
          problems.push({ line, field: 'image', message: 'image au milieu d’un texte : placez ![…](…) seule sur sa ligne, précédée et suivie d’une ligne vide' });
        }
        checkImage(node, line, problems, images);
        return false;
      case 'imageReference':
        problems.push({ line, field: 'image', message: 'image par référence ![…][…] non prise en charge : écrivez ![description](/medias/…)' });
        return false;
      case 'table':
        checkTable(node, problems);
        return true;
      case 'list':
        checkTaskList(node, line, problems);
        return true;
      case 'link':
      case 'definition': {
        const scheme = unsafeScheme(node.url);
        if (scheme) {
          problems.push({ line, field: 'lien', message: `adresse de lien interdite (${scheme}:) : utilisez une adresse https:// ou un chemin du site` });
        } else {
          const internal = INTERNAL_ENTRY_URL.exec(node.url);
          if (internal) references.push({ line, field: 'lien', ref: `${internal[1]}/${internal[2]}` });
        }
        return true;
      }
      default:
        return true;
    }
  });
  return { problems, references, images };
}

function checkImage(node: Image, line: number, problems: BodyProblem[], images: BodyImage[]): void {
  const alt = node.alt?.trim() ?? '';
  if (!alt) {
    problems.push({ line, field: 'image', message: 'texte alternatif manquant : décrivez l’image entre les crochets, par exemple ![Le jardin partagé au printemps](…)' });
  } else if (alt.length > MAX_ALT_LENGTH) {
    problems.push({ line, field: 'image', message: `texte alternatif trop long (${alt.length} caractères, ${MAX_ALT_LENGTH} au plus) : gardez l’essentiel, le texte autour dit le reste` });
  }
  if (node.title) problems.push({ line, field: 'image', message: 'titre d’image non pris en charge : retirez le texte entre guillemets ; la légende vient des crédits de l’image' });
  if (/^([a-z][a-z0-9+.-]*:|\/\/)/i.test(node.url)) {
    problems.push({ line, field: 'image', message: 'image externe refusée : téléversez l’image depuis l’éditeur (bouton « Image »), elle sera publiée avec son auteur et sa licence' });
  } else if (!parseMediaSrc(node.url)) {
    problems.push({ line, field: 'image', message: `adresse d’image inconnue (${node.url}) : une image du commun s’écrit /medias/<collection>/<slug>/<nom>.jpg, .png ou .webp ; téléversez l’image depuis l’éditeur` });
  } else {
    images.push({ line, src: node.url, alt });
  }
}

/** GFM ignores cells beyond the header's: the editor would drop them, so they are refused. */
function checkTable(node: Table, problems: BodyProblem[]): void {
  const columns = node.children[0]?.children.length ?? 0;
  for (const row of node.children) {
    if (row.children.length > columns) {
      problems.push({
        line: row.position?.start.line ?? node.position?.start.line ?? 1,
        field: 'tableau',
        message: `${row.children.length} cellules pour ${columns} colonne${columns > 1 ? 's' : ''} : ajoutez la colonne à la première ligne du tableau ou retirez la cellule en trop`,
      });
    }
  }
}

/** A list is a check-list in the editor when each of its items, and only then, has a box. */
function checkTaskList(node: List, line: number, problems: BodyProblem[]): void {
  const tasks = node.children.filter((item) => typeof item.checked === 'boolean').length;
  if (tasks === 0) return;
  if (tasks < node.children.length) {
    problems.push({ line, field: 'liste', message: 'liste mêlant cases à cocher et puces : commencez chaque élément par « [ ] » (ou « [x] » s’il est fait), ou aucun' });
  } else if (node.ordered) {
    problems.push({ line, field: 'liste', message: 'liste numérotée à cocher non prise en charge : écrivez-la avec des tirets, « - [ ] … »' });
  }
}

type JsxElement = Extract<Nodes, { type: 'mdxJsxFlowElement' | 'mdxJsxTextElement' }>;

function checkElement(node: JsxElement, line: number, problems: BodyProblem[], references: BodyReference[]): void {
  const allowed = Object.keys(mdxComponents).join(', ');
  if (!node.name) {
    problems.push({ line, field: '<>', message: `fragment <>…</> interdit : retirez-le (composants autorisés : ${allowed})` });
    return;
  }
  const name = node.name;
  if (forbiddenElements.includes(name.toLowerCase())) {
    problems.push({ line, field: `<${name}>`, message: `balise <${name}> interdite dans un contenu contribué` });
    return;
  }
  const definition = mdxComponents[name];
  if (!definition) {
    const hint = /^[a-z]/.test(name) ? ' ; le HTML brut n’est pas accepté, écrivez en Markdown' : '';
    problems.push({ line, field: `<${name}>`, message: `composant <${name}> non autorisé (composants autorisés : ${allowed})${hint}` });
    return;
  }
  const seen = new Set<string>();
  for (const attribute of node.attributes as (MdxJsxAttribute | MdxJsxExpressionAttribute)[]) {
    if (attribute.type === 'mdxJsxExpressionAttribute') {
      problems.push({ line, field: `<${name}>`, message: 'attribut {…} interdit : écrivez chaque attribut sous la forme nom="valeur"' });
      continue;
    }
    const field = `<${name} ${attribute.name}>`;
    seen.add(attribute.name);
    if (/^on/i.test(attribute.name)) {
      problems.push({ line, field, message: 'gestionnaire d’événement interdit : retirez cet attribut' });
      continue;
    }
    if (typeof attribute.value !== 'string') {
      problems.push({ line, field, message: 'valeur non littérale interdite : écrivez la valeur entre guillemets, par exemple titre="Étape 1"' });
      continue;
    }
    const schema = definition.attributes[attribute.name];
    if (!schema) {
      problems.push({ line, field, message: `attribut inconnu ; attributs admis : ${Object.keys(definition.attributes).join(', ')}` });
      continue;
    }
    if (unsafeScheme(attribute.value)) {
      problems.push({ line, field, message: 'adresse interdite (javascript:, data:…) : utilisez une adresse https:// ou un chemin du site' });
      continue;
    }
    for (const problem of listProblems(schema, attribute.value)) problems.push({ line, field, message: problem.message });
    if (name === 'VoirAussi' && attribute.name === 'cible') references.push({ line, field, ref: attribute.value });
  }
  for (const required of definition.required) {
    if (!seen.has(required)) problems.push({ line, field: `<${name} ${required}>`, message: `attribut obligatoire manquant : ajoutez ${required}="…"` });
  }
  if (definition.kind === 'atom' && node.children.length > 0) {
    problems.push({ line, field: `<${name}>`, message: `<${name}> n’a pas de contenu : écrivez-le fermé, <${name} … />` });
  }
  if (definition.kind === 'table' && (node.children.length !== 1 || node.children[0]!.type !== 'table')) {
    problems.push({ line, field: `<${name}>`, message: `<${name}> entoure un seul tableau : placez le tableau Markdown (| … |) seul entre <${name} …> et </${name}>, séparé par des lignes vides` });
  }
}

function visit(node: Nodes, parent: Parents | undefined, enter: (node: Nodes, parent: Parents | undefined) => boolean): void {
  if (!enter(node, parent)) return;
  if ('children' in node) for (const child of node.children as Nodes[]) visit(child, node, enter);
}
