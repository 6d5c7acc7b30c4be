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
// Everything else

test('other types pass through unchanged; media type parameters and case are ignored', () => {
  for (const [name, type] of [
    ['document.pdf', 'application/pdf'],
    ['animation.gif', 'image/gif'],
    ['photo.heic', 'image/heic'],
    ['letter.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
  ] as const) {
    const bytes = fixture(name);
    assert.equal(stripMetadata(type, bytes), bytes);
  }
  const jpeg = fixture('photo-gps.jpg');
  assert.deepEqual(stripMetadata('IMAGE/JPEG; q=1', jpeg), stripMetadata('image/jpeg', jpeg));
});
