/**
 * The safe MDX subset: Markdown plus the allow-listed components of `schemas/mdx-components.ts`
 * with literal attributes. Contributed MDX is code at build time, so anything else is refused
 * here, with its line, before it can reach a build.
 */
import type { Root, Nodes } from 'mdast';
import type { MdxJsxAttribute, MdxJsxExpressionAttribute } from 'mdast-util-mdx';
import { forbiddenElements, mdxComponents } from '../schemas/mdx-components.ts';
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
const INTERNAL_ENTRY_URL = /^\/(fiches|guides|retours|structures|territoires)\/([^/#?]+)\/?(?:[#?].*)?$/;
/** Checks a body against the safe subset; returns the problems and the entry references found. */
export function checkMdxBody(body: string): { problems: BodyProblem[]; references: BodyReference[] } {
  let tree: Root;
  try {
    tree = parseMdxBody(body);
  } catch (error) {
    if (!(error instanceof ProblemError)) throw error;
    return { problems: error.problems as BodyProblem[], references: [] };
  }
  return checkMdxTree(tree);
}

/** Checks a parsed body against the safe subset (the site checks again what it renders). */
export function checkMdxTree(tree: Root): { problems: BodyProblem[]; references: BodyReference[] } {
  const problems: BodyProblem[] = [];
  const references: BodyReference[] = [];
  visit(tree, (node) => {
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
        problems.push({ line, field: 'image', message: 'image non prise en charge dans le corps : proposez le fichier avec <Ressource href="…" titre="…" />' });
        return false;
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
  return { problems, references };
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
}

function visit(node: Nodes, enter: (node: Nodes) => boolean): void {
  if (!enter(node)) return;
  if ('children' in node) for (const child of node.children as Nodes[]) visit(child, enter);
}
