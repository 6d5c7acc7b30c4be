import { crc32 } from 'node:zlib';
import { AppError } from '../../errors.ts';

/**
 * Removes metadata that can identify a reporter (GPS position, camera serials, owner names,
 * editing software, timestamps) from an image before it is stored. The pixels are never
 * re-encoded: only whole metadata containers are dropped, so evidence stays bit-exact.
 *
 * JPEG, PNG and WebP are rewritten; every other type is returned unchanged. That includes HEIC,
 * whose EXIF (with GPS) therefore survives, and PDF/Office document properties (author names).
 */
export function stripMetadata(mediaType: string, bytes: Uint8Array): Uint8Array {
  const type = mediaType.split(';')[0]!.trim().toLowerCase();
  try {
    switch (type) {
      case 'image/jpeg':
        return stripJpeg(bytes);
      case 'image/png':
      case 'image/apng':
        return stripPng(bytes);
      case 'image/webp':
        return stripWebp(bytes);
      default:
        return bytes;
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    // The parsers check bounds explicitly; this only turns an unforeseen bug into a clean 400.
    throw malformed();
  }
}

function malformed(): AppError {
  return new AppError('invalid_input', 'Berkas gambar rusak / Image file is malformed', {
    file: 'Berkas gambar rusak / Image file is malformed',
  });
}

function concat(parts: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// JPEG

const M_SOI = 0xd8;
const M_EOI = 0xd9;
const M_SOS = 0xda;
const M_TEM = 0x01;
const M_APP0 = 0xe0;
const M_APP1 = 0xe1;
const M_APP14 = 0xee;
const M_APP15 = 0xef;
const M_COM = 0xfe;

const isRst = (m: number): boolean => m >= 0xd0 && m <= 0xd7;

function dropJpegSegment(marker: number): boolean {
  // APP1 = EXIF/XMP, APP2 = ICC/MPF/FlashPix, APP11 = C2PA, APP13 = IPTC/Photoshop, etc.
  // APP0 (JFIF) and APP14 (Adobe colour transform) change how pixels decode, so they stay.
  if (marker >= M_APP0 && marker <= M_APP15) return marker !== M_APP0 && marker !== M_APP14;
  return marker === M_COM;
}

function stripJpeg(b: Uint8Array): Uint8Array {
  if (b.length < 4 || b[0] !== 0xff || b[1] !== M_SOI) throw malformed();
  const parts: Uint8Array[] = [b.subarray(0, 2)];
  let orientation: number | undefined;
  let sawExif = false;
  // The replacement EXIF goes after a leading JFIF APP0, where readers expect APP segments.
  let exifInsertIndex = 1;
  let segmentCount = 0;
  let pos = 2;

  for (;;) {
    if (pos >= b.length || b[pos] !== 0xff) throw malformed();
    const markerStart = pos;
    while (pos < b.length && b[pos] === 0xff) pos++; // fill bytes
    if (pos >= b.length) throw malformed();
    const marker = b[pos++]!;

    if (marker === M_EOI) {
      parts.push(b.subarray(markerStart, pos));
      // Anything after EOI is dropped: phones append MPF secondary images (with their own
      // EXIF and GPS) and vendor trailers there, and no decoder needs it.
      break;
    }
    if (marker === 0x00 || marker === M_SOI) throw malformed();
    if (isRst(marker) || marker === M_TEM) {
      parts.push(b.subarray(markerStart, pos));
      continue;
    }

    if (pos + 2 > b.length) throw malformed();
    const length = (b[pos]! << 8) | b[pos + 1]!;
    const end = pos + length;
    if (length < 2 || end > b.length) throw malformed();
    segmentCount++;

    if (marker === M_APP1 && !sawExif && isExifPayload(b, pos + 2, end)) {
      sawExif = true;
      orientation = readExifOrientation(b.subarray(pos + 2 + 6, end));
    }
    if (!dropJpegSegment(marker)) {
      parts.push(b.subarray(markerStart, end));
      if (marker === M_APP0 && segmentCount === 1) exifInsertIndex = parts.length;
    }
    pos = end;

    if (marker === M_SOS) {
      // Entropy-coded data runs until a marker that is not a stuffed 0x00 or a restart marker.
      const scanStart = pos;
      for (;;) {
        const ff = b.indexOf(0xff, pos);
        if (ff === -1) throw malformed(); // truncated: no EOI
        let next = ff + 1;
        while (next < b.length && b[next] === 0xff) next++;
        if (next >= b.length) throw malformed();
        const following = b[next]!;
        if (following === 0x00 || isRst(following)) {
          pos = next + 1;
          continue;
        }
        pos = ff;
        break;
      }
      parts.push(b.subarray(scanStart, pos));
    }
  }

  if (orientation !== undefined) parts.splice(exifInsertIndex, 0, orientationOnlyExif(orientation));
  return concat(parts);
}

const EXIF_HEADER = [0x45, 0x78, 0x69, 0x66, 0x00, 0x00]; // "Exif\0\0"

function isExifPayload(b: Uint8Array, start: number, end: number): boolean {
  if (end - start < EXIF_HEADER.length) return false;
  return EXIF_HEADER.every((byte, i) => b[start + i] === byte);
}

/**
 * Orientation is the one EXIF tag worth keeping: phones store portrait photos sideways and rely
 * on it, so without it evidence photos show up rotated for the officer. Returns only 2..8 (1 is
 * the default and needs no tag); any oddity in the TIFF structure just means "no orientation".
 */
function readExifOrientation(tiff: Uint8Array): number | undefined {
  if (tiff.length < 8) return undefined;
  let little: boolean;
  if (tiff[0] === 0x49 && tiff[1] === 0x49) little = true;
  else if (tiff[0] === 0x4d && tiff[1] === 0x4d) little = false;
  else return undefined;
  const u16 = (o: number): number =>
    little ? tiff[o]! | (tiff[o + 1]! << 8) : (tiff[o]! << 8) | tiff[o + 1]!;
  const u32 = (o: number): number =>
    little
      ? (tiff[o]! | (tiff[o + 1]! << 8) | (tiff[o + 2]! << 16) | (tiff[o + 3]! << 24)) >>> 0
      : ((tiff[o]! << 24) | (tiff[o + 1]! << 16) | (tiff[o + 2]! << 8) | tiff[o + 3]!) >>> 0;
  if (u16(2) !== 42) return undefined;
  const ifd = u32(4);
  if (ifd + 2 > tiff.length) return undefined;
  const count = u16(ifd);
  for (let i = 0; i < count; i++) {
    const entry = ifd + 2 + i * 12;
    if (entry + 12 > tiff.length) return undefined;
    if (u16(entry) !== 0x0112) continue;
    const type = u16(entry + 2);
    if (type !== 3 || u32(entry + 4) !== 1) return undefined; // SHORT, count 1
    const value = u16(entry + 8);
    return value >= 2 && value <= 8 ? value : undefined;
  }
  return undefined;
}

/** An APP1 segment holding a big-endian TIFF with a single IFD0 entry: Orientation. */
function orientationOnlyExif(orientation: number): Uint8Array {
  return Uint8Array.of(
    0xff, M_APP1, 0x00, 0x22, // marker, length 34 (2 + 6 + 8 + 2 + 12 + 4)
    ...EXIF_HEADER,
    0x4d, 0x4d, 0x00, 0x2a, 0x00, 0x00, 0x00, 0x08, // "MM", 42, IFD0 at 8
    0x00, 0x01, // one entry
    0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, orientation, 0x00, 0x00, // Orientation SHORT
    0x00, 0x00, 0x00, 0x00, // no next IFD (drops the thumbnail IFD1)
  );
}

// ---------------------------------------------------------------------------------------------
// PNG

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * Ancillary chunks kept because they affect rendering or animation. Everything else ancillary
 * (tEXt, zTXt, iTXt incl. XMP, eXIf, tIME, caBX/C2PA, vendor chunks) is dropped: the PNG rules
 * let any decoder ignore ancillary chunks, so an allowlist costs nothing and also catches
 * metadata chunks invented later.
 */
const PNG_KEEP_ANCILLARY = new Set([
  'tRNS', 'gAMA', 'cHRM', 'sRGB', 'iCCP', 'sBIT', 'bKGD', 'hIST', 'pHYs', 'sPLT',
  'acTL', 'fcTL', 'fdAT', // APNG
  'cICP', 'mDCV', 'cLLI', 'mDCv', 'cLLi', // HDR colour (PNG 3rd edition and its draft names)
]);
const PNG_CRITICAL = new Set(['IHDR', 'PLTE', 'IDAT', 'IEND']);

function stripPng(b: Uint8Array): Uint8Array {
  if (b.length < 8 || !PNG_SIGNATURE.every((byte, i) => b[i] === byte)) throw malformed();
  const parts: Uint8Array[] = [b.subarray(0, 8)];
  let pos = 8;
  let first = true;
  for (;;) {
    if (pos + 12 > b.length) throw malformed(); // ran out before IEND
    const length = ((b[pos]! << 24) | (b[pos + 1]! << 16) | (b[pos + 2]! << 8) | b[pos + 3]!) >>> 0;
    if (length > 0x7fffffff) throw malformed();
    const end = pos + 12 + length;
    if (end > b.length) throw malformed();
    let type = '';
    for (let i = 4; i < 8; i++) {
      const c = b[pos + i]!;
      const letter = (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
      if (!letter) throw malformed();
      type += String.fromCharCode(c);
    }
    const storedCrc =
      ((b[end - 4]! << 24) | (b[end - 3]! << 16) | (b[end - 2]! << 8) | b[end - 1]!) >>> 0;
    // A bad CRC means a damaged or tampered file; rejecting it beats storing garbage as evidence.
    if (crc32(b.subarray(pos + 4, end - 4)) !== storedCrc) throw malformed();
    if (first && type !== 'IHDR') throw malformed();
    first = false;

    const critical = (b[pos + 4]! & 0x20) === 0;
    if (critical) {
      // An unknown critical chunk means no standard decoder can show the image anyway.
      if (!PNG_CRITICAL.has(type)) throw malformed();
      parts.push(b.subarray(pos, end));
    } else if (PNG_KEEP_ANCILLARY.has(type)) {
      parts.push(b.subarray(pos, end));
    }
    pos = end;
    // Bytes after IEND are dropped: they are a classic hiding place and no decoder reads them.
    if (type === 'IEND') break;
  }
  return concat(parts);
}

// ---------------------------------------------------------------------------------------------
// WebP

/** Same allowlist reasoning as PNG: the WebP container tells readers to ignore unknown chunks. */
const WEBP_KEEP = new Set(['VP8X', 'VP8 ', 'VP8L', 'ALPH', 'ANIM', 'ANMF', 'ICCP']);
const VP8X_EXIF_FLAG = 0x08;
const VP8X_XMP_FLAG = 0x04;

function stripWebp(b: Uint8Array): Uint8Array {
  const ascii = (o: number): string => String.fromCharCode(b[o]!, b[o + 1]!, b[o + 2]!, b[o + 3]!);
  const u32le = (o: number): number =>
    (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0;
  if (b.length < 12 || ascii(0) !== 'RIFF' || ascii(8) !== 'WEBP') throw malformed();
  const riffEnd = 8 + u32le(4);
  // Bytes past the RIFF size are dropped along with the metadata.
  if (riffEnd < 12 || riffEnd > b.length) throw malformed();

  const chunks: Uint8Array[] = [];
  let pos = 12;
  let sawImage = false;
  while (pos < riffEnd) {
    if (pos + 8 > riffEnd) throw malformed();
    const fourcc = ascii(pos);
    const size = u32le(pos + 4);
    const dataEnd = pos + 8 + size;
    if (dataEnd > riffEnd) throw malformed();
    if (WEBP_KEEP.has(fourcc)) {
      let chunk = b.subarray(pos, dataEnd);
      if (fourcc === 'VP8X') {
        if (size < 1) throw malformed();
        chunk = chunk.slice(); // copy: never mutate the caller's buffer
        chunk[8] = chunk[8]! & ~(VP8X_EXIF_FLAG | VP8X_XMP_FLAG);
      }
      if (fourcc === 'VP8 ' || fourcc === 'VP8L' || fourcc === 'ANMF') sawImage = true;
      chunks.push(chunk);
      // Chunks are padded to even length; re-add the pad even if a sloppy writer left it off.
      if (size % 2 === 1) chunks.push(new Uint8Array(1));
    }
    pos = dataEnd + (size % 2);
  }
  if (!sawImage) throw malformed();

  const body = concat(chunks);
  const out = new Uint8Array(12 + body.length);
  out.set(b.subarray(0, 4), 0);
  const riffSize = 4 + body.length;
  out[4] = riffSize & 0xff;
  out[5] = (riffSize >>> 8) & 0xff;
  out[6] = (riffSize >>> 16) & 0xff;
  out[7] = (riffSize >>> 24) & 0xff;
  out.set(b.subarray(8, 12), 8);
  out.set(body, 12);
  return out;
}
