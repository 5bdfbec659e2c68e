/**
 * Images for tests, made with sharp: a photo-like picture (smooth noise over a gradient, which
 * compresses like a photo rather than like a flat colour), and files that only pretend to be
 * images.
 */
import sharp from 'sharp';

/** A photo-like image of the given size and format, with EXIF metadata as a phone writes it. */
export async function makePhoto(width: number, height: number, format: 'jpeg' | 'png' | 'webp' = 'jpeg'): Promise<Buffer> {
  const texture = await sharp({ create: { width, height, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 70 } } })
    .blur(1.2)
    .raw()
    .toBuffer();
  const gradient = Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><defs><linearGradient id="g" x2="1" y2="1"><stop offset="0" stop-color="#2f6b3a"/><stop offset="1" stop-color="#d9c27a"/></linearGradient></defs><rect width="100%" height="100%" fill="url(#g)"/></svg>`,
  );
  const photo = sharp(gradient).composite([{ input: texture, raw: { width, height, channels: 3 }, blend: 'soft-light' }]).withExif({ IFD0: { Make: 'Téléphone', Model: 'Test' }, IFD3: { GPSLatitudeRef: 'N' } });
  return format === 'jpeg' ? photo.jpeg({ quality: 88 }).toBuffer() : format === 'png' ? photo.png().toBuffer() : photo.webp({ quality: 88 }).toBuffer();
}

/** A PNG whose header claims `width` × `height` pixels while the file stays tiny (a decompression bomb). */
export async function makePixelBomb(width: number, height: number): Promise<Buffer> {
  const png = Buffer.from(await sharp({ create: { width: 8, height: 8, channels: 3, background: '#888' } }).png().toBuffer());
  // IHDR starts at byte 8: length (4), type (4), width (4), height (4)…, then its CRC over type + data.
  png.writeUInt32BE(width, 16);
  png.writeUInt32BE(height, 20);
  png.writeUInt32BE(crc32(png.subarray(12, 29)), 29);
  return png;
}

/** An SVG drawing that carries a script. */
export const svgWithScript = Buffer.from(
  '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(document.cookie)</script><rect width="10" height="10"/></svg>\n',
);

/** The start of a PDF document. */
export const pdfBytes = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return (crc ^ 0xffffffff) >>> 0;
}
