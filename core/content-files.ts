/**
 * Reading one content file: split the frontmatter from the body and parse the YAML while keeping
 * the line of every field, so problems can point at `path:line`.
 */
import { basename, dirname, extname } from 'node:path';
import { LineCounter, parseDocument, isNode, type Document } from 'yaml';
import { splitFrontmatter } from './frontmatter.ts';

/** A content file as read from disk, before schema validation. */
export interface RawEntry {
  /** Collection folder name (may be unknown to the schemas). */
  collection: string;
  /** File name without extension. */
  slug: string;
  /** File format, from the extension. */
  format: 'mdx' | 'yaml' | 'other';
  /** The parsed YAML data (frontmatter for MDX), `undefined` when it could not be parsed. */
  data: unknown;
  /** MDX body (empty for YAML files). */
  body: string;
  /** 1-based line of the file where the body starts. */
  bodyStartLine: number;
  /** YAML syntax errors, with their line. */
  yamlErrors: { line: number; message: string }[];
  /** Line of a field (1-based); for a missing field, the line of its nearest existing parent. */
  lineOf(path: readonly PropertyKey[]): number;
}

/** Reads a content file from its path (relative to the content root) and its text. */
export function readEntry(file: string, text: string): RawEntry {
  const extension = extname(file).toLowerCase();
  const format = extension === '.mdx' || extension === '.md' ? 'mdx' : extension === '.yaml' || extension === '.yml' ? 'yaml' : 'other';
  const collection = basename(dirname(file));
  const slug = basename(file, extname(file));
  if (format === 'yaml') {
    return { collection, slug, format, body: '', bodyStartLine: 1, ...parseYaml(text, 0) };
  }
  if (format === 'other') {
    return { collection, slug, format, data: undefined, body: '', bodyStartLine: 1, yamlErrors: [], lineOf: () => 1 };
  }
  const { frontmatter, body, bodyStartLine } = splitFrontmatter(text);
  if (frontmatter === null) {
    return {
      collection,
      slug,
      format,
      data: undefined,
      body,
      bodyStartLine,
      yamlErrors: [{ line: 1, message: 'frontmatter absent : le fichier doit commencer par une ligne « --- », les champs YAML, puis « --- »' }],
      lineOf: () => 1,
    };
  }
  // The frontmatter's first line is line 2 of the file (after the opening ---).
  return { collection, slug, format, body, bodyStartLine, ...parseYaml(frontmatter, 1) };
}

/** Reads a YAML data file that is not an entry (the credits of an image), keeping its lines. */
export function readYamlFile(text: string): Pick<RawEntry, 'data' | 'yamlErrors' | 'lineOf'> {
  return parseYaml(text, 0);
}

function parseYaml(text: string, lineOffset: number): Pick<RawEntry, 'data' | 'yamlErrors' | 'lineOf'> {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const yamlErrors = document.errors.map((error) => ({
    line: lineCounter.linePos(error.pos[0]).line + lineOffset,
    message: `YAML illisible : ${firstLine(error.message)}`,
  }));
  const lineOf = (path: readonly PropertyKey[]) => lineOfPath(document, lineCounter, path) + lineOffset;
  return { data: yamlErrors.length ? undefined : document.toJS(), yamlErrors, lineOf };
}

function lineOfPath(document: Document, lineCounter: LineCounter, path: readonly PropertyKey[]): number {
  // Walk down as far as the path exists; a missing field is reported where its parent starts.
  for (let depth = path.length; depth >= 0; depth--) {
    const node = depth === 0 ? document.contents : document.getIn(path.slice(0, depth) as unknown[], true);
    if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
    // Scalars found through a pair: look for the key itself.
    const parent = depth > 0 ? document.getIn(path.slice(0, depth - 1) as unknown[], true) : undefined;
    if (parent && typeof parent === 'object' && 'items' in parent && Array.isArray(parent.items)) {
      const key = path[depth - 1];
      for (const item of parent.items as unknown[]) {
        if (item && typeof item === 'object' && 'key' in item && isNode(item.key) && item.key.toJSON() === key && item.key.range) {
          return lineCounter.linePos(item.key.range[0]).line;
        }
      }
    }
  }
  return 1;
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}
