/**
 * Roles of accounts and what each may do: one statement, as plain data, read by the server (which
 * enforces it on collaboration writes and the HTTP API) and by the editor (which hides what a role
 * cannot do). Readers need no account: they read the site and open entries read-only.
 */
import { z } from 'zod';
import './french-messages.ts';
import { collections } from './collections.ts';
import { collectionNames, type CollectionName } from './common.ts';

/** Roles, from least to most rights. */
export const roles = ['contributeur', 'relecteur', 'administrateur'] as const;
export type Role = (typeof roles)[number];

/** The role of an account. */
export const roleSchema = z.enum(roles, { error: (issue) => `rôle inconnu « ${String(issue.input)} » : choisissez ${roles.join(', ')}` });

/** What a role may do besides writing in collections. */
export const abilities = ['validation', 'moderation', 'comptes'] as const;
export type Ability = (typeof abilities)[number];

/** French wording of each ability, as refusals and the editor say it. */
export const abilityLabels: Record<Ability, string> = {
  validation: 'valider une entrée (statut « validé »)',
  moderation: 'modérer les signalements et retours des lecteurs',
  comptes: 'gérer les comptes',
};

/** What one role may do. */
export interface RoleRights {
  /** Collections whose entries the role may create and change. */
  collections: readonly CollectionName[];
  /** What else it may do. */
  abilities: readonly Ability[];
}

const contentCollections = ['fiches', 'guides', 'retours', 'structures', 'territoires'] as const satisfies readonly CollectionName[];

/** The matrix: who may write what. Each role has all the rights of the one before it. */
export const roleRights: Record<Role, RoleRights> = {
  contributeur: { collections: contentCollections, abilities: [] },
  relecteur: { collections: contentCollections, abilities: ['validation', 'moderation'] },
  administrateur: { collections: collectionNames, abilities: ['validation', 'moderation', 'comptes'] },
};

/** Whether a role may write entries of a collection. */
export function mayWrite(role: Role, collection: CollectionName): boolean {
  return roleRights[role].collections.includes(collection);
}

/** Whether a role has an ability. */
export function mayDo(role: Role, ability: Ability): boolean {
  return roleRights[role].abilities.includes(ability);
}

/** Why a role may not write a collection, in French, with who may. */
export function writeRefusal(role: Role, collection: CollectionName): string {
  const allowed = roles.filter((r) => mayWrite(r, collection));
  return `votre rôle (${role}) ne permet pas de modifier « ${collections[collection].label} » : réservé ${allowedWording(allowed)}`;
}

/** Why a role may not do something, in French, with who may. */
export function abilityRefusal(role: Role, ability: Ability): string {
  const allowed = roles.filter((r) => mayDo(r, ability));
  return `votre rôle (${role}) ne permet pas de ${abilityLabels[ability]} : réservé ${allowedWording(allowed)}`;
}

function allowedWording(allowed: readonly Role[]): string {
  return allowed.length === 1 ? `au rôle ${allowed[0]}` : `aux rôles ${allowed.slice(0, -1).join(', ')} et ${allowed.at(-1)}`;
}
