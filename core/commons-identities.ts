/**
 * Who may appear in the history of a commons, and who may be named as an author. People write;
 * machines only carry their work: the server commits on behalf of contributors, imports and
 * maintenance rewrite files. Those technical identities are never credited. A `.mailmap` at the
 * root of every commons maps them to the commons' own collective, « Contributeurs de Terreau » (an
 * organisation), and the history reader (`git-history.ts`, with `%aN`/`%aE`) sees only that name.
 */

/** A name and an e-mail address, as Git records them. */
export interface Identity {
  name: string;
  email: string;
}

/** The collective of everyone who wrote the commons: credited for the initial import, as an organisation. */
export const commonsCollective: Identity = { name: 'Contributeurs de Terreau', email: 'contributeurs@terreau.invalid' };

/** The committer of every commit the editor server makes (its authors are the contributors). */
export const serverIdentity: Identity = { name: 'Serveur Terreau', email: 'serveur@terreau.invalid' };

/** The author of the commit that creates a commons from the seed content. */
export const importIdentity: Identity = { name: 'Import Terreau', email: 'import@terreau.invalid' };

/** The author of maintenance commits (formatting, migrations): they change files, not what they say. */
export const maintenanceIdentity: Identity = { name: 'Maintenance Terreau', email: 'maintenance@terreau.invalid' };

const technicalEmails = new Set([serverIdentity, importIdentity, maintenanceIdentity].map((identity) => identity.email.toLowerCase()));

/**
 * The `.mailmap` of a new commons: every technical identity (and any other given, such as a
 * configured committer) mapped to the collective. Git applies it to `%aN`/`%aE`.
 */
export function commonsMailmap(others: readonly Identity[] = []): string {
  const mapped = new Map<string, Identity>();
  for (const identity of [serverIdentity, importIdentity, maintenanceIdentity, ...others]) mapped.set(identity.email.toLowerCase(), identity);
  const collective = `${commonsCollective.name} <${commonsCollective.email}>`;
  return [
    '# Identités techniques du commun : elles ne sont jamais créditées comme autrices.',
    '# Git les remplace par le collectif « Contributeurs de Terreau » (git log --format=%aN).',
    ...[...mapped.values()].map((identity) => `${collective} ${identity.name} <${identity.email}>`),
    '',
  ].join('\n');
}

/**
 * Whether an identity stands for the commons' collective rather than a person: the collective
 * itself, or a technical identity met in a commons that has no `.mailmap` yet.
 */
export function isCommonsCollective(identity: Identity): boolean {
  const email = identity.email.toLowerCase();
  return email === commonsCollective.email || technicalEmails.has(email);
}

/** The people of a list of identities (the collective and technical identities left out), in order. */
export function peopleAmong<T extends Identity>(identities: readonly T[]): T[] {
  return identities.filter((identity) => !isCommonsCollective(identity));
}

/** The name to show for an identity: a person's own name, or the collective's for technical identities. */
export function creditedName(identity: Identity): string {
  return isCommonsCollective(identity) ? commonsCollective.name : identity.name;
}
