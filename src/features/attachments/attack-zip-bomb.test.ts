import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { crc32, deflateRawSync, deflateSync } from 'node:zlib';
import { unzipSync } from 'fflate';
import { type TestApp, type TestUser, startTestApp } from '../../../test/support/app.ts';
import { fixtureBytes } from '../../../test/support/files.ts';
import { type RawEntry, pdfObjectStreamBomb, zip } from '../../../test/support/hostile-files.ts';
import { AppError } from '../../errors.ts';
import { InflateBudget, ZIP_LIMITS, stripOoxml, stripPdf } from './strip-documents.ts';
import { MAX_IMAGE_PIXELS, stripAttachmentMetadata, stripMetadata } from './strip-metadata.ts';

/**
 * Attack: decompression bombs. A 1.2 MB DOCX whose parts inflate to hundreds of megabytes used
 * to hold the API's event loop for 20-30 s. Now every inflate has a size and a ratio limit, and
 * all of it runs in the attachment workers, so /healthz answers while a bomb is refused.
 */

const MB = 1024 * 1024;
const PARAGRAPH = '<w:p><w:r><w:t>Jalan rusak di depan pasar</w:t></w:r></w:p>';
const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/**
 * XML of `size` bytes: repeated paragraphs, every `every`th one with random text (that sets the
 * ratio). Built as one block of 1 MB repeated: deflate looks back 32 KB, so the ratio is the block's.
 */
function xmlPart(size: number, every: number): Uint8Array {
  const chunks: string[] = [];
  let length = 0;
  const blockSize = Math.min(size, MB);
  for (let i = 0; length < blockSize; i++) {
    const piece = i % every === 0 ? `<w:p><w:r><w:t>${randomBytes(6).toString('hex')}</w:t></w:r></w:p>` : PARAGRAPH;
    chunks.push(piece);
    length += piece.length;
  }
  const block = Buffer.from(chunks.join('').slice(0, blockSize));
  const out = Buffer.alloc(size);
  out.fill(block);
  return new Uint8Array(out.buffer, out.byteOffset, out.length);
}

/** The fixture letter's parts, plus `extra` entries. */
function docxWith(extra: RawEntry[]): Uint8Array {
  const base = Object.entries(unzipSync(fixtureBytes('letter.docx'))).map(([name, data]) => ({
    name,
    deflated: new Uint8Array(deflateRawSync(data)),
    size: data.length,
    crc: crc32(data),
  }));
  return zip([...base, ...extra]);
}

/** The classic: 20 headers of 60 MB each (1.2 GB), deflated ~1000:1, a few MB in all. */
const zeroPart = memo(() => {
  const part = xmlPart(60 * MB, 1_000_000);
  return { size: part.length, deflated: new Uint8Array(deflateRawSync(part)), crc: crc32(part) };
});

function memo<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}

function zeroRatioBomb(lie: boolean): Uint8Array {
  const { size, deflated, crc } = zeroPart();
  const part = { length: size };
  return docxWith(
    Array.from({ length: 20 }, (_, i) => ({ name: `word/header${i + 1}.xml`, deflated, size: lie ? 1000 : part.length, crc })),
  );
}

/** The worst a bomb can do within the ratio: three 60 MB parts at ~150:1; the third exceeds the total. */
const totalBomb = memo((): { bytes: Uint8Array; ratio: number } => {
  const part = xmlPart(60 * MB, 60);
  const deflated = new Uint8Array(deflateRawSync(part));
  const crc = crc32(part);
  const bytes = docxWith(Array.from({ length: 3 }, (_, i) => ({ name: `word/footer${i + 1}.xml`, deflated, size: part.length, crc })));
  return { bytes, ratio: part.length / deflated.length };
});

const isBomb = (e: unknown) => {
  assert.ok(e instanceof AppError, `expected an AppError, got ${String(e)}`);
  assert.equal(e.code, 'attachment_too_large');
  assert.match(e.message, /terlalu besar setelah diekstrak .* \/ Document content too large when decompressed/);
  return true;
};

