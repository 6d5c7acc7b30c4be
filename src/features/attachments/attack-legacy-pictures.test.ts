import assert from 'node:assert/strict';
import { crc32 } from 'node:zlib';
import { after, before, test } from 'node:test';
import CFB from 'cfb';
import { type TestApp, type TestUser, startTestApp } from '../../../test/support/app.ts';
import { PHOTO_IDENTITY, download, fixtureBytes, includesText, jpegSegments, submitWithFiles } from '../../../test/support/files.ts';
import { AppError } from '../../errors.ts';
import { stripOle } from './strip-documents.ts';

/**
 * Attack: an old Word file (.doc) or PowerPoint file (.ppt) with a phone photo pasted in. Such
 * files keep pictures as raw JPEG/PNG bytes inside their streams, with EXIF GPS, camera serial and
 * the owner's name. The streams cannot change length, so the metadata is blanked where it lies; a
 * picture that cannot be read (split across Excel's records) means the file is refused.
 */

const PHOTO = new Uint8Array(fixtureBytes('photo-gps.jpg')); // EXIF GPS, serial, "Budi Santoso", XMP, IPTC

function pngChunk(type: string, data: Uint8Array): Uint8Array {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE(crc32(body), 8 + data.length);
  return out;
}

/** A 1×1 PNG carrying the owner's name in a tEXt chunk and EXIF in an eXIf chunk. */
function namedPng(): Uint8Array {
  const ihdr = Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0]);
  const idat = Buffer.from([0x78, 0x9c, 0x63, 0x60, 0x00, 0x00, 0x00, 0x02, 0x00, 0x01]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('tEXt', Buffer.from('Author\0Budi Santoso', 'latin1')),
    pngChunk('eXIf', Buffer.from('MM\0*\0\0\0\x08 SAMSUNG SM-A546E', 'latin1')),
    pngChunk('IDAT', idat),
    pngChunk('IEND', new Uint8Array(0)),
  ]);
}

/** The fixture .doc with a Data stream holding a picture record around the photo, and bytes that only look like a JPEG. */
function docWithPictures(pictures: Uint8Array): Uint8Array {
  const cfb = CFB.read(Buffer.from(fixtureBytes('letter.doc')), { type: 'buffer' });
  const decoy = Buffer.from([0xff, 0xd8, 0xff, 0xe1, 0x00, 0x10, 0x45, 0x78, 0x69, 0x66]); // a signature, then nothing valid
  CFB.utils.cfb_add(cfb, 'Data', Buffer.concat([Buffer.alloc(68, 7), pictures, Buffer.alloc(33, 9), decoy, Buffer.alloc(40, 1)]));
  return new Uint8Array(CFB.write(cfb, { type: 'buffer' }) as Buffer);
}

function streamOf(bytes: Uint8Array, name: string): Uint8Array {
  const cfb = CFB.read(Buffer.from(bytes), { type: 'buffer' });
  const entry = cfb.FileIndex.find((e) => e.name === name);
  assert.ok(entry, `stream ${name}`);
  return new Uint8Array(entry.content as Buffer);
}

let t: TestApp;
let citizen: TestUser;
let national: TestUser;
let agency: TestUser;

before(async () => {
  t = await startTestApp();
  citizen = await t.user('reporter');
  national = await t.user('national_admin');
  agency = await t.user('agency_admin', 'pemkot-61.71');
});
after(() => t.close());

