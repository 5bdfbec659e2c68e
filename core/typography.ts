/**
 * French typography, applied when text is rendered (content files keep plain ASCII apostrophes
 * and spaces, so what the editor writes back is exactly what was read). One function for prose,
 * `typesetFrench`, and a wrapper that applies it to the text of an HTML page, never to its tags,
 * attribute values, code, scripts or styles. Both are idempotent: typesetting twice changes nothing.
 */

/** Narrow no-break space: before ; : ! ?, inside « », between groups of thousands. */
export const NARROW_NBSP = '\u202F';
/** No-break space: between a number and its unit. */
export const NBSP = '\u00A0';

// Runs of text that typography must leave alone: URLs, e-mail addresses, `code` and HTML entities.
const PROTECTED = /\bhttps?:\/\/[^\s<>"«»]+|\bwww\.[^\s<>"«»]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|`[^`\n]*`|&(?:#\d+|#x[\da-fA-F]+|[a-zA-Z][a-zA-Z\d]*);/g;

// Units written after a number; the look-ahead keeps « 3 haies » or « 2 mois » apart from « 3 ha ».
const UNIT = /(\d)[ \u00A0\u202F](%|‰|€|k€|M€|km²|km|m²|m³|cm|mm|m|ha|kg|g|t|kWh|MWh|GWh|kWc|kW|MW|W|°C|h|min)(?![\p{L}\d])/gu;

// What typesetting may change.
const PROSE_CANDIDATE = /['":;!?«»]|\.\.\.|--|\d[ \u00A0\u202F]/;

/**
 * Typesets French prose: curly apostrophes, narrow no-break spaces before ; : ! ? and inside « »,
 * no-break spaces between groups of thousands and before units, dashes and ellipses. URLs,
 * e-mail addresses, `code` and HTML entities are left as they are; times such as 10:30, English
 * quotes and already typeset text are unchanged.
 */
export function typesetFrench(text: string): string {
  // Most runs of text have nothing to typeset: skip them without running every rule.
  if (!PROSE_CANDIDATE.test(text)) return text;
  const kept: string[] = [];
  // Protected runs become private-use placeholders, restored once the prose is typeset.
  const masked = text.replace(PROTECTED, (run) => `\uE000${kept.push(run) - 1}\uE001`);
  const typeset = masked
    // An apostrophe between two letters (l'état, aujourd'hui); quotes around words stay as written.
    .replace(/(?<=\p{L})'(?=\p{L})/gu, '’')
    .replace(/---/g, '—')
    .replace(/(?<=\s)--(?=\s)/g, '–')
    .replace(/\.\.\./g, '…')
    // « » : one narrow no-break space inside, whatever was there (a space, a no-break space, nothing).
    .replace(/«[ \u00A0\u202F]*/g, `«${NARROW_NBSP}`)
    .replace(/[ \u00A0\u202F]*»/g, `${NARROW_NBSP}»`)
    // ; ! ? : a space before becomes a narrow no-break space; one is added after a word when missing.
    .replace(/[ \u00A0]+(?=[;!?])/g, NARROW_NBSP)
    .replace(/(?<=[\p{L}\p{N})\]»])(?=[;!?](?:[\s;!?»)\]]|$))/gu, NARROW_NBSP)
    // : only where a space was written (10:30, 1:25 000 and « Note: » are left alone).
    .replace(/[ \u00A0]+:(?=\s|$)/g, `${NARROW_NBSP}:`)
    // Groups of thousands already written with a space: 1 400, 12 094.
    .replace(/(?<=\d)[ \u00A0](?=\d{3}(?!\d))/g, NARROW_NBSP)
    .replace(UNIT, `$1${NBSP}$2`);
  return typeset.replace(/\uE000(\d+)\uE001/g, (_, i: string) => kept[Number(i)]!);
}

// Elements whose content is code or not text for people: their content is never typeset.
const RAW_ELEMENTS = new Set(['script', 'style', 'code', 'pre', 'kbd', 'samp', 'svg', 'math']);
// A tag (attribute values may hold « > » inside quotes), a comment, a doctype or a CDATA section.
const MARKUP = /<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<![^>]*>|<\/?([a-zA-Z][\w:-]*)(?:[^>"']+|"[^"]*"|'[^']*')*>/g;

/** Typesets the text of an HTML document or fragment, leaving markup, attributes and code as they are. */
export function typesetHtmlText(html: string): string {
  let out = '';
  let last = 0;
  let rawUntil: string | undefined;
  for (const match of html.matchAll(MARKUP)) {
    const text = html.slice(last, match.index);
    out += rawUntil ? text : typesetEscapedText(text);
    out += match[0];
    last = match.index + match[0].length;
    const name = match[1]?.toLowerCase();
    if (!name) continue;
    const closing = match[0].startsWith('</');
    if (rawUntil) {
      if (closing && name === rawUntil) rawUntil = undefined;
    } else if (!closing && RAW_ELEMENTS.has(name) && !match[0].endsWith('/>')) {
      rawUntil = name;
    }
  }
  const rest = html.slice(last);
  return out + (rawUntil ? rest : typesetEscapedText(rest));
}

// Pages of one site repeat most of their text (navigation, labels, titles of linked entries):
// typesetting each distinct run once makes the pass about twice as fast on a whole build.
const typesetRuns = new Map<string, string>();
const MAX_REMEMBERED_RUNS = 50_000;

// Escaped apostrophes and quotes are text too: read them as characters before typesetting.
function typesetEscapedText(text: string): string {
  // Most runs between two tags have nothing to typeset (an entity may hide an apostrophe or a
  // quote): skip them before looking them up.
  if (!text.includes('&') && !PROSE_CANDIDATE.test(text)) return text;
  let typeset = typesetRuns.get(text);
  if (typeset === undefined) {
    typeset = typesetFrench(text.replace(/&#39;|&#x27;|&apos;/g, "'").replace(/&quot;|&#34;/g, '"'));
    if (typesetRuns.size >= MAX_REMEMBERED_RUNS) typesetRuns.clear();
    typesetRuns.set(text, typeset);
  }
  return typeset;
}