test('a DOCX bomb (a few MB inflating to 1.2 GB) is refused with a 413, whether its sizes are honest or lie', async () => {
  for (const lie of [false, true]) {
    const bomb = zeroRatioBomb(lie);
    assert.ok(bomb.length < 5 * MB, `the bomb is small (${bomb.length} bytes)`);
    const started = performance.now();
    assert.throws(() => stripOoxml(bomb), isBomb);
    await assert.rejects(stripAttachmentMetadata(DOCX_TYPE, bomb), isBomb, 'and in the attachment workers');
    // Refused at the first part, not after inflating it all (that took 20-30 s).
    assert.ok(performance.now() - started < 10_000);
  }
});

test('a bomb within the ratio is stopped by the total: no document inflates to more than 128 MB', () => {
  const { bytes, ratio } = totalBomb();
  assert.ok(ratio > 20 && ratio < ZIP_LIMITS.maxRatio, `each part is within the ratio (${ratio.toFixed(0)}:1)`);
  assert.ok(bytes.length < 10 * MB);
  assert.throws(() => stripOoxml(bytes), isBomb);
});

test('InflateBudget: the limits themselves', () => {
  const zeros = new Uint8Array(4 * MB);
  const raw = new Uint8Array(deflateRawSync(zeros));
  assert.throws(() => new InflateBudget().inflate(raw, 'raw'), isBomb, '4 MB of zeros: over the ratio');
  assert.throws(() => new InflateBudget().inflate(raw, 'raw', 4 * MB), isBomb, 'refused from the declared size alone');
  const small = new Uint8Array(deflateSync(new Uint8Array(ZIP_LIMITS.ratioFreeBytes)));
  assert.equal(new InflateBudget().inflate(small, 'zlib').length, ZIP_LIMITS.ratioFreeBytes, 'a small part may have any ratio');
  const text = xmlPart(2 * MB, 5);
  assert.ok(
    Buffer.from(new InflateBudget().inflate(new Uint8Array(deflateRawSync(text)), 'raw')).equals(Buffer.from(text)),
    'real XML passes',
  );
  const budget = new InflateBudget();
  budget.remaining = 100;
  assert.throws(() => budget.take(101), isBomb);
});

/** A PDF whose object stream inflates to 200 MB of spaces (pdf-lib would inflate it, unbounded). */
const pdfBomb = memo(() => pdfObjectStreamBomb(200 * MB));

test('a PDF whose object stream is a bomb is refused, not inflated by the PDF parser', async () => {
  const bomb = pdfBomb();
  assert.ok(bomb.length < MB);
  await assert.rejects(stripPdf(bomb), isBomb);
});

function pngChunk(type: string, data: Uint8Array): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE(crc32(body), 8 + data.length);
  return out;
}

/** A greyscale PNG of width × height whose IDAT is only the first rows (the header is what counts). */
function pngOf(width: number, height: number): Uint8Array {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  const idat = deflateSync(Buffer.alloc(Math.min(height, 64) * (width + 1)));
  return new Uint8Array(
    Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      pngChunk('IHDR', ihdr),
      pngChunk('IDAT', idat),
      pngChunk('IEND', new Uint8Array(0)),
    ]),
  );
}

