/**
 * An image's width and height, read from its header bytes (never decoded): JPEG (the SOFn
 * segment), PNG (IHDR), WebP (VP8, VP8L, VP8X), GIF (the logical screen) and HEIC/HEIF (the
 * primary item's `ispe` property, or the largest `ispe` when the primary one cannot be told).
 * `null` when the bytes are not one of these or the header cannot be read: such a picture is not
 * counted as evidence (see `isEvidence`).
 */
export interface Pixels {
  width: number;
  height: number;
}

export function imageDimensions(b: Uint8Array): Pixels | null {
  try {
    return jpeg(b) ?? png(b) ?? gif(b) ?? webp(b) ?? heif(b);
  } catch {
    return null;
  }
}

const be16 = (b: Uint8Array, o: number) => (b[o]! << 8) | b[o + 1]!;
const be32 = (b: Uint8Array, o: number) => ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;
const le16 = (b: Uint8Array, o: number) => b[o]! | (b[o + 1]! << 8);
const le24 = (b: Uint8Array, o: number) => b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16);
const ascii = (b: Uint8Array, o: number, n: number) => String.fromCharCode(...b.subarray(o, o + n));
const valid = (width: number, height: number): Pixels | null => (width > 0 && height > 0 ? { width, height } : null);

function jpeg(b: Uint8Array): Pixels | null {
  if (b.length < 4 || b[0] !== 0xff || b[1] !== 0xd8) return null;
  let pos = 2;
  while (pos + 4 <= b.length) {
    if (b[pos] !== 0xff) return null;
    const marker = b[pos + 1]!;
    if (marker === 0xff) {
      pos++; // fill byte
      continue;
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      pos += 2;
      continue;
    }
    const length = be16(b, pos + 2);
    // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC): precision, height, width.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      if (pos + 9 > b.length) return null;
      return valid(be16(b, pos + 7), be16(b, pos + 5));
    }
    if (marker === 0xda || marker === 0xd9 || length < 2) return null;
    pos += 2 + length;
  }
  return null;
}

function png(b: Uint8Array): Pixels | null {
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (b.length < 24 || !signature.every((v, i) => b[i] === v) || ascii(b, 12, 4) !== 'IHDR') return null;
  return valid(be32(b, 16), be32(b, 20));
}

function gif(b: Uint8Array): Pixels | null {
  if (b.length < 10 || ascii(b, 0, 4) !== 'GIF8') return null;
  return valid(le16(b, 6), le16(b, 8));
}

function webp(b: Uint8Array): Pixels | null {
  if (b.length < 30 || ascii(b, 0, 4) !== 'RIFF' || ascii(b, 8, 4) !== 'WEBP') return null;
  const chunk = ascii(b, 12, 4);
  if (chunk === 'VP8X') return valid(le24(b, 24) + 1, le24(b, 27) + 1);
  if (chunk === 'VP8L') {
    if (b[20] !== 0x2f) return null;
    const bits = (b[21]! | (b[22]! << 8) | (b[23]! << 16) | (b[24]! << 24)) >>> 0;
    return valid((bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1);
  }
  if (chunk === 'VP8 ') {
    if (b[23] !== 0x9d || b[24] !== 0x01 || b[25] !== 0x2a) return null;
    return valid(le16(b, 26) & 0x3fff, le16(b, 28) & 0x3fff);
  }
  return null;
}

/** ISO BMFF boxes between start and end: [type, payload start, end]. */
function* boxes(b: Uint8Array, start: number, end: number): Generator<[string, number, number]> {
  let pos = start;
  while (pos + 8 <= end) {
    let size = be32(b, pos);
    const type = ascii(b, pos + 4, 4);
    let header = 8;
    if (size === 1) {
      if (pos + 16 > end) return;
      size = be32(b, pos + 8) * 2 ** 32 + be32(b, pos + 12);
      header = 16;
    } else if (size === 0) size = end - pos;
    if (size < header || pos + size > end) return;
    yield [type, pos + header, pos + size];
    pos += size;
  }
}

function heif(b: Uint8Array): Pixels | null {
  if (b.length < 16 || ascii(b, 4, 4) !== 'ftyp') return null;
  const meta = [...boxes(b, 0, b.length)].find(([type]) => type === 'meta');
  if (!meta) return null;
  // meta is a full box: 4 bytes of version and flags before its children.
  const children = [...boxes(b, meta[1] + 4, meta[2])];
  let primary: number | undefined;
  const pitm = children.find(([type]) => type === 'pitm');
  if (pitm) primary = b[pitm[1]] === 0 ? be16(b, pitm[1] + 4) : be32(b, pitm[1] + 4);
  const iprp = children.find(([type]) => type === 'iprp');
  if (!iprp) return null;
  const iprpChildren = [...boxes(b, iprp[1], iprp[2])];
  const ipco = iprpChildren.find(([type]) => type === 'ipco');
  if (!ipco) return null;
  const properties = [...boxes(b, ipco[1], ipco[2])];
  const sizeOf = (index: number): Pixels | null => {
    const box = properties[index - 1];
    if (box?.[0] !== 'ispe' || box[1] + 12 > box[2]) return null;
    return valid(be32(b, box[1] + 4), be32(b, box[1] + 8));
  };
  // ipma: which properties belong to the primary item.
  const ipma = iprpChildren.find(([type]) => type === 'ipma');
  if (ipma && primary !== undefined) {
    const version = b[ipma[1]]!;
    const flags = b[ipma[1] + 3]! & 1;
    let pos = ipma[1] + 4;
    const count = be32(b, pos);
    pos += 4;
    for (let i = 0; i < count && pos < ipma[2]; i++) {
      const id = version < 1 ? be16(b, pos) : be32(b, pos);
      pos += version < 1 ? 2 : 4;
      const n = b[pos]!;
      pos++;
      for (let j = 0; j < n; j++) {
        const index = flags ? be16(b, pos) & 0x7fff : b[pos]! & 0x7f;
        pos += flags ? 2 : 1;
        if (id === primary) {
          const found = sizeOf(index);
          if (found) return found;
        }
      }
    }
  }
  // Otherwise the largest declared size (thumbnails are smaller than the image).
  let best: Pixels | null = null;
  for (let i = 1; i <= properties.length; i++) {
    const found = sizeOf(i);
    if (found && (!best || found.width * found.height > best.width * best.height)) best = found;
  }
  return best;
}

/** The least an evidence photo may be: 320 × 240, either way round. */
export const MIN_EVIDENCE_PIXELS = { long: 320, short: 240 } as const;

const DOCUMENT_TYPES = new Set([
  'application/pdf',
  'application/msword',
  'application/vnd.ms-excel',
  'application/vnd.ms-powerpoint',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/vnd.oasis.opendocument.text',
  'application/vnd.oasis.opendocument.spreadsheet',
]);

/** Whether a stored file counts as evidence of an answer: a document, or a photo of at least 320 × 240. */
export function isEvidence(file: { mediaType: string; pixels?: Pixels | null }): boolean {
  const type = file.mediaType.split(';')[0]!.trim().toLowerCase();
  if (DOCUMENT_TYPES.has(type)) return true;
  if (!type.startsWith('image/') || !file.pixels) return false;
  const long = Math.max(file.pixels.width, file.pixels.height);
  const short = Math.min(file.pixels.width, file.pixels.height);
  return long >= MIN_EVIDENCE_PIXELS.long && short >= MIN_EVIDENCE_PIXELS.short;
}
