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
    // Version 2.0, bit 11 (names in UTF-8), method 8 (deflate).
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt16LE(time, 10);
    local.writeUInt16LE(day, 12);
    local.writeUInt32LE(file.crc, 14);
    local.writeUInt32LE(file.data.length, 18);
    local.writeUInt32LE(file.size, 22);
    local.writeUInt16LE(name.length, 26);
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt16LE(20, 4);
    entry.writeUInt16LE(20, 6);
    entry.writeUInt16LE(0x0800, 8);
    entry.writeUInt16LE(8, 10);
    entry.writeUInt16LE(time, 12);
    entry.writeUInt16LE(day, 14);
    entry.writeUInt32LE(file.crc, 16);
    entry.writeUInt32LE(file.data.length, 20);
    entry.writeUInt32LE(file.size, 24);
    entry.writeUInt16LE(name.length, 28);
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
