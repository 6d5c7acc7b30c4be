import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { AppError } from '../../errors.ts';
import { ACCEPTED_MEDIA_TYPES, extensionForMediaType, inspectAttachment } from './inspect.ts';
import { hasStripper, stripMetadata } from './strip-metadata.ts';

const fixture = (name: string): Uint8Array =>
  new Uint8Array(readFileSync(new URL(`../../../test/fixtures/attachments/${name}`, import.meta.url)));

const MB = 1024 * 1024;
const limits = { maxBytes: 10 * MB };
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

async function rejects(
  input: { fileName: string; declaredType?: string; bytes: Uint8Array },
  code: AppError['code'],
  max = limits.maxBytes,
): Promise<AppError> {
  let caught: unknown;
  try {
    await inspectAttachment(input, { maxBytes: max });
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof AppError, `expected AppError ${code} for ${input.fileName}, got ${String(caught)}`);
  assert.equal(caught.code, code, `${input.fileName}: ${caught.message}`);
  return caught;
}

/**
 * A minimal but structurally valid OLE compound file (v3, 512-byte sectors): header, one FAT
 * sector, one directory sector holding the root and up to three empty streams. LibreOffice's
 * .ppt is ~450 KB, so PPT and "OLE but not Office" are covered with this instead of a fixture.
 */
