import { crc32 } from 'node:zlib';
import { AppError } from '../../errors.ts';
import { stripOffThread } from './attachment-workers.ts';
import { stripOdf, stripOle, stripOoxml, stripPdfInThisThread } from './strip-documents.ts';

/**
 * Removes metadata that can identify a reporter (GPS position, camera serials, owner names,
 * editing software, timestamps, comments) from a file before it is stored. The pixels are never
 * re-encoded: only whole metadata containers are dropped, so evidence stays bit-exact.
 *
 * JPEG, PNG, WebP and GIF are rewritten. HEIC/HEIF keeps its exact length and layout: the
 * payloads of its EXIF, XMP and other metadata items are overwritten in place (see stripHeif).
 * PDF and Office documents lose their author, editor and comment-author names, the metadata of
 * the images inside them, and their active content (see strip-documents.ts); PDF goes through
 * stripAttachmentMetadata, which is asynchronous. Any other type is refused: a type without a
 * stripper is never stored.
 */
export function stripMetadata(mediaType: string, bytes: Uint8Array): Uint8Array {
  const type = baseType(mediaType);
  if (type === 'application/pdf') throw new TypeError('PDF metadata is stripped asynchronously: call stripAttachmentMetadata');
  const strip = STRIPPERS[type];
  if (strip === undefined) throw noStripper();
  try {
    return strip(bytes);
  } catch (error) {
    if (error instanceof AppError) throw error;
    // The parsers check bounds explicitly; this only turns an unforeseen bug into a clean 400.
    throw malformed();
  }
}

const OOXML_TYPES = [
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
];
const ODF_TYPES = ['application/vnd.oasis.opendocument.text', 'application/vnd.oasis.opendocument.spreadsheet'];
const OLE_TYPES = ['application/msword', 'application/vnd.ms-excel', 'application/vnd.ms-powerpoint'];

/** The stripper of every synchronous type (PDF is the asynchronous one). */
const STRIPPERS: Record<string, (bytes: Uint8Array) => Uint8Array> = {
  'image/jpeg': (b) => stripJpeg(b),
  'image/png': (b) => stripPng(b),
  'image/apng': (b) => stripPng(b),
  'image/webp': (b) => stripWebp(b),
  'image/gif': (b) => stripGif(b),
  'image/heic': (b) => stripHeif(b),
  'image/heif': (b) => stripHeif(b),
  'image/heic-sequence': (b) => stripHeif(b),
  'image/heif-sequence': (b) => stripHeif(b),
  ...Object.fromEntries(OOXML_TYPES.map((t) => [t, stripOoxml])),
  ...Object.fromEntries(ODF_TYPES.map((t) => [t, stripOdf])),
  ...Object.fromEntries(OLE_TYPES.map((t) => [t, stripOle])),
};

/** Whether a media type has a stripper (inspect.ts accepts no type without one). */
export function hasStripper(mediaType: string): boolean {
  const type = baseType(mediaType);
  return type === 'application/pdf' || STRIPPERS[type] !== undefined;
}

function noStripper(): AppError {
  return new AppError(
    'attachment_type_not_allowed',
    'Jenis lampiran ini tidak dapat dibersihkan dari metadata / This attachment type cannot be cleaned of metadata',
  );
}

/**
 * What every attachment goes through before it is stored: stripMetadata, or the PDF rewrite,
 * in a worker thread (attachment-workers.ts), never on the API's event loop.
 */
export async function stripAttachmentMetadata(mediaType: string, bytes: Uint8Array): Promise<Uint8Array> {
  return stripOffThread(mediaType, bytes);
}

/** The same, in the calling thread: what the attachment worker runs. */
export async function stripInThisThread(mediaType: string, bytes: Uint8Array): Promise<Uint8Array> {
  if (baseType(mediaType) === 'application/pdf') return stripPdfInThisThread(bytes);
  return stripMetadata(mediaType, bytes);
}

