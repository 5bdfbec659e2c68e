/**
 * The roadmap as HTML. One renderer for the pre-rendered parcours types (at build) and for the
 * reader's own roadmap (in the browser), so both read and print the same way.
 */
import { couts, difficultes, phases, tailles, themes, type Theme } from '../../../../schemas/vocabularies.ts';
import { escapeHtml } from '../../../../core/escape-html.ts';
import { moyens, profils, situations, type RecommendedRetour, type RecommendedTool, type Roadmap } from '../../lib/recommend.ts';

/** How the reader's territory is described above the roadmap, when it came from an INSEE code. */
export interface RoadmapContext {
  /** « Jazeneuil (86158), 812 habitants ». */
  commune?: string;
  /** Address of this roadmap, printed so that the paper copy leads back to it. */
  address?: string;
}

const themeList = (values: Theme[]) => values.map((t) => themes[t].label).join(', ');

/** Renders a roadmap under a level-2 heading the page provides (steps are level 3). */
export function renderRoadmap(roadmap: Roadmap, context: RoadmapContext = {}): string {
  const { answers } = roadmap;
  const facts = [
    context.commune ?? (answers.taille ? tailles[answers.taille].label : 'Toutes tailles de territoire'),
    answers.profil ? profils[answers.profil].label : undefined,
    situations[answers.situation].label,
    moyens[answers.moyens].label,
    answers.themes.length > 0 ? `Thèmes : ${themeList(answers.themes)}` : undefined,
  ].filter((fact): fact is string => fact !== undefined);
  const steps = roadmap.steps.map((step, i) => {
    const phase = phases[step.phase];
    const tools = step.tools.length
      ? `<ul class="roadmap__tools">${step.tools.map(renderTool).join('')}</ul>`
      : '<p class="roadmap__empty">Aucun outil de cette phase ne correspond encore à vos moyens et à la taille de votre territoire : parcourez les listes ci-dessous, ou proposez un outil.</p>';
    return `<li class="roadmap__step">
<h3><span class="roadmap__num">Étape ${i + 1}</span> ${escapeHtml(phase.label)}</h3>
<p class="roadmap__phase">${escapeHtml(phase.definition)}</p>
${tools}
<p class="roadmap__more no-print">Voir aussi <a href="/fiches/filtre/phase/${step.phase}/">toutes les fiches « ${escapeHtml(phase.label)} »</a> et <a href="/guides/filtre/phase/${step.phase}/">tous les guides de cette phase</a>.</p>
</li>`;
  });
  const retours = roadmap.retours.length
    ? `<ul class="roadmap__retours">${roadmap.retours.map(renderRetour).join('')}</ul>`
    : '<p>Pas encore de retour d’expérience d’un territoire de cette taille. <a href="/retours/">Tous les retours d’expérience</a>.</p>';
  return `<ul class="badges roadmap__facts" aria-label="Vos réponses">${facts.map((f) => `<li class="badge">${escapeHtml(f)}</li>`).join('')}</ul>
<p class="roadmap__intro">${escapeHtml(situations[answers.situation].intro)}</p>
<ol class="roadmap__steps">${steps.join('')}</ol>
<h2>${answers.taille ? 'Des territoires comme le vôtre' : 'Des retours d’expérience à lire'}</h2>
${retours}
${context.address ? `<p class="print-only roadmap__address">Feuille de route établie sur Terreau : ${escapeHtml(context.address)}</p>` : ''}`;
}

function renderTool(tool: RecommendedTool): string {
  const kind = tool.collection === 'fiches' ? 'Fiche-action' : 'Guide';
  const badges = [
    `Difficulté : ${difficultes[tool.difficulte].label}`,
    `Coût : ${couts[tool.cout].label}`,
    ...(tool.sharedThemes.length ? [`Thèmes : ${themeList(tool.sharedThemes)}`] : []),
    tool.reviewed ? 'Relu et validé' : 'Proposé — pas encore relu',
  ];
  return `<li class="roadmap__tool">
<h4><span class="roadmap__kind">${kind}</span> <a href="${tool.url}">${escapeHtml(tool.titre)}</a></h4>
${tool.resume ? `<p>${escapeHtml(tool.resume)}</p>` : ''}
<ul class="badges">${badges.map((b) => `<li class="badge">${escapeHtml(b)}</li>`).join('')}</ul>
${tool.repeated ? '<p class="muted">Déjà proposé à une étape précédente : rien d’autre ne correspond encore à vos moyens pour cette phase.</p>' : ''}
</li>`;
}

function renderRetour(retour: RecommendedRetour): string {
  const why =
    retour.likeness === 'meme-taille' && retour.taille
      ? `Territoire de même taille (${tailles[retour.taille].label})`
      : retour.likeness === 'taille-voisine' && retour.taille
        ? `Territoire de taille voisine (${tailles[retour.taille].label})`
        : undefined;
  const reasons = [
    why,
    retour.sharedThemes.length ? `Thèmes en commun : ${themeList(retour.sharedThemes)}` : undefined,
    retour.reviewed ? 'Relu et validé' : 'Proposé — pas encore relu',
  ].filter(Boolean).join(' · ');
  return `<li><a href="${retour.url}">${escapeHtml(retour.titre)}</a> <span class="muted">— ${escapeHtml(retour.territoire)}.${reasons ? ` ${escapeHtml(reasons)}.` : ''}</span></li>`;
}