function buildCfb(streamNames: string[], options: { loopDirectory?: boolean } = {}): Uint8Array {
  const out = new Uint8Array(512 * 3);
  const v = new DataView(out.buffer);
  out.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], 0);
  v.setUint16(0x18, 0x3e, true);
  v.setUint16(0x1a, 3, true);
  v.setUint16(0x1c, 0xfffe, true);
  v.setUint16(0x1e, 9, true);
  v.setUint16(0x20, 6, true);
  v.setUint32(0x2c, 1, true); // one FAT sector
  v.setUint32(0x30, 1, true); // directory starts at sector 1
  v.setUint32(0x38, 4096, true);
  v.setUint32(0x3c, 0xfffffffe, true); // no mini FAT
  v.setUint32(0x44, 0xfffffffe, true); // no DIFAT sectors
  for (let i = 0; i < 109; i++) v.setUint32(0x4c + i * 4, i === 0 ? 0 : 0xffffffff, true);
  for (let i = 0; i < 128; i++) v.setUint32(512 + i * 4, 0xffffffff, true);
  v.setUint32(512, 0xfffffffd, true); // sector 0 is the FAT itself
  v.setUint32(516, options.loopDirectory ? 1 : 0xfffffffe, true); // directory chain
  const entries = [{ name: 'Root Entry', type: 5 }, ...streamNames.map((name) => ({ name, type: 2 }))];
  for (let i = 0; i < 4; i++) {
    const o = 1024 + i * 128;
    v.setUint32(o + 0x44, 0xffffffff, true);
    v.setUint32(o + 0x48, 0xffffffff, true);
    v.setUint32(o + 0x4c, 0xffffffff, true);
    const entry = entries[i];
    if (!entry) continue;
    for (let j = 0; j < entry.name.length; j++) v.setUint16(o + j * 2, entry.name.charCodeAt(j), true);
    v.setUint16(o + 0x40, (entry.name.length + 1) * 2, true);
    out[o + 0x42] = entry.type;
    out[o + 0x43] = 1; // black
    if (i === 0 && entries.length > 1) v.setUint32(o + 0x4c, 1, true); // root's child
    if (i > 0 && i + 1 < entries.length) v.setUint32(o + 0x48, i + 1, true); // right sibling
    v.setUint32(o + 0x74, 0xfffffffe, true); // empty stream
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Accepted

test('accepts every allowed type, detected by content', async () => {
  const cases: [string, string, string][] = [
    ['photo-gps.jpg', 'image/jpeg', 'jpg'],
    ['photo-progressive.jpg', 'image/jpeg', 'jpg'],
    ['screenshot-text.png', 'image/png', 'png'],
    ['photo-exif.webp', 'image/webp', 'webp'],
    ['animation.gif', 'image/gif', 'gif'],
    ['photo.heic', 'image/heic', 'heic'],
    ['document.pdf', 'application/pdf', 'pdf'],
    ['letter.docx', DOCX, 'docx'],
    ['sheet.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'xlsx'],
    ['slides.pptx', 'application/vnd.openxmlformats-officedocument.presentationml.presentation', 'pptx'],
    ['letter.odt', 'application/vnd.oasis.opendocument.text', 'odt'],
    ['sheet.ods', 'application/vnd.oasis.opendocument.spreadsheet', 'ods'],
    ['letter.doc', 'application/msword', 'doc'],
    ['sheet.xls', 'application/vnd.ms-excel', 'xls'],
  ];
  for (const [name, mediaType, extension] of cases) {
    const result = await inspectAttachment({ fileName: name, declaredType: mediaType, bytes: fixture(name) }, limits);
    assert.deepEqual(result, { mediaType, extension, fileName: name }, name);
    // Without a declared type (or with the browser's "don't know") the answer is the same.
    for (const declaredType of [undefined, '', 'application/octet-stream']) {
      assert.deepEqual(await inspectAttachment({ fileName: name, declaredType, bytes: fixture(name) }, limits), result);
    }
  }
});

test('accepts legacy PowerPoint by its OLE stream, and common declared-type variants', async () => {
  const ppt = buildCfb(['PowerPoint Document', 'Current User']);
  assert.deepEqual(
    await inspectAttachment({ fileName: 'paparan.ppt', declaredType: 'application/vnd.ms-powerpoint', bytes: ppt }, limits),
    {
      mediaType: 'application/vnd.ms-powerpoint',
      extension: 'ppt',
      fileName: 'paparan.ppt',
    },
  );
  const jpeg = fixture('photo-gps.jpg');
  for (const declaredType of ['image/jpg', 'image/pjpeg', 'IMAGE/JPEG', 'image/jpeg; charset=binary']) {
    assert.equal((await inspectAttachment({ fileName: 'a.jpg', declaredType, bytes: jpeg }, limits)).mediaType, 'image/jpeg');
  }
  // Windows without Office labels .docx as a zip; the content decides.
  const docx = fixture('letter.docx');
  assert.equal(
    (await inspectAttachment({ fileName: 'a.docx', declaredType: 'application/x-zip-compressed', bytes: docx }, limits)).mediaType,
    DOCX,
  );
});

test('size limit: exactly maxBytes passes, one byte more is attachment_too_large; empty is invalid_input', async () => {
  const bytes = fixture('document.pdf');
  await inspectAttachment({ fileName: 'a.pdf', bytes }, { maxBytes: bytes.length });
  await rejects({ fileName: 'a.pdf', bytes }, 'attachment_too_large', bytes.length - 1);

  // The limit is checked before any parsing, and the message names it in both languages.
  const huge = new Uint8Array(10 * MB + 1);
  huge.set(bytes);
  const error = await rejects({ fileName: 'besar.pdf', bytes: huge }, 'attachment_too_large');
  assert.match(error.message, /^Lampiran terlalu besar .* Attachment too large .*10 MB/);

  const empty = await rejects({ fileName: 'kosong.pdf', bytes: new Uint8Array(0) }, 'invalid_input');
  assert.ok(empty.fields && Object.keys(empty.fields).length > 0);
});

// ---------------------------------------------------------------------------------------------
// Mismatch: the upload lies about itself

test('mismatch: content differs from the name or the declared type', async () => {
  const png = fixture('screenshot-text.png');
  const pdf = fixture('document.pdf');
  const jpeg = fixture('photo-gps.jpg');
  await rejects({ fileName: 'surat.pdf', bytes: png }, 'attachment_type_mismatch');
  await rejects({ fileName: 'surat.pdf', declaredType: 'image/jpeg', bytes: pdf }, 'attachment_type_mismatch');
  await rejects({ fileName: 'surat', declaredType: 'image/jpeg', bytes: pdf }, 'attachment_type_mismatch');
  await rejects({ fileName: 'foto.jpg', declaredType: 'text/html', bytes: jpeg }, 'attachment_type_mismatch');
  await rejects({ fileName: 'foto.exe', bytes: jpeg }, 'attachment_type_mismatch');
  await rejects({ fileName: 'foto.jpg.html', bytes: jpeg }, 'attachment_type_mismatch');
  await rejects({ fileName: 'foto.png', declaredType: 'image/png', bytes: jpeg }, 'attachment_type_mismatch');
  // A program or a text file dressed up as a photo.
  const elf = fixture('elf-as.jpg');
  const text = fixture('text-as.jpg');
  await rejects({ fileName: 'elf-as.jpg', declaredType: 'image/jpeg', bytes: elf }, 'attachment_type_mismatch');
  await rejects({ fileName: 'elf-as.jpg', bytes: elf }, 'attachment_type_mismatch');
  await rejects({ fileName: 'text-as.jpg', bytes: text }, 'attachment_type_mismatch');
  await rejects({ fileName: 'catatan', declaredType: 'image/jpeg', bytes: text }, 'attachment_type_mismatch');
});

test('mismatch: Office formats are not interchangeable', async () => {
  const doc = fixture('letter.doc');
  const xls = fixture('sheet.xls');
  const docx = fixture('letter.docx');
  await rejects({ fileName: 'letter.xls', bytes: doc }, 'attachment_type_mismatch');
  await rejects({ fileName: 'letter.docx', bytes: doc }, 'attachment_type_mismatch');
  await rejects({ fileName: 'sheet.doc', bytes: xls }, 'attachment_type_mismatch');
  await rejects({ fileName: 'letter.doc', bytes: docx }, 'attachment_type_mismatch');
  await rejects({ fileName: 'letter.xlsx', bytes: docx }, 'attachment_type_mismatch');
  await rejects({ fileName: 'letter.docx', declaredType: 'application/msword', bytes: docx }, 'attachment_type_mismatch');
  await rejects({ fileName: 'letter.doc', declaredType: 'application/vnd.ms-excel', bytes: doc }, 'attachment_type_mismatch');
  // An OLE file that is not Word/Excel/PowerPoint (an installer, a mail) named .doc.
  await rejects({ fileName: 'setup.doc', bytes: buildCfb(['\u0005SummaryInformation', 'Binary.Icon']) }, 'attachment_type_mismatch');
  // A directory chain that points at itself must terminate, not hang.
  await rejects({ fileName: 'loop.doc', bytes: buildCfb(['Other'], { loopDirectory: true }) }, 'attachment_type_mismatch');
});

// ---------------------------------------------------------------------------------------------
// Not allowed: honest, but not a type we take

test('not allowed: executables, markup, archives and unknown content', async () => {
  await rejects({ fileName: 'true', bytes: fixture('elf-as.jpg') }, 'attachment_type_not_allowed');
  await rejects(
    { fileName: 'true.exe', declaredType: 'application/x-msdownload', bytes: fixture('elf-as.jpg') },
    'attachment_type_not_allowed',
  );
  await rejects({ fileName: 'drawing.svg', declaredType: 'image/svg+xml', bytes: fixture('drawing.svg') }, 'attachment_type_not_allowed');
  await rejects({ fileName: 'archive.zip', declaredType: 'application/zip', bytes: fixture('archive.zip') }, 'attachment_type_not_allowed');
  await rejects({ fileName: 'catatan.txt', declaredType: 'text/plain', bytes: fixture('text-as.jpg') }, 'attachment_type_not_allowed');
  const html = new TextEncoder().encode('<!doctype html><html><script>alert(1)</script></html>');
  await rejects({ fileName: 'page.html', declaredType: 'text/html', bytes: html }, 'attachment_type_not_allowed');
  await rejects({ fileName: 'setup.msi', bytes: buildCfb(['\u0005SummaryInformation']) }, 'attachment_type_not_allowed');
  // Legacy Office is only taken with its proper extension.
  await rejects({ fileName: 'letter', bytes: fixture('letter.doc') }, 'attachment_type_not_allowed');

  const error = await rejects({ fileName: 'x.svg', bytes: fixture('drawing.svg') }, 'attachment_type_not_allowed');
  assert.match(error.message, /^Jenis lampiran tidak diizinkan .* Attachment type not allowed/);
});

// ---------------------------------------------------------------------------------------------
// File names

test('file names: paths, control and bidi characters are stripped; extension follows the content', async () => {
  const jpeg = fixture('photo-gps.jpg');
  const pdf = fixture('document.pdf');
  const name = async (fileName: string, bytes = jpeg) => (await inspectAttachment({ fileName, bytes }, limits)).fileName;

  assert.equal(await name('C:\\Users\\budi\\Desktop\\foto jalan.jpg'), 'foto jalan.jpg');
  assert.equal(await name('../../etc/foto.jpg'), 'foto.jpg');
  assert.equal(await name('fo\u0000to\r\n\u0007.jpg'), 'foto.jpg');
  // U+202E RIGHT-TO-LEFT OVERRIDE would make "laporan‮gpj.exe" look like "laporanexe.jpg".
  assert.equal(await name('laporan\u202egnp.jpg'), 'laporangnp.jpg');
  assert.equal(await name('foto\u200b.jpg'), 'foto.jpg');
  assert.equal(await name('"kerusakan" <jalan>?.jpg'), '_kerusakan_ _jalan__.jpg');
  assert.equal(await name('FOTO.JPEG'), 'FOTO.jpeg');
  assert.equal(await name('  ..hidden.jpg.. '), 'hidden.jpg');
  assert.equal(await name('IMG_0001'), 'IMG_0001.jpg');
  assert.equal(await name(''), 'lampiran.jpg');
  assert.equal(await name('.jpg'), 'lampiran.jpg');
  assert.equal(await name('\u202e'), 'lampiran.jpg');
  // A dot that is not an extension stays part of the name.
  assert.equal(await name('Surat No.12 RT.05', pdf), 'Surat No.12 RT.05.pdf');
  assert.equal(await name('laporan.final', pdf), 'laporan.final.pdf');
  assert.equal(await name('Jalan Rusak — Kec. Menteng.pdf', pdf), 'Jalan Rusak — Kec. Menteng.pdf');

  const long = await name(`${'a'.repeat(300)}.jpg`);
  assert.equal(long, `${'a'.repeat(100)}.jpg`);
  // The cap counts code points and never splits a surrogate pair.
  const emoji = await name(`${'b'.repeat(99)}📷📷.jpg`);
  assert.equal(emoji, `${'b'.repeat(99)}📷.jpg`);
  assert.ok(emoji.isWellFormed());
});

test('every accepted type has a metadata stripper, and names its neutral extension', () => {
  assert.ok(ACCEPTED_MEDIA_TYPES.length >= 14);
  for (const type of ACCEPTED_MEDIA_TYPES) {
    assert.ok(hasStripper(type), `${type} is accepted but has no stripper`);
    assert.match(extensionForMediaType(type), /^[a-z]{3,4}$/, type);
  }
  assert.equal(extensionForMediaType('image/jpeg'), 'jpg');
  assert.equal(extensionForMediaType('image/heif-sequence'), 'heic');
  assert.equal(extensionForMediaType(DOCX), 'docx');
  assert.equal(hasStripper('image/tiff'), false);
  assert.equal(hasStripper('image/svg+xml'), false);
});

test('each fixture of an accepted type goes through its stripper after inspection', async () => {
  for (const [name, type] of [
    ['animation.gif', 'image/gif'],
    ['photo-gps.jpg', 'image/jpeg'],
    ['letter.docx', DOCX],
  ] as const) {
    const info = await inspectAttachment({ fileName: name, bytes: fixture(name) }, limits);
    assert.equal(info.mediaType, type);
    assert.doesNotThrow(() => stripMetadata(info.mediaType, fixture(name)));
  }
});
