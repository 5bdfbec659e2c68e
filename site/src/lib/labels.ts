/** French labels of vocabulary values and collections, as shown on badges, facets and exports. */
import { collections } from '../../../schemas/collections.ts';
import type { MdxCollectionName } from '../../../schemas/common.ts';
import { guideTypes } from '../../../schemas/guides.ts';
import { structureRoles, structureTypes } from '../../../schemas/structures.ts';
import { vocabularies, type VocabularyTerm } from '../../../schemas/vocabularies.ts';

export type VocabularyName = keyof typeof vocabularies;

/** The French label of a vocabulary value (the value itself when unknown). */
export function labelOf(vocabulary: VocabularyName, value: string): string {
  const terms = vocabularies[vocabulary] as Record<string, VocabularyTerm>;
  return terms[value]?.label ?? value;
}

/** The French definition of a vocabulary value, for `title` hints and exports. */
export function definitionOf(vocabulary: VocabularyName, value: string): string | undefined {
  return (vocabularies[vocabulary] as Record<string, VocabularyTerm>)[value]?.definition;
}

/** Values of a vocabulary in their declared order. */
export function valuesOf(vocabulary: VocabularyName): string[] {
  return Object.keys(vocabularies[vocabulary]);
}

/** French label of a guide type, structure type or structure role. */
export function kindLabel(kind: 'guide' | 'structure' | 'role', value: string): string {
  const table: Record<string, string> = kind === 'guide' ? guideTypes : kind === 'structure' ? structureTypes : structureRoles;
  return table[value] ?? value;
}

/** Plural French label of a collection (`Fiches-actions`). */
export function collectionLabel(collection: string): string {
  return collections[collection as MdxCollectionName]?.label ?? collection;
}

/** Singular French label of a collection (`fiche-action`). */
export function singularLabel(collection: string): string {
  return collections[collection as MdxCollectionName]?.singular ?? collection;
}

// Creating an Intl formatter costs ~0.1 ms; list pages format thousands of numbers: make each once.
const numberFormat = new Intl.NumberFormat('fr-FR');
const dateFormat = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeZone: 'Europe/Paris' });
const monthFormat = new Intl.DateTimeFormat('fr-FR', { month: 'long', timeZone: 'UTC' });

/** Formats a population with French digit grouping. */
export function formatNumber(value: number): string {
  return numberFormat.format(value);
}

/** Formats an ISO date as « 3 mars 2025 ». */
export function formatDate(iso: string): string {
  return dateFormat.format(new Date(iso));
}

/** Formats `2021-03` or `2021` as « mars 2021 » or « 2021 ». */
export function formatMonth(value: string): string {
  const [year, month] = value.split('-');
  if (!month) return value;
  const name = monthFormat.format(new Date(Date.UTC(Number(year), Number(month) - 1, 1)));
  return `${name} ${year}`;
}

/** A period of a retour, « depuis mars 2021 » or « de 2019 à 2022 ». */
export function periodLabel(periode: { debut: string; fin?: string | undefined }): string {
  return periode.fin ? `de ${formatMonth(periode.debut)} à ${formatMonth(periode.fin)}` : `depuis ${formatMonth(periode.debut)}`;
}

/** What readers are told about an entry's review, by review state (core/editorial-status.ts). */
export const reviewLabels = {
  brouillon: 'Brouillon',
  propose: 'Proposé — pas encore relu',
  valide: 'Relu et validé',
  modifie: 'Modifié depuis la relecture',
} as const;
