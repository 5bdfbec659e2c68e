/** The zod enum of a controlled vocabulary, kept apart so `vocabularies.ts` stays plain data. */
import { z } from 'zod';
import type { Vocabulary } from './vocabularies.ts';

/** Builds a zod enum from a vocabulary, with an error that lists the allowed values. */
export function vocabularyEnum<K extends string>(vocabulary: Vocabulary<K>, name: string) {
  const keys = Object.keys(vocabulary) as [K, ...K[]];
  return z.enum(keys, {
    error: (issue) =>
      issue.input === undefined
        ? 'champ obligatoire manquant'
        : `valeur ${JSON.stringify(issue.input)} inconnue pour « ${name} » ; valeurs admises : ${keys.join(', ')}`,
  });
}