test('a .doc with a GPS photo and a named PNG inside: their metadata is blanked in place, the pictures still decode', () => {
  const input = docWithPictures(Buffer.concat([PHOTO, Buffer.alloc(5), namedPng()]));
  const before = streamOf(input, 'Data');
  for (const text of PHOTO_IDENTITY) assert.ok(includesText(before, text), `the fixture carries "${text}"`);

  const out = stripOle(input);
  assert.equal(out.length, input.length, 'edited in place');
  const data = streamOf(out, 'Data');
  assert.equal(data.length, before.length);
  for (const text of PHOTO_IDENTITY) assert.ok(!includesText(data, text), `"${text}" is gone`);
  assert.ok(!includesText(data, 'Exif\0\0'), 'no EXIF header is left');
  assert.ok(!includesText(data, 'http://ns.adobe.com/xap/1.0/'), 'no XMP is left');

  // The JPEG keeps its structure and its image data; only the metadata payloads are zeros.
  const start = 68;
  const photo = data.subarray(start, start + PHOTO.length);
  assert.deepEqual(
    jpegSegments(photo).map((s) => s.marker),
    jpegSegments(PHOTO).map((s) => s.marker),
  );
  // The primary image's scan (after its SOS header) is untouched.
  let sos = 2;
  for (const { marker, length } of jpegSegments(PHOTO)) {
    sos += 2 + length;
    if (marker === 0xda) break;
  }
  assert.deepEqual(photo.subarray(sos, sos + 4000), PHOTO.subarray(sos, sos + 4000), 'the image data is untouched');

  // The PNG: its tEXt and eXIf became an empty private chunk with a valid CRC; IHDR/IDAT/IEND stay.
  const pngAt = Buffer.from(data).indexOf(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
  const png = Buffer.from(data.subarray(pngAt));
  const types: string[] = [];
  for (let pos = 8; ; ) {
    const length = png.readUInt32BE(pos);
    const type = png.subarray(pos + 4, pos + 8).toString('latin1');
    assert.equal(png.readUInt32BE(pos + 8 + length), crc32(png.subarray(pos + 4, pos + 8 + length)), `${type}: CRC`);
    types.push(type);
    pos += 12 + length;
    if (type === 'IEND') break;
  }
  assert.deepEqual(types, ['IHDR', 'zzZz', 'zzZz', 'IDAT', 'IEND']);

  // Bytes that only look like a JPEG signature are left as they were.
  const decoy = Buffer.from(data).indexOf(Buffer.from([0xff, 0xd8, 0xff, 0xe1, 0x00, 0x10]));
  assert.ok(decoy > 0);
  // …and the other streams are byte for byte the same.
  assert.deepEqual(streamOf(out, 'WordDocument'), streamOf(input, 'WordDocument'));
});

test('a picture whose metadata cannot be blanked (split by records) is refused, not stored', () => {
  // Excel splits drawings into records of at most 8,224 bytes: a record header lands inside the
  // JPEG's EXIF segment, so the picture no longer reads as one, and its EXIF stays whole.
  const split = Buffer.concat([PHOTO.subarray(0, 40), Buffer.from([0x3c, 0x00, 0x20, 0x20]), PHOTO.subarray(40)]);
  const input = docWithPictures(split);
  assert.throws(
    () => stripOle(input),
    (err: unknown) => err instanceof AppError && err.code === 'invalid_input' && /DOCX, XLSX, PPTX atau PDF/.test(err.message),
  );
});

test('through the API: the body handling an anonim report downloads the .doc without the photo’s metadata', async () => {
  const file = new File([docWithPictures(PHOTO)], 'Surat Budi Santoso.doc', { type: 'application/msword' });
  const filed = await submitWithFiles(t, citizen.token, { anonymous: true, suggestedBodyId: await t.bodyId('pemkot-61.71') }, [file]);
  assert.equal(filed.status, 201, filed.text);
  const id = filed.body.trackingId;
  assert.equal(
    (await t.request('POST', `/api/v1/reports/${id}/verify`, { token: national.token, json: { resolutionClass: 14 } })).status,
    200,
  );
  assert.equal(
    (await t.request('POST', `/api/v1/reports/${id}/route`, { token: national.token, json: { bodyId: await t.bodyId('pemkot-61.71') } }))
      .status,
    200,
  );
  const view = await t.request('GET', `/api/v1/reports/${id}`, { token: agency.token });
  assert.equal(view.status, 200, view.text);
  const attachment = view.body.attachments[0];
  assert.equal(attachment.fileName, 'lampiran-1.doc');
  const got = await download(t, attachment.url, agency.token);
  assert.equal(got.status, 200);
  for (const text of PHOTO_IDENTITY) assert.ok(!includesText(got.bytes, text), `"${text}" does not reach the body`);
  assert.ok(!includesText(got.bytes, 'Exif\0\0'));
});