test('pixel bombs: a PNG, GIF or WebP of more than 100 megapixels is refused with a 413; 100 megapixels pass', () => {
  const isPixelBomb = (e: unknown) => e instanceof AppError && e.code === 'attachment_too_large' && /megapixels/.test(e.message);
  assert.equal(MAX_IMAGE_PIXELS, 100_000_000);
  assert.throws(() => stripMetadata('image/png', pngOf(20_000, 20_000)), isPixelBomb);
  assert.throws(() => stripMetadata('image/png', pngOf(100_000, 1_001)), isPixelBomb);
  assert.doesNotThrow(() => stripMetadata('image/png', pngOf(10_000, 10_000)));
  const gif = Buffer.from(fixtureBytes('animation.gif'));
  const bigScreen = Buffer.from(gif);
  bigScreen.writeUInt16LE(20_000, 6);
  bigScreen.writeUInt16LE(20_000, 8);
  assert.throws(() => stripMetadata('image/gif', bigScreen), isPixelBomb);
  const bigFrame = Buffer.from(gif);
  const frame = bigFrame.indexOf(Buffer.from([0x2c, 0, 0, 0, 0]));
  bigFrame.writeUInt16LE(60_000, frame + 5);
  bigFrame.writeUInt16LE(60_000, frame + 7);
  assert.throws(() => stripMetadata('image/gif', bigFrame), isPixelBomb);
  const webp = Buffer.from(fixtureBytes('photo-exif.webp'));
  const vp8x = webp.indexOf(Buffer.from('VP8X'));
  assert.ok(vp8x > 0, 'the fixture has a VP8X canvas');
  assert.doesNotThrow(() => stripMetadata('image/webp', webp));
  webp.writeUIntLE(16_383, vp8x + 12, 3);
  webp.writeUIntLE(16_383, vp8x + 15, 3);
  assert.throws(() => stripMetadata('image/webp', webp), isPixelBomb);
});

// ---------------------------------------------------------------------------------------------
// Through the API: the event loop stays free

let t: TestApp;
let citizen: TestUser;
before(async () => {
  t = await startTestApp();
  citizen = await t.user('reporter');
});
after(() => t.close());

test('while bombs are processed, /healthz keeps answering and a timer keeps ticking; the bombs get 413', async () => {
  const bombs = [zeroRatioBomb(true), totalBomb().bytes, pdfBomb()];
  const names = ['surat.docx', 'lampiran.docx', 'surat.pdf'];
  const types = [DOCX_TYPE, DOCX_TYPE, 'application/pdf'];
  await t.request('GET', '/healthz'); // warm

  let last = performance.now();
  let maxGap = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    maxGap = Math.max(maxGap, now - last);
    last = now;
  }, 10);
  let uploadsDone = false;
  const healthLatencies: number[] = [];
  const poll = (async () => {
    while (!uploadsDone) {
      const started = performance.now();
      const res = await t.request('GET', '/healthz');
      assert.equal(res.status, 200);
      if (!uploadsDone) healthLatencies.push(performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  })();

  const started = performance.now();
  const responses = await Promise.all(
    bombs.map((bytes, i) => {
      const form = new FormData();
      for (const [k, v] of Object.entries({
        classification: 'pengaduan',
        title: 'Jalan rusak di depan pasar',
        body: 'Jalan berlubang besar di depan pasar sudah dua bulan.',
        incidentDate: '2026-11-20',
      }))
        form.set(k, v);
      form.append('attachments', new File([bytes], names[i]!, { type: types[i] }));
      return t.request('POST', '/api/v1/reports', { token: citizen.token, form });
    }),
  );
  const elapsed = performance.now() - started;
  uploadsDone = true;
  await poll;
  clearInterval(timer);

  for (const res of responses) {
    assert.equal(res.status, 413, res.text);
    assert.equal(res.body.error.code, 'attachment_too_large');
    assert.match(res.body.error.message, /Document content too large when decompressed/);
  }
  const [{ n }] = await t.deps.db.query<{ n: number }>('SELECT count(*)::int AS n FROM reports');
  assert.equal(n, 0, 'nothing was filed');
  // Generous margins: this is not a benchmark (see bench/hostile-uploads.ts), only proof that the
  // event loop was never held for long while the bombs were opened.
  assert.ok(healthLatencies.length >= 3, `/healthz answered ${healthLatencies.length} times in ${elapsed.toFixed(0)} ms of bombs`);
  assert.ok(Math.max(...healthLatencies) < 1000, `/healthz took up to ${Math.max(...healthLatencies).toFixed(0)} ms`);
  assert.ok(maxGap < 1000, `the event loop was held for ${maxGap.toFixed(0)} ms`);
});