/**
 * An image embedded in a document (a DOCX's word/media, an ODT's Pictures, a PDF's JPEG
 * XObject), recognised by its first bytes: its type, or 'tiff' (which has no stripper here), or
 * undefined when it is not an image we know.
 */
export function embeddedImageType(head: Uint8Array): string | 'tiff' | undefined {
  const at = (bytes: number[], offset = 0) => bytes.every((byte, i) => head[offset + i] === byte);
  if (at([0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (at(PNG_SIGNATURE)) return 'image/png';
  if (at([0x47, 0x49, 0x46, 0x38])) return 'image/gif';
  if (at([0x52, 0x49, 0x46, 0x46]) && at([0x57, 0x45, 0x42, 0x50], 8)) return 'image/webp';
  if (at([0x49, 0x49, 0x2a, 0x00]) || at([0x4d, 0x4d, 0x00, 0x2a])) return 'tiff';
  return undefined;
}

function baseType(mediaType: string): string {
  return mediaType.split(';')[0]!.trim().toLowerCase();
}

function malformed(): AppError {
  return new AppError('invalid_input', 'Berkas gambar rusak / Image file is malformed', {
    file: 'Berkas gambar rusak / Image file is malformed',
  });
}

/**
 * The most pixels a PNG, GIF or WebP may have (per frame). The server never decodes pixels, but
 * whoever opens the file does: 20,000 × 20,000 grey zeros are 0.4 MB of PNG and 400 MB (1.6 GB
 * as RGBA) in a browser. 100 megapixels is far beyond any screenshot or scan kept as PNG; JPEG
 * and HEIC, which phones with 200-megapixel cameras write, are not capped.
 */
export const MAX_IMAGE_PIXELS = 100_000_000;

function checkPixels(width: number, height: number): void {
  if (width * height > MAX_IMAGE_PIXELS) {
    const message = `Gambar terlalu besar (maks. ${MAX_IMAGE_PIXELS / 1_000_000} megapiksel) / Image too large (max ${MAX_IMAGE_PIXELS / 1_000_000} megapixels)`;
    throw new AppError('attachment_too_large', message, { file: message });
  }
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
    if (first) {
      if (length !== 13) throw malformed();
      const u32 = (o: number) => ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;
      checkPixels(u32(pos + 8), u32(pos + 12));
    }
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
// Pictures inside binary documents (legacy .doc, .ppt, .xls)

const JPEG_SOF = (m: number) => m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc;
const PNG_PLACEHOLDER = [0x7a, 0x7a, 0x5a, 0x7a]; // "zzZz": ancillary, private, safe to copy: every decoder skips it

/**
 * Legacy Office files keep their pictures as raw JPEG and PNG bytes inside their streams (Word's
 * Data, PowerPoint's Pictures, Excel's drawing records). The streams cannot change length (the
 * sector chains would break), so each picture's metadata is blanked where it lies: a JPEG's
 * APP1–APP15 (but APP14) and COM payloads become zeros, and a PNG's ancillary chunks outside the
 * keep-list become an empty private chunk that decoders skip, with a fresh CRC. A picture is
 * touched only when its structure checks out (a JPEG up to its first scan, with a frame header
 * first; a PNG chunk by chunk with valid CRCs), so bytes that merely look like a signature are
 * left alone. Returns how many pictures were blanked.
 */
export function blankEmbeddedImageMetadata(stream: Uint8Array): number {
  let blanked = 0;
  for (let i = stream.indexOf(0xff); i !== -1 && i + 3 < stream.length; i = stream.indexOf(0xff, i + 1)) {
    if (stream[i + 1] === M_SOI && stream[i + 2] === 0xff && blankJpegInPlace(stream, i)) blanked++;
  }
  for (let i = stream.indexOf(0x89); i !== -1 && i + 8 < stream.length; i = stream.indexOf(0x89, i + 1)) {
    if (PNG_SIGNATURE.every((byte, k) => stream[i + k] === byte) && blankPngInPlace(stream, i)) blanked++;
  }
  return blanked;
}

function blankJpegInPlace(b: Uint8Array, start: number): boolean {
  const payloads: [number, number][] = [];
  let sawFrame = false;
  let pos = start + 2;
  for (let segments = 0; segments < 1000; segments++) {
    if (b[pos] !== 0xff) return false;
    while (b[pos] === 0xff) pos++;
    const marker = b[pos++];
    if (marker === undefined || marker === 0x00 || marker === M_SOI || marker === M_EOI || isRst(marker) || marker === M_TEM) return false;
    if (pos + 2 > b.length) return false;
    const length = (b[pos]! << 8) | b[pos + 1]!;
    const end = pos + length;
    if (length < 2 || end > b.length) return false;
    if (JPEG_SOF(marker)) sawFrame = true;
    if (dropJpegSegment(marker)) payloads.push([pos + 2, end]);
    if (marker === M_SOS) {
      if (!sawFrame) return false;
      for (const [from, to] of payloads) b.fill(0, from, to);
      return payloads.length > 0;
    }
    pos = end;
  }
  return false;
}

function blankPngInPlace(b: Uint8Array, start: number): boolean {
  const u32 = (o: number) => ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;
  const chunks: [number, number][] = [];
  let pos = start + 8;
  for (;;) {
    if (pos + 12 > b.length) return false;
    const length = u32(pos);
    const end = pos + 12 + length;
    if (length > 0x7fffffff || end > b.length) return false;
    if (crc32(b.subarray(pos + 4, end - 4)) !== u32(end - 4)) return false;
    const type = String.fromCharCode(b[pos + 4]!, b[pos + 5]!, b[pos + 6]!, b[pos + 7]!);
    const critical = (b[pos + 4]! & 0x20) === 0;
    if (!critical && !PNG_KEEP_ANCILLARY.has(type)) chunks.push([pos, end]);
    pos = end;
    if (type === 'IEND') break;
  }
  for (const [from, to] of chunks) {
    b.set(PNG_PLACEHOLDER, from + 4);
    b.fill(0, from + 8, to - 4);
    const crc = crc32(b.subarray(from + 4, to - 4));
    b.set([crc >>> 24, (crc >>> 16) & 0xff, (crc >>> 8) & 0xff, crc & 0xff], to - 4);
  }
  return chunks.length > 0;
}

const EXIF_SIGNATURE = Buffer.from('Exif\0\0', 'latin1');
const XMP_SIGNATURE = Buffer.from('http://ns.adobe.com/xap/1.0/\0', 'latin1');

/** Whether EXIF or XMP is still somewhere in these bytes (after blanking: a picture that could not be read). */
export function holdsImageMetadata(bytes: Uint8Array): boolean {
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return view.includes(EXIF_SIGNATURE) || view.includes(XMP_SIGNATURE);
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
        if (size < 10) throw malformed();
        const u24 = (o: number) => b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16);
        checkPixels(u24(pos + 12) + 1, u24(pos + 15) + 1); // the canvas
      } else if (fourcc === 'VP8L' && size >= 5 && b[pos + 8] === 0x2f) {
        const bits = u32le(pos + 9);
        checkPixels((bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1);
      } else if (fourcc === 'VP8 ' && size >= 10 && b[pos + 11] === 0x9d && b[pos + 12] === 0x01 && b[pos + 13] === 0x2a) {
        checkPixels((b[pos + 14]! | (b[pos + 15]! << 8)) & 0x3fff, (b[pos + 16]! | (b[pos + 17]! << 8)) & 0x3fff);
      }
      if (fourcc === 'VP8X') {
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

// ---------------------------------------------------------------------------------------------
// GIF
//
// A GIF is a header, a screen descriptor with an optional global colour table, then blocks:
// images (0x2C), extensions (0x21) and the trailer (0x3B). Kept: the images with their graphic
// control extensions (frame delay, transparency, disposal) and the looping extension
// (NETSCAPE2.0 / ANIMEXTS1.0, rebuilt to its loop count alone). Dropped: comments (0xFE), plain
// text (0x01, with the graphic control that belongs to it), every other application extension
// (XMP "XMP DataXMP", with its GPS, ICC profiles, vendor data), unknown extensions, and anything
// after the trailer.

const GIF_IMAGE = 0x2c;
const GIF_EXTENSION = 0x21;
const GIF_TRAILER = 0x3b;
const GIF_GRAPHIC_CONTROL = 0xf9;
const GIF_APPLICATION = 0xff;
const GIF_LOOPING_APPS = new Set(['NETSCAPE2.0', 'ANIMEXTS1.0']);
const GIF_MAX_BLOCKS = 1_000_000;

function stripGif(b: Uint8Array): Uint8Array {
  const header = String.fromCharCode(...b.subarray(0, 6));
  if (b.length < 13 || (header !== 'GIF87a' && header !== 'GIF89a')) throw malformed();
  checkPixels(b[6]! | (b[7]! << 8), b[8]! | (b[9]! << 8)); // the logical screen
  const screenFlags = b[10]!;
  let pos = 13 + ((screenFlags & 0x80) !== 0 ? 3 * 2 ** ((screenFlags & 0x07) + 1) : 0);
  if (pos > b.length) throw malformed();
  const parts: Uint8Array[] = [b.subarray(0, pos)];

  /** The end of a chain of data sub-blocks starting at `at` (after its zero terminator). */
  const subBlocksEnd = (at: number): number => {
    let p = at;
    for (;;) {
      if (p >= b.length) throw malformed();
      const size = b[p]!;
      p += 1 + size;
      if (size === 0) return p;
    }
  };

  let pendingControl: Uint8Array | null = null;
  let images = 0;
  for (let blocks = 0; ; blocks++) {
    if (blocks > GIF_MAX_BLOCKS || pos >= b.length) throw malformed(); // no trailer
    const introducer = b[pos]!;
    if (introducer === GIF_TRAILER) {
      parts.push(Uint8Array.of(GIF_TRAILER));
      break;
    }
    if (introducer === GIF_IMAGE) {
      if (pos + 10 > b.length) throw malformed();
      checkPixels(b[pos + 5]! | (b[pos + 6]! << 8), b[pos + 7]! | (b[pos + 8]! << 8));
      const flags = b[pos + 9]!;
      let dataStart = pos + 10 + ((flags & 0x80) !== 0 ? 3 * 2 ** ((flags & 0x07) + 1) : 0);
      if (dataStart + 1 > b.length) throw malformed();
      dataStart += 1; // LZW minimum code size
      const end = subBlocksEnd(dataStart);
      if (pendingControl) parts.push(pendingControl);
      pendingControl = null;
      parts.push(b.subarray(pos, end));
      images++;
      pos = end;
      continue;
    }
    if (introducer !== GIF_EXTENSION || pos + 2 > b.length) throw malformed();
    const label = b[pos + 1]!;
    const end = subBlocksEnd(pos + 2);
    if (label === GIF_GRAPHIC_CONTROL) {
      // 21 F9 04 flags delay(2) transparent-index 00
      if (b[pos + 2] !== 4 || end !== pos + 8) throw malformed();
      pendingControl = b.subarray(pos, end);
    } else if (label === GIF_APPLICATION) {
      const loop = gifLoopCount(b, pos + 2, end);
      if (loop !== undefined) {
        parts.push(Uint8Array.of(0x21, 0xff, 0x0b, ...'NETSCAPE2.0'.split('').map((c) => c.charCodeAt(0)), 0x03, 0x01, loop & 0xff, loop >> 8, 0x00));
      }
    } else {
      // Comment, plain text or unknown: dropped; a plain-text block's graphic control goes with it.
      pendingControl = null;
    }
    pos = end;
  }
  if (images === 0) throw malformed();
  return concat(parts);
}

/** The loop count of a NETSCAPE2.0/ANIMEXTS1.0 extension, or undefined for any other application. */
function gifLoopCount(b: Uint8Array, start: number, end: number): number | undefined {
  if (b[start] !== 11 || start + 12 > end) return undefined;
  const identifier = String.fromCharCode(...b.subarray(start + 1, start + 12));
  if (!GIF_LOOPING_APPS.has(identifier)) return undefined;
  for (let p = start + 12; p < end && b[p] !== 0; p += 1 + b[p]!) {
    if (b[p] === 3 && b[p + 1] === 1) return b[p + 2]! | (b[p + 3]! << 8);
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// HEIC / HEIF (ISOBMFF)
//
// HEIF keeps EXIF and XMP as *items* of the `meta` box: `iinf` gives each item's type, `iloc`
// says where its bytes are (offsets into the file, usually inside `mdat`, or into the meta box's
// own `idat`). Cutting them out would shift every offset in `iloc` (and a sequence's sample
// tables), so their payloads are overwritten in place instead: same length, every box and offset
// still valid, image data byte-identical.
//
//  - `Exif` items become an empty EXIF block (tiff-header offset 6, "Exif\0\0", a TIFF header
//    whose IFD0 has no entries) followed by zeros. Orientation needs no keeping: in HEIF it is
//    the `irot`/`imir` properties, which stay.
//  - `mime` items with XMP (application/rdf+xml, not content-encoded) become an empty XMP packet
//    padded with spaces, so readers that validate XML stay quiet; other `mime` and `uri ` items
//    (and version 0/1 item infos, which can only describe such items) become zeros.
//  - Top-level boxes a reader never needs (`free`/`skip`, `uuid` such as C2PA, vendor boxes
//    such as a Samsung motion photo's `mpvd` video) and `udta` inside `moov`/`trak` are turned
//    into zero-filled `free` boxes.

const ISO_MAX_BOXES = 100_000;
const ISO_MAX_EXTENTS = 100_000;

/** Top-level boxes kept as they are: structure, image/sample data and fragments. */
const ISO_KEEP_TOP = new Set(['ftyp', 'meta', 'mdat', 'moov', 'moof', 'mfra', 'styp', 'sidx', 'ssix', 'prft', 'emsg', 'pdin']);
/** Top-level boxes whose bytes a metadata extent must never overwrite. */
const ISO_STRUCTURAL = new Set(['ftyp', 'meta', 'moov', 'moof', 'mfra', 'styp', 'sidx', 'ssix']);

const EMPTY_EXIF_ITEM = Uint8Array.of(
  0x00, 0x00, 0x00, 0x06, // exif_tiff_header_offset: the TIFF header follows "Exif\0\0"
  ...EXIF_HEADER,
  0x4d, 0x4d, 0x00, 0x2a, 0x00, 0x00, 0x00, 0x08, // "MM", 42, IFD0 at 8
  0x00, 0x00, // no entries
  0x00, 0x00, 0x00, 0x00, // no next IFD
);
const EMPTY_XMP_ITEM = new TextEncoder().encode('<x:xmpmeta xmlns:x="adobe:ns:meta/"/>');

interface IsoBox {
  type: string;
  start: number;
  /** First byte after size, type and (for size 1) largesize; a `uuid` box's usertype starts here. */
  payload: number;
  /** First byte of the content (after the usertype for `uuid`). */
  body: number;
  end: number;
}

/** A half-open byte range [start, end) of the file. */
type Range = [start: number, end: number];

interface HeifMetaItem {
  replacement: Uint8Array;
  pad: number;
  /** The item's payload, in order. */
  ranges: Range[];
  /** Those of its ranges that are file offsets (construction_method 0), not inside an idat. */
  fileRanges: Range[];
}

const be16 = (b: Uint8Array, o: number): number => (b[o]! << 8) | b[o + 1]!;
const be32 = (b: Uint8Array, o: number): number =>
  ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;
const fourcc = (b: Uint8Array, o: number): string => String.fromCharCode(b[o]!, b[o + 1]!, b[o + 2]!, b[o + 3]!);

/** Reads a big-endian unsigned field of 0, 2, 4 or 8 bytes; the caller checked the bounds. */
function beN(b: Uint8Array, o: number, size: number): number {
  if (size === 0) return 0;
  if (size === 2) return be16(b, o);
  if (size === 4) return be32(b, o);
  const high = be32(b, o);
  if (high > 0x1fffff) throw malformed(); // beyond 2^53: no buffer is that large
  return high * 2 ** 32 + be32(b, o + 4);
}

/** The boxes that exactly tile [start, end). */
function readIsoBoxes(b: Uint8Array, start: number, end: number): IsoBox[] {
  const boxes: IsoBox[] = [];
  let pos = start;
  while (pos < end) {
    if (boxes.length >= ISO_MAX_BOXES || end - pos < 8) throw malformed();
    const type = fourcc(b, pos + 4);
    let size = be32(b, pos);
    let payload = pos + 8;
    if (size === 1) {
      if (end - pos < 16) throw malformed();
      size = beN(b, pos + 8, 8);
      payload = pos + 16;
    } else if (size === 0) {
      size = end - pos; // runs to the end of the enclosing box (or file)
    }
    const body = type === 'uuid' ? payload + 16 : payload;
    if (size < body - pos || size > end - pos) throw malformed();
    boxes.push({ type, start: pos, payload, body, end: pos + size });
    pos += size;
  }
  return boxes;
}

/** The version of a FullBox, and where its fields start (after version and flags). */
function fullBox(b: Uint8Array, box: IsoBox): { version: number; pos: number } {
  if (box.end - box.body < 4) throw malformed();
  return { version: b[box.body]!, pos: box.body + 4 };
}

function single(boxes: IsoBox[], type: string): IsoBox | undefined {
  const found = boxes.filter((box) => box.type === type);
  if (found.length > 1) throw malformed();
  return found[0];
}

/** Overwrites a box in place with a zero-filled `free` box of the same size. */
function blankToFree(out: Uint8Array, box: IsoBox): void {
  out.set([0x66, 0x72, 0x65, 0x65], box.start + 4); // "free"
  out.fill(0, box.payload, box.end);
}

function stripHeif(input: Uint8Array): Uint8Array {
  const top = readIsoBoxes(input, 0, input.length);
  if (top[0]?.type !== 'ftyp') throw malformed();
  const metas = top.filter((box) => box.type === 'meta');
  const moov = single(top, 'moov');
  if (metas.length > 1) throw malformed();
  if (metas.length === 0 && moov === undefined) throw malformed(); // neither an image nor a sequence

  // An image sequence may also carry metadata in movie- and track-level meta and udta boxes.
  const udtas: IsoBox[] = [];
  if (moov !== undefined) {
    for (const box of readIsoBoxes(input, moov.body, moov.end)) {
      if (box.type === 'meta') metas.push(box);
      else if (box.type === 'udta') udtas.push(box);
      else if (box.type === 'trak') {
        for (const inner of readIsoBoxes(input, box.body, box.end)) {
          if (inner.type === 'meta') metas.push(inner);
          else if (inner.type === 'udta') udtas.push(inner);
        }
      }
    }
  }

  const items: HeifMetaItem[] = [];
  const imageRanges: Range[] = [];
  for (const meta of metas) readHeifMeta(input, meta, items, imageRanges);

  // Blanking must touch neither image data nor the boxes just parsed (extents in an `idat` lie
  // inside their meta box by design, so only file-offset extents are checked against structure).
  // A file that lays metadata over either is not something a camera writes.
  const keep = mergeRanges(imageRanges);
  const structure = mergeRanges(
    top.filter((box) => ISO_STRUCTURAL.has(box.type)).map((box): Range => [box.start, box.end]),
  );
  for (const item of items) {
    for (const range of item.ranges) if (overlapsAny(keep, range)) throw malformed();
    for (const range of item.fileRanges) if (overlapsAny(structure, range)) throw malformed();
  }

  const out = input.slice(); // never mutate the caller's buffer
  for (const item of items) {
    const total = item.ranges.reduce((n, [start, end]) => n + end - start, 0);
    // An item too small for the stub gets plain zeros rather than half a structure.
    const replacement = total >= item.replacement.length ? item.replacement : new Uint8Array(0);
    const pad = total >= item.replacement.length ? item.pad : 0;
    let written = 0;
    for (const [start, end] of item.ranges) {
      out.fill(pad, start, end);
      const piece = replacement.subarray(written, written + (end - start));
      out.set(piece, start);
      written += piece.length;
    }
  }

  for (const box of top) {
    if (!ISO_KEEP_TOP.has(box.type) && !overlapsAny(keep, [box.start, box.end])) blankToFree(out, box);
  }
  for (const box of udtas) if (!overlapsAny(keep, [box.start, box.end])) blankToFree(out, box);
  return out;
}

/**
 * Reads one `meta` box: which items are metadata (to be blanked) and where every item's bytes
 * are. Extents of all other items are collected as ranges that blanking must not touch.
 */
function readHeifMeta(b: Uint8Array, meta: IsoBox, items: HeifMetaItem[], imageRanges: Range[]): void {
  const header = fullBox(b, meta);
  if (header.version !== 0) throw malformed();
  const children = readIsoBoxes(b, header.pos, meta.end);
  const iinf = single(children, 'iinf');
  const iloc = single(children, 'iloc');
  const idat = single(children, 'idat');

  const kinds = new Map<number, { replacement: Uint8Array; pad: number } | null>();
  if (iinf !== undefined) {
    const { version, pos } = fullBox(b, iinf);
    if (version > 1) throw malformed();
    const countSize = version === 0 ? 2 : 4;
    if (pos + countSize > iinf.end) throw malformed();
    for (const infe of readIsoBoxes(b, pos + countSize, iinf.end)) {
      if (infe.type !== 'infe') continue;
      const item = readInfe(b, infe);
      if (kinds.has(item.id)) throw malformed();
      kinds.set(item.id, item.metadata);
    }
  }
  if (iloc === undefined) return;

  const { version, pos: start } = fullBox(b, iloc);
  if (version > 2) throw malformed();
  let pos = start;
  const need = (n: number): void => {
    if (pos + n > iloc.end) throw malformed();
  };
  need(2);
  const offsetSize = b[pos]! >> 4;
  const lengthSize = b[pos]! & 0x0f;
  const baseOffsetSize = b[pos + 1]! >> 4;
  const indexSize = version === 0 ? 0 : b[pos + 1]! & 0x0f; // reserved in version 0
  for (const size of [offsetSize, lengthSize, baseOffsetSize, indexSize]) {
    if (size !== 0 && size !== 4 && size !== 8) throw malformed();
  }
  pos += 2;
  const idSize = version < 2 ? 2 : 4;
  need(idSize);
  const itemCount = beN(b, pos, idSize);
  pos += idSize;
  // Each entry takes at least an ID, a data_reference_index and an extent_count.
  if (itemCount * (idSize + 4) > iloc.end - pos) throw malformed();

  const seen = new Set<number>();
  let extentTotal = 0;
  for (let i = 0; i < itemCount; i++) {
    need(idSize);
    const id = beN(b, pos, idSize);
    pos += idSize;
    if (seen.has(id)) throw malformed();
    seen.add(id);
    let method = 0;
    if (version >= 1) {
      need(2);
      method = be16(b, pos) & 0x0f;
      pos += 2;
    }
    need(2 + baseOffsetSize + 2);
    const dataReference = be16(b, pos);
    const baseOffset = beN(b, pos + 2, baseOffsetSize);
    const extentCount = be16(b, pos + 2 + baseOffsetSize);
    pos += 2 + baseOffsetSize + 2;
    extentTotal += extentCount;
    // With all field sizes 0 an extent takes no bytes, so the box size does not bound this loop.
    if (extentTotal > ISO_MAX_EXTENTS) throw malformed();

    const metadata = kinds.get(id) ?? null;
    const ranges: Range[] = [];
    const fileRanges: Range[] = [];
    for (let e = 0; e < extentCount; e++) {
      need(indexSize + offsetSize + lengthSize);
      const offset = beN(b, pos + indexSize, offsetSize);
      const length = beN(b, pos + indexSize + offsetSize, lengthSize);
      pos += indexSize + offsetSize + lengthSize;
      if (method > 2) throw malformed();
      if (method === 2 || dataReference !== 0) {
        // Data taken from other items, or from another file: nothing of this item's own to
        // blank. For a metadata item we cannot tell where its bytes are, so refuse the file.
        if (metadata !== null) throw malformed();
        continue;
      }
      // construction_method 0: offsets into the file; 1: into the idat box of this meta.
      let containerStart = 0;
      let containerEnd = b.length;
      if (method === 1) {
        if (idat === undefined) throw malformed();
        containerStart = idat.body;
        containerEnd = idat.end;
      }
      const from = containerStart + baseOffset + offset;
      // Length 0 means "the rest of the referenced data".
      const to = length === 0 ? containerEnd : from + length;
      if (from > containerEnd || to > containerEnd) throw malformed();
      ranges.push([from, to]);
      if (method === 0) fileRanges.push([from, to]);
    }
    if (metadata === null) for (const range of ranges) imageRanges.push(range);
    else items.push({ ...metadata, ranges, fileRanges });
  }
}

/** An item info entry: its ID and, for metadata items, what to overwrite the payload with. */
function readInfe(b: Uint8Array, infe: IsoBox): { id: number; metadata: { replacement: Uint8Array; pad: number } | null } {
  const { version, pos: start } = fullBox(b, infe);
  if (version > 3) throw malformed();
  let pos = start;
  const idSize = version === 3 ? 4 : 2;
  if (pos + idSize + 2 > infe.end) throw malformed();
  const id = beN(b, pos, idSize);
  pos += idSize + 2; // item_protection_index
  // Strings are NUL-terminated; a missing terminator on the last one is tolerated.
  const string = (): string => {
    let end = pos;
    while (end < infe.end && b[end] !== 0) end++;
    const text = String.fromCharCode(...b.subarray(pos, Math.min(end, pos + 256)));
    pos = Math.min(end + 1, infe.end);
    return text;
  };
  let itemType = 'mime';
  if (version >= 2) {
    if (pos + 4 > infe.end) throw malformed();
    itemType = fourcc(b, pos);
    pos += 4;
  }
  string(); // item_name
  if (itemType === 'Exif') return { id, metadata: { replacement: EMPTY_EXIF_ITEM, pad: 0 } };
  if (itemType === 'uri ') return { id, metadata: { replacement: new Uint8Array(0), pad: 0 } };
  if (itemType !== 'mime') return { id, metadata: null };
  const contentType = string().trim().toLowerCase();
  const contentEncoding = pos < infe.end ? string() : '';
  if (contentType === 'application/rdf+xml' && contentEncoding === '') {
    return { id, metadata: { replacement: EMPTY_XMP_ITEM, pad: 0x20 } };
  }
  return { id, metadata: { replacement: new Uint8Array(0), pad: 0 } };
}

/** Sorted, disjoint union of ranges. */
function mergeRanges(ranges: Range[]): Range[] {
  const sorted = ranges.filter(([s, e]) => e > s).sort((x, y) => x[0] - y[0]);
  const merged: Range[] = [];
  for (const [s, e] of sorted) {
    const last = merged.at(-1);
    if (last !== undefined && s <= last[1]) last[1] = Math.max(last[1], e);
    else merged.push([s, e]);
  }
  return merged;
}

/** Whether [start, end) intersects any range of a sorted, disjoint list. */
function overlapsAny(sorted: Range[], [start, end]: Range): boolean {
  if (end <= start) return false;
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]![1] <= start) lo = mid + 1;
    else hi = mid;
  }
  return lo < sorted.length && sorted[lo]![0] < end;
}
