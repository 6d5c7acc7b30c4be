import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { crc32, inflateSync } from 'node:zlib';
import { fileTypeFromBuffer } from 'file-type';
import { AppError } from '../../errors.ts';
import { stripMetadata } from './strip-metadata.ts';

const fixture = (name: string): Uint8Array =>
  new Uint8Array(readFileSync(new URL(`../../../test/fixtures/attachments/${name}`, import.meta.url)));

const enc = new TextEncoder();
const ascii = (s: string): Uint8Array => enc.encode(s);

function indexOfBytes(hay: Uint8Array, needle: Uint8Array, from = 0): number {
  outer: for (let i = from; i <= hay.length - needle.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}
const has = (hay: Uint8Array, needle: string | Uint8Array): boolean =>
  indexOfBytes(hay, typeof needle === 'string' ? ascii(needle) : needle) !== -1;

const concat = (...parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
};

function assertMalformed(fn: () => unknown): void {
  assert.throws(fn, (e: unknown) => e instanceof AppError && e.code === 'invalid_input');
}

/** Deterministic PRNG so fuzz failures reproduce. */
function prng(seed: number): () => number {
  return () => {
    seed = (seed * 1664525 + 1013904223) >>> 0;
    return seed / 2 ** 32;
  };
}

// Identifying values the fixtures were generated with (see test/fixtures/attachments/generate.sh).
const IDENTIFYING = ['SAMSUNG', 'SM-A546E', 'Budi Santoso', 'R58T90ABCDE', '2026:11:03 08:15:00'];
// GPSLatitude 6° 10' 31.4112" as three big-endian RATIONALs (6/1, 10/1, 19632/625), as exiftool wrote it.
const GPS_LATITUDE_RATIONALS = Uint8Array.of(
  0, 0, 0, 6, 0, 0, 0, 1, 0, 0, 0, 10, 0, 0, 0, 1, 0, 0, 0x4c, 0xb0, 0, 0, 0x02, 0x71,
);

// ---------------------------------------------------------------------------------------------
// An independent JPEG walker for the assertions (deliberately simpler than the code under test).

interface JpegSegment {
  marker: number;
  start: number; // offset of the 0xFF that starts the marker
  end: number; // end of the segment (for SOS: end of the header, not the scan data)
}

function walkJpeg(b: Uint8Array): { segments: JpegSegment[]; firstSos: number; eoiEnd: number } {
  assert.equal(b[0], 0xff);
  assert.equal(b[1], 0xd8);
  const segments: JpegSegment[] = [];
  let pos = 2;
  let firstSos = -1;
  for (;;) {
    assert.equal(b[pos], 0xff, `marker expected at ${pos}`);
    const start = pos;
    while (b[pos] === 0xff) pos++;
    const marker = b[pos++]!;
    if (marker === 0xd9) {
      segments.push({ marker, start, end: pos });
      return { segments, firstSos, eoiEnd: pos };
    }
    if (marker >= 0xd0 && marker <= 0xd7) {
      segments.push({ marker, start, end: pos });
      continue;
    }
    const length = (b[pos]! << 8) | b[pos + 1]!;
    assert.ok(length >= 2 && pos + length <= b.length, `segment 0x${marker.toString(16)} fits`);
    pos += length;
    segments.push({ marker, start, end: pos });
    if (marker === 0xda) {
      if (firstSos === -1) firstSos = start;
      // Skip entropy-coded data (0xFF00 is a stuffed byte); RSTn markers inside it are recorded.
      for (;;) {
        assert.ok(pos < b.length, 'scan data ends with a marker');
        if (b[pos] !== 0xff || b[pos + 1] === 0x00) {
          pos += b[pos] === 0xff ? 2 : 1;
          continue;
        }
        let next = pos + 1;
        while (b[next] === 0xff) next++;
        if (b[next]! >= 0xd0 && b[next]! <= 0xd7) {
          segments.push({ marker: b[next]!, start: pos, end: next + 1 });
          pos = next + 1;
          continue;
        }
        break;
      }
    }
  }
}

const markersOf = (b: Uint8Array): number[] => walkJpeg(b).segments.map((s) => s.marker);
const segmentBytes = (b: Uint8Array, s: JpegSegment): Uint8Array => b.subarray(s.start, s.end);

function jpegSegment(marker: number, payload: Uint8Array): Uint8Array {
  const length = payload.length + 2;
  return concat(Uint8Array.of(0xff, marker, length >> 8, length & 0xff), payload);
}

/** Inserts extra segments right after SOI (and after APP0 if the file starts with one). */
function withSegmentsAfterApp0(jpeg: Uint8Array, ...segments: Uint8Array[]): Uint8Array {
  const first = walkJpeg(jpeg).segments[0]!;
  const at = first.marker === 0xe0 ? first.end : 2;
  return concat(jpeg.subarray(0, at), ...segments, jpeg.subarray(at));
}

// ---------------------------------------------------------------------------------------------
// JPEG

test('JPEG: EXIF GPS, camera, owner, XMP, IPTC and comments are removed; pixels stay byte-identical', async () => {
  const input = fixture('photo-gps.jpg');
  // Positive control: the fixture really carries what we claim to strip.
  for (const s of IDENTIFYING) assert.ok(has(input, s), `fixture contains ${s}`);
  assert.ok(has(input, GPS_LATITUDE_RATIONALS));
  assert.ok(has(input, 'http://ns.adobe.com/xap/1.0/'));
  assert.ok(has(input, 'Photoshop 3.0'));
  assert.ok(markersOf(input).includes(0xfe));

  const output = stripMetadata('image/jpeg', input);

  for (const s of IDENTIFYING) assert.ok(!has(output, s), `${s} removed`);
  assert.ok(!has(output, GPS_LATITUDE_RATIONALS), 'GPS coordinates removed');
  assert.ok(!has(output, 'http://ns.adobe.com/xap/1.0/'), 'XMP removed');
  assert.ok(!has(output, 'Photoshop 3.0'), 'IPTC removed');
  assert.ok(!has(output, 'Pelapor'), 'COM text removed');

  const walked = walkJpeg(output);
  const markers = walked.segments.map((s) => s.marker);
  assert.equal(markers[0], 0xe0, 'JFIF APP0 stays first');
  assert.ok(!markers.includes(0xfe), 'no COM');
  assert.ok(!markers.some((m) => m >= 0xe2 && m <= 0xef && m !== 0xee), 'no APP2..APP15 except APP14');
  assert.equal(walked.eoiEnd, output.length, 'ends at EOI');

  // The fixture has Orientation 6; only that tag survives, in a fresh minimal EXIF block.
  const app1 = walked.segments.filter((s) => s.marker === 0xe1);
  assert.equal(app1.length, 1);
  assert.deepEqual(
    [...segmentBytes(output, app1[0]!)],
    [
      0xff, 0xe1, 0x00, 0x22, 0x45, 0x78, 0x69, 0x66, 0x00, 0x00, 0x4d, 0x4d, 0x00, 0x2a, 0x00, 0x00, 0x00, 0x08,
      0x00, 0x01, 0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    ],
  );
  assert.equal(markers[1], 0xe1, 'orientation EXIF right after APP0');

  // Quantisation/Huffman tables, frame header and entropy-coded data are untouched, so the
  // decoded pixels are identical (verified with ImageMagick `compare` when writing this).
  const inWalk = walkJpeg(input);
  assert.deepEqual(output.subarray(walked.firstSos), input.subarray(inWalk.firstSos, inWalk.eoiEnd));
  const tables = (b: Uint8Array, w: ReturnType<typeof walkJpeg>) =>
    w.segments.filter((s) => [0xdb, 0xc4, 0xc0, 0xc2, 0xdd].includes(s.marker)).map((s) => [...segmentBytes(b, s)]);
  assert.deepEqual(tables(output, walked), tables(input, inWalk));

  assert.deepEqual(await fileTypeFromBuffer(output), { ext: 'jpg', mime: 'image/jpeg' });
});

test('JPEG: progressive with restart markers and no APP0; no orientation means no EXIF at all', () => {
  const input = fixture('photo-progressive.jpg');
  for (const s of IDENTIFYING) assert.ok(has(input, s));
  const inMarkers = markersOf(input);
  assert.ok(inMarkers.filter((m) => m === 0xda).length > 1, 'fixture has several scans');
  assert.ok(inMarkers.includes(0xd0), 'fixture has restart markers');

  const output = stripMetadata('image/jpeg', input);
  for (const s of IDENTIFYING) assert.ok(!has(output, s));
  assert.ok(!has(output, 'Exif\0\0'), 'no EXIF header left');
  assert.deepEqual(
    markersOf(output),
    inMarkers.filter((m) => m !== 0xe1),
    'only the EXIF APP1 is gone; every table, scan and restart marker is kept in order',
  );
  const w = walkJpeg(output);
  const wi = walkJpeg(input);
  assert.deepEqual(output.subarray(w.firstSos), input.subarray(wi.firstSos, wi.eoiEnd));
});

test('JPEG: little-endian EXIF orientation is carried over; APP14 kept, ICC/C2PA/IPTC/APP15 dropped', () => {
  const base = stripMetadata('image/jpeg', fixture('photo-progressive.jpg'));
  // II*\0, IFD0 at 8, two entries: Make (ASCII "Leak") and Orientation = 8.
  const tiffLe = Uint8Array.of(
    0x49, 0x49, 0x2a, 0x00, 0x08, 0x00, 0x00, 0x00, 0x02, 0x00,
    0x0f, 0x01, 0x02, 0x00, 0x04, 0x00, 0x00, 0x00, 0x4c, 0x65, 0x61, 0x6b, // Make, inline "Leak"
    0x12, 0x01, 0x03, 0x00, 0x01, 0x00, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00, // Orientation 8
    0x00, 0x00, 0x00, 0x00,
  );
  const adobe = jpegSegment(0xee, concat(ascii('Adobe'), Uint8Array.of(0, 100, 0, 0, 0, 0, 1)));
  const input = withSegmentsAfterApp0(
    base,
    jpegSegment(0xe1, concat(ascii('Exif\0\0'), tiffLe)),
    jpegSegment(0xe2, ascii('ICC_PROFILE\0\x01\x01Canon EOS profile')),
    jpegSegment(0xeb, ascii('JP\0\0c2pa-manifest signed-by: Leak')),
    jpegSegment(0xed, ascii('Photoshop 3.0\0 Leak')),
    adobe,
    jpegSegment(0xef, ascii('vendor Leak')),
    jpegSegment(0xfe, ascii('Leak')),
  );
  const output = stripMetadata('image/jpeg', input);
  assert.ok(!has(output, 'Leak'));
  assert.ok(!has(output, 'ICC_PROFILE'));
  assert.ok(has(output, adobe), 'APP14 kept byte-for-byte');
  const app1 = walkJpeg(output).segments.filter((s) => s.marker === 0xe1);
  assert.equal(app1.length, 1);
  const exif = segmentBytes(output, app1[0]!);
  assert.equal(exif[29], 8, 'orientation value 8 written big-endian in the minimal EXIF');
});

test('JPEG: data after EOI (MPF secondary image with its own EXIF) is dropped', () => {
  const primary = fixture('photo-progressive.jpg');
  const secondary = fixture('photo-gps.jpg');
  const output = stripMetadata('image/jpeg', concat(primary, secondary));
  for (const s of IDENTIFYING) assert.ok(!has(output, s));
  assert.equal(walkJpeg(output).eoiEnd, output.length);
  assert.deepEqual(output, stripMetadata('image/jpeg', primary));
});

test('JPEG: fill bytes before markers are accepted, including inside and after scans', () => {
  const input = fixture('photo-progressive.jpg');
  const w = walkJpeg(input);
  // Put extra 0xFF fill bytes before every marker that follows a segment or scan.
  const parts: Uint8Array[] = [input.subarray(0, 2)];
  let last = 2;
  for (const s of w.segments) {
    parts.push(input.subarray(last, s.start), Uint8Array.of(0xff, 0xff, 0xff));
    last = s.start;
  }
  parts.push(input.subarray(last, w.eoiEnd));
  const padded = concat(...parts);
  const output = stripMetadata('image/jpeg', padded);
  assert.equal(walkJpeg(output).eoiEnd, output.length);
  assert.deepEqual(
    markersOf(output),
    markersOf(input).filter((m) => m !== 0xe1),
  );
});

test('JPEG: truncated or corrupt input fails with invalid_input, never a crash', () => {
  const input = fixture('photo-gps.jpg');
  const eoiEnd = walkJpeg(input).eoiEnd;
  // Every truncation before the EOI is malformed.
  for (let length = 0; length < eoiEnd; length += length < 64 ? 1 : 37) {
    assertMalformed(() => stripMetadata('image/jpeg', input.subarray(0, length)));
  }
  assertMalformed(() => stripMetadata('image/jpeg', ascii('not a jpeg at all')));
  assertMalformed(() => stripMetadata('image/jpeg', Uint8Array.of(0xff, 0xd8, 0xff, 0xe1, 0x00, 0x01)));
  assertMalformed(() => stripMetadata('image/jpeg', Uint8Array.of(0xff, 0xd8, 0xff, 0xe1, 0xff, 0xff, 0x00)));
  assertMalformed(() => stripMetadata('image/jpeg', Uint8Array.of(0xff, 0xd8, 0xff, 0xd8, 0xff, 0xd9)));

  // Random byte flips: either a valid result or a clean AppError.
  const random = prng(42);
  for (let round = 0; round < 500; round++) {
    const mutated = input.slice();
    for (let k = 0; k < 4; k++) mutated[Math.floor(random() * mutated.length)] = Math.floor(random() * 256);
    try {
      stripMetadata('image/jpeg', mutated);
    } catch (error) {
      assert.ok(error instanceof AppError && error.code === 'invalid_input', String(error));
    }
  }
});

test('JPEG: the caller\'s buffer is not modified', () => {
  const input = fixture('photo-gps.jpg');
  const copy = input.slice();
  stripMetadata('image/jpeg', input);
  assert.deepEqual(input, copy);
});

// ---------------------------------------------------------------------------------------------
// PNG

interface PngChunk {
  type: string;
  data: Uint8Array;
  raw: Uint8Array;
}

function walkPng(b: Uint8Array): PngChunk[] {
  assert.deepEqual([...b.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const chunks: PngChunk[] = [];
  let pos = 8;
  while (pos < b.length) {
    const length = view.getUint32(pos);
    const type = String.fromCharCode(...b.subarray(pos + 4, pos + 8));
    assert.ok(pos + 12 + length <= b.length, `${type} fits`);
    assert.equal(crc32(b.subarray(pos + 4, pos + 8 + length)), view.getUint32(pos + 8 + length), `${type} CRC`);
    chunks.push({ type, data: b.subarray(pos + 8, pos + 8 + length), raw: b.subarray(pos, pos + 12 + length) });
    pos += 12 + length;
  }
  return chunks;
}

function pngChunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  out.set(ascii(type), 4);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/** Inserts chunks after IHDR. */
function withPngChunks(png: Uint8Array, ...chunks: Uint8Array[]): Uint8Array {
  const ihdrEnd = 8 + 12 + 13;
  return concat(png.subarray(0, ihdrEnd), ...chunks, png.subarray(ihdrEnd));
}

test('PNG: tEXt, iTXt (XMP), eXIf and tIME are removed; the image still decodes', async () => {
  const input = fixture('screenshot-text.png');
  const inTypes = walkPng(input).map((c) => c.type);
  for (const t of ['tEXt', 'iTXt', 'eXIf', 'tIME']) assert.ok(inTypes.includes(t), `fixture has ${t}`);
  for (const s of ['Siti Rahayu', 'SAMSUNG', 'SM-A546E', 'Budi Santoso']) assert.ok(has(input, s));

  const output = stripMetadata('image/png', input);
  for (const s of ['Siti Rahayu', 'SAMSUNG', 'SM-A546E', 'Budi Santoso', 'Exif', 'date:create']) {
    assert.ok(!has(output, s), `${s} removed`);
  }
  const chunks = walkPng(output); // also verifies every CRC
  assert.deepEqual(
    chunks.map((c) => c.type),
    inTypes.filter((t) => !['tEXt', 'iTXt', 'zTXt', 'eXIf', 'tIME'].includes(t)),
  );
  assert.equal(chunks[0]!.type, 'IHDR');
  assert.equal(chunks.at(-1)!.type, 'IEND');

  // Decode the pixel stream: inflate IDAT and check it has exactly one filtered row per line.
  const ihdr = new DataView(chunks[0]!.data.buffer, chunks[0]!.data.byteOffset);
  const width = ihdr.getUint32(0);
  const height = ihdr.getUint32(4);
  const bitDepth = chunks[0]!.data[8]!;
  const colourType = chunks[0]!.data[9]!;
  const channels = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 }[colourType]!;
  const rowBytes = Math.ceil((width * channels * bitDepth) / 8);
  const pixels = inflateSync(concat(...chunks.filter((c) => c.type === 'IDAT').map((c) => c.data)));
  assert.equal(pixels.length, height * (1 + rowBytes));
  assert.deepEqual(
    chunks.filter((c) => c.type === 'IDAT').map((c) => [...c.raw]),
    walkPng(input).filter((c) => c.type === 'IDAT').map((c) => [...c.raw]),
  );

  assert.deepEqual(await fileTypeFromBuffer(output), { ext: 'png', mime: 'image/png' });
});

test('PNG: zTXt, C2PA and unknown private chunks go, colour chunks stay, bytes after IEND go', () => {
  const base = fixture('screenshot-text.png');
  const srgb = pngChunk('sRGB', Uint8Array.of(0));
  const input = concat(
    withPngChunks(
      base,
      pngChunk('zTXt', concat(ascii('Author\0\0'), Uint8Array.of(0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01))),
      pngChunk('caBX', ascii('c2pa Leak')),
      pngChunk('prVt', ascii('vendor Leak')),
      srgb,
    ),
    ascii('trailing Leak'),
  );
  const output = stripMetadata('image/png', input);
  const types = walkPng(output).map((c) => c.type);
  assert.ok(!types.includes('zTXt') && !types.includes('caBX') && !types.includes('prVt'));
  assert.ok(has(output, srgb));
  assert.ok(!has(output, 'Leak'));
  assert.equal(types.at(-1), 'IEND');
});

test('PNG: bad CRC, truncation, unknown critical chunk or missing IHDR is invalid_input', () => {
  const input = fixture('screenshot-text.png');
  const badCrc = input.slice();
  badCrc[8 + 8 + 5] = badCrc[8 + 8 + 5]! ^ 0x01; // a byte inside IHDR data
  assertMalformed(() => stripMetadata('image/png', badCrc));
  for (let length = 0; length < input.length; length += 7) {
    assertMalformed(() => stripMetadata('image/png', input.subarray(0, length)));
  }
  assertMalformed(() => stripMetadata('image/png', withPngChunks(input, pngChunk('QQQQ', ascii('x')))));
  const noIhdr = concat(input.subarray(0, 8), pngChunk('gAMA', Uint8Array.of(0, 0, 0xb1, 0x8f)), input.subarray(8));
  assertMalformed(() => stripMetadata('image/png', noIhdr));
  const lengthOverflow = input.slice();
  lengthOverflow.set([0xff, 0xff, 0xff, 0xf0], 8);
  assertMalformed(() => stripMetadata('image/png', lengthOverflow));
});

// ---------------------------------------------------------------------------------------------
// WebP

interface RiffChunk {
  fourcc: string;
  data: Uint8Array;
}

function walkWebp(b: Uint8Array): RiffChunk[] {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  assert.equal(String.fromCharCode(...b.subarray(0, 4)), 'RIFF');
  assert.equal(String.fromCharCode(...b.subarray(8, 12)), 'WEBP');
  assert.equal(view.getUint32(4, true), b.length - 8, 'RIFF size matches the file');
  const chunks: RiffChunk[] = [];
  let pos = 12;
  while (pos < b.length) {
    const size = view.getUint32(pos + 4, true);
    assert.ok(pos + 8 + size <= b.length);
    chunks.push({ fourcc: String.fromCharCode(...b.subarray(pos, pos + 4)), data: b.subarray(pos + 8, pos + 8 + size) });
    pos += 8 + size + (size % 2);
  }
  assert.equal(pos, b.length, 'chunks padded to even sizes and end exactly at the end');
  return chunks;
}

test('WebP: EXIF and XMP chunks removed, VP8X flags cleared, RIFF size fixed', async () => {
  const input = fixture('photo-exif.webp');
  const inChunks = walkWebp(input);
  assert.deepEqual(inChunks.map((c) => c.fourcc), ['VP8X', 'VP8 ', 'EXIF', 'XMP ']);
  assert.equal(inChunks[0]!.data[0]! & 0x0c, 0x0c, 'fixture flags EXIF and XMP');
  for (const s of IDENTIFYING) assert.ok(has(input, s));

  const output = stripMetadata('image/webp', input);
  for (const s of IDENTIFYING) assert.ok(!has(output, s));
  const chunks = walkWebp(output);
  assert.deepEqual(chunks.map((c) => c.fourcc), ['VP8X', 'VP8 ']);
  assert.equal(chunks[0]!.data[0]! & 0x0c, 0, 'EXIF and XMP flags cleared');
  assert.deepEqual([...chunks[0]!.data.subarray(1)], [...inChunks[0]!.data.subarray(1)], 'canvas size unchanged');
  assert.deepEqual(chunks[1]!.data, inChunks[1]!.data, 'bitstream unchanged');
  assert.deepEqual(await fileTypeFromBuffer(output), { ext: 'webp', mime: 'image/webp' });
});

test('WebP: ICC profile and its flag stay; unknown odd-sized chunks are dropped with their padding', () => {
  const input = fixture('photo-exif.webp');
  const chunks = walkWebp(input);
  const riffChunk = (fourcc: string, data: Uint8Array) => {
    const head = new Uint8Array(8);
    head.set(ascii(fourcc));
    new DataView(head.buffer).setUint32(4, data.length, true);
    return concat(head, data, data.length % 2 ? Uint8Array.of(0) : new Uint8Array(0));
  };
  const vp8x = chunks[0]!.data.slice();
  vp8x[0] = vp8x[0]! | 0x20; // ICC flag
  const body = concat(
    riffChunk('VP8X', vp8x),
    riffChunk('ICCP', ascii('icc-bytes')),
    riffChunk('C2PA', ascii('Leak')),
    riffChunk('ABCD', ascii('odd Leak')),
    riffChunk('VP8 ', chunks[1]!.data),
    riffChunk('EXIF', ascii('Exif\0\0MM Leak')),
  );
  const header = concat(ascii('RIFF'), new Uint8Array(4), ascii('WEBP'));
  new DataView(header.buffer).setUint32(4, body.length + 4, true);
  const output = stripMetadata('image/webp', concat(header, body));
  const out = walkWebp(output);
  assert.deepEqual(out.map((c) => c.fourcc), ['VP8X', 'ICCP', 'VP8 ']);
  assert.equal(out[0]!.data[0]!, 0x20, 'only the ICC flag remains');
  assert.ok(!has(output, 'Leak'));
});

test('WebP: truncated or inconsistent RIFF is invalid_input', () => {
  const input = fixture('photo-exif.webp');
  for (let length = 0; length < input.length; length += 13) {
    assertMalformed(() => stripMetadata('image/webp', input.subarray(0, length)));
  }
  const tooBig = input.slice();
  new DataView(tooBig.buffer).setUint32(4, input.length, true);
  assertMalformed(() => stripMetadata('image/webp', tooBig));
  const metadataOnly = concat(ascii('RIFF'), Uint8Array.of(12, 0, 0, 0), ascii('WEBP'), ascii('EXIF'), new Uint8Array(4));
  assertMalformed(() => stripMetadata('image/webp', metadataOnly));
});

// ---------------------------------------------------------------------------------------------
// HEIC / HEIF: an independent ISOBMFF walker and item locator for the assertions.

interface IsoBoxT {
  type: string;
  start: number;
  body: number;
  end: number;
}

/** Asserts that boxes exactly tile [start, end) and returns them. */
function walkIso(b: Uint8Array, start = 0, end = b.length): IsoBoxT[] {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const boxes: IsoBoxT[] = [];
  let pos = start;
  while (pos < end) {
    assert.ok(end - pos >= 8, `box header fits at ${pos}`);
    let size = view.getUint32(pos);
    const type = String.fromCharCode(...b.subarray(pos + 4, pos + 8));
    let body = pos + 8;
    if (size === 1) {
      size = Number(view.getBigUint64(pos + 8));
      body += 8;
    } else if (size === 0) size = end - pos;
    if (type === 'uuid') body += 16;
    assert.ok(size >= body - pos && pos + size <= end, `${type} at ${pos} fits`);
    boxes.push({ type, start: pos, body, end: pos + size });
    pos += size;
  }
  return boxes;
}

const child = (b: Uint8Array, parent: IsoBoxT, type: string, fullBox = false): IsoBoxT | undefined =>
  walkIso(b, parent.body + (fullBox ? 4 : 0), parent.end).find((x) => x.type === type);

interface HeifItemT {
  type: string;
  contentType?: string;
  ranges: Array<[number, number]>;
}

/** Items of the file-level meta box with their absolute byte ranges (construction methods 0 and 1). */
function heifItems(b: Uint8Array): Map<number, HeifItemT> {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const meta = walkIso(b).find((x) => x.type === 'meta')!;
  const iinf = child(b, meta, 'iinf', true)!;
  const iloc = child(b, meta, 'iloc', true)!;
  const idat = child(b, meta, 'idat', true);
  const items = new Map<number, HeifItemT>();
  const cstr = (from: number): [string, number] => {
    const nul = b.indexOf(0, from);
    return [String.fromCharCode(...b.subarray(from, nul)), nul + 1];
  };
  for (const infe of walkIso(b, iinf.body + 4 + (b[iinf.body] === 0 ? 2 : 4), iinf.end)) {
    const version = b[infe.body]!;
    let p = infe.body + 4;
    const id = version === 3 ? view.getUint32(p) : view.getUint16(p);
    p += (version === 3 ? 4 : 2) + 2;
    const type = String.fromCharCode(...b.subarray(p, p + 4));
    const [, afterName] = cstr(p + 4);
    items.set(id, { type, contentType: type === 'mime' ? cstr(afterName)[0] : undefined, ranges: [] });
  }
  const version = b[iloc.body]!;
  let p = iloc.body + 4;
  const read = (size: number): number => {
    const v = size === 0 ? 0 : size === 2 ? view.getUint16(p) : size === 4 ? view.getUint32(p) : Number(view.getBigUint64(p));
    p += size;
    return v;
  };
  const [offsetSize, lengthSize, baseSize] = [b[p]! >> 4, b[p]! & 15, b[p + 1]! >> 4];
  const indexSize = version > 0 ? b[p + 1]! & 15 : 0;
  p += 2;
  const count = read(version < 2 ? 2 : 4);
  for (let i = 0; i < count; i++) {
    const id = read(version < 2 ? 2 : 4);
    const method = version > 0 ? read(2) & 15 : 0;
    read(2); // data_reference_index
    const base = read(baseSize);
    const extents = read(2);
    const container: [number, number] = method === 1 ? [idat!.body, idat!.end] : [0, b.length];
    for (let e = 0; e < extents; e++) {
      read(indexSize);
      const from = container[0] + base + read(offsetSize);
      const length = read(lengthSize);
      items.get(id)!.ranges.push([from, length === 0 ? container[1] : from + length]);
    }
  }
  return items;
}

const itemBytes = (b: Uint8Array, item: HeifItemT): Uint8Array =>
  concat(...item.ranges.map(([s, e]) => b.subarray(s, e)));

// What a blanked EXIF item starts with: tiff-header offset 6, "Exif\0\0", an empty big-endian TIFF.
const EMPTY_EXIF_ITEM = concat(Uint8Array.of(0, 0, 0, 6), ascii('Exif\0\0'), Uint8Array.of(0x4d, 0x4d, 0, 0x2a, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0));
const EMPTY_XMP = ascii('<x:xmpmeta xmlns:x="adobe:ns:meta/"/>');

function assertBlankedExif(payload: Uint8Array): void {
  assert.deepEqual(payload.subarray(0, EMPTY_EXIF_ITEM.length), EMPTY_EXIF_ITEM);
  assert.ok(payload.subarray(EMPTY_EXIF_ITEM.length).every((x) => x === 0), 'rest of the EXIF item is zeros');
}
function assertBlankedXmp(payload: Uint8Array): void {
  assert.deepEqual(payload.subarray(0, EMPTY_XMP.length), EMPTY_XMP);
  assert.ok(payload.subarray(EMPTY_XMP.length).every((x) => x === 0x20), 'rest of the XMP item is spaces');
}

/** Asserts that a and b differ only inside the given ranges. */
function assertSameOutside(a: Uint8Array, b: Uint8Array, ranges: Array<[number, number]>): void {
  assert.equal(a.length, b.length, 'length unchanged');
  const inside = new Uint8Array(a.length);
  for (const [s, e] of ranges) inside.fill(1, s, e);
  for (let i = 0; i < a.length; i++) {
    if (!inside[i] && a[i] !== b[i]) assert.fail(`byte ${i} changed outside the blanked extents`);
  }
}

const HEIF_TYPES = ['image/heic', 'image/heif', 'image/heic-sequence', 'image/heif-sequence'];

test('HEIC: EXIF (GPS, camera, serial, owner) and XMP items are blanked in place; nothing else changes', async () => {
  const input = fixture('photo.heic');
  // Positive control: the fixture really carries what we claim to strip.
  for (const s of IDENTIFYING) assert.ok(has(input, s), `fixture contains ${s}`);
  assert.ok(has(input, GPS_LATITUDE_RATIONALS));
  assert.ok(has(input, 'http://purl.org/dc/elements/1.1/'));
  const inItems = heifItems(input);
  const exif = [...inItems.values()].filter((i) => i.type === 'Exif');
  const xmp = [...inItems.values()].filter((i) => i.type === 'mime' && i.contentType === 'application/rdf+xml');
  assert.equal(exif.length, 1);
  assert.equal(xmp.length, 1);
  const images = [...inItems.values()].filter((i) => i.type !== 'Exif' && i.type !== 'mime');
  assert.deepEqual(images.map((i) => i.type).sort(), ['grid', 'hvc1'], 'a grid (in idat) over one tile (in mdat)');

  const copy = input.slice();
  const output = stripMetadata('image/heic', input);
  assert.deepEqual(input, copy, "the caller's buffer is not modified");

  for (const s of IDENTIFYING) assert.ok(!has(output, s), `${s} removed`);
  assert.ok(!has(output, GPS_LATITUDE_RATIONALS), 'GPS coordinates removed');
  assert.ok(!has(output, 'purl.org/dc') && !has(output, 'ExifTool'), 'XMP removed');
  assert.equal(output.length, input.length);

  // The structure still parses the same way and points at the same places.
  assert.deepEqual(walkIso(output).map((x) => x.type), walkIso(input).map((x) => x.type));
  const outItems = heifItems(output);
  assert.deepEqual(outItems, inItems);
  assertBlankedExif(itemBytes(output, exif[0]!));
  assertBlankedXmp(itemBytes(output, xmp[0]!));
  // Image data (tile bitstream, grid descriptor) and every other byte is untouched.
  for (const image of images) assert.deepEqual(itemBytes(output, image), itemBytes(input, image));
  assertSameOutside(input, output, [...exif, ...xmp].flatMap((i) => i.ranges));
  // (heif-convert and ImageMagick decode the output to the same pixels as the input; checked by hand.)
  assert.deepEqual(await fileTypeFromBuffer(output), await fileTypeFromBuffer(input));

  for (const type of HEIF_TYPES) assert.deepEqual(stripMetadata(type, input), output, type);
  assert.deepEqual(stripMetadata('image/heic', output), output, 'idempotent');
});

// A synthetic HEIF writer, to cover iloc versions 0/1/2, field sizes 0/4/8 and infe versions 2/3.

const u16 = (n: number): Uint8Array => Uint8Array.of(n >> 8, n & 0xff);
const u32 = (n: number): Uint8Array => Uint8Array.of(n >>> 24, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff);
const uN = (n: number, size: number): Uint8Array =>
  size === 0 ? new Uint8Array(0) : size === 2 ? u16(n) : size === 4 ? u32(n) : concat(u32(Math.floor(n / 2 ** 32)), u32(n >>> 0));
const box = (type: string, ...parts: Uint8Array[]): Uint8Array => {
  const body = concat(...parts);
  return concat(u32(body.length + 8), ascii(type), body);
};
const fullBoxT = (type: string, version: number, ...parts: Uint8Array[]): Uint8Array =>
  box(type, Uint8Array.of(version, 0, 0, 0), ...parts);

interface SynthItem {
  id: number;
  type: string;
  contentType?: string;
  /** Each extent and where it lives; extents in mdat are laid out in `mdatOrder`. */
  extents: Array<{ where: 'mdat' | 'idat'; data: Uint8Array }>;
}

interface SynthOptions {
  iloc: 0 | 1 | 2;
  offsetSize: number;
  lengthSize: number;
  baseSize: number;
  indexSize: number;
  infe: 2 | 3;
  items: SynthItem[];
  /** [item index, extent index] in mdat order; defaults to items in order. */
  mdatOrder?: Array<[number, number]>;
}

function buildHeif(o: SynthOptions): Uint8Array {
  const idatParts: Array<[number, number]> = [];
  const mdatParts: Array<[number, number]> = o.mdatOrder ?? [];
  o.items.forEach((item, i) => {
    item.extents.forEach((extent, e) => {
      if (extent.where === 'idat') idatParts.push([i, e]);
      else if (!o.mdatOrder) mdatParts.push([i, e]);
    });
  });
  // Container-relative start of every extent.
  const starts = new Map<string, number>();
  const layout = (parts: Array<[number, number]>): Uint8Array => {
    let at = 0;
    for (const [i, e] of parts) {
      starts.set(`${i}/${e}`, at);
      at += o.items[i]!.extents[e]!.data.length;
    }
    return concat(...parts.map(([i, e]) => o.items[i]!.extents[e]!.data));
  };
  const idatBody = layout(idatParts);
  const mdatBody = layout(mdatParts);
  const ftyp = box('ftyp', ascii('heic'), u32(0), ascii('mif1heic'));

  const build = (mdatBodyStart: number): Uint8Array => {
    const idSize = o.iloc < 2 ? 2 : 4;
    const entries = o.items.map((item, i) => {
      const inIdat = item.extents[0]!.where === 'idat';
      const absolute = (e: number) => starts.get(`${i}/${e}`)! + (inIdat ? 0 : mdatBodyStart);
      const base = o.baseSize > 0 ? absolute(0) : 0;
      return concat(
        uN(item.id, idSize),
        o.iloc > 0 ? u16(inIdat ? 1 : 0) : new Uint8Array(0),
        u16(0),
        uN(base, o.baseSize),
        u16(item.extents.length),
        ...item.extents.map((extent, e) =>
          concat(uN(0, o.indexSize), uN(absolute(e) - base, o.offsetSize), uN(extent.data.length, o.lengthSize)),
        ),
      );
    });
    const iloc = fullBoxT(
      'iloc',
      o.iloc,
      Uint8Array.of((o.offsetSize << 4) | o.lengthSize, (o.baseSize << 4) | o.indexSize),
      uN(o.items.length, idSize === 2 ? 0 : 4),
      idSize === 2 ? u16(o.items.length) : new Uint8Array(0),
      ...entries,
    );
    const infes = o.items.map((item) =>
      fullBoxT(
        'infe',
        o.infe,
        o.infe === 3 ? u32(item.id) : u16(item.id),
        u16(0),
        ascii(item.type),
        ascii('\0'),
        item.contentType !== undefined ? ascii(`${item.contentType}\0`) : new Uint8Array(0),
      ),
    );
    const iinf = o.infe === 3 ? fullBoxT('iinf', 1, u32(infes.length), ...infes) : fullBoxT('iinf', 0, u16(infes.length), ...infes);
    const hdlr = fullBoxT('hdlr', 0, u32(0), ascii('pict'), new Uint8Array(12), ascii('\0'));
    const meta = fullBoxT('meta', 0, hdlr, iinf, iloc, ...(idatParts.length ? [box('idat', idatBody)] : []));
    return concat(ftyp, meta, box('mdat', mdatBody));
  };
  const first = build(0);
  return build(first.length - mdatBody.length);
}

const LEAKY_EXIF = concat(Uint8Array.of(0, 0, 0, 6), ascii('Exif\0\0MM\0*\0\0\0\x08 GPS Leak SAMSUNG SM-A546E'));
const LEAKY_XMP = ascii('<x:xmpmeta xmlns:x="adobe:ns:meta/"><dc:creator>Leak Budi</dc:creator></x:xmpmeta>');
const PIXELS = ascii('PIXELS-that-must-stay-1234567890');

test('HEIF: iloc versions 0/1/2, field sizes 0/4/8, infe versions 2/3, extents in mdat and idat', () => {
  const exif = (id: number, where: 'mdat' | 'idat' = 'mdat'): SynthItem => ({
    id, type: 'Exif', extents: [{ where, data: LEAKY_EXIF.subarray(0, 20) }, { where, data: LEAKY_EXIF.subarray(20) }],
  });
  const xmp = (id: number, where: 'mdat' | 'idat'): SynthItem => ({
    id, type: 'mime', contentType: 'application/rdf+xml', extents: [{ where, data: LEAKY_XMP }],
  });
  const image = (id: number, where: 'mdat' | 'idat' = 'mdat'): SynthItem => ({ id, type: 'hvc1', extents: [{ where, data: PIXELS }] });
  const other = (id: number): SynthItem => ({
    id, type: 'mime', contentType: 'application/octet-stream', extents: [{ where: 'mdat', data: ascii('vendor Leak blob') }],
  });
  const uri = (id: number): SynthItem => ({ id, type: 'uri ', contentType: 'urn:example', extents: [{ where: 'mdat', data: ascii('uri Leak') }] });
  // EXIF split in two with the image's bytes in between, so blanking must follow the extents.
  const interleaved: Array<[number, number]> = [[0, 0], [1, 0], [0, 1], [2, 0], [3, 0]];
  const cases: Array<[string, SynthOptions]> = [
    ['v0, 4/4/0', { iloc: 0, offsetSize: 4, lengthSize: 4, baseSize: 0, indexSize: 0, infe: 2, items: [exif(1), image(2), xmp(3, 'mdat'), other(4)], mdatOrder: interleaved }],
    ['v0, 8/8/8', { iloc: 0, offsetSize: 8, lengthSize: 8, baseSize: 8, indexSize: 0, infe: 2, items: [exif(1), image(2), xmp(3, 'mdat'), uri(4)], mdatOrder: interleaved }],
    ['v1, 4/4/4 index 4, XMP in idat', { iloc: 1, offsetSize: 4, lengthSize: 4, baseSize: 4, indexSize: 4, infe: 2, items: [exif(1), image(2), other(4), xmp(3, 'idat')], mdatOrder: interleaved.slice(0, 4) }],
    ['v1, 8/4/0 index 8, EXIF in idat', { iloc: 1, offsetSize: 8, lengthSize: 4, baseSize: 0, indexSize: 8, infe: 2, items: [exif(1, 'idat'), image(2), xmp(3, 'idat')] }],
    ['v1, offset size 0 (all in base_offset)', { iloc: 1, offsetSize: 0, lengthSize: 4, baseSize: 4, indexSize: 0, infe: 2, items: [image(2), xmp(3, 'mdat'), { ...exif(1), extents: [{ where: 'mdat', data: LEAKY_EXIF }] }] }],
    ['v1, length size 0 (to the end of idat / of the file)', { iloc: 1, offsetSize: 4, lengthSize: 0, baseSize: 0, indexSize: 0, infe: 2, items: [image(2, 'idat'), { ...exif(1), extents: [{ where: 'mdat', data: LEAKY_EXIF }] }] }],
    ['v2 and infe v3, 32-bit item IDs', { iloc: 2, offsetSize: 4, lengthSize: 8, baseSize: 4, indexSize: 0, infe: 3, items: [exif(70_001), image(70_002), xmp(70_003, 'mdat'), other(70_004)], mdatOrder: interleaved }],
  ];
  for (const [name, options] of cases) {
    const input = buildHeif(options);
    const items = heifItems(input);
    assert.ok(has(input, 'Leak'), `${name}: control`);
    const output = stripMetadata('image/heif', input);
    assert.ok(!has(output, 'Leak') && !has(output, 'SAMSUNG'), `${name}: metadata gone`);
    walkIso(output);
    const blanked: Array<[number, number]> = [];
    for (const [id, item] of items) {
      const after = itemBytes(output, item);
      if (item.type === 'hvc1') assert.deepEqual(after, PIXELS, `${name}: image ${id} intact`);
      else {
        blanked.push(...item.ranges);
        if (item.type === 'Exif') assertBlankedExif(after);
        else if (item.contentType === 'application/rdf+xml') assertBlankedXmp(after);
        else assert.ok(after.every((x) => x === 0), `${name}: ${item.type} item zeroed`);
      }
    }
    assertSameOutside(input, output, blanked);
  }
});

test('HEIC: unknown top-level boxes (C2PA uuid, motion-photo video) and moov/trak udta become empty free boxes', () => {
  const base = fixture('photo.heic');
  const uuid = concat(u32(8 + 16 + 10), ascii('uuid'), new Uint8Array(16).fill(0xd8), ascii('c2pa Leak!'));
  const video = box('mpvd', ascii('ftypmp42 ... \u00a9xyz+06.1754+106.8271/ Leak'));
  const moov = box('moov', box('mvhd', new Uint8Array(8)), box('udta', box('@xyz', ascii('+06.1754+106.8271/ Leak'))),
    box('trak', box('tkhd', new Uint8Array(8)), box('udta', ascii('Leak'))));
  const skip = box('skip', ascii('old Leak'));
  const input = concat(base, uuid, video, moov, skip);
  const output = stripMetadata('image/heic-sequence', input);
  assert.ok(!has(output, 'Leak') && !has(output, '+106.8271'));
  assert.equal(output.length, input.length);
  const top = walkIso(output);
  assert.deepEqual(top.map((x) => x.type), ['ftyp', 'meta', 'mdat', 'free', 'free', 'moov', 'free']);
  for (const x of [top[3]!, top[4]!, top[6]!]) assert.ok(output.subarray(x.start + 8, x.end).every((v) => v === 0));
  const moovOut = top[5]!;
  assert.deepEqual(walkIso(output, moovOut.body, moovOut.end).map((x) => x.type), ['mvhd', 'free', 'trak']);
  assert.deepEqual(output.subarray(0, base.length), stripMetadata('image/heic', base));
});

test('HEIC: truncated or corrupt input is invalid_input, never a crash or a hang', () => {
  const input = fixture('photo.heic');
  // Every truncation leaves a box or an item extent hanging past the end.
  for (let length = 0; length < input.length; length++) {
    assertMalformed(() => stripMetadata('image/heic', input.subarray(0, length)));
  }
  const meta = walkIso(input).find((x) => x.type === 'meta')!;
  const ilocBox = child(input, meta, 'iloc', true)!;
  const iinfBox = child(input, meta, 'iinf', true)!;
  const patched = (at: number, ...bytes: number[]): Uint8Array => {
    const b = input.slice();
    b.set(bytes, at);
    return b;
  };
  assertMalformed(() => stripMetadata('image/heic', patched(ilocBox.body, 3))); // iloc version 3
  assertMalformed(() => stripMetadata('image/heic', patched(ilocBox.body + 4, 0x24))); // offset_size 2
  assertMalformed(() => stripMetadata('image/heic', patched(ilocBox.body + 4, 0x44, 0x43))); // index_size 3
  assertMalformed(() => stripMetadata('image/heic', patched(ilocBox.body + 6, 0xff, 0xff))); // item_count past the box
  const firstInfe = walkIso(input, iinfBox.body + 6, iinfBox.end)[0]!;
  assertMalformed(() => stripMetadata('image/heic', patched(firstInfe.body, 4))); // infe version 4
  assertMalformed(() => stripMetadata('image/heic', patched(0, 0, 0, 0, 4))); // box smaller than its header
  assertMalformed(() => stripMetadata('image/heic', patched(0, 0, 0, 0, 1, ...ascii('ftyp'), 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff)));
  assertMalformed(() => stripMetadata('image/heic', concat(box('free'), input))); // ftyp not first
  assertMalformed(() => stripMetadata('image/heic', concat(input, input.subarray(meta.start, meta.end)))); // two metas
  assertMalformed(() => stripMetadata('image/heic', ascii('\0\0\0\x0cftypheic')));

  const exif: SynthItem = { id: 1, type: 'Exif', extents: [{ where: 'mdat', data: LEAKY_EXIF }] };
  const image: SynthItem = { id: 2, type: 'hvc1', extents: [{ where: 'mdat', data: PIXELS }] };
  const v1 = { iloc: 1, offsetSize: 4, lengthSize: 4, baseSize: 0, indexSize: 0, infe: 2 } as const;
  const good = buildHeif({ ...v1, items: [exif, image], mdatOrder: [[1, 0], [0, 0]] }); // image bytes first
  stripMetadata('image/heic', good); // the baseline is fine
  const goodItems = heifItems(good);
  const ilocOf = (b: Uint8Array) => child(b, walkIso(b).find((x) => x.type === 'meta')!, 'iloc', true)!;
  const entry = ilocOf(good).body + 4 + 2 + 2; // first iloc entry: the EXIF item
  const withEntry = (at: number, ...bytes: number[]) => {
    const b = good.slice();
    b.set(bytes, entry + at);
    return b;
  };
  assertMalformed(() => stripMetadata('image/heic', withEntry(2, 0, 2))); // metadata built from other items
  assertMalformed(() => stripMetadata('image/heic', withEntry(2, 0, 1))); // construction_method 1 without idat
  assertMalformed(() => stripMetadata('image/heic', withEntry(2, 0, 3))); // unknown construction_method
  assertMalformed(() => stripMetadata('image/heic', withEntry(4, 0, 1))); // metadata in another file
  assertMalformed(() => stripMetadata('image/heic', withEntry(8, ...u32(good.length - 10)))); // extent past the end
  // EXIF laid over the image's bytes, or over the meta box itself.
  assertMalformed(() => stripMetadata('image/heic', withEntry(8, ...u32(goodItems.get(2)!.ranges[0]![0] + 4))));
  assertMalformed(() => stripMetadata('image/heic', withEntry(8, ...u32(40))));
  // Duplicate item IDs.
  assertMalformed(() => stripMetadata('image/heic', buildHeif({ ...v1, items: [exif, { ...image, id: 1 }] })));

  // All field sizes 0 means an extent takes no bytes: a huge extent_count must hit the cap quickly.
  const zero = buildHeif({ iloc: 1, offsetSize: 0, lengthSize: 0, baseSize: 0, indexSize: 0, infe: 2, items: [image] });
  const manyItems = concat(...Array.from({ length: 200 }, (_, i) => concat(u16(i + 10), u16(0), u16(0), u16(0xffff))));
  const iloc = fullBoxT('iloc', 1, Uint8Array.of(0, 0), u16(200), manyItems);
  const oldIloc = ilocOf(zero);
  const bomb = concat(zero.subarray(0, oldIloc.start), iloc, zero.subarray(oldIloc.end));
  const metaBox = walkIso(zero).find((x) => x.type === 'meta')!;
  bomb.set(u32(metaBox.end - metaBox.start + iloc.length - (oldIloc.end - oldIloc.start)), metaBox.start);
  walkIso(bomb);
  const started = performance.now();
  assert.throws(() => stripMetadata('image/heic', bomb), AppError);
  assert.ok(performance.now() - started < 1000);

  // Random byte flips, anywhere and concentrated in the meta box: a valid result or a clean AppError.
  const random = prng(7);
  for (let round = 0; round < 2000; round++) {
    const mutated = input.slice();
    const span = round % 2 === 0 ? input.length : meta.end;
    for (let k = 0; k < 3; k++) mutated[Math.floor(random() * span)] = Math.floor(random() * 256);
    try {
      stripMetadata('image/heic', mutated);
    } catch (error) {
      assert.ok(error instanceof AppError && error.code === 'invalid_input', String(error));
    }
  }
});

// ---------------------------------------------------------------------------------------------
// Everything else

// PDF and Office documents are stripped too: see strip-documents.test.ts.
test('a type without a stripper is refused, never passed through; media type parameters and case are ignored', () => {
  for (const type of ['image/tiff', 'image/svg+xml', 'text/plain', 'application/zip', 'application/octet-stream', '']) {
    assert.throws(() => stripMetadata(type, fixture('animation.gif')), (e: unknown) => e instanceof AppError && e.code === 'attachment_type_not_allowed', type);
  }
  const jpeg = fixture('photo-gps.jpg');
  assert.deepEqual(stripMetadata('IMAGE/JPEG; q=1', jpeg), stripMetadata('image/jpeg', jpeg));
});
