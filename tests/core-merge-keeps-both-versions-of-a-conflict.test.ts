import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFLICT_TITLE, mergeEntryTexts } from '../core/bridge/merge-entries.ts';
import { normalizeEntryText } from '../core/bridge/mdx-yjs.ts';
import { checkMdxBody } from '../core/mdx-safety.ts';
import { splitFrontmatter } from '../core/frontmatter.ts';

const base = normalizeEntryText(readFileSync(join(import.meta.dirname, '../content/fiches/jardin-partage.mdx'), 'utf8'), 'fiches');
const label = 'du dépôt distant (commit 1234567)';
const firstParagraph = /^Un jardin partagé ne nourrira pas.*$/m;

function merge(ours: string, theirs: string) {
  const merged = mergeEntryTexts(base, ours, theirs, 'fiches', label);
  // The merge is a valid entry of the safe subset, whatever happened.
  expect(checkMdxBody(splitFrontmatter(merged.text).body).problems).toEqual([]);
  return merged;
}

describe('merging an entry changed on both sides', () => {
  it('keeps both sides’ changes to different fields and passages, with no conflict', () => {
    const ours = base.replace(/^resume: .*$/m, 'resume: Un résumé réécrit ici, dans ce commun.').replace(/\n$/, '\n\nUn paragraphe ajouté ici.\n');
    const theirs = base.replace(firstParagraph, 'Un premier paragraphe réécrit sur le dépôt distant.');
    const { text, conflicts } = merge(ours, theirs);
    expect(conflicts).toEqual([]);
    expect(text).toMatch(/^resume: "?Un résumé réécrit ici, dans ce commun\."?$/m);
    expect(text).toContain('Un premier paragraphe réécrit sur le dépôt distant.');
    expect(text.match(/Un paragraphe ajouté ici\./g)).toHaveLength(1);
    expect(text).not.toMatch(firstParagraph);
    expect(text).not.toContain(CONFLICT_TITLE);
  });

  it('adds a change made alike on both sides once', () => {
    const both = base.replace(/\n$/, '\n\nLe même ajout des deux côtés.\n');
    const { text, conflicts } = merge(both, both.replace(/^titre: .*$/m, 'titre: Créer un jardin partagé ensemble'));
    expect(conflicts).toEqual([]);
    expect(text.match(/Le même ajout des deux côtés\./g)).toHaveLength(1);
    expect(text).toMatch(/^titre: "?Créer un jardin partagé ensemble"?$/m);
  });

  it('keeps this side’s version of a passage changed on both sides, the other right after it in a box, and flags it', () => {
    const ours = base.replace(firstParagraph, 'Le marché a lieu le dimanche, version de ce commun.');
    const theirs = base.replace(firstParagraph, 'Le marché a lieu le vendredi, version distante.');
    const { text, conflicts } = merge(ours, theirs);
    expect(conflicts).toEqual([{ field: 'corps' }]);
    const mine = text.indexOf('Le marché a lieu le dimanche, version de ce commun.');
    const box = text.indexOf(`<Encadre type="attention" titre="${CONFLICT_TITLE}">`);
    const other = text.indexOf('Le marché a lieu le vendredi, version distante.');
    expect(mine).toBeGreaterThan(0);
    expect(box).toBeGreaterThan(mine);
    expect(other).toBeGreaterThan(box);
    expect(text).toContain(label);
    // Nothing interleaved character by character, nothing duplicated.
    expect(text.match(/Le marché a lieu le dimanche/g)).toHaveLength(1);
    expect(text.match(/Le marché a lieu le vendredi/g)).toHaveLength(1);
  });

  it('keeps this side’s value of a field changed on both sides, notes the other one, and asks for a new review', () => {
    const validated = base.replace(/^statut: .*$/m, 'statut: valide');
    const ours = validated.replace(/^resume: .*$/m, 'resume: Le résumé de ce commun, modifié ici.');
    const theirs = validated.replace(/^resume: .*$/m, 'resume: Le résumé du dépôt distant, modifié là-bas.');
    const merged = mergeEntryTexts(validated, ours, theirs, 'fiches', label);
    expect(merged.conflicts).toEqual([{ field: 'resume' }]);
    expect(merged.text).toMatch(/^resume: "?Le résumé de ce commun, modifié ici\."?$/m);
    expect(merged.text).toContain('resume — version du dépôt distant (commit 1234567) : « Le résumé du dépôt distant, modifié là-bas. »');
    expect(merged.text).toMatch(/^statut: propose$/m);
  });

  it('keeps the passage one side deleted and the other changed', () => {
    const ours = base.replace(firstParagraph, '');
    const theirs = base.replace(firstParagraph, 'Une version améliorée sur le dépôt distant.');
    const { text, conflicts } = merge(ours, theirs);
    expect(conflicts).toEqual([{ field: 'corps' }]);
    expect(text).toContain('Une version améliorée sur le dépôt distant.');
    expect(text).toContain('supprimé dans ce commun');
  });
});
