import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { listProblems } from '../core/parse-input.ts';
import { ficheSchema } from '../schemas/fiches.ts';

describe('a missing field', () => {
  it('reads « champ obligatoire manquant », whatever the kind of field, never « undefined »', () => {
    const messages = listProblems(ficheSchema, { titre: 'Une fiche', resume: 'Un résumé assez long.' }).map((p) => `${p.path.join('.')}: ${p.message}`);
    expect(messages).toContain('difficulte: champ obligatoire manquant');
    expect(messages).toContain('cout: champ obligatoire manquant');
    expect(messages.join('\n')).not.toMatch(/undefined/);
  });

  it('is told apart from a field present with the wrong value', () => {
    const schema = z.object({ titre: z.string(), role: z.enum(['a', 'b']) });
    const messages = listProblems(schema, { titre: 42, role: 'c' }).map((p) => p.message);
    expect(messages).not.toContain('champ obligatoire manquant');
    expect(messages).toHaveLength(2);
  });
});
