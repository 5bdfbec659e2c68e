/**
 * Templates of new entries: a valid file for each collection, with the body sections a
 * contributor is expected to fill. Pure (no file system), so the editor can use it in a browser.
 */
import { stringify } from 'yaml';
import type { CollectionName } from '../schemas/common.ts';

/** What a new entry needs beyond its title. */
export interface TemplateOptions {
  /** An objectif code to attach a fiche to (default: the first of the référentiel). */
  objectif?: string;
  /** INSEE codes of the territory (retours, territoires). */
  communes?: string[];
  /** Structure slug that accompanied a retour. */
  structure?: string;
}

const bodies: Record<string, string> = {
  fiches: '## Pourquoi agir\n\nÀ compléter : en quoi cette action renforce la résilience du territoire.\n\n## Par où commencer\n\nÀ compléter : les premières étapes, qui mobiliser.\n\n## Points de vigilance\n\nÀ compléter.\n',
  guides: '## À quoi ça sert\n\nÀ compléter.\n\n## Déroulé\n\nÀ compléter : les étapes, leur durée, le matériel.\n\n## Points de vigilance\n\nÀ compléter.\n',
  retours: '## Le contexte\n\nÀ compléter.\n\n## Ce qui a été fait\n\nÀ compléter.\n\n## Ce que l’on en retient\n\nÀ compléter : freins, leviers, résultats observés.\n',
  structures: '## Ce que fait la structure\n\nÀ compléter.\n',
  territoires: '## La démarche du territoire\n\nÀ compléter.\n',
};

/** Builds the file text of a new entry; throws with a French message when an option is missing. */
export function createEntryText(collection: CollectionName, title: string, options: TemplateOptions = {}): string {
  const resume = `À compléter : résumé en une ou deux phrases de « ${title} ».`;
  const tool = {
    phases: ['sensibiliser'],
    difficulte: '1',
    cout: '0',
    duree: 'moins-1-mois',
    acteurs: ['elus'],
    tailles: ['moins-1000'],
    themes: ['gouvernance'],
  };
  let data: Record<string, unknown>;
  switch (collection) {
    case 'fiches':
      data = { titre: title, resume, objectifs: [options.objectif ?? 'SOCI-01-01'], ...tool };
      break;
    case 'guides':
      data = { titre: title, resume, type: 'atelier', ...tool };
      break;
    case 'retours':
      if (!options.communes?.length) throw new Error('un retour d’expérience a besoin du code INSEE de sa commune : ajoutez --insee 86158');
      if (!options.structure) throw new Error('un retour d’expérience a besoin de la structure qui a accompagné : ajoutez --structure la-traverse');
      data = {
        titre: title,
        resume,
        territoire: { nom: title, communes: options.communes },
        periode: { debut: String(new Date().getFullYear()) },
        structures: [options.structure],
        themes: ['gouvernance'],
      };
      break;
    case 'structures':
      data = { titre: title, resume, type: 'association', roles: ['accompagner'], zone_intervention: { nationale: true } };
      break;
    case 'territoires':
      if (!options.communes?.length) throw new Error('un territoire a besoin du code INSEE de ses communes : ajoutez --insee 86158');
      data = { titre: title, resume, communes: options.communes };
      break;
    default:
      throw new Error(`« ${collection} » est un fichier de données : copiez un fichier existant de content/${collection}/ et modifiez-le`);
  }
  data.statut = 'brouillon';
  data.licence = 'CC-BY-SA-4.0';
  return `---\n${stringify(data, { lineWidth: 0 })}---\n\n${bodies[collection]}`;
}
