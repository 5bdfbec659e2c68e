/**
 * The ZIP files of the site build (the reuse bundles), written with node:zlib. Each file's
 * deflated bytes are kept by content for one more generation, so that the incremental publisher,
 * which makes the bundles again after every commit, deflates only the files that changed.
 * Deterministic: the same files and date give the same bytes, whichever process makes them.
 * (The browser assembles its own selections with fflate: reuse-bundle.ts.)
 */
import { createHash } from 'node:crypto';
import { crc32, deflateRawSync } from 'node:zlib';
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
  const bytes = Buffer.from(text, 'utf8');
  const key = createHash('sha1').update(bytes).digest('base64');
  let file = deflatedByContent.get(key);
  if (!file) {
    file = { crc: crc32(bytes), size: bytes.length, data: deflateRawSync(bytes, { level: 6 }), generation };
    deflatedByContent.set(key, file);
  }
  file.generation = generation;
  return file;
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
