/**
 * The readers' forms (report an error, propose an improvement, tell an experience) as HTML, in one
 * place: the site draws them on entry pages and on « Racontez votre expérience », and the editor
 * server draws them again, filled with what the reader typed, when it sends a form back with a
 * problem — so nothing typed is lost. Plain HTML: they work without JavaScript. Every value is
 * escaped.
 */
import { READER_TEXT_MAX } from '../schemas/reader-contribution.ts';
import { escapeHtml } from './escape-html.ts';

/** Which form, where it posts, and what it is already filled with. */
export interface ReaderFormOptions {
  /** `signalement` (an error or an improvement, about an entry) or `experience`. */
  kind: 'signalement' | 'experience';
  /** Where the form posts (the editor server's `/contribuer`, or its address when the site is hosted elsewhere). */
  action: string;
  /** Prefix of the element ids, unique in the page. */
  idPrefix: string;
  /** The entry the form is about (`fiches/jardin-partage`). */
  entry?: string;
  /** Path of the page the form is on, to lead the reader back. */
  returnPath?: string;
  /** Values to show again (a form sent back with a problem). */
  values?: Partial<Record<'type' | 'texte' | 'nom' | 'email' | 'titre' | 'commune' | 'consentement', string>>;
  /** Most links a text may hold (said in the help text). */
  maxLinks: number;
}

/** The HTML of a reader form. */
export function readerFormHtml(options: ReaderFormOptions): string {
  const { kind, idPrefix: p, values = {} } = options;
  const id = (name: string) => `${p}-${name}`;
  const attr = (value: string | undefined) => escapeHtml(value ?? '');
  const hidden = (name: string, value: string | undefined) => (value ? `<input type="hidden" name="${name}" value="${attr(value)}" />` : '');
  const chosen = values.type ?? (kind === 'experience' ? 'experience' : 'erreur');
  const radio = (value: string, label: string) =>
    `<label class="lecteur-choix"><input type="radio" name="type" value="${value}"${chosen === value ? ' checked' : ''} /> ${label}</label>`;

  const typeField =
    kind === 'experience'
      ? hidden('type', 'experience')
      : `<fieldset class="lecteur-champ"><legend>Que voulez-vous faire ?</legend>${radio('erreur', 'Signaler une erreur')}${radio('amelioration', 'Proposer une amélioration')}</fieldset>`;
  const experienceFields =
    kind === 'experience'
      ? `<p class="lecteur-champ"><label for="${id('titre')}">Titre de votre expérience <span class="hint">(facultatif)</span></label>
<input id="${id('titre')}" name="titre" type="text" maxlength="140" value="${attr(values.titre)}" aria-describedby="${id('titre-aide')}" />
<span id="${id('titre-aide')}" class="hint">Par exemple « Une cantine bio et locale à Saint-Georges ».</span></p>
<p class="lecteur-champ"><label for="${id('commune')}">Commune ou territoire</label>
<input id="${id('commune')}" name="commune" type="text" maxlength="100" autocomplete="address-level2" value="${attr(values.commune)}" aria-describedby="${id('commune-aide')}" />
<span id="${id('commune-aide')}" class="hint">Son nom, ou son code INSEE s’il y a plusieurs communes de ce nom.</span></p>`
      : '';
  const textLabel = kind === 'experience' ? 'Racontez : ce que vous avez fait, avec qui, ce qui a aidé ou freiné, ce que cela a changé' : 'Votre message';
  return `<form class="lecteur-formulaire" action="${attr(options.action)}" method="post" accept-charset="utf-8">
${hidden('entree', options.entry)}${hidden('retour', options.returnPath)}${typeField}
${experienceFields}
<p class="lecteur-champ"><label for="${id('texte')}">${textLabel}</label>
<textarea id="${id('texte')}" name="texte" rows="7" required minlength="20" maxlength="${READER_TEXT_MAX}" aria-describedby="${id('texte-aide')}">${attr(values.texte)}</textarea>
<span id="${id('texte-aide')}" class="hint">Texte simple, sans mise en forme : il est publié tel quel, jamais comme du HTML. ${options.maxLinks} lien${options.maxLinks > 1 ? 's' : ''} au plus, ${READER_TEXT_MAX.toLocaleString('fr-FR')} caractères au plus.</span></p>
<p class="lecteur-champ"><label for="${id('nom')}">Nom à citer</label>
<input id="${id('nom')}" name="nom" type="text" required minlength="2" maxlength="80" autocomplete="name" value="${attr(values.nom)}" aria-describedby="${id('nom-aide')}" />
<span id="${id('nom-aide')}" class="hint">Publié avec votre contribution si elle est retenue ; un prénom ou un pseudonyme convient.</span></p>
<p class="lecteur-champ"><label for="${id('email')}">Adresse e-mail <span class="hint">(facultatif)</span></label>
<input id="${id('email')}" name="email" type="email" maxlength="254" autocomplete="email" value="${attr(values.email)}" aria-describedby="${id('email-aide')}" />
<span id="${id('email-aide')}" class="hint">Seulement pour vous répondre : jamais publiée, effacée dès que votre envoi est traité.</span></p>
<p class="lecteur-piege" aria-hidden="true"><label for="${id('site')}">Laissez ce champ vide</label>
<input id="${id('site')}" name="site_web" type="text" tabindex="-1" autocomplete="off" /></p>
<p class="lecteur-champ lecteur-accord"><input id="${id('accord')}" name="consentement" type="checkbox" value="oui" required${values.consentement === 'oui' ? ' checked' : ''} />
<label for="${id('accord')}">J’accepte que mon texte soit publié sous licence <a href="https://creativecommons.org/licenses/by-sa/4.0/deed.fr">CC BY-SA 4.0</a> (libre de réutilisation, en citant mon nom) s’il est retenu par l’équipe de relecture.</label></p>
<p><button type="submit">Envoyer</button> <span class="hint">Rien n’est publié avant d’avoir été relu.</span></p>
</form>`;
}
