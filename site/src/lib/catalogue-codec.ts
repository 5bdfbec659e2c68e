/**
 * The guided path's catalogue as written to /parcours/catalogue.json: one short array per tool and
 * per retour, vocabulary values as indexes (a list as one string of base-36 digits, in its order:
 * a tool's first phase is its main one), URLs as slugs, no summaries. A
 * recommendation needs only facets and titles; written as objects with summaries, the catalogue
 * weighed about 0.5 kB per tool (several MB for a commons of 10,000 entries).
 */
import { acteurs, couts, difficultes, phases, tailles, themes } from '../../../schemas/vocabularies.ts';
import type { Catalogue, CatalogueRetour, CatalogueTool } from './recommend.ts';

/** A tool: kind (0 fiche, 1 guide), slug, title, then phases, difficulté, coût, acteurs, tailles, thèmes, and 1 when validated. */
type PackedTool = [kind: 0 | 1, slug: string, titre: string, phases: string, difficulte: number, cout: number, acteurs: string, tailles: string, themes: string, reviewed?: 1];
/** A retour: slug, title, territory name, size index (-1 when unknown), thèmes, and 1 when validated. */
type PackedRetour = [slug: string, titre: string, territoire: string, taille: number, themes: string, reviewed?: 1];

/** The catalogue as it travels to the browser. */
export interface PackedCatalogue {
  /** Format version, bumped when the arrays change shape. */
  v: 2;
  t: PackedTool[];
  r: PackedRetour[];
}

const order = {
  phases: Object.keys(phases),
  difficultes: Object.keys(difficultes),
  couts: Object.keys(couts),
  acteurs: Object.keys(acteurs),
  tailles: Object.keys(tailles),
  themes: Object.keys(themes),
};

const packList = (values: readonly string[], all: string[]) => values.map((value) => all.indexOf(value).toString(36)).join('');
const unpackList = <T extends string>(digits: string, all: string[]) => [...digits].map((digit) => all[parseInt(digit, 36)]) as T[];
const slugOf = (url: string) => url.split('/')[2]!;

/** Packs a catalogue for the browser (summaries are left out). */
export function packCatalogue(catalogue: Catalogue): PackedCatalogue {
  return {
    v: 2,
    t: catalogue.tools.map((tool): PackedTool => [
      tool.collection === 'fiches' ? 0 : 1,
      slugOf(tool.url),
      tool.titre,
      packList(tool.phases, order.phases),
      order.difficultes.indexOf(tool.difficulte),
      order.couts.indexOf(tool.cout),
      packList(tool.acteurs, order.acteurs),
      packList(tool.tailles, order.tailles),
      packList(tool.themes, order.themes),
      ...(tool.reviewed ? ([1] as const) : ([] as const)),
    ]),
    r: catalogue.retours.map((retour): PackedRetour => [
      slugOf(retour.url),
      retour.titre,
      retour.territoire,
      retour.taille ? order.tailles.indexOf(retour.taille) : -1,
      packList(retour.themes, order.themes),
      ...(retour.reviewed ? ([1] as const) : ([] as const)),
    ]),
  };
}

/** Unpacks the catalogue fetched by the browser. */
export function unpackCatalogue(packed: PackedCatalogue): Catalogue {
  const tools = packed.t.map(([kind, slug, titre, phaseList, difficulte, cout, acteurList, tailleList, themeList, reviewed]): CatalogueTool => {
    const collection = kind === 0 ? 'fiches' : 'guides';
    return {
      collection,
      url: `/${collection}/${slug}/`,
      titre,
      phases: unpackList(phaseList, order.phases),
      difficulte: order.difficultes[difficulte] as CatalogueTool['difficulte'],
      cout: order.couts[cout] as CatalogueTool['cout'],
      acteurs: unpackList(acteurList, order.acteurs),
      tailles: unpackList(tailleList, order.tailles),
      themes: unpackList(themeList, order.themes),
      ...(reviewed ? { reviewed: true as const } : {}),
    };
  });
  const retours = packed.r.map(([slug, titre, territoire, taille, themeList, reviewed]): CatalogueRetour => ({
    url: `/retours/${slug}/`,
    titre,
    territoire,
    ...(taille >= 0 ? { taille: order.tailles[taille] as CatalogueRetour['taille'] } : {}),
    themes: unpackList(themeList, order.themes),
    ...(reviewed ? { reviewed: true as const } : {}),
  }));
  return { tools, retours };
}
