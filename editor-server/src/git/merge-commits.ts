/**
 * Brings commits fetched from another repository (the remote, an upstream commons) into the
 * commons' branch without ever rewriting history: nothing to do when they are already in it, a
 * fast-forward when the branch has nothing of its own, otherwise a merge commit whose parents are
 * both sides. In that merge, a file changed on one side only takes that side; an entry changed on
 * both sides is merged through the Yjs bridge (`core/bridge/merge-entries.ts`), which keeps both
 * versions of what cannot be merged and reports it for a reviewer. Must run in the Git queue.
 */
import { mergeEntryTexts } from '../../../core/bridge/merge-entries.ts';
import { parseDocumentName } from '../../../core/document-name.ts';
import { ProblemError } from '../../../core/problem.ts';
import { changedFiles, commitMerge, findMergeBase, isAncestor, listFilesAt, moveBranch, readBlobOid, readFileAt, readHead, type BeforeRefUpdate, type GitIdentity } from './commons-repo.ts';

/** An entry (or file) a merge could not reconcile, kept in both versions for a reviewer. */
export interface MergeConflict {
  /** Path in the commons (`fiches/x.mdx`). */
  file: string;
  /** What conflicted: fields, `corps`, or `fichier` for a whole file. */
  fields: string[];
}

/** What integrating fetched commits did. */
export type MergeOutcome =
  | { kind: 'up-to-date'; head: string }
  | { kind: 'fast-forward'; head: string }
  | { kind: 'merged'; head: string; merged: string[]; conflicts: MergeConflict[] };

/** How a merge is described and signed. */
export interface MergeOptions {
  /** The other side, as the merge message and the conflict boxes name it (« du dépôt distant »). */
  theirsLabel: string;
  /** First line of the merge commit message. */
  subject: string;
  committer: GitIdentity;
  /** Before the branch moves (several servers: the writer pushes, fenced, as for its commits). */
  beforeRefUpdate?: BeforeRefUpdate;
}

/** How many times a merge is tried again when HEAD moves during the attempt. */
const MAX_ATTEMPTS = 5;

/** Brings `theirs` into the current branch (fast-forward or merge commit). */
export async function integrateCommit(repoDir: string, theirs: string, options: MergeOptions): Promise<MergeOutcome> {
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const ours = await readHead(repoDir);
    if (await isAncestor(repoDir, theirs, ours)) return { kind: 'up-to-date', head: ours };
    if (await isAncestor(repoDir, ours, theirs)) {
      if (await moveBranch(repoDir, ours, theirs, options.beforeRefUpdate)) return { kind: 'fast-forward', head: theirs };
      continue;
    }
    const outcome = await mergeDiverged(repoDir, ours, theirs, options);
    if (outcome) return outcome;
  }
  throw new Error('HEAD déplacé pendant chaque essai de fusion');
}

async function mergeDiverged(repoDir: string, ours: string, theirs: string, options: MergeOptions): Promise<MergeOutcome | undefined> {
  const base = await findMergeBase(repoDir, ours, theirs);
  // Unrelated histories (a forge repository created with a README): everything is new on both sides.
  const [oursChanged, theirsChanged] = base
    ? await Promise.all([changedFiles(repoDir, base, ours), changedFiles(repoDir, base, theirs)])
    : await Promise.all([listFilesAt(repoDir, ours), listFilesAt(repoDir, theirs)]);
  const ourSet = new Set(oursChanged);
  const changes = new Map<string, { text: string } | { oid: string } | null>();
  const merged: string[] = [];
  const conflicts: MergeConflict[] = [];
  const short = theirs.slice(0, 7);
  for (const file of theirsChanged) {
    const theirOid = await readBlobOid(repoDir, theirs, file);
    if (!ourSet.has(file)) {
      changes.set(file, theirOid === undefined ? null : { oid: theirOid });
      continue;
    }
    const ourOid = await readBlobOid(repoDir, ours, file);
    if (ourOid === theirOid) continue;
    merged.push(file);
    // One side deleted what the other changed: the changed file stays, and someone decides.
    if (ourOid === undefined || theirOid === undefined) {
      if (ourOid === undefined) changes.set(file, { oid: theirOid! });
      conflicts.push({ file, fields: ['fichier'] });
      continue;
    }
    const address = parseDocumentName(file.replace(/\.(mdx|yaml)$/, ''));
    if ('refused' in address || address.path !== file) {
      // Not an entry (a medium, .mailmap…): this side's version stays; theirs is in the history.
      conflicts.push({ file, fields: ['fichier'] });
      continue;
    }
    const [baseText, ourText, theirText] = await Promise.all([
      base ? readFileAt(repoDir, base, file) : undefined,
      readFileAt(repoDir, ours, file),
      readFileAt(repoDir, theirs, file),
    ]);
    try {
      const result = mergeEntryTexts(baseText, ourText!, theirText!, address.collection, `${options.theirsLabel} (commit ${short})`);
      changes.set(file, { text: result.text });
      if (result.conflicts.length > 0) conflicts.push({ file, fields: result.conflicts.map((c) => c.field) });
    } catch (error) {
      if (!(error instanceof ProblemError)) throw error;
      // A side the bridge cannot read: keep ours whole; theirs stays in the history.
      conflicts.push({ file, fields: ['fichier'] });
    }
  }
  const message = [
    options.subject,
    '',
    `Fusion de ${short} ${options.theirsLabel}.`,
    ...(merged.length ? ['', 'Modifié des deux côtés :', ...merged.map((f) => `- ${f}`)] : []),
    ...(conflicts.length ? ['', 'À relire (les deux versions sont gardées) :', ...conflicts.map((c) => `- ${c.file} : ${c.fields.join(', ')}`)] : []),
    '',
  ].join('\n');
  const head = await commitMerge(repoDir, ours, theirs, changes, message, options.committer, options.beforeRefUpdate);
  return head ? { kind: 'merged', head, merged, conflicts } : undefined;
}
