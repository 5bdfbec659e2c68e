/**
 * The French stemmer of the Snowball project (version 2.2, the one Pagefind indexes French pages
 * with), written from its published description (snowballstem.org/algorithms/french). The search
 * page uses it to tell, in a shard of the index, a word found from the one searched from a word
 * Pagefind fell back to because that shard holds none (site/src/components/recherche/sharded-search.ts).
 * Takes one lowercase word; returns its stem.
 */

const VOWELS = new Set('aeiouyâàëéêèïîôûù');
const isVowel = (char: string | undefined) => char !== undefined && VOWELS.has(char);

/** Standard suffixes of step 1, longest first within each group that shares an ending. */
const STEP1 = [
  'issements', 'issement', 'atrices', 'atrice', 'ateurs', 'ateur', 'ations', 'ation', 'logies', 'logie',
  'usions', 'usion', 'utions', 'ution', 'amment', 'emment', 'ements', 'ement', 'ments', 'ment',
  'iqUes', 'iqUe', 'ances', 'ance', 'ences', 'ence', 'ables', 'able', 'ismes', 'isme', 'istes', 'iste',
  'euses', 'euse', 'ités', 'ité', 'ives', 'ive', 'ifs', 'if', 'eaux', 'aux', 'eux',
].sort((a, b) => b.length - a.length);

/** Verb suffixes beginning with i (step 2a), removed after a non-vowel. */
const STEP2A = [
  'issantes', 'issaIent', 'issants', 'issante', 'iraIent', 'issions', 'issiez', 'issais', 'issait', 'issant', 'issent', 'issons', 'issez',
  'isses', 'irions', 'irais', 'irait', 'irent', 'iriez', 'irons', 'iront', 'isse', 'irai', 'iras', 'irez', 'îmes', 'îtes',
  'ira', 'ies', 'ir', 'is', 'it', 'ie', 'ît', 'i',
].sort((a, b) => b.length - a.length);

/** Other verb suffixes (step 2b) and what removing them needs. */
const STEP2B: [string, 'R2' | 'always' | 'after-e'][] = (
  [
    ['ions', 'R2'],
    ...['é', 'ée', 'ées', 'és', 'èrent', 'er', 'era', 'erai', 'eraIent', 'erais', 'erait', 'eras', 'erez', 'eriez', 'erions', 'erons', 'eront', 'ez', 'iez'].map((s) => [s, 'always']),
    ...['âmes', 'ât', 'âtes', 'a', 'ai', 'aIent', 'ais', 'ait', 'ant', 'ante', 'antes', 'ants', 'as', 'asse', 'assent', 'asses', 'assiez', 'assions'].map((s) => [s, 'after-e']),
  ] as [string, 'R2' | 'always' | 'after-e'][]
).sort((a, b) => b[0].length - a[0].length);

/** Residual suffixes (step 4), searched in RV. */
const STEP4 = ['Ière', 'ière', 'Ier', 'ier', 'ion', 'e'];

const DOUBLES = ['eill', 'enn', 'onn', 'ett', 'ell'];

