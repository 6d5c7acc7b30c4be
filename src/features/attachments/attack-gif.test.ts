import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { fileTypeFromBuffer } from 'file-type';
import { type TestApp, type TestUser, startTestApp } from '../../../test/support/app.ts';
import { download, fixtureBytes, includesText, submitWithFiles } from '../../../test/support/files.ts';
import { AppError } from '../../errors.ts';
import { stripMetadata } from './strip-metadata.ts';

/**
 * Attack: a GIF carrying its sender's name and position in a comment, an XMP packet with GPS, a
 * plain-text block and data after the trailer. GIFs used to be stored byte for byte.
 */

const ascii = (s: string) => [...Buffer.from(s, 'latin1')];

/** Data sub-blocks of at most 255 bytes, with the zero terminator. */
function subBlocks(data: number[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < data.length; i += 255) {
    const chunk = data.slice(i, i + 255);
    out.push(chunk.length, ...chunk);
  }
  return [...out, 0];
}

const XMP =
  '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">' +
  '<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/"' +
  ' exif:GPSLatitude="6,10.5234S" exif:GPSLongitude="106,49.6292E"><dc:creator>Budi Santoso</dc:creator>' +
  '</rdf:Description></rdf:RDF></x:xmpmeta>';

function hostileGif(): Uint8Array {
  const base = [...fixtureBytes('animation.gif')];
  const afterColourTable = 13 + 6; // header + screen descriptor + 2-colour global table
  const inserted = [
    0x21, 0xfe, ...subBlocks(ascii('Dikirim oleh Budi Santoso, Jl. Merdeka 17, Pontianak')), // comment
    0x21, 0xff, 11, ...ascii('XMP DataXMP'), ...subBlocks(ascii(XMP)), // XMP with GPS
    0x21, 0xff, 11, ...ascii('ICCRGBG1012'), ...subBlocks(ascii('profile of Budi Santoso')),
    0x21, 0xf9, 4, 0, 0, 0, 0, 0, // a graphic control that belongs to the plain text below
    0x21, 0x01, 12, 0, 0, 0, 0, 16, 0, 16, 0, 8, 8, 1, 0, ...subBlocks(ascii('Budi Santoso')), // plain text
    0x21, 0x99, ...subBlocks(ascii('GPS -6.175392,106.827153')), // unknown extension
  ];
  // The looping extension too gets a hidden extra sub-block.
  const out = [...base.slice(0, afterColourTable), ...inserted, ...base.slice(afterColourTable)];
  const netscape = Buffer.from(out).indexOf(Buffer.from('NETSCAPE2.0'));
  out.splice(netscape + 11 + 4, 0, 13, ...ascii('Budi Santoso!'));
  return Uint8Array.from([...out, ...ascii('Budi Santoso GPS -6.175392')]); // after the trailer
}

/** The GIF's blocks after the colour table: what a decoder reads. */
function gifBlocks(b: Uint8Array): string[] {
  let pos = 13 + ((b[10]! & 0x80) ? 3 * 2 ** ((b[10]! & 7) + 1) : 0);
  const blocks: string[] = [];
  const skip = (p: number) => {
    while (b[p] !== 0) p += 1 + b[p]!;
    return p + 1;
  };
  for (;;) {
    const c = b[pos]!;
    if (c === 0x3b) {
      blocks.push('trailer');
      assert.equal(pos + 1, b.length, 'nothing after the trailer');
      return blocks;
    }
    if (c === 0x2c) {
      const flags = b[pos + 9]!;
      pos = skip(pos + 10 + ((flags & 0x80) ? 3 * 2 ** ((flags & 7) + 1) : 0) + 1);
      blocks.push('image');
    } else {
      assert.equal(c, 0x21);
      const label = b[pos + 1]!;
      blocks.push(label === 0xff ? `app:${Buffer.from(b.subarray(pos + 3, pos + 14)).toString('latin1')}` : `ext:${label.toString(16)}`);
      pos = skip(pos + 2);
    }
  }
}

test('a GIF keeps its frames, frame timing and looping, and loses comments, XMP/GPS, plain text, other extensions and trailing data', async () => {
  const input = hostileGif();
  assert.ok(includesText(input, 'Budi Santoso') && includesText(input, 'GPSLatitude'), 'the attack file carries the identity');
  const output = stripMetadata('image/gif', input);
  for (const leak of ['Budi', 'Santoso', 'GPS', 'XMP', 'ICCRGBG1', 'Merdeka', '6.175392']) {
    assert.ok(!includesText(output, leak), `"${leak}" is left in the GIF`);
  }
  assert.deepEqual(gifBlocks(output), ['app:NETSCAPE2.0', 'ext:f9', 'image', 'ext:f9', 'image', 'trailer']);
  // The looping extension is exactly its loop count (0 = forever).
  assert.ok(Buffer.from(output).includes(Buffer.from([0x21, 0xff, 0x0b, ...ascii('NETSCAPE2.0'), 3, 1, 0, 0, 0])));
  assert.equal((await fileTypeFromBuffer(output))?.mime, 'image/gif');
  // The images are byte for byte the original ones.
  const images = (b: Uint8Array) => {
    const text = Buffer.from(b);
    const first = text.indexOf(Buffer.from([0x2c, 0, 0, 0, 0, 0x10, 0]));
    return text.subarray(first, text.lastIndexOf(0x3b));
  };
  assert.ok(images(output).equals(Buffer.from(images(fixtureBytes('animation.gif')))));
  // A clean GIF loses nothing a decoder needs (the frame's graphic control moves next to its image).
  assert.deepEqual(gifBlocks(fixtureBytes('animation.gif')), ['ext:f9', 'app:NETSCAPE2.0', 'image', 'ext:f9', 'image', 'trailer']);
  const clean = stripMetadata('image/gif', fixtureBytes('animation.gif'));
  assert.deepEqual(gifBlocks(clean), ['app:NETSCAPE2.0', 'ext:f9', 'image', 'ext:f9', 'image', 'trailer']);
  assert.equal(clean.length, fixtureBytes('animation.gif').length);
});

test('a damaged GIF is refused, not stored', () => {
  const good = fixtureBytes('animation.gif');
  for (const bad of [good.subarray(0, 12), good.subarray(0, good.length - 1), good.subarray(0, 40), Uint8Array.from([...Buffer.from('GIF89a'), 1, 0, 1, 0, 0, 0, 0, 0x3b])]) {
    assert.throws(() => stripMetadata('image/gif', bad), (e: unknown) => e instanceof AppError && e.code === 'invalid_input');
  }
});

let t: TestApp;
let citizen: TestUser;
let national: TestUser;
before(async () => {
  t = await startTestApp();
  citizen = await t.user('reporter');
  national = await t.user('national_admin');
});
after(() => t.close());

test('uploaded, the hostile GIF is stored stripped: the download carries none of it', async () => {
  const filed = await submitWithFiles(t, citizen.token, { anonymous: true }, [new File([hostileGif()], 'animasi.gif', { type: 'image/gif' })]);
  assert.equal(filed.status, 201, filed.text);
  const file = await download(t, filed.body.attachments[0].url, national.token);
  assert.equal(file.status, 200);
  for (const leak of ['Budi', 'GPS', 'XMP']) assert.ok(!includesText(file.bytes, leak), `"${leak}" is in the stored GIF`);
  assert.deepEqual(gifBlocks(file.bytes), ['app:NETSCAPE2.0', 'ext:f9', 'image', 'ext:f9', 'image', 'trailer']);
});
