/**
 * The ZIP files of the site build (the reuse bundles), written with node:zlib. Each file's
 * deflated bytes are kept by content for one more generation, so that the incremental publisher,
 * which makes the bundles again after every commit, deflates only the files that changed. A large
 * file (the booklet of every entry, the descriptions) is deflated in pieces cut where its content
 * says (`pieces`), each on its own and kept the same way: after a commit only the pieces that hold
 * what changed are deflated again, not tens of megabytes.
 * Deterministic: the same files and date give the same bytes, whichever process makes them.
 * (The browser assembles its own selections with fflate: reuse-bundle.ts.)
 */
import { createHash } from 'node:crypto';
import { constants, crc32, deflateRawSync } from 'node:zlib';
import { contentGeneration } from './incremental-hooks.ts';

interface Deflated {
  crc: number;
  size: number;
  data: Buffer;
  /** The last generation that used it. */
  generation: number;
}

const deflatedByContent = new Map<string, Deflated>();

/** A ZIP archive of `files` (path → text), every file deflated and dated `date` (UTC). */
export function zipArchive(files: ReadonlyMap<string, string>, date: Date): Uint8Array<ArrayBuffer> {
  const generation = contentGeneration();
  const { time, day } = dosDateTime(date);
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const [path, text] of files) {
    const file = deflate(text, generation);
    const name = Buffer.from(path, 'utf8');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    writeSharedFields(local, 4, file, name.length, time, day);
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt16LE(20, 4);
    writeSharedFields(entry, 6, file, name.length, time, day);
    entry.writeUInt32LE(offset, 42);
    locals.push(local, name, file.data);
    central.push(entry, name);
    offset += local.length + name.length + file.data.length;
  }
  const centralSize = central.reduce((sum, part) => sum + part.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.size, 8);
  end.writeUInt16LE(files.size, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  forgetOlderThan(generation - 1);
  const parts = [...locals, ...central, end];
  const archive = new Uint8Array(offset + centralSize + end.length);
  let at = 0;
  for (const part of parts) {
    archive.set(part, at);
    at += part.length;
  }
  return archive;
}

/** The fields a file's local and central headers share: version 2.0, UTF-8 names, deflate, date, CRC, sizes, name length. */
function writeSharedFields(header: Buffer, at: number, file: Deflated, nameLength: number, time: number, day: number): void {
  header.writeUInt16LE(20, at);
  header.writeUInt16LE(0x0800, at + 2);
  header.writeUInt16LE(8, at + 4);
  header.writeUInt16LE(time, at + 6);
  header.writeUInt16LE(day, at + 8);
  header.writeUInt32LE(file.crc, at + 10);
  header.writeUInt32LE(file.data.length, at + 14);
  header.writeUInt32LE(file.size, at + 18);
  header.writeUInt16LE(nameLength, at + 22);
}

function deflate(text: string, generation: number): Deflated {
  const parts = pieces(text);
  if (parts.length === 1) return deflatePiece(Buffer.from(text, 'utf8'), generation, true);
  // Pieces deflated apart, each ending on a byte boundary (sync flush), then the final empty block.
  const bytes = parts.map((part) => Buffer.from(part, 'utf8'));
  const deflated = bytes.map((part) => deflatePiece(part, generation, false));
  let crc = 0;
  for (const part of bytes) crc = crc32(part, crc);
  return {
    crc,
    size: deflated.reduce((sum, piece) => sum + piece.size, 0),
    data: Buffer.concat([...deflated.map((piece) => piece.data), finalBlock]),
    generation,
  };
}

/** An empty last block: what ends a stream of pieces. */
const finalBlock = deflateRawSync(Buffer.alloc(0));

/** Deflated bytes of `bytes`, from the cache when the same bytes were deflated the same way. */
function deflatePiece(bytes: Buffer, generation: number, last: boolean): Deflated {
  const key = `${last ? 'f' : 'p'}${createHash('sha1').update(bytes).digest('base64')}`;
  let file = deflatedByContent.get(key);
  if (!file) {
    const data = deflateRawSync(bytes, { level: 6, ...(last ? {} : { finishFlush: constants.Z_SYNC_FLUSH }) });
    file = { crc: crc32(bytes), size: bytes.length, data, generation };
    deflatedByContent.set(key, file);
  }
  file.generation = generation;
  return file;
}

/** Characters of a piece at least: below twice this, a file is one piece. */
const PIECE = 32 * 1024;

/**
 * A large text cut into pieces of at least PIECE characters, each ending with a line whose next
 * line begins a certain way (1 line in 8, by a hash of its first characters): where the cuts fall
 * depends on the text around them, not on their position, so a change leaves the other pieces
 * as they were.
 */
function pieces(text: string): string[] {
  if (text.length < 2 * PIECE) return [text];
  const parts: string[] = [];
  let start = 0;
  for (let end = text.indexOf('\n', start + PIECE); end !== -1 && end + 1 < text.length; end = text.indexOf('\n', end + 1)) {
    let hash = 0x811c9dc5;
    for (let i = end + 1; i < Math.min(end + 17, text.length); i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
    if ((hash >>> 0) % 8 !== 0) continue;
    parts.push(text.slice(start, end + 1));
    start = end + 1;
    end = text.indexOf('\n', start + PIECE) - 1;
    if (end < 0) break;
  }
  parts.push(text.slice(start));
  return parts;
}

function forgetOlderThan(generation: number): void {
  for (const [key, file] of deflatedByContent) if (file.generation < generation) deflatedByContent.delete(key);
}

/** MS-DOS time and date fields (two-second precision, years from 1980). */
function dosDateTime(date: Date): { time: number; day: number } {
  const year = Math.min(Math.max(date.getUTCFullYear(), 1980), 2107);
  return {
    time: (date.getUTCHours() << 11) | (date.getUTCMinutes() << 5) | (date.getUTCSeconds() >> 1),
    day: ((year - 1980) << 9) | ((date.getUTCMonth() + 1) << 5) | date.getUTCDate(),
  };
}