/** The Snowball French stem of a lowercase word. */
export function frenchStem(input: string): string {
  let word = markVowels(input);
  const { rv, r1, r2 } = regions(word);
  const inRV = (suffix: string) => word.length - suffix.length >= rv;
  const inR1 = (suffix: string) => word.length - suffix.length >= r1;
  const inR2 = (suffix: string) => word.length - suffix.length >= r2;
  const cut = (suffix: string, by = '') => (word = word.slice(0, word.length - suffix.length) + by);
  const before = (suffix: string) => word.slice(0, word.length - suffix.length);

  // Step 1; `verbStepNext` when steps 2a/2b still apply (no change, or an adverb in -ment).
  let changed = false;
  let verbStepNext = true;
  const suffix = STEP1.find((s) => word.endsWith(s));
  if (suffix) {
    const rest = before(suffix);
    switch (suffix) {
      case 'iqUe': case 'iqUes': case 'ance': case 'ances': case 'able': case 'ables': case 'isme': case 'ismes': case 'iste': case 'istes': case 'eux':
        if (inR2(suffix)) cut(suffix), (changed = true);
        break;
      case 'atrice': case 'atrices': case 'ation': case 'ations': case 'ateur': case 'ateurs':
        if (inR2(suffix)) {
          cut(suffix);
          changed = true;
          if (word.endsWith('ic')) (inR2('ic') ? cut('ic') : cut('ic', 'iqU'));
        }
        break;
      case 'logie': case 'logies':
        if (inR2(suffix)) cut(suffix, 'log'), (changed = true);
        break;
      case 'usion': case 'usions': case 'ution': case 'utions':
        if (inR2(suffix)) cut(suffix, 'u'), (changed = true);
        break;
      case 'ence': case 'ences':
        if (inR2(suffix)) cut(suffix, 'ent'), (changed = true);
        break;
      case 'ement': case 'ements':
        if (inRV(suffix)) {
          cut(suffix);
          changed = true;
          if (word.endsWith('iv')) {
            if (inR2('iv')) {
              cut('iv');
              if (word.endsWith('at') && inR2('at')) cut('at');
            }
          } else if (word.endsWith('eus')) {
            if (inR2('eus')) cut('eus');
            else if (inR1('eus')) cut('eus', 'eux');
          } else if (word.endsWith('abl') || word.endsWith('iqU')) {
            if (inR2('abl')) cut('abl');
          } else if (word.endsWith('ièr') || word.endsWith('Ièr')) {
            if (inRV('ièr')) cut('ièr', 'i');
          }
        }
        break;
      case 'ité': case 'ités':
        if (inR2(suffix)) {
          cut(suffix);
          changed = true;
          if (word.endsWith('abil')) inR2('abil') ? cut('abil') : cut('abil', 'abl');
          else if (word.endsWith('ic')) inR2('ic') ? cut('ic') : cut('ic', 'iqU');
          else if (word.endsWith('iv') && inR2('iv')) cut('iv');
        }
        break;
      case 'if': case 'ive': case 'ifs': case 'ives':
        if (inR2(suffix)) {
          cut(suffix);
          changed = true;
          if (word.endsWith('at') && inR2('at')) {
            cut('at');
            if (word.endsWith('ic')) inR2('ic') ? cut('ic') : cut('ic', 'iqU');
          }
        }
        break;
      case 'eaux':
        cut(suffix, 'eau');
        changed = true;
        break;
      case 'aux':
        if (inR1(suffix)) cut(suffix, 'al'), (changed = true);
        break;
      case 'euse': case 'euses':
        if (inR2(suffix)) cut(suffix), (changed = true);
        else if (inR1(suffix)) cut(suffix, 'eux'), (changed = true);
        break;
      case 'issement': case 'issements':
        if (inR1(suffix) && !isVowel(rest.at(-1))) cut(suffix), (changed = true);
        break;
      case 'amment':
        if (inRV(suffix)) cut(suffix, 'ant');
        break;
      case 'emment':
        if (inRV(suffix)) cut(suffix, 'ent');
        break;
      case 'ment': case 'ments':
        if (isVowel(rest.at(-1)) && rest.length - 1 >= rv) cut(suffix);
        break;
    }
    verbStepNext = !changed;
  }

  if (verbStepNext) {
    // Step 2a, then 2b if 2a removed nothing; the suffix (and what it needs before it) lies in RV.
    const iVerb = STEP2A.find((s) => word.endsWith(s) && inRV(s));
    const preceding = iVerb && before(iVerb).length - 1 >= rv ? before(iVerb).at(-1) : undefined;
    if (iVerb && preceding !== undefined && !isVowel(preceding) && preceding !== 'H') {
      cut(iVerb);
      changed = true;
    } else {
      const verb = STEP2B.find(([s]) => word.endsWith(s) && inRV(s));
      if (verb) {
        const [s, condition] = verb;
        if (condition === 'always' || (condition === 'R2' && inR2(s))) cut(s), (changed = true);
        else if (condition === 'after-e') {
          cut(s);
          changed = true;
          if (word.endsWith('e') && inRV('e')) cut('e');
        }
      }
    }
  }

  if (changed) {
    // Step 3.
    if (word.endsWith('Y')) cut('Y', 'i');
    else if (word.endsWith('ç')) cut('ç', 'c');
  } else {
    // Step 4: a final s (after ï, or after anything but a, i, o, u, è and s), then a residual suffix in RV.
    if (word.endsWith('s') && (word.endsWith('His') || !'aiouès'.includes(word.at(-2) ?? 'a'))) cut('s');
    const residual = STEP4.find((s) => word.endsWith(s) && inRV(s));
    if (residual === 'ion') {
      if (inR2('ion') && /[st]$/.test(before('ion')) && before('ion').length - 1 >= rv) cut('ion');
    } else if (residual === 'e') {
      cut('e');
    } else if (residual) {
      cut(residual, 'i');
    }
  }

  // Step 5: undouble.
  if (DOUBLES.some((d) => word.endsWith(d))) word = word.slice(0, -1);
  // Step 6: é or è before a final run of non-vowels loses its accent.
  const accent = /[éè](?=[^aeiouyâàëéêèïîôûù]+$)/.exec(word);
  if (accent) word = `${word.slice(0, accent.index)}e${word.slice(accent.index + 1)}`;
  return unmark(word);
}

/** The prelude: u, i and y that act as consonants are upper-cased; ë and ï become He and Hi. */
function markVowels(word: string): string {
  const chars = [...word];
  let out = '';
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    const prev = out.at(-1);
    const next = chars[i + 1];
    if ((c === 'u' || c === 'i') && isVowel(prev) && isVowel(next)) out += c.toUpperCase();
    else if (c === 'y' && (isVowel(prev) || isVowel(next))) out += 'Y';
    else if (c === 'u' && prev === 'q') out += 'U';
    else if (c === 'ë') out += 'He';
    else if (c === 'ï') out += 'Hi';
    else out += c;
  }
  return out;
}

function unmark(word: string): string {
  return word.replace(/He/g, 'ë').replace(/Hi/g, 'ï').replace(/H/g, '').replace(/[IUY]/g, (c) => c.toLowerCase());
}

/** Where RV, R1 and R2 start (the word's length when a region is empty). */
function regions(word: string): { rv: number; r1: number; r2: number } {
  const n = word.length;
  let rv = n;
  if (isVowel(word[0]) && isVowel(word[1])) rv = Math.min(3, n);
  else if (/^(par|col|tap)/.test(word)) rv = 3;
  else {
    for (let i = 1; i < n; i++) {
      if (isVowel(word[i])) {
        rv = i + 1;
        break;
      }
    }
  }
  const after = (from: number) => {
    for (let i = from; i < n - 1; i++) if (isVowel(word[i]) && !isVowel(word[i + 1])) return i + 2;
    return n;
  };
  const r1 = after(0);
  return { rv, r1, r2: after(r1) };
}
