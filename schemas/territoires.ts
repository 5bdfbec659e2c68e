/**
 * A territoire: an optional page about a commune or a group of communes. Population, département
 * and EPCI are derived from the INSEE codes, never typed by hand.
 */
import { z } from 'zod';
import { entryBase, inseeCode, territoryNature } from './common.ts';

export const territoireSchema = entryBase.extend({
  /** INSEE codes of the communes that make up the territory (one for a commune). */
  communes: z.array(inseeCode).min(1, 'indiquez au moins un code INSEE de commune'),
  /** Kind of territory: a commune, several, or a quartier of the commune given. */
  nature: territoryNature.default('commune'),
});

export type TerritoireInput = z.input<typeof territoireSchema>;
export type Territoire = z.output<typeof territoireSchema>;
